"""An alert row in a real browser: an Arabic name, and a remark carrying a right-to-left
override (stored before such characters were refused), never turn the dates printed
beside them backwards; each such value sits in its own ``<bdi>``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from playwright.sync_api import Browser, Locator, expect
from sqlalchemy import update

from passerelle.node import open_node
from passerelle.settings import Settings
from passerelle.store import Actor
from passerelle.store.alerts import AlertDraft, AlertRegistry, PersonSubject
from passerelle.store.tables.registries import Alert
from tests.web.test_browser import (
    Served,
    _login,
    _seed,
    browser,  # noqa: F401  (fixture)
    serving,
)

ARABIC_NAME = "يوسف العمراني"
OLD_NAME = "\u202eYoussef El Amrani"  # an override stored before names refused it
REMARK = "\u202eHold the traveller; call +212 5 37 00 00 00"
BIRTH_DATE = "1980-02-03"
UNTIL = "2027-01-31"


@pytest.fixture(scope="module")
def alert_node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """A node holding one wanted-person alert written as old data would be: straight into
    the store, past the checks the API and the loaders make today."""
    tmp = tmp_path_factory.mktemp("browser-isolation-node")
    home = tmp / "home"
    settings = Settings(home=home, node="MAR")
    _seed(settings, tmp)
    with open_node(settings) as node, node.database.write() as session:
        AlertRegistry(node.audit).issue(
            session,
            AlertDraft(
                category="wanted",
                subject=PersonSubject((ARABIC_NAME,), BIRTH_DATE),
                issuing_authority="المديرية العامة للأمن الوطني",
                action="Hold",
                id="MAR-A-0777",
                valid_until=date.fromisoformat(UNTIL),
            ),
            actor=Actor("setup", "user", "admin"),
            now=datetime.now(UTC),
        )
        session.flush()
        session.execute(
            update(Alert)
            .where(Alert.id == "MAR-A-0777")
            .values(
                action=REMARK,
                subject={
                    "kind": "person",
                    "names": [ARABIC_NAME, OLD_NAME],
                    "birth_date": BIRTH_DATE,
                },
            )
        )
    with serving(home) as served:
        yield served


_LEFT_EDGES = """([cell, text]) => {
  const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(text);
    if (at < 0) continue;
    return [...text].map((_, i) => {
      const range = document.createRange();
      range.setStart(node, at + i);
      range.setEnd(node, at + i + 1);
      const box = range.getBoundingClientRect();
      return [Math.round(box.top), box.left];
    });
  }
  return null;
}"""

_OUTSIDE_BDI = """([cell, texts]) => {
  const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
  const outside = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (texts.some((t) => node.data.includes(t)) && !node.parentElement.closest('bdi')) {
      outside.push(node.data);
    }
  }
  return outside;
}"""


def _left_edges(cell: Locator, text: str) -> list[tuple[float, float]]:
    """Where each character of ``text`` is drawn in ``cell`` (its line's top, its left
    edge), from its first character to its last: in reading order when sorted."""
    edges = cell.evaluate(_LEFT_EDGES.replace("([cell, text])", "(cell, text)"), text)
    assert edges is not None, f"{text} is not in the cell"
    return [(float(top), float(left)) for top, left in edges]


def test_an_arabic_name_and_an_override_in_a_remark_leave_the_dates_in_order(
    browser: Browser,  # noqa: F811  (fixture)
    alert_node: Served,
) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    _login(page, alert_node, "analyst.idrissi")
    page.wait_for_url(lambda url: "/login" not in url)
    page.goto(alert_node.url + "/alerts")
    row = page.locator("#alert-MAR-A-0777")
    expect(row).to_be_visible()
    subject, remark, authority, until = (row.locator(f"td:nth-child({n})") for n in (4, 6, 7, 8))

    born = _left_edges(subject, BIRTH_DATE)
    assert born == sorted(born), "the birth date is drawn backwards"
    assert born[0] < born[-1]
    ends = _left_edges(until, UNTIL)
    assert ends == sorted(ends), "the validity date is drawn backwards"
    assert ends[0] < ends[-1]
    assert subject.locator("bdi").all_inner_texts()[:2] == [ARABIC_NAME, OLD_NAME]

    for cell, texts in (
        (subject, [ARABIC_NAME, "Youssef"]),
        (remark, ["Hold the traveller"]),
        (authority, ["للأمن"]),
    ):
        outside = cell.evaluate(_OUTSIDE_BDI.replace("([cell, texts])", "(cell, texts)"), texts)
        assert outside == [], f"not isolated: {outside}"
    page.close()
