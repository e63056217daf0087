"""The document examiner's page in Chromium: the forgeries held, own and a partner's, with
their images drawn; an analyst records one from an image file; an officer has no such page.
Runs on a real uvicorn node (tests.web.test_browser's ``serving``)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from passerelle.access import Permission, local_operator
from passerelle.node import open_node
from passerelle.records.alerts import parse_alert
from passerelle.settings import Settings
from passerelle.wiring import alert_desk
from tests.records.test_forgeries import INDICATORS, forgery_alert, png
from tests.screening.test_forgery_checks import receive_from_bel
from tests.web.test_browser import (
    SCREENSHOTS,
    Served,
    _login,
    _seed,
    browser,  # noqa: F401  (fixture)
    serving,
)


@pytest.fixture(scope="module")
def examined(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The browser node holding its own forgery alert and one BEL shared, each with an image."""
    tmp = tmp_path_factory.mktemp("browser-forgeries-node")
    home = tmp / "home"
    settings = Settings(home=home, node="MAR")
    _seed(settings, tmp)
    with open_node(settings) as node:
        analyst = local_operator(Permission.MANAGE_ALERTS)
        alert_desk(node).issue(analyst, parse_alert(forgery_alert()))
        receive_from_bel(node, node.clock)
    with serving(home) as served:
        yield served


LOADED_WIDTH = """img => img.complete && img.naturalWidth ? img.naturalWidth : new Promise(
    done => img.addEventListener("load", () => done(img.naturalWidth), {once: true}))"""
"""The image's natural width once it has loaded (a lazy image loads near the viewport)."""


def _red_drawn_in(shot: Path, page: Page, selector: str) -> None:
    """The reference image is drawn where the page puts it: its red, not a blank box."""
    image = Image.open(io.BytesIO(shot.read_bytes())).convert("RGB")
    box = page.locator(selector).bounding_box()
    assert box is not None
    scroll_x, scroll_y = page.evaluate("[window.scrollX, window.scrollY]")
    left, top = int(box["x"] + scroll_x), int(box["y"] + scroll_y)
    inside = image.crop((left, top, left + int(box["width"]), top + int(box["height"])))
    colours = inside.getcolors(maxcolors=1 << 16)
    assert colours is not None
    reds = sum(n for n, (r, g, b) in colours if r > 150 and g < 90 and b < 90)
    assert reds > inside.width * inside.height // 3


def test_the_examiner_sees_both_forgeries_with_their_images_and_records_another(
    browser: Browser,  # noqa: F811
    examined: Served,
    tmp_path: Path,
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    _login(page, examined, "analyst.idrissi")
    page.get_by_role("link", name="Forgeries").click()
    expect(page).to_have_url(examined.url + "/forgeries")

    own, shared = page.locator("#forgery-MAR-F-0001"), page.locator("#forgery-BEL-BEL-F-7")
    expect(own.locator(".indicators")).to_have_text(INDICATORS)
    expect(shared).to_contain_text("shared by BEL")
    expect(shared.locator(".series")).to_contain_text("numbers AB1000000 to AB1099999")
    for article in (own, shared):
        picture = article.locator("figure img").first
        picture.scroll_into_view_if_needed()  # lazy: loaded once near the viewport
        expect(picture).to_be_visible()
        assert picture.evaluate(LOADED_WIDTH) == 48
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / "forgeries.png"
    own.locator("figure img").scroll_into_view_if_needed()
    page.screenshot(path=str(shot), full_page=True)
    _red_drawn_in(shot, page, "#forgery-MAR-F-0001 figure img")

    picture = tmp_path / "ir-page.png"
    picture.write_bytes(png((40, 160, 40)))
    form = page.locator("#issue-forgery")
    form.get_by_label("Issuing state").fill("MAR")
    form.get_by_label("Document code").fill("P")
    form.get_by_label("or a pattern").fill("CD77####")
    form.get_by_label("infrared").check()
    form.get_by_label("Indicators").fill("Under IR the photo's edge shows a second frame.")
    form.get_by_label("Issued by").fill("DGSN Rabat, document fraud unit")
    form.get_by_label("At the border").fill("Refer to second line.")
    form.get_by_label("Reference images").set_input_files(str(picture))
    form.get_by_role("button", name="Record and share").click()

    expect(page).to_have_url(examined.url + "/forgeries")
    added = page.locator("article.forgery", has_text="numbers like CD77####")
    expect(added).to_contain_text("Under IR the photo's edge shows a second frame.")
    expect(added.locator("figcaption")).to_have_text("ir-page.png")
    page.close()

    officer = browser.new_page()
    _login(officer, examined, "officer.amrani")
    expect(officer).to_have_url(examined.url + "/check")
    expect(officer.get_by_role("link", name="Forgeries")).to_have_count(0)
    officer.close()
