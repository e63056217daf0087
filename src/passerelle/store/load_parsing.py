"""Reading a JSON Lines file for a bulk load: entries, rejections and repeats, in parts.

A load commits one *batch* of lines per transaction; the lines arrive in
smaller *parts* so that the writer can store one part while the next is parsed
(in a second process, for large files). Each part says whether it closes its
batch and whether it is the file's last; batch boundaries fall every
``batch_size`` lines whatever the part size, so a load commits the same
batches either way.

Repeats of an earlier line are counted, and the same key with different
content is rejected with the line it first appeared on, across the whole file.
"""

from __future__ import annotations

import gc
import io
import json
import multiprocessing
import os
import pickle
from collections.abc import Hashable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from itertools import islice
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar, cast, runtime_checkable

import orjson

from passerelle.exc import InvalidInput
from passerelle.i18n import N_
from passerelle.i18n.wording import Wording, worded
from passerelle.store.first_sightings import STRIDE as _STRIDE
from passerelle.store.first_sightings import FirstSightings

__all__ = ["EntryPacker", "Part", "Rejection", "parsed_parts", "parsed_parts_in_worker"]

Entry = TypeVar("Entry")


@dataclass(frozen=True, slots=True)
class Rejection:
    """A line a load refused: where, which field, and why."""

    line_no: int
    field: str
    reason: str
    """In English (the CLI's report, the API)."""
    wording: Wording | None = None
    """The reason as a wording, when the parser gave one: a page writes it in its reader's
    language."""


@runtime_checkable
class EntryPacker(Protocol[Entry]):
    """A registry whose entries the parsing process can hand over already written for the
    database (see ``store.sltd_rows``): cheaper than pickling them."""

    def pack(self, entries: list[Entry]) -> bytes: ...


class EntryReader(Protocol[Entry]):
    """What parsing needs from a registry (see ``loading.Registry``)."""

    key_field: str
    cleaned_lines: int
    """Lines ``parse`` cleaned so far (a name's direction or zero-width characters
    removed); the loader reports the count, per part, as ``names_cleaned``."""

    def parse(self, record: dict[str, Any]) -> Entry: ...
    def key(self, entry: Entry) -> Hashable: ...
    def fingerprint(self, entry: Entry) -> Hashable: ...


@dataclass
class Part(Generic[Entry]):
    """Consecutive lines of the file, parsed."""

    first_line: int
    last_line: int = 0
    entries: list[Entry] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    repeats: int = 0
    names_cleaned: int = 0
    """Lines of the part whose names lost direction or zero-width characters."""
    bytes_done: int = 0
    """Bytes of the file read up to the end of this part."""
    closes_batch: bool = False
    final: bool = False
    """The file's last part (it closes its batch too)."""
    packed: bytes = b""
    """The entries as the registry's ``pack`` wrote them (``entries`` is then empty)."""
    packed_entries: int = 0


