"""A node's catalogues (crossing points, decision reasons) parsed from its catalogue file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from passerelle.exc import ConfigurationError
from passerelle.records.catalogues import (
    ACTIONS,
    DEFAULT_CATALOGUES,
    DEFAULT_REASONS,
    Catalogues,
    CrossingPoint,
    InvalidCatalogue,
    catalogues_json,
    parse_catalogues,
)

SOURCE = "/srv/passerelle/config/catalogues.json"

SCHENGEN = {
    "crossing_points": [
        {"code": "BRU-ZAV", "name": "Brussels Airport, Zaventem"},
        {"code": "crl", "name": "Brussels South Charleroi Airport"},
        {"code": "ANR PORT"},
    ],
    "decision_reasons": {
        "admit": {
            "label": "Admit",
            "reasons": [{"code": "cleared", "label": "Checks passed", "preselect": ["clear"]}],
        },
        "refer": {
            "label": "Second line",
            "reasons": [
                {"code": "hit_to_handle", "label": "Hit to handle", "preselect": ["hit"]},
                {"code": "doubt", "label": "Doubt", "preselect": ["document", "face", "other"]},
            ],
        },
        "refuse": {
            "label": "Refuse (Schengen Borders Code Annex V, Part B)",
            "reasons": [
                {"code": "a_no_valid_document", "label": "A — no valid travel document"},
                {"code": "b_false_document", "label": "B — false, counterfeit or forged"},
            ],
        },
    },
}


def parse(document: Any) -> Catalogues:
    return parse_catalogues(json.dumps(document), source=SOURCE)


def refusal(document: Any) -> InvalidCatalogue:
    with pytest.raises(InvalidCatalogue) as refused:
        parse(document)
    return refused.value


def test_a_full_catalogue_gives_its_points_in_order_and_its_reasons_by_action() -> None:
    catalogues = parse(SCHENGEN)
    assert catalogues.crossing_points == (
        CrossingPoint("BRU-ZAV", "Brussels Airport, Zaventem"),
        CrossingPoint("CRL", "Brussels South Charleroi Airport"),
        CrossingPoint("ANR PORT", ""),
    )
    assert [group.action for group in catalogues.reasons.groups] == list(ACTIONS)
    refuse = catalogues.reasons.group("refuse")
    assert refuse is not None
    assert refuse.label == "Refuse (Schengen Borders Code Annex V, Part B)"
    assert catalogues.reasons.fits("refuse", "b_false_document")
    assert not catalogues.reasons.fits("admit", "b_false_document")
    assert not catalogues.reasons.fits("refuse", "false_document")  # the defaults are replaced
    assert catalogues.source == SOURCE


def test_a_reason_is_preselected_for_the_verdicts_it_lists_else_the_first_of_its_action() -> None:
    reasons = parse(SCHENGEN).reasons
    assert reasons.preselected("clear") == "cleared"
    assert reasons.preselected("hit") == "hit_to_handle"
    assert reasons.preselected("face") == "doubt"
    assert reasons.preselected("stay") == "hit_to_handle"  # nothing lists it: first referral


def test_each_section_is_optional_and_an_empty_file_object_is_the_defaults() -> None:
    assert parse({}) == Catalogues(source=SOURCE)
    assert parse({"crossing_points": [{"code": "TNG-MED"}]}).reasons is DEFAULT_REASONS
    assert parse({"decision_reasons": SCHENGEN["decision_reasons"]}).crossing_points == ()


def test_the_defaults_offer_no_crossing_point_and_reasons_for_each_action() -> None:
    assert DEFAULT_CATALOGUES.crossing_points == ()
    for action in ACTIONS:
        group = DEFAULT_REASONS.group(action)
        assert group is not None
        assert group.reasons


def test_the_default_reasons_cite_no_states_law() -> None:
    words = catalogues_json(DEFAULT_CATALOGUES).lower()
    assert "schengen" not in words
    assert "annex" not in words


def test_the_default_reasons_preselect_what_the_verdict_page_always_offered_first() -> None:
    offered = {
        situation: DEFAULT_REASONS.preselected(situation)
        for situation in ("clear", "hit", "document", "face", "watchlist", "stay", "other")
    }
    assert offered == {
        "clear": "cleared",
        "hit": "hit_to_handle",
        "document": "document_doubt",
        "face": "face_mismatch",
        "watchlist": "watchlist_candidate",
        "stay": "stay_question",
        "other": "identity_doubt",
    }


def test_a_catalogue_written_as_json_reads_back_the_same() -> None:
    catalogues = parse(SCHENGEN)
    again = parse_catalogues(catalogues_json(catalogues), source=SOURCE)
    assert again == catalogues


@pytest.mark.parametrize(
    ("document", "field", "reason"),
    [
        ([], "(file)", "must be a JSON object, not a list"),
        ({"crossing_point": []}, "(file)", "unknown key 'crossing_point'"),
        ({"crossing_points": {"TNG-MED": "Tanger"}}, "crossing_points", "must be a JSON list"),
        ({"crossing_points": ["TNG-MED"]}, "crossing_points[0]", "must be a JSON object"),
        ({"crossing_points": [{"name": "Tanger"}]}, "crossing_points[0].code", "is required"),
        ({"crossing_points": [{"code": "  "}]}, "crossing_points[0].code", "must not be empty"),
        ({"crossing_points": [{"code": 7}]}, "crossing_points[0].code", "must be text"),
        (
            {"crossing_points": [{"code": "TNG"}, {"code": "-TNG"}]},
            "crossing_points[1].code",
            "is not a crossing point code",
        ),
        (
            {"crossing_points": [{"code": "TNG-MED"}, {"code": "tng-med"}]},
            "crossing_points[1].code",
            "TNG-MED is listed twice",
        ),
        (
            {"crossing_points": [{"code": "X", "name": "n" * 201}]},
            "crossing_points[0].name",
            "is longer than 200",
        ),
        (
            {"crossing_points": [{"code": "X", "gate": 3}]},
            "crossing_points[0]",
            "unknown key 'gate'",
        ),
    ],
)
def test_a_bad_crossing_point_list_is_refused_naming_the_field(
    document: Any, field: str, reason: str
) -> None:
    refused = refusal(document)
    assert (refused.source, refused.field) == (SOURCE, field)
    assert reason in refused.reason
    assert str(refused).startswith(f"{SOURCE}: {field}: ")


def _reasons(**changes: Any) -> dict[str, Any]:
    reasons = json.loads(json.dumps(SCHENGEN["decision_reasons"]))
    for path, value in changes.items():
        action, _, key = path.partition("__")
        if value is None and key:
            del reasons[action][key]
        elif value is None:
            del reasons[action]
        else:
            reasons[action][key] = value
    return {"decision_reasons": reasons}


@pytest.mark.parametrize(
    ("document", "field", "reason"),
    [
        (_reasons(refuse=None), "decision_reasons.refuse", "is required"),
        (_reasons(refer__reasons=[]), "decision_reasons.refer.reasons", "at least one reason"),
        (_reasons(admit__label=None), "decision_reasons.admit.label", "is required"),
        (
            _reasons(admit__reasons=[{"code": "Cleared!", "label": "Checks passed"}]),
            "decision_reasons.admit.reasons[0].code",
            "is not a reason code",
        ),
        (
            _reasons(admit__reasons=[{"code": "hit_to_handle", "label": "Twice"}]),
            "decision_reasons.refer.reasons[0].code",
            "hit_to_handle is listed twice",
        ),
        (
            _reasons(admit__reasons=[{"code": "ok", "label": "OK", "preselect": ["green"]}]),
            "decision_reasons.admit.reasons[0].preselect",
            "'green' is not one of clear, hit",
        ),
        (
            _reasons(admit__reasons=[{"code": "ok", "label": "OK", "preselect": ["hit"]}]),
            "decision_reasons.refer.reasons[0].preselect",
            "'hit' is preselected twice",
        ),
        (
            _reasons(admit__reasons=[{"code": "ok"}]),
            "decision_reasons.admit.reasons[0].label",
            "is required",
        ),
        ({"decision_reasons": {"wave": {}}}, "decision_reasons", "unknown key 'wave'"),
    ],
)
def test_a_bad_reason_catalogue_is_refused_naming_the_field(
    document: Any, field: str, reason: str
) -> None:
    refused = refusal(document)
    assert refused.field == field
    assert reason in refused.reason


def test_text_that_is_not_json_is_refused_with_where_it_breaks() -> None:
    with pytest.raises(InvalidCatalogue) as refused:
        parse_catalogues('{"crossing_points": [\n  {"code": "TNG-MED",}\n]}', source=SOURCE)
    assert refused.value.field == "(file)"
    assert "line 2" in refused.value.reason


def test_a_bad_catalogue_is_a_configuration_error() -> None:
    assert issubclass(InvalidCatalogue, ConfigurationError)


def test_the_example_in_the_operators_guide_is_a_good_catalogue() -> None:
    guide = Path(__file__).parents[2] / "docs" / "operator-guide.md"
    section = guide.read_text(encoding="utf-8").split("## Catalogues", 1)[1]
    example = section.split("```json\n", 1)[1].split("```", 1)[0]
    catalogues = parse_catalogues(example, source=str(guide))
    assert catalogues.point_codes == ("TNG-MED", "CMN-T1", "BAB-SEBTA")
    assert catalogues.reasons.fits("refuse", "b_false_document")
    assert catalogues.reasons.preselected("face") == "identity_doubt"
