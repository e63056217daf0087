"""The booth's pages keep to the officer's scope (issue 15, item 6): another booth's verdict,
decision form and paperwork answer as a page that does not exist; the booth field puts the
check at a booth, and a double-clicked decision is recorded once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import func, select

from passerelle.access import AccessControl
from passerelle.node import Node
from passerelle.server import create_app
from passerelle.store.tables import AuditRecord, Inspection
from tests.api.conftest import FAST, PASSWORD, SETUP
from tests.screening.conftest import passport
from tests.web.test_booth_catalogues import wire
from tests.web.test_pages import csrf, login

WORKPLACES = {
    "officer.amrani": ("TNG-MED", "B1"),
    "officer.benali": ("TNG-MED", "B2"),
    "officer.idrissi": ("TNG-MED", "B1"),
}


@pytest.fixture
def booths(node: Node) -> Iterator[dict[str, TestClient]]:
    """A signed-in browser per officer, each at their booth of Tanger Med."""
    access = AccessControl.for_node(node, hashing=FAST)
    clients: dict[str, TestClient] = {}
    app = create_app(node=node, wire=wire)
    for name, (point, booth) in WORKPLACES.items():
        access.add_user(name, "officer", PASSWORD, by=SETUP, crossing_point=point, booth=booth)
        client = TestClient(app, raise_server_exceptions=False)
        client.__enter__()
        assert login(client, name) == 303
        clients[name] = client
    yield clients
    for client in clients.values():
        client.__exit__(None, None, None)


def check(client: TestClient, booth: str = "", number: str = "ZX9876543") -> Response:
    form = client.get("/check").text
    return client.post(
        "/check",
        data={
            "csrf_token": csrf(form),
            "mrz": passport(number=number),
            "crossing_point": "TNG-MED",
            "direction": "entry",
            "purpose": "border control",
            "booth": booth,
        },
    )


def test_another_booths_verdict_and_its_forms_answer_not_found(
    booths: dict[str, TestClient],
) -> None:
    verdict = check(booths["officer.amrani"])
    assert verdict.status_code == 200
    url = str(verdict.url)
    stranger = booths["officer.benali"]
    token = csrf(stranger.get("/check").text)

    assert stranger.get(url).status_code == 404
    decided = stranger.post(
        url + "/decision",
        data={"csrf_token": token, "action": "refuse", "reason_code": "false_document"},
    )
    assert decided.status_code == 404
    seized = stranger.post(
        url + "/seizures", data={"csrf_token": token, "reason": "forged", "document": "on"}
    )
    assert seized.status_code == 404
    assert stranger.get(url + "/refusal-notice.pdf").status_code == 404
    assert 'id="decided"' not in booths["officer.amrani"].get(url).text  # nothing recorded


def test_the_booths_next_officer_opens_and_decides_the_verdict(
    booths: dict[str, TestClient],
) -> None:
    url = str(check(booths["officer.amrani"]).url)
    colleague = booths["officer.idrissi"]

    page = colleague.get(url)
    assert page.status_code == 200
    decided = colleague.post(
        url + "/decision",
        data={"csrf_token": csrf(page.text), "action": "admit", "reason_code": "cleared"},
    )
    assert decided.status_code == 200
    assert 'id="decided"' in decided.text


def test_the_check_form_offers_the_booth_and_stores_the_one_typed(
    booths: dict[str, TestClient], node: Node
) -> None:
    form = booths["officer.benali"].get("/check").text
    assert 'name="booth"' in form
    assert "yours: B2" in form

    url = str(check(booths["officer.benali"], booth="b1").url)

    assert booths["officer.idrissi"].get(url).status_code == 200  # B1's officer
    with node.database.read() as session:
        assert session.scalar(select(Inspection.booth)) == "B1"
    refused = check(booths["officer.benali"], booth="B1<b>")
    assert refused.status_code == 422
    assert "Booth: must be letters" in refused.text


def test_a_double_clicked_decision_is_recorded_once(
    booths: dict[str, TestClient], node: Node
) -> None:
    officer = booths["officer.amrani"]
    verdict = check(officer)
    url = str(verdict.url)
    form = {"csrf_token": csrf(verdict.text), "action": "admit", "reason_code": "cleared"}

    first = officer.post(url + "/decision", data=form)
    second = officer.post(url + "/decision", data=form)

    assert first.status_code == second.status_code == 200
    with node.database.read() as session:
        decisions = session.scalar(
            select(func.count())
            .select_from(AuditRecord)
            .where(AuditRecord.action == "inspection.decide")
        )
    assert decisions == 1
