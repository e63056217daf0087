"""The node's memory: registries, crossings, alerts and the audit trail (SQLAlchemy 2).

Two backends, one schema: a SQLite file in ``PASSERELLE_HOME`` (the embedded
default, for a crossing point or a demo) and PostgreSQL (production), both
migrated by Alembic (``passerelle db upgrade``). Registries keep their history
(a document's status change is a new version, not an overwrite), bulk loads
commit per batch and are idempotent, and every search, load, change and
disclosure is written to a keyed hash chain that ``passerelle audit verify``
proves intact.
"""

# ``exchange_tables``, ``inspections`` and ``users`` are imported for their tables: they
# join ``models.Base``'s metadata whichever store module is imported first (migrations
# compare against it).
from passerelle.store import exchange_tables as _exchange_tables  # noqa: F401
from passerelle.store import inspections as _inspections  # noqa: F401
from passerelle.store import users as _users  # noqa: F401
from passerelle.store.audit import Actor, AuditTrail, ChainVerdict
from passerelle.store.db import Database, DatabaseNotReady

__all__ = ["Actor", "AuditTrail", "ChainVerdict", "Database", "DatabaseNotReady"]
