"""The demo node's users: one per role, with passwords drawn once and kept beside the node.

A demo must be usable without reading a manual, and must not ship a password
anyone could guess: each role gets a user named after it (``officer``,
``supervisor``, ``analyst``, ``admin``, ``auditor``) with a random password, written to
``HOME/demo-logins.json`` (readable by its owner only) and printed when the demo
starts. Running the demo again reuses them; a user whose password was lost from
the file gets a new one (its web sessions end, as ``passerelle user passwd``
does).
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from passerelle.access import AccessControl
from passerelle.node import Node
from passerelle.store.audit import Actor

__all__ = ["DEMO_ROLES", "DemoLogin", "ensure_demo_users"]

DEMO_ROLES = ("officer", "supervisor", "analyst", "admin", "auditor")
LOGINS_FILE = "demo-logins.json"


@dataclass(frozen=True, slots=True)
class DemoLogin:
    """A demo user's name, role and password (demo only: printed to whoever started it)."""

    name: str
    role: str
    password: str


def _read_kept(path: Path) -> dict[str, str]:
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(kept, dict):
        return {}
    return {str(name): str(password) for name, password in kept.items()}


def _write_kept(path: Path, logins: list[DemoLogin]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        json.dump({login.name: login.password for login in logins}, out, indent=2)
        out.write("\n")


def ensure_demo_users(node: Node, *, by: Actor) -> list[DemoLogin]:
    """One enabled user per role in ``DEMO_ROLES``, created or repaired; their logins."""
    path = node.settings.home / LOGINS_FILE
    kept = _read_kept(path)
    access = AccessControl.for_node(node)
    logins: list[DemoLogin] = []
    for role in DEMO_ROLES:
        name = role
        password = kept.get(name)
        user = access.user(name)
        if user is None:
            password = password or secrets.token_urlsafe(12)
            access.add_user(name, role, password, by=by)
        elif password is None:
            password = secrets.token_urlsafe(12)
            access.change_password(name, password, by=by)
        if user is not None and not user.enabled:
            access.enable_user(name, by=by)
        logins.append(DemoLogin(name, user.role if user else role, password))
    _write_kept(path, logins)
    return logins
