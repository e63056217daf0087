"""Wiring a node together from its settings: database, audit trail and clock.

The CLI and the API open a node the same way; domain code receives the parts
it needs (a session, the audit trail, the time) rather than reading settings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from passerelle.settings import Settings
from passerelle.store.audit import AuditKeyMissing, AuditTrail, create_key, load_key
from passerelle.store.db import Database
from passerelle.store.private_files import private_folder, warn_if_loose
from passerelle.store.tables import AuditRecord

if TYPE_CHECKING:
    from passerelle.biometrics.vault import TemplateVault

__all__ = ["Node", "open_node", "utc_now"]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Node:
    """One national node: its settings, database, audit trail and clock."""

    settings: Settings
    database: Database
    audit: AuditTrail
    clock: Callable[[], datetime] = field(default=utc_now)

    @property
    def state(self) -> str:
        """The state this node serves (``PASSERELLE_NODE``): how partners and answers name it."""
        return self.settings.node

    def close(self) -> None:
        self.database.dispose()

    def template_vault(self) -> TemplateVault:
        """The vault sealing biometric templates, with the node's key (created on first use)."""
        from passerelle.biometrics import vault  # only biometric commands need cryptography

        key = vault.load_or_create_vault_key(self.settings.effective_biometric_key_file)
        return vault.TemplateVault(key)


def _chain_is_empty(database: Database) -> bool:
    """Whether the audit chain holds no record (or has no table yet: a node being set up)."""
    try:
        with database.read() as session:
            return not session.scalar(select(func.count()).select_from(AuditRecord))
    except SQLAlchemyError:
        return True


def _audit_key(settings: Settings, database: Database, *, create: bool) -> bytes:
    """The audit key; created (0600) only when ``create`` and the chain is still empty.

    A missing key for a chain that has records is reported, never replaced: a
    new key would seal nothing already written and make every record look broken.
    """
    path = settings.effective_audit_key_file
    try:
        return load_key(path)
    except AuditKeyMissing:
        if not create or not _chain_is_empty(database):
            raise
        return create_key(path)


@contextmanager
def open_node(
    settings: Settings, *, migrated: bool = True, create_audit_key: bool = True
) -> Iterator[Node]:
    """Open the node's database (refusing an unmigrated one unless ``migrated=False``).

    Setting up: HOME and its keys folder are created owner-only (0700), a new
    SQLite database and the audit key owner-only (0600); existing ones with
    looser modes are logged as warnings, not changed. The audit key is created
    only for an empty chain, and never with ``create_audit_key=False``
    (``audit verify``): a missing key then stops with :class:`AuditKeyMissing`.
    """
    private_folder(settings.home)
    warn_if_loose(settings.home, settings.keys_dir, settings.effective_audit_key_file)
    database = Database(settings.effective_database_url)
    try:
        if migrated:
            database.require_migrated()
        key = _audit_key(settings, database, create=create_audit_key)
        yield Node(settings=settings, database=database, audit=AuditTrail(key))
    finally:
        database.dispose()
