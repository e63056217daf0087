"""The case pages and the notes on an inspection's review page, driven as a browser would
(forms posted with the session's CSRF token), without a browser."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.api.conftest import Api
from tests.api.test_cases import another_travellers_hit
from tests.web.test_pages import csrf, login


def queued_hit(api: Api) -> tuple[str, int]:
    """Another traveller's stolen passport checked at the border: its inspection id and the
    hit review's id."""
    return another_travellers_hit(api)


def open_case(client: TestClient, inspection_id: str, review_id: int, title: str) -> str:
    """Open a case from the inspection's review page; the case page's path."""
    page = client.get(f"/review/inspection/{inspection_id}").text
    opened = client.post(
        "/cases",
        data={
            "csrf_token": csrf(page),
            "review_ids": [str(review_id)],
            "title": title,
            "note": "First look",
        },
        follow_redirects=False,
    )
    assert opened.status_code == 303, opened.text
    return str(opened.headers["location"])


def test_an_analyst_notes_a_hit_and_opens_a_case_from_the_inspection(api: Api) -> None:
    inspection_id, review_id = queued_hit(api)
    login(api.client, "analyst.one")
    page = api.client.get(f"/review/inspection/{inspection_id}")
    assert page.status_code == 200
    assert 'id="verdict"' in page.text  # the officer's view is still there
    assert f'id="add-note-{review_id}"' in page.text
    assert 'id="open-case-form"' in page.text
    assert 'href="/cases"' in page.text  # the menu

    noted = api.client.post(
        f"/review/{review_id}/notes",
        data={"csrf_token": csrf(page.text), "text": "Asked the issuing post <b>now</b>"},
    )
    assert noted.status_code == 200
    assert noted.url.path == f"/review/inspection/{inspection_id}"
    assert "Asked the issuing post &lt;b&gt;now&lt;/b&gt;" in noted.text

    location = open_case(api.client, inspection_id, review_id, "Stolen passport at Tanger Med")
    assert re.fullmatch(r"/cases/CASE-2026-\d{4}", location)
    case_page = api.client.get(location).text
    assert "Stolen passport at Tanger Med" in case_page
    assert "First look" in case_page
    assert f'id="review-{review_id}"' in case_page
    listed = api.client.get("/cases").text
    assert location.removeprefix("/cases/") in listed
    again = api.client.get(f"/review/inspection/{inspection_id}").text
    assert f'href="{location}"' in again
    assert 'id="open-case-form"' not in again  # its only hit is in a case now


def test_a_case_takes_notes_and_hits_until_it_is_closed(api: Api) -> None:
    first_inspection, first = queued_hit(api)
    _, second = queued_hit(api)
    login(api.client, "analyst.one")
    location = open_case(api.client, first_inspection, first, "Two stolen passports")
    token = csrf(api.client.get(location).text)

    noted = api.client.post(f"{location}/notes", data={"csrf_token": token, "text": "Same ring"})
    assert "Same ring" in noted.text
    linked = api.client.post(f"{location}/reviews", data={"csrf_token": token, "review_id": second})
    assert f'id="review-{second}"' in linked.text
    blank = api.client.post(f"{location}/close", data={"csrf_token": token, "resolution": " "})
    assert blank.status_code == 422
    assert "resolution: is required" in blank.text
    closed = api.client.post(
        f"{location}/close", data={"csrf_token": token, "resolution": "Both seized"}
    )
    assert 'id="case-status">closed' in closed.text
    assert "Both seized" in closed.text
    assert 'id="add-case-note"' not in closed.text
    assert 'id="close-case"' not in closed.text

    late = api.client.post(f"{location}/notes", data={"csrf_token": token, "text": "Too late"})
    assert late.status_code == 409
    assert "Status: case" in late.text
    assert "was closed by analyst.one" in late.text
    assert "Too late" not in late.text
    third_inspection, _ = queued_hit(api)
    page = api.client.get(f"/review/inspection/{third_inspection}").text
    assert 'id="link-case-form"' not in page  # no case is open to add it to


def test_hits_join_an_open_case_from_the_inspection_page(api: Api) -> None:
    first_inspection, first = queued_hit(api)
    second_inspection, second = queued_hit(api)
    login(api.client, "analyst.one")
    location = open_case(api.client, first_inspection, first, "Ring")
    page = api.client.get(f"/review/inspection/{second_inspection}").text
    assert 'id="link-case-form"' in page
    linked = api.client.post(
        "/cases/link",
        data={
            "csrf_token": csrf(page),
            "case_id": location.removeprefix("/cases/"),
            "review_ids": [str(second)],
        },
    )
    assert linked.status_code == 200
    assert linked.url.path == location
    assert f'id="review-{second}"' in linked.text


def test_case_forms_without_the_csrf_token_are_refused(api: Api) -> None:
    inspection_id, review_id = queued_hit(api)
    login(api.client, "analyst.one")
    forged = api.client.post(
        "/cases", data={"csrf_token": "forged", "review_ids": [str(review_id)], "title": "x"}
    )
    assert forged.status_code == 403
    note = api.client.post(f"/review/{review_id}/notes", data={"csrf_token": "forged", "text": "x"})
    assert note.status_code == 403
    assert "No case yet" in api.client.get("/cases").text
    page = api.client.get(f"/review/inspection/{inspection_id}").text
    assert 'id="notes-' in page
    assert '<li id="note-' not in page


def test_officers_and_auditors_neither_see_nor_open_cases(api: Api) -> None:
    for name in ("officer.one", "auditor.one", "admin.one"):
        client = TestClient(api.client.app)
        login(client, name)
        landing = client.get("/").text
        assert 'href="/cases"' not in landing, name
        answer = client.get("/cases")
        assert answer.status_code == 403, name
        assert "review_hits" in answer.text
        assert client.get("/cases/CASE-2026-0001").status_code == 403, name
