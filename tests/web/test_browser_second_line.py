"""Supervisors and second line in a real browser (Debian's Chromium, a real uvicorn node).

(a) An officer admits a traveller whose stolen passport is a HIT: the page says the
admission awaits a supervisor, no crossing is logged, the officer cannot confirm it; a
supervisor confirms and the decision carries both names. (b) An officer refers a
traveller; a supervisor finds them on ``/second-line`` at their crossing point, records
"refused" with notes; the outcome shows on the verdict and the traveller leaves the queue.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from passerelle.access import AccessControl
from passerelle.node import open_node
from passerelle.settings import Settings
from passerelle.store.crossings import crossings_of
from tests.screening.conftest import STOLEN_NUMBER, passport
from tests.web.test_browser import (
    PASSWORD,
    SCREENSHOTS,
    SETUP,
    Served,
    _assert_drawn,
    _login,
    _seed,
    browser,
    serving,
)

__all__ = ["browser"]  # the fixture, imported

from playwright.sync_api import Browser, Page, expect

SUPERVISOR = "supervisor.tahiri"
REFERRED_NUMBER = "YB7654321"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The browser tests' node (officer, analyst, the stolen passport) with a supervisor."""
    tmp = tmp_path_factory.mktemp("browser-second-line")
    home = tmp / "home"
    settings = Settings(home=home, node="MAR")
    _seed(settings, tmp)
    with open_node(settings) as node:
        AccessControl.for_node(node).add_user(SUPERVISOR, "supervisor", PASSWORD, by=SETUP)
    with serving(home) as node:
        yield node


def logged_crossings(served: Served, number: str) -> int:
    with (
        open_node(Settings(home=served.home, node="MAR")) as node,
        node.database.read() as session,
    ):
        return len(crossings_of(session, "MAR", number))


def scan(page: Page, point: str, mrz: str) -> None:
    page.get_by_label("Crossing point").fill(point)
    page.locator("#mrz").focus()
    for line in mrz.splitlines():  # a keyboard-wedge scanner: each line, then a return
        page.keyboard.type(line + "\n", delay=1)


def test_a_hit_is_admitted_only_once_a_supervisor_confirms(
    browser: Browser, served: Served
) -> None:
    officer = browser.new_page(viewport={"width": 1180, "height": 820})
    _login(officer, served, "officer.amrani")
    scan(officer, "TNG-MED", passport(number=STOLEN_NUMBER))
    expect(officer.locator("#verdict")).to_contain_text("HIT")
    officer.locator("#reason_code").select_option("cleared")
    officer.locator("#admit").click()

    waiting = officer.locator("#awaiting-confirmation")
    expect(waiting).to_contain_text("Admission awaiting a supervisor's confirmation")
    expect(waiting).to_contain_text("NOT admitted yet and no crossing is logged")
    expect(officer.locator(".decision-form")).to_have_count(0)  # no second decision
    expect(officer.locator("#confirm-admission")).to_have_count(0)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / "verdict-awaiting-supervisor.png"
    officer.screenshot(path=str(shot), full_page=True)
    _assert_drawn(shot, officer, "#awaiting-confirmation")
    assert logged_crossings(served, STOLEN_NUMBER) == 0
    verdict_url = officer.url.split("#")[0]
    token = officer.locator("input[name=csrf_token]").first.get_attribute("value")
    assert token
    self_confirmed = officer.request.post(
        verdict_url + "/confirmation", form={"csrf_token": token, "answer": "confirm"}
    )
    assert self_confirmed.status == 403  # an officer holds no confirmation permission
    assert logged_crossings(served, STOLEN_NUMBER) == 0
    expect(officer.locator("#next-while-awaiting")).to_be_focused()  # done here: N goes on
    officer.keyboard.press("n")
    expect(officer.locator("#mrz")).to_be_focused()
    officer.close()

    supervisor = browser.new_page(viewport={"width": 1180, "height": 820})
    _login(supervisor, served, SUPERVISOR)
    expect(supervisor.get_by_role("link", name="Second line")).to_be_visible()
    supervisor.goto(served.url + "/second-line")
    row = supervisor.locator("#confirmations tbody tr").filter(has_text=STOLEN_NUMBER)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("officer.amrani")
    row.get_by_role("link", name="Open").click()
    expect(supervisor.locator("#awaiting-confirmation")).to_contain_text("officer.amrani")
    supervisor.screenshot(path=str(SCREENSHOTS / "verdict-confirmation.png"), full_page=True)
    supervisor.locator("#confirm-admission").click()

    expect(supervisor.locator("#decided")).to_contain_text("Admit")
    expect(supervisor.locator("#decided")).to_contain_text("officer.amrani")
    confirmed = supervisor.locator("#admission-confirmed")
    expect(confirmed).to_contain_text("by officer.amrani, confirmed by supervisor.tahiri")
    assert logged_crossings(served, STOLEN_NUMBER) == 1
    supervisor.goto(served.url + "/second-line")
    expect(supervisor.locator("#confirmations-empty")).to_be_visible()
    supervisor.close()


