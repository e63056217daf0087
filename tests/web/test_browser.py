"""The pages in a real browser: Debian's Chromium driven by Playwright, against the node
served by a real uvicorn process on loopback.

Covers the officer's flow from a scanned MRZ to the verdict and decision, an analyst's
review of the hit, a refused login, and the booth of a node whose catalogue file lists its
crossing points and decision reasons; saves screenshots of the verdict page and of that
booth and checks they are real renderings (a red HIT banner, the chosen point drawn).

Needs /usr/bin/chromium (``.ci/run`` installs Debian's package); without it the tests are
skipped, unless PASSERELLE_REQUIRE_BROWSER=1 (set by ``.ci/run``) makes that a failure.
"""

from __future__ import annotations

import io
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image

from passerelle.access import AccessControl
from passerelle.node import open_node
from passerelle.settings import Settings
from passerelle.store import Actor
from passerelle.store.loading import load_file
from passerelle.store.sltd import SltdRegistry
from tests.conftest import provision_node
from tests.screening.conftest import STOLEN_NUMBER, passport, write_lines

CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "correct horse battery"
SCREENSHOTS = Path(os.environ.get("PASSERELLE_SCREENSHOTS", "build/screenshots"))
SETUP = Actor("setup", "user", "admin")

if not CHROMIUM.exists():
    if os.environ.get("PASSERELLE_REQUIRE_BROWSER") == "1":
        raise RuntimeError("/usr/bin/chromium is missing: apt-get install chromium")
    pytest.skip("no /usr/bin/chromium (apt-get install chromium)", allow_module_level=True)

from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402

from passerelle.server.ports import free_port as _free_port  # noqa: E402


@dataclass(frozen=True)
class Served:
    url: str
    home: Path


def _seed(settings: Settings, tmp: Path) -> None:
    provision_node(settings)
    with open_node(settings) as node:
        stolen = {
            "issuing_state": "MAR",
            "document_number": STOLEN_NUMBER,
            "document_code": "P",
            "status": "stolen",
            "reported_on": "2026-10-01",
            "reported_by": "MAR",
        }
        load_file(
            node.database,
            node.audit,
            SltdRegistry(),
            write_lines(tmp / "sltd.jsonl", stolen),
            actor=SETUP,
            clock=node.clock,
        )
        access = AccessControl.for_node(node)
        access.add_user("officer.amrani", "officer", PASSWORD, by=SETUP)
        access.add_user("analyst.idrissi", "analyst", PASSWORD, by=SETUP)


