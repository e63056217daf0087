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

from passerelle.settings import Settings
from passerelle.store.audit import AuditTrail, load_or_create_key
from passerelle.store.db import Database

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


@contextmanager
def open_node(settings: Settings, *, migrated: bool = True) -> Iterator[Node]:
    """Open the node's database (refusing an unmigrated one unless ``migrated=False``)."""
    database = Database(settings.effective_database_url)
    try:
        if migrated:
            database.require_migrated()
        key = load_or_create_key(settings.effective_audit_key_file)
        yield Node(settings=settings, database=database, audit=AuditTrail(key))
    finally:
        database.dispose()
