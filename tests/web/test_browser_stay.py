"""Who the stay rule binds, and a document typed by hand, in a real browser (Chromium).

A node whose catalogue file exempts Moroccan nationals: a Moroccan leaving after 128
days is cleared with the stay light "not applied" and no figures, while a Senegalese in
the same situation is referred for overstay. An officer whose traveller's MRZ cannot be
read types the data page from the keyboard: the stolen passport is a hit all the same,
and the verdict says the data was typed by hand.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from passerelle.node import open_node
from passerelle.settings import Settings
from passerelle.store.crossings import CrossingRegistry
from passerelle.store.loading import load_file
from tests.screening.conftest import STOLEN_NUMBER, passport, write_lines
from tests.web.test_browser import (
    BOOTH_CATALOGUES,
    SCREENSHOTS,
    SETUP,
    Browser,
    Page,
    Served,
    _assert_drawn,
    _login,
    _seed,
    browser,  # noqa: F401  (the fixture)
    expect,
    serving,
)

STAY_RULE = {
    "exempt_nationalities": ["MAR"],
    "exemptions": [
        {"code": "residence_card", "label": "Residence card holder", "basis": "Loi 02-03"}
    ],
}
SENEGALESE = {"number": "SN1234567", "state": "SEN", "surname": "NDIAYE", "given_names": "AWA"}


@pytest.fixture(scope="module")
def moroccan_node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """A node whose catalogue exempts Moroccans, with a Moroccan and a Senegalese who both
    entered 128 days ago and never left."""
    tmp = tmp_path_factory.mktemp("browser-stay-node")
    home = tmp / "home"
    settings = Settings(home=home, node="MAR")
    _seed(settings, tmp)
    entered = (datetime.now(UTC) - timedelta(days=128)).isoformat()
    crossings = [
        {"issuing_state": "MAR", "document_number": "ZX9876543", "nationality": "MAR"},
        {"issuing_state": "SEN", "document_number": "SN1234567", "nationality": "SEN"},
    ]
    with open_node(settings) as node:
        load_file(
            node.database,
            node.audit,
            CrossingRegistry(),
            write_lines(
                tmp / "crossings.jsonl",
                *(c | {"crossing_point": "TNG-MED", "direction": "entry", "at": entered}
                  for c in crossings),
            ),
            actor=SETUP,
            clock=node.clock,
        )  # fmt: skip
    path = settings.effective_catalogues_file
    path.parent.mkdir(parents=True)
    catalogues = {"crossing_points": BOOTH_CATALOGUES["crossing_points"], "stay_rule": STAY_RULE}
    path.write_text(json.dumps(catalogues), encoding="utf-8")
    with serving(home) as node:
        yield node


def _scan_on_exit(page: Page, served: Served, mrz: str) -> None:
    page.goto(served.url + "/check")
    page.get_by_label("Crossing point").select_option("TNG-MED")
    page.get_by_label("Exit").check()
    page.locator("#mrz").focus()
    for line in mrz.splitlines():
        page.keyboard.type(line + "\n", delay=1)


def test_a_moroccan_leaving_after_128_days_is_not_held_to_the_stay_rule_a_foreigner_is(
    browser: Browser,  # noqa: F811
    moroccan_node: Served,
) -> None:
    page = browser.new_page(viewport={"width": 1180, "height": 820})
    _login(page, moroccan_node, "officer.amrani")
    expect(page.get_by_label("Stay rule exemption")).to_contain_text("Residence card holder")

    _scan_on_exit(page, moroccan_node, passport())
    expect(page.locator("#verdict")).to_contain_text("CLEAR")
    expect(page.locator("#light-stay")).to_contain_text("not applied")
    expect(page.locator("#stay")).to_have_text("Stay rule not applied: national of Morocco (MAR).")
    expect(page.locator("main")).not_to_contain_text("days used")
    expect(page.locator("main")).not_to_contain_text("Overstay")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / "verdict-stay-not-applied.png"
    page.screenshot(path=str(shot), full_page=True)
    _assert_drawn(shot, page, "#light-stay")

    _scan_on_exit(page, moroccan_node, passport(**SENEGALESE))
    expect(page.locator("#verdict")).to_contain_text("REFER")
    expect(page.locator("#light-stay")).to_contain_text("look again")
    expect(page.locator("#stay")).to_contain_text("days used")
    expect(page.locator("#stay")).to_contain_text("overstay 39 days")
    expect(page.locator("#reasons")).to_contain_text("Overstay")

    # the same Senegalese holds a residence card the officer has seen: stated, not bound
    page.goto(moroccan_node.url + "/check")
    page.get_by_label("Crossing point").select_option("TNG-MED")
    page.get_by_label("Exit").check()
    page.get_by_label("Stay rule exemption").select_option("residence_card")
    page.locator("#mrz").fill(passport(**SENEGALESE))
    page.keyboard.press("Control+Enter")
    expect(page.locator("#verdict")).to_contain_text("CLEAR")
    expect(page.locator("#stay")).to_contain_text("Residence card holder (Loi 02-03)")
    expect(page.locator("#reasons")).to_contain_text("proves it")
    page.close()


def test_an_officer_types_a_stolen_passport_by_hand_and_gets_the_hit(
    browser: Browser,  # noqa: F811
    moroccan_node: Served,
) -> None:
    page = browser.new_page(viewport={"width": 1180, "height": 820})
    _login(page, moroccan_node, "officer.amrani")
    page.get_by_label("Crossing point").select_option("CMN-T1")
    expect(page.locator("#vz-surname")).to_be_hidden()  # folded away until asked for
    page.locator("#type-by-hand").focus()
    page.keyboard.press("Enter")  # opens the hand entry; the first field takes the focus
    expect(page.locator("#vz-document_code")).to_be_focused()
    typed = ("P", "MAR", STOLEN_NUMBER, "Lamrani", "Salma", "1990-04-21", "MAR")
    for value in typed:
        page.keyboard.type(value)
        page.keyboard.press("Tab")
    page.keyboard.press("f")  # the sex select
    page.keyboard.press("Tab")
    page.keyboard.type("2031-07-14")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / "booth-hand-entry.png"
    page.screenshot(path=str(shot), full_page=True)
    _assert_drawn(shot, page, "#vz-surname")
    page.keyboard.press("Control+Enter")

    expect(page.locator("#verdict")).to_contain_text("HIT")
    expect(page.locator("#light-sltd")).to_contain_text("HIT")
    expect(page.locator("#reasons")).to_contain_text("stolen")
    expect(page.locator("#reasons")).to_contain_text("Typed by hand from the visual zone")
    expect(page.locator("#document")).to_contain_text("typed")
    expect(page.locator("#document")).to_contain_text(STOLEN_NUMBER)
    page.close()


def test_a_bad_typed_field_brings_the_form_back_open_naming_it(
    browser: Browser,  # noqa: F811
    moroccan_node: Served,
) -> None:
    page = browser.new_page()
    _login(page, moroccan_node, "officer.amrani")
    page.get_by_label("Crossing point").select_option("CMN-T1")
    page.locator("#type-by-hand").click()
    fields = {
        "document_code": "P", "issuing_state": "MAR", "document_number": "ZX9876543",
        "surname": "Lamrani", "nationality": "XYZ", "expiry_date": "2031-07-14",
    }  # fmt: skip
    for name, value in fields.items():
        page.locator(f"#vz-{name}").fill(value)
    page.locator("#check-button").click()
    expect(page.locator(".error")).to_contain_text("Nationality: ")
    expect(page.locator("#vz-surname")).to_have_value("Lamrani")  # kept, panel open
    expect(page.locator("#vz-surname")).to_be_visible()
    page.close()
