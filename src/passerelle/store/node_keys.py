"""The recorded fingerprints of the node's keys (``node_keys``): read, record, replace.

What a fingerprint is and when a host must refuse lives in ``passerelle.keyring``;
this module only reads and writes the rows, in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from passerelle.store.tables import NodeKey

__all__ = ["RecordedHow", "record_fingerprints", "recorded_fingerprints"]

RecordedHow = Literal["init", "adopted", "rotated"]


def recorded_fingerprints(session: Session) -> dict[str, str]:
    """The fingerprint recorded for each of the node's keys, by key name."""
    return {row.name: row.fingerprint for row in session.scalars(select(NodeKey))}


def record_fingerprints(
    session: Session, fingerprints: Mapping[str, str], *, how: RecordedHow, at: datetime
) -> None:
    """Record ``fingerprints`` (key name: fingerprint), replacing those of the same names."""
    for name, fingerprint in fingerprints.items():
        row = session.get(NodeKey, name, with_for_update=True)
        if row is None:
            session.add(NodeKey(name=name, fingerprint=fingerprint, recorded_at=at, how=how))
        else:
            row.fingerprint, row.recorded_at, row.how = fingerprint, at, how
