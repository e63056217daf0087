"""Bulk loads of JSON Lines files: per-batch transactions, every rejected line reported.

A load reads the file line by line, turns each line into a registry entry (or
a rejection naming the line, the field and the reason), and commits one batch
at a time: the batch's entries, the run's progress, its rejections and an audit
record go in the same transaction. A process killed mid-load therefore leaves
whole batches and a run marked ``running``; loading the file again re-applies
it (entries are idempotent on their ids) and completes it. The same id twice in
one file with different content is a rejection, not a silent overwrite.

A database that fails under a load (its server gone, its disk full) stops it with
``LoadStopped``, which says how far it got: the batches committed before stay
(each with its audit record), the failed batch is rolled back whole, and the run
stays ``running`` until the next load of the file marks it ``interrupted``.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol, TypeVar, runtime_checkable

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from passerelle.exc import InvalidInput, PasserelleError
from passerelle.store.audit import Actor, AuditTrail
from passerelle.store.db import Database, DatabaseFault
from passerelle.store.load_parsing import (
    Part,
    Rejection,
    parsed_parts,
    parsed_parts_in_worker,
    without_cycle_collector,
)
from passerelle.store.tables import LoadRejection, LoadRun

__all__ = ["BatchOutcome", "LoadReport", "LoadStopped", "Registry", "Rejection", "load_file"]

Entry = TypeVar("Entry")


@dataclass(frozen=True, slots=True)
class BatchOutcome:
    accepted: int
    unchanged: int


@dataclass(slots=True)
class LoadReport:
    """What one load did."""

    run_id: int
    kind: str
    file_name: str
    lines: int = 0
    accepted: int = 0
    unchanged: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    names_cleaned: int = 0
    """Lines stored with direction or zero-width characters removed from a name."""
    interrupted_before: int | None = None
    """Lines a previous, interrupted load of the same file had committed."""
    finished: bool = False
    """The file's last batch is committed (the run is ``completed``)."""

    @property
    def rejected(self) -> int:
        return len(self.rejections)


class LoadStopped(PasserelleError):
    """The database failed under a load (``fault``): ``report`` (``None`` when the run could
    not even be started) tells what the batches committed before it hold."""

    def __init__(
        self, kind: str, path: Path, report: LoadReport | None, fault: DatabaseFault
    ) -> None:
        if report is None or not report.lines:
            done = "before storing any line"
        else:
            done = (
                f"after line {report.lines:,} (run {report.run_id}: lines 1 to {report.lines:,} "
                f"are stored, {report.accepted:,} new, {report.unchanged:,} already present, "
                f"{report.rejected:,} rejected)"
            )
        super().__init__(
            f"the {kind} load of {path} stopped {done}: {fault}. Loading the file again "
            "completes it (the lines already stored are kept as they are)"
        )
        self.report, self.fault = report, fault


class Registry(Protocol[Entry]):
    """What a registry tells the loader about its entries."""

    kind: str
    key_field: str
    """The field (or fields) that identify an entry, named in duplicate rejections."""
    cleaned_lines: int
    """Lines ``parse`` cleaned so far (a name's direction or zero-width characters
    removed); the loader reports the count, per part, as ``names_cleaned``."""

    def parse(self, record: dict[str, Any]) -> Entry:
        """One entry from a JSON object; raises ``InvalidInput(field, reason)``."""
        ...

    def key(self, entry: Entry) -> Hashable:
        """The entry's identity (two lines with one key describe one thing)."""
        ...

    def fingerprint(self, entry: Entry) -> Hashable:
        """The entry's content, to tell a repeat from a conflicting duplicate."""
        ...

    def begin_load(self) -> None:
        """A new load starts: forget what the previous one (if any) stored."""
        ...

    def apply(self, session: Session, entries: list[Entry], now: datetime) -> BatchOutcome:
        """Store entries (idempotently) in ``session``'s transaction.

        A batch's transaction may call this several times, once per part of the
        file (see ``load_parsing``); each entry comes once per load.
        """
        ...


@runtime_checkable
class PackedRegistry(Protocol):
    """A registry whose parsing process packs entries (``load_parsing.EntryPacker``)."""

    def apply_packed(
        self, session: Session, rows: bytes, count: int, now: datetime
    ) -> BatchOutcome:
        """``apply`` for ``count`` entries as ``pack`` wrote them."""
        ...

    def finish_load(self, session: Session) -> None:
        """The load's last batch, in its transaction (a first load rebuilds an index)."""
        ...


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _start_run(
    database: Database, registry: Registry[Entry], path: Path, sha: str, actor: Actor, now: datetime
) -> tuple[int, int | None]:
    with database.write() as session:
        earlier = session.scalars(
            select(LoadRun)
            .where(LoadRun.file_sha256 == sha, LoadRun.kind == registry.kind)
            .where(LoadRun.status == "running")
            .order_by(LoadRun.id.desc())
        ).all()
        interrupted = max((run.lines_done for run in earlier), default=None)
        if earlier:
            session.execute(
                update(LoadRun)
                .where(LoadRun.id.in_([run.id for run in earlier]))
                .values(status="interrupted", finished_at=now)
            )
        run = LoadRun(
            kind=registry.kind,
            file_name=str(path),
            file_sha256=sha,
            actor=actor.name,
            started_at=now,
            status="running",
            lines_done=0,
            accepted=0,
            unchanged=0,
            rejected=0,
        )
        session.add(run)
        session.flush()
        return run.id, interrupted


PARALLEL_FROM_BYTES = 4 << 20
"""Files this large are parsed in a second process while the first one writes."""