@contextmanager
def serving(home: Path) -> Iterator[Served]:
    """The node in ``home`` served by uvicorn on a free loopback port, until the block ends."""
    port = _free_port()
    env = {**os.environ, "PASSERELLE_HOME": str(home), "PASSERELLE_NODE": "MAR"}
    env.pop("PASSERELLE_DATABASE_URL", None)
    env.pop("PASSERELLE_CATALOGUES_FILE", None)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "passerelle.server.asgi:app",
            "--port",
            str(port),
            "--host",
            "127.0.0.1",
            "--log-level",
            "warning",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            output = server.stdout.read().decode() if server.stdout else ""
            raise RuntimeError(f"the node did not start:\n{output}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            time.sleep(0.2)
    try:
        yield Served(url, home)
    finally:
        server.terminate()
        server.wait(timeout=20)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    tmp = tmp_path_factory.mktemp("browser-node")
    home = tmp / "home"
    _seed(Settings(home=home, node="MAR"), tmp)
    with serving(home) as node:
        yield node


BOOTH_CATALOGUES = {
    "crossing_points": [
        {"code": "TNG-MED", "name": "Tanger Med port"},
        {"code": "CMN-T1", "name": "Casablanca Mohammed V airport, terminal 1"},
        {"code": "OUJ-ZKH", "name": "Oujda Zouj Beghal"},
    ],
    "decision_reasons": {
        "admit": {"label": "Admettre", "reasons": [{"code": "ok", "label": "Contrôles passés"}]},
        "refer": {
            "label": "Deuxième ligne",
            "reasons": [{"code": "voir", "label": "À revoir", "preselect": ["hit"]}],
        },
        "refuse": {
            "label": "Refuser",
            "reasons": [{"code": "faux_document", "label": "Document faux ou falsifié"}],
        },
    },
}


@pytest.fixture(scope="module")
def configured(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """A node whose catalogue file lists its crossing points and its decision reasons."""
    tmp = tmp_path_factory.mktemp("browser-configured-node")
    home = tmp / "home"
    settings = Settings(home=home, node="MAR")
    _seed(settings, tmp)
    path = settings.effective_catalogues_file
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(BOOTH_CATALOGUES, ensure_ascii=False), encoding="utf-8")
    with serving(home) as node:
        yield node


# A shared 2-CPU machine running the suite can take more than Playwright's default 5 s
# to render a verdict: the assertions wait longer rather than fail on a busy machine.
expect.set_options(timeout=20_000)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield launched
        launched.close()


def _login(page: Page, served: Served, name: str, password: str = PASSWORD) -> None:
    page.goto(served.url + "/login")
    page.get_by_label("User name").fill(name)
    page.get_by_label("Password").fill(password)
    page.keyboard.press("Enter")


def test_a_wrong_password_is_refused_without_saying_which_part(
    browser: Browser, served: Served
) -> None:
    page = browser.new_page()
    _login(page, served, "officer.amrani", "not the password")
    expect(page.locator("#login-error")).to_have_text("wrong user name or password")
    page.goto(served.url + "/check")
    expect(page).to_have_url(served.url + "/login?next=/check")
    page.close()


def test_officer_scans_a_stolen_passport_and_refuses_then_analyst_confirms(
    browser: Browser, served: Served
) -> None:
    page = browser.new_page(viewport={"width": 1180, "height": 820})  # a booth tablet
    _login(page, served, "officer.amrani")
    expect(page).to_have_url(served.url + "/check")
    page.get_by_label("Crossing point").fill("TNG-MED")
    page.locator("#mrz").focus()
    # a keyboard-wedge scanner types the lines and a carriage return after each
    for line in passport(number=STOLEN_NUMBER).splitlines():
        page.keyboard.type(line + "\n", delay=1)
    verdict = page.locator("#verdict")
    expect(verdict).to_contain_text("HIT")
    expect(page.locator("#light-sltd")).to_contain_text("HIT")
    expect(page.locator("#reasons")).to_contain_text("stolen")
    expect(page.locator("#document")).to_contain_text(STOLEN_NUMBER)

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / "verdict-hit.png"
    page.screenshot(path=str(shot), full_page=True)
    _assert_real_rendering(shot, page)

    page.keyboard.press("x")  # refuse: the offered reason is a referral one, so it asks
    expect(page.get_by_role("dialog")).to_contain_text("which reason?")
    expect(page.locator("#verdict")).to_contain_text("HIT")
    page.keyboard.press("1")  # refuse, from the keyboard, with the first refusal reason
    expect(page.locator("#decided")).to_contain_text("Refused — No valid travel document")
    page.close()

    analyst = browser.new_page()
    _login(analyst, served, "analyst.idrissi")
    expect(analyst).to_have_url(served.url + "/review")
    row = analyst.locator("#review-queue tbody tr").filter(has_text=f"MAR:{STOLEN_NUMBER}")
    expect(row).to_have_count(1)
    row.get_by_role("textbox").fill("passport seized, holder handed to police")
    row.get_by_role("button", name="Confirm").click()
    expect(analyst.locator("#review-queue tbody tr").filter(has_text=STOLEN_NUMBER)).to_have_count(
        0
    )
    analyst.close()


def test_a_clean_traveller_is_cleared_in_green(browser: Browser, served: Served) -> None:
    page = browser.new_page()
    _login(page, served, "officer.amrani")
    page.get_by_label("Crossing point").fill("CMN-T1")
    page.locator("#mrz").fill(passport())
    page.keyboard.press("Control+Enter")
    expect(page.locator("#verdict")).to_contain_text("CLEAR")
    expect(page.locator("#light-document")).to_contain_text("nothing found")
    page.keyboard.press("a")
    expect(page.locator("#decided")).to_contain_text("Admit")
    page.close()


def test_the_booth_offers_the_crossing_points_and_reasons_of_the_nodes_catalogue(
    browser: Browser, configured: Served
) -> None:
    page = browser.new_page(viewport={"width": 1180, "height": 820})
    _login(page, configured, "officer.amrani")
    expect(page).to_have_url(configured.url + "/check")
    points = page.get_by_label("Crossing point")
    expect(points.locator("option")).to_have_text(
        [
            "choose…",
            "TNG-MED — Tanger Med port",
            "CMN-T1 — Casablanca Mohammed V airport, terminal 1",
            "OUJ-ZKH — Oujda Zouj Beghal",
        ]
    )
    points.focus()
    page.keyboard.press("ArrowDown")  # the officer picks the second point from the keyboard
    page.keyboard.press("ArrowDown")
    expect(points).to_have_value("CMN-T1")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / "booth-crossing-points.png"
    page.screenshot(path=str(shot), full_page=True)
    _assert_drawn(shot, page, "#crossing_point")

    page.locator("#mrz").focus()
    for line in passport(number=STOLEN_NUMBER).splitlines():
        page.keyboard.type(line + "\n", delay=1)
    expect(page.locator("#verdict")).to_contain_text("HIT")
    reasons = page.locator("#reason_code")
    expect(reasons.locator("optgroup")).to_have_count(3)
    expect(reasons.locator("optgroup").nth(2)).to_have_attribute("label", "Refuser")
    expect(reasons).to_have_value("voir")  # the catalogue preselects it for a hit
    page.screenshot(path=str(SCREENSHOTS / "verdict-configured-reasons.png"), full_page=True)
    reasons.select_option("faux_document")
    reasons.blur()
    page.keyboard.press("x")
    expect(page.locator("#decided")).to_contain_text("Refused — Document faux ou falsifié")
    expect(page.locator("#decided .code")).to_have_text("faux_document")  # small, for auditors

    page.locator("#next").click()  # next traveller: the point chosen is remembered here
    expect(page).to_have_url(configured.url + "/check")
    expect(page.get_by_label("Crossing point")).to_have_value("CMN-T1")
    page.close()


def _assert_drawn(shot: Path, page: Page, selector: str) -> None:
    """The PNG is the page as drawn: the element is where the page puts it, not blank."""
    image = Image.open(io.BytesIO(shot.read_bytes())).convert("RGB")
    assert image.width >= 1000
    box = page.locator(selector).bounding_box()
    assert box is not None
    # The box is in viewport coordinates; a full-page shot starts at the page's top.
    scroll_x, scroll_y = page.evaluate("[window.scrollX, window.scrollY]")
    left, top = int(box["x"] + scroll_x), int(box["y"] + scroll_y)
    inside = image.crop((left, top, left + int(box["width"]), top + int(box["height"])))
    colours = inside.getcolors(maxcolors=1 << 16)
    assert colours is not None
    assert len(colours) > 5  # the chosen point's text and the control's border


def _assert_real_rendering(shot: Path, page: Page) -> None:
    """The PNG is the page as drawn: the banner's pixels are the HIT red, text is dark on it."""
    image = Image.open(io.BytesIO(shot.read_bytes())).convert("RGB")
    assert image.width >= 1000
    assert image.height >= 600
    box = page.locator("#verdict").bounding_box()
    assert box is not None
    x, y = int(box["x"] + 8), int(box["y"] + box["height"] - 6)
    red, green, blue = image.getpixel((x, y))  # type: ignore[misc]
    assert (red, green, blue) == (0xB0, 0x00, 0x20), (red, green, blue)
    colours = image.crop((0, 0, image.width, min(image.height, 900))).getcolors(maxcolors=1 << 20)
    assert colours is not None
    assert len(colours) > 50  # text, lights and borders, not a blank or single-colour page
