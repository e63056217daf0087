"""The node's keys as provisioned secrets: which they are, who makes them, and whether a
host holds the node's own.

=============  ==============================  ==========================================
key            file (``PASSERELLE_KEYS_DIR``)  made by
=============  ==============================  ==========================================
``audit``      ``audit.key``                   ``passerelle keys init`` (a new node)
``biometric``  ``biometric.key``               ``passerelle keys init`` (a new node)
``signing``    ``node-ed25519.pem``            ``passerelle node init --state CODE``
=============  ==============================  ==========================================

No other command makes a key. A host that lacks the audit or biometric key refuses to
open the node (:class:`KeyMissing`), naming the file and what provides it; a host of a
node with several hosts gets the node's key folder copied from its first host.

The database holds a *fingerprint* of each key (``node_keys``): the HMAC-SHA256 of a
fixed label under the key, which tells keys apart and gives nothing of them away. A
host whose key has another fingerprint than the node's refuses to open it
(:class:`NotTheNodesKey`) before it writes a record sealed with the wrong key. A node set
up before the fingerprints adopts the keys of the first host that opens it, noted in
the audit trail (``node.keys_adopted``), after checking that its audit key seals the
chain's head.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from passerelle.exc import ConfigurationError
from passerelle.settings import Settings
from passerelle.store.audit import Actor, AuditKeyMissing, AuditTrail, create_key, load_key
from passerelle.store.db import Database, DatabaseNotReady
from passerelle.store.node_keys import RecordedHow, record_fingerprints, recorded_fingerprints
from passerelle.store.private_files import create_private_file
from passerelle.store.tables import AuditHead, BiometricTemplate

__all__ = [
    "KEYS_ACTOR",
    "HostKey",
    "KeyMissing",
    "KeyName",
    "KeysInit",
    "NodeKeyExists",
    "NotTheNodesKey",
    "check_host_keys",
    "create_biometric_key",
    "host_keys",
    "init_keys",
    "key_fingerprint",
    "load_biometric_key",
    "record_rotated_signing_key",
    "record_signing_key",
    "recorded_signing_key",
]

KeyName = Literal["audit", "biometric", "signing"]
SIGNING_KEY_FILE = "node-ed25519.pem"
"""The signing identity's private key in the keys folder (``federation.protocol.identity``)."""
_LABEL = b"passerelle:node-key-fingerprint:v1"
KEYS_ACTOR = Actor(name="system:keys", kind="system", role="node")
_MADE_BY: dict[KeyName, str] = {
    "audit": "passerelle keys init",
    "biometric": "passerelle keys init",
    "signing": "passerelle node init --state CODE",
}


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
            f"`{_MADE_BY[name]}`; for another host of a node, {_copy_hint(settings)}"
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


def _read(name: KeyName, path: Path) -> bytes | None:
    try:
        if name == "audit":
            return load_key(path)
        if name == "biometric":
            return load_biometric_key(path)
        return path.read_bytes().strip()
    except (AuditKeyMissing, FileNotFoundError):
        return None
    except OSError as exc:
        raise ConfigurationError(f"cannot read the {name} key {path}: {exc}") from exc


def _paths(settings: Settings) -> dict[KeyName, Path]:
    return {
        "audit": settings.effective_audit_key_file,
        "biometric": settings.effective_biometric_key_file,
        "signing": _signing_key_file(settings),
    }


def host_keys(settings: Settings) -> tuple[HostKey, ...]:
    """The node's keys as this host holds them: each file and its fingerprint (or None)."""
    held = []
    for name, path in _paths(settings).items():
        material = _read(name, path)
        held.append(HostKey(name, path, key_fingerprint(material) if material else None))
    return tuple(held)


def _audit_key_problem(session: Session, audit: AuditTrail) -> str | None:
    """Why the audit key does not seal the chain's head (None when it does, or no head)."""
    head = session.get(AuditHead, 1)
    return None if head is None else audit.head_problem(head)


