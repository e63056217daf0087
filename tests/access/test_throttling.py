"""Login throttling per account and per address, with separate limits (``access.policy``):
one mistyping officer behind a booth hall's NAT locks their own account, never their
colleagues' logins; an administrator unlocks at once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from passerelle.access import AccessControl, AccessPolicy, LoginThrottled, PasswordHashing
from passerelle.exc import InvalidInput
from passerelle.store import AuditTrail, Database
from passerelle.store.tables import LoginAttempt
from tests.access.conftest import ADMIN, FAST, PASSWORD
from tests.access.test_accounts import audited
from tests.access.test_logins import fail_logins
from tests.conftest import Clock

HALL = "198.51.100.20"
"""The booth hall's one address, behind its NAT."""


@pytest.fixture
def hall(access: AccessControl) -> AccessControl:
    """Two officers of one booth hall; officer A mistypes until the address is paced."""
    access.add_user("officer.a", "officer", PASSWORD, by=ADMIN)
    access.add_user("officer.b", "officer", PASSWORD, by=ADMIN)
    return access


def lock_the_hall_from(access: AccessControl, name: str) -> None:
    """Failures on one account from the hall until the address reaches its limit (5 fail,
    the 15 others are refused for the account's lock: all count against the address)."""
    for _ in range(access.policy.address_max_failures):
        with pytest.raises(Exception):  # noqa: B017,PT011  (failed, then locked)
            access.authenticate(name, "mistyped password", client=HALL)


def test_after_the_address_is_paced_another_account_gets_in_after_the_delay_not_before(
    hall: AccessControl, clock: Clock
) -> None:
    lock_the_hall_from(hall, "officer.a")
    assert [lock.address for lock in hall.paced_addresses()] == [HALL]
    last_let_through = clock()
    clock.advance(seconds=1)  # before the delay: refused, and told when to come back
    with pytest.raises(LoginThrottled, match="one login every 2 s from it") as early:
        hall.authenticate("officer.b", PASSWORD, client=HALL)
    assert early.value.kind == "address"
    assert early.value.retry_after == last_let_through + timedelta(seconds=2)
    clock.advance(seconds=1)  # exactly the delay after the last login let through
    assert hall.authenticate("officer.b", PASSWORD, client=HALL).name == "officer.b"


def test_wrong_passwords_from_a_paced_address_are_counted_and_paced_too(
    hall: AccessControl, database: Database, clock: Clock
) -> None:
    lock_the_hall_from(hall, "officer.a")
    clock.advance(seconds=2)
    fail_logins(hall, "officer.b", 1, client=HALL)  # let through, checked, refused
    with pytest.raises(LoginThrottled, match="from this address"):  # the next one too soon
        hall.authenticate("officer.b", PASSWORD, client=HALL)
    with database.read() as session:
        outcomes = list(session.scalars(select(LoginAttempt.outcome).order_by(LoginAttempt.id)))
    assert outcomes[-2:] == ["failed", "paced"]


def test_the_locked_account_stays_locked_for_its_right_password_until_the_window_passes(
    hall: AccessControl, clock: Clock
) -> None:
    lock_the_hall_from(hall, "officer.a")
    for _ in range(3):
        clock.advance(seconds=3)  # each time after the address's delay
        with pytest.raises(LoginThrottled, match="for this user name") as locked:
            hall.authenticate("officer.a", PASSWORD, client=HALL)
        assert locked.value.kind == "account"
    clock.advance(minutes=15)
    assert hall.authenticate("officer.a", PASSWORD, client=HALL).name == "officer.a"


def test_an_administrators_unlock_lets_the_account_in_at_once_and_is_audited(
    hall: AccessControl, database: Database
) -> None:
    lock_the_hall_from(hall, "officer.a")
    assert [lock.name for lock in hall.locked_accounts()] == ["officer.a"]
    hall.unlock("officer.a", by=ADMIN)
    assert hall.authenticate("officer.a", PASSWORD, client="10.1.1.1").name == "officer.a"
    assert hall.locked_accounts() == []
    action, actor, payload = next(r for r in audited(database) if r[0] == "auth.unlock")
    assert (action, actor) == ("auth.unlock", "local:root")
    assert payload["query"] == {"name": "officer.a"}
    assert payload["result"]["failures_cleared"] == 5


def test_unlocking_the_address_lifts_its_pace_at_once(hall: AccessControl) -> None:
    lock_the_hall_from(hall, "officer.a")
    hall.unlock(address=HALL, by=ADMIN)
    assert hall.paced_addresses() == []
    assert hall.authenticate("officer.b", PASSWORD, client=HALL).name == "officer.b"


def test_unlocking_what_is_not_locked_is_refused_naming_the_field(hall: AccessControl) -> None:
    with pytest.raises(InvalidInput) as refused:
        hall.unlock("officer.b", by=ADMIN)
    assert (refused.value.field, refused.value.reason) == ("name", "officer.b is not locked")
    with pytest.raises(InvalidInput) as refused:
        hall.unlock(address="10.9.9.9", by=ADMIN)
    assert refused.value.field == "address"


def test_the_address_delay_is_a_setting_of_the_policy(
    database: Database, audit: AuditTrail, clock: Clock
) -> None:
    policy = AccessPolicy(address_delay=timedelta(seconds=5))
    access = AccessControl(
        database, audit, clock=clock, hashing=PasswordHashing(FAST), policy=policy
    )
    access.add_user("officer.b", "officer", PASSWORD, by=ADMIN)
    lock_the_hall_from(access, "officer.a")
    clock.advance(seconds=4)
    with pytest.raises(LoginThrottled):
        access.authenticate("officer.b", PASSWORD, client=HALL)
    clock.advance(seconds=1)
    assert access.authenticate("officer.b", PASSWORD, client=HALL).name == "officer.b"
    with pytest.raises(InvalidInput, match="address_delay"):
        AccessPolicy(address_delay=timedelta(minutes=5))
