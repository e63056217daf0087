"""Provisioning the node's keys: ``keys init`` makes those a new node lacks and records
every fingerprint; ``node init`` and the rotations record the keys they made
(``passerelle.keyring``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from passerelle.keyring.host import (
    MADE_AT_INIT,
    SIGNING_KEY_FILE,
    HostKey,
    KeyMaker,
    KeyName,
    NodeKeyExists,
    adopt_fingerprints,
    compare_fingerprints,
    create_biometric_key,
    host_keys,
    key_fingerprint,
    key_paths,
    read_key,
)
from passerelle.settings import Settings
from passerelle.store.audit import AuditTrail, create_key, load_key
from passerelle.store.db import Database, DatabaseNotReady
from passerelle.store.node_keys import record_fingerprints, recorded_fingerprints
from passerelle.store.tables import AuditHead, BiometricTemplate

__all__ = [
    "KeysInit",
    "init_keys",
    "record_node_keys",
    "record_rotated_key",
    "record_rotated_signing_key",
    "record_signing_key",
    "recorded_key",
    "recorded_signing_key",
]


def record_rotated_signing_key(session: Session, keys_dir: Path, *, at: datetime) -> None:
    """Record the fingerprint of the signing key now in ``keys_dir`` as the node's, in
    ``session``'s transaction: a rotation (``node rotate-key``) made it the node's key.
    Every other host needs the new key folder before it writes again."""
    record_rotated_key(session, "signing", keys_dir / SIGNING_KEY_FILE, at=at)


def record_rotated_key(session: Session, name: KeyName, path: Path, *, at: datetime) -> None:
    """Record the fingerprint of the ``name`` key now in ``path`` as the node's, in
    ``session``'s transaction (a rotation made it the node's key; nothing when absent)."""
    material = read_key(name, path)
    if material is not None:
        record_fingerprints(session, {name: key_fingerprint(material)}, how="rotated", at=at)


def record_node_keys(
    database: Database, settings: Settings, names: tuple[KeyName, ...], *, at: datetime
) -> None:
    """Record the fingerprints of the ``names`` keys just made on this host (``node init``)
    as the node's."""
    paths = key_paths(settings)
    with database.write() as session:
        for name in names:
            record_rotated_key(session, name, paths[name], at=at)


def recorded_signing_key(database: Database) -> bool | None:
    """Whether the database records a signing key for the node (None: no migrated database
    yet, the key is then adopted by the first host that opens the node)."""
    return recorded_key(database, "signing")


def recorded_key(database: Database, name: KeyName) -> bool | None:
    """Whether the database records the node's ``name`` key (None: no migrated database
    yet, the key is then adopted by the first host that opens the node)."""
    try:
        database.require_migrated()
    except DatabaseNotReady:
        return None
    with database.read() as session:
        return name in recorded_fingerprints(session)


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


def init_keys(
    settings: Settings,
    database: Database,
    *,
    at: datetime,
    makers: Mapping[KeyName, KeyMaker] | None = None,
) -> KeysInit:
    """Make the keys a new node lacks and record every key's fingerprint.

    The audit and biometric keys are made here; the checkpoint and sealing keys by
    ``makers`` (the composition root's: ``wiring.node_keys``; a key without a maker is
    not made). The only place keys are made besides the signing identity (``node init``).
    A key the node already has (its fingerprint recorded, records or templates sealed
    with it) is never made again here: :class:`NodeKeyExists` says to copy the key
    folder. Keys already on this host are checked against the database
    (:class:`NotTheNodesKey`) and their missing fingerprints recorded. The database
    must be migrated.
    """
    paths = key_paths(settings)
    made_by: dict[KeyName, KeyMaker] = {
        "audit": _made(create_key),
        "biometric": _made(create_biometric_key),
        **(makers or {}),
    }
    created: list[KeyName] = []
    with database.write() as session:
        session.scalars(select(AuditHead).where(AuditHead.id == 1).with_for_update()).one()
        recorded = recorded_fingerprints(session)
        for name in MADE_AT_INIT:
            path, maker = paths[name], made_by.get(name)
            if maker is None or read_key(name, path) is not None:
                continue
            why = _refuse_new(name, session, recorded)
            if why:
                raise NodeKeyExists(name, path, why, settings)
            if maker(path):
                created.append(name)
        held = host_keys(settings)
        compare_fingerprints(held, recorded, settings)
        audit_key = load_key(paths["audit"])
        recorded_now = adopt_fingerprints(
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


def _made(create: Callable[[Path], bytes]) -> KeyMaker:
    def make(path: Path) -> bool:
        create(path)
        return True

    return make
