"""The demo world's plants, found in a real browser on the node ``passerelle demo`` sets up.

The demo (the real command, ``--no-faces``) plants three persons with two identities
each and a smuggling ring crossing together at Beni Ensar. Signed in as the demo's
analyst, one resolves the three yellow links the demo's linkage run proposed (red, white,
green: each with its note) and explores the ring on the networks page: the community, its
organiser in the middle, the organiser expanded, the crossings behind a link.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from passerelle.demo.plants_ring import RING_POINT, RING_SIZE
from tests.web.test_browser import Served, browser, serving

__all__ = ["browser"]  # the fixture, imported


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """A demo node set up by ``passerelle demo --no-serve`` (a small world), then served."""
    home = tmp_path_factory.mktemp("browser-demo") / "home"
    subprocess.run(
        [
            str(Path(sys.executable).parent / "passerelle"),
            "demo",
            "--home",
            str(home),
            "--travellers",
            "300",
            "--no-faces",
            "--no-serve",
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    with serving(home) as served:
        yield served


def _analyst(browser: Browser, demo: Served) -> Page:
    password = json.loads((demo.home / "demo-logins.json").read_text(encoding="utf-8"))["analyst"]
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(demo.url + "/login")
    page.get_by_label("User name").fill("analyst")
    page.get_by_label("Password").fill(password)
    page.keyboard.press("Enter")
    expect(page.locator("form.who")).to_be_visible()
    return page


def _resolve(page: Page, colour: str, note: str) -> None:
    page.locator(f"#resolve input[name=colour][value={colour}]").check()
    page.locator("#resolve textarea[name=note]").fill(note)
    page.get_by_role("button", name="Resolve the link").click()


def test_the_analyst_resolves_the_demo_s_planted_identities(browser: Browser, demo: Served) -> None:
    page = _analyst(browser, demo)
    page.get_by_role("link", name="Multiple identities").click()
    expect(page.locator("#colour-yellow .count")).to_have_text("3")
    rows = page.locator("#links tbody tr")
    expect(rows).to_have_count(3)
    verdicts = [
        ("red", "red: multiple identity", "One face on two passports: identity fraud."),
        ("white", "white", "Dual national: both documents genuine, declared."),
        ("green", "green: different persons", "Different fathers' names on the records."),
    ]
    for colour, shown, note in verdicts:
        page.goto(demo.url + "/analysis/identities?colour=yellow")
        page.locator("#links tbody tr").first.get_by_role("link").click()
        expect(page.locator("#evidence")).to_contain_text("listed person")
        expect(page.locator("#comparisons")).to_contain_text("name")
        _resolve(page, colour, note)
        expect(page.locator("#link-colour")).to_contain_text(shown)
        expect(page.locator("#resolution-note")).to_have_text(note)
    page.goto(demo.url + "/analysis/identities?colour=yellow")
    expect(page.locator("#no-links")).to_be_visible()
    for colour in ("red", "white", "green"):
        expect(page.locator(f"#colour-{colour} .count")).to_have_text("1")
    page.close()


def test_the_analyst_explores_the_demo_s_smuggling_ring(browser: Browser, demo: Served) -> None:
    page = _analyst(browser, demo)
    page.get_by_role("navigation").get_by_role("link", name="Networks").click()
    ring = page.locator("#community-1")
    expect(ring).to_be_visible()
    expect(ring).to_contain_text(RING_POINT)
    expect(ring.locator("td").nth(1)).to_have_text(str(RING_SIZE))
    # the organiser, the ring's most central person, expanded: everyone crosses with them
    ring.locator("td").nth(3).get_by_role("link").first.click()
    expect(page.locator("#graph h2")).to_contain_text("Neighbours of")
    expect(page.locator("#network-persons tbody tr")).to_have_count(RING_SIZE)
    link = page.locator("#network-links tbody tr").first
    expect(link).to_contain_text("within 10 minutes of each other")
    link.get_by_role("link", name="Records").click()
    expect(page.locator("#opened-records")).to_contain_text(RING_POINT)
    page.close()
