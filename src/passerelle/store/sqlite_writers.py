"""Writers of one SQLite file take turns in a queue the kernel wakes, not in SQLite's sleeps.

SQLite lets one writer at a time hold a database; a second ``BEGIN IMMEDIATE``
finds it busy and its busy handler *sleeps* before trying again: 1, 2, 5, 10,
15, 20, 25 ms and on. A writer arriving just after another began waits for its
sleep to end, not for the other to commit: on a border post's node (two server
workers, threads in each, every inspection a write) those sleeps were most of
the time an inspection spent, and grew into the seconds under load.

:class:`WriterTurns` queues writers first on a lock per process (threads) and
then on an ``flock`` of a file beside the database (processes): the kernel
hands the turn to the next waiter as soon as it is released, and ``BEGIN
IMMEDIATE`` then finds the database free. Processes that do not take turns
(``sqlite3`` in a shell, another program) still meet SQLite's busy handler, as
before. A thread that writes while it already holds its turn (a nested write
transaction) passes: the inner ``BEGIN IMMEDIATE`` meets the outer one in
SQLite, which refuses it after the busy time-out, as it always did. That holds
across the ``Database`` objects of one process too: they share the turns of a
file (:meth:`WriterTurns.of`), since a second ``flock`` on another descriptor of
the same file would wait for the first one forever.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ClassVar

__all__ = ["WriterTurns"]


class WriterTurns:
    """Turns to write one SQLite database file (``database``: its path; None in memory)."""

    _of_file: ClassVar[dict[Path, WriterTurns]] = {}
    _of_file_lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, database: Path | None) -> None:
        self._database = database
        self._path = database.with_name(database.name + "-writers") if database else None
        self._lock = threading.Lock()
        self._held = threading.local()
        self._fd: int | None = None
        self._fd_pid = 0
        self._users = 0

    @classmethod
    def of(cls, database: Path | None) -> WriterTurns:
        """The turns of ``database`` in this process (one object per file; a new one for
        each in-memory database)."""
        if database is None:
            return cls(None)
        key = database.resolve()
        with cls._of_file_lock:
            turns = cls._of_file.get(key)
            if turns is None:
                turns = cls._of_file[key] = cls(key)
            turns._users += 1
            return turns

    def release(self) -> None:
        """One ``Database`` no longer uses these turns; the last one closes the lock file."""
        with self._of_file_lock:
            self._users -= 1
            if self._users > 0 or self._database is None:
                return
            if self._of_file.get(self._database) is self:
                del self._of_file[self._database]
        with self._lock:
            if self._fd is not None and self._fd_pid == os.getpid():
                os.close(self._fd)
            self._fd = None

    @contextmanager
    def turn(self) -> Iterator[None]:
        """Wait for this thread's turn to write, and hold it for the block."""
        if getattr(self._held, "depth", 0):
            self._held.depth += 1
            try:
                yield
            finally:
                self._held.depth -= 1
            return
        with self._lock:
            fd = self._file()
            if fd is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)
            self._held.depth = 1
            try:
                yield
            finally:
                self._held.depth = 0
                if fd is not None:
                    fcntl.flock(fd, fcntl.LOCK_UN)

    def _file(self) -> int | None:
        """The lock file's descriptor in this process (opened again after a fork)."""
        if self._path is None:
            return None
        if self._fd is None or self._fd_pid != os.getpid():
            self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            self._fd_pid = os.getpid()
        return self._fd
