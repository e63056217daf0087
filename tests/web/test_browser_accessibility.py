"""Accessibility in a real browser: axe-core on the main pages, in English and in Arabic.

Each page of the tour (tests.web.tour: the login, the booth and a verdict of each kind, a
discreet check's among them, the review queue, cases, alerts, search, the dashboard, the
audit trail, second line, error pages) is checked with axe's WCAG 2.0/2.1 A and AA rules,
colour contrast included: no serious or critical violation, in either language.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.web.accessibility import require_axe, serious_violations
from tests.web.test_browser import Served, browser
from tests.web.tour import signed_in, touring, visit

__all__ = ["browser", "touring"]  # the fixtures, imported


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_main_pages_have_no_serious_accessibility_violation(
    browser: Browser, touring: Served, language: str
) -> None:
    require_axe()
    found = [
        f"{name}: {violation}"
        for name, page in visit(browser, touring, language)
        for violation in serious_violations(page)
    ]
    assert not found, "\n".join(found)


def test_an_error_page_keeps_the_menu_and_the_log_out_button(
    browser: Browser, touring: Served
) -> None:
    page = signed_in(browser, touring, "officer", "ar")
    page.goto(touring.url + "/audit")  # the audit trail is the auditors'
    expect(page.locator("h1")).to_have_text("غير مسموح")
    menu = page.get_by_role("navigation")
    expect(menu.get_by_role("link")).to_have_count(3)  # the officer's own menu
    expect(menu.get_by_role("link").first).to_have_attribute("href", "/check")
    page.locator("form.languages button[value=en]").click()
    expect(page.locator("h1")).to_have_text("Not allowed")
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(touring.url + "/login")
    page.goto(touring.url + "/check")
    expect(page).to_have_url(touring.url + "/login?next=/check")
    page.close()
