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

from sqlalchemy import BigInteger, Boolean, Date, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from passerelle.store.tables.base import Base

__all__ = ["DailyCrossings", "DailyInspections", "DailyOutcomes"]


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


class DailyOutcomes(Base):
    """How many inspections one UTC day, on one route, of one nationality, had one outcome.

    The outcome is what the risk page's indicators are read from, kept whole so that
    a node's fraud codes can change without a recount: the decision, the officer's
    action (``""`` before one) and, for a refusal, its reason; whether the stay rule
    found an overstay; and the codes of the document and alert findings, sorted,
    each ``source:code``, space-separated (``""`` when none).
    """

    __tablename__ = "daily_outcomes"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    crossing_point: Mapped[str] = mapped_column(String(64), primary_key=True)
    direction: Mapped[str] = mapped_column(String(5), primary_key=True)
    nationality: Mapped[str] = mapped_column(String(3), primary_key=True)
    decision: Mapped[str] = mapped_column(String(8), primary_key=True)
    action: Mapped[str] = mapped_column(String(8), primary_key=True)
    reason_code: Mapped[str] = mapped_column(String(64), primary_key=True)
    overstay: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    findings: Mapped[str] = mapped_column(String(255), primary_key=True)
    n: Mapped[int] = mapped_column(BigInteger)

    __table_args__ = (Index("ix_daily_outcomes_point", "crossing_point", "day"),)
