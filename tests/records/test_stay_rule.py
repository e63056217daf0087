"""Who the stay rule binds: the catalogue's ``stay_rule`` section, its defaults and its refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from passerelle.demo.catalogues import DEMO_STAY_RULE
from passerelle.exc import InvalidInput
from passerelle.records.catalogues import InvalidCatalogue, catalogues_json, parse_catalogues
from passerelle.records.stay_rule import (
    DEFAULT_STAY_RULE,
    StayExemptionCategory,
    StayRuleScope,
    parse_stay_rule,
)

SECTION = {
    "exempt_nationalities": ["mar"],
    "exempt_documents": ["pd", "PS"],
    "exemptions": [
        {"code": "residence_card", "label": "Residence card holder", "basis": "Loi 02-03, art. 5"},
        {"code": "crew_on_duty", "label": "Crew member on duty"},
    ],
}


def parsed(section: object) -> StayRuleScope:
    text = json.dumps({"stay_rule": section})
    return parse_catalogues(text, source="catalogues.json").stay_rule


def test_the_section_is_read_into_the_catalogues() -> None:
    scope = parsed(SECTION)
    assert scope.exempt_nationalities == ("MAR",)
    assert scope.exempt_documents == ("PD", "PS")
    assert scope.codes == ("residence_card", "crew_on_duty")
    assert scope.category("residence_card").shown == "Residence card holder (Loi 02-03, art. 5)"


def test_without_the_section_the_rule_binds_everyone_but_the_nodes_own_nationals() -> None:
    scope = parse_catalogues("{}", source="c.json").stay_rule
    assert scope == DEFAULT_STAY_RULE
    node = scope.for_node("MAR")
    assert node.exemption(nationality="MAR", document_code="P", stated=None) is not None
    assert node.exemption(nationality="SEN", document_code="P", stated=None) is None
    assert node.exemption(nationality="SEN", document_code="PD", stated=None) is None
    # the inspector's default (tests, tools): nobody is exempt until the node is named
    assert DEFAULT_STAY_RULE.exemption(nationality="MAR", document_code="P", stated=None) is None


def test_an_empty_list_binds_even_the_nodes_nationals() -> None:
    scope = parsed({"exempt_nationalities": []}).for_node("MAR")
    assert scope.exemption(nationality="MAR", document_code="P", stated=None) is None


def test_a_traveller_is_exempt_by_nationality_then_document_then_stated_category() -> None:
    scope = parsed(SECTION).for_node("FRA")  # the section's list wins over the node's state
    national = scope.exemption(nationality="MAR", document_code="PD", stated="crew_on_duty")
    assert national is not None
    assert (national.reference, national.reason) == ("nationality:MAR", "national of Morocco (MAR)")
    assert scope.exemption(nationality="FRA", document_code="P", stated=None) is None
    diplomat = scope.exemption(nationality="SEN", document_code="PD", stated=None)
    assert diplomat is not None
    assert diplomat.reference == "document:PD"
    crew = scope.exemption(nationality="SEN", document_code="P<", stated="crew_on_duty")
    assert crew is not None
    assert (crew.kind, crew.reason) == ("exemption", "Crew member on duty, stated by the officer")


def test_an_unknown_stated_category_is_refused_naming_the_field() -> None:
    scope = parsed(SECTION)
    with pytest.raises(InvalidInput) as refused:
        scope.exemption(nationality="SEN", document_code="P", stated="pilot")
    assert refused.value.field == "stay_exemption"
    assert "residence_card, crew_on_duty" in refused.value.reason
    with pytest.raises(InvalidInput, match="none on this node"):
        DEFAULT_STAY_RULE.category("crew_on_duty")


@pytest.mark.parametrize(
    ("section", "field", "reason"),
    [
        ([], "stay_rule", "must be a JSON object"),
        ({"exempt_states": ["MAR"]}, "stay_rule", "unknown key 'exempt_states'"),
        ({"exempt_nationalities": "MAR"}, "stay_rule.exempt_nationalities", "JSON list"),
        ({"exempt_nationalities": ["MAR", "XYZ"]}, "stay_rule.exempt_nationalities[1]", "XYZ"),
        ({"exempt_nationalities": ["MAR", "mar"]}, "stay_rule.exempt_nationalities[1]", "twice"),
        ({"exempt_documents": ["P1"]}, "stay_rule.exempt_documents[0]", "not a document code"),
        ({"exemptions": [{"label": "Crew"}]}, "stay_rule.exemptions[0].code", "is required"),
        ({"exemptions": [{"code": "Crew!", "label": "x"}]}, "stay_rule.exemptions[0].code", "code"),
        ({"exemptions": [{"code": "crew"}]}, "stay_rule.exemptions[0].label", "is required"),
        (
            {"exemptions": [{"code": "c", "label": "x", "law": "y"}]},
            "stay_rule.exemptions[0]",
            "'law'",
        ),
        (
            {"exemptions": [{"code": "c", "label": "x"}, {"code": "c", "label": "y"}]},
            "stay_rule.exemptions[1].code",
            "listed twice",
        ),
    ],
)
def test_a_bad_section_stops_the_node_naming_the_field(
    section: object, field: str, reason: str
) -> None:
    with pytest.raises(InvalidCatalogue) as refused:
        parsed(section)
    assert refused.value.field == field
    assert reason in refused.value.reason
    assert refused.value.source == "catalogues.json"


def test_the_section_is_written_back_as_read() -> None:
    scope = parse_stay_rule(SECTION, source="x")
    catalogues = parse_catalogues(json.dumps({"stay_rule": SECTION}), source="x")
    assert parse_catalogues(catalogues_json(catalogues), source="x").stay_rule == scope
    assert StayExemptionCategory("crew_on_duty", "Crew member on duty") in scope.categories


def test_the_examples_in_the_operators_guide_are_good_sections() -> None:
    guide = Path(__file__).parents[2] / "docs" / "operator-guide.md"
    section = guide.read_text(encoding="utf-8").split("## Catalogues: who the stay rule binds")[1]
    examples = [part.split("```", 1)[0] for part in section.split("```json\n")[1:3]]
    morocco, schengen = (
        parse_catalogues("{" + example + "}", source=str(guide)).stay_rule for example in examples
    )
    assert morocco == DEMO_STAY_RULE  # the guide shows the demo's, as the demo writes it
    assert len(schengen.exempt_nationalities or ()) == 35
    assert "residence_permit" in schengen.codes
