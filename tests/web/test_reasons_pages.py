"""The verdict page writes what the engines found in its reader's language: document findings
and a watchlist hit's reasons in French and Arabic, each value isolated; a verdict reopened
in another language is written in that one."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.api.conftest import Api
from tests.screening.conftest import passport
from tests.web.test_pages import csrf, login

WANTED_EXPIRED = passport(
    surname="BENALI", given_names="MOHAMED", birth_date="850302", sex="M", expiry="200714"
)


def _speak(client: TestClient, language: str) -> None:
    page = client.get("/check").text
    client.post(
        "/language",
        data={"language": language, "next": "/check", "csrf_token": csrf(page)},
        follow_redirects=False,
    )


def _check(client: TestClient) -> str:
    form = client.get("/check").text
    verdict = client.post(
        "/check",
        data={
            "csrf_token": csrf(form),
            "mrz": WANTED_EXPIRED,
            "crossing_point": "TNG-MED",
            "direction": "entry",
            "purpose": "border control",
        },
    )
    assert verdict.status_code == 200
    return str(verdict.url)


def _section(page: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}".*?</ul>', page, re.S)
    assert found is not None, element_id
    return found.group()


def test_a_verdict_shows_its_reasons_in_french(api: Api) -> None:
    login(api.client, "officer.one")
    _speak(api.client, "fr")
    page = api.client.get(_check(api.client)).text
    reasons = _section(page, "reasons")
    assert "le document a expiré le 2020-07-14" in reasons
    assert "Le voyageur peut être la personne MAR-W-0001 de la liste de surveillance" in reasons
    assert "(recherché)" in reasons
    assert "même date de naissance" in page  # the candidate's reasons
    assert "Ne laissez pas passer le voyageur" in reasons  # the node's own action
    for english in ("the document expired", "may be watchlist person", "same date of birth"):
        assert english not in page


def test_a_verdict_shows_its_reasons_in_arabic_with_each_value_isolated(api: Api) -> None:
    login(api.client, "officer.one")
    _speak(api.client, "ar")
    page = api.client.get(_check(api.client)).text
    reasons = _section(page, "reasons")
    assert 'انتهت صلاحية الوثيقة في <bdi dir="ltr">2020-07-14</bdi>' in reasons
    assert 'قد يكون المسافر هو الشخص <bdi dir="ltr">MAR-W-0001</bdi>' in reasons
    assert "تاريخ الازدياد نفسه" in page
    for english in ("the document expired", "may be watchlist person", "same date of birth"):
        assert english not in page


def test_a_verdict_reopened_in_another_language_is_written_in_that_one(api: Api) -> None:
    login(api.client, "officer.one")
    verdict = _check(api.client)
    assert "the document expired on 2020-07-14" in api.client.get(verdict).text
    _speak(api.client, "fr")
    assert "le document a expiré le 2020-07-14" in api.client.get(verdict).text
    answer = api.client.get(
        "/api/v1/inspections/" + verdict.rsplit("/", 1)[1],
        headers=api.as_role("officer"),
    )
    assert answer.status_code == 200  # the API keeps the English messages
    messages = [f["message"] for f in answer.json()["findings"]]
    assert any("the document expired on 2020-07-14" in m for m in messages)


def test_the_analysts_search_gives_the_name_reasons_in_french(api: Api) -> None:
    login(api.client, "analyst.one")
    page = api.client.get("/search").text
    api.client.post(
        "/language",
        data={"language": "fr", "next": "/search", "csrf_token": csrf(page)},
        follow_redirects=False,
    )
    found = api.client.get(
        "/search",
        params={"name": "BENALI MOHAMED", "birth_date": "1985-03-02", "purpose": "enquête 42"},
    )
    assert found.status_code == 200
    assert "MAR-W-0001" in found.text
    assert "même date de naissance" in found.text
    assert "same date of birth" not in found.text
