"""A tour of the pages, for the checks that hold on every page (accessibility, the tablet).

One node (``touring``) with a user in each working role, a stolen passport, a discreet-check
alert, a forged-document alert and a wanted person; :func:`verdicts` has the officer check
four travellers at the booth (HIT, REFER, CLEAR, a discreet check) in the real browser;
:func:`pages_of` lists each role's pages, the verdicts and an error page among them, and
:func:`signed_in` opens a page signed in, in the language asked (the switch in the menu).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from passerelle.access import AccessControl, Permission, local_operator
from passerelle.node import open_node
from passerelle.records.alerts import parse_alert
from passerelle.settings import Settings
from passerelle.wiring import alert_desk
from tests.records.test_forgeries import forgery_alert
from tests.screening.conftest import STOLEN_NUMBER, passport
from tests.web.test_browser import PASSWORD, SETUP, Served, _login, _seed, serving

__all__ = ["TABLET", "Stop", "pages_of", "signed_in", "touring", "verdicts", "visit"]

WATCHED = "UM4731285"
"""A passport under a discreet-check alert: the verdict stays CLEAR, a report is asked."""
TABLET = ViewportSize(width=1024, height=768)
ROLES = {
    "officer": "officer.amrani",
    "analyst": "analyst.idrissi",
    "supervisor": "supervisor.tahiri",
    "auditor": "auditor.bennani",
    "admin": "admin.benjelloun",
}


@dataclass(frozen=True, slots=True)
class Stop:
    """One page of the tour: who opens it, its address and what it is called in a report."""

    role: str
    path: str
    name: str


@pytest.fixture(scope="module")
def touring(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The browser tests' node with every working role, and alerts for the alerts pages."""
    tmp = tmp_path_factory.mktemp("browser-tour-node")
    home = tmp / "home"
    settings = Settings(home=home, node="MAR")
    _seed(settings, tmp)
    with open_node(settings) as node:
        access = AccessControl.for_node(node)
        for role in ("supervisor", "auditor", "admin"):
            access.add_user(ROLES[role], role, PASSWORD, by=SETUP)
        desk = alert_desk(node)
        analyst = local_operator(Permission.MANAGE_ALERTS)
        desk.issue(analyst, parse_alert(forgery_alert()))
        desk.issue(
            analyst,
            parse_alert(
                {
                    "id": "MAR-S-2026-000123456789",
                    "category": "surveillance",
                    "subject": {
                        "kind": "document",
                        "issuing_state": "MAR",
                        "document_number": WATCHED,
                    },
                    "issuing_authority": "DGST liaison cell: +212 537 00 00 40",
                    "action": "Admit as usual, do not alert the traveller; report the route.",
                }
            ),
        )
    with serving(home) as served:
        yield served


def signed_in(browser: Browser, served: Served, role: str, language: str) -> Page:
    """A tablet-sized page signed in as the ``role``'s user, reading ``language``."""
    page = browser.new_page(viewport=TABLET)
    _login(page, served, ROLES[role])
    expect(page.locator("form.who")).to_be_visible()
    if page.locator("html").get_attribute("lang") != language:
        page.locator(f"form.languages button[value={language}]").click()
        expect(page.locator("html")).to_have_attribute("lang", language)
    return page


_CHECKED: dict[str, dict[str, str]] = {}
"""The verdicts of each node toured (by its address): the travellers are checked once."""


def verdicts(browser: Browser, served: Served) -> dict[str, str]:
    """The officer checks four travellers; the address of each verdict by its kind."""
    if served.url in _CHECKED:
        return _CHECKED[served.url]
    page = signed_in(browser, served, "officer", "en")
    found: dict[str, str] = {}
    for kind, mrz, word in (
        ("hit", passport(number=STOLEN_NUMBER), "HIT"),
        ("refer", passport(number="EX1234567", expiry="240101"), "REFER"),
        ("clear", passport(), "CLEAR"),
        ("discreet", passport(number=WATCHED), "CLEAR"),
    ):
        page.goto(served.url + "/check")
        page.get_by_label("Crossing point").fill("TNG-MED")
        page.locator("#mrz").fill(mrz)
        page.keyboard.press("Control+Enter")
        expect(page.locator("#verdict")).to_contain_text(word)
        found[kind] = page.url.split(served.url, 1)[1].split("#")[0]
    page.close()
    _CHECKED[served.url] = found
    return found


def pages_of(verdict: dict[str, str]) -> list[Stop]:
    """Every page of the tour, with the role that opens it."""
    return [
        Stop("officer", "/check", "check form"),
        *(Stop("officer", path, f"{kind} verdict") for kind, path in verdict.items()),
        Stop("officer", "/dashboard", "dashboard (officer)"),
        Stop("officer", "/audit", "error page (403)"),
        Stop("officer", "/check/no-such-check", "error page (404)"),
        Stop("supervisor", "/second-line", "second line"),
        Stop("analyst", "/review", "review queue"),
        Stop("analyst", "/cases", "cases"),
        Stop("analyst", "/federation", "federation"),
        Stop("analyst", "/alerts", "alerts"),
        Stop("analyst", "/forgeries", "forgeries"),
        Stop("analyst", "/search?name=Lamrani&purpose=case+MAR-17", "search (names)"),
        Stop(
            "analyst",
            f"/search?issuing_state=MAR&document_number={STOLEN_NUMBER}&purpose=case",
            "search (document)",
        ),
        Stop("analyst", "/dashboard", "dashboard"),
        Stop("analyst", "/analysis/networks", "networks"),
        Stop("auditor", "/audit", "audit trail"),
        Stop("admin", "/chip-trust", "chip trust"),
    ]


def visit(browser: Browser, served: Served, language: str) -> Iterator[tuple[str, Page]]:
    """Each page of the tour in ``language`` at the tablet's size, as its role sees it: the
    login first (signed out), then :func:`pages_of` the officer's verdicts."""
    login = browser.new_page(viewport=TABLET)
    login.goto(served.url + "/login")
    if language != "en":
        login.locator(f"form.languages button[value={language}]").click()
        expect(login.locator("html")).to_have_attribute("lang", language)
    yield "login", login
    login.close()
    opened: dict[str, Page] = {}
    try:
        for stop in pages_of(verdicts(browser, served)):
            if stop.role not in opened:
                opened[stop.role] = signed_in(browser, served, stop.role, language)
            page = opened[stop.role]
            page.goto(served.url + stop.path)
            page.wait_for_load_state("load")
            yield stop.name, page
    finally:
        for page in opened.values():
            page.close()
