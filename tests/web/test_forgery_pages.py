"""The document examiner's page without a browser: the forgeries held with their images, a
forgery recorded from files, CSRF and roles (tests/web/test_browser_forgeries.py drives it
in Chromium)."""

from __future__ import annotations

from typing import Any

from passerelle.records.alerts import parse_alert
from passerelle.store.audit import Actor
from tests.api.conftest import Api
from tests.records.test_forgeries import INDICATORS, forgery_alert, png
from tests.screening.conftest import passport
from tests.screening.test_forgery_checks import receive_from_bel
from tests.web.test_pages import csrf, login

ANALYST = Actor("analyst.one", "user", "analyst")


def form(token: str, **changes: Any) -> dict[str, Any]:
    return {
        "csrf_token": token,
        "issuing_state": "MAR",
        "document_code": "P",
        "forgery_type": "counterfeit",
        "number_pattern": "ZZ9#####",
        "detected_by": ["uv", "tactile"],
        "indicators": "The laminate lifts at the corner; no relief on the photo's edge.",
        "issuing_authority": "DGSN Rabat, document fraud unit",
        "action": "Refer to second line.",
    } | changes


def test_the_examiner_sees_own_and_partners_forgeries_with_their_images(api: Api) -> None:
    services = api.services
    services.alerts.issue(ANALYST, parse_alert(forgery_alert()))
    receive_from_bel(services.node, services.node.clock)
    login(api.client, "analyst.one")

    page = api.client.get("/forgeries")

    assert page.status_code == 200
    assert 'id="forgery-MAR-F-0001"' in page.text
    assert 'id="forgery-BEL-BEL-F-7"' in page.text
    assert page.text.count(INDICATORS) == 2
    assert "numbers AB1000000 to AB1099999" in page.text
    own = api.client.get("/forgeries/images/own/MAR-F-0001/0")
    shared = api.client.get("/forgeries/images/BEL/BEL-F-7/0")
    assert (own.status_code, own.headers["content-type"], own.content) == (
        200,
        "image/png",
        png(),
    )
    assert shared.content == png()
    assert api.client.get("/forgeries/images/own/MAR-F-0001/1").status_code == 404
    assert api.client.get("/forgeries/images/TUN/BEL-F-7/0").status_code == 404


def test_an_analyst_records_a_forgery_with_an_image_file_and_a_bad_one_is_named(
    api: Api,
) -> None:
    login(api.client, "analyst.one")
    token = csrf(api.client.get("/forgeries").text)
    files = [("images", ("uv.png", png(), "image/png"))]

    recorded = api.client.post("/forgeries", data=form(token), files=files)

    assert recorded.status_code == 200  # redirected to the page
    assert "numbers like ZZ9#####" in recorded.text
    assert "/forgeries/images/own/" in recorded.text
    refused = api.client.post("/forgeries", data=form(token, number_pattern="*"), files=files)
    assert refused.status_code == 422
    assert "subject.number_pattern" in refused.text
    bad_file = [("images", ("uv.png", b"GIF89a", "image/png"))]
    refused = api.client.post("/forgeries", data=form(token), files=bad_file)
    assert refused.status_code == 422
    assert "reference_images[0].data" in refused.text


def test_the_page_refuses_a_form_without_its_token_and_an_officer(api: Api) -> None:
    login(api.client, "analyst.one")
    answer = api.client.post("/forgeries", data=form("forged"))
    assert answer.status_code == 403
    api.client.cookies.clear()
    login(api.client, "officer.one")
    assert api.client.get("/forgeries").status_code == 403
    assert api.client.get("/forgeries/images/own/MAR-F-0001/0").status_code == 403


def test_the_officer_s_verdict_on_a_passport_in_the_series_refers_and_shows_the_indicators(
    api: Api,
) -> None:
    api.services.alerts.issue(ANALYST, parse_alert(forgery_alert()))
    login(api.client, "officer.one")
    booth = api.client.get("/check").text
    verdict = api.client.post(
        "/check",
        data={
            "csrf_token": csrf(booth),
            "mrz": passport(number="AB1000042"),
            "crossing_point": "TNG-MED",
            "direction": "entry",
            "purpose": "border control",
        },
    )
    assert verdict.status_code == 200
    assert 'class="verdict verdict-refer"' in verdict.text
    assert INDICATORS in verdict.text
    assert "Known forgery" in verdict.text
