"""Shared fixtures: ICAO specimen MRZs (ICAO Doc 9303 Parts 4-7) and the day of the checks."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from passerelle.documents import split_documents

FIXTURES = Path(__file__).parent / "fixtures"
AS_OF = date(2026, 11, 25)


@pytest.fixture(scope="session")
def icao_specimens() -> dict[str, str]:
    """The ICAO specimens by name: td3, td1, td2, mrva, mrvb, td1_long_number."""
    texts = split_documents((FIXTURES / "icao_specimens.txt").read_text())
    names = ("td3", "td1", "td2", "mrva", "mrvb", "td1_long_number")
    return dict(zip(names, texts, strict=True))


# --------------------------------------------------------------------------- storage
# Store tests run against both backends: a SQLite file per test, and one real
# PostgreSQL database per test run (created on 127.0.0.1:5432 and dropped after;
# tables are emptied between tests). PostgreSQL must be up: .ci/run starts it.

import os  # noqa: E402
import secrets  # noqa: E402
from collections.abc import Callable, Iterator  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from datetime import UTC, datetime, timedelta  # noqa: E402

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.exc import OperationalError  # noqa: E402

from passerelle.federation.protocol.identity import NodeIdentity  # noqa: E402
from passerelle.keyring import (  # noqa: E402
    CHECKPOINT_KEY_FILE,
    SIGNING_KEY_FILE,
    create_biometric_key,
)
from passerelle.settings import Settings  # noqa: E402
from passerelle.store import Actor, AuditTrail, Database  # noqa: E402
from passerelle.store.audit import load_key  # noqa: E402
from passerelle.store.tables import Base  # noqa: E402
from passerelle.wiring.audit_anchoring import checkpoint_signer  # noqa: E402
from passerelle.wiring.node_keys import key_makers, provision_keys  # noqa: E402

POSTGRES_ADMIN_URL = os.environ.get(
    "PASSERELLE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@contextmanager
def fresh_postgres_database(purpose: str) -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database, dropped when the block ends."""
    name = f"passerelle_{purpose}_{os.getpid()}_{secrets.token_hex(3)}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except OperationalError as exc:
        pytest.fail(
            f"PostgreSQL is required at {POSTGRES_ADMIN_URL} for the store tests "
            f"(start it, e.g. with .ci/run): {exc}"
        )
    try:
        yield make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def provision_node(settings: Settings) -> AuditTrail:
    """Set a node up as its operator does (``db upgrade``, then ``keys init``): its database
    migrated, its keys made in ``settings.keys_dir`` (those it lacks) and their
    fingerprints recorded; returns the node's audit trail, with that key."""
    database = Database(settings.effective_database_url)
    try:
        database.upgrade()
        provision_keys(settings, database, at=datetime.now(UTC))
    finally:
        database.dispose()
    return AuditTrail(load_key(settings.effective_audit_key_file))


def checkpoint_key(settings: Settings) -> NodeIdentity:
    """The node's checkpoint signer (its identity, else its dedicated key, made here by the
    keys' own maker when the node was built by hand without one)."""
    path = settings.keys_dir / CHECKPOINT_KEY_FILE
    if not (settings.keys_dir / SIGNING_KEY_FILE).exists() and not path.exists():
        key_makers(settings)["checkpoint"](path)
    return checkpoint_signer(settings)


def with_biometric_key(settings: Settings) -> Settings:
    """``settings`` whose biometric key file exists (made by the keyring's own maker), for
    the tests that build a :class:`~passerelle.node.Node` by hand around an in-memory audit
    key: they skip ``open_node`` and its fingerprints, but seal templates with the file."""
    if not settings.effective_biometric_key_file.exists():
        create_biometric_key(settings.effective_biometric_key_file)
    return settings


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test run, migrated, dropped at the end."""
    with fresh_postgres_database("test") as url:
        database = Database(url)
        database.upgrade()
        database.dispose()
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def blank_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A new database with no schema at all, on each backend (for migration tests)."""
    if request.param == "sqlite":
        db = Database(f"sqlite:///{tmp_path / 'blank.db'}")
        yield db
        db.dispose()
        return
    with fresh_postgres_database("migration") as url:
        db = Database(url)
        yield db
        db.dispose()


def _empty_postgres(database: Database) -> None:
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with database.engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        connection.execute(
            text("INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, :h)"), {"h": "0" * 64}
        )


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A migrated, empty node database on each backend."""
    if request.param == "sqlite":
        db = Database(f"sqlite:///{tmp_path / 'node.db'}")
        db.upgrade()
    else:
        db = Database(request.getfixturevalue("postgres_url"))
        _empty_postgres(db)
    yield db
    db.dispose()


@pytest.fixture
def audit() -> AuditTrail:
    return AuditTrail(secrets.token_bytes(32))


@pytest.fixture
def officer() -> Actor:
    return Actor(name="officer.benali", kind="user", role="officer")


class Clock:
    """A controllable clock for tests: starts at AS_OF noon UTC, moves when told."""

    def __init__(self) -> None:
        self.now = datetime(AS_OF.year, AS_OF.month, AS_OF.day, 12, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def node_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[], Path]:
    """PASSERELLE_HOME in a temporary folder (SQLite default) for CLI tests."""
    home = tmp_path / "home"
    monkeypatch.setenv("PASSERELLE_HOME", str(home))
    monkeypatch.delenv("PASSERELLE_DATABASE_URL", raising=False)
    monkeypatch.delenv("PASSERELLE_AUDIT_KEY_FILE", raising=False)
    monkeypatch.delenv("PASSERELLE_KEYS_DIR", raising=False)
    return lambda: home
