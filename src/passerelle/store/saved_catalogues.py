"""The catalogue file as saved from the administrators' page, kept in the node's database.

Every host of the node reads the catalogue in force from here (the saved one with
the highest id), so a catalogue saved through one host reaches all of them; the
highest id is the watermark a host compares with the one it applies. No function
here commits or checks the text (``passerelle.wiring.catalogues`` does both).
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from passerelle.store.tables import SavedCatalogue

__all__ = ["StoredCatalogue", "latest_catalogue", "latest_catalogue_id", "store_catalogue"]


class StoredCatalogue(NamedTuple):
    """A saved catalogue: its id (the watermark) and its text."""

    id: int
    text: str


def store_catalogue(session: Session, text: str, *, at: datetime, by: str) -> int:
    """Keep ``text`` as the catalogue in force from now on; its id."""
    row = SavedCatalogue(
        text=text, sha256=hashlib.sha256(text.encode()).hexdigest(), saved_at=at, saved_by=by
    )
    session.add(row)
    session.flush()
    return row.id


def latest_catalogue_id(session: Session) -> int:
    """The id of the catalogue in force (0: none saved; the file or the defaults apply)."""
    return int(session.scalar(select(func.max(SavedCatalogue.id))) or 0)


def latest_catalogue(session: Session) -> StoredCatalogue | None:
    """The catalogue in force, when one was saved."""
    row = session.execute(
        select(SavedCatalogue.id, SavedCatalogue.text).order_by(SavedCatalogue.id.desc()).limit(1)
    ).first()
    return StoredCatalogue(int(row[0]), str(row[1])) if row is not None else None
