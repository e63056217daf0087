"""Bearer tokens, session ids and CSRF tokens: random, recognisable, stored as hashes."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from passerelle.access import AccessPolicy
from passerelle.access.credentials import (
    digest,
    is_token_shaped,
    new_csrf_token,
    new_session_id,
    new_token,
    same_secret,
)
from passerelle.access.policy import locked_until

T0 = datetime(2026, 11, 25, 12, tzinfo=UTC)


def test_tokens_carry_the_prefix_and_32_random_bytes() -> None:
    tokens = {new_token() for _ in range(200)}
    assert len(tokens) == 200
    for token in tokens:
        assert token.startswith("psr_")
        assert len(token) == 4 + 43
        assert is_token_shaped(token)


def test_the_randomness_is_injected_and_urlsafe() -> None:
    token = new_token(lambda n: b"\xff" * n)
    assert token == "psr_" + "_" * 42 + "8"
    assert new_session_id(lambda n: bytes(n)) == "A" * 43
    assert new_csrf_token() != new_csrf_token()


def test_things_that_are_not_tokens_are_recognised() -> None:
    token = new_token()
    for text in ("", "psr_", token[:-1], token + "x", "Bearer " + token, "psr!" + token[4:]):
        assert not is_token_shaped(text)


def test_the_stored_form_is_the_sha256_and_comparison_is_exact() -> None:
    token = new_token()
    assert digest(token) == hashlib.sha256(token.encode()).hexdigest()
    assert same_secret(token, token)
    assert not same_secret(token, token[:-1])
    assert not same_secret("", token)


def test_five_failures_in_fifteen_minutes_lock_until_the_oldest_ages_out() -> None:
    policy = AccessPolicy()

    def lock(failures: list[datetime], minutes: int) -> datetime | None:
        return locked_until(
            failures,
            now=T0 + timedelta(minutes=minutes),
            limit=policy.max_failures,
            window=policy.failure_window,
        )

    fails = [T0 + timedelta(minutes=m) for m in (0, 1, 2, 3, 4)]
    assert lock(fails[:4], 5) is None
    assert lock(fails, 5) == T0 + timedelta(minutes=15)
    assert lock(fails, 15) is None
    assert lock([*fails, T0 + timedelta(minutes=6)], 7) == T0 + timedelta(minutes=16)
