"""Multiple-identity links and the linkage runs that proposed them (migration 0026).

==================  ================================================================
``identity_links``  a pair of identity records probably of one person, with its
                    colour (yellow, red, green, white), evidence and resolution
``linkage_runs``    one run of the linkage model: engine, records, pairs, outcome
==================  ================================================================
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from passerelle.store.tables.base import Base, BigId

__all__ = ["IdentityLink", "LinkageRun"]


class LinkageRun(Base):
    """One run of the linkage model over the node's records."""

    __tablename__ = "linkage_runs"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    engine: Mapped[str] = mapped_column(String(16))
    started_at: Mapped[datetime]
    started_by: Mapped[str] = mapped_column(String(128))
    finished_at: Mapped[datetime | None]
    records: Mapped[int | None] = mapped_column(BigId)
    pairs: Mapped[int | None] = mapped_column(BigId)
    """Pairs the model scored (after blocking)."""
    outcome: Mapped[dict[str, Any] | None]
    """New, rescored and kept links; the trained model's parameters (``m``/``u`` per level)."""


class IdentityLink(Base):
    """Two identity records probably of one person; ends stored in a fixed order, once."""

    __tablename__ = "identity_links"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    left_kind: Mapped[str] = mapped_column(String(16))
    left_ref: Mapped[str] = mapped_column(String(128))
    right_kind: Mapped[str] = mapped_column(String(16))
    right_ref: Mapped[str] = mapped_column(String(128))
    colour: Mapped[str] = mapped_column(String(8))
    origin: Mapped[str] = mapped_column(String(16))
    probability: Mapped[float] = mapped_column(Float)
    evidence: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    run_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("linkage_runs.id", ondelete="SET NULL")
    )
    partner_state: Mapped[str | None] = mapped_column(String(3))
    followup_id: Mapped[str | None] = mapped_column(String(64))
    """The follow-up asking the partner for the record behind a cross-border link."""
    resolved_by: Mapped[str | None] = mapped_column(String(128))
    resolved_at: Mapped[datetime | None]
    resolution_note: Mapped[str | None] = mapped_column(Text)
    resolutions: Mapped[int] = mapped_column(Integer, default=0)
    """How many times its colour was given (a supervisor may change a resolution)."""

    __table_args__ = (
        Index(
            "ix_identity_links_pair",
            "left_kind",
            "left_ref",
            "right_kind",
            "right_ref",
            unique=True,
        ),
        Index("ix_identity_links_colour", "colour", "probability"),
        Index("ix_identity_links_right", "right_kind", "right_ref"),
    )
