"""Booths in a real browser (Debian's Chromium, a real uvicorn node; issue 15, item 6).

The check form offers the booth, with the officer's own as its hint; a traveller checked at
booth B1 is the business of B1: the officer who takes B1 over opens the verdict and decides,
while an officer at booth B2 gets the page that does not exist.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from passerelle.access import AccessControl
from passerelle.node import open_node
from passerelle.settings import Settings
from tests.screening.conftest import passport
from tests.web.test_browser import (
    PASSWORD,
    SCREENSHOTS,
    SETUP,
    Served,
    _assert_drawn,
    _login,
    _seed,
    browser,
    serving,
)

__all__ = ["browser"]  # the fixture, imported

from playwright.sync_api import Browser, Page, expect

WORKPLACES = {
    "officer.chraibi": ("TNG-MED", "B1"),  # takes booth B1 over from officer.amrani
    "officer.benali": ("TNG-MED", "B2"),
}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The browser tests' node, with officer.amrani at TNG-MED booth B1 and two colleagues."""
    tmp = tmp_path_factory.mktemp("browser-ownership")
    home = tmp / "home"
    settings = Settings(home=home, node="MAR")
    _seed(settings, tmp)
    with open_node(settings) as node:
        access = AccessControl.for_node(node)
        access.set_workplace("officer.amrani", "TNG-MED", "B1", by=SETUP)
        for name, (point, booth) in WORKPLACES.items():
            access.add_user(name, "officer", PASSWORD, by=SETUP, crossing_point=point, booth=booth)
    with serving(home) as node:
        yield node


def officer_page(browser: Browser, served: Served, name: str) -> Page:
    page = browser.new_page(viewport={"width": 1180, "height": 820})
    _login(page, served, name)
    expect(page.locator("#mrz")).to_be_visible()
    return page


def test_a_check_at_booth_b1_is_opened_by_b1s_next_officer_and_not_by_b2(
    browser: Browser, served: Served
) -> None:
    leaving = officer_page(browser, served, "officer.amrani")
    booth = leaving.get_by_label("Booth")
    expect(booth).to_have_attribute("placeholder", "B1")
    expect(leaving.locator("label", has=booth)).to_contain_text("yours: B1")
    booth.fill("b1")
    leaving.get_by_label("Crossing point").fill("TNG-MED")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / "check-form-booth.png"
    leaving.screenshot(path=str(shot), full_page=True)
    _assert_drawn(shot, leaving, "#booth")
    leaving.locator("#mrz").focus()
    for line in passport(number="ZX1357924").splitlines():  # a keyboard-wedge scanner
        leaving.keyboard.type(line + "\n", delay=1)
    expect(leaving.locator("#verdict")).to_contain_text("CLEAR")
    verdict_url = leaving.url.split("#")[0]
    leaving.close()

    stranger = officer_page(browser, served, "officer.benali")
    answer = stranger.goto(verdict_url)
    assert answer is not None
    assert answer.status == 404
    expect(stranger.locator("#verdict")).to_have_count(0)
    expect(stranger.locator("body")).to_contain_text("Not found")
    stranger.close()

    arriving = officer_page(browser, served, "officer.chraibi")
    arriving.goto(verdict_url)
    expect(arriving.locator("#verdict")).to_contain_text("CLEAR")
    arriving.locator("#reason_code").select_option("cleared")
    arriving.locator("#admit").click()
    expect(arriving.locator("#decided")).to_contain_text("Admit")
    expect(arriving.locator("#decided")).to_contain_text("officer.chraibi")
    arriving.close()
