"""The tablet layout: at 1024×768 no page scrolls sideways, in English or in Arabic.

Every page a signed-in officer, supervisor, analyst, auditor or administrator opens (the
tour of tests.web.tour: check form, verdicts, review, cases, federation, alerts, forgeries,
search, dashboard, audit trail, chip trust, second line, the login and error pages) fits
the width of a booth tablet: a long identifier or JSON wraps, a wide table scrolls inside
its own frame, and the page itself never scrolls horizontally.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page

from tests.web.test_browser import Served, browser
from tests.web.tour import touring, visit

__all__ = ["browser", "touring"]  # the fixtures, imported

WIDEST = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > width + 1 || e.getBoundingClientRect().left < -1)
    .filter(e => { for (let up = e.parentElement; up; up = up.parentElement) {
      if (up !== document.body && getComputedStyle(up).overflowX !== 'visible') return false;
    } return true; })
    .slice(0, 5)
    .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
      + (typeof e.className === 'string' && e.className ? '.' + e.className.trim() : ''));
}"""
"""The first elements drawn past the page's sides: what makes it scroll."""


def sideways(page: Page) -> str | None:
    """Why ``page`` scrolls horizontally, or None when it fits its width."""
    scroll, client = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    if scroll <= client:
        return None
    return f"{scroll}px wide in {client}px, past the side: {', '.join(page.evaluate(WIDEST))}"


@pytest.mark.parametrize("language", ["en", "ar"])
def test_no_page_scrolls_sideways_on_a_tablet(
    browser: Browser, touring: Served, language: str
) -> None:
    found = [
        f"{name}: {why}"
        for name, page in visit(browser, touring, language)
        if (why := sideways(page)) is not None
    ]
    assert not found, "\n".join(found)
