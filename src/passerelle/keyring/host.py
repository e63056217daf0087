"""A host's hold of the node's keys: which keys, where, their fingerprints, and the check
a host passes before it opens the node (``passerelle.keyring``)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from passerelle.exc import ConfigurationError
from passerelle.settings import Settings
from passerelle.store.audit import Actor, AuditKeyMissing, AuditTrail, load_key
from passerelle.store.db import Database
from passerelle.store.node_keys import RecordedHow, record_fingerprints, recorded_fingerprints
from passerelle.store.private_files import create_private_file
from passerelle.store.tables import AuditHead

__all__ = [
    "CHECKPOINT_KEY_FILE",
    "KEYS_ACTOR",
    "MADE_AT_INIT",
    "SEALING_KEY_FILE",
    "SIGNING_KEY_FILE",
    "HostKey",
    "KeyMaker",
    "KeyMissing",
    "KeyName",
    "NodeKeyExists",
    "NotTheNodesKey",
    "adopt_fingerprints",
    "check_host_keys",
    "compare_fingerprints",
    "create_biometric_key",
    "host_keys",
    "key_fingerprint",
    "key_paths",
    "load_biometric_key",
    "read_key",
]

KeyName = Literal["audit", "biometric", "checkpoint", "signing", "sealing"]
SIGNING_KEY_FILE = "node-ed25519.pem"
"""The signing identity's private key in the keys folder (``federation.protocol.identity``)."""
CHECKPOINT_KEY_FILE = "audit-checkpoint/node-ed25519.pem"
"""The dedicated audit-checkpoint key (``wiring.audit_anchoring``), an Ed25519 identity of
its own in a folder of the keys folder."""
SEALING_KEY_FILE = "node-x25519.pem"
"""The federation sealing key (``federation.protocol.sealing``)."""
_LABEL = b"passerelle:node-key-fingerprint:v1"
KEYS_ACTOR = Actor(name="system:keys", kind="system", role="node")
_MADE_BY: dict[KeyName, str] = {
    "audit": "`passerelle keys init`",
    "biometric": "`passerelle keys init`",
    "checkpoint": "`passerelle keys init`",
    "signing": "`passerelle node init --state CODE`",
    "sealing": "`passerelle keys init`",
}
_ALWAYS_NEEDED: frozenset[KeyName] = frozenset({"audit", "biometric"})
"""Keys a host needs even when the database records none (a node set up before them)."""
_NEEDED_ONCE_RECORDED: frozenset[KeyName] = frozenset({"checkpoint", "sealing", "signing"})
"""Keys a host needs once the node has one (its fingerprint recorded): every host's
checkpoints, sealed parts and signed answers must be the node's."""
MADE_AT_INIT: tuple[KeyName, ...] = ("audit", "biometric", "checkpoint", "sealing")

KeyMaker = Callable[[Path], bool]
"""Makes a key in the file given, never replacing one (False: one was there already)."""


def key_fingerprint(key: bytes) -> str:
    """The key's fingerprint: HMAC-SHA256 of a fixed label under it, in hex.

    Two hosts holding one key give one fingerprint; the fingerprint reveals nothing
    of the key (it is not a hash of the key itself).
    """
    return hmac.new(key, _LABEL, hashlib.sha256).hexdigest()


def _short(fingerprint: str) -> str:
    return fingerprint[:16]


def _copy_hint(settings: Settings) -> str:
    return (
        f"copy the node's key folder from its first host into {settings.keys_dir} "
        "(PASSERELLE_KEYS_DIR)"
    )


class KeyMissing(ConfigurationError):
    """This host lacks one of the node's keys: the node is not opened, no key is made up."""

    def __init__(self, name: KeyName, path: Path, settings: Settings) -> None:
        super().__init__(
            f"this host lacks the node's {name} key ({path}): for a new node run "
            f"{_MADE_BY[name]}; for another host of a node, {_copy_hint(settings)}"
        )
        self.name, self.path = name, path


class NotTheNodesKey(ConfigurationError):
    """This host holds a key of the same name that is not the node's (another fingerprint)."""

    def __init__(self, name: KeyName, path: Path, why: str, settings: Settings) -> None:
        super().__init__(
            f"this host's {name} key is not the node's: {path} {why}; writing with it would "
            f"break the node's records; {_copy_hint(settings)}"
        )
        self.name, self.path = name, path


class NodeKeyExists(ConfigurationError):
    """``keys init`` was asked for a key the node already has elsewhere."""

    def __init__(self, name: KeyName, path: Path, why: str, settings: Settings) -> None:
        super().__init__(
            f"not creating the {name} key {path}: {why}; a new key would not open what "
            f"the node holds; {_copy_hint(settings)}"
        )
        self.name, self.path = name, path


@dataclass(frozen=True, slots=True)
class HostKey:
    """One of the node's keys as this host holds it (the key itself is not kept here)."""

    name: KeyName
    path: Path
    fingerprint: str | None
    """None when the file is not on this host."""


def load_biometric_key(path: Path) -> bytes:
    """The 32-byte key sealing biometric templates; :class:`FileNotFoundError` when absent."""
    try:
        key = path.read_bytes()
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise ConfigurationError(f"cannot read biometric key {path}: {exc}") from exc
    if len(key) != 32:
        raise ConfigurationError(f"biometric key {path} must hold 32 bytes, not {len(key)}")
    return key


