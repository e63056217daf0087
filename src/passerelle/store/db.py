"""Opening the node's database: engines, transactions, migrations.

SQLite runs in WAL mode with foreign keys on; a *write* transaction starts with
``BEGIN IMMEDIATE`` so that concurrent writers queue instead of failing half-way
(the audit chain needs one writer at a time), and writers of this program take
turns before it (``sqlite_writers``) rather than in SQLite's busy sleeps. PostgreSQL uses ordinary
transactions; the audit chain serialises on a row lock.

Faults are translated where the driver raises them (``handle_error``): a server that
is down, restarting or cut off raises ``DatabaseUnreachable``, a full disk
``DatabaseFull``, both ``DatabaseNotReady`` (503 at the API, exit 3 at the CLI).
The failed unit of work is rolled back; the pool drops the dead connections, and
PostgreSQL connections are pinged when taken from the pool, so the node carries on
by itself once the server is back (docs/operator-guide.md, "When the database fails").
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
from sqlalchemy.engine import ExceptionContext, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from passerelle.exc import PasserelleError
from passerelle.store.private_files import create_private_file, private_folder, warn_if_loose
from passerelle.store.sqlite_writers import WriterTurns

__all__ = [
    "Database",
    "DatabaseFault",
    "DatabaseFull",
    "DatabaseNotReady",
    "DatabaseUnreachable",
    "normalise_url",
]


class DatabaseNotReady(PasserelleError):
    """The database cannot be used yet (unreachable, or not migrated to this version)."""


class DatabaseFault(DatabaseNotReady):
    """The database failed under a unit of work, which was rolled back; ``what`` says how
    in a few words (for a finding or a message), the message adds the database and the
    driver's reason."""

    what = "the node's database failed"
    remedy = "try again later"

    def __init__(self, safe_url: str, reason: str, *, what: str | None = None) -> None:
        self.what = what or self.what
        super().__init__(f"{self.what} ({safe_url}: {reason}); {self.remedy}")
        self.reason = reason


class DatabaseUnreachable(DatabaseFault):
    """The database server is down, restarting, or the connection to it was cut."""

    what = "the node's database could not be reached"
    remedy = (
        "the node tries it again at every request and command: meanwhile officers refer "
        "travellers and check by hand, and record by hand what could not be recorded"
    )


class DatabaseFull(DatabaseFault):
    """The database could not be written: its disk (or a quota, or a file-size limit) is full."""

    what = "the node's database could not be written: its disk is full"
    remedy = "free space on the database's disk, then run the command again"


_SERVER_GONE = ("08", "57P01", "57P02", "57P03")
"""PostgreSQL states of a connection that failed or a server shutting down or starting up."""

_SQLITE_FULL = ("SQLITE_FULL", "SQLITE_IOERR_WRITE", "SQLITE_IOERR_FSYNC", "SQLITE_IOERR_TRUNCATE")
"""SQLite errors of a file that cannot grow (ENOSPC gives FULL; a quota or RLIMIT_FSIZE an
I/O error on write)."""

_REFUSED_WRITE = (
    "the node's database could not be written: the system refused the write "
    "(a full disk, a quota or a file-size limit, or a failing disk)"
)


def database_fault(
    error: BaseException, backend: str, safe_url: str, *, is_disconnect: bool, connecting: bool
) -> DatabaseFault | None:
    """The fault a driver's ``error`` stands for on ``backend`` (``sqlite``, ``postgresql``),
    or ``None`` for an ordinary error (a constraint, a lock, a bad statement), which goes
    on as raised. ``is_disconnect``: the driver says the connection is dead;
    ``connecting``: the error came while opening one."""
    reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    if backend == "sqlite":
        name = getattr(error, "sqlite_errorname", None)
        if name == "SQLITE_FULL":
            return DatabaseFull(safe_url, reason)
        if name in _SQLITE_FULL:
            return DatabaseFull(safe_url, reason, what=_REFUSED_WRITE)
        return None
    state = getattr(error, "sqlstate", None) or ""
    if state == "53100":  # disk_full
        return DatabaseFull(safe_url, reason)
    gone = is_disconnect or state.startswith(_SERVER_GONE)
    if gone or (connecting and type(error).__name__ == "OperationalError"):
        return DatabaseUnreachable(safe_url, reason)
    return None


def _translate_faults(engine: Engine, safe_url: str) -> None:
    @event.listens_for(engine, "handle_error")
    def _on_error(context: ExceptionContext) -> BaseException | None:
        if context.is_pre_ping:
            return None  # the pool replaces the dead connection itself
        fault = database_fault(
            context.original_exception,
            context.dialect.name,
            safe_url,
            is_disconnect=context.is_disconnect,
            connecting=context.connection is None,
        )
        if isinstance(fault, DatabaseUnreachable):
            context.is_disconnect = True  # the pool drops its other connections too
        return fault


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


POSTGRES_CONNECT_TIMEOUT_S = 5
"""How long a connection to PostgreSQL may take to open unless the URL says otherwise
(``?connect_timeout=N``): a server cut off by the network answers the officer in seconds
with "could not be reached", not after the system's TCP timeout of minutes."""


def _postgres_connect_args(url: str) -> dict[str, Any]:
    if "connect_timeout" in make_url(url).query:
        return {}
    return {"connect_timeout": POSTGRES_CONNECT_TIMEOUT_S}


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
                # Pre-ping: a connection the server dropped (a restart, a fail-over) is
                # replaced when taken from the pool instead of failing the officer's
                # inspection; the ping is an empty statement, one loopback round trip.
                self.engine = create_engine(
                    self.url,
                    pool_pre_ping=True,
                    pool_recycle=1800,
                    connect_args=_postgres_connect_args(self.url),
                    json_serializer=json_text,
                )
        except (SQLAlchemyError, ValueError) as exc:
            raise DatabaseNotReady(f"cannot open database {self.safe_url}: {exc}") from exc
        _translate_faults(self.engine, self.safe_url)
        writer = self.engine.execution_options(sqlite_begin="IMMEDIATE")
        self._reader = sessionmaker(self.engine, expire_on_commit=False)
        if self.is_sqlite:
            looker: Engine = self.engine.execution_options(isolation_level="AUTOCOMMIT")
        else:
            # A pool of its own whose connections stay in autocommit: switching a
            # pooled connection's isolation level back and forth costs round trips.
            self._lookup_engine = create_engine(
                self.url,
                pool_pre_ping=True,
                pool_recycle=1800,
                connect_args=_postgres_connect_args(self.url),
                isolation_level="AUTOCOMMIT",
                json_serializer=json_text,
            )
            _translate_faults(self._lookup_engine, self.safe_url)
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
