"""A partner's values, checked: its URL, public keys and the agreement; the stored view.

Pure (no session): ``peers.PeerDirectory`` stores them. Bad values raise
:class:`InvalidInput` naming the field (``url``, ``public_key``, ``name``,
``inbound_kinds``, ``outbound_kinds``, ``alert_categories``, ``follow_up_hours``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from passerelle.exc import InvalidInput
from passerelle.federation.protocol.identity import PeerKey, parse_public_key
from passerelle.records.alerts import CATEGORIES

__all__ = [
    "DEFAULT_FOLLOW_UP_HOURS",
    "QUERY_KINDS",
    "Agreement",
    "PeerView",
    "parse_kinds",
    "parse_peer_keys",
    "parse_peer_name",
    "parse_peer_url",
]

QUERY_KINDS = frozenset({"document", "person", "face", "fingerprint", "identity"})
DEFAULT_FOLLOW_UP_HOURS = 48
_MAX_FOLLOW_UP_HOURS = 24 * 90
_MAX_NAME = 128
_MAX_URL = 512


def parse_kinds(values: Iterable[str], *, field: str, allowed: frozenset[str]) -> tuple[str, ...]:
    """The distinct values, lower-case and sorted; :class:`InvalidInput` naming ``field``.

    >>> parse_kinds(["Face", "document", "face"], field="inbound_kinds", allowed=QUERY_KINDS)
    ('document', 'face')
    """
    read = {value.strip().lower() for value in values if value.strip()}
    unknown = sorted(read - allowed)
    if unknown:
        raise InvalidInput(field, f"{', '.join(unknown)} not among {', '.join(sorted(allowed))}")
    return tuple(sorted(read))


def parse_peer_url(value: str) -> str:
    """A partner's base URL: ``https://host[:port][/path]``, without a trailing slash.

    >>> parse_peer_url("https://bel.example:8443/")
    'https://bel.example:8443'
    """
    url = value.strip().rstrip("/")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        raise InvalidInput("url", f"{value!r} is not a URL: {exc}") from exc
    if parts.scheme != "https":
        raise InvalidInput("url", f"{value!r} must start with https:// (mutual TLS)")
    if not parts.hostname or parts.query or parts.fragment or parts.username:
        raise InvalidInput("url", f"{value!r} must be https://host[:port][/path] only")
    if len(url) > _MAX_URL:
        raise InvalidInput("url", f"is longer than {_MAX_URL} characters")
    return url


def parse_peer_keys(lines: Iterable[str], state: str) -> tuple[PeerKey, ...]:
    """The distinct keys in ``lines`` (one or more per item), each naming ``state``."""
    keys: list[PeerKey] = []
    for line in lines:
        for text in line.splitlines():
            if not text.strip():
                continue
            key = parse_public_key(text)
            if key.state != state:
                raise InvalidInput(
                    "public_key", f"names {key.state}, not the partner's state {state}"
                )
            if all(k.key_id != key.key_id for k in keys):
                keys.append(key)
    if not keys:
        raise InvalidInput("public_key", "at least one 'ed25519 STATE BASE64' line is required")
    return tuple(keys)


@dataclass(frozen=True, slots=True)
class Agreement:
    """What a partner and this node agreed to exchange (see the module docstring)."""

    inbound_kinds: tuple[str, ...] = ()
    outbound_kinds: tuple[str, ...] = ()
    alert_categories: tuple[str, ...] = ()
    follow_up_hours: int = DEFAULT_FOLLOW_UP_HOURS

    @classmethod
    def of(
        cls,
        *,
        inbound_kinds: Iterable[str] = (),
        outbound_kinds: Iterable[str] = (),
        alert_categories: Iterable[str] = (),
        follow_up_hours: int = DEFAULT_FOLLOW_UP_HOURS,
    ) -> Agreement:
        """An agreement with every value checked; :class:`InvalidInput` naming the field."""
        if not 1 <= follow_up_hours <= _MAX_FOLLOW_UP_HOURS:
            raise InvalidInput(
                "follow_up_hours", f"must be 1 to {_MAX_FOLLOW_UP_HOURS}, not {follow_up_hours}"
            )
        return cls(
            inbound_kinds=parse_kinds(inbound_kinds, field="inbound_kinds", allowed=QUERY_KINDS),
            outbound_kinds=parse_kinds(outbound_kinds, field="outbound_kinds", allowed=QUERY_KINDS),
            alert_categories=parse_kinds(
                alert_categories, field="alert_categories", allowed=CATEGORIES
            ),
            follow_up_hours=follow_up_hours,
        )


@dataclass(frozen=True, slots=True)
class PeerView:
    """A registered partner as stored."""

    state: str
    name: str
    url: str
    keys: tuple[PeerKey, ...]
    agreement: Agreement
    enabled: bool
    added_at: datetime
    added_by: str
    updated_at: datetime
    sealing_key: str | None = None
    """The partner's sealing key line (``x25519 STATE KEY SIGNATURE``), when registered."""
    via: str | None = None
    """The hub this node reaches the partner through (None: directly)."""
    relays: bool = False
    """Whether the partner is a hub relaying sealed parts between members."""

    @property
    def messages_url(self) -> str:
        """Where this partner receives messages."""
        return f"{self.url}/federation/v1/messages"

    def may_ask(self, query_kind: str) -> bool:
        """Whether the partner may ask this node a ``document``/``person``/``face`` query."""
        return self.enabled and query_kind in self.agreement.inbound_kinds

    def is_asked(self, query_kind: str) -> bool:
        """Whether this node sends the partner ``query_kind`` queries."""
        return self.enabled and query_kind in self.agreement.outbound_kinds

    def as_json(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "name": self.name,
            "url": self.url,
            "keys": [{"key_id": k.key_id, "public_key": k.text} for k in self.keys],
            "inbound_kinds": list(self.agreement.inbound_kinds),
            "outbound_kinds": list(self.agreement.outbound_kinds),
            "alert_categories": list(self.agreement.alert_categories),
            "follow_up_hours": self.agreement.follow_up_hours,
            "enabled": self.enabled,
            "route": f"hub:{self.via}" if self.via else "direct",
            "relays": self.relays,
            "sealing_key": self.sealing_key,
            "added_at": self.added_at.isoformat(),
            "added_by": self.added_by,
            "updated_at": self.updated_at.isoformat(),
        }


def parse_peer_name(name: str | None, state: str) -> str:
    """The partner's readable name (its state code when none is given)."""
    label = (name or "").strip() or state
    if len(label) > _MAX_NAME:
        raise InvalidInput("name", f"is longer than {_MAX_NAME} characters")
    return label
