"""Passwords: the policy a new password must meet, and argon2id hashing (RFC 9106).

Hashes are argon2id with RFC 9106's second recommended option ("low memory"):
3 passes over 64 MiB with 4 lanes, a 16-byte random salt and a 32-byte tag,
encoded in the PHC string format (``$argon2id$v=19$m=65536,t=3,p=4$...``), so
each hash names its own parameters. When the node's parameters are raised, a
hash made with weaker ones is replaced at the user's next successful login
(``needs_rehash``).

Policy (NIST SP 800-63B, 5.1.1): at least 12 characters, at most 1024, not
blank, not the user's own name; any other character is allowed. Passwords are
compared after Unicode NFC normalisation, so the same password typed on two
keyboards that compose accents differently is the same password. A password is
never stored, logged or put in an error message.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

from passerelle.exc import InvalidInput
from passerelle.i18n import N_
from passerelle.i18n.wording import Parameter, Wording, worded

__all__ = [
    "MAX_LENGTH",
    "MIN_LENGTH",
    "NODE_HASHING",
    "HashingParameters",
    "PasswordHashing",
    "check_password",
]

MIN_LENGTH = 12
MAX_LENGTH = 1024
MIN_GUESSES_LOG10 = 8.0
"""A new password must need at least 10^8 guesses by zxcvbn's estimate (its score 3, "safely
unguessable: moderate protection from offline slow-hash scenario"): repeats, keyboard walks,
common passwords and dictionary words with digits fall short whatever their length."""
_ESTIMATED = 72
"""zxcvbn judges at most 72 characters (it refuses longer input)."""


def _normalise(password: str) -> str:
    return unicodedata.normalize("NFC", password)


def check_password(password: str, *, user_name: str | None = None) -> None:
    """Refuse a new password that breaks the policy: ``InvalidInput("password", reason)``.

    >>> check_password("correct horse battery")
    >>> check_password("short")
    Traceback (most recent call last):
    ...
    passerelle.exc.InvalidInput: password: is shorter than 12 characters
    >>> check_password("password1234")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    passerelle.exc.InvalidInput: password: is too easy to guess (...): use a few unrelated words...
    """
    text = _normalise(password)
    if not text.strip():
        raise InvalidInput("password", worded(N_("is blank")))
    if len(text) < MIN_LENGTH:
        raise InvalidInput(
            "password",
            worded(N_("is shorter than %(least)s characters"), least=MIN_LENGTH),
        )
    if len(text) > MAX_LENGTH:
        raise InvalidInput(
            "password",
            worded(N_("is longer than %(most)s characters"), most=MAX_LENGTH),
        )
    if user_name and text.strip().casefold() == user_name.strip().casefold():
        raise InvalidInput("password", worded(N_("is the user's name")))
    # the estimate's cost grows with the length: its first characters are enough to judge
    strength = zxcvbn(text[:_ESTIMATED], user_inputs=[user_name] if user_name else [])
    if float(strength["guesses_log10"]) < MIN_GUESSES_LOG10:
        warning = str(strength["feedback"].get("warning") or "").rstrip(".").lower()
        raise InvalidInput("password", _too_easy(warning))


@dataclass(frozen=True, slots=True)
class HashingParameters:
    """argon2id cost parameters (RFC 9106 section 4)."""

    time_cost: int = 3
    memory_kib: int = 64 * 1024
    parallelism: int = 4
    hash_len: int = 32
    salt_len: int = 16


NODE_HASHING = HashingParameters()
"""The node's parameters: RFC 9106's low-memory option (t=3, m=64 MiB, p=4)."""


class PasswordHashing:
    """Hashes and verifies passwords with argon2id under one set of parameters."""

    def __init__(self, parameters: HashingParameters = NODE_HASHING) -> None:
        self.parameters = parameters
        self._hasher = PasswordHasher(
            time_cost=parameters.time_cost,
            memory_cost=parameters.memory_kib,
            parallelism=parameters.parallelism,
            hash_len=parameters.hash_len,
            salt_len=parameters.salt_len,
            type=Type.ID,
        )
        self._dummy: str | None = None

    def hash(self, password: str) -> str:
        """The PHC-encoded argon2id hash of ``password`` (a new random salt each time)."""
        return self._hasher.hash(_normalise(password))

    def verify(self, encoded: str, password: str) -> bool:
        """Whether ``password`` matches ``encoded``; a damaged hash matches nothing."""
        try:
            return self._hasher.verify(encoded, _normalise(password))
        except (VerificationError, InvalidHashError):
            return False

    def verify_nothing(self, password: str) -> None:
        """Spend the time a verification takes, for a user who does not exist.

        Without it, a login for an unknown name would answer faster than one
        with a wrong password, telling which names are accounts.
        """
        if self._dummy is None:
            self._dummy = self.hash("no such user: a placeholder password")
        self.verify(self._dummy, password)

    def needs_rehash(self, encoded: str) -> bool:
        """Whether ``encoded`` was made with other parameters than these (or another type)."""
        try:
            return self._hasher.check_needs_rehash(encoded)
        except (InvalidHashError, ValueError):
            return True


GUESSING_HINTS = {
    N_("straight rows of keys are easy to guess"),
    N_("short keyboard patterns are easy to guess"),
    N_('repeats like "aaa" are easy to guess'),
    N_('repeats like "abcabcabc" are only slightly harder to guess than "abc"'),
    N_('sequences like "abc" or "6543" are easy to guess'),
    N_("recent years are easy to guess"),
    N_("dates are often easy to guess"),
    N_("this is a top-10 common password"),
    N_("this is a top-100 common password"),
    N_("this is a very common password"),
    N_("this is similar to a commonly used password"),
    N_("a word by itself is easy to guess"),
    N_("names and surnames by themselves are easy to guess"),
    N_("common names and surnames are easy to guess"),
}
"""The strength estimate's (zxcvbn's) hints, as the refusal quotes them, marked for the
catalogues; a hint not listed is quoted in English."""


def _too_easy(warning: str) -> Wording:
    if not warning:
        return worded(N_("is too easy to guess: use a few unrelated words, or a longer phrase"))
    hint: Parameter = worded(warning) if warning in GUESSING_HINTS else warning
    return worded(
        N_("is too easy to guess (%(hint)s): use a few unrelated words, or a longer phrase"),
        hint=hint,
    )
