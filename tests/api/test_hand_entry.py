"""``POST /api/v1/inspections`` with a document typed by hand (``visual_zone``) and a stated
stay exemption (``stay_exemption``): accepted, checked like a scan, refused naming the field."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from passerelle.access import AccessControl
from passerelle.node import Node
from passerelle.records.catalogues import Catalogues
from passerelle.records.stay_rule import StayExemptionCategory, StayRuleScope
from passerelle.server import create_app
from passerelle.wiring import NodeServices, build_services
from tests.api.conftest import FAST, PASSWORD, SETUP, Api
from tests.screening.conftest import STOLEN_NUMBER, load_crossings, passport

BODY = {"purpose": "border control", "crossing_point": "TNG-MED", "direction": "exit"}
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
MOROCCO = Catalogues(
    stay_rule=StayRuleScope(
        exempt_nationalities=("MAR",),
        categories=(StayExemptionCategory("residence_card", "Residence card holder"),),
    )
)


@pytest.fixture
def moroccan_api(node: Node) -> Iterator[Api]:
    """The app of a node whose catalogue exempts Moroccans and residence card holders."""

    def wire(serving: Node) -> NodeServices:
        services = build_services(serving, catalogues=MOROCCO)
        return replace(services, access=AccessControl.for_node(serving, hashing=FAST))

    access = AccessControl.for_node(node, hashing=FAST)
    access.add_user("officer.one", "officer", PASSWORD, by=SETUP)
    token = access.issue_token("officer.one", by=SETUP).token
    app = create_app(node=node, wire=wire)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield Api(client, {"officer": token}, app.state.services)


def inspect(api: Api, **body: Any) -> Any:
    return api.client.post("/api/v1/inspections", json=BODY | body, headers=api.as_role("officer"))


def test_a_typed_visual_zone_is_checked_like_a_scan_and_says_it_was_typed(api: Api) -> None:
    answer = inspect(api, visual_zone=TYPED)
    assert answer.status_code == 201, answer.text
    result = answer.json()
    assert result["decision"] == "hit"
    assert result["sources"]["sltd"] == "red"
    assert result["document"]["format"] == "typed"
    assert result["document"]["surname"] == "LAMRANI"
    (typed,) = [f for f in result["findings"] if f["code"] == "typed_by_hand"]
    assert (typed["source"], typed["severity"]) == ("document", "info")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "mrz"),
        ({"mrz": passport(), "visual_zone": TYPED}, "visual_zone"),
        ({"visual_zone": TYPED | {"surname": "Lamrani 2"}}, "visual_zone.surname"),
        ({"visual_zone": TYPED | {"expiry_date": "14/07/2031"}}, "visual_zone.expiry_date"),
        (
            {"visual_zone": {k: v for k, v in TYPED.items() if k != "nationality"}},
            "visual_zone.nationality",
        ),
        ({"visual_zone": TYPED | {"height": "180"}}, "visual_zone.height"),
        ({"mrz": passport(), "stay_exemption": "residence_card"}, "stay_exemption"),
    ],
)
def test_a_bad_document_is_refused_naming_the_field_and_nothing_is_recorded(
    api: Api, body: dict[str, Any], field: str
) -> None:
    answer = inspect(api, **body)
    assert answer.status_code == 422, answer.text
    assert answer.json()["field"] == field
    queue = api.client.get("/api/v1/hits", headers=api.as_role("analyst")).json()["hits"]
    assert queue == []


def test_a_moroccan_leaving_after_128_days_gets_no_stay_figures_a_foreigner_does(
    moroccan_api: Api, node: Node, tmp_path: Path
) -> None:
    entered = (node.clock() - timedelta(days=128)).isoformat()
    load_crossings(
        node,
        tmp_path,
        {"document_number": "ZX9876543", "direction": "entry", "at": entered},
        {"document_number": "SN1234567", "issuing_state": "SEN", "nationality": "SEN",
         "direction": "entry", "at": entered},
    )  # fmt: skip
    moroccan = inspect(moroccan_api, mrz=passport()).json()
    assert (moroccan["decision"], moroccan["stay"], moroccan["sources"]["stay"]) == (
        "clear",
        None,
        "grey",
    )
    senegalese = passport(number="SN1234567", state="SEN", surname="NDIAYE", given_names="AWA")
    foreign = inspect(moroccan_api, mrz=senegalese).json()
    assert foreign["decision"] == "refer"
    assert foreign["stay"]["overstay_days"] == 39
    resident = inspect(moroccan_api, mrz=senegalese, stay_exemption="residence_card").json()
    assert (resident["decision"], resident["stay"]) == ("clear", None)
    (said,) = [f for f in resident["findings"] if f["code"] == "stay_not_applied"]
    assert said["reference"] == "exemption:residence_card"
    refused = inspect(moroccan_api, mrz=senegalese, stay_exemption="crew")
    assert refused.status_code == 422
    assert refused.json()["field"] == "stay_exemption"
