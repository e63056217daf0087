"""The Alerts page without a browser: an alert issued from the page gets the node's identifier
(``UTO-A-2026-0001``, as the API and the command line give one), every identifier is shown
whole, and the page speaks the analyst's language (tests/web/test_browser_languages_analysis.py
checks its width on a tablet in Chromium)."""

from __future__ import annotations

import re
from typing import Any

from passerelle.records.alerts import parse_alert
from passerelle.store.audit import Actor
from tests.api.conftest import Api
from tests.web.test_pages import csrf, login

ANALYST = Actor("analyst.one", "user", "analyst")
NODE_FORMAT = re.compile(r"^[A-Z]{3}-A-\d{4}-\d{4}$")
LONG_ID = "MAR-A-2026-SURVEILLANCE-OPERATION-ATLAS-NORTH-0001"


def _issued(api: Api, **changes: Any) -> str:
    page = str(api.client.get("/alerts").text)
    form = {
        "csrf_token": csrf(page),
        "kind": "person",
        "category": "wanted",
        "names": "Youssef El Amrani; يوسف العمراني",
        "birth_date": "1980-02-03",
        "issuing_authority": "DGSN Rabat, duty officer",
        "action": "Hold the traveller and call the issuing authority",
    } | changes
    answer = api.client.post("/alerts", data=form, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return page


def _ids(api: Api) -> list[str]:
    return [alert.id for alert in api.services.alerts.search(ANALYST, "test")]


def test_an_alert_issued_from_the_page_gets_the_nodes_identifier(api: Api) -> None:
    login(api.client, "analyst.one")
    before = set(_ids(api))
    _issued(api)
    _issued(api, names="Nadia Berrada", birth_date="1975-06-30")

    new = sorted(set(_ids(api)) - before)
    year = api.services.node.clock().year
    assert new == [f"UTO-A-{year}-0001", f"UTO-A-{year}-0002"]
    assert all(NODE_FORMAT.fullmatch(alert_id) for alert_id in new)


def test_the_api_numbers_alerts_the_same_way_and_keeps_an_id_it_is_given(api: Api) -> None:
    login(api.client, "analyst.one")
    _issued(api)
    body = {
        "category": "travel_ban",
        "subject": {"kind": "person", "names": ["Karim Bennani"], "birth_date": "1990-01-01"},
        "issuing_authority": "DGSN",
        "action": "Refuse",
    }
    numbered = api.client.post("/api/v1/alerts", json=body, headers=api.as_role("analyst"))
    given = api.client.post(
        "/api/v1/alerts", json=body | {"id": "MAR-A-77"}, headers=api.as_role("analyst")
    )
    year = api.services.node.clock().year
    assert numbered.json()["id"] == f"UTO-A-{year}-0002"
    assert given.json()["id"] == "MAR-A-77"


def test_the_alerts_page_shows_every_identifier_whole(api: Api) -> None:
    record = {
        "id": LONG_ID,
        "category": "surveillance",
        "subject": {"kind": "document", "issuing_state": "MAR", "document_number": "UM4731285"},
        "issuing_authority": "DGSN",
        "action": "Report discreetly",
    }
    api.services.alerts.issue(ANALYST, parse_alert(record))
    login(api.client, "analyst.one")

    page = api.client.get("/alerts").text

    assert f'<code class="alert-id">{LONG_ID}</code>' in page
    assert "MAR-A-2026-S<" not in page


def test_the_alerts_page_speaks_french_and_arabic(api: Api) -> None:
    api.client.headers["accept-language"] = "fr"
    login(api.client, "analyst.one")
    _issued(api)
    page = api.client.get("/alerts").text
    assert "<h1>Signalements</h1>" in page
    assert "Émettre un signalement" in page
    assert "recherché (arrestation)" in page
    for english in ("Issue an alert", "Action at the border", "Why withdraw", "wanted (arrest)"):
        assert english not in page
    switched = api.client.post(
        "/language",
        data={"language": "ar", "next": "/alerts", "csrf_token": csrf(page)},
        follow_redirects=False,
    )
    assert switched.status_code == 303
    page = api.client.get("/alerts").text
    assert "<h1>التنبيهات</h1>" in page
    assert "إصدار تنبيه" in page
    assert "Issue an alert" not in page
