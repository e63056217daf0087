"""The demo's base folder and the small moves every mesh makes: pure helpers.

``fresh_base`` (the base folder, emptied if a previous demo left it),
``stop_all`` (SIGTERM every server, then wait), ``in_parallel`` (jobs side by
side, the first failure raised once all ended), ``public_key_line`` (the key
line ``node init`` printed), ``json_lines`` (a loader's file) and
``write_logins`` (the users' passwords, mode 0600).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from passerelle.federation_demo.processes import ServedProcess, StepFailed

if TYPE_CHECKING:
    from passerelle.federation_demo.mesh import Login

__all__ = [
    "MARKER",
    "fresh_base",
    "in_parallel",
    "json_lines",
    "public_key_line",
    "stop_all",
    "write_logins",
]

MARKER = ".passerelle-federation-demo"
"""The file that marks a base folder as the demo's own (it is emptied before a new run)."""


def fresh_base(base: Path) -> None:
    """Make ``base`` an empty demo folder: created, or emptied if a previous demo left it."""
    if base.exists() and any(base.iterdir()):
        if not (base / MARKER).is_file():
            raise StepFailed("base", f"{base} is not empty and not a federation demo folder")
        for child in base.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
    base.mkdir(parents=True, exist_ok=True)
    (base / MARKER).write_text("made by passerelle federation demo; emptied by the next run\n")


def stop_all(servers: Sequence[ServedProcess]) -> None:
    """SIGTERM every server at once, then wait for each (killed if it takes too long)."""
    for server in servers:
        server.terminate()
    for server in servers:
        server.stop()


def in_parallel(jobs: Sequence[Callable[[], object]], *, workers: int | None = None) -> None:
    """Run ``jobs`` side by side; the first failure is raised once all have ended."""
    with ThreadPoolExecutor(max_workers=workers or max(1, len(jobs))) as pool:
        futures = [pool.submit(job) for job in jobs]
    for future in futures:
        future.result()


def public_key_line(said: str, state: str) -> str:
    """The ``ed25519 STATE KEY`` line ``node init`` printed."""
    for line in said.splitlines():
        if line.startswith("public key: "):
            return line.removeprefix("public key: ").strip()
    raise StepFailed(f"{state} node init", "printed no public key")


def json_lines(path: Path, records: Iterable[dict[str, Any]]) -> Path:
    """``records`` written to ``path`` one JSON object a line (the loaders' format)."""
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    return path


def write_logins(path: Path, logins: Iterable[Login]) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        kept = [
            {"node": x.state, "name": x.name, "role": x.role, "password": x.password}
            for x in logins
        ]
        json.dump(kept, out, indent=2)
        out.write("\n")
