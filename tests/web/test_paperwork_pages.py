"""The booth's paperwork without a browser: the exit's reasons on an exit, the label after a
decision, the refusal notice and seizures (tests/web/test_browser_print.py in Chromium)."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from pypdf import PdfReader

from passerelle.access import AccessControl
from passerelle.demo.catalogues import DEMO_CATALOGUES
from passerelle.node import Node
from passerelle.records.catalogues import catalogues_json
from passerelle.web.presenting_paperwork import paperwork_of
from tests.api.conftest import FAST, PASSWORD, SETUP
from tests.screening.conftest import STOLEN_NUMBER, passport
from tests.web.test_booth_catalogues import signed_in
from tests.web.test_pages import csrf, login


@pytest.fixture
def booth(node: Node) -> Iterator[TestClient]:
    path = node.settings.effective_catalogues_file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(catalogues_json(DEMO_CATALOGUES), encoding="utf-8")
    with signed_in(node) as client:
        yield client


def check(client: TestClient, direction: str, mrz: str) -> Response:
    form = client.get("/check").text
    return client.post(
        "/check",
        data={
            "csrf_token": csrf(form),
            "mrz": mrz,
            "crossing_point": "TNG-MED",
            "direction": direction,
            "purpose": "border control",
        },
    )


def test_an_exit_offers_the_exit_reasons_grouped_by_action(booth: TestClient) -> None:
    page = check(booth, "exit", passport()).text
    assert '<optgroup label="Refuse exit" data-action="refuse">' in page
    assert 'value="judicial_travel_ban"' in page
    assert 'value="no_valid_visa"' not in page  # an entry's ground
    entry = check(booth, "entry", passport(number="AB1234567")).text
    assert 'data-action="refuse">' in entry
    assert 'value="no_valid_visa"' in entry
    assert 'value="judicial_travel_ban"' not in entry


def test_an_entry_reason_on_an_exit_is_refused_and_the_verdict_kept(booth: TestClient) -> None:
    verdict = check(booth, "exit", passport())
    url = str(verdict.url)
    refused = booth.post(
        url + "/decision",
        data={"csrf_token": csrf(verdict.text), "action": "refuse", "reason_code": "no_valid_visa"},
    )
    assert refused.status_code == 422
    assert "reason_code" in refused.text
    assert 'id="decided"' not in booth.get(url).text  # nothing recorded


def test_a_refusal_shows_its_label_and_prints_the_notice(booth: TestClient) -> None:
    verdict = check(booth, "exit", passport(surname="TAZI", given_names="NADIA"))
    url = str(verdict.url)
    assert 'id="refusal-notice"' not in verdict.text  # nothing to print before a refusal
    decided = booth.post(
        url + "/decision",
        data={
            "csrf_token": csrf(verdict.text),
            "action": "refuse",
            "reason_code": "judicial_travel_ban",
        },
    )
    assert "Refused — <span" in decided.text
    assert "Travel ban ordered by a judge</span>" in decided.text
    assert 'id="refusal-notice"' in decided.text
    assert '<option value="ar">' in decided.text
    notice = booth.get(url + "/refusal-notice.pdf?language=ar")
    assert notice.status_code == 200
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(notice.content)).pages)
    assert "NADIA TAZI" in text
    assert "Interdiction de quitter le territoire ordonnée par un juge" in text
    assert "منع من مغادرة التراب الوطني بأمر قضائي" in text


def test_a_seizure_needs_the_csrf_token_and_something_described(booth: TestClient) -> None:
    verdict = check(booth, "entry", passport(number=STOLEN_NUMBER))
    url = str(verdict.url)
    assert '<details id="seizure" open>' in verdict.text  # the stolen-document hit asks for it
    forged = booth.post(url + "/seizures", data={"csrf_token": "x", "reason": "stolen"})
    assert forged.status_code == 403
    nothing = booth.post(url + "/seizures", data={"csrf_token": csrf(verdict.text), "reason": "r"})
    assert nothing.status_code == 422
    assert "items" in nothing.text
    seized = booth.post(
        url + "/seizures",
        data={"csrf_token": csrf(verdict.text), "document": "on", "reason": "Reported stolen"},
    )
    assert seized.status_code == 200
    assert f"Travel document P MAR {STOLEN_NUMBER}" in seized.text
    assert booth.get(url + "/seizures/1/receipt.pdf").status_code == 200


def test_analysts_and_auditors_read_the_label_with_the_code_beside_it(
    booth: TestClient, node: Node
) -> None:
    verdict = check(booth, "entry", passport(number=STOLEN_NUMBER))
    url = str(verdict.url)
    token = csrf(verdict.text)
    booth.post(url + "/seizures", data={"csrf_token": token, "document": "on", "reason": "Stolen"})
    booth.post(
        url + "/decision",
        data={"csrf_token": token, "action": "refuse", "reason_code": "public_order_threat"},
    )
    access = AccessControl.for_node(node, hashing=FAST)
    access.add_user("analyst.one", "analyst", PASSWORD, by=SETUP)
    access.add_user("auditor.one", "auditor", PASSWORD, by=SETUP)
    inspection_id = url.rsplit("/", 1)[-1]
    login(booth, "analyst.one")
    review = booth.get(f"/review/inspection/{inspection_id}").text
    assert "Threat to public order</span>" in review
    assert "public_order_threat</small>" in review
    assert 'id="seizure-list"' in review  # the seizures, read-only
    assert 'id="record-seizure"' not in review
    assert 'id="refusal-notice"' not in review
    login(booth, "auditor.one")
    trail = booth.get("/audit?action=inspection.decide").text
    assert 'Threat to public order <small class="code">public_order_threat</small>' in trail


def test_the_seizure_form_comes_first_when_the_verdict_asks_for_a_seizure(
    booth: TestClient,
) -> None:
    services = booth.app.state.services  # type: ignore[attr-defined]
    stolen = check(booth, "entry", passport(number=STOLEN_NUMBER))
    record = services.inspector.get(str(stolen.url).rsplit("/", 1)[-1])
    assert record.result.action == "seize"  # a stolen/lost document's hit asks for a seizure
    forward = paperwork_of(record, [], ("ar", "en", "fr"), "fr")["print"]
    assert forward["seize_first"] is True
    assert forward["alert_reference"] == f"MAR:{STOLEN_NUMBER} (stolen)"
    assert [code for code, _ in forward["languages"]] == ["fr", "ar", "en"]  # the officer's first
    clean = check(booth, "entry", passport())
    cleared = services.inspector.get(str(clean.url).rsplit("/", 1)[-1])
    assert cleared.result.action is None
    assert paperwork_of(cleared, [], ("fr",), "fr")["print"]["seize_first"] is False
    assert '<details id="seizure">' in clean.text  # folded: nothing asked for a seizure