def create_biometric_key(path: Path) -> bytes:
    """A new biometric key (32 random bytes) in ``path``, 0600 in a 0700 folder; refuses to
    replace a file. Only :func:`init_keys` makes one for a node."""
    key = secrets.token_bytes(32)
    try:
        create_private_file(path, key)
    except OSError as exc:
        raise ConfigurationError(f"cannot create biometric key {path}: {exc}") from exc
    return key


def _signing_key_file(settings: Settings) -> Path:
    return settings.keys_dir / SIGNING_KEY_FILE


def read_key(name: KeyName, path: Path) -> bytes | None:
    """The key's material (the file's bytes for the PEM keys), None when it is absent."""
    try:
        if name == "audit":
            return load_key(path)
        if name == "biometric":
            return load_biometric_key(path)
        return path.read_bytes().strip() or None
    except (AuditKeyMissing, FileNotFoundError):
        return None
    except OSError as exc:
        raise ConfigurationError(f"cannot read the {name} key {path}: {exc}") from exc


def key_paths(settings: Settings) -> dict[KeyName, Path]:
    return {
        "audit": settings.effective_audit_key_file,
        "biometric": settings.effective_biometric_key_file,
        "checkpoint": settings.keys_dir / CHECKPOINT_KEY_FILE,
        "signing": _signing_key_file(settings),
        "sealing": settings.keys_dir / SEALING_KEY_FILE,
    }


def host_keys(settings: Settings) -> tuple[HostKey, ...]:
    """The node's keys as this host holds them: each file and its fingerprint (or None)."""
    held = []
    for name, path in key_paths(settings).items():
        material = read_key(name, path)
        held.append(HostKey(name, path, key_fingerprint(material) if material else None))
    return tuple(held)


def _audit_key_problem(session: Session, audit: AuditTrail) -> str | None:
    """Why the audit key does not seal the chain's head (None when it does, or no head)."""
    head = session.get(AuditHead, 1)
    return None if head is None else audit.head_problem(head)


def compare_fingerprints(
    held: tuple[HostKey, ...], recorded: dict[str, str], settings: Settings
) -> None:
    for key in held:
        node_has = recorded.get(key.name)
        if key.fingerprint is not None and node_has is not None and key.fingerprint != node_has:
            why = (
                f"has fingerprint {_short(key.fingerprint)}, the database records "
                f"{_short(node_has)} for the node"
            )
            raise NotTheNodesKey(key.name, key.path, why, settings)


def check_host_keys(
    settings: Settings,
    database: Database,
    audit: AuditTrail,
    *,
    adopt: bool,
    at: datetime,
) -> tuple[HostKey, ...]:
    """Refuse unless this host holds the node's audit and biometric keys, and its
    checkpoint and sealing keys when the database records them (:class:`KeyMissing`),
    and, when ``adopt`` (a host about to write), unless each key it holds, the signing
    key included, has the fingerprint the database records (:class:`NotTheNodesKey`).

    Keys whose fingerprint the database does not hold yet (a node set up before the
    fingerprints) are then recorded, with a ``node.keys_adopted`` audit record, once the
    audit key is shown to seal the chain's head. Without ``adopt`` (``audit verify``, which
    only reads) nothing is compared: a wrong audit key is what the verification reports.
    """
    held = host_keys(settings)
    _refuse_missing(held, {}, settings)
    with database.read() as session:
        recorded = recorded_fingerprints(session)
    _refuse_missing(held, recorded, settings)
    if not adopt:  # a reader (``audit verify``) writes nothing: a wrong key is its finding
        return held
    compare_fingerprints(held, recorded, settings)
    if all(k.fingerprint is None or k.name in recorded for k in held):
        return held
    with database.write() as session:
        session.scalars(select(AuditHead).where(AuditHead.id == 1).with_for_update()).one()
        recorded = recorded_fingerprints(session)  # another host may have adopted meanwhile
        compare_fingerprints(held, recorded, settings)
        adopt_fingerprints(session, held, recorded, audit, how="adopted", at=at, settings=settings)
    return held


def _refuse_missing(
    held: tuple[HostKey, ...], recorded: Mapping[str, str], settings: Settings
) -> None:
    """:class:`KeyMissing` for the first key this host lacks and needs."""
    for key in held:
        needed = key.name in _ALWAYS_NEEDED or (
            key.name in _NEEDED_ONCE_RECORDED and key.name in recorded
        )
        if key.fingerprint is None and needed:
            raise KeyMissing(key.name, key.path, settings)


def adopt_fingerprints(
    session: Session,
    held: tuple[HostKey, ...],
    recorded: dict[str, str],
    audit: AuditTrail,
    *,
    how: RecordedHow,
    at: datetime,
    settings: Settings,
    created: tuple[KeyName, ...] = (),
) -> tuple[KeyName, ...]:
    """Record the fingerprints the database lacks, audited; the names recorded."""
    news: dict[str, str] = {
        k.name: k.fingerprint for k in held if k.fingerprint and k.name not in recorded
    }
    if not news and not created:
        return ()
    if "audit" in news:
        problem = _audit_key_problem(session, audit)
        if problem:
            path = settings.effective_audit_key_file
            raise NotTheNodesKey(
                "audit", path, f"does not seal the audit chain ({problem})", settings
            )
    record_fingerprints(session, news, how=how, at=at)
    audit.record(
        session,
        actor=KEYS_ACTOR,
        action="node.keys_initialised" if how == "init" else "node.keys_adopted",
        at=at,
        result={
            "recorded": sorted(news),
            "created": list(created),
            "fingerprints": {name: _short(value) for name, value in sorted(news.items())},
        },
    )
    names: tuple[KeyName, ...] = tuple(k.name for k in held if k.name in news)
    return names
