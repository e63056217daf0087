"""The node's own alert identifiers: ``MAR-A-2026-0007``, the node's code, ``A``, the year and
a number counted from 1 within that year.

An alert issued without an id (from the pages, the API or ``passerelle alert issue``) gets the
next one of its year; an id given by the issuer is kept as it is. The number is the highest
of the year's identifiers already stored plus one, read in the issuing transaction; four digits
at least (``MAR-A-2026-10000`` follows ``MAR-A-2026-9999``).
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from passerelle.store.tables import Alert

__all__ = ["alert_prefix", "format_alert_id", "next_alert_id"]


def alert_prefix(node: str, year: int) -> str:
    """The identifiers' common start for ``node``'s alerts of ``year``.

    >>> alert_prefix("MAR", 2026)
    'MAR-A-2026-'
    """
    return f"{node}-A-{year:04d}-"


def format_alert_id(node: str, year: int, number: int) -> str:
    """An alert identifier in the node's format.

    >>> format_alert_id("MAR", 2026, 7)
    'MAR-A-2026-0007'
    """
    return f"{alert_prefix(node, year)}{number:04d}"


def next_alert_id(session: Session, node: str, year: int) -> str:
    """The identifier the next alert ``node`` issues in ``year`` gets."""
    prefix = alert_prefix(node, year)
    numbered = re.compile(re.escape(prefix) + r"(\d{4,})")
    ids = session.scalars(select(Alert.id).where(Alert.id.startswith(prefix, autoescape=True)))
    numbers = [int(found.group(1)) for i in ids if (found := numbered.fullmatch(i))]
    return format_alert_id(node, year, max(numbers, default=0) + 1)
