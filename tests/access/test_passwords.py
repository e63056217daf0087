"""The password policy and argon2id hashing (RFC 9106 parameters, rehash on change)."""

from __future__ import annotations

import pytest

from passerelle.access import NODE_HASHING, HashingParameters, PasswordHashing, check_password
from passerelle.exc import InvalidInput
from tests.access.conftest import FAST, PASSWORD


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("", "is blank"),
        (" \t\n" * 5, "is blank"),
        ("eleven char", "is shorter than 12 characters"),
        ("x" * 1025, "is longer than 1024 characters"),
    ],
)
def test_weak_passwords_are_refused_on_the_password_field(password: str, reason: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_password(password)
    assert (refused.value.field, refused.value.reason) == ("password", reason)


def test_the_users_own_name_is_not_a_password() -> None:
    with pytest.raises(InvalidInput, match="is the user's name"):
        check_password("Officer.Benali", user_name="officer.benali")
    with pytest.raises(InvalidInput, match="too easy to guess"):  # the name and a mark
        check_password("officer.benali!", user_name="officer.benali")


def test_twelve_characters_of_any_script_are_enough() -> None:
    check_password("twelve chars")
    check_password("كلمة سر طويلة")


def test_the_error_never_repeats_the_password() -> None:
    with pytest.raises(InvalidInput) as refused:
        check_password("secret99")
    assert "secret99" not in str(refused.value)


def test_node_hashes_are_argon2id_with_the_rfc_9106_low_memory_parameters() -> None:
    assert HashingParameters(3, 64 * 1024, 4, 32, 16) == NODE_HASHING
    hashing = PasswordHashing()
    encoded = hashing.hash(PASSWORD)
    assert encoded.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert PASSWORD not in encoded
    assert hashing.verify(encoded, PASSWORD)
    assert not hashing.needs_rehash(encoded)


def test_each_hash_has_its_own_salt_and_only_the_password_verifies() -> None:
    hashing = PasswordHashing(FAST)
    first, second = hashing.hash(PASSWORD), hashing.hash(PASSWORD)
    assert first != second
    assert hashing.verify(first, PASSWORD)
    assert hashing.verify(second, PASSWORD)
    assert not hashing.verify(first, PASSWORD + " ")
    assert not hashing.verify(first, PASSWORD.upper())


def test_composed_and_decomposed_accents_are_the_same_password() -> None:
    hashing = PasswordHashing(FAST)
    encoded = hashing.hash("mot de passe très long")  # é composed (NFC)
    assert hashing.verify(encoded, "mot de passe tre\u0300s long")  # e + combining grave


def test_a_damaged_hash_matches_nothing_and_asks_for_a_rehash() -> None:
    hashing = PasswordHashing(FAST)
    assert not hashing.verify("not a hash", PASSWORD)
    assert not hashing.verify(hashing.hash(PASSWORD)[:-8], PASSWORD)
    assert hashing.needs_rehash("not a hash")


def test_a_hash_made_with_other_parameters_needs_a_rehash() -> None:
    weak = PasswordHashing(FAST).hash(PASSWORD)
    stronger = PasswordHashing(HashingParameters(time_cost=2, memory_kib=8 * 1024, parallelism=1))
    assert stronger.needs_rehash(weak)
    assert stronger.verify(weak, PASSWORD)  # the old hash still verifies until replaced
    assert not PasswordHashing(FAST).needs_rehash(weak)


def test_verifying_for_no_user_runs_argon2_and_never_matches() -> None:
    hashing = PasswordHashing(FAST)
    hashing.verify_nothing(PASSWORD)
    hashing.verify_nothing("no such user: a placeholder password")


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("aaaaaaaaaaaa", "repeats"),
        ("password1234", "very common password"),
        ("qwertyuiop12", "common"),
        ("a" * 1024, "repeats"),
    ],
)
def test_a_long_but_guessable_password_is_refused_with_the_reason(password: str, why: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_password(password)
    assert refused.value.field == "password"
    assert "too easy to guess" in refused.value.reason
    assert why in refused.value.reason.lower()


def test_a_password_built_on_the_user_name_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        check_password("officer.benali2026", user_name="officer.benali")
    assert "too easy to guess" in refused.value.reason


@pytest.mark.parametrize(
    "password", ["correct horse battery", "Tanger-Med 2026 ferry", "سفر آمن عبر الحدود"]
)
def test_unrelated_words_pass(password: str) -> None:
    check_password(password, user_name="officer.benali")
