"""The booth's hand entry and stated stay exemption without a browser: the form's fields,
a typed document checked, and refusals that bring the form back naming the field
(tests/web/test_browser_stay.py walks the same in Chromium)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from passerelle.node import Node
from tests.screening.conftest import STOLEN_NUMBER, passport
from tests.web.test_booth_catalogues import signed_in
from tests.web.test_pages import csrf

TYPED = {
    "vz_document_code": "P",
    "vz_issuing_state": "MAR",
    "vz_document_number": STOLEN_NUMBER,
    "vz_surname": "Lamrani",
    "vz_given_names": "Salma",
    "vz_birth_date": "1990-04-21",
    "vz_nationality": "MAR",
    "vz_sex": "F",
    "vz_expiry_date": "2031-07-14",
}


@pytest.fixture
def booth(node: Node) -> Iterator[TestClient]:
    path = node.settings.effective_catalogues_file
    path.parent.mkdir(parents=True, exist_ok=True)
    section = {"exemptions": [{"code": "crew_on_duty", "label": "Crew member on duty"}]}
    path.write_text(json.dumps({"stay_rule": section}), encoding="utf-8")
    with signed_in(node) as client:
        yield client


def check(client: TestClient, **fields: Any) -> Response:
    form = client.get("/check").text
    data = {"csrf_token": csrf(form), "crossing_point": "TNG-MED", "direction": "entry",
            "purpose": "border control"} | fields  # fmt: skip
    return client.post("/check", data=data)


def test_the_form_offers_hand_entry_and_the_nodes_stay_exemptions(booth: TestClient) -> None:
    form = booth.get("/check").text
    assert 'id="hand-entry"' in form
    assert 'accesskey="t"' in form
    assert "Type the document (no readable MRZ)" in form
    for field in TYPED:
        assert f'name="{field}"' in form
    assert '<option value="crew_on_duty"' in form


def test_a_typed_document_is_checked_and_the_verdict_says_it_was_typed(booth: TestClient) -> None:
    verdict = check(booth, **TYPED)
    assert verdict.status_code == 200
    assert "HIT" in verdict.text
    assert "Typed by hand from the visual zone" in verdict.text
    assert STOLEN_NUMBER in verdict.text


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({}, "MRZ: is required"),
        (TYPED | {"mrz": passport()}, "Visual zone: give the MRZ or the typed visual zone"),
        (TYPED | {"vz_issuing_state": "XYZ"}, "Issuing state: &#39;XYZ&#39; is not an ICAO 9303"),
        ({"mrz": passport(), "stay_exemption": "pilot"}, "stay_exemption"),
    ],
)
def test_a_bad_entry_brings_the_form_back_naming_the_field(
    booth: TestClient, fields: dict[str, str], named: str
) -> None:
    answer = check(booth, **fields)
    assert answer.status_code == 422
    assert named in answer.text
    assert 'id="check-form"' in answer.text
    if "vz_surname" in fields:  # what was typed comes back, the panel open
        assert 'value="Lamrani"' in answer.text
        assert '<details class="hand-entry" id="hand-entry" open>' in answer.text


def test_a_typed_document_with_a_forged_csrf_token_is_refused(booth: TestClient) -> None:
    data = {"csrf_token": "forged", "crossing_point": "TNG-MED", "direction": "entry",
            "purpose": "border control"} | TYPED  # fmt: skip
    assert booth.post("/check", data=data).status_code == 403
