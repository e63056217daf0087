"""The reader's language: the browser's by default, kept on the account from the first login,
changed from the menu bar; Arabic pages right to left."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.api.conftest import Api
from tests.web.test_pages import csrf, login


def _html_tag(page: str) -> str:
    found = re.search(r"<html[^>]*>", page)
    assert found is not None
    return found.group()


def test_the_login_page_speaks_the_browsers_language(api: Api) -> None:
    api.client.headers["accept-language"] = "fr-MA,fr;q=0.9,ar;q=0.8"
    page = api.client.get("/login").text
    assert _html_tag(page) == '<html lang="fr" dir="ltr">'
    assert "<h1>Se connecter</h1>" in page
    api.client.headers["accept-language"] = "ar-MA,ar;q=0.9"
    page = api.client.get("/login").text
    assert _html_tag(page) == '<html lang="ar" dir="rtl">'
    assert "<h1>تسجيل الدخول</h1>" in page
    api.client.headers["accept-language"] = "de-DE"
    assert _html_tag(api.client.get("/login").text) == '<html lang="en" dir="ltr">'


def test_the_first_login_keeps_the_language_on_the_account(api: Api) -> None:
    api.client.headers["accept-language"] = "fr"
    assert login(api.client, "officer.one") == 303
    # another browser, preferring English, without the cookie: the account's language wins
    other = TestClient(api.client.app, headers={"accept-language": "en"})
    assert login(other, "officer.one") == 303
    assert other.cookies.get("passerelle_lang") == "fr"
    assert 'lang="fr"' in _html_tag(other.get("/check").text)


def test_the_menu_bar_switches_the_language_and_the_account_keeps_it(api: Api) -> None:
    assert login(api.client, "officer.one") == 303
    page = api.client.get("/check").text
    switched = api.client.post(
        "/language",
        data={"language": "ar", "next": "/check", "csrf_token": csrf(page)},
        follow_redirects=False,
    )
    assert switched.status_code == 303
    assert switched.headers["location"] == "/check"
    page = api.client.get("/check").text
    assert _html_tag(page) == '<html lang="ar" dir="rtl">'
    assert "المراقبة الحدودية" in page  # the menu
    other = TestClient(api.client.app)
    assert login(other, "officer.one") == 303
    assert other.cookies.get("passerelle_lang") == "ar"


def test_a_signed_in_switch_without_the_csrf_token_is_refused(api: Api) -> None:
    assert login(api.client, "officer.one") == 303
    refused = api.client.post(
        "/language", data={"language": "ar", "next": "/check"}, follow_redirects=False
    )
    assert refused.status_code == 403


def test_a_value_in_a_page_title_is_plain_text_on_arabic_pages() -> None:
    from passerelle.i18n import use_language
    from passerelle.web.rendering import templates

    page = templates.env.from_string(
        '{% extends "base.html" %}{% block title %}{{ name }} {{ number }}{% endblock %}'
    )
    with use_language("ar"):
        html = page.render(name="يوسف العمراني", number="AB123456", node_code="MAR", languages=())
    title = re.search(r"<title>(.*?)</title>", html)
    assert title is not None
    assert title.group(1) == "يوسف العمراني AB123456 · MAR"
