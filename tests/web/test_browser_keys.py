"""The booth from the keyboard only, in Chromium: log in, scan, decide with A/R/X (the reason
asked in place when the verdict does not give one for that action), N for the next traveller,
and the same keys on a layout that types no Latin letters. No click, no fill: every step is a
key the officer presses (tests/web/test_browser.py has the node and the browser)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.screening.conftest import STOLEN_NUMBER, passport
from tests.web.test_browser import (  # noqa: F401  (fixtures)
    PASSWORD,
    SCREENSHOTS,
    Served,
    browser,
    served,
)

POINT = "TNG-MED"


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:  # noqa: F811
    opened = browser.new_page(viewport={"width": 1180, "height": 820})  # a booth tablet
    yield opened
    opened.close()


def _login_by_keyboard(page: Page, served: Served) -> None:  # noqa: F811
    page.goto(served.url + "/login")
    expect(page.get_by_label("User name")).to_be_focused()
    page.keyboard.type("officer.amrani")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(served.url + "/check")


def _scan(page: Page, mrz: str) -> None:
    """The scanner types the lines into the MRZ field, which has the focus; the form goes."""
    expect(page.locator("#mrz")).to_be_focused()
    for line in mrz.splitlines():
        page.keyboard.type(line + "\n", delay=1)


def _layout_keys(page: Page) -> Callable[[str, str, int], None]:
    """Presses a key as a layout Playwright's keyboard does not have: what it types (``key``)
    on which key (``code``), through Chromium's own input events."""
    cdp = page.context.new_cdp_session(page)

    def press(key: str, code: str, key_code: int) -> None:
        for kind in ("keyDown", "keyUp"):
            cdp.send(
                "Input.dispatchKeyEvent",
                {
                    "type": kind,
                    "key": key,
                    "code": code,
                    "text": key if kind == "keyDown" else "",
                    "windowsVirtualKeyCode": key_code,
                },
            )

    return press


def test_the_officer_decides_three_travellers_from_the_keyboard(
    page: Page,
    served: Served,  # noqa: F811
) -> None:
    _login_by_keyboard(page, served)
    expect(page.locator("#mrz")).to_be_focused()
    page.keyboard.press("Tab")  # the crossing point, typed once on this device
    expect(page.locator("#crossing_point")).to_be_focused()
    page.keyboard.type(POINT)
    page.keyboard.press("Shift+Tab")

    # 1. a clear traveller refused: X asks for a refusal reason, the verdict stays on screen
    _scan(page, passport())
    expect(page.locator("#verdict")).to_contain_text("CLEAR")
    verdict_url = page.url
    expect(page.locator("#admit")).to_be_focused()  # the verdict's reason is an admit one
    assert page.evaluate("document.activeElement.matches(':focus-visible')")
    page.keyboard.press("x")
    chooser = page.get_by_role("dialog")
    expect(chooser).to_be_visible()
    expect(chooser).to_contain_text("Refuse entry or exit: which reason?")
    choices = chooser.get_by_role("listbox")
    expect(choices).to_be_focused()
    expect(choices.get_by_role("option")).to_have_count(8)
    expect(choices.get_by_role("option").first).to_have_attribute("aria-selected", "true")
    expect(page.locator("#verdict")).to_contain_text("CLEAR")
    assert page.url == verdict_url
    page.keyboard.press("Escape")  # changed their mind: nothing sent, back on the button
    expect(chooser).to_be_hidden()
    expect(page.locator("#refuse")).to_be_focused()
    page.keyboard.press("x")
    expect(chooser).to_be_visible()
    page.keyboard.press("ArrowDown")
    expect(choices.get_by_role("option").nth(1)).to_have_attribute("aria-selected", "true")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "verdict-reason-chooser.png"), full_page=True)
    page.keyboard.press("2")  # the second refusal reason
    expect(page.locator("#decided")).to_contain_text(
        "Refused — False, counterfeit or forged document"
    )
    expect(page.locator("#next")).to_be_focused()
    assert page.evaluate("document.activeElement.matches(':focus-visible')")  # a ring shows

    page.keyboard.press("n")
    expect(page).to_have_url(served.url + "/check")
    expect(page.locator("#mrz")).to_be_focused()
    expect(page.locator("#crossing_point")).to_have_value(POINT)  # remembered
    expect(page.locator('input[name="direction"][value="entry"]')).to_be_checked()

    # 2. a clear traveller admitted: A takes the verdict's reason at once
    _scan(page, passport(surname="BERRADA", given_names="OMAR", number="ZX1112223", sex="M"))
    expect(page.locator("#verdict")).to_contain_text("CLEAR")
    expect(page.locator("#admit")).to_be_focused()
    page.keyboard.press("a")
    expect(page.locator("#decided")).to_contain_text("Admitted — Checks passed")
    expect(page.locator("#next")).to_be_focused()
    page.keyboard.press("n")
    expect(page).to_have_url(served.url + "/check")

    # 3. a stolen passport referred: R with the hit's reason, focus on the button already
    _scan(page, passport(number=STOLEN_NUMBER))
    expect(page.locator("#verdict")).to_contain_text("HIT")
    expect(page.locator("#refer")).to_be_focused()
    page.keyboard.press("r")
    expect(page.locator("#decided")).to_contain_text("Referred — Hit to handle")
    expect(page.locator("#next")).to_be_focused()


