"""Opening the node's database: engines, transactions, migrations.

SQLite runs in WAL mode with foreign keys on; a *write* transaction starts with
``BEGIN IMMEDIATE`` so that concurrent writers queue instead of failing half-way
(the audit chain needs one writer at a time), and writers of this program take
turns before it (``sqlite_writers``) rather than in SQLite's busy sleeps. PostgreSQL uses ordinary
transactions; the audit chain serialises on a row lock.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from importlib.resources import files
from pathlib import Path
from typing import Any

import orjson
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from passerelle.exc import PasserelleError
from passerelle.store.private_files import create_private_file, private_folder, warn_if_loose
from passerelle.store.sqlite_writers import WriterTurns

__all__ = ["Database", "DatabaseNotReady", "normalise_url"]


class DatabaseNotReady(PasserelleError):
    """The database cannot be used yet (unreachable, or not migrated to this version)."""


def json_text(value: Any) -> str:
    """JSON columns' text: compact, UTF-8 as is (an Arabic name stays readable in the table).

    Bulk loads write the same form, so a value reads back alike however it was written.
    """
    return orjson.dumps(value).decode()


def normalise_url(url: str) -> str:
    """The SQLAlchemy URL to use: plain ``postgresql://`` URLs get the psycopg 3 driver."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _private_database_file(path: Path) -> None:
    """Create the SQLite file empty and owner-only (0600) before SQLite opens it (SQLite
    would create it with the umask's mode); its journal and WAL files take its mode.
    An existing file keeps its mode, with a warning when group or others can reach it."""
    private_folder(path.parent)
    try:
        create_private_file(path)
    except FileExistsError:
        warn_if_loose(path)


def _sqlite_engine(url: str) -> Engine:
    database = make_url(url).database
    if database and database != ":memory:" and not database.startswith("file:"):
        _private_database_file(Path(database).expanduser())
    engine = create_engine(url, connect_args={"timeout": 30}, json_serializer=json_text)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (below)
        cursor = dbapi_connection.cursor()
        for pragma in (
            "journal_mode=WAL",
            "synchronous=NORMAL",
            "foreign_keys=ON",
            "busy_timeout=30000",
            "cache_size=-65536",  # 64 MiB: a million-document registry's indexes stay in memory
        ):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        options = connection.get_execution_options()
        if options.get("isolation_level") == "AUTOCOMMIT":
            return  # read-only unit of work: each statement stands alone
        connection.exec_driver_sql(f"BEGIN {options.get('sqlite_begin', 'DEFERRED')}")

    return engine


class Database:
    """One node database: its engine, read and write transactions, and its migration state."""

    def __init__(self, url: str) -> None:
        self.url = normalise_url(url)
        try:
            if self.url.startswith("sqlite"):
                self.engine = _sqlite_engine(self.url)
            else:
                # No pre-ping: it costs a round trip per request on the border check's
                # path; a connection found dead is discarded by the pool on first use.
                self.engine = create_engine(self.url, pool_recycle=1800, json_serializer=json_text)
        except (SQLAlchemyError, ValueError) as exc:
            raise DatabaseNotReady(f"cannot open database {self.safe_url}: {exc}") from exc
        writer = self.engine.execution_options(sqlite_begin="IMMEDIATE")
        self._reader = sessionmaker(self.engine, expire_on_commit=False)
        if self.is_sqlite:
            looker: Engine = self.engine.execution_options(isolation_level="AUTOCOMMIT")
        else:
            # A pool of its own whose connections stay in autocommit: switching a
            # pooled connection's isolation level back and forth costs round trips.
            self._lookup_engine = create_engine(
                self.url, pool_recycle=1800, isolation_level="AUTOCOMMIT", json_serializer=json_text
            )
            looker = self._lookup_engine
        self._looker = sessionmaker(looker, expire_on_commit=False)
        self._writer = sessionmaker(writer, expire_on_commit=False)
        self._turns: WriterTurns | None = None
        self._turns_released = False
        if self.is_sqlite:
            file = make_url(self.url).database
            on_disk = file and file != ":memory:" and not file.startswith("file::memory:")
            self._turns = WriterTurns.of(Path(file).expanduser() if on_disk and file else None)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def safe_url(self) -> str:
        """The URL with any password hidden, for messages."""
        return make_url(self.url).render_as_string(hide_password=True)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A transaction that commits when the block ends and rolls back on any error.

        On SQLite the writer first waits for its turn (``sqlite_writers``).
        """
        turn = self._turns.turn() if self._turns is not None else nullcontext()
        with turn, self._writer() as session, session.begin():
            yield session

    @contextmanager
    def lookup(self) -> Iterator[Session]:
        """A unit of work for one-statement look-ups: no transaction around it.

        A border look-up is a single indexed statement; skipping BEGIN/ROLLBACK
        saves two round trips on PostgreSQL. Anything that reads more than once
        and needs a consistent view uses ``read()``.
        """
        with self._looker() as session:
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only unit of work in one transaction (a consistent view; rolled back)."""
        with self._reader() as session:
            yield session

    @contextmanager
    def read_only(self) -> Iterator[Session]:
        """A read-only snapshot for long reads (the auditor's page, checkpoints) that never
        holds writers back: on SQLite a deferred transaction that only reads (WAL: readers
        and the writer do not wait for each other); on PostgreSQL ``REPEATABLE READ, READ
        ONLY`` (one snapshot for every statement, no row locks, any write refused)."""
        with self._reader() as session:
            if not self.is_sqlite:
                session.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"))
            yield session

    # -- migrations -----------------------------------------------------------------------

    def _alembic_config(self) -> Config:
        config = Config()
        config.set_main_option("script_location", str(files("passerelle.store") / "migrations"))
        config.set_main_option("sqlalchemy.url", self.url.replace("%", "%%"))
        return config

    def head_revision(self) -> str:
        head = ScriptDirectory.from_config(self._alembic_config()).get_current_head()
        assert head is not None, "the migrations folder holds no revision"
        return head

    def current_revision(self) -> str | None:
        try:
            with self.engine.connect() as connection:
                return MigrationContext.configure(connection).get_current_revision()
        except SQLAlchemyError as exc:
            raise DatabaseNotReady(f"cannot reach database {self.safe_url}: {exc}") from exc

    def upgrade(self, revision: str = "head") -> tuple[str | None, str | None]:
        """Migrate forward to ``revision`` (the newest schema by default).

        Returns the revision before and after.
        """
        return self._migrate(command.upgrade, revision)

    def downgrade(self, revision: str) -> tuple[str | None, str | None]:
        """Migrate back to ``revision`` (a release roll-back); data the older schema
        holds is kept. Returns the revision before and after."""
        return self._migrate(command.downgrade, revision)

    def _migrate(self, step: Any, revision: str) -> tuple[str | None, str | None]:
        before = self.current_revision()
        config = self._alembic_config()
        with self.engine.begin() as connection:
            config.attributes["connection"] = connection
            step(config, revision)
        return before, self.current_revision()

    def require_migrated(self) -> None:
        """Refuse to work on a database that is not at this version's schema."""
        current, head = self.current_revision(), self.head_revision()
        if current != head:
            state = "has no Passerelle schema" if current is None else f"is at schema {current}"
            raise DatabaseNotReady(
                f"database {self.safe_url} {state}; this node needs {head}: "
                "run `passerelle db upgrade`"
            )

    def dispose(self) -> None:
        self.engine.dispose()
        if self._turns is not None and not self._turns_released:
            self._turns.release()
            self._turns_released = True
        lookup_engine = getattr(self, "_lookup_engine", None)
        if lookup_engine is not None:
            lookup_engine.dispose()
