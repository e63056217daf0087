"""The identity-link pages over the real app: CSRF on every form, refusals worded on the
page, the officer kept out, the red link's case form, the reading audited."""

from __future__ import annotations

from tests.api.conftest import Api
from tests.api.test_identity_links import audited, inspected, proposed
from tests.web.test_pages import csrf, login


def test_a_resolution_without_its_csrf_token_changes_nothing(api: Api) -> None:
    link_id = proposed(api, inspected(api, number="ZX9876543"), inspected(api, number="QA1234567"))
    login(api.client, "analyst.one")
    forged = api.client.post(
        f"/analysis/identities/{link_id}/resolution",
        data={"csrf_token": "forged", "colour": "red", "note": "Two passports."},
    )
    assert forged.status_code == 403
    listed = api.client.get("/analysis/identities")
    assert f'id="link-{link_id}"' in listed.text
    assert "yellow: to verify" in listed.text


def test_a_blank_note_is_refused_on_the_page_and_a_red_link_offers_a_case(api: Api) -> None:
    link_id = proposed(api, inspected(api, number="ZX9876543"), inspected(api, number="QA1234567"))
    login(api.client, "analyst.one")
    page = api.client.get(f"/analysis/identities/{link_id}")
    assert page.status_code == 200
    assert "identity fraud is suspected" in page.text
    url = f"/analysis/identities/{link_id}/resolution"
    blank = api.client.post(url, data={"csrf_token": csrf(page.text), "colour": "red", "note": ""})
    assert blank.status_code == 422
    assert 'id="error"' in blank.text
    assert "note" in blank.text
    red = api.client.post(
        url, data={"csrf_token": csrf(page.text), "colour": "red", "note": "Two passports."}
    )
    assert red.status_code == 200  # followed to the link's page
    assert "red: multiple identity" in red.text
    assert 'id="open-case"' in red.text
    assert 'id="resolution-locked"' in red.text
    assert [r["outcome"] for r in audited(api, "identity_link.read")] == ["found"] * 3


def test_an_officer_is_refused_and_an_unknown_link_is_a_404_page(api: Api) -> None:
    login(api.client, "officer.one")
    assert api.client.get("/analysis/identities").status_code == 403
    api.client.cookies.clear()
    login(api.client, "analyst.one")
    assert api.client.get("/analysis/identities/4242").status_code == 404
    asked = api.client.get("/analysis/identities?colour=purple")
    assert asked.status_code == 422