def _compare(held: tuple[HostKey, ...], recorded: dict[str, str], settings: Settings) -> None:
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
    """Refuse unless this host holds the node's audit and biometric keys
    (:class:`KeyMissing`) and, when ``adopt`` (a host about to write), unless each key it
    holds, the signing key included, has the fingerprint the database records
    (:class:`NotTheNodesKey`).

    Keys whose fingerprint the database does not hold yet (a node set up before the
    fingerprints) are then recorded, with a ``node.keys_adopted`` audit record, once the
    audit key is shown to seal the chain's head. Without ``adopt`` (``audit verify``, which
    only reads) nothing is compared: a wrong audit key is what the verification reports.
    """
    held = host_keys(settings)
    for key in held:
        if key.fingerprint is None and key.name != "signing":
            raise KeyMissing(key.name, key.path, settings)
    if not adopt:  # a reader (``audit verify``) writes nothing: a wrong key is its finding
        return held
    with database.read() as session:
        recorded = recorded_fingerprints(session)
    _compare(held, recorded, settings)
    if all(k.fingerprint is None or k.name in recorded for k in held):
        return held
    with database.write() as session:
        session.scalars(select(AuditHead).where(AuditHead.id == 1).with_for_update()).one()
        recorded = recorded_fingerprints(session)  # another host may have adopted meanwhile
        _compare(held, recorded, settings)
        _adopt(session, held, recorded, audit, how="adopted", at=at, settings=settings)
    return held


def _adopt(
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


def record_rotated_signing_key(session: Session, keys_dir: Path, *, at: datetime) -> None:
    """Record the fingerprint of the signing key now in ``keys_dir`` as the node's, in
    ``session``'s transaction: a rotation (``node rotate-key``) made it the node's key.
    Every other host needs the new key folder before it writes again."""
    material = _read("signing", keys_dir / SIGNING_KEY_FILE)
    if material is not None:
        record_fingerprints(session, {"signing": key_fingerprint(material)}, how="rotated", at=at)


def recorded_signing_key(database: Database) -> bool | None:
    """Whether the database records a signing key for the node (None: no migrated database
    yet, the key is then adopted by the first host that opens the node)."""
    try:
        database.require_migrated()
    except DatabaseNotReady:
        return None
    with database.read() as session:
        return "signing" in recorded_fingerprints(session)


def record_signing_key(database: Database, keys_dir: Path, *, at: datetime) -> None:
    """Record the signing key just made in ``keys_dir`` (``node init``) as the node's."""
    with database.write() as session:
        record_rotated_signing_key(session, keys_dir, at=at)


@dataclass(frozen=True, slots=True)
class KeysInit:
    """What ``passerelle keys init`` did: the keys it made and those it recorded."""

    created: tuple[KeyName, ...]
    recorded: tuple[KeyName, ...]
    held: tuple[HostKey, ...]


def _refuse_new(name: KeyName, session: Session, recorded: dict[str, str]) -> str | None:
    """Why the node must not get a new ``name`` key here (None when it may)."""
    if name in recorded:
        return "the database records the node's key (made on another host)"
    if name == "audit":
        head = session.get(AuditHead, 1)
        if head is not None and head.seq > 0:
            return f"the audit chain holds {head.seq} records sealed with the node's key"
    if name == "biometric":
        count = session.scalar(select(func.count()).select_from(BiometricTemplate))
        if count:
            return f"the database holds {count} biometric templates sealed with the node's key"
    return None


def init_keys(settings: Settings, database: Database, *, at: datetime) -> KeysInit:
    """Make the audit and biometric keys a new node lacks and record every key's fingerprint.

    The only place keys are made besides the signing identity (``node init``). A key
    the node already has (its fingerprint recorded, records or templates sealed with it)
    is never made again here: :class:`NodeKeyExists` says to copy the key folder. Keys
    already on this host are checked against the database (:class:`NotTheNodesKey`) and
    their missing fingerprints recorded. The database must be migrated.
    """
    paths = _paths(settings)
    created: list[KeyName] = []
    with database.write() as session:
        session.scalars(select(AuditHead).where(AuditHead.id == 1).with_for_update()).one()
        recorded = recorded_fingerprints(session)
        for name in ("audit", "biometric"):
            path = paths[name]
            if _read(name, path) is not None:
                continue
            why = _refuse_new(name, session, recorded)
            if why:
                raise NodeKeyExists(name, path, why, settings)
            if name == "audit":
                create_key(path)
            else:
                create_biometric_key(path)
            created.append(name)
        held = host_keys(settings)
        _compare(held, recorded, settings)
        audit_key = load_key(paths["audit"])
        recorded_now = _adopt(
            session,
            held,
            recorded,
            AuditTrail(audit_key),
            how="init",
            at=at,
            settings=settings,
            created=tuple(created),
        )
    return KeysInit(created=tuple(created), recorded=recorded_now, held=held)