def test_the_keys_work_on_an_arabic_layout_and_not_while_typing(
    page: Page,
    served: Served,  # noqa: F811
) -> None:
    _login_by_keyboard(page, served)
    expect(page.locator("#mrz")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.type(POINT)
    page.keyboard.press("Shift+Tab")
    _scan(page, passport(surname="TAZI", given_names="YOUSSEF", number="ZX4445556", sex="M"))
    expect(page.locator("#verdict")).to_contain_text("CLEAR")

    expect(page.locator("#admit")).to_be_focused()
    page.keyboard.press("Shift+Tab")  # in the reason list, letters choose a reason
    expect(page.locator("#reason_code")).to_be_focused()
    page.keyboard.press("x")
    expect(page.get_by_role("dialog")).to_be_hidden()
    page.keyboard.press("Tab")  # on to the Admit button: the keys are the booth's again
    expect(page.locator("#admit")).to_be_focused()

    # The Arabic layout types ء on the X key and ١ on the 1 key: the key's place counts.
    press = _layout_keys(page)
    press("ء", "KeyX", 88)
    expect(page.get_by_role("dialog")).to_be_visible()
    expect(page.get_by_role("listbox")).to_be_focused()
    press("١", "Digit1", 49)
    expect(page.locator("#decided")).to_contain_text("Refused — No valid travel document")
    expect(page.locator("#next")).to_be_focused()
    press("ى", "KeyN", 78)
    expect(page).to_have_url(served.url + "/check")
    expect(page.locator("#mrz")).to_be_focused()


def test_on_an_arabic_azerty_keyboard_the_key_marked_a_admits(
    page: Page,
    served: Served,  # noqa: F811
) -> None:
    _login_by_keyboard(page, served)
    expect(page.locator("#mrz")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.type(POINT)
    page.keyboard.press("Shift+Tab")
    _scan(page, passport(surname="CHRAIBI", given_names="NADIA", number="ZX7778889"))
    expect(page.locator("#verdict")).to_contain_text("CLEAR")
    press = _layout_keys(page)
    expect(page.locator("#admit")).to_be_focused()  # the page has put the focus in place

    # In the reason list, the officer types "a" in French: the key marked A, QWERTY's Q.
    page.keyboard.press("Shift+Tab")
    expect(page.locator("#reason_code")).to_be_focused()
    press("a", "KeyQ", 65)
    page.keyboard.press("Tab")
    expect(page.locator("#admit")).to_be_focused()
    # Switched to Arabic, the same key types ض: it is still the officer's A.
    press("ض", "KeyQ", 81)
    expect(page.locator("#decided")).to_contain_text("Admitted — Checks passed")
