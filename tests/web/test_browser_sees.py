"""What the officer and the analysts see, in Chromium (issue 14, part SEES): a face hit shows
the wanted person's reference photo (a real image that loads) and name; rescans of one
passport are one item in the analysts' queue, with the traveller, document and crossing point.

Runs on a real uvicorn node (tests.web.test_browser's ``serving``) whose ``wanted`` gallery
holds scikit-image's astronaut under a name; the same photo is the traveller's live photo.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import pytest

from passerelle.access import Permission, local_operator
from passerelle.biometrics.face import capture_face, read_image
from passerelle.node import open_node
from passerelle.settings import Settings
from passerelle.wiring import face_desk
from tests.screening.conftest import STOLEN_NUMBER, passport
from tests.web.test_browser import (
    SCREENSHOTS,
    Served,
    _assert_drawn,
    _login,
    _seed,
    browser,  # noqa: F401  (fixture)
    serving,
)

pytest.importorskip("skimage")

from PIL import Image
from playwright.sync_api import Browser, Page, expect
from skimage import data

from tests.screening.test_faces import jpeg

WANTED_NAME = "Nadia Berrada"


@pytest.fixture(scope="module")
def portrait() -> bytes:
    """The astronaut, enlarged as tests.screening.test_faces does (60 px between the eyes)."""
    return jpeg(Image.fromarray(data.astronaut()).resize((800, 800), Image.LANCZOS))


@pytest.fixture(scope="module")
def sees(tmp_path_factory: pytest.TempPathFactory, portrait: bytes) -> Iterator[Served]:
    """A node with the astronaut's face in its ``wanted`` gallery, filed under a name."""
    tmp = tmp_path_factory.mktemp("browser-sees-node")
    home = tmp / "home"
    settings = Settings(home=home, node="MAR")
    _seed(settings, tmp)
    with open_node(settings) as node:
        face_desk(node).enrol(
            local_operator(Permission.MANAGE_WATCHLIST),
            "wanted",
            "MAR-W-0001",
            capture_face(read_image(portrait)),
            digest=hashlib.sha256(portrait).hexdigest(),
            image=portrait,
            name=WANTED_NAME,
        )
    with serving(home) as node_served:
        yield node_served


def _scan(page: Page, served: Served, mrz: str, point: str, live: bytes | None = None) -> None:
    page.goto(served.url + "/check")
    page.get_by_label("Crossing point").fill(point)
    if live is not None:
        page.get_by_label("Live photo").set_input_files(
            files=[{"name": "live.jpg", "mimeType": "image/jpeg", "buffer": live}]
        )
    page.locator("#mrz").fill(mrz)
    page.keyboard.press("Control+Enter")
    expect(page.locator("#verdict")).to_be_visible()


def test_a_face_hit_shows_the_wanted_persons_photo_and_name(
    browser: Browser,  # noqa: F811
    sees: Served,
    portrait: bytes,
) -> None:
    page = browser.new_page(viewport={"width": 1180, "height": 820})
    _login(page, sees, "officer.amrani")
    expect(page).to_have_url(sees.url + "/check")
    _scan(page, sees, passport(), "CMN-T1", live=portrait)

    expect(page.locator("#verdict")).to_contain_text("HIT")
    expect(page.locator("#light-face")).to_contain_text("HIT")
    hit = page.locator("#face-hits .face-hit").first
    expect(hit.locator(".face-name")).to_have_text(WANTED_NAME)
    expect(hit).to_contain_text("score")
    photo = hit.locator("img.reference-photo")
    expect(photo).to_have_attribute("alt", f"Reference photo of {WANTED_NAME}")
    photo.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=photo.element_handle()
    )
    assert photo.evaluate("img => img.naturalWidth") == 480
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / "verdict-face-hit.png"
    page.screenshot(path=str(shot), full_page=True)
    _assert_drawn(shot, page, "#face-hits img.reference-photo")
    page.close()


def test_rescans_of_one_passport_are_one_item_in_the_analysts_queue(
    browser: Browser,  # noqa: F811
    sees: Served,
) -> None:
    page = browser.new_page(viewport={"width": 1180, "height": 820})
    _login(page, sees, "officer.amrani")
    expect(page).to_have_url(sees.url + "/check")
    for point in ("TNG-MED", "CMN-T1", "OUJ-ZKH"):
        _scan(page, sees, passport(number=STOLEN_NUMBER), point)
        expect(page.locator("#verdict")).to_contain_text("HIT")
    expect(page.locator("#history-inspections")).to_contain_text("CMN-T1")
    expect(page.locator("#history-inspections tbody tr")).to_have_count(2)
    page.close()

    analyst = browser.new_page(viewport={"width": 1400, "height": 900})
    _login(analyst, sees, "analyst.idrissi")
    expect(analyst).to_have_url(sees.url + "/review")
    rows = analyst.locator("#review-queue tbody tr").filter(has_text=f"MAR:{STOLEN_NUMBER}")
    expect(rows).to_have_count(1)
    row = rows.first
    expect(row.locator(".queue-traveller")).to_have_text("LAMRANI, SALMA")
    expect(row).to_contain_text(f"MAR {STOLEN_NUMBER}")
    expect(row.locator(".queue-point")).to_have_text("OUJ-ZKH")
    expect(row.locator(".queue-seen")).to_have_text("seen 3 times")
    expect(row.locator(".queue-hit")).to_contain_text("Stolen or lost document")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / "review-queue-sightings.png"
    analyst.screenshot(path=str(shot), full_page=True)
    _assert_drawn(shot, analyst, f"#{row.get_attribute('id')}")
    analyst.close()
