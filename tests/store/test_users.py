"""The users repository on both backends: unique names, hashes only, attempt counting."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import insert, inspect
from sqlalchemy.exc import IntegrityError

from passerelle.exc import InvalidInput
from passerelle.store import Database
from passerelle.store.tables import User
from passerelle.store.users import UserRepository
from tests.conftest import Clock

HASH = "$argon2id$v=19$m=8192,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA"


def test_one_name_one_user_even_behind_the_repositorys_back(
    database: Database, clock: Clock
) -> None:
    with database.write() as session:
        UserRepository(session).add("officer.benali", "officer", HASH, now=clock(), created_by="t")
    with database.write() as session, pytest.raises(InvalidInput, match="already exists"):
        UserRepository(session).add("officer.benali", "analyst", HASH, now=clock(), created_by="t")
    row = {
        "name": "officer.benali",
        "role": "admin",
        "password_hash": HASH,
        "created_at": clock(),
        "created_by": "t",
        "password_changed_at": clock(),
    }
    with pytest.raises(IntegrityError), database.write() as session:
        session.execute(insert(User).values(**row))


def test_views_never_show_the_password_hash_or_csrf_token(database: Database, clock: Clock) -> None:
    with database.write() as session:
        repo = UserRepository(session)
        user = repo.add("officer.benali", "officer", HASH, now=clock(), created_by="t")
        repo.add_session(
            user.id, "h" * 64, "csrf-secret", client=None, now=clock(), expires_at=clock()
        )
    with database.read() as session:
        repo = UserRepository(session)
        record = repo.login_record("officer.benali")
        stored_session = repo.session_by_hash("h" * 64)
    assert record is not None
    assert record.password_hash == HASH
    assert HASH not in repr(record)
    assert "password_hash" not in user.as_dict()
    assert stored_session is not None
    assert "csrf-secret" not in repr(stored_session)


def test_a_names_failures_count_after_its_last_success_and_an_address_counts_refusals_too(
    database: Database, clock: Clock
) -> None:
    since = clock() - timedelta(minutes=15)
    with database.write() as session:
        repo = UserRepository(session)
        repo.add_attempt("k" * 64, "10.0.0.1", "failed", clock() - timedelta(minutes=20))
        repo.add_attempt("k" * 64, "10.0.0.1", "failed", clock())
        repo.add_attempt("k" * 64, "10.0.0.1", "succeeded", clock())
        repo.add_attempt("k" * 64, "10.0.0.1", "failed", clock())
        repo.add_attempt("k" * 64, "10.0.0.1", "throttled", clock())
        repo.add_attempt("j" * 64, "10.0.0.1", "failed", clock())
    with database.read() as session:
        repo = UserRepository(session)
        assert repo.user_failures("k" * 64, since) == [clock()]
        # an address: every failure and every refused login (a guesser's pace), any name
        assert repo.client_failures("10.0.0.1", since) == [clock()] * 4
        assert repo.client_failures("10.0.0.2", since) == []


def test_revoking_a_users_tokens_counts_only_live_ones(database: Database, clock: Clock) -> None:
    with database.write() as session:
        repo = UserRepository(session)
        user = repo.add("officer.benali", "officer", HASH, now=clock(), created_by="t")
        for n, expires in enumerate((timedelta(days=1), timedelta(days=-1), timedelta(days=2))):
            repo.add_token(
                user.id,
                str(n) * 64,
                now=clock(),
                expires_at=clock() + expires,
                created_by="t",
                label=None,
            )
        repo.revoke_token(3, clock())
        assert repo.revoke_tokens_of(user.id, clock()) == 1
        assert [t.state(clock()) for t in repo.tokens("officer.benali")] == [
            "revoked",
            "expired",
            "revoked",
        ]


def test_revision_0005_adds_the_access_tables_and_downgrade_removes_them(
    blank_database: Database,
) -> None:
    tables = {"users", "api_tokens", "web_sessions", "login_attempts"}
    blank_database.upgrade("0005")
    assert tables <= set(inspect(blank_database.engine).get_table_names())
    before = blank_database.current_revision()
    assert blank_database.downgrade("0004") == (before, "0004")
    assert not tables & set(inspect(blank_database.engine).get_table_names())
    assert blank_database.upgrade("0005") == ("0004", "0005")
    assert tables <= set(inspect(blank_database.engine).get_table_names())
