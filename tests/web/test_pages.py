"""The web pages without a browser: sign-in, roles, CSRF, throttling (tests/web/test_browser.py
drives them in Chromium)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from passerelle.documents.compose import compose_french_id
from tests.api.conftest import PASSWORD, Api
from tests.screening.conftest import STOLEN_NUMBER, passport


def login(client: TestClient, name: str, password: str = PASSWORD) -> int:
    form = client.get("/login").text
    token = re.search(r'name="login_token" value="([^"]+)"', form)
    assert token is not None
    answer = client.post(
        "/login",
        data={"name": name, "password": password, "login_token": token.group(1), "next": "/"},
        follow_redirects=False,
    )
    return answer.status_code


def csrf(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def test_a_page_asks_for_a_login_and_comes_back_after_it(api: Api) -> None:
    answer = api.client.get("/check", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login?next=/check"
    assert login(api.client, "officer.one") == 303
    assert api.client.get("/check").status_code == 200


def test_the_officer_checks_a_stolen_passport_and_refuses_entry(api: Api) -> None:
    login(api.client, "officer.one")
    form = api.client.get("/check").text
    verdict = api.client.post(
        "/check",
        data={
            "csrf_token": csrf(form),
            "mrz": passport(number=STOLEN_NUMBER),
            "crossing_point": "tng-med",
            "direction": "entry",
            "purpose": "border control",
        },
    )
    assert verdict.status_code == 200
    assert 'class="verdict verdict-hit"' in verdict.text
    assert 'id="light-sltd"' in verdict.text
    decided = api.client.post(
        str(verdict.url) + "/decision",
        data={
            "csrf_token": csrf(verdict.text),
            "action": "refuse",
            "reason_code": "false_document",
        },
    )
    assert 'id="decided"' in decided.text
    assert "false_document" in decided.text


def test_a_form_without_its_csrf_token_is_refused(api: Api) -> None:
    login(api.client, "officer.one")
    answer = api.client.post(
        "/check",
        data={
            "csrf_token": "forged",
            "mrz": passport(),
            "crossing_point": "TNG-MED",
            "direction": "entry",
            "purpose": "border control",
        },
    )
    assert answer.status_code == 403
    with api.services.node.database.read() as session:
        assert api.services.inspector.repository.pending(session) == []


def test_a_login_form_posted_from_elsewhere_is_refused(api: Api) -> None:
    answer = api.client.post(
        "/login", data={"name": "officer.one", "password": PASSWORD, "login_token": "x"}
    )
    assert answer.status_code == 403


def test_wrong_passwords_are_throttled_after_five(api: Api) -> None:
    codes = [login(api.client, "analyst.one", "wrong password!!") for _ in range(6)]
    assert codes == [401] * 5 + [429]
    assert login(api.client, "analyst.one") == 429  # even the right one, for the window
    page = api.client.get("/login")
    assert "wrong user name or password" not in page.text


def test_an_officer_cannot_open_the_review_queue(api: Api) -> None:
    login(api.client, "officer.one")
    answer = api.client.get("/review")
    assert answer.status_code == 403
    assert "review_hits" in answer.text
    assert "Traceback" not in answer.text


def test_each_role_lands_on_its_page_and_sees_only_its_menu(api: Api) -> None:
    expected = {
        "officer.one": "/check",
        "analyst.one": "/review",
        "auditor.one": "/dashboard",
        "admin.one": "/dashboard",
    }
    for name, landing in expected.items():
        client = TestClient(api.client.app)
        login(client, name)
        home = client.get("/", follow_redirects=False)
        assert home.headers["location"] == landing, name
        page = client.get(landing).text
        assert ('href="/audit"' in page) == (name == "auditor.one"), name


def test_the_booth_shows_a_french_national_card_in_its_own_format(api: Api) -> None:
    login(api.client, "officer.one")
    form = api.client.get("/check").text
    card = compose_french_id(
        document_number="150592012345", birth_date="900421", surname="LAMRANI",
        given_names="SALMA", sex="F", office="920123",
    )  # fmt: skip
    verdict = api.client.post(
        "/check",
        data={
            "csrf_token": csrf(form),
            "mrz": card,
            "crossing_point": "tng-med",
            "direction": "entry",
            "purpose": "border control",
        },
    )
    assert verdict.status_code == 200
    assert re.search(r"<dt>Format</dt><dd>FRA-ID</dd>", verdict.text)
    assert re.search(r"<dt>Given names</dt><dd>SALMA</dd>", verdict.text)
    assert re.search(r"<dt>Expiry</dt><dd>—</dd>", verdict.text)
    assert "read the expiry printed on the card" in verdict.text
