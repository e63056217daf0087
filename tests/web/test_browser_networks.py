"""The networks page in Chromium: an analyst explores a ring of travellers (the graph drawn,
filtered by link kind and period, a person expanded from the graph, a link's records opened
down to the inspection), and the page passes the accessibility checks in English and Arabic.
Runs on a real uvicorn node (tests.web.test_browser's ``serving``)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from passerelle.node import open_node
from passerelle.records.travel import TravelContext
from passerelle.screening import InspectionRequest, Inspector
from passerelle.settings import Settings
from passerelle.store.audit import Actor
from tests.networks.world import SmallWorld
from tests.screening.conftest import passport
from tests.web.accessibility import assert_accessible, require_axe
from tests.web.test_browser import (
    Served,
    _login,
    _seed,
    browser,  # noqa: F401  (fixture)
    serving,
)
from tests.web.tour import TABLET

OFFICER = Actor("officer.amrani", "user", "officer")
ORGANISER, GROUP_A, GROUP_B = "RG0000001", ("RG0000002", "RG0000003"), ("RG0000004", "RG0000005")
PLATE = "12345A6"


@pytest.fixture(scope="module")
def ring(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """A node holding a ring's crossings of the last weeks and two of its members' inspections
    in one car (through the real inspector)."""
    tmp = tmp_path_factory.mktemp("browser-networks-node")
    home = tmp / "home"
    settings = Settings(home=home, node="MAR")
    _seed(settings, tmp)
    start = datetime.now(UTC).replace(hour=8, minute=0, second=0, microsecond=0)
    with open_node(settings) as node:
        with node.database.write() as session:
            world = SmallWorld(session)
            for week in range(6):
                crew = (ORGANISER, *(GROUP_A if week % 2 == 0 else GROUP_B))
                day = start - timedelta(days=40 - 7 * week)
                for n, member in enumerate(crew):
                    world.crossing(member, day + timedelta(minutes=2 * n))
        inspector = Inspector(node)
        for member in (ORGANISER, GROUP_A[0]):
            inspector.inspect(
                InspectionRequest(
                    mrz=passport(number=member),
                    purpose="border control",
                    crossing_point="NDR-BNI",
                    direction="exit",
                    officer=OFFICER,
                    at=node.clock(),
                    travel=TravelContext.parse(vehicle_plate="12345-A-6"),
                )
            )
    with serving(home) as served:
        yield served


def analyst_page(chromium: Browser, served: Served) -> Page:
    page = chromium.new_page(viewport=TABLET)
    _login(page, served, "analyst.idrissi")
    expect(page.locator("form.who")).to_be_visible()
    return page


def drawn_persons(page: Page) -> int:
    page.wait_for_function("() => window.passerelleNetwork !== undefined")
    return int(page.evaluate("() => window.passerelleNetwork.nodes().length"))


def test_an_analyst_explores_the_ring(
    browser: Browser,  # noqa: F811
    ring: Served,
) -> None:
    page = analyst_page(browser, ring)
    page.get_by_role("navigation").get_by_role("link", name="Networks").click()
    expect(page.locator("h1")).to_have_text("Networks")
    expect(page.locator("#community-1")).to_be_visible()
    assert drawn_persons(page) == 5
    expect(page.locator("#network-persons tbody tr")).to_have_count(5)

    # filter: one link kind, then a period without the ring
    page.get_by_label("same vehicle").uncheck()
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#network-links")).not_to_contain_text("same vehicle")
    expect(page.locator("#community-1")).to_be_visible()
    today = datetime.now(UTC).date()
    page.get_by_label("From", exact=True).fill((today + timedelta(days=1)).isoformat())
    page.get_by_label("To", exact=True).fill((today + timedelta(days=2)).isoformat())
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#communities")).to_contain_text("No community in this period")

    # expand a person from the graph: their neighbours only
    page.goto(ring.url + "/analysis/networks")
    drawn_persons(page)
    page.evaluate(f"() => window.passerelleNetwork.$id('doc:MAR:{GROUP_B[0]}').emit('tap')")
    expect(page.locator("#graph h2")).to_have_text(f"Neighbours of MAR {GROUP_B[0]}")
    assert drawn_persons(page) == 3  # the organiser and sub-group B
    expect(page.locator("#network-links")).to_contain_text("within 10 minutes of each other")

    # open a link's records, then the inspection behind one
    page.goto(ring.url + "/analysis/networks")
    vehicle = page.locator("#network-links tr", has_text="same vehicle")
    expect(vehicle).to_contain_text(f"Declared in the same vehicle ({PLATE})")
    vehicle.get_by_role("link", name="Records").click()
    expect(page.locator("#opened-records tbody tr")).to_have_count(2)
    page.locator("#opened-records").get_by_role("link", name="Open the inspection").first.click()
    expect(page.locator("#travel-context")).to_contain_text(PLATE)
    page.close()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_networks_page_with_its_graph_is_accessible(
    browser: Browser,  # noqa: F811
    ring: Served,
    language: str,
) -> None:
    require_axe()
    page = analyst_page(browser, ring)
    if page.locator("html").get_attribute("lang") != language:
        page.locator(f"form.languages button[value={language}]").click()
        expect(page.locator("html")).to_have_attribute("lang", language)
    page.goto(ring.url + f"/analysis/networks?records=doc:MAR:{ORGANISER}")
    drawn_persons(page)
    expect(page.locator("#opened-records")).to_be_visible()
    assert_accessible(page, f"networks ({language})")
    page.close()
