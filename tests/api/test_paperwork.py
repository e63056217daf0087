"""Decisions checked against the inspection's direction, the refusal notice and seizures.

On a node with Morocco's catalogue (entry and exit reasons apart, labels in
French, Arabic and English), through ``/api/v1/inspections``.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader

from passerelle.access import AccessControl
from passerelle.demo.catalogues import DEMO_CATALOGUES
from passerelle.node import Node
from passerelle.records.catalogues import catalogues_json
from passerelle.server import create_app
from tests.api.conftest import FAST, ROLES, SETUP, Api, fast_services, passport
from tests.screening.conftest import STOLEN_NUMBER, node  # noqa: F401  (fixture)

PASSWORD = "correct horse battery"
ENTRY = {"purpose": "border control", "crossing_point": "TNG-MED", "direction": "entry"}
EXIT = {**ENTRY, "direction": "exit"}


@pytest.fixture
def moroccan(node: Node) -> Iterator[Api]:  # noqa: F811
    """The API of a node whose catalogue file is the Moroccan demo's."""
    path = node.settings.effective_catalogues_file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(catalogues_json(DEMO_CATALOGUES), encoding="utf-8")
    access = AccessControl.for_node(node, hashing=FAST)
    tokens = {}
    for role in ROLES:
        access.add_user(f"{role}.one", role, PASSWORD, by=SETUP)
        tokens[role] = access.issue_token(f"{role}.one", by=SETUP).token
    app = create_app(node=node, wire=fast_services)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield Api(client, tokens, app.state.services)


def inspected(api: Api, body: dict[str, Any], **mrz: str) -> str:
    answer = api.client.post(
        "/api/v1/inspections", json={**body, "mrz": passport(**mrz)}, headers=api.as_role("officer")
    )
    assert answer.status_code == 201, answer.text
    inspection_id: str = answer.json()["inspection_id"]
    return inspection_id


def decide(api: Api, inspection_id: str, action: str, reason_code: str) -> Any:
    return api.client.post(
        f"/api/v1/inspections/{inspection_id}/decision",
        json={"action": action, "reason_code": reason_code},
        headers=api.as_role("officer"),
    )


