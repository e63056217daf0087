"""Logins (throttled, rehashing), web sessions and CSRF on a real node database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from passerelle.access import (
    AccessControl,
    AuthenticationFailed,
    CsrfRejected,
    HashingParameters,
    LoginThrottled,
    PasswordHashing,
)
from passerelle.store import AuditTrail, Database
from passerelle.store.tables import AuditRecord, LoginAttempt, User, WebSession
from tests.access.conftest import ADMIN, FAST, PASSWORD
from tests.access.test_accounts import audited
from tests.conftest import Clock


class CountingHashing(PasswordHashing):
    """Real argon2id that counts verifications (to see unknown users cost one too)."""

    verifications = 0

    def verify(self, encoded: str, password: str) -> bool:
        self.verifications += 1
        return super().verify(encoded, password)


@pytest.fixture
def officer(access: AccessControl) -> str:
    return access.add_user("officer.benali", "officer", PASSWORD, by=ADMIN).name


def fail_logins(access: AccessControl, name: str, times: int, *, client: str | None = None) -> None:
    for _ in range(times):
        with pytest.raises(AuthenticationFailed):
            access.authenticate(name, "wrong password!!", client=client)


def actions(database: Database) -> list[str]:
    with database.read() as session:
        return list(session.scalars(select(AuditRecord.action).order_by(AuditRecord.seq)))


def test_right_password_gives_the_user_as_an_actor_and_is_audited(
    access: AccessControl, database: Database, officer: str
) -> None:
    actor = access.authenticate(" Officer.Benali ", PASSWORD, client="10.0.0.7")
    assert (actor.name, actor.kind, actor.role) == ("officer.benali", "user", "officer")
    assert audited(database)[-1] == (
        "auth.login",
        "officer.benali",
        {"query": {"client": "10.0.0.7"}, "result": {"session": False, "rehashed": False}},
    )


def test_wrong_password_and_unknown_user_get_the_same_answer_and_the_same_work(
    database: Database, audit: AuditTrail, clock: Clock
) -> None:
    hashing = CountingHashing(FAST)
    access = AccessControl(database, audit, clock=clock, hashing=hashing)
    access.add_user("officer.benali", "officer", PASSWORD, by=ADMIN)
    with pytest.raises(AuthenticationFailed) as wrong:
        access.authenticate("officer.benali", "not the password")
    after_wrong = hashing.verifications
    with pytest.raises(AuthenticationFailed) as unknown:
        access.authenticate("officer.nobody", PASSWORD)
    assert str(wrong.value) == str(unknown.value) == "wrong user name or password"
    assert type(wrong.value) is type(unknown.value) is AuthenticationFailed
    assert after_wrong == 1
    assert hashing.verifications == 2
    assert "auth.login" not in actions(database)


def test_a_disabled_user_cannot_log_in(access: AccessControl, officer: str) -> None:
    access.disable_user(officer, by=ADMIN)
    with pytest.raises(AuthenticationFailed, match="this account is disabled"):
        access.authenticate(officer, PASSWORD)
    with pytest.raises(AuthenticationFailed, match="wrong user name or password"):
        access.authenticate(officer, "not the password")


def test_a_hash_with_old_parameters_is_replaced_at_login(
    access: AccessControl, database: Database, audit: AuditTrail, clock: Clock, officer: str
) -> None:
    with database.read() as session:
        old = session.scalars(select(User.password_hash)).one()
    assert "$m=8192,t=1,p=1$" in old
    stronger = HashingParameters(time_cost=2, memory_kib=16 * 1024, parallelism=2)
    upgraded = AccessControl(database, audit, clock=clock, hashing=PasswordHashing(stronger))

    upgraded.authenticate(officer, PASSWORD)
    with database.read() as session:
        new, changed_at = session.execute(
            select(User.password_hash, User.password_changed_at)
        ).one()
    assert "$m=16384,t=2,p=2$" in new
    assert new != old
    assert changed_at == clock()  # a rehash is not a password change
    assert audited(database)[-1][2]["result"] == {"session": False, "rehashed": True}
    assert upgraded.authenticate(officer, PASSWORD).name == officer
    assert audited(database)[-1][2]["result"]["rehashed"] is False


def test_five_failures_lock_the_user_name_for_fifteen_minutes(
    access: AccessControl, database: Database, clock: Clock, officer: str
) -> None:
    fail_logins(access, officer, 4)
    clock.advance(minutes=1)
    fail_logins(access, officer, 1)
    with pytest.raises(LoginThrottled, match="too many failed logins for this user name") as locked:
        access.authenticate(officer, PASSWORD)  # even the right password
    assert locked.value.retry_after == clock() - timedelta(minutes=1) + timedelta(minutes=15)
    assert "wrong user name" not in str(locked.value)

    clock.advance(minutes=13, seconds=59)
    with pytest.raises(LoginThrottled):
        access.authenticate(officer, PASSWORD)
    clock.advance(seconds=1)  # the first four failures leave the window
    assert access.authenticate(officer, PASSWORD).name == officer
    assert actions(database).count("auth.lockout") == 1
    with database.read() as session:
        outcomes = list(session.scalars(select(LoginAttempt.outcome).order_by(LoginAttempt.id)))
    assert outcomes == ["failed"] * 5 + ["throttled"] * 2 + ["succeeded"]


def test_unknown_names_are_throttled_alike(access: AccessControl) -> None:
    fail_logins(access, "officer.nobody", 5)
    with pytest.raises(LoginThrottled):
        access.authenticate("officer.nobody", PASSWORD)


def test_a_successful_login_clears_the_names_count(
    access: AccessControl, clock: Clock, officer: str
) -> None:
    fail_logins(access, officer, 4)
    access.authenticate(officer, PASSWORD)
    fail_logins(access, officer, 4)
    assert access.authenticate(officer, PASSWORD).name == officer
    fail_logins(access, officer, 5)
    with pytest.raises(LoginThrottled):
        access.authenticate(officer, PASSWORD)


def test_twenty_failures_from_one_address_pace_it_for_every_name(
    access: AccessControl, clock: Clock, officer: str
) -> None:
    access.add_user("analyst.idrissi", "analyst", PASSWORD, by=ADMIN)
    for number in range(20):
        fail_logins(access, f"a.guess{number}", 1, client="203.0.113.9")
    with pytest.raises(LoginThrottled, match="from this address") as paced:
        access.authenticate(officer, PASSWORD, client="203.0.113.9")
    assert paced.value.kind == "address"
    access.authenticate(officer, PASSWORD, client="203.0.113.10")  # another address may
    clock.advance(seconds=2)
    access.authenticate(officer, PASSWORD, client="203.0.113.9")  # after the delay
    with pytest.raises(LoginThrottled):  # and a success does not clear the address
        access.authenticate("analyst.idrissi", PASSWORD, client="203.0.113.9")


def test_the_lock_holds_across_workers_because_it_lives_in_the_database(
    access: AccessControl, database: Database, audit: AuditTrail, clock: Clock, officer: str
) -> None:
    fail_logins(access, officer, 5)
    other_worker = AccessControl(database, audit, clock=clock, hashing=PasswordHashing(FAST))
    with pytest.raises(LoginThrottled):
        other_worker.authenticate(officer, PASSWORD)


def test_failed_attempts_do_not_store_the_name_typed(
    access: AccessControl, database: Database
) -> None:
    fail_logins(access, "correct horse battery staple", 1, client="10.0.0.7")
    with database.read() as session:
        key, client = session.execute(select(LoginAttempt.user_key, LoginAttempt.client)).one()
    assert "horse" not in key
    assert len(key) == 64
    assert client == "10.0.0.7"


def test_login_opens_a_session_that_knows_its_user_and_csrf_token(
    access: AccessControl, database: Database, clock: Clock, officer: str
) -> None:
    opened = access.login(officer, PASSWORD, client="10.0.0.7")
    assert opened.session_id not in repr(opened)
    assert opened.csrf_token not in repr(opened)
    assert opened.expires_at == clock() + timedelta(hours=12)
    view = access.session(opened.session_id)
    assert view.actor == opened.actor
    assert view.actor.role == "officer"
    view.check_csrf(opened.csrf_token)
    for presented in (None, "", opened.csrf_token[:-1], opened.session_id):
        with pytest.raises(CsrfRejected):
            view.check_csrf(presented)
    with database.read() as session:
        stored = session.scalars(select(WebSession.session_hash)).one()
    assert stored != opened.session_id
    assert len(stored) == 64
    with pytest.raises(AuthenticationFailed, match="not valid"):
        access.session("not-a-session")


def test_a_session_unused_for_thirty_minutes_is_over(
    access: AccessControl, clock: Clock, officer: str
) -> None:
    opened = access.login(officer, PASSWORD)
    clock.advance(minutes=29)
    assert access.session(opened.session_id).idle_expires_at == clock() + timedelta(minutes=30)
    clock.advance(minutes=29)  # used 29 minutes ago: still alive
    access.session(opened.session_id)
    clock.advance(minutes=30)
    with pytest.raises(AuthenticationFailed, match="idle too long"):
        access.session(opened.session_id)


def test_a_busy_session_still_ends_twelve_hours_after_login(
    access: AccessControl, clock: Clock, officer: str
) -> None:
    opened = access.login(officer, PASSWORD)
    for _ in range(12 * 3 - 1):
        clock.advance(minutes=20)
        access.session(opened.session_id)
    clock.advance(minutes=20)
    with pytest.raises(AuthenticationFailed, match="expired"):
        access.session(opened.session_id)


def test_logout_ends_the_session_and_is_audited(
    access: AccessControl, database: Database, officer: str
) -> None:
    opened = access.login(officer, PASSWORD)
    other = access.login(officer, PASSWORD)
    assert access.logout(opened.session_id)
    with pytest.raises(AuthenticationFailed, match="ended"):
        access.session(opened.session_id)
    assert access.session(other.session_id).actor.name == officer
    assert not access.logout(opened.session_id)
    assert not access.logout("unknown")
    assert actions(database)[-1] == "auth.logout"


def test_purge_removes_old_attempts_and_ended_sessions(
    access: AccessControl, clock: Clock, officer: str
) -> None:
    fail_logins(access, officer, 2)
    opened = access.login(officer, PASSWORD)
    clock.advance(days=31)
    live = access.login(officer, PASSWORD)
    assert access.purge() == (3, 1)
    with pytest.raises(AuthenticationFailed, match="not valid"):
        access.session(opened.session_id)
    assert access.session(live.session_id).actor.name == officer
