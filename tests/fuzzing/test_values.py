"""The small parsers of typed values (states, keys, URLs, names, ids): a value or a refusal.

Each takes text an operator or a partner gives and answers the value, or
``InvalidInput`` naming the field and the reason; nothing else escapes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from passerelle.access.accounts import parse_user_name
from passerelle.access.roles import parse_role
from passerelle.exc import InvalidInput
from passerelle.federation.followups.values import (
    parse_followup_id,
    parse_justification,
    parse_note,
    parse_reference,
)
from passerelle.federation.peers.values import (
    parse_peer_keys,
    parse_peer_name,
    parse_peer_url,
)
from passerelle.federation.protocol.identity import parse_public_key, parse_state
from passerelle.records.alert_reports import parse_report
from passerelle.records.seizures import parse_seizure
from tests.fuzzing.budget import FUZZ
from tests.fuzzing.refusals import assert_names_a_field
from tests.fuzzing.strategies import json_objects, json_values, mutated, texts

KEY = "ed25519 MAR 11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="
PARSERS: dict[str, Callable[[Any], object]] = {
    "state": parse_state,
    "public key": parse_public_key,
    "peer url": parse_peer_url,
    "peer keys": lambda text: parse_peer_keys(str(text).splitlines(), "MAR"),
    "peer name": lambda text: parse_peer_name(text, "MAR"),
    "user name": parse_user_name,
    "role": parse_role,
    "reference": parse_reference,
}
"""Parsers of text (the caller's type guarantees a string)."""
ANY_VALUE_PARSERS: dict[str, Callable[[Any], object]] = {
    "follow-up id": parse_followup_id,
    "justification": parse_justification,
    "note": lambda value: parse_note(value, required=True),
}
"""Parsers of a partner's JSON value, whatever its type."""
REPORT = {
    "alert": "MAR-A-0042",
    "observed": "Two companions.",
    "companions": "2",
    "vehicle": "AB-123-CD",
    "route": "Tanger Med",
}


@FUZZ
@given(
    st.sampled_from(sorted(PARSERS)),
    st.one_of(
        texts,
        st.sampled_from([KEY, "https://[::1", "https://bel.example:99999/x", "a" * 300]),
    ),
)
@example("peer url", "https://[::1")
def test_a_typed_text_is_read_or_refused_naming_its_field(parser: str, text: str) -> None:
    try:
        PARSERS[parser](text)
    except InvalidInput as refused:
        assert_names_a_field(refused.field, refused.reason)


@FUZZ
@given(st.sampled_from(sorted(ANY_VALUE_PARSERS)), json_values())
def test_a_partners_value_of_any_type_is_read_or_refused_naming_its_field(
    parser: str, value: Any
) -> None:
    try:
        ANY_VALUE_PARSERS[parser](value)
    except InvalidInput as refused:
        assert_names_a_field(refused.field, refused.reason)


@FUZZ
@given(st.one_of(mutated(REPORT), json_objects()))
def test_a_hit_report_is_read_or_refused_naming_its_field(record: dict[str, Any]) -> None:
    try:
        parse_report(record)
    except InvalidInput as refused:
        assert_names_a_field(refused.field, refused.reason)


@FUZZ
@given(st.booleans(), st.none() | texts, st.none() | texts, st.none() | texts)
def test_a_seizure_is_read_or_refused_naming_its_field(
    document: bool, items: str | None, reason: str | None, alert_reference: str | None
) -> None:
    try:
        parse_seizure(
            document=document, items=items, reason=reason, alert_reference=alert_reference
        )
    except InvalidInput as refused:
        assert_names_a_field(refused.field, refused.reason)
