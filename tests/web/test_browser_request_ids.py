"""The booth sends each scan with a request id, in real Chromium: the same scan sent again
(a double submit, Check pressed again after the answer was lost) is one inspection with one
``inspection.search`` audit record; a new scan is a new inspection.

The lost answer is a real one: the node receives the request, runs the inspection and
answers, and the browser is then told the connection failed (``route.fetch`` then
``route.abort``), as when the host behind the balancer dies after committing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Route, expect
from sqlalchemy import func, select

from passerelle.node import open_node
from passerelle.settings import Settings
from passerelle.store.tables import AuditRecord, Inspection
from tests.screening.conftest import passport
from tests.web.test_browser import Served, _login, _seed, browser, serving

__all__ = ["browser"]  # the fixture, imported

NUMBER = "RQ1234567"


@pytest.fixture
def booth(tmp_path: Path) -> Iterator[Served]:
    """A node of its own (its inspections counted from zero), served on loopback."""
    home = tmp_path / "home"
    _seed(Settings(home=home, node="MAR"), tmp_path)
    with serving(home) as node:
        yield node


def _tally(served: Served) -> tuple[dict[str, str | None], int]:
    """Each inspection of the test's traveller by id (with its request id), and how many
    ``inspection.search`` records the audit trail holds."""
    with open_node(Settings(home=served.home, node="MAR")) as node, node.database.read() as s:
        made = {
            row.id: row.request_id
            for row in s.scalars(select(Inspection).where(Inspection.document_number == NUMBER))
        }
        searches = s.scalar(
            select(func.count())
            .select_from(AuditRecord)
            .where(AuditRecord.action == "inspection.search")
        )
    return made, int(searches or 0)


def _fill(page: Page) -> None:
    page.get_by_label("Crossing point").fill("TNG-MED")
    page.locator("#mrz").fill(passport(number=NUMBER))


def _verdict_id(page: Page, served: Served) -> str:
    expect(page.locator("#verdict")).to_be_visible()
    return page.url.removeprefix(served.url + "/check/").split("#")[0]


def test_check_pressed_again_after_a_lost_answer_is_one_inspection(
    browser: Browser, booth: Served
) -> None:
    page = browser.new_page()
    _login(page, booth, "officer.amrani")
    expect(page).to_have_url(booth.url + "/check")
    answered: list[str] = []

    def lose_the_first_answer(route: Route) -> None:
        if route.request.method != "POST" or answered:
            route.continue_()
            return
        response = route.fetch(max_redirects=0)  # the node runs the inspection and answers
        answered.append(response.headers["location"])
        route.abort("connectionreset")  # ... and the answer never reaches the booth

    page.route("**/check", lose_the_first_answer)
    _fill(page)
    page.keyboard.press("Control+Enter")
    for _ in range(200):  # the route's handler runs while the page waits
        if answered:
            break
        page.wait_for_timeout(100)
    assert len(answered) == 1, "the first request reached the node"
    made, searches = _tally(booth)
    assert len(made) == 1
    assert searches == 1

    page.goto(booth.url + "/check")  # the officer goes back to the form and scans again
    _fill(page)
    page.keyboard.press("Control+Enter")
    first = _verdict_id(page, booth)
    assert answered == [f"/check/{first}"]  # the answer lost is the one shown now
    made, searches = _tally(booth)
    assert list(made) == [first]
    assert searches == 1

    page.goto(booth.url + "/check")  # the next traveller (the same one, back): a new scan
    _fill(page)
    page.keyboard.press("Control+Enter")
    second = _verdict_id(page, booth)
    made, searches = _tally(booth)
    assert second != first
    assert set(made) == {first, second}
    assert searches == 2
    assert made[first] != made[second]
    page.close()


def test_a_double_submit_without_script_is_one_inspection(browser: Browser, booth: Served) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    _login(page, booth, "officer.amrani")
    expect(page).to_have_url(booth.url + "/check")
    _fill(page)
    form = page.locator("#check-form")
    fields = {
        name: form.locator(f'input[name="{name}"]').first.input_value()
        for name in ("csrf_token", "request_id", "crossing_point", "purpose")
    }
    assert fields["request_id"].startswith("booth-")
    sent = {**fields, "mrz": passport(number=NUMBER), "direction": "entry"}
    # the form as a double click sends it: twice, the same body, before any answer shows
    answers = [page.request.post(booth.url + "/check", form=sent, max_redirects=0) for _ in "12"]
    assert [a.status for a in answers] == [303, 303]
    assert answers[0].headers["location"] == answers[1].headers["location"]
    page.locator("#check-button").click()  # and the page's own submit of that same form
    first = _verdict_id(page, booth)
    assert answers[0].headers["location"] == f"/check/{first}"
    made, searches = _tally(booth)
    assert made == {first: fields["request_id"]}
    assert searches == 1

    page.goto(booth.url + "/check")  # a new scan: the form carries a new id
    _fill(page)
    page.locator("#check-button").click()
    second = _verdict_id(page, booth)
    made, searches = _tally(booth)
    assert second != first
    assert len(made) == 2
    assert searches == 2
    context.close()
