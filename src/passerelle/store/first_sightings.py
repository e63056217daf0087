"""Where each key of a load's file first appeared, in 12 to 24 bytes a line held.

A load rejects a key seen earlier in the same file with different content, naming the
line it first appeared on, and counts a repeat with the same content as unchanged. A
Python dict of keys cost ~380 bytes a line in the parsing process: 3.8 GiB at
10,000,000 lines, more than the machine's memory at Interpol's 100,000,000. Here each
key is held as its 64-bit hash and its first line number in an open-addressing table
(numpy arrays, linear probing, grown by doubling), filled a part at a time. Doubling
needs the old and new tables and the probe's arrays for a moment: 835 MB resident at
the peak of a 10,000,000-line SLTD load (the dict held ~3.8 GiB by then).

A hash seen before is only a *candidate*: the first line is read again from the file
(every 1,024th line's byte offset is kept to find it), parsed, and its key and content
compared exactly. Files rarely repeat keys, so this costs nothing on a clean file; two
different keys with one hash (about one chance in 3,000 over 100,000,000 lines) are
told apart the same way and the later one kept, exactly, in a small dict.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from itertools import islice
from pathlib import Path
from typing import BinaryIO

import numpy as np

__all__ = ["STRIDE", "FirstSightings"]

_MASK = (1 << 64) - 1
STRIDE = 1024
"""Every this many lines, the byte offset where a line starts is kept."""

Sighting = tuple[int, Hashable]
"""A key's first line and its content."""


class FirstSightings:
    """The first line and content of every key of a file read in order."""

    def __init__(
        self,
        path: Path,
        read_line: Callable[[bytes], tuple[Hashable, Hashable]],
        *,
        capacity: int = 1 << 20,
    ) -> None:
        """``read_line(raw)`` gives (key, content) of a line a part had accepted."""
        self._read_line = read_line
        self._path = path
        self._file: BinaryIO | None = None
        self._slots = np.zeros(capacity, dtype=np.uint64)
        self._lines = np.zeros(capacity, dtype=np.uint32)  # 0: the slot is free
        self._count = 0
        self._starts: list[int] = []  # byte offset of lines 1, 1 + STRIDE, 1 + 2 STRIDE…
        self._others: dict[Hashable, Sighting] = {}  # keys whose hash an earlier key holds

    def note_offset(self, line_no: int, offset: int) -> None:
        """Where line ``line_no`` starts (called for every line; kept every ``STRIDE``)."""
        if (line_no - 1) % STRIDE == 0:
            self._starts.append(offset)

    def first_sightings(
        self, keys: Sequence[Hashable], lines: Sequence[int]
    ) -> list[Sighting | None]:
        """For each key (distinct within the call, lines ascending): None if the file had
        not shown it before (it is recorded at its line), else its first (line, content)."""
        hashes = np.fromiter((hash(k) & _MASK for k in keys), dtype=np.uint64, count=len(keys))
        found = self._insert(hashes, np.asarray(lines, dtype=np.uint32))
        answers: list[Sighting | None] = [None] * len(keys)
        for i in np.flatnonzero(found).tolist():
            key = keys[i]
            first_key, content = self._read_line(self._line(int(found[i])))
            if first_key == key:
                answers[i] = (int(found[i]), content)
            elif key in self._others:
                answers[i] = self._others[key]
            else:  # another key holds this hash: this one is new, kept exactly
                self._others[key] = (lines[i], self._read_line(self._line(lines[i]))[1])
        return answers

    def _insert(
        self, hashes: np.ndarray, lines: np.ndarray, *, distinct: bool = False
    ) -> np.ndarray:
        """Record each hash not in the table; the line holding each one that was (0: new).
        ``distinct``: the caller knows the hashes differ from each other."""
        if (self._count + len(hashes)) * 4 > len(self._slots) * 3:
            self._grow(self._count + len(hashes))
        found = np.zeros(len(hashes), dtype=np.uint32)
        if not distinct and len(np.unique(hashes)) < len(
            hashes
        ):  # one hash twice in a part: one at a time
            for i in range(len(hashes)):
                found[i : i + 1] = self._insert(hashes[i : i + 1], lines[i : i + 1])
            return found
        mask = np.uint64(len(self._slots) - 1)
        slot = hashes & mask
        pending = np.arange(len(hashes))
        while pending.size:
            at = slot[pending]
            held = self._lines[at]
            free = held == 0
            same = ~free & (self._slots[at] == hashes[pending])
            found[pending[same]] = held[same]
            claims, winner = np.unique(at[free], return_index=True)
            winners = pending[free][winner]
            self._slots[claims], self._lines[claims] = hashes[winners], lines[winners]
            self._count += len(winners)
            taken = ~free & ~same
            slot[pending[taken]] = (at[taken] + np.uint64(1)) & mask
            losers = np.setdiff1d(pending[free], winners, assume_unique=True)
            pending = np.concatenate((pending[taken], losers))
        return found

    def _grow(self, needed: int) -> None:
        size = len(self._slots)
        while needed * 4 > size * 3:
            size *= 2
        used = self._lines != 0
        hashes, lines = self._slots[used], self._lines[used]
        self._slots = np.zeros(size, dtype=np.uint64)
        self._lines = np.zeros(size, dtype=np.uint32)
        self._count = 0
        self._insert(hashes, lines, distinct=True)  # the table held each hash once

    def _line(self, line_no: int) -> bytes:
        """Line ``line_no`` of the file, read again."""
        if self._file is None:
            self._file = self._path.open("rb")
        index, skip = divmod(line_no - 1, STRIDE)
        self._file.seek(self._starts[index])
        return next(islice(self._file, skip, None))

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
