"""The risk page in a real browser: filters, a finding's crossings opened, the map, the
exports downloaded, and no serious accessibility violation in English or Arabic."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Browser, expect

from passerelle.demo.loading import CROSSING_MAP_FILE
from passerelle.node import open_node
from passerelle.settings import Settings
from passerelle.store.crossings import CrossingEntry, record_crossing
from tests.web.accessibility import require_axe, serious_violations
from tests.web.test_browser import SETUP, Served, _login, _seed, browser, serving

__all__ = ["browser"]  # the fixture, imported

DOCUMENT = "DU7654321"
BURST = ("N7310450", "N7310451", "N7310453", "N7310454")


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """A node whose crossings hold a double-used passport and a burst, with the demo's map."""
    tmp = tmp_path_factory.mktemp("browser-risk-node")
    home = tmp / "home"
    settings = Settings(home=home, node="MAR")
    _seed(settings, tmp)
    settings.effective_crossing_points_geojson.parent.mkdir(parents=True, exist_ok=True)
    settings.effective_crossing_points_geojson.write_text(
        CROSSING_MAP_FILE.read_text(encoding="utf-8"), encoding="utf-8"
    )
    now = datetime.now(UTC)
    at = now.replace(hour=9, minute=0, second=0, microsecond=0) - timedelta(days=2)
    legs = [
        ("FRA", DOCUMENT, "TNG-MED", "entry", at),
        ("FRA", DOCUMENT, "OUJ-ZKH", "exit", at + timedelta(minutes=4)),
        *(("SEN", n, "CMN-T1", "entry", at + timedelta(hours=5, minutes=9 * k))
          for k, n in enumerate(BURST)),
    ]  # fmt: skip
    with open_node(settings) as node, node.database.write() as session:
        for state, number, point, way, when in legs:
            entry = CrossingEntry(
                issuing_state=state, document_number=number, nationality=state,
                crossing_point=point, direction=way, at=when,
            )  # fmt: skip
            record_crossing(session, node.audit, entry, actor=SETUP, now=now)
    with serving(home) as served:
        yield served


def test_the_analyst_filters_opens_a_finding_sees_the_map_and_exports(
    browser: Browser, planted: Served
) -> None:
    page = browser.new_page()
    _login(page, planted, "analyst.idrissi")
    page.get_by_role("navigation").get_by_role("link", name="Risk analysis").click()
    expect(page.locator("h1")).to_have_text("Risk indicators and unusual patterns")
    findings = page.locator("details.finding")
    expect(findings).to_have_count(2)
    twice = page.locator('details[data-rule="used_at_once"]')
    records = twice.locator("table.records")
    expect(records).to_be_hidden()
    twice.locator("summary").click()
    expect(records).to_be_visible()
    expect(records.locator("tbody tr")).to_have_count(2)
    expect(records).to_contain_text("OUJ-ZKH")
    expect(page.locator("svg.risk-map a.map-point")).to_have_count(8)
    expect(page.locator("#map-table tbody tr")).to_have_count(8)
    # the filter: Senegalese documents only, per week
    page.get_by_label("Nationality", exact=True).fill("SEN")
    page.locator("select[name=granularity]").select_option("week")
    page.get_by_role("button", name="Show").click()
    expect(findings).to_have_count(1)
    expect(page.locator('details[data-rule="sequential_documents"]')).to_be_visible()
    with page.expect_download() as zipped:
        page.locator("#export-csv").click()
    assert zipped.value.suggested_filename.endswith(".zip")
    with page.expect_download() as printed:
        page.locator("#export-pdf").click()
    assert printed.value.suggested_filename.endswith(".pdf")
    # a map point is a link to that point's figures
    page.locator('svg.risk-map a.map-point[data-code="CMN-T1"]').click()
    expect(page.get_by_label("Crossing point", exact=True)).to_have_value("CMN-T1")
    page.close()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_risk_page_has_no_serious_accessibility_violation(
    browser: Browser, planted: Served, language: str
) -> None:
    require_axe()
    page = browser.new_page()
    _login(page, planted, "analyst.idrissi")
    expect(page).not_to_have_url(re.compile(r"/login"))  # logged in before going on
    if page.locator("html").get_attribute("lang") != language:
        page.locator(f"form.languages button[value={language}]").click()
        expect(page.locator("html")).to_have_attribute("lang", language)
    page.goto(planted.url + "/analysis/risk")
    page.locator("details.finding summary").first.click()
    assert not serious_violations(page)
    page.close()
