"""The dashboard's daily counts, kept as crossings and inspections are written.

One row per UTC day and kind of event, with its count ``n``: the figures of a
year are read from a few hundred thousand rows at most, never from the tens of
millions of crossings behind them. The rows are counts, not persons: retention
deletes crossings and inspections, never these (``passerelle.store.rollups``).
A crossing whose nationality was not recorded counts under ``""`` (a key column
cannot be NULL).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger, Date, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from passerelle.store.tables.base import Base

__all__ = ["DailyCrossings", "DailyInspections"]


class DailyCrossings(Base):
    """How many crossings one UTC day, at one point, in one direction, of one nationality."""

    __tablename__ = "daily_crossings"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    crossing_point: Mapped[str] = mapped_column(String(64), primary_key=True)
    direction: Mapped[str] = mapped_column(String(5), primary_key=True)
    nationality: Mapped[str] = mapped_column(String(3), primary_key=True)
    """The crossing's nationality, ``""`` when none was recorded."""
    n: Mapped[int] = mapped_column(BigInteger)

    __table_args__ = (Index("ix_daily_crossings_point", "crossing_point", "day"),)  # the filter


class DailyInspections(Base):
    """How many inspections one UTC day, at one point, with one decision."""

    __tablename__ = "daily_inspections"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    crossing_point: Mapped[str] = mapped_column(String(64), primary_key=True)
    decision: Mapped[str] = mapped_column(String(8), primary_key=True)
    n: Mapped[int] = mapped_column(BigInteger)
