"""Each watchlist person's revision: which rows changed since an index was built, found reliably.

- ``watchlist_persons.revision``: the watchlist's change counter (``store_changes``,
  0030) as it stood when the row was last inserted or updated, stamped by triggers
  in the writing transaction; ``ix_watchlist_persons_revision`` finds the rows
  above a watermark. Rows written before this revision read 0.
- PostgreSQL: a statement trigger moves the counter *before* the rows are written
  (the counter's row lock is then held to the commit, so writers of the table stamp
  in their commit order) and keeps the value in a transaction-local setting; a row
  trigger copies it into ``NEW.revision`` (a ``COPY`` of a million rows moves the
  counter once and reads the setting per row).
- SQLite: writers are serialised by the database lock; row triggers set the
  revision to the counter after each insert and each update that did not set it.

A host that read the counter ``c`` and then the rows with ``revision >= c`` (the
bound included: a row stamped ``c`` in a transaction that committed later) has
seen every change, whatever the clocks of the hosts that wrote them.

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-08 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0032"
down_revision = "0031"
branch_labels = None
depends_on = None

_SETTING = "passerelle.watchlist_revision"

_PG_STATEMENT = f"""
CREATE FUNCTION passerelle_watchlist_revision() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    moved bigint;
BEGIN
    INSERT INTO store_changes (name, counter) VALUES ('watchlist_persons', 1)
    ON CONFLICT (name) DO UPDATE SET counter = store_changes.counter + 1
    RETURNING counter INTO moved;
    PERFORM set_config('{_SETTING}', moved::text, true);
    RETURN NULL;
END
$$
"""

_PG_ROW = f"""
CREATE FUNCTION passerelle_watchlist_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.revision := current_setting('{_SETTING}')::bigint;
    RETURN NEW;
END
$$
"""

_SQLITE_STAMP = (
    "UPDATE watchlist_persons SET revision = COALESCE((SELECT counter FROM store_changes"
    " WHERE name = 'watchlist_persons'), 0) WHERE rowid = NEW.rowid"
)


def upgrade() -> None:
    op.add_column(
        "watchlist_persons",
        sa.Column("revision", sa.BigInteger(), nullable=False, server_default="0"),
    )
    op.create_index("ix_watchlist_persons_revision", "watchlist_persons", ["revision"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_STATEMENT)
        op.execute(_PG_ROW)
        op.execute(
            "CREATE TRIGGER watchlist_persons_revision BEFORE INSERT OR UPDATE "
            "ON watchlist_persons FOR EACH STATEMENT "
            "EXECUTE FUNCTION passerelle_watchlist_revision()"
        )
        op.execute(
            "CREATE TRIGGER watchlist_persons_stamp BEFORE INSERT OR UPDATE "
            "ON watchlist_persons FOR EACH ROW EXECUTE FUNCTION passerelle_watchlist_stamp()"
        )
        return
    op.execute(
        "CREATE TRIGGER watchlist_persons_insert_revision AFTER INSERT ON watchlist_persons "
        f"BEGIN {_SQLITE_STAMP}; END"
    )
    # the stamp's own update sets the revision: it does not fire this again
    op.execute(
        "CREATE TRIGGER watchlist_persons_update_revision AFTER UPDATE ON watchlist_persons "
        f"WHEN NEW.revision IS OLD.revision BEGIN {_SQLITE_STAMP}; END"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS watchlist_persons_stamp ON watchlist_persons")
        op.execute("DROP TRIGGER IF EXISTS watchlist_persons_revision ON watchlist_persons")
        op.execute("DROP FUNCTION IF EXISTS passerelle_watchlist_stamp()")
        op.execute("DROP FUNCTION IF EXISTS passerelle_watchlist_revision()")
    else:
        op.execute("DROP TRIGGER IF EXISTS watchlist_persons_insert_revision")
        op.execute("DROP TRIGGER IF EXISTS watchlist_persons_update_revision")
    op.drop_index("ix_watchlist_persons_revision", table_name="watchlist_persons")
    # not a batch (a copy of the table on SQLite would lose 0030's triggers on it)
    op.execute("ALTER TABLE watchlist_persons DROP COLUMN revision")
