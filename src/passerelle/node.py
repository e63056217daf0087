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

from passerelle.keyring import KeyMissing, check_host_keys, load_biometric_key
from passerelle.settings import Settings
from passerelle.store.audit import AuditKeyMissing, AuditTrail, load_key
from passerelle.store.db import Database
from passerelle.store.private_files import private_folder, warn_if_loose
from passerelle.store.replica import AnalysisReads

if TYPE_CHECKING:
    from passerelle.biometrics.vault import TemplateVault

__all__ = ["Node", "analysis_reads", "open_node", "utc_now"]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Node:
    """One national node: its settings, database, audit trail and clock."""

    settings: Settings
    database: Database
    audit: AuditTrail
    clock: Callable[[], datetime] = field(default=utc_now)
    reads: AnalysisReads | None = None
    """Where the analysts' heavy reads run (the replica, when the node names one)."""

    @property
    def analysis(self) -> AnalysisReads:
        """The analysts' heavy reads: on the replica when configured, else on the primary."""
        if self.reads is None:
            self.reads = AnalysisReads(self.database)
        return self.reads

    @property
    def state(self) -> str:
        """The state this node serves (``PASSERELLE_NODE``): how partners and answers name it."""
        return self.settings.node

    def close(self) -> None:
        self.database.dispose()
        if self.reads is not None:
            self.reads.dispose()

    def template_vault(self) -> TemplateVault:
        """The vault sealing biometric templates, with the node's key (made by ``keys init``)."""
        from passerelle.biometrics import vault  # only biometric commands need cryptography

        path = self.settings.effective_biometric_key_file
        try:
            return vault.TemplateVault(load_biometric_key(path))
        except FileNotFoundError:
            raise KeyMissing("biometric", path, self.settings) from None


@contextmanager
def open_node(settings: Settings, *, migrated: bool = True, writing: bool = True) -> Iterator[Node]:
    """Open the node's database (refusing an unmigrated one unless ``migrated=False``).

    The host must hold the node's keys (``passerelle.keyring``): a missing audit or
    biometric key stops with :class:`~passerelle.keyring.KeyMissing`, a key that is not
    the node's (another fingerprint than the database records) with
    :class:`~passerelle.keyring.NotTheNodesKey`; no key is ever made here. Fingerprints
    the database lacks (a node set up before them) are adopted when ``writing`` (not for
    ``audit verify``); with ``migrated=False`` the keys are read but not compared.

    HOME and its keys folder are created owner-only (0700), a new SQLite database
    0600; existing ones with looser modes are logged as warnings, not changed.
    """
    private_folder(settings.home)
    warn_if_loose(settings.home, settings.keys_dir, settings.effective_audit_key_file)
    database = Database(settings.effective_database_url)
    reads: AnalysisReads | None = None
    try:
        reads = analysis_reads(settings, database)
        if migrated:
            database.require_migrated()
        try:
            key = load_key(settings.effective_audit_key_file)
        except AuditKeyMissing:
            raise KeyMissing("audit", settings.effective_audit_key_file, settings) from None
        audit = AuditTrail(key)
        if migrated:
            check_host_keys(settings, database, audit, adopt=writing, at=utc_now())
        yield Node(settings=settings, database=database, audit=audit, reads=reads)
    finally:
        database.dispose()
        if reads is not None:
            reads.dispose()


def analysis_reads(settings: Settings, primary: Database) -> AnalysisReads:
    """The analysts' heavy reads over ``primary`` and the replica the settings name
    (``PASSERELLE_REPLICA_DATABASE_URL``, ``_FALLBACK``, ``_RETRY_S``); no connection is
    opened here: a replica down at start is found at the first read."""
    url = settings.replica_database_url
    return AnalysisReads(
        primary,
        Database(url) if url else None,
        fallback=settings.replica_fallback,
        retry_s=settings.replica_retry_s,
    )
