"""Decision reasons per direction (entry, exit) with labels by language, from the catalogue."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from passerelle.demo.catalogues import DEMO_CATALOGUES, MOROCCAN_REASONS_FILE
from passerelle.exc import InvalidInput
from passerelle.records.catalogues import (
    DEFAULT_REASONS,
    Catalogues,
    InvalidCatalogue,
    catalogues_json,
    label_for_reader,
    parse_catalogues,
)
from passerelle.records.decision_reasons import DEFAULT_JSON, parse_decision_reasons, reasons_json

SOURCE = "/srv/passerelle/config/catalogues.json"
SCHENGEN_EXAMPLE = Path(__file__).parents[2] / "docs" / "examples" / "catalogue-schengen.json"


def reasons(refuse: list[dict[str, Any]], admit_code: str = "cleared") -> dict[str, Any]:
    return {
        "admit": {"label": "Admit", "reasons": [{"code": admit_code, "label": "Checks passed"}]},
        "refer": {"label": "Refer", "reasons": [{"code": "doubt", "label": "Doubt"}]},
        "refuse": {"label": "Refuse", "reasons": refuse},
    }


ENTRY = reasons(
    [
        {
            "code": "no_visa",
            "label": "No valid visa",
            "labels": {"fr": "Absence de visa valable", "ar": "عدم التوفر على تأشيرة صالحة"},
            "legal_basis": "Loi n° 02-03, art. 4",
        }
    ]
)
EXIT = reasons(
    [
        {
            "code": "judicial_travel_ban",
            "label": "Travel ban ordered by a judge",
            "labels": {"fr": "Interdiction de quitter le territoire ordonnée par un juge"},
        },
        {"code": "forged", "label": "Forged document"},
    ]
)
A = {"code": "a", "label": "A"}
BAD_CODE = {"code": "Bad Code", "label": "C"}


def parse(document: Any) -> Catalogues:
    return parse_catalogues(json.dumps(document), source=SOURCE)


def refusal(document: Any) -> InvalidCatalogue:
    with pytest.raises(InvalidCatalogue) as refused:
        parse(document)
    return refused.value


def test_entry_and_exit_offer_their_own_reasons() -> None:
    catalogues = parse({"decision_reasons": {"entry": ENTRY, "exit": EXIT}, "language": "fr"})
    entry, exit_ = catalogues.reasons_for("entry"), catalogues.reasons_for("exit")
    assert entry.fits("refuse", "no_visa")
    assert not exit_.fits("refuse", "no_visa")
    assert exit_.fits("refuse", "judicial_travel_ban")
    assert not entry.fits("refuse", "forged")
    assert catalogues.language == "fr"
    assert catalogues.languages == ("ar", "fr")
    visa = entry.reason("no_visa")
    assert visa is not None
    assert visa.label_in("ar") == "عدم التوفر على تأشيرة صالحة"
    assert visa.label_in("de") == "No valid visa"  # a language not given: the label
    assert visa.legal_basis == "Loi n° 02-03, art. 4"


def test_one_set_of_reasons_still_serves_both_directions() -> None:
    catalogues = parse({"decision_reasons": ENTRY})
    assert catalogues.exit_reasons is None
    assert catalogues.reasons_for("exit") is catalogues.reasons_for("entry")
    catalogues.check_decision("refuse", "no_visa", "exit")
    assert parse({}).reasons_for("exit") == DEFAULT_REASONS


def test_a_reason_not_offered_on_that_direction_is_refused_naming_reason_code() -> None:
    catalogues = parse({"decision_reasons": {"entry": ENTRY, "exit": EXIT}})
    catalogues.check_decision("refuse", "no_visa", "entry")
    with pytest.raises(InvalidInput) as refused:
        catalogues.check_decision("refuse", "no_visa", "exit")
    assert refused.value.field == "reason_code"
    assert "on exit" in refused.value.reason
    with pytest.raises(InvalidInput):
        catalogues.check_decision("admit", "judicial_travel_ban", "exit")  # another action's


def test_the_same_code_may_serve_both_directions_with_its_own_label() -> None:
    exit_ = reasons([{"code": "no_visa", "label": "No exit visa"}])
    catalogues = parse({"decision_reasons": {"entry": ENTRY, "exit": exit_}})
    assert catalogues.reasons_for("exit").label_of("no_visa") == "No exit visa"
    assert catalogues.reasons_for("entry").label_of("no_visa") == "No valid visa"


@pytest.mark.parametrize(
    ("document", "field"),
    [
        ({"entry": ENTRY}, "decision_reasons.exit"),
        (
            {"entry": ENTRY, "exit": {**EXIT, "refuse": {"label": "R"}}},
            "decision_reasons.exit.refuse.reasons",
        ),
        (
            {"entry": ENTRY, "exit": reasons([A, {"code": "b", "label": "B"}, BAD_CODE])},
            "decision_reasons.exit.refuse.reasons[2].code",
        ),
        (
            {"entry": ENTRY, "exit": reasons([{**A, "labels": {"french": "x"}}])},
            "decision_reasons.exit.refuse.reasons[0].labels.french",
        ),
        (
            {"entry": ENTRY, "exit": reasons([{"code": "a", "label": "A", "labels": {"fr": 3}}])},
            "decision_reasons.exit.refuse.reasons[0].labels.fr",
        ),
        (
            {"entry": ENTRY, "exit": reasons([{"code": "a", "label": "A", "labels": ["fr"]}])},
            "decision_reasons.exit.refuse.reasons[0].labels",
        ),
        (
            {"entry": reasons([{**A, "legal_basis": "x" * 301}]), "exit": EXIT},
            "decision_reasons.entry.refuse.reasons[0].legal_basis",
        ),
        (
            {"entry": reasons([{"code": "cleared", "label": "A"}]), "exit": EXIT},
            "decision_reasons.entry.refuse.reasons[0].code",  # twice in one direction
        ),
        ({**ENTRY, "exit": EXIT}, "decision_reasons"),  # the two formats mixed
    ],
)
def test_a_bad_section_is_refused_naming_the_field(document: Any, field: str) -> None:
    refused = refusal({"decision_reasons": document})
    assert refused.field == field, refused
    assert refused.source == SOURCE


def test_a_bad_language_is_refused() -> None:
    assert refusal({"language": "French"}).field == "language"


def test_the_catalogue_file_round_trips_per_direction() -> None:
    catalogues = parse({"decision_reasons": {"entry": ENTRY, "exit": EXIT}, "language": "fr"})
    again = parse_catalogues(catalogues_json(catalogues), source=SOURCE)
    assert again == catalogues
    assert parse({"decision_reasons": {"entry": DEFAULT_JSON, "exit": DEFAULT_JSON}}).reasons == (
        DEFAULT_REASONS
    )


def test_the_moroccan_demo_catalogue_parses_with_entry_and_exit_reasons() -> None:
    again = parse_catalogues(catalogues_json(DEMO_CATALOGUES), source=SOURCE)
    assert again.reasons == DEMO_CATALOGUES.reasons
    entry, exit_ = DEMO_CATALOGUES.reasons_for("entry"), DEMO_CATALOGUES.reasons_for("exit")
    ban = exit_.reason("judicial_travel_ban")
    assert ban is not None
    assert not entry.fits("refuse", "judicial_travel_ban")
    assert ban.label_in("fr") == "Interdiction de quitter le territoire ordonnée par un juge"
    assert ban.label_in("ar") == "منع من مغادرة التراب الوطني بأمر قضائي"
    threat = entry.reason("public_order_threat")
    assert threat is not None
    assert "02-03" in threat.legal_basis
    assert "art. 4" in threat.legal_basis
    for direction in ("entry", "exit"):
        for group in DEMO_CATALOGUES.reasons_for(direction).groups:
            for reason in group.reasons:  # every reason speaks the three languages
                assert {lang for lang, _ in reason.labels} == {"fr", "ar", "en"}, reason.code
    assert json.loads(MOROCCAN_REASONS_FILE.read_text(encoding="utf-8"))["language"] == "fr"


def test_the_schengen_example_parses_with_grounds_a_to_j() -> None:
    catalogues = parse_catalogues(SCHENGEN_EXAMPLE.read_text(encoding="utf-8"), source="ex")
    refuse = catalogues.reasons_for("entry").group("refuse")
    assert refuse is not None
    assert [r.label[:3] for r in refuse.reasons] == [f"({c})" for c in "ABCDEFGHIJ"]
    assert all("2016/399" in r.legal_basis for r in refuse.reasons)
    exit_refuse = catalogues.reasons_for("exit").group("refuse")
    assert exit_refuse is not None
    assert not any(r.code.startswith("a_") for r in exit_refuse.reasons)


def test_the_example_in_the_operators_guide_gives_each_direction_its_reasons() -> None:
    guide = Path(__file__).parents[2] / "docs" / "operator-guide.md"
    section = guide.read_text(encoding="utf-8").split("## Decision catalogue per direction", 1)[1]
    example = section.split("```json\n", 1)[1].split("```", 1)[0]
    catalogues = parse_catalogues(example, source=str(guide))
    assert catalogues.language == "fr"
    assert catalogues.reasons_for("exit").fits("refuse", "judicial_travel_ban")
    assert not catalogues.reasons_for("entry").fits("refuse", "judicial_travel_ban")


def test_the_default_reasons_are_read_in_the_readers_language() -> None:
    cleared = DEFAULT_REASONS.reason("cleared")
    refuse = DEFAULT_REASONS.group("refuse")
    assert cleared is not None
    assert refuse is not None
    assert label_for_reader(cleared, "en") == "Checks passed"
    assert label_for_reader(cleared, "fr") == "Contrôles satisfaisants"
    assert label_for_reader(cleared, "ar") == "عمليات التحقق سليمة"
    assert label_for_reader(refuse, "fr") == "Refuser l'entrée ou la sortie"


def test_a_catalogues_own_labels_by_language_come_before_the_nodes_translation() -> None:
    section = {
        "admit": {
            "label": "Admit",
            "labels": {"fr": "Admettre (poste frontière)", "ar": "السماح"},
            "reasons": [
                {"code": "cleared", "label": "Checks passed", "labels": {"fr": "RAS"}},
                {"code": "local", "label": "Seen by the chief"},
            ],
        },
        "refer": DEFAULT_JSON["refer"],
        "refuse": DEFAULT_JSON["refuse"],
    }
    reasons, _ = parse_decision_reasons(section, "c.json")
    admit = reasons.group("admit")
    assert admit is not None
    assert label_for_reader(admit, "fr") == "Admettre (poste frontière)"
    assert label_for_reader(admit.reasons[0], "fr") == "RAS"
    assert label_for_reader(admit.reasons[0], "ar") == "عمليات التحقق سليمة"  # the node's
    assert label_for_reader(admit.reasons[1], "ar") == "Seen by the chief"  # as written
    again, _ = parse_decision_reasons(reasons_json(reasons), "c.json")
    assert again == reasons
