"""The node's memory: registries, crossings, alerts and the audit trail (SQLAlchemy 2).

Two backends, one schema: a SQLite file in ``PASSERELLE_HOME`` (the embedded
default, for a crossing point or a demo) and PostgreSQL (production), both
migrated by Alembic (``passerelle db upgrade``). Registries keep their history
(a document's status change is a new version, not an overwrite), bulk loads
commit per batch and are idempotent, and every search, load, change and
disclosure is written to a keyed hash chain that ``passerelle audit verify``
proves intact.

The tables are defined in ``passerelle.store.tables``, one module per area;
the other modules here are the repositories that read and write them.
"""

from passerelle.store.audit import Actor, AuditTrail, ChainVerdict
from passerelle.store.db import Database, DatabaseNotReady

__all__ = ["Actor", "AuditTrail", "ChainVerdict", "Database", "DatabaseNotReady"]
