"""The watchlist's screening index saved beside the node, so a restart does not rebuild it.

Building the index of a million persons takes a minute or more of one CPU, and
every server worker needs one: a border post's node restarted after an update
would answer nothing meanwhile. The built index is saved in ``HOME/cache``; a
worker that finds a saved index for the watchlist as it stands loads it instead.

The file is the index's Python objects (the distinct names, dates and tables:
pickled) followed by its arrays (each person's numbers and id, the postings) as
raw bytes, each aligned on 64 bytes. A worker maps the file and its arrays are
views of the mapping: nothing of them is read or copied at start, the pages are
shared by every worker of the host (the kernel's page cache), and ten million
persons start in seconds (``bench/name_speed.py --size``).

Each host keeps its own cache (its ``HOME``); nothing in it is shared between
hosts, and a host that finds none builds from the store once.

A saved index is used only when it was built from the same watchlist state
(the day and the table's change counter, :class:`WatchlistState`, with the person
count and the latest change read when it was built, for a database restored to an
older counter) by
the same name-screening code (a digest of ``passerelle.names``' sources), both
written into the file's name. Workers starting together take turns on a lock
file: the first builds and saves, the others wait and load. The folder is the
node's own (0700; files 0600), like its keys: whoever can write there can
already replace the node's keys, and nothing from elsewhere is ever loaded.
Any failure to read or write the cache is logged and the index is built as if
there were none.
"""

from __future__ import annotations

import fcntl
import gc
import hashlib
import logging
import mmap
import os
import pickle
import struct
from collections.abc import Callable
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import BinaryIO

from passerelle.names import ScreeningIndex

__all__ = ["IndexCache"]

log = logging.getLogger(__name__)

_PREFIX = "watchlist-index-"
_SUFFIX = ".index"
_MAGIC = b"PASSERELLE-NAME-INDEX-2\n"
_ALIGN = 64


@lru_cache(maxsize=1)
def _code_digest() -> str:
    """A digest of the name-screening code: a saved index is not loaded by other code."""
    digest = hashlib.sha256()
    package = files("passerelle.names")
    for entry in sorted(package.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".py"):
            digest.update(entry.name.encode())
            digest.update(entry.read_bytes())
    return digest.hexdigest()[:16]


class _Turn:
    """The lock file workers take turns on to build (opened now, locked on ``with``)."""

    def __init__(self, path: Path) -> None:
        self._fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)

    def __enter__(self) -> None:
        fcntl.flock(self._fd, fcntl.LOCK_EX)

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the lock file (which releases the lock, if held)."""
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


class IndexCache:
    """Saved screening indexes in ``folder`` (``HOME/cache``)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path_for(self, state: object) -> Path:
        """The file of the index built from ``state`` (any value with a stable ``repr``)."""
        key = hashlib.sha256(f"{_code_digest()}|{state!r}".encode()).hexdigest()[:24]
        return self.folder / f"{_PREFIX}{key}{_SUFFIX}"

    def load_or_build(self, state: object, build: Callable[[], ScreeningIndex]) -> ScreeningIndex:
        """The saved index of ``state``, or ``build()``'s, saved for the next worker."""
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            turn = self._turn()
        except OSError as exc:
            log.warning("watchlist.index_cache_unusable", extra={"error": str(exc)})
            return build()
        path = self.path_for(state)
        saved = self._load(path)  # no turn needed to read a file replaced atomically
        if saved is not None:
            turn.close()
            return saved
        with turn:
            saved = self._load(path)  # saved by the worker whose turn this waited for
            if saved is not None:
                return saved
            index = build()
            self._save(path, index)
            return index

    def _turn(self) -> _Turn:
        return _Turn(self.folder / "watchlist-index.lock")

    def _load(self, path: Path) -> ScreeningIndex | None:
        if not path.exists():
            return None
        # A million persons are tens of millions of objects: with the cyclic collector
        # running as they arrive, loading takes four times as long; and the first
        # collection after it would walk them all (seconds). They live as long as the
        # index: frozen, collections leave them out (freed as usual when it is dropped).
        collecting = gc.isenabled()
        gc.disable()
        try:
            index = _read(path)
            gc.freeze()
        except Exception as exc:  # a torn or foreign file: build instead
            log.warning("watchlist.index_cache_unreadable", extra={"error": type(exc).__name__})
            return None
        finally:
            if collecting:
                gc.enable()
        if not isinstance(index, ScreeningIndex):
            return None
        log.info("watchlist.index_loaded", extra={"persons": len(index)})
        return index

    def _save(self, path: Path, index: ScreeningIndex) -> None:
        partial = path.with_suffix(".partial")
        try:
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
            with os.fdopen(fd, "wb") as handle:
                _write(handle, index)
            os.replace(partial, path)
        except Exception as exc:  # a full disk must not stop the node from serving
            log.warning("watchlist.index_cache_not_saved", extra={"error": type(exc).__name__})
            partial.unlink(missing_ok=True)
            return
        for old in self.folder.glob(f"{_PREFIX}*"):
            if old != path and old.suffix in (_SUFFIX, ".pickle"):
                old.unlink(missing_ok=True)  # a mapping still open keeps its pages


def _padding(at: int) -> int:
    return -at % _ALIGN


def _write(handle: BinaryIO, index: ScreeningIndex) -> None:
    """The index as: magic, the lengths (objects, then each array's), the pickled
    objects, then each array's bytes, each starting on a 64-byte boundary."""
    arrays: list[pickle.PickleBuffer] = []
    objects = pickle.dumps(index, protocol=5, buffer_callback=arrays.append)
    sizes = [objects.__len__(), *(memoryview(a).nbytes for a in arrays)]
    head = _MAGIC + struct.pack(f"<Q{len(sizes)}Q", len(sizes), *sizes)
    handle.write(head)
    at = len(head)
    chunks: list[bytes | pickle.PickleBuffer] = [objects, *arrays]
    for chunk in chunks:
        handle.write(b"\0" * _padding(at))
        at += _padding(at)
        view = memoryview(chunk).cast("B")
        handle.write(view)
        at += view.nbytes


def _read(path: Path) -> object:
    """What :func:`_write` saved, its arrays views of the file mapped read-only."""
    with path.open("rb") as handle:
        mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    view = memoryview(mapped)
    if bytes(view[: len(_MAGIC)]) != _MAGIC:
        raise ValueError("not a saved name index")
    at = len(_MAGIC)
    (count,) = struct.unpack_from("<Q", view, at)
    sizes = struct.unpack_from(f"<{count}Q", view, at + 8)
    at += 8 + 8 * count
    chunks = []
    for size in sizes:
        at += _padding(at)
        if at + size > len(view):
            raise ValueError("a saved name index cut short")
        chunks.append(view[at : at + size])
        at += size
    return pickle.loads(chunks[0], buffers=chunks[1:])
