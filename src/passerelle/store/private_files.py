"""The node's private files: HOME and its keys folder owner-only (0700), the SQLite
database and every key file owner-only (0600), whatever the process umask.

Modes are set when a file or folder is created (``os.open`` with ``O_EXCL`` and
the mode, an explicit ``chmod`` on new folders), never by trusting the umask.
Existing files and folders are not changed: a looser mode is logged as a warning
at start (``looser_than_owner_only``), so an operator who chose it keeps it and
one who did not learns of it.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

__all__ = [
    "FOLDER_MODE",
    "KEY_MODE",
    "create_private_file",
    "looser_than_owner_only",
    "private_folder",
    "warn_if_loose",
]

FOLDER_MODE = 0o700
KEY_MODE = 0o600

log = logging.getLogger("passerelle.files")


def private_folder(path: Path) -> Path:
    """``path`` as a folder, its missing parts created owner-only (0700)."""
    missing: list[Path] = []
    current = path
    while not current.exists():
        missing.append(current)
        current = current.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=FOLDER_MODE)
        except FileExistsError:
            continue  # another process made it meanwhile: its mode is its own
        os.chmod(folder, FOLDER_MODE)  # mkdir's mode is filtered by the umask
    return path


def create_private_file(path: Path, data: bytes = b"") -> None:
    """Create ``path`` owner-only (0600) holding ``data``; refuse if it exists (``O_EXCL``)."""
    private_folder(path.parent)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, KEY_MODE)
    try:
        os.fchmod(descriptor, KEY_MODE)  # the umask may only have narrowed it; be exact
        with os.fdopen(descriptor, "wb") as handle:
            descriptor = -1
            handle.write(data)
    finally:
        if descriptor != -1:
            os.close(descriptor)


def looser_than_owner_only(path: Path) -> bool:
    """Whether ``path`` exists and its group or others hold any permission on it."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return bool(stat.S_IMODE(mode) & 0o077)


def warn_if_loose(*paths: Path) -> list[Path]:
    """Log a warning for each existing path readable or writable beyond its owner."""
    loose = [path for path in paths if looser_than_owner_only(path)]
    for path in loose:
        log.warning(
            "%s has mode %o: group or others can reach it; run chmod %s %s",
            path,
            stat.S_IMODE(path.stat().st_mode),
            "700" if path.is_dir() else "600",
            path,
        )
    return loose
