"""Bulk loads of JSON Lines files: per-batch transactions, every rejected line reported.

A load reads the file line by line, turns each line into a registry entry (or
a rejection naming the line, the field and the reason), and commits one batch
at a time: the batch's entries, the run's progress, its rejections and an audit
record go in the same transaction. A process killed mid-load therefore leaves
whole batches and a run marked ``running``; loading the file again re-applies
it (entries are idempotent on their ids) and completes it. The same id twice in
one file with different content is a rejection, not a silent overwrite.
"""

from __future__ import annotations

import gc
import hashlib
import json
import multiprocessing
import os
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from pathlib import Path
from queue import Empty, Full
from typing import Any, Generic, Protocol, TypeVar, cast

import orjson
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from passerelle.exc import InvalidInput
from passerelle.store.audit import Actor, AuditTrail
from passerelle.store.db import Database
from passerelle.store.models import LoadRejection, LoadRun

__all__ = ["BatchOutcome", "LoadReport", "Registry", "Rejection", "load_file"]

Entry = TypeVar("Entry")


@dataclass(frozen=True, slots=True)
class Rejection:
    """A line a load refused: where, which field, and why."""

    line_no: int
    field: str
    reason: str


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
    interrupted_before: int | None = None
    """Lines a previous, interrupted load of the same file had committed."""

    @property
    def rejected(self) -> int:
        return len(self.rejections)


class Registry(Protocol[Entry]):
    """What a registry tells the loader about its entries."""

    kind: str
    key_field: str
    """The field (or fields) that identify an entry, named in duplicate rejections."""

    def parse(self, record: dict[str, Any]) -> Entry:
        """One entry from a JSON object; raises ``InvalidInput(field, reason)``."""
        ...

    def key(self, entry: Entry) -> Hashable:
        """The entry's identity (two lines with one key describe one thing)."""
        ...

    def fingerprint(self, entry: Entry) -> Hashable:
        """The entry's content, to tell a repeat from a conflicting duplicate."""
        ...

    def apply(self, session: Session, entries: list[Entry], now: datetime) -> BatchOutcome:
        """Store a batch (idempotently) in ``session``'s transaction."""
        ...


@dataclass
class _Batch(Generic[Entry]):
    first_line: int
    entries: list[Entry] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    repeats: int = 0
    last_line: int = 0


def _why_not_json(raw: bytes) -> tuple[str, str]:
    """Field and reason for a line that is not JSON, in words people read."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return "line", f"is not UTF-8 text (byte {exc.start})"
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        return "line", f"is not valid JSON: {exc.msg} at column {exc.colno}"
    return "line", "is not valid JSON"


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


def _parsed_batches(
    path: Path, registry: Registry[Entry], batch_size: int
) -> Iterator[tuple[_Batch[Entry], int]]:
    """Batches of parsed entries and rejections, with the bytes read so far.

    Repeats of an earlier line are counted, and the same key with different
    content is rejected, across the whole file.
    """
    seen: dict[Hashable, tuple[int, int]] = {}  # key -> (first line, hash of its content)
    parse, key_of, content_of = registry.parse, registry.key, registry.fingerprint
    loads = orjson.loads
    bytes_done = 0
    line_no = 0
    with path.open("rb") as handle:
        while lines := list(islice(handle, batch_size)):
            batch: _Batch[Entry] = _Batch(first_line=line_no + 1)
            entries, rejections = batch.entries, batch.rejections
            for raw in lines:
                line_no += 1
                try:
                    record = loads(raw)
                    if type(record) is not dict:
                        raise InvalidInput("line", "must be a JSON object")
                    entry = parse(record)
                except InvalidInput as exc:
                    rejections.append(Rejection(line_no, exc.field, exc.reason))
                    continue
                except orjson.JSONDecodeError:
                    if raw.strip():
                        field, reason = _why_not_json(raw)
                        rejections.append(Rejection(line_no, field, reason))
                    continue
                key, content = key_of(entry), hash(content_of(entry))
                first = seen.get(key)
                if first is None:
                    seen[key] = (line_no, content)
                    entries.append(entry)
                elif first[1] == content:
                    batch.repeats += 1
                else:
                    shown = " ".join(map(str, key)) if isinstance(key, tuple) else str(key)
                    rejections.append(
                        Rejection(
                            line_no,
                            registry.key_field,
                            f"{shown} already appears on line {first[0]} with different content",
                        )
                    )
            batch.last_line = line_no
            bytes_done += sum(map(len, lines))
            yield batch, bytes_done


PARALLEL_FROM_BYTES = 16 << 20
"""Files this large are parsed in a second process while the first one writes."""


@contextmanager
def _without_cycle_collector() -> Iterator[None]:
    """Pause Python's cycle collector while a load builds millions of small objects.

    A load's objects hold no reference cycles, but each full collection walks the
    whole duplicate index (one entry per line read): at a million lines that
    halved the parsing rate. Reference counting still frees everything.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _packed(batch: _Batch[Entry]) -> tuple[type | None, _Batch[Any]]:
    """A batch ready to pickle: named-tuple entries travel as plain tuples.

    Pickle rebuilds a named tuple through its Python constructor, which cost more
    than parsing the line; plain tuples of strings and shared dates are cheap.
    """
    entries = batch.entries
    kind = type(entries[0]) if entries else None
    if kind is not None and issubclass(kind, tuple):
        batch.entries = [tuple(cast(tuple[Any, ...], entry)) for entry in entries]  # type: ignore[misc]
        return kind, batch
    return None, batch


