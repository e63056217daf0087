"""Who the stay rule binds at the border check, and a document typed by hand when no MRZ
can be read: the inspector with the node's ``stay_rule`` and a typed visual zone."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from passerelle.documents import typed_document
from passerelle.exc import InvalidInput
from passerelle.node import Node
from passerelle.records.stay_rule import StayExemptionCategory, StayRuleScope
from passerelle.screening import InspectionRequest, Inspector, InspectorConfig
from passerelle.store.crossings import crossings_of
from passerelle.store.inspections import InspectionRepository
from passerelle.store.tables.inspections import Inspection
from tests.conftest import Clock
from tests.screening.conftest import STOLEN_NUMBER, load_crossings, passport, request

MOROCCO = StayRuleScope(
    exempt_nationalities=("MAR",),
    exempt_documents=("PD",),
    categories=(StayExemptionCategory("residence_card", "Residence card holder", "Loi 02-03"),),
)


@pytest.fixture
def moroccan_node(node: Node) -> Inspector:
    """The inspector of a node whose catalogue exempts Moroccans, PD passports, residents."""
    return Inspector(node, config=InspectorConfig(stay_rule=MOROCCO))


def entered_128_days_ago(
    node: Node, clock: Clock, tmp_path: Path, number: str, nation: str
) -> None:
    entered = clock() - timedelta(days=128)
    load_crossings(
        node,
        tmp_path,
        {
            "document_number": number,
            "nationality": nation,
            "issuing_state": nation,
            "direction": "entry",
            "at": entered.isoformat(),
        },
    )


def test_a_moroccan_leaving_after_128_days_is_not_referred_and_shows_no_figures(
    node: Node, moroccan_node: Inspector, clock: Clock, tmp_path: Path
) -> None:
    entered_128_days_ago(node, clock, tmp_path, "ZX9876543", "MAR")
    result = moroccan_node.inspect(request(passport(), clock, direction="exit"))

    assert result.decision == "clear"
    assert result.stay is None
    assert result.light("stay") == "grey"
    (finding,) = [f for f in result.findings if f.source == "stay"]
    assert (finding.code, finding.severity, finding.reference) == (
        "stay_not_applied",
        "info",
        "nationality:MAR",
    )
    assert finding.message == "Stay rule not applied: national of Morocco (MAR)."
    with node.database.read() as session:  # the exit is logged as for anyone cleared
        assert [c.direction for c in crossings_of(session, "MAR", "ZX9876543")][-1] == "exit"


def test_a_foreigner_leaving_after_128_days_is_still_referred_for_overstay(
    node: Node, moroccan_node: Inspector, clock: Clock, tmp_path: Path
) -> None:
    entered_128_days_ago(node, clock, tmp_path, "SN1234567", "SEN")
    senegalese = passport(number="SN1234567", state="SEN", surname="NDIAYE", given_names="AWA")
    result = moroccan_node.inspect(request(senegalese, clock, direction="exit"))

    assert result.decision == "refer"
    assert result.light("stay") == "amber"
    assert [f.code for f in result.findings if f.source == "stay"] == ["overstay"]
    assert result.stay is not None
    assert (result.stay.days_used, result.stay.overstay_days) == (129, 39)  # both ends count


def test_a_stated_category_exempts_and_is_recorded_for_the_auditors(
    node: Node, moroccan_node: Inspector, clock: Clock, tmp_path: Path
) -> None:
    entered_128_days_ago(node, clock, tmp_path, "SN1234567", "SEN")
    senegalese = passport(number="SN1234567", state="SEN", surname="NDIAYE", given_names="AWA")
    asked = replace(request(senegalese, clock, direction="exit"), stay_exemption="residence_card")
    result = moroccan_node.inspect(asked)

    assert (result.decision, result.stay) == ("clear", None)
    (finding,) = [f for f in result.findings if f.source == "stay"]
    assert finding.reference == "exemption:residence_card"
    assert "Residence card holder (Loi 02-03), stated by the officer" in finding.message
    assert finding.action is not None
    assert "proves it" in finding.action
    stored = InspectionRepository(node.audit)
    with node.database.read() as session:
        kept = stored.get(session, result.inspection_id)
    assert kept is not None
    assert "exemption:residence_card" in str(kept.result)


def test_an_exempt_document_type_is_not_bound(
    node: Node, moroccan_node: Inspector, clock: Clock, tmp_path: Path
) -> None:
    entered_128_days_ago(node, clock, tmp_path, "SN1234567", "SEN")
    diplomat = passport(number="SN1234567", state="SEN", surname="NDIAYE", given_names="AWA")
    diplomat = diplomat.replace("P<SEN", "PDSEN", 1)  # the code is outside every check digit
    result = moroccan_node.inspect(request(diplomat, clock, direction="exit"))
    assert (result.decision, result.stay) == ("clear", None)
    assert [f.reference for f in result.findings if f.source == "stay"] == ["document:PD"]


def test_a_category_the_node_does_not_know_is_refused_and_nothing_recorded(
    node: Node, moroccan_node: Inspector, clock: Clock
) -> None:
    asked = replace(request(passport(), clock), stay_exemption="pilot")
    with pytest.raises(InvalidInput) as refused:
        moroccan_node.inspect(asked)
    assert refused.value.field == "stay_exemption"
    with node.database.read() as session:
        assert session.scalar(select(func.count()).select_from(Inspection)) == 0


def test_without_a_scope_the_inspector_binds_everyone(
    node: Node, inspector: Inspector, clock: Clock, tmp_path: Path
) -> None:
    entered_128_days_ago(node, clock, tmp_path, "ZX9876543", "MAR")
    result = inspector.inspect(request(passport(), clock, direction="exit"))
    assert result.decision == "refer"
    assert [f.code for f in result.findings if f.source == "stay"] == ["overstay"]


TYPED = {
    "document_code": "P",
    "issuing_state": "MAR",
    "document_number": STOLEN_NUMBER,
    "surname": "Lamrani",
    "given_names": "Salma",
    "birth_date": "1990-04-21",
    "nationality": "MAR",
    "sex": "F",
    "expiry_date": "2031-07-14",
}


def typed_request(clock: Clock, **fields: str) -> InspectionRequest:
    return replace(request("unused", clock), mrz=None, visual_zone=typed_document(TYPED | fields))


def test_a_typed_document_runs_the_same_checks_and_says_it_was_typed(
    inspector: Inspector, clock: Clock
) -> None:
    result = inspector.inspect(typed_request(clock))

    assert result.decision == "hit"
    assert result.light("sltd") == "red"
    assert result.document["format"] == "typed"
    assert result.document["document_number"] == STOLEN_NUMBER
    typed = [f for f in result.findings if f.code == "typed_by_hand"]
    assert [(f.source, f.severity) for f in typed] == [("document", "info")]
    assert {s.source for s in result.sources if s.light != "grey"} >= {
        "document",
        "sltd",
        "alerts",
        "watchlist",
        "stay",
    }


def test_a_typed_document_past_its_expiry_is_referred(inspector: Inspector, clock: Clock) -> None:
    result = inspector.inspect(
        typed_request(clock, document_number="ZX9876543", expiry_date="2020-01-31")
    )
    assert result.decision == "refer"
    assert result.light("document") == "amber"
    assert {f.code for f in result.findings if f.source == "document"} == {
        "typed_by_hand",
        "expired",
    }


def test_a_request_needs_exactly_one_of_the_mrz_and_the_typed_visual_zone(clock: Clock) -> None:
    typed = typed_document(TYPED)
    with pytest.raises(InvalidInput) as neither:
        replace(request("unused", clock), mrz=None)
    assert neither.value.field == "mrz"
    with pytest.raises(InvalidInput) as both:
        replace(request(passport(), clock), visual_zone=typed)
    assert both.value.field == "visual_zone"
    with pytest.raises(InvalidInput) as future:
        replace(
            request("unused", clock),
            mrz=None,
            visual_zone=replace(typed, birth_date=clock().date() + timedelta(days=2)),
        )
    assert future.value.field == "visual_zone.birth_date"
