"""What every host of the node must see: change counters moved by triggers, saved catalogues.

- ``store_changes``: one row per watched table (``name``) with a ``counter`` that
  every write to the table moves, in the writing transaction.
- Triggers on ``watchlist_persons``, ``alerts``, ``partner_alerts`` and
  ``biometric_templates`` move it: on PostgreSQL once per statement (``INSERT``,
  ``UPDATE``, ``DELETE``, ``TRUNCATE``: a ``COPY`` of a million rows moves it once);
  SQLite has only row triggers, so once per row written there. The row is created
  at the first write (an upsert), so an emptied ``store_changes`` starts again.

- ``saved_catalogues``: each catalogue file saved from the administrators' page
  (text, SHA-256, when, by whom); the highest id is in force on every host.

A host that built an index from a table reads the counter (a primary-key read)
to know whether any host wrote the table since. The downgrade drops the triggers,
their function and the table; nothing else is touched.

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-07 19:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None

_WATCHED = ("watchlist_persons", "alerts", "partner_alerts", "biometric_templates")
_FUNCTION = "passerelle_count_change"

_PG_FUNCTION = f"""
CREATE FUNCTION {_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO store_changes (name, counter) VALUES (TG_TABLE_NAME, 1)
    ON CONFLICT (name) DO UPDATE SET counter = store_changes.counter + 1;
    RETURN NULL;
END
$$
"""


def upgrade() -> None:
    op.create_table(
        "store_changes",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("counter", sa.BigInteger(), nullable=False, server_default="0"),
    )
    op.create_table(
        "saved_catalogues",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("saved_by", sa.String(128), nullable=False),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_FUNCTION)
        for table in _WATCHED:
            op.execute(
                f"CREATE TRIGGER {table}_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {_FUNCTION}()"
            )
        return
    for table in _WATCHED:
        for event in ("INSERT", "UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_{event.lower()}_changes AFTER {event} ON {table} "
                "BEGIN INSERT INTO store_changes (name, counter) "
                f"VALUES ('{table}', 1) ON CONFLICT (name) "
                "DO UPDATE SET counter = counter + 1; END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in _WATCHED:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_changes ON {table}")
        op.execute(f"DROP FUNCTION IF EXISTS {_FUNCTION}()")
    else:
        for table in _WATCHED:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_{event}_changes")
    op.drop_table("saved_catalogues")
    op.drop_table("store_changes")
