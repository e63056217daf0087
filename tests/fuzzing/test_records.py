"""Records as files and bodies give them: catalogues and alerts, accepted or refused by field.

``parse_catalogues`` refuses a catalogue file with ``InvalidCatalogue`` naming the
file, the field and the reason, and what it accepts it writes back
(``catalogues_json``) to the same catalogues; ``parse_alert`` refuses an alert body
with ``InvalidInput`` naming the field.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from passerelle.exc import InvalidInput
from passerelle.records.alerts import parse_alert
from passerelle.records.catalogue_parsing import InvalidCatalogue
from passerelle.records.catalogues import catalogues_json, parse_catalogues
from tests.fuzzing.budget import FUZZ
from tests.fuzzing.refusals import assert_names_a_field
from tests.fuzzing.strategies import json_objects, json_values, mutated, texts
from tests.records.test_forgeries import forgery_alert

MOROCCO = json.loads(
    (Path(__file__).parents[2] / "src/passerelle/demo/catalogue_morocco.json").read_text("utf-8")
)
ALERTS: list[dict[str, Any]] = [
    {
        "category": "travel_ban",
        "issuing_authority": "DGSN Rabat",
        "action": "Refuse entry.",
        "subject": {"kind": "person", "names": ["Karim Haddad"], "birth_date": "1980-06-15"},
        "valid_from": "2026-01-01",
        "id": "MAR-A-0042",
    },
    {
        "category": "stolen_vehicle",
        "issuing_authority": "Police",
        "action": "Stop the vehicle.",
        "subject": {"kind": "vehicle", "plate": "ab-123-cd", "registration_country": "fra"},
    },
    {
        "category": "stolen_document",
        "issuing_authority": "Police",
        "action": "Seize the document.",
        "subject": {"kind": "document", "issuing_state": "MAR", "document_number": "AB1234567"},
    },
]


@st.composite
def catalogue_texts(draw: st.DrawFn) -> str:
    """A catalogue file: Morocco's with a section (or a part of one) mutated, or any JSON."""
    choice = draw(st.sampled_from(["section", "point", "reasons", "any", "text"]))
    catalogue = json.loads(json.dumps(MOROCCO))
    if choice == "section":
        catalogue = draw(mutated(catalogue))
    elif choice == "point" and catalogue.get("crossing_points"):
        catalogue["crossing_points"][0] = draw(mutated(catalogue["crossing_points"][0]))
    elif choice == "reasons":
        entry = catalogue["decision_reasons"]["entry"]
        entry["admit"]["reasons"][0] = draw(mutated(entry["admit"]["reasons"][0]))
        catalogue["decision_reasons"]["entry"] = draw(mutated(entry))
    elif choice == "any":
        catalogue = draw(json_values())
    else:
        return draw(texts)
    return json.dumps(catalogue, ensure_ascii=draw(st.booleans()))


@FUZZ
@given(catalogue_texts())
@example(json.dumps(MOROCCO))
@example('{"language": "fr", "crossing_points": [{"code": "x"}, {"code": "X"}]}')
@example(  # a label's language key was named as given
    json.dumps(
        {
            "decision_reasons": {
                "admit": {
                    "label": "A",
                    "reasons": [{"code": "c", "label": "C", "labels": {"\u001f": "x"}}],
                }
            }
        }
    )
)
def test_a_catalogue_file_is_read_or_refused_naming_the_field(text: str) -> None:
    try:
        catalogues = parse_catalogues(text, source="catalogue.json")
    except InvalidCatalogue as refused:
        source, field, reason = refused.source, refused.field, refused.reason
    else:
        assert parse_catalogues(catalogues_json(catalogues), source="catalogue.json") == catalogues
        return
    assert source == "catalogue.json"
    assert_names_a_field(field, reason)


@FUZZ
@given(st.one_of(st.sampled_from(ALERTS).flatmap(mutated), json_objects()))
@example({**ALERTS[0], "subject": {"kind": "person", "names": ["x" * 10_000]}})
@example({**ALERTS[1], "": 0})  # an unknown key was named as given: an empty field
@example({**ALERTS[1], "\u202e" * 100: 0})  # ...or a long one of invisible characters
def test_an_alert_body_is_read_or_refused_naming_the_field(record: dict[str, Any]) -> None:
    try:
        draft = parse_alert(record)
    except InvalidInput as refused:
        assert_names_a_field(refused.field, refused.reason)
        return
    assert draft.category == record["category"]


FORGERY = forgery_alert()


@FUZZ
@given(
    mutated(FORGERY["subject"]),
    st.one_of(
        st.none(),
        json_values(),
        st.lists(mutated(FORGERY["reference_images"][0]), max_size=5),
    ),
)
@example(FORGERY["subject"], FORGERY["reference_images"])
@example({**FORGERY["subject"], "number_pattern": "A" * 25}, None)
def test_a_forgery_alert_is_read_or_refused_naming_the_field_and_reads_back_the_same(
    subject: Any, images: Any
) -> None:
    record = {**FORGERY, "subject": subject, "reference_images": images}
    try:
        draft = parse_alert(record)
    except InvalidInput as refused:
        assert_names_a_field(refused.field, refused.reason)
        return
    assert parse_alert(draft.as_json()) == draft
