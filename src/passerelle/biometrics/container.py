"""One-file containers for 1:N gallery indexes: named sections and a manifest.

A gallery index (faces or fingerprints) is a cache of the store's sealed
templates, saved so that a node restarts without rebuilding it. The file is

    MAGIC | section | section | ... | manifest (JSON) | manifest length, MAGIC

where the manifest names every section's offset and length, the format
version and whatever the gallery needs to restore itself. It is written to a
temporary file in the same folder, flushed to disk, and renamed over the old
one (then the folder is synced), so a crash leaves the old file or the new
one, never half of one. Reading checks both magics, the trailer and the
format version, and refuses anything else with
``InvalidInput("path", reason)``.
"""

from __future__ import annotations

import json
import os
import struct
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from passerelle.exc import InvalidInput

__all__ = ["Container", "Section", "open_container", "save_container"]

_TRAILER = struct.Struct("<Q8s")  # manifest length, magic

Section = tuple[str, Callable[[IO[bytes]], object]]
"""A section's name and the function writing its bytes to the open file."""


def save_container(
    path: str | os.PathLike[str],
    magic: bytes,
    sections: Sequence[Section],
    manifest: dict[str, Any],
) -> None:
    """Write ``sections`` then ``manifest`` (with a ``sections`` table added) atomically."""
    if len(magic) != 8:
        raise ValueError("magic must be 8 bytes")
    target = Path(path)
    descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=target.name)
    try:
        with open(descriptor, "wb") as out:
            out.write(magic)
            table: dict[str, list[int]] = {}
            for name, write in sections:
                start = out.tell()
                write(out)
                table[name] = [start, out.tell() - start]
            text = json.dumps({**manifest, "sections": table}).encode()
            out.write(text + _TRAILER.pack(len(text), magic))
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    directory = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


class Container:
    """An open container: its manifest and its sections, read on demand."""

    def __init__(self, source: IO[bytes], manifest: dict[str, Any]) -> None:
        self.source = source
        self.manifest = manifest

    def span(self, name: str) -> tuple[int, int]:
        """Where section ``name`` starts and how long it is; the file is positioned at its start."""
        try:
            start, length = self.manifest["sections"][name]
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidInput("path", f"has no {name} section") from exc
        self.source.seek(start)
        return int(start), int(length)

    def read(self, name: str) -> bytes:
        """Section ``name``'s bytes (refusing a short read)."""
        _, length = self.span(name)
        data = self.source.read(length)
        if len(data) != length:
            raise InvalidInput("path", "is truncated")
        return data

    def read_into(self, name: str, target: memoryview) -> None:
        """Fill ``target`` (bytes, exactly the section's length) without an extra copy."""
        _, length = self.span(name)
        if length != target.nbytes:
            raise InvalidInput("path", f"{name} section does not match the manifest")
        if not length:  # an empty view (zeros in its shape) cannot be cast
            return
        view = target.cast("B")
        while length and (got := self.source.readinto(view[-length:])):  # type: ignore[attr-defined]
            length -= got
        if length:
            raise InvalidInput("path", "is truncated")


@contextmanager
def open_container(
    path: str | os.PathLike[str], magic: bytes, format_version: int, what: str
) -> Iterator[Container]:
    """Open a container written with ``magic``; ``what`` names it in refusals.

    Errors raised while the caller reads it (a missing key, a bad value) are
    reported as a damaged file, not as a crash.
    """
    with open(path, "rb") as source:
        size = source.seek(0, os.SEEK_END)
        source.seek(0)
        if size < len(magic) + _TRAILER.size or source.read(len(magic)) != magic:
            raise InvalidInput("path", f"is not a Passerelle {what}")
        source.seek(size - _TRAILER.size)
        length, trailer_magic = _TRAILER.unpack(source.read(_TRAILER.size))
        if trailer_magic != magic or length > size:
            raise InvalidInput("path", "is truncated or damaged")
        source.seek(size - _TRAILER.size - length)
        try:
            manifest = json.loads(source.read(length))
        except ValueError as exc:
            raise InvalidInput("path", "has a damaged manifest") from exc
        if not isinstance(manifest, dict) or manifest.get("format") != format_version:
            found = manifest.get("format") if isinstance(manifest, dict) else None
            raise InvalidInput("path", f"format {found} is not supported")
        try:
            yield Container(source, manifest)
        except (KeyError, TypeError, ValueError, RuntimeError) as exc:
            if isinstance(exc, InvalidInput):
                raise
            raise InvalidInput("path", f"is damaged ({type(exc).__name__})") from exc
