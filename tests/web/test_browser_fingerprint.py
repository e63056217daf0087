"""The booth sends a live fingerprint, in Chromium: the officer attaches the scanner's image,
chooses the finger, and a wanted finger is a HIT naming the finger and the score.

Runs on a real uvicorn node (tests.web.test_browser's ``serving``) whose ``wanted``
fingerprint gallery holds one impression of a synthetic finger; the officer sends
another impression of it (real NBIS extraction in the node's workers).
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from passerelle.access import Permission, local_operator
from passerelle.biometrics.fingerprint import extract_template
from passerelle.biometrics.fingerprint.synthetic import generate_master, render_impression
from passerelle.node import open_node
from passerelle.settings import Settings
from passerelle.wiring import finger_desk
from tests.screening.conftest import passport
from tests.web.test_browser import (
    Served,
    _login,
    _seed,
    browser,  # noqa: F401  (fixture)
    serving,
)

WANTED_FINGER = 4242


def png(pixels: np.ndarray[tuple[int, int], np.dtype[np.uint8]]) -> bytes:
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def fingers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """A node whose ``wanted`` fingerprint gallery holds the right index finger MAR-W-0001/2."""
    tmp = tmp_path_factory.mktemp("browser-finger-node")
    home = tmp / "home"
    settings = Settings(home=home, node="MAR")
    _seed(settings, tmp)
    enrolled = png(render_impression(generate_master(WANTED_FINGER), 0))
    with open_node(settings) as node:
        finger_desk(node).enrol(
            local_operator(Permission.MANAGE_WATCHLIST),
            "wanted",
            "MAR-W-0001/2",
            extract_template(enrolled),
            digest=hashlib.sha256(enrolled).hexdigest(),
        )
    with serving(home) as node_served:
        yield node_served


def _scan_with_finger(page: Page, served: Served, image: bytes, finger: str) -> None:
    page.goto(served.url + "/check")
    page.get_by_label("Crossing point").fill("TNG-MED")
    page.locator("#fingerprint").set_input_files(
        files=[{"name": "finger.png", "mimeType": "image/png", "buffer": image}]
    )
    page.locator("#finger_position").select_option(label=finger)
    page.locator("#mrz").fill(passport())
    page.keyboard.press("Control+Enter")


def test_a_wanted_finger_from_the_booth_is_a_hit_naming_the_finger(
    browser: Browser,  # noqa: F811
    fingers: Served,
) -> None:
    page = browser.new_page(viewport={"width": 1180, "height": 820})
    _login(page, fingers, "officer.amrani")
    expect(page).to_have_url(fingers.url + "/check")
    live = png(render_impression(generate_master(WANTED_FINGER), 1))
    _scan_with_finger(page, fingers, live, "right index finger (2)")

    expect(page.locator("#verdict")).to_contain_text("HIT")
    expect(page.locator("#light-fingerprint")).to_contain_text("HIT")
    found = page.locator("li.finding", has_text="right index finger")
    expect(found).to_contain_text("MAR-W-0001")
    expect(found).to_contain_text("BOZORTH3 score")
    page.close()


def test_an_unusable_print_is_a_finding_on_the_verdict_not_an_error(
    browser: Browser,  # noqa: F811
    fingers: Served,
) -> None:
    page = browser.new_page(viewport={"width": 1180, "height": 820})
    _login(page, fingers, "officer.amrani")
    expect(page).to_have_url(fingers.url + "/check")
    blank = png(np.full((400, 320), 250, dtype=np.uint8))
    _scan_with_finger(page, fingers, blank, "left thumb (6)")

    expect(page.locator("#verdict")).to_be_visible()
    expect(page.locator("li.finding", has_text="left thumb")).to_contain_text("cannot be used")
    page.close()


def test_a_fingerprint_over_the_budget_comes_back_to_the_form_with_the_reason(
    browser: Browser,  # noqa: F811
    fingers: Served,
) -> None:
    page = browser.new_page(viewport={"width": 1180, "height": 820})
    _login(page, fingers, "officer.amrani")
    expect(page).to_have_url(fingers.url + "/check")
    too_large = b"\x89PNG\r\n\x1a\n" + bytes(2 * 1024 * 1024 + 16)
    _scan_with_finger(page, fingers, too_large, "right thumb (1)")

    expect(page.locator("p.error")).to_contain_text("fingerprints[0].image")
    expect(page.locator("#finger_position")).to_have_value("1")
    page.close()
