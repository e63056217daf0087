"""The booth offers the node's catalogues: its crossing points and its decision reasons
(tests/web/test_browser.py shows the same in Chromium)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from passerelle.access import AccessControl
from passerelle.node import Node
from passerelle.server import create_app
from passerelle.wiring import NodeServices, build_services
from tests.api.conftest import FAST, PASSWORD, SETUP
from tests.screening.conftest import STOLEN_NUMBER, passport
from tests.web.test_pages import csrf, login

CATALOGUES = {
    "crossing_points": [
        {"code": "BRU-ZAV", "name": "Brussels Airport, Zaventem"},
        {"code": "CRL", "name": "Brussels South Charleroi Airport"},
    ],
    "decision_reasons": {
        "admit": {"label": "Admit", "reasons": [{"code": "ok", "label": "All checks passed"}]},
        "refer": {
            "label": "Second line",
            "reasons": [{"code": "look_again", "label": "Look again", "preselect": ["hit"]}],
        },
        "refuse": {
            "label": "Refuse (Schengen Borders Code Annex V, Part B)",
            "reasons": [{"code": "b_false_document", "label": "B — false or forged document"}],
        },
    },
}


def wire(serving: Node) -> NodeServices:
    """The node's own wiring (its catalogue file read), with quick password hashing."""
    fast = AccessControl.for_node(serving, hashing=FAST)
    return replace(build_services(serving), access=fast)


@contextmanager
def signed_in(node: Node) -> Iterator[TestClient]:
    """The node's app with an officer signed in."""
    access = AccessControl.for_node(node, hashing=FAST)
    access.add_user("officer.one", "officer", PASSWORD, by=SETUP)
    with TestClient(create_app(node=node, wire=wire), raise_server_exceptions=False) as client:
        login(client, "officer.one")
        yield client


@pytest.fixture
def booth(node: Node) -> Iterator[TestClient]:
    path = node.settings.effective_catalogues_file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(CATALOGUES), encoding="utf-8")
    with signed_in(node) as client:
        yield client


def check(client: TestClient, point: str, mrz: str) -> Response:
    form = client.get("/check").text
    return client.post(
        "/check",
        data={
            "csrf_token": csrf(form),
            "mrz": mrz,
            "crossing_point": point,
            "direction": "entry",
            "purpose": "border control",
        },
    )


def test_the_booth_offers_the_nodes_crossing_points_to_choose_from(booth: TestClient) -> None:
    form = booth.get("/check").text
    assert '<select name="crossing_point"' in form
    points = form.split('<select name="crossing_point"', 1)[1].split("</select>", 1)[0]
    offered = re.findall(r'<option value="([^"]*)"', points)
    assert offered == ["", "BRU-ZAV", "CRL"]
    assert "Brussels Airport, Zaventem" in form
    assert "TNG-MED" not in form


def test_a_crossing_point_the_node_does_not_list_is_refused_with_the_form_again(
    booth: TestClient,
) -> None:
    answer = check(booth, "TNG-MED", passport())
    assert answer.status_code == 422
    assert "Crossing point: choose one of this node&#39;s crossing points" in answer.text


def test_the_verdict_offers_the_nodes_reasons_and_takes_one_of_them(booth: TestClient) -> None:
    verdict = check(booth, "crl", passport(number=STOLEN_NUMBER))
    page = verdict.text
    assert 'class="verdict verdict-hit"' in page
    assert (
        '<optgroup label="Refuse (Schengen Borders Code Annex V, Part B)" data-action="refuse">'
        in page
    )
    assert '<option value="look_again" selected>' in page  # preselected for a hit
    assert "false_document" not in page.replace("b_false_document", "")  # not the defaults
    url = str(verdict.url)
    decided = booth.post(
        url + "/decision",
        data={"csrf_token": csrf(page), "action": "refuse", "reason_code": "b_false_document"},
    )
    label = "B — false or forged document"
    assert f'Refused — <span id="decided-reason">{label}</span>' in decided.text
    assert "b_false_document</small>" in decided.text  # the code, small, for auditors


def test_a_reason_the_catalogue_does_not_give_is_refused(booth: TestClient) -> None:
    verdict = check(booth, "BRU-ZAV", passport(number=STOLEN_NUMBER))
    refused = booth.post(
        str(verdict.url) + "/decision",
        data={
            "csrf_token": csrf(verdict.text),
            "action": "refuse",
            "reason_code": "false_document",
        },
    )
    assert refused.status_code == 422
    assert "choose a reason under &#34;refuse&#34;" in refused.text


def test_without_a_catalogue_the_officer_types_the_crossing_point(node: Node) -> None:
    with signed_in(node) as client:
        form = client.get("/check").text
        assert '<input name="crossing_point" id="crossing_point" required' in form
        assert '<select name="crossing_point"' not in form
        verdict = check(client, "any-point 7", passport())
        assert verdict.status_code == 200
        assert 'class="verdict verdict-clear"' in verdict.text
