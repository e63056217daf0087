"""The supervisors' pages without a browser: roles, CSRF, and refusals naming the field
(tests/web/test_browser_second_line.py drives them in Chromium)."""

from __future__ import annotations

import re

import pytest

from passerelle.access import AccessControl
from tests.api.conftest import FAST, PASSWORD, SETUP, Api
from tests.screening.conftest import STOLEN_NUMBER, passport
from tests.web.test_pages import csrf, login


@pytest.fixture
def supervisor(api: Api) -> str:
    access = AccessControl.for_node(api.services.node, hashing=FAST)
    access.add_user("supervisor.tahiri", "supervisor", PASSWORD, by=SETUP)
    return "supervisor.tahiri"


def check(api: Api, number: str, action: str, reason_code: str) -> str:
    form = api.client.get("/check").text
    verdict = api.client.post(
        "/check",
        data={
            "csrf_token": csrf(form),
            "mrz": passport(number=number),
            "crossing_point": "tng-med",
            "direction": "entry",
            "purpose": "border control",
        },
    )
    assert verdict.status_code == 200
    decided = api.client.post(
        str(verdict.url) + "/decision",
        data={"csrf_token": csrf(verdict.text), "action": action, "reason_code": reason_code},
    )
    assert decided.status_code == 200, decided.text
    return str(verdict.url)


def test_the_second_line_page_is_for_supervisors(api: Api, supervisor: str) -> None:
    login(api.client, "officer.one")
    assert api.client.get("/second-line").status_code == 403
    referred = check(api, "ZX9876543", "refer", "identity_doubt")
    admitted = check(api, STOLEN_NUMBER, "admit", "cleared")
    page = api.client.get(admitted).text
    assert 'id="awaiting-confirmation"' in page
    assert 'class="decision-form"' not in page
    api.client.cookies.clear()

    login(api.client, supervisor)
    queue = api.client.get("/second-line?crossing_point=TNG-MED")
    assert queue.status_code == 200, queue.text
    assert referred.rsplit("/", 1)[1] in queue.text
    assert admitted.rsplit("/", 1)[1] in queue.text
    assert "Second line</a>" in queue.text  # in the menu
    verdict = api.client.get(admitted).text
    no_csrf = api.client.post(admitted + "/confirmation", data={"answer": "confirm"})
    assert no_csrf.status_code in (403, 422)
    decline = api.client.post(
        admitted + "/confirmation", data={"csrf_token": csrf(verdict), "answer": "decline"}
    )
    assert decline.status_code == 422
    assert "Note: is required to decline" in decline.text
    outcome = api.client.post(
        referred + "/second-line-outcome",
        data={"csrf_token": csrf(verdict), "outcome": "handed_over", "notes": "customs"},
    )
    assert outcome.status_code == 422
    assert "handed_to" in outcome.text


def test_the_second_line_queue_says_what_was_found_in_the_supervisors_language(
    api: Api, supervisor: str
) -> None:
    login(api.client, "officer.one")
    check(api, STOLEN_NUMBER, "admit", "cleared")
    api.client.cookies.clear()
    login(api.client, supervisor)
    english = api.client.get("/second-line?crossing_point=TNG-MED").text
    found_in_english = re.findall(r"<div>([^<]*stolen[^<]*)</div>", english, re.I)
    assert found_in_english, english
    api.client.post(
        "/language",
        data={"language": "fr", "next": "/second-line", "csrf_token": csrf(english)},
        follow_redirects=False,
    )
    french = api.client.get("/second-line?crossing_point=TNG-MED").text
    assert 'lang="fr"' in french
    for sentence in found_in_english:
        assert sentence not in french
    assert re.search(r"<div>[^<]*vol[ée]", french), french
