"""A refused value on a page is said in the reader's language: the field's name and the reason,
written from the reason's wording, no English left; the API's answer for the same refusal
stays the English it always was (``field: reason``)."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from tests.api.conftest import Api
from tests.screening.conftest import passport
from tests.web.test_booth_catalogues import booth  # noqa: F401
from tests.web.test_hand_entry_pages import TYPED
from tests.web.test_pages import csrf, login

ERROR = re.compile(r'<p class="error"[^>]*role="alert"[^>]*>(.*?)</p>', re.S)


def speak(client: TestClient, language: str, page: str = "/") -> None:
    """The signed-in reader switches the pages to ``language`` from the menu bar."""
    form = client.get(page).text
    switched = client.post(
        "/language",
        data={"language": language, "next": page, "csrf_token": csrf(form)},
        follow_redirects=False,
    )
    assert switched.status_code == 303


def said(answer: Response, status: int = 422) -> str:
    """The page's refusal as the reader reads it (tags and isolates dropped)."""
    assert answer.status_code == status, answer.text[:300]
    found = ERROR.search(answer.text)
    assert found is not None, answer.text
    return re.sub(r"<[^>]+>", "", found.group(1)).replace("&#39;", "'")


def check_form(client: TestClient, **fields: str) -> Response:
    form = client.get("/check").text
    data = {"csrf_token": csrf(form), "crossing_point": "BRU-ZAV", "direction": "entry",
            "purpose": "border control", "mrz": passport()} | fields  # fmt: skip
    return client.post("/check", data=data)


BOOTH_REFUSALS = {
    "purpose": (
        {"purpose": " "},
        "Purpose: is required: say why the traveller is checked",
        "Finalité : est obligatoire : indiquez pourquoi le voyageur est contrôlé",
        "الغرض: إلزامي: اذكر سبب مراقبة المسافر",
    ),
    "crossing point": (
        {"crossing_point": "XXX-NOWHERE"},
        "Crossing point: choose one of this node's crossing points",
        "Point de passage : choisissez l'un des points de passage de ce nœud",
        "نقطة العبور: اختر إحدى نقاط العبور التابعة لهذه العقدة",
    ),
    "birth date typed after today": (
        {"mrz": "", **TYPED, "vz_birth_date": "2030-01-01"},
        "Date of birth: is after the day of the check",
        "Date de naissance : est postérieure au jour du contrôle",
        "تاريخ الازدياد: لاحق ليوم المراقبة",
    ),
}


@pytest.mark.parametrize("case", BOOTH_REFUSALS, ids=list(BOOTH_REFUSALS))
def test_the_booth_says_a_refused_field_in_the_officers_language(
    booth: TestClient,  # noqa: F811
    case: str,
) -> None:
    fields, english, french, arabic = BOOTH_REFUSALS[case]
    assert said(check_form(booth, **fields)) == english
    speak(booth, "fr", "/check")
    assert said(check_form(booth, **fields)) == french
    speak(booth, "ar", "/check")
    assert said(check_form(booth, **fields)) == arabic


def test_the_api_says_the_same_refusal_in_english_as_before(api: Api) -> None:
    body = {"purpose": "...", "crossing_point": "TNG-MED", "direction": "entry", "mrz": passport()}
    api.client.cookies.set("passerelle_lang", "fr")
    answer = api.client.post(
        "/api/v1/inspections",
        json=body,
        headers={**api.as_role("officer"), "accept-language": "ar"},
    )
    assert answer.status_code == 422
    assert answer.json() == {
        "status": 422,
        "detail": "purpose: is required: say why the traveller is checked",
        "field": "purpose",
    }


def _bad_alert(api: Api) -> Response:
    page = api.client.get("/alerts").text
    form = {
        "csrf_token": csrf(page),
        "kind": "person",
        "category": "wanted",
        "names": "Youssef El Amrani",
        "birth_date": "1980-13-45",
        "issuing_authority": "DGSN Rabat",
        "action": "Hold the traveller",
    }
    return api.client.post("/alerts", data=form)


