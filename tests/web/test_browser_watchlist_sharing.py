"""An analyst keeps a watchlist person from partners on ``/search``, in Chromium; officers
see no such form. Runs on a real uvicorn node (tests.web.test_browser's ``serving``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from passerelle.access import Permission, local_operator
from passerelle.node import open_node
from passerelle.records.watchlist import read_entry
from passerelle.services.watchlist import WatchlistKeeping
from passerelle.settings import Settings
from passerelle.store.audit_reading import read_audit
from tests.web.test_browser import (
    SCREENSHOTS,
    Served,
    _login,
    _seed,
    browser,  # noqa: F401  (fixture)
    serving,
)

PERSON = {
    "id": "MAR-W-0042",
    "names": ["Karim Bennani"],
    "birth_date": "1979-02-11",
    "nationalities": ["MAR"],
    "category": "wanted",
    "issued_by": "MAR",
}


@pytest.fixture(scope="module")
def keeping(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The browser node with one watchlist person, shared as usual."""
    tmp = tmp_path_factory.mktemp("browser-sharing-node")
    home = tmp / "home"
    settings = Settings(home=home, node="MAR")
    _seed(settings, tmp)
    with open_node(settings) as node:
        WatchlistKeeping(node).add(local_operator(Permission.MANAGE_WATCHLIST), read_entry(PERSON))
    with serving(home) as served:
        yield served


def _analyst_on_search(browser: Browser, keeping: Served) -> Page:  # noqa: F811
    """A new page with the analyst logged in (landed on /review) and on /search."""
    page = browser.new_page()
    _login(page, keeping, "analyst.idrissi")
    expect(page).to_have_url(keeping.url + "/review")
    page.goto(keeping.url + "/search")
    return page


def test_an_analyst_keeps_a_person_from_partners_and_an_officer_has_no_such_form(
    browser: Browser,  # noqa: F811
    keeping: Served,
) -> None:
    page = _analyst_on_search(browser, keeping)
    form = page.locator("#watchlist-sharing")
    form.get_by_label("Watchlist id").fill("MAR-W-0042")
    form.get_by_label("Partners").select_option("kept_home")
    form.get_by_label("Restricted matter").select_option("political")
    form.get_by_label("Reason").fill("Opposition figure: never shared.")
    form.get_by_role("button", name="Set sharing").click()

    expect(page.locator("#sharing-done")).to_contain_text(
        "MAR-W-0042: kept from partners; restricted matter: political"
    )
    settings = Settings(home=keeping.home, node="MAR")
    with open_node(settings) as node, node.database.read() as session:
        records = read_audit(session, action="watchlist.sharing")
    assert [r.actor for r in records] == ["analyst.idrissi"]

    form = page.locator("#watchlist-sharing")
    form.get_by_label("Watchlist id").fill("MAR-W-9999")
    form.get_by_label("Reason").fill("Checking.")
    form.get_by_role("button", name="Set sharing").click()
    expect(page.locator("#sharing-error")).to_contain_text("person_id: no watchlist entry")
    page.close()

    officer = browser.new_page()
    _login(officer, keeping, "officer.amrani")
    expect(officer).to_have_url(keeping.url + "/check")
    officer.goto(keeping.url + "/search")
    expect(officer.locator("#name-search")).to_be_visible()
    expect(officer.locator("#watchlist-sharing")).to_have_count(0)
    officer.close()


def test_an_analyst_s_name_search_ranks_the_exact_name_without_a_birth_date(
    browser: Browser,  # noqa: F811
    keeping: Served,
) -> None:
    page = _analyst_on_search(browser, keeping)
    form = page.locator("#name-search")
    form.get_by_label("Name").fill("كريم بناني")
    form.get_by_label("Purpose").fill("Second-line check")
    form.get_by_role("button", name="Search names").click()
    first = page.locator("#name-results tbody tr").first
    expect(first).to_contain_text("MAR-W-0042")
    expect(page.locator("#name-results-note")).to_contain_text("A search is not an alert")

    form = page.locator("#name-search")
    form.get_by_label("Name").fill("Karim Bennani")
    form.get_by_label("Date of birth").fill("1979-02-11")
    form.get_by_role("button", name="Search names").click()
    first = page.locator("#name-results tbody tr").first
    expect(first).to_contain_text("MAR-W-0042")
    expect(first).to_contain_text("would alert")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "search-ranked.png"), full_page=True)
    page.close()
