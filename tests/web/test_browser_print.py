"""The refusal notice and the seizure receipt in Chromium: the officer refuses a traveller,
the verdict shows the reason's label, and the notice downloaded is a PDF naming the
traveller and the reason; a seizure is recorded and its receipt downloaded likewise.

The node runs Morocco's demo catalogue (entry and exit reasons, labels in French, Arabic
and English; notices in French and the traveller's language).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from passerelle.demo.catalogues import DEMO_CATALOGUES
from passerelle.records.catalogues import catalogues_json
from passerelle.settings import Settings
from tests.screening.conftest import STOLEN_NUMBER, passport
from tests.web.test_browser import (
    SCREENSHOTS,
    Browser,
    Page,
    Served,
    _login,
    _seed,
    browser,  # noqa: F401  (fixture)
    expect,
    serving,
)


@pytest.fixture(scope="module")
def moroccan(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """A node whose catalogue file is the Moroccan demo's."""
    tmp = tmp_path_factory.mktemp("browser-print-node")
    home = tmp / "home"
    settings = Settings(home=home, node="MAR")
    _seed(settings, tmp)
    path = settings.effective_catalogues_file
    path.parent.mkdir(parents=True)
    path.write_text(catalogues_json(DEMO_CATALOGUES), encoding="utf-8")
    with serving(home) as node:
        yield node


def _check(page: Page, mrz: str, *, direction: str) -> None:
    page.locator("#crossing_point").select_option("TNG-MED")
    page.locator(f'input[name="direction"][value="{direction}"]').check()
    page.locator("#mrz").fill(mrz)
    page.keyboard.press("Control+Enter")
    expect(page.locator("#verdict")).to_be_visible()


def _pdf_text(path: Path) -> str:
    data = path.read_bytes()
    assert data.startswith(b"%PDF-")
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def test_officer_refuses_exit_on_a_travel_ban_and_prints_the_notice_in_arabic(
    browser: Browser,  # noqa: F811
    moroccan: Served,
    tmp_path: Path,
) -> None:
    page = browser.new_page(viewport={"width": 1180, "height": 900}, accept_downloads=True)
    _login(page, moroccan, "officer.amrani")
    _check(page, passport(surname="TAZI", given_names="NADIA"), direction="exit")
    expect(page.locator("#verdict")).to_contain_text("CLEAR")
    refuse_group = page.locator('#reason_code optgroup[data-action="refuse"]')
    expect(refuse_group).to_have_attribute("label", "Refuse exit")
    page.locator("#reason_code").select_option("judicial_travel_ban")
    page.locator("#refuse").click()
    expect(page.locator("#decided")).to_contain_text("Refused — Travel ban ordered by a judge")
    expect(page.locator("#decided .code")).to_have_text("judicial_travel_ban")

    page.locator("#notice_language").select_option("ar")
    with page.expect_download() as download:
        page.locator("#print-refusal-notice").click()
    saved = tmp_path / "notice.pdf"
    download.value.save_as(saved)
    assert download.value.suggested_filename.startswith("refusal-notice-")
    text = _pdf_text(saved)
    assert "NADIA TAZI" in text
    assert "Interdiction de quitter le territoire ordonnée par un juge" in text
    assert "منع من مغادرة التراب الوطني بأمر قضائي" in text
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "verdict-refusal-notice.png"), full_page=True)
    page.close()


def test_officer_seizes_a_stolen_passport_and_prints_the_receipt(
    browser: Browser,  # noqa: F811
    moroccan: Served,
    tmp_path: Path,
) -> None:
    page = browser.new_page(viewport={"width": 1180, "height": 900}, accept_downloads=True)
    _login(page, moroccan, "officer.amrani")
    _check(page, passport(number=STOLEN_NUMBER, surname="BENNANI"), direction="entry")
    expect(page.locator("#verdict")).to_contain_text("HIT")
    # the stolen-document hit asks for a seizure: the form is open, first in line
    expect(page.locator("#seizure")).to_have_attribute("open", "")
    expect(page.locator("#seize_document")).to_be_checked()
    expect(page.locator("#seize_alert")).to_have_value(f"MAR:{STOLEN_NUMBER} (stolen)")
    page.locator("#seize_reason").fill("Passport reported stolen")
    page.locator("#record-seizure").click()
    listed = page.locator("#seizure-list")
    expect(listed).to_contain_text(f"Travel document P MAR {STOLEN_NUMBER}")
    expect(listed).to_contain_text("Passport reported stolen")

    with page.expect_download() as download:
        page.locator("#receipt-1").click()
    saved = tmp_path / "receipt.pdf"
    download.value.save_as(saved)
    text = _pdf_text(saved)
    assert "BENNANI" in text
    assert STOLEN_NUMBER in text
    assert "Récépissé de saisie" in text  # the officer's French

    page.locator("#reason_code").select_option("false_document")
    page.locator("#refuse").click()
    expect(page.locator("#decided")).to_contain_text(
        "Refused — False, counterfeit or forged travel document"
    )
    page.close()