PART_LINES = 5000
"""Lines per part handed from the parsing process to the writer (see ``load_parsing``)."""


def load_file(
    database: Database,
    audit: AuditTrail,
    registry: Registry[Entry],
    path: Path,
    *,
    actor: Actor,
    clock: Callable[[], datetime],
    batch_size: int = 5000,
    progress: Callable[[int, int], None] | None = None,
    parallel: bool | None = None,
    part_lines: int = PART_LINES,
    started: Callable[[int], None] | None = None,
) -> LoadReport:
    """Load a JSON Lines file into ``registry``, one committed batch at a time.

    ``progress(lines_done, bytes_done)`` is called after each committed batch.
    With ``parallel`` (default: files of ``PARALLEL_FROM_BYTES`` or more on a
    machine with two cores or more) a second process parses the file while this
    one stores what it has parsed, ``part_lines`` at a time, in the open batch's
    transaction; the result is the same. ``started(run_id)`` is called once the run is
    recorded, before the first line is read (a page follows the run by its id).
    """
    if not path.is_file():
        raise InvalidInput("file", f"{path} does not exist or is not a file")
    if batch_size < 1:
        raise InvalidInput("batch_size", "must be at least 1")
    if parallel is None:
        parallel = (os.cpu_count() or 1) > 1 and path.stat().st_size >= PARALLEL_FROM_BYTES
    sha = _sha256(path)
    registry.begin_load()
    report: LoadReport | None = None
    try:
        run_id, interrupted = _start_run(database, registry, path, sha, actor, clock())
        report = LoadReport(run_id, registry.kind, str(path), interrupted_before=interrupted)
        if started:
            started(run_id)
        parts = (
            parsed_parts_in_worker(path, registry, batch_size, part_lines)
            if parallel
            else parsed_parts(path, registry, batch_size)
        )
        try:
            with without_cycle_collector():
                while not report.finished:
                    bytes_done = _commit_batch(
                        database, audit, registry, report, parts, sha, actor, clock
                    )
                    if progress:
                        progress(report.lines, bytes_done)
        finally:
            close = getattr(parts, "close", None)
            if close is not None:
                close()  # a parsing process stops at once
    except DatabaseFault as fault:
        raise LoadStopped(registry.kind, path, report, fault) from fault
    return report


@dataclass(slots=True)
class _BatchTally:
    first_line: int
    last_line: int = 0
    accepted: int = 0
    unchanged: int = 0
    names_cleaned: int = 0
    rejections: list[Rejection] = field(default_factory=list)


def _commit_batch(
    database: Database,
    audit: AuditTrail,
    registry: Registry[Entry],
    report: LoadReport,
    parts: Iterator[Part[Entry]],
    sha: str,
    actor: Actor,
    clock: Callable[[], datetime],
) -> int:
    """Store the next batch's parts in one transaction, with the run's progress and an
    audit record; returns the bytes of the file read so far."""
    part = next(parts)
    now = clock()
    with database.write() as session:
        tally = _BatchTally(first_line=part.first_line)
        while True:
            _store_part(session, registry, report, part, tally, now)
            if part.closes_batch:
                break
            following = next(parts, None)
            if following is None:
                raise RuntimeError("the file's parts ended inside a batch")
            part = following
        if part.final and isinstance(registry, PackedRegistry):
            registry.finish_load(session)
        lines = tally.last_line if tally.last_line else report.lines
        accepted = report.accepted + tally.accepted
        unchanged = report.unchanged + tally.unchanged
        rejected = report.rejected + len(tally.rejections)
        session.execute(
            update(LoadRun)
            .where(LoadRun.id == report.run_id)
            .values(
                lines_done=lines,
                accepted=accepted,
                unchanged=unchanged,
                rejected=rejected,
                status="completed" if part.final else "running",
                finished_at=now if part.final else None,
            )
        )
        audit.record(
            session,
            actor=actor,
            action=f"{registry.kind}.load",
            at=now,
            query={
                "file": report.file_name,
                "sha256": sha,
                "lines": [tally.first_line, lines],
                "run": report.run_id,
            },
            result={
                "accepted": tally.accepted,
                "unchanged": tally.unchanged,
                "rejected": len(tally.rejections),
                "final": part.final,
                **({"names_cleaned": tally.names_cleaned} if tally.names_cleaned else {}),
            },
        )
    report.lines, report.accepted, report.unchanged = lines, accepted, unchanged
    report.rejections.extend(tally.rejections)
    report.names_cleaned += tally.names_cleaned
    report.finished = part.final
    return part.bytes_done


def _store_part(
    session: Session,
    registry: Registry[Entry],
    report: LoadReport,
    part: Part[Entry],
    tally: _BatchTally,
    now: datetime,
) -> None:
    if part.packed:
        assert isinstance(registry, PackedRegistry)
        outcome = registry.apply_packed(session, part.packed, part.packed_entries, now)
        tally.accepted += outcome.accepted
        tally.unchanged += outcome.unchanged
    elif part.entries:
        outcome = registry.apply(session, part.entries, now)
        tally.accepted += outcome.accepted
        tally.unchanged += outcome.unchanged
    tally.unchanged += part.repeats
    tally.names_cleaned += part.names_cleaned
    if part.rejections:
        session.add_all(
            LoadRejection(
                run_id=report.run_id,
                line_no=r.line_no,
                field=r.field,
                reason=r.reason,
                wording=r.wording.as_dict() if r.wording is not None else None,
            )
            for r in part.rejections
        )
        tally.rejections.extend(part.rejections)
    tally.last_line = part.last_line or tally.last_line