def pdf_text(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF-")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def audited(api: Api, action: str) -> list[dict[str, Any]]:
    answer = api.client.get(f"/api/v1/audit?action={action}", headers=api.as_role("auditor"))
    assert answer.status_code == 200, answer.text
    records: list[dict[str, Any]] = answer.json()["records"]
    return [r for r in records if r["action"] == action]


def test_an_entry_only_reason_on_an_exit_is_refused_and_nothing_is_recorded(
    moroccan: Api,
) -> None:
    inspection_id = inspected(moroccan, EXIT)
    refused = decide(moroccan, inspection_id, "refuse", "no_valid_visa")  # entry's, not exit's
    assert refused.status_code == 422
    assert refused.json()["field"] == "reason_code"
    stored = moroccan.client.get(
        f"/api/v1/inspections/{inspection_id}", headers=moroccan.as_role("officer")
    ).json()
    assert stored["officer_decision"] is None
    assert audited(moroccan, "inspection.decide") == []


def test_an_exit_refusal_for_a_judicial_travel_ban_answers_its_label(moroccan: Api) -> None:
    inspection_id = inspected(moroccan, EXIT)
    answer = decide(moroccan, inspection_id, "refuse", "judicial_travel_ban")
    assert answer.status_code == 200, answer.text
    decision = answer.json()["officer_decision"]
    assert decision["reason_code"] == "judicial_travel_ban"
    assert decision["reason_label"] == "Travel ban ordered by a judge"
    # an entry cannot be refused for it
    other = inspected(moroccan, ENTRY, number="AB1234567")
    assert decide(moroccan, other, "refuse", "judicial_travel_ban").status_code == 422


def test_an_old_clients_decision_still_works_on_the_default_catalogue(api: Api) -> None:
    inspection_id = inspected(api, EXIT)
    answer = decide(api, inspection_id, "admit", "cleared")
    assert answer.status_code == 200, answer.text
    assert answer.json()["officer_decision"]["reason_label"] == "Checks passed"


def test_the_refusal_notice_names_the_traveller_and_the_reason_in_both_languages(
    moroccan: Api,
) -> None:
    officer = moroccan.as_role("officer")
    inspection_id = inspected(moroccan, ENTRY, surname="OUAZZANI", given_names="KARIM")
    path = f"/api/v1/inspections/{inspection_id}/refusal-notice.pdf"
    undecided = moroccan.client.get(path, headers=officer)
    assert undecided.status_code == 409
    assert "was not refused" in undecided.json()["detail"]
    assert decide(moroccan, inspection_id, "refuse", "no_valid_visa").status_code == 200

    notice = moroccan.client.get(path + "?language=ar", headers=officer)
    assert notice.status_code == 200, notice.text
    assert notice.headers["content-type"] == "application/pdf"
    text = pdf_text(notice.content)
    assert "KARIM OUAZZANI" in text
    assert "Absence de visa valable lorsqu'il est exigé" in text  # the officer's French
    assert "عدم التوفر على تأشيرة صالحة عندما تكون مطلوبة" in text  # the traveller's Arabic
    assert "02-03" in text  # the legal basis
    assert "TNG-MED" in text
    assert "officer.one" in text

    english = pdf_text(moroccan.client.get(path + "?language=en", headers=officer).content)
    assert "No valid visa where one is required" in english
    records = audited(moroccan, "inspection.refusal_notice")
    assert [(r["query"]["language"], r["result"]["outcome"]) for r in records] == [
        ("en", "found"),
        ("ar", "found"),
        ("fr", "invalid"),  # asked before the refusal: recorded, nothing printed
    ]


def test_a_refusal_notice_is_refused_for_an_admission_an_unknown_id_or_language(
    moroccan: Api,
) -> None:
    officer = moroccan.as_role("officer")
    inspection_id = inspected(moroccan, ENTRY)
    decide(moroccan, inspection_id, "admit", "cleared")
    admitted = moroccan.client.get(
        f"/api/v1/inspections/{inspection_id}/refusal-notice.pdf", headers=officer
    )
    assert admitted.status_code == 409
    unknown = moroccan.client.get("/api/v1/inspections/nope/refusal-notice.pdf", headers=officer)
    assert unknown.status_code == 404
    assert unknown.json()["field"] == "inspection_id"
    refused = inspected(moroccan, ENTRY, number="AB1234567")
    decide(moroccan, refused, "refuse", "public_order_threat")
    klingon = moroccan.client.get(
        f"/api/v1/inspections/{refused}/refusal-notice.pdf?language=tlh", headers=officer
    )
    assert klingon.status_code == 422
    assert klingon.json()["field"] == "language"
    analyst = moroccan.client.get(
        f"/api/v1/inspections/{refused}/refusal-notice.pdf", headers=moroccan.as_role("analyst")
    )
    assert analyst.status_code == 403


def test_a_seized_document_is_recorded_audited_and_receipted(moroccan: Api) -> None:
    officer = moroccan.as_role("officer")
    inspection_id = inspected(moroccan, ENTRY, number=STOLEN_NUMBER, surname="BENNANI")
    path = f"/api/v1/inspections/{inspection_id}/seizures"
    first = moroccan.client.post(
        path,
        json={"reason": "Reported stolen", "alert_reference": "SLTD MAR"},
        headers=officer,
    )
    assert first.status_code == 201, first.text
    seizure = first.json()
    assert seizure["number"] == 1
    assert seizure["document"] is True
    assert (seizure["document_state"], seizure["document_number"]) == ("MAR", STOLEN_NUMBER)
    assert seizure["document_type"] == "P"
    second = moroccan.client.post(
        path,
        json={"document": False, "items": "Two blank visa stickers", "reason": "Forgery kit"},
        headers=officer,
    )
    assert second.json()["number"] == 2
    listed = moroccan.client.get(path, headers=officer).json()["seizures"]
    assert [s["number"] for s in listed] == [1, 2]
    records = audited(moroccan, "inspection.seizure")
    assert [r["result"]["number"] for r in records] == [2, 1]
    assert records[1]["purpose"] == "Reported stolen"

    receipt = moroccan.client.get(f"{path}/1/receipt.pdf?language=ar", headers=officer)
    assert receipt.status_code == 200, receipt.text
    text = pdf_text(receipt.content)
    assert "BENNANI" in text
    assert STOLEN_NUMBER in text
    assert "Reported stolen" in text
    assert "وصل الحجز" in text  # the receipt's title in Arabic
    assert moroccan.client.get(f"{path}/3/receipt.pdf", headers=officer).status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"document": False, "items": "  ", "reason": "x"}, "items"),
        ({"reason": " "}, "reason"),
        ({"reason": "x" * 501}, "reason"),
        ({"reason": "x", "items": "y" * 2001}, "items"),
        ({"reason": "x", "colour": "red"}, "colour"),
    ],
)
def test_a_bad_seizure_is_refused_naming_the_field_and_nothing_is_recorded(
    moroccan: Api, body: dict[str, Any], field: str
) -> None:
    officer = moroccan.as_role("officer")
    inspection_id = inspected(moroccan, ENTRY)
    answer = moroccan.client.post(
        f"/api/v1/inspections/{inspection_id}/seizures", json=body, headers=officer
    )
    assert answer.status_code == 422, answer.text
    assert answer.json()["field"] == field
    assert audited(moroccan, "inspection.seizure") == []


def test_a_seizure_on_an_unknown_inspection_is_refused(moroccan: Api) -> None:
    answer = moroccan.client.post(
        "/api/v1/inspections/nope/seizures",
        json={"reason": "Reported stolen"},
        headers=moroccan.as_role("officer"),
    )
    assert answer.status_code == 404
    assert answer.json()["field"] == "inspection_id"
