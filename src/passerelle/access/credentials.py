"""Bearer tokens, web session ids and CSRF tokens: random secrets, kept only as hashes.

A bearer token is ``psr_`` followed by 32 random bytes in URL-safe base64
(43 characters): the prefix lets secret scanners and people recognise a
Passerelle token in a log or a repository. Web session ids are 32 random bytes
in URL-safe base64 too. The node stores the SHA-256 of each (a fast hash is
enough for 256-bit random secrets), so a copy of the database gives nobody a
usable credential. Comparisons run in constant time.

>>> token = new_token()
>>> token.startswith("psr_"), len(token), is_token_shaped(token)
(True, 47, True)
>>> len(digest(token)), same_secret(token, token), same_secret(token, new_token())
(64, True, False)
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from collections.abc import Callable

__all__ = [
    "SECRET_BYTES",
    "TOKEN_PREFIX",
    "digest",
    "is_token_shaped",
    "new_csrf_token",
    "new_session_id",
    "new_token",
    "same_secret",
]

TOKEN_PREFIX = "psr_"
SECRET_BYTES = 32
_TOKEN_SHAPE = re.compile(rf"{TOKEN_PREFIX}[A-Za-z0-9_-]{{43}}")

RandomBytes = Callable[[int], bytes]


def _random_text(random_bytes: RandomBytes) -> str:
    return base64.urlsafe_b64encode(random_bytes(SECRET_BYTES)).rstrip(b"=").decode("ascii")


def new_token(random_bytes: RandomBytes = secrets.token_bytes) -> str:
    """A new bearer token: ``psr_`` and 32 random bytes, URL-safe base64 without padding."""
    return TOKEN_PREFIX + _random_text(random_bytes)


def new_session_id(random_bytes: RandomBytes = secrets.token_bytes) -> str:
    """A new web session id (the cookie's value): 32 random bytes, URL-safe base64."""
    return _random_text(random_bytes)


def new_csrf_token(random_bytes: RandomBytes = secrets.token_bytes) -> str:
    """A new CSRF token for one web session: 32 random bytes, URL-safe base64."""
    return _random_text(random_bytes)


def digest(secret: str) -> str:
    """The SHA-256 (hex) under which a token or session id is stored and looked up."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def is_token_shaped(text: str) -> bool:
    """Whether ``text`` has the form of a Passerelle bearer token (not whether it is valid)."""
    return _TOKEN_SHAPE.fullmatch(text) is not None


def same_secret(presented: str, expected: str) -> bool:
    """Compare two secrets in constant time (no early exit on the first differing byte)."""
    return hmac.compare_digest(presented.encode("utf-8"), expected.encode("utf-8"))
