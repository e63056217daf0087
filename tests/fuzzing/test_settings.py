"""Settings from the environment: used as given, or refused naming the variable.

Every ``PASSERELLE_*`` variable is set, one at a time, to text an operator may
type (numbers of any size, words, blanks); ``load_settings`` either gives
settings the node can run with, or a ``ConfigurationError`` naming the variable.
What it accepts must then work: the retention limits are applied to a real
database without overflowing the calendar.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from passerelle.exc import ConfigurationError
from passerelle.settings import Settings, load_settings
from passerelle.store import Actor, AuditTrail, Database
from passerelle.store.retention import apply_retention
from passerelle.wiring.services import retention_policy
from tests.fuzzing.budget import FUZZ
from tests.fuzzing.strategies import texts

ADMIN = Actor("admin.fuzz", "user", "admin")
VARIABLES = sorted(
    f"PASSERELLE_{name.upper()}"
    for name in Settings.model_fields
    if name not in {"home", "database_url", "keys_folder"}  # paths of this test's own node
)
values = st.one_of(
    texts,
    st.integers().map(str),
    st.integers(min_value=10**6, max_value=10**30).map(str),
    st.floats(allow_nan=True).map(str),
    st.sampled_from(["", " ", "on", "off", "true", "0", "-1", "1e309", "auto"]),
)


@contextmanager
def environment(changes: dict[str, str]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in changes}
    os.environ.update(changes)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


AUDIT_KEY = secrets.token_bytes(32)
"""One key for the module's node: the chain's head is sealed with it."""


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Database]]:
    folder = tmp_path_factory.mktemp("fuzzed-settings")
    database = Database(f"sqlite:///{folder / 'node.db'}")
    database.upgrade()
    yield folder, database
    database.dispose()


@FUZZ
@given(st.sampled_from(VARIABLES), values)
@example("PASSERELLE_RETENTION_CROSSINGS_DAYS", "10000000000")  # overflowed the calendar
@example("PASSERELLE_RETENTION_WITHDRAWN_DAYS", "3000000")
def test_a_setting_is_used_as_given_or_refused_naming_its_variable(
    database: tuple[Path, Database], variable: str, value: str
) -> None:
    folder, db = database
    if "\x00" in value:
        return  # an environment cannot hold NUL
    with environment(
        {
            "PASSERELLE_HOME": str(folder / "home"),
            "PASSERELLE_DATABASE_URL": str(db.url),
            variable: value,
        }
    ):
        try:
            settings = load_settings()
        except ConfigurationError as refused:
            message = str(refused)
        else:
            message = ""
    if message:
        assert variable in message, message
        return
    with db.write() as session:
        apply_retention(
            session,
            AuditTrail(AUDIT_KEY),
            retention_policy(settings),
            actor=ADMIN,
            now=datetime.now(UTC),
        )
