"""The catalogues saved from the administrators' page: every host of the node reads them here."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from passerelle.store.tables.base import Base, BigId

__all__ = ["SavedCatalogue"]


class SavedCatalogue(Base):
    """One saved catalogue file (checked before it was saved); the highest id is in force."""

    __tablename__ = "saved_catalogues"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    text: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    saved_at: Mapped[datetime]
    saved_by: Mapped[str] = mapped_column(String(128))
