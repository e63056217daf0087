"""Analysts' heavy reads on a streaming replica, and how fresh what they read is.

A node may name a hot standby of its PostgreSQL primary (``PASSERELLE_REPLICA_DATABASE_URL``).
:meth:`AnalysisReads.read` is the unit of work of the analysts' heavy reads (the
dashboard, networks, risk analysis, identity links): a ``REPEATABLE READ, READ ONLY``
snapshot on the replica, or on the primary when

* no replica is configured (everything on the primary, as a single database does);
* the replica has not replayed the reader's own latest change yet (*read your writes*):
  after a page's change the browser carries the primary's WAL position
  (:meth:`AnalysisReads.write_position`, set by ``passerelle.http.replica_reads``) and a
  read waits for nothing: it goes to the primary until the replica is past that position;
* the replica cannot be reached and the fallback is ``primary``; with ``refuse`` the read
  fails with :class:`ReplicaUnavailable` (503) instead. A replica found unreachable is left
  alone for ``retry_s`` seconds (no connection attempt per page while it is down).

The audit record of a read and every write go to the primary (``Database.write``), never
here: the services read, then record on the primary before answering, so a read whose
record cannot be written is not served.

Each read notes where it ran (:class:`Reading`: the replica and the last transaction it
replayed, ``pg_last_xact_replay_timestamp()``, or the primary and why) in the request's
:class:`ReadingNotes`, which the pages show ("data as of …") and the API sends as headers.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import text
from sqlalchemy.orm import Session

from passerelle.store.db import Database, DatabaseFault, DatabaseNotReady

__all__ = [
    "AnalysisReads",
    "Reading",
    "ReadingNotes",
    "ReplicaFallback",
    "ReplicaUnavailable",
    "checked_position",
    "last_reading",
    "noting_readings",
]

log = logging.getLogger("passerelle.store")

ReplicaFallback = Literal["primary", "refuse"]
"""What an analysis read does while the replica is unreachable."""
PrimaryReason = Literal["unreachable", "behind"]
"""Why a read went to the primary though a replica is configured."""

_POSITION = re.compile(r"[0-9A-Fa-f]{1,8}/[0-9A-Fa-f]{1,8}")

_PROBE = text(
    "SELECT pg_is_in_recovery() AS standby, pg_last_xact_replay_timestamp() AS as_of, "
    "(CAST(:after AS pg_lsn) IS NULL OR NOT pg_is_in_recovery() "
    " OR pg_last_wal_replay_lsn() >= CAST(:after AS pg_lsn)) AS caught_up"
)
_WRITE_POSITION = text("SELECT CAST(pg_current_wal_lsn() AS text)")


class ReplicaUnavailable(DatabaseNotReady):
    """The replica cannot be reached and the node refuses analysis reads meanwhile."""


@dataclass(frozen=True, slots=True)
class Reading:
    """Where one analysis read ran: ``replica`` (``as_of``: the primary's commit time of the
    last transaction it had replayed, ``None`` while it has replayed none since it started,
    or when the URL names a server that is not a standby) or ``primary`` (live; ``reason``:
    why not the configured replica, ``None`` without one)."""

    source: Literal["primary", "replica"]
    as_of: datetime | None = None
    reason: PrimaryReason | None = None


class ReadingNotes:
    """One request's notes: the reader's last write position (``after``) and where the
    request's last analysis read ran (``reading``)."""

    __slots__ = ("after", "reading")

    def __init__(self, after: str | None = None) -> None:
        self.after = after
        self.reading: Reading | None = None


_notes: ContextVar[ReadingNotes | None] = ContextVar("passerelle_reading_notes", default=None)


@contextmanager
def noting_readings(after: str | None = None) -> Iterator[ReadingNotes]:
    """Collect the analysis readings of the work done inside the block (a request), whose
    reader last wrote at primary position ``after`` (see :func:`checked_position`)."""
    notes = ReadingNotes(after)
    token = _notes.set(notes)
    try:
        yield notes
    finally:
        _notes.reset(token)


def last_reading() -> Reading | None:
    """Where the current request's last analysis read ran (``None``: none, or not noted)."""
    notes = _notes.get()
    return notes.reading if notes is not None else None


def checked_position(value: str | None) -> str | None:
    """A WAL position as PostgreSQL writes it (``16/B374D848``), else ``None``.

    >>> checked_position("16/B374D848"), checked_position("16/B374D848'; --")
    ('16/B374D848', None)
    """
    if value is None or not _POSITION.fullmatch(value):
        return None
    return value.upper()


def _note(reading: Reading) -> None:
    notes = _notes.get()
    if notes is not None:
        notes.reading = reading


class AnalysisReads:
    """The analysts' heavy reads: on ``replica`` when there is one and it serves, else on
    ``primary`` (or refused: ``fallback``)."""

    def __init__(
        self,
        primary: Database,
        replica: Database | None = None,
        *,
        fallback: ReplicaFallback = "primary",
        retry_s: float = 10.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.primary, self.replica = primary, replica
        self.fallback, self.retry_s = fallback, retry_s
        self._monotonic = monotonic
        self._down_until = 0.0

    @property
    def has_replica(self) -> bool:
        return self.replica is not None

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only snapshot for an analysis read (see the module's docstring)."""
        replica = self.replica
        if replica is None:
            with self.primary.read() as session:
                yield session
            return
        notes = _notes.get()
        reason: PrimaryReason = "unreachable"
        fault: DatabaseNotReady | None = None
        if self._monotonic() >= self._down_until:
            with ExitStack() as opened:
                try:
                    session = opened.enter_context(replica.read_only())
                    row = session.execute(_PROBE, {"after": notes and notes.after}).one()
                except DatabaseNotReady as exc:
                    fault = exc
                    self._down_until = self._monotonic() + self.retry_s
                    log.warning(
                        "the analysts' replica %s could not be reached (%s): %s for %g s",
                        replica.safe_url,
                        _reason(exc),
                        "analysis reads go to the primary"
                        if self.fallback == "primary"
                        else "analysis reads are refused",
                        self.retry_s,
                    )
                else:
                    if row.caught_up:
                        _note(Reading("replica", row.as_of if row.standby else None))
                        yield session
                        return
                    reason = "behind"
        if reason == "unreachable" and self.fallback == "refuse":
            raise ReplicaUnavailable(
                f"the analysts' replica could not be reached ({replica.safe_url}"
                f"{': ' + _reason(fault) if fault is not None else ''}); analysis "
                "pages are refused until it is back (PASSERELLE_REPLICA_FALLBACK=refuse); "
                "officers' inspections are not affected"
            ) from fault
        _note(Reading("primary", None, reason))
        with self.primary.read_only() as session:
            yield session

    def write_position(self) -> str | None:
        """The primary's WAL position now (after a change committed), for a reader's next
        analysis reads to wait for; ``None`` without a replica or when it cannot be read."""
        if self.replica is None or self.primary.is_sqlite:
            return None
        try:
            with self.primary.lookup() as session:
                position = session.execute(_WRITE_POSITION).scalar_one()
        except DatabaseNotReady:
            return None
        return checked_position(str(position))

    def dispose(self) -> None:
        if self.replica is not None:
            self.replica.dispose()


def _reason(fault: DatabaseNotReady) -> str:
    """The driver's reason of a fault, without the primary's remedy (officers are not
    concerned by the replica)."""
    return fault.reason if isinstance(fault, DatabaseFault) else str(fault)