def test_a_bad_alert_is_refused_in_the_analysts_language(api: Api) -> None:
    login(api.client, "analyst.one")
    english = said(_bad_alert(api), 200)
    assert english == "Date of birth: '1980-13-45' is not a real date"  # subject.birth_date
    speak(api.client, "fr", "/alerts")
    assert said(_bad_alert(api), 200) == (
        "Date de naissance : '1980-13-45' n'est pas une date réelle"
    )
    speak(api.client, "ar", "/alerts")
    assert said(_bad_alert(api), 200) == "تاريخ الازدياد: '1980-13-45' ليس تاريخًا حقيقيًا"

    alert = {
        "category": "wanted",
        "subject": {"kind": "person", "names": ["Youssef El Amrani"], "birth_date": "1980-13-45"},
        "issuing_authority": "DGSN Rabat",
        "action": "Hold the traveller",
    }
    answer = api.client.post("/api/v1/alerts", json=alert, headers=api.as_role("analyst"))
    assert answer.status_code == 422
    assert answer.json()["detail"].endswith("'1980-13-45' is not a real date")


def _weak_user(api: Api) -> Response:
    page = api.client.get("/admin/users").text
    data = {"csrf_token": csrf(page), "name": "officer.new", "role": "officer",
            "password": "password1234"}  # fmt: skip
    return api.client.post("/admin/users", data=data)


def test_a_weak_password_is_refused_in_the_administrators_language(api: Api) -> None:
    login(api.client, "admin.one")
    english = said(_weak_user(api))
    assert english.startswith("Password: is too easy to guess")
    speak(api.client, "fr", "/admin/users")
    french = said(_weak_user(api))
    assert french.startswith("Mot de passe : est trop facile à deviner")
    assert "use a few unrelated words" not in french
    assert "guess" not in french
    speak(api.client, "ar", "/admin/users")
    arabic = said(_weak_user(api))
    assert arabic.startswith("كلمة المرور: سهلة التخمين جدًا")
    assert not re.search(r"[A-Za-z]", arabic), arabic


def _loaded(api: Api, tmp_path: Path) -> str:
    person = {"id": "MAR-W-0951", "names": ["Karim Haddad"], "birth_date": "1980-13-45",
              "nationalities": ["MAR"], "sex": "M", "category": "wanted", "issued_by": "MAR",
              "valid_until": None}  # fmt: skip
    upload = tmp_path / "persons.jsonl"
    upload.write_text(json.dumps(person) + "\n", encoding="utf-8")
    page = api.client.get("/lists").text
    with upload.open("rb") as handle:
        answer = api.client.post(
            "/lists/load",
            data={"csrf_token": csrf(page), "kind": "watchlist"},
            files={"file": ("persons.jsonl", handle, "application/x-ndjson")},
            follow_redirects=False,
        )
    assert answer.status_code == 303, answer.text
    run = answer.headers["location"].split("?")[0]
    for _ in range(100):
        if api.client.get(run + "/progress").json()["finished"]:
            break
        time.sleep(0.05)
    return run


def _rejected(api: Api, run: str) -> list[str]:
    page = api.client.get(run).text
    table = page.split('id="rejections"', 1)[1].split("</table>", 1)[0]
    row = table.split("<tbody>", 1)[1].split("</tr>", 1)[0]
    cells = re.findall(r"<td>(.*?)</td>", row, re.S)
    return [re.sub(r"<[^>]+>", "", c).replace("&#39;", "'").strip() for c in cells]


def test_a_loads_rejected_line_is_listed_in_the_analysts_language(api: Api, tmp_path: Path) -> None:
    login(api.client, "analyst.one")
    run = _loaded(api, tmp_path)
    assert _rejected(api, run) == [
        "1",
        "Date of birth birth_date",
        "'1980-13-45' is not a real date",
    ]
    speak(api.client, "fr", run)
    assert _rejected(api, run) == [
        "1",
        "Date de naissance birth_date",
        "'1980-13-45' n'est pas une date réelle",
    ]
    speak(api.client, "ar", run)
    assert _rejected(api, run) == [
        "1",
        "تاريخ الازدياد birth_date",
        "'1980-13-45' ليس تاريخًا حقيقيًا",
    ]
