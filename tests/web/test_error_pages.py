"""Error pages keep the signed-in reader's frame: the menu, the log-out button, the language.

A 403, 404 or 422 while signed in is a wrong turn: the page says what went wrong under the
reader's own menu, in the reader's language; signed out, an error page shows no menu.
"""

from __future__ import annotations

import re

from tests.api.conftest import Api
from tests.web.test_pages import csrf, login


def _menu(page: str) -> list[str]:
    nav = re.search(r'<nav aria-label="[^"]*">(.*?)</nav>', page, re.S)
    return re.findall(r'<a href="([^"]+)"', nav.group(1)) if nav else []


def test_a_refused_page_keeps_the_menu_and_the_log_out_button(api: Api) -> None:
    assert login(api.client, "officer.one") == 303
    answer = api.client.get("/review")
    assert answer.status_code == 403
    assert "<h1>Not allowed</h1>" in answer.text
    assert _menu(answer.text) == ["/check", "/search", "/dashboard"]  # the officer's own menu
    assert 'action="/logout"' in answer.text
    assert "officer.one" in answer.text
    logged_out = api.client.post(
        "/logout", data={"csrf_token": csrf(answer.text)}, follow_redirects=False
    )
    assert logged_out.status_code == 303  # the error page's own log-out button works


def test_a_page_not_found_and_a_bad_entry_keep_the_menu(api: Api) -> None:
    assert login(api.client, "analyst.one") == 303
    missing = api.client.get("/cases/no-such-case")
    assert missing.status_code == 404
    assert "<h1>Not found</h1>" in missing.text
    assert "/review" in _menu(missing.text)
    refused = api.client.get("/search", params={"nationality": "TOO LONG"})
    assert refused.status_code == 422
    assert "<h1>Please check what was entered</h1>" in refused.text
    assert "/review" in _menu(refused.text)
    assert 'action="/logout"' in refused.text


def test_the_error_heading_is_in_the_readers_language(api: Api) -> None:
    assert login(api.client, "officer.one") == 303
    page = api.client.get("/check").text
    api.client.post(
        "/language",
        data={"language": "ar", "next": "/check", "csrf_token": csrf(page)},
        follow_redirects=False,
    )
    refused = api.client.get("/review")
    assert '<html lang="ar" dir="rtl">' in refused.text
    assert "<h1>غير مسموح</h1>" in refused.text
    assert "المراقبة الحدودية" in refused.text  # the menu, in Arabic
    api.client.cookies.clear()
    api.client.headers["accept-language"] = "fr"
    signed_out = api.client.get("/no-such-page")
    assert signed_out.status_code == 404
    assert "<h1>Introuvable</h1>" in signed_out.text
    assert _menu(signed_out.text) == []
    assert 'action="/logout"' not in signed_out.text
