"""Alert actions in a real browser: a discreet check at the booth, quiet on screen, reported.

A surveillance alert (a discreet check) is on a passport. The officer scans it: the
verdict is the usual CLEAR, no red banner or lamp, neither "HIT" nor "Do not let"
anywhere a traveller could read; a small neutral cue says a report is asked, the
instruction folded until opened. The officer opens it, files the report, and the
verdict shows it recorded; the analyst finds it on the alert (the issuer's inbox).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from passerelle.node import open_node
from passerelle.settings import Settings
from passerelle.store.alerts import parse_alert
from passerelle.wiring import alert_registry
from tests.screening.conftest import passport
from tests.web.test_browser import (  # noqa: F401 (the browser fixture)
    SCREENSHOTS,
    SETUP,
    Served,
    _login,
    _seed,
    browser,
    serving,
)

WATCHED = "UM4731285"
INSTRUCTION = "Admit as usual, do not alert the traveller; report the route and companions."


@pytest.fixture(scope="module")
def watching(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """A node with a discreet-check alert on passport MAR UM4731285."""
    tmp = tmp_path_factory.mktemp("browser-actions-node")
    home = tmp / "home"
    settings = Settings(home=home, node="MAR")
    _seed(settings, tmp)
    with open_node(settings) as node, node.database.write() as session:
        alert_registry(node).issue(
            session,
            parse_alert(
                {
                    "id": "MAR-S-5",
                    "category": "surveillance",
                    "subject": {
                        "kind": "document",
                        "issuing_state": "MAR",
                        "document_number": WATCHED,
                    },
                    "issuing_authority": "DGST liaison cell: +212 537 00 00 40",
                    "action": INSTRUCTION,
                }
            ),
            actor=SETUP,
            now=node.clock(),
        )
    with serving(home) as served:
        yield served


def test_a_discreet_check_is_quiet_on_screen_and_its_report_is_recorded(
    browser: Browser,  # noqa: F811
    watching: Served,
) -> None:
    page = browser.new_page(viewport={"width": 1180, "height": 820})
    _login(page, watching, "officer.amrani")
    page.get_by_label("Crossing point").fill("TNG-MED")
    page.locator("#mrz").fill(passport(number=WATCHED))
    page.keyboard.press("Control+Enter")

    expect(page.locator("#verdict")).to_contain_text("CLEAR")
    expect(page.locator(".verdict-hit")).to_have_count(0)
    expect(page.locator(".light-red")).to_have_count(0)
    expect(page.locator("#light-alerts")).to_have_class("light light-blue")
    cue = page.locator("#note-cue-1")
    expect(cue).to_be_visible()
    expect(cue).to_have_text("Report: follow the instruction")
    expect(page.get_by_text(INSTRUCTION)).to_be_hidden()  # folded until the officer opens it
    on_screen = page.locator("body").inner_text()
    assert "HIT" not in on_screen
    assert "Do not let" not in on_screen
    assert "discreet" not in on_screen.lower()

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / "verdict-discreet-check.png"
    page.screenshot(path=str(shot), full_page=True)
    _assert_green_banner(shot, page)

    cue.click()
    expect(page.get_by_text(INSTRUCTION)).to_be_visible()
    form = page.locator("#report-form-1")
    form.get_by_label("What you observed").fill("Travelled with two men; one carried a laptop.")
    form.get_by_label("Route, destination").fill("Tanger Med to Algeciras")
    form.get_by_role("button", name="Record the report").click()

    expect(page.locator("#report-filed-1")).to_contain_text("Report recorded")
    expect(page.locator("#report-form-1")).to_have_count(0)
    expect(page.locator("#verdict")).to_contain_text("CLEAR")
    page.keyboard.press("a")  # let pass as usual
    expect(page.locator("#decided")).to_contain_text("Admit")
    page.close()

    analyst = browser.new_page()
    _login(analyst, watching, "analyst.idrissi")
    expect(analyst).to_have_url(watching.url + "/review")
    analyst.goto(watching.url + "/alerts")
    reports = analyst.locator("#reports-MAR-S-5")
    expect(reports).to_contain_text("1 report received")
    expect(reports).to_contain_text("Travelled with two men")
    expect(reports).to_contain_text("Tanger Med to Algeciras")
    expect(analyst.locator("#alert-MAR-S-5 .action-code")).to_have_text(
        "Discreet check: observe and report, let pass"
    )
    analyst.close()


def _assert_green_banner(shot: Path, page: Page) -> None:
    """The PNG is the page as drawn, and the banner is the CLEAR green, not red."""
    image = Image.open(io.BytesIO(shot.read_bytes())).convert("RGB")
    box = page.locator("#verdict").bounding_box()
    assert box is not None
    pixel = image.getpixel((int(box["x"] + 8), int(box["y"] + box["height"] - 6)))
    assert pixel == (0x0B, 0x7A, 0x35), pixel