def test_a_referred_traveller_is_handled_on_the_second_line_page(
    browser: Browser, served: Served
) -> None:
    officer = browser.new_page(viewport={"width": 1180, "height": 820})
    _login(officer, served, "officer.amrani")
    expect(officer.get_by_role("link", name="Second line")).to_have_count(0)
    scan(officer, "OUJ-ZKH", passport(number=REFERRED_NUMBER))
    expect(officer.locator("#verdict")).to_contain_text("CLEAR")
    officer.locator("#reason_code").select_option("identity_doubt")
    officer.locator("#refer").click()
    expect(officer.locator("#decided")).to_contain_text("Refer")
    expect(officer.locator("#second-line-referral")).to_contain_text("OUJ-ZKH")
    expect(officer.locator("#outcome-form")).to_have_count(0)  # the officer records no outcome
    officer.close()
    assert logged_crossings(served, REFERRED_NUMBER) == 0  # the clear's crossing taken back

    supervisor = browser.new_page(viewport={"width": 1180, "height": 820})
    _login(supervisor, served, SUPERVISOR)
    supervisor.get_by_role("link", name="Second line").click()  # from the menu
    supervisor.locator("#filter-point").fill("CMN-T1")
    supervisor.locator("#filter-button").click()
    expect(supervisor.locator("#referrals-empty")).to_contain_text("CMN-T1")
    supervisor.locator("#filter-point").fill("ouj-zkh")
    supervisor.locator("#filter-button").click()
    row = supervisor.locator("#referrals tbody tr").filter(has_text=REFERRED_NUMBER)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("LAMRANI SALMA")
    expect(row).to_contain_text("OUJ-ZKH")
    expect(row).to_contain_text("officer.amrani: Doubt about the holder's identity")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / "second-line-queue.png"
    supervisor.screenshot(path=str(shot), full_page=True)
    _assert_drawn(shot, supervisor, "#referrals")

    row.get_by_role("link", name="Record the outcome").click()
    expect(supervisor.locator("#outcome-form")).to_be_visible()
    supervisor.screenshot(path=str(SCREENSHOTS / "verdict-second-line-form.png"), full_page=True)
    supervisor.locator("#outcome").select_option("refused")
    supervisor.locator("#outcome-notes").fill("Cannot explain the purpose of the journey")
    supervisor.locator("#record-outcome").click()

    outcome = supervisor.locator("#second-line-outcome")
    expect(outcome).to_contain_text("Refused")
    expect(outcome).to_contain_text("supervisor.tahiri")
    expect(outcome).to_contain_text("Cannot explain the purpose of the journey")
    assert logged_crossings(served, REFERRED_NUMBER) == 0
    supervisor.goto(served.url + "/second-line?crossing_point=OUJ-ZKH")
    expect(supervisor.locator("#referrals-empty")).to_be_visible()
    supervisor.close()