def _unpacked(packed: tuple[type | None, _Batch[Any]]) -> _Batch[Any]:
    kind, batch = packed
    if kind is not None:
        new = tuple.__new__
        batch.entries = [new(kind, values) for values in batch.entries]
    return batch


def _parse_in_worker(
    path: Path,
    registry: Registry[Entry],
    batch_size: int,
    queue: multiprocessing.Queue[tuple[str, Any]],
    parent: int,
) -> None:
    """Worker process: parse the file and hand batches over until done (or orphaned)."""

    def hand_over(item: tuple[str, Any]) -> None:
        while True:
            try:
                queue.put(item, timeout=1.0)
                return
            except Full:
                if os.getppid() != parent:  # the writer died (even by SIGKILL): stop
                    os._exit(1)

    try:
        gc.disable()  # this process only parses: see _without_cycle_collector
        for batch, bytes_done in _parsed_batches(path, registry, batch_size):
            hand_over(("batch", (_packed(batch), bytes_done)))
        hand_over(("done", None))
    except Exception as exc:  # reported to, and raised by, the writer
        hand_over(("error", f"{type(exc).__name__}: {exc}"))


def _batches_from_worker(
    path: Path, registry: Registry[Entry], batch_size: int
) -> Iterator[tuple[_Batch[Entry], int]]:
    """``_parsed_batches`` run in a second process, two batches ahead of the writer."""
    # fork: the worker needs no import of the caller's main module; it only reads
    # the file and never touches the inherited database connections.
    context = (
        multiprocessing.get_context("fork")
        if "fork" in multiprocessing.get_all_start_methods()
        else multiprocessing.get_context("spawn")
    )
    queue: multiprocessing.Queue[tuple[str, Any]] = context.Queue(maxsize=2)
    worker = context.Process(
        target=_parse_in_worker,
        args=(path, registry, batch_size, queue, os.getpid()),
        daemon=True,
    )
    worker.start()
    try:
        while True:
            try:
                kind, payload = queue.get(timeout=5.0)
            except Empty:
                if not worker.is_alive():
                    raise RuntimeError("the parsing process stopped unexpectedly") from None
                continue
            if kind == "done":
                return
            if kind == "error":
                raise RuntimeError(f"parsing {path} failed: {payload}")
            packed, bytes_done = payload
            yield _unpacked(packed), bytes_done
    finally:
        if worker.is_alive():
            worker.terminate()
        worker.join(timeout=5)


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
) -> LoadReport:
    """Load a JSON Lines file into ``registry``, one committed batch at a time.

    ``progress(lines_done, bytes_done)`` is called after each committed batch.
    With ``parallel`` (default: files of ``PARALLEL_FROM_BYTES`` or more on a
    machine with two cores or more) a second process parses while this one
    writes; the result is the same.
    """
    if not path.is_file():
        raise InvalidInput("file", f"{path} does not exist or is not a file")
    if parallel is None:
        parallel = (os.cpu_count() or 1) > 1 and path.stat().st_size >= PARALLEL_FROM_BYTES
    sha = _sha256(path)
    run_id, interrupted = _start_run(database, registry, path, sha, actor, clock())
    report = LoadReport(run_id, registry.kind, str(path), interrupted_before=interrupted)
    batches = (_batches_from_worker if parallel else _parsed_batches)(path, registry, batch_size)
    pending: tuple[_Batch[Entry], int] = (_Batch(first_line=1), 0)
    with _without_cycle_collector():
        for number, parsed in enumerate(batches):
            if number:  # commit the batch before; the last one commits as the final batch
                _commit_batch(database, audit, registry, report, pending[0], sha, actor, clock)
                if progress:
                    progress(report.lines, pending[1])
            pending = parsed
        _commit_batch(database, audit, registry, report, pending[0], sha, actor, clock, final=True)
    if progress:
        progress(report.lines, pending[1])
    return report


def _commit_batch(
    database: Database,
    audit: AuditTrail,
    registry: Registry[Entry],
    report: LoadReport,
    batch: _Batch[Entry],
    sha: str,
    actor: Actor,
    clock: Callable[[], datetime],
    *,
    final: bool = False,
) -> None:
    now = clock()
    with database.write() as session:
        outcome = (
            registry.apply(session, batch.entries, now) if batch.entries else BatchOutcome(0, 0)
        )
        if batch.rejections:
            session.add_all(
                LoadRejection(
                    run_id=report.run_id, line_no=r.line_no, field=r.field, reason=r.reason
                )
                for r in batch.rejections
            )
        lines = batch.last_line if batch.last_line else report.lines
        accepted = report.accepted + outcome.accepted
        unchanged = report.unchanged + outcome.unchanged + batch.repeats
        rejected = report.rejected + len(batch.rejections)
        session.execute(
            update(LoadRun)
            .where(LoadRun.id == report.run_id)
            .values(
                lines_done=lines,
                accepted=accepted,
                unchanged=unchanged,
                rejected=rejected,
                status="completed" if final else "running",
                finished_at=now if final else None,
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
                "lines": [batch.first_line, lines],
                "run": report.run_id,
            },
            result={
                "accepted": outcome.accepted,
                "unchanged": outcome.unchanged + batch.repeats,
                "rejected": len(batch.rejections),
                "final": final,
            },
        )
    report.lines, report.accepted, report.unchanged = lines, accepted, unchanged
    report.rejections.extend(batch.rejections)