def _why_not_json(raw: bytes) -> Wording:
    """Why a line is not JSON, in words people read (the field is ``line``)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return worded(N_("is not UTF-8 text (byte %(byte)s)"), byte=exc.start)
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        return worded(
            N_("is not valid JSON: %(error)s at column %(column)s"),
            error=exc.msg,
            column=exc.colno,
        )
    return worded(N_("is not valid JSON"))


def parsed_parts(
    path: Path, registry: EntryReader[Entry], batch_size: int, part_size: int | None = None
) -> Iterator[Part[Entry]]:
    """The file's lines as parsed parts of at most ``part_size`` lines (default: a batch).

    The last part yielded has ``final`` set (an empty file gives one empty part).
    """
    part_size = min(part_size or batch_size, batch_size)
    parse, key_of, content_of = registry.parse, registry.key, registry.fingerprint
    loads = orjson.loads

    def read_again(raw: bytes) -> tuple[Hashable, Hashable]:
        """Key and content of a line accepted earlier (its cleaning is not counted twice)."""
        cleaned = registry.cleaned_lines
        entry = parse(loads(raw))
        registry.cleaned_lines = cleaned
        return key_of(entry), content_of(entry)

    sightings = FirstSightings(path, read_again)
    bytes_done = line_no = 0
    pending: Part[Entry] | None = None
    with path.open("rb") as handle, closing(sightings):
        while lines := list(islice(handle, min(part_size, batch_size - line_no % batch_size))):
            part: Part[Entry] = Part(first_line=line_no + 1)
            cleaned_before = registry.cleaned_lines
            rejections = part.rejections
            local: dict[Hashable, tuple[int, Entry]] = {}  # key -> its first line here
            later: list[tuple[Hashable, int, Entry]] = []  # keys' other lines here
            offset = bytes_done
            for raw in lines:
                line_no += 1
                if line_no % _STRIDE == 1:
                    sightings.note_offset(line_no, offset)
                offset += len(raw)
                try:
                    record = loads(raw)
                    if type(record) is not dict:
                        raise InvalidInput("line", worded(N_("must be a JSON object")))
                    entry = parse(record)
                except InvalidInput as exc:
                    rejections.append(Rejection(line_no, exc.field, exc.reason, exc.wording))
                    continue
                except orjson.JSONDecodeError:
                    if raw.strip():
                        why = _why_not_json(raw)
                        rejections.append(Rejection(line_no, "line", why.english, why))
                    continue
                key = key_of(entry)
                if key in local:
                    later.append((key, line_no, entry))
                else:
                    local[key] = (line_no, entry)
            _settle_keys(part, local, later, sightings, registry)
            part.last_line = line_no
            part.names_cleaned = registry.cleaned_lines - cleaned_before
            bytes_done += sum(map(len, lines))
            part.bytes_done = bytes_done
            part.closes_batch = line_no % batch_size == 0
            if pending is not None:
                yield pending
            pending = part
    if pending is None:
        pending = Part(first_line=1)
    pending.closes_batch = pending.final = True
    yield pending


def _settle_keys(
    part: Part[Entry],
    local: dict[Hashable, tuple[int, Entry]],
    later: list[tuple[Hashable, int, Entry]],
    sightings: FirstSightings,
    registry: EntryReader[Entry],
) -> None:
    """The part's entries (each key's first line in the file), repeats and rejections.

    ``local`` holds each key's first line in the part, ``later`` its other lines. A key's
    later lines are compared with its first in the whole file: the same content is a
    repeat, different content a rejection naming that first line.
    """
    keys = list(local)
    firsts = list(local.values())
    earlier = sightings.first_sightings(keys, [line_no for line_no, _ in firsts])
    reference: dict[Hashable, tuple[int, Hashable]] = {}
    if not any(earlier):  # the usual case: every key is new to the file
        part.entries.extend(entry for _, entry in firsts)
    else:
        for key, (line_no, entry), first in zip(keys, firsts, earlier, strict=True):
            if first is None:
                part.entries.append(entry)
            else:
                later.append((key, line_no, entry))
                reference[key] = first
    content_of = registry.fingerprint
    for key, line_no, entry in later:
        first = reference.get(key)
        if first is None:
            first_line, first_entry = local[key]
            first = reference[key] = (first_line, content_of(first_entry))
        if content_of(entry) == first[1]:
            part.repeats += 1
            continue
        shown = " ".join(map(str, key)) if isinstance(key, tuple) else str(key)
        again = worded(
            N_("%(key)s already appears on line %(line)s with different content"),
            key=shown,
            line=first[0],
        )
        part.rejections.append(Rejection(line_no, registry.key_field, again.english, again))
    if later:
        part.rejections.sort(key=lambda rejection: rejection.line_no)


@contextmanager
def without_cycle_collector() -> Iterator[None]:
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


# -- parsing in a second process -----------------------------------------------------------


def _part_bytes(part: Part[Entry]) -> bytes:
    """A part as pickle bytes, written without pickle's memo.

    Named-tuple entries travel as plain tuples: pickle rebuilds a named tuple
    through its Python constructor, which cost more than parsing the line. (Better
    still, a registry's entries are plain tuples of strings and numbers, as a crossing
    load's are: a ``datetime`` costs pickle three constructor calls each way.) The
    memo (which lets an object referenced twice be written once) cost four times
    the rest of pickling for a part of small tuples; a part holds no reference
    cycles, and the few shared values (a report date, a state code) are simply
    written again.
    """
    entries = part.entries
    kind = type(entries[0]) if entries and isinstance(entries[0], tuple) else None
    if kind is tuple:
        kind = None  # plain tuples travel as they are
    if kind is not None:
        part.entries = [tuple(cast(tuple[Any, ...], entry)) for entry in entries]  # type: ignore[misc]
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True  # no memo (see above)
    pickler.dump((kind, part))
    return buffer.getvalue()


def _part_from_bytes(data: bytes | memoryview) -> Part[Any]:
    kind, part = pickle.loads(data)  # our own worker's bytes
    if kind is not None:
        new = tuple.__new__
        part.entries = [new(kind, values) for values in part.entries]
    return cast(Part[Any], part)


_PART, _DONE, _ERROR = b"P", b"D", b"E"


def _parse_in_worker(
    path: Path,
    registry: EntryReader[Entry],
    batch_size: int,
    part_size: int,
    reader: Connection,
    writer: Connection,
) -> None:
    """Worker process: parse the file and send its parts down a pipe until done.

    The pipe is written from this process's only thread: a ``multiprocessing.Queue``
    writes through a feeder thread, which fights the parser for the GIL. A write
    blocks while the loader is busy, so parsing stays a part ahead; if the loader
    dies (even by SIGKILL) the pipe breaks and this process ends.
    """
    reader.close()  # only the loader's copy of the read end stays open
    try:
        gc.disable()  # this process only parses: see without_cycle_collector
        pack = registry.pack if isinstance(registry, EntryPacker) else None
        try:
            for part in parsed_parts(path, registry, batch_size, part_size):
                if pack is not None and part.entries:
                    part.packed, part.packed_entries = pack(part.entries), len(part.entries)
                    part.entries = []
                writer.send_bytes(_PART + _part_bytes(part))
            writer.send_bytes(_DONE)
        except (BrokenPipeError, ConnectionResetError):
            raise
        except Exception as exc:  # reported to, and raised by, the loader
            writer.send_bytes(_ERROR + f"{type(exc).__name__}: {exc}".encode())
    except (BrokenPipeError, ConnectionResetError):
        os._exit(1)  # the loader is gone: nobody to hand anything to


def parsed_parts_in_worker(
    path: Path, registry: EntryReader[Entry], batch_size: int, part_size: int
) -> Iterator[Part[Entry]]:
    """``parsed_parts`` run in a second process while this one stores the parts."""
    # fork: the worker needs no import of the caller's main module; it only reads
    # the file and never touches the inherited database connections.
    context = (
        multiprocessing.get_context("fork")
        if "fork" in multiprocessing.get_all_start_methods()
        else multiprocessing.get_context("spawn")
    )
    reader, writer = context.Pipe(duplex=False)
    worker = context.Process(
        target=_parse_in_worker,
        args=(path, registry, batch_size, part_size, reader, writer),
        daemon=True,
    )
    worker.start()
    writer.close()  # the worker's end: a worker that dies closes the pipe
    try:
        while True:
            if not reader.poll(5.0):
                if not worker.is_alive():
                    raise RuntimeError("the parsing process stopped unexpectedly")
                continue
            try:
                message = reader.recv_bytes()
            except EOFError:
                raise RuntimeError("the parsing process stopped unexpectedly") from None
            tag, payload = message[:1], memoryview(message)[1:]
            if tag == _DONE:
                return
            if tag == _ERROR:
                raise RuntimeError(f"parsing {path} failed: {bytes(payload).decode()}")
            yield _part_from_bytes(payload)
    finally:
        reader.close()
        if worker.is_alive():
            worker.terminate()
        worker.join(timeout=5)
