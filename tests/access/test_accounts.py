"""Accounts and API tokens on a real node database (SQLite and PostgreSQL), audited."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from passerelle.access import AccessControl, AuthenticationFailed, UnknownToken, UnknownUser
from passerelle.exc import InvalidInput
from passerelle.store import AuditTrail, Database
from passerelle.store.tables import ApiToken, AuditPayload, AuditRecord, User
from tests.access.conftest import ADMIN, PASSWORD
from tests.conftest import Clock


def audited(database: Database) -> list[tuple[str, str, dict[str, Any]]]:
    """(action, actor, payload) of every audit record, in order."""
    with database.read() as session:
        rows = session.execute(
            select(AuditRecord.action, AuditRecord.actor, AuditPayload.query, AuditPayload.result)
            .join(AuditPayload, AuditPayload.seq == AuditRecord.seq)
            .order_by(AuditRecord.seq)
        ).all()
    return [(action, actor, {"query": q, "result": r}) for action, actor, q, r in rows]


def test_added_user_is_listed_with_role_and_audited_without_the_password(
    access: AccessControl, database: Database, audit: AuditTrail
) -> None:
    user = access.add_user(" Officer.Benali ", "Officer", PASSWORD, by=ADMIN)
    assert (user.name, user.role, user.enabled, user.created_by) == (
        "officer.benali",
        "officer",
        True,
        "local:root",
    )
    assert [u.name for u in access.users()] == ["officer.benali"]
    assert audited(database) == [
        (
            "user.add",
            "local:root",
            {"query": {"name": "officer.benali"}, "result": {"role": "officer"}},
        )
    ]
    with database.read() as session:
        stored = session.scalars(select(User.password_hash)).one()
        assert audit.verify(session).intact
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


def test_a_taken_name_is_refused_whatever_its_case(access: AccessControl) -> None:
    access.add_user("officer.benali", "officer", PASSWORD, by=ADMIN)
    with pytest.raises(InvalidInput, match=r"name: a user named 'officer\.benali' already exists"):
        access.add_user("OFFICER.BENALI", "analyst", PASSWORD, by=ADMIN)
    assert len(access.users()) == 1


@pytest.mark.parametrize(
    ("name", "role", "password", "field"),
    [
        ("officer.benali", "boss", PASSWORD, "role"),
        ("officer.benali", "officer", "too short", "password"),
        ("officer.benali", "officer", " " * 20, "password"),
        ("officer.benali", "officer", "officer.benali", "password"),
        ("x", "officer", PASSWORD, "name"),
        ("officer benali", "officer", PASSWORD, "name"),
        ("", "officer", PASSWORD, "name"),
    ],
)
def test_bad_names_roles_and_passwords_are_refused_and_nothing_is_stored(
    access: AccessControl, database: Database, name: str, role: str, password: str, field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        access.add_user(name, role, password, by=ADMIN)
    assert refused.value.field == field
    assert access.users() == []
    assert audited(database) == []


def test_disabling_stops_logins_and_revokes_tokens_and_sessions(
    access: AccessControl, database: Database
) -> None:
    access.add_user("analyst.idrissi", "analyst", PASSWORD, by=ADMIN)
    issued = access.issue_token("analyst.idrissi", by=ADMIN)
    opened = access.login("analyst.idrissi", PASSWORD)

    user = access.disable_user("analyst.idrissi", by=ADMIN, reason="left the service")
    assert not user.enabled
    with pytest.raises(AuthenticationFailed, match="revoked"):
        access.verify_token(issued.token)
    with pytest.raises(AuthenticationFailed, match="ended"):
        access.session(opened.session_id)
    with pytest.raises(AuthenticationFailed, match="disabled"):
        access.authenticate("analyst.idrissi", PASSWORD)
    with pytest.raises(InvalidInput, match="disabled"):
        access.issue_token("analyst.idrissi", by=ADMIN)
    assert access.disable_user("analyst.idrissi", by=ADMIN) == user  # idempotent, not re-audited

    action, _, payload = audited(database)[-1]
    assert action == "user.disable"
    assert payload["result"] == {"sessions_revoked": 1, "tokens_revoked": 1}

    access.enable_user("analyst.idrissi", by=ADMIN)
    assert access.authenticate("analyst.idrissi", PASSWORD).role == "analyst"
    with pytest.raises(AuthenticationFailed, match="revoked"):
        access.verify_token(issued.token)  # re-enabling does not bring old tokens back


def test_unknown_users_are_named_in_admin_errors(access: AccessControl) -> None:
    for act in (
        lambda: access.disable_user("nobody", by=ADMIN),
        lambda: access.enable_user("nobody", by=ADMIN),
        lambda: access.change_password("nobody", PASSWORD, by=ADMIN),
        lambda: access.issue_token("nobody", by=ADMIN),
    ):
        with pytest.raises(UnknownUser, match="no user is named 'nobody'"):
            act()


def test_a_new_password_replaces_the_old_and_ends_web_sessions(
    access: AccessControl, database: Database, clock: Clock
) -> None:
    access.add_user("officer.benali", "officer", PASSWORD, by=ADMIN)
    opened = access.login("officer.benali", PASSWORD)
    token = access.issue_token("officer.benali", by=ADMIN).token
    clock.advance(minutes=5)

    user = access.change_password("officer.benali", "a brand new passphrase", by=ADMIN)
    assert user.password_changed_at == clock()
    with pytest.raises(AuthenticationFailed, match="wrong user name or password"):
        access.authenticate("officer.benali", PASSWORD)
    assert access.authenticate("officer.benali", "a brand new passphrase").name == "officer.benali"
    with pytest.raises(AuthenticationFailed):
        access.session(opened.session_id)
    assert access.verify_token(token).name == "officer.benali"  # tokens are separate credentials
    with pytest.raises(InvalidInput, match="password: is shorter"):
        access.change_password("officer.benali", "short", by=ADMIN)


def test_issued_token_verifies_as_its_user_until_revoked(
    access: AccessControl, database: Database
) -> None:
    access.add_user("officer.benali", "officer", PASSWORD, by=ADMIN)
    issued = access.issue_token("officer.benali", by=ADMIN, label=" kiosk 3 ")
    assert issued.token.startswith("psr_")
    assert issued.token not in repr(issued)
    assert (issued.view.user, issued.view.label) == ("officer.benali", "kiosk 3")

    actor = access.verify_token(issued.token)
    assert (actor.name, actor.kind, actor.role) == ("officer.benali", "user", "officer")

    revoked = access.revoke_token(issued.view.id, by=ADMIN, reason="kiosk replaced")
    assert revoked.revoked_at is not None
    with pytest.raises(AuthenticationFailed, match="the bearer token has been revoked"):
        access.verify_token(issued.token)
    assert access.revoke_token(issued.view.id, by=ADMIN) == revoked  # idempotent
    with pytest.raises(UnknownToken, match="no API token has id 999"):
        access.revoke_token(999, by=ADMIN)

    assert [a for a, _, _ in audited(database)] == ["user.add", "token.issue", "token.revoke"]
    with database.read() as session:
        assert session.scalars(select(ApiToken.token_hash)).one() != issued.token
    assert all(issued.token not in str(payload) for _, _, payload in audited(database))


def test_token_expires_after_its_days(access: AccessControl, clock: Clock) -> None:
    access.add_user("officer.benali", "officer", PASSWORD, by=ADMIN)
    default = access.issue_token("officer.benali", by=ADMIN)
    short = access.issue_token("officer.benali", by=ADMIN, days=2)
    assert default.view.expires_at == clock.now + timedelta(days=90)
    clock.advance(days=2, seconds=-1)
    assert access.verify_token(short.token).name == "officer.benali"
    clock.advance(seconds=1)
    with pytest.raises(AuthenticationFailed, match="the bearer token has expired"):
        access.verify_token(short.token)
    assert access.verify_token(default.token).name == "officer.benali"
    assert [t.state(clock()) for t in access.tokens("officer.benali")] == ["active", "expired"]


@pytest.mark.parametrize("days", [0, -1, 367])
def test_token_lifetimes_out_of_range_are_refused(access: AccessControl, days: int) -> None:
    access.add_user("officer.benali", "officer", PASSWORD, by=ADMIN)
    with pytest.raises(InvalidInput, match="days: must be from 1 to 366"):
        access.issue_token("officer.benali", by=ADMIN, days=days)


def test_unknown_and_malformed_tokens_are_refused(access: AccessControl) -> None:
    for token in ("", "hello", "Bearer psr_x", "psr_" + "A" * 43):
        with pytest.raises(AuthenticationFailed, match="the bearer token is not valid"):
            access.verify_token(token)


def test_a_partner_nodes_token_stands_for_a_peer(access: AccessControl) -> None:
    access.add_user("node.mar", "partner", PASSWORD, by=ADMIN)
    actor = access.verify_token(access.issue_token("node.mar", by=ADMIN).token)
    assert (actor.name, actor.kind, actor.role) == ("node.mar", "peer", "partner")
