"""Reading the change counters: has any host written these tables since I last looked?

The counters (``store_changes``, moved by triggers in every writing transaction:
migration 0030) are the watermark of what a host derives from the store. Reading
them is one primary-key look-up, cheap enough for every inspection. A table
never written has no row: its counter reads 0.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from passerelle.store.tables import StoreChange

__all__ = ["ALERT_TABLES", "WATCHLIST_TABLES", "change_marks"]

WATCHLIST_TABLES = ("watchlist_persons",)
"""What the watchlist's name index is built from."""
ALERT_TABLES = ("alerts", "partner_alerts")
"""What the alerts' name index is built from: the node's own alerts and its partners'."""


def change_marks(session: Session, tables: Sequence[str]) -> tuple[int, ...]:
    """Each table's change counter, in the order asked (0: never written).

    For example ``change_marks(session, ALERT_TABLES)`` may read ``(12, 3)``.
    """
    rows = session.execute(
        select(StoreChange.name, StoreChange.counter).where(StoreChange.name.in_(tables))
    ).all()
    found = {name: int(counter) for name, counter in rows}
    return tuple(found.get(table, 0) for table in tables)
