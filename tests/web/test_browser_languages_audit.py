"""The auditor's viewer in a real browser (Chromium, uvicorn on loopback): filtered by the
node's days, actor, action and subject; an Arabic name read as Arabic; the CSV export
downloaded and read back; the chain verified from the page; and the page in Arabic, French
and English, each with its own words and none of the others' English."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Browser, Page, expect

from passerelle.access import AccessControl
from passerelle.node import open_node
from passerelle.settings import Settings
from passerelle.store import Actor
from tests.conftest import provision_node
from tests.web.test_browser import PASSWORD, SETUP, Served, browser, serving  # noqa: F401

ARABIC_NAME = "محمد بن علي"
SEARCHER = Actor("analyst.idrissi", "user", "analyst")
OTHER = Actor("analyst.benali", "user", "analyst")
LATE_EVENING = datetime(2025, 6, 10, 23, 30, tzinfo=UTC)
"""00:30 on 11 June in Casablanca (UTC+1): a day later there than in UTC."""


@pytest.fixture(scope="module")
def trail(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    home = tmp_path_factory.mktemp("audit-viewer-node") / "home"
    settings = Settings(home=home, node="MAR")
    provision_node(settings)
    with open_node(settings) as node:
        access = AccessControl.for_node(node)
        for name in ("auditor.tazi", "auditor.ar", "auditor.fr", "auditor.en"):
            access.add_user(name, "auditor", PASSWORD, by=SETUP)
        with node.database.write() as session:
            node.audit.record(
                session,
                actor=SEARCHER,
                action="watchlist.search",
                purpose="border check",
                at=LATE_EVENING,
                query={"name": ARABIC_NAME, "top": 10},
                result={"ids": ["MAR-W-0042"]},
            )
            node.audit.record(
                session,
                actor=OTHER,
                action="sltd.search",
                purpose="visa check",
                at=datetime(2025, 6, 12, 9, 0, tzinfo=UTC),
                query={"issuing_state": "MAR", "document_number": "AB1234567"},
                result={"hit": False},
            )
    with pytest.MonkeyPatch.context() as env:
        env.setenv("PASSERELLE_TIME_ZONE", "Africa/Casablanca")
        with serving(home) as served:
            yield served


def _signed_in(browser: Browser, served: Served, name: str, locale: str = "en") -> Page:  # noqa: F811
    context = browser.new_context(locale=locale, accept_downloads=True)
    page = context.new_page()
    page.goto(served.url + "/login")
    page.locator("input[name=name]").fill(name)
    page.locator("input[name=password]").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/login" not in url)
    return page


def _filter(page: Page, **fields: str) -> None:
    form = page.locator("#audit-filter")
    for name, value in fields.items():
        form.locator(f"[name={name}]").fill(value)
    form.locator("button[type=submit]").click()


def test_the_auditor_filters_by_the_nodes_days_actor_action_and_subject(
    browser: Browser,  # noqa: F811
    trail: Served,
) -> None:
    page = _signed_in(browser, trail, "auditor.tazi")
    page.goto(trail.url + "/audit")
    rows = page.locator("#audit-records tbody tr")

    _filter(page, since="2025-06-11", until="2025-06-11")  # Casablanca's 11 June
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("watchlist.search")
    expect(rows.first).to_contain_text("2025-06-11 00:30:00 +01:00")
    asked = rows.first.locator("td.json").first
    expect(asked).to_contain_text(f'"name": "{ARABIC_NAME}"')  # read as Arabic, not \u escapes
    assert "\\u0645" not in page.content()

    _filter(page, since="2025-06-10", until="2025-06-10")  # 23:30 UTC is not Casablanca's 10th
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("No record matches these filters.")

    page.goto(trail.url + "/audit")
    _filter(page, by="analyst.benali")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("sltd.search")

    page.goto(trail.url + "/audit")
    _filter(page, action="watchlist.")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("MAR-W-0042")

    page.goto(trail.url + "/audit")
    _filter(page, subject="AB1234567")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("analyst.benali")
    _filter(page, subject="AB123456")  # a part of a value is not the subject
    expect(rows.first).to_contain_text("No record matches these filters.")

    page.goto(trail.url + "/audit")
    _filter(page, subject=ARABIC_NAME)
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("analyst.idrissi")

    page.goto(trail.url + "/audit")
    _filter(page, since="2025-06-12", until="2025-06-01")
    expect(page.locator("#filter-error")).to_contain_text("To: is before since")
    page.context.close()


def test_the_csv_export_keeps_arabic_and_is_itself_audited(
    browser: Browser,  # noqa: F811
    trail: Served,
) -> None:
    page = _signed_in(browser, trail, "auditor.tazi")
    page.goto(trail.url + "/audit?since=2025-06-01&until=2025-06-30")
    with page.expect_download() as waiting:
        page.locator("#audit-export").click()
    data = open(waiting.value.path(), "rb").read()  # noqa: SIM115

    assert data.startswith(b"\xef\xbb\xbf")  # the BOM that makes a spreadsheet read UTF-8
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [r["action"] for r in rows] == ["sltd.search", "watchlist.search"]
    searched = rows[1]
    assert ARABIC_NAME in searched["query"]
    assert searched["at"] == "2025-06-11T00:30:00+01:00"  # ISO 8601 with the node's offset
    assert datetime.fromisoformat(searched["at"]) == LATE_EVENING

    page.goto(trail.url + "/audit?action=audit.export")
    exported = page.locator("#audit-records tbody tr").first
    expect(exported).to_contain_text("auditor.tazi")
    expect(exported).to_contain_text('"since": "2025-06-01T00:00:00+01:00"')
    page.context.close()


def test_verifying_the_chain_from_the_page_says_intact_and_is_audited(
    browser: Browser,  # noqa: F811
    trail: Served,
) -> None:
    page = _signed_in(browser, trail, "auditor.tazi")
    page.goto(trail.url + "/audit")
    page.locator("#verify-chain button").click()
    expect(page.locator("#verify-result")).to_contain_text("Intact:")
    expect(page.locator("#verify-result")).to_have_class("green-text")

    page.goto(trail.url + "/audit?action=audit.verify")
    verified = page.locator("#audit-records tbody tr").first
    expect(verified).to_contain_text("auditor.tazi")
    expect(verified).to_contain_text('"intact": true')
    page.context.close()


EXPECTED = {
    "ar": ["سجل التدقيق", "السلسلة سليمة", "تصفية", "تصدير بصيغة CSV", "السبب", "المطلوب"],
    "fr": ["Journal d'audit", "La chaîne est intègre", "Filtrer", "Exporter en CSV", "Motif"],
    "en": ["Audit trail", "The chain holds", "Filter", "Export as CSV", "Why", "Asked"],
}
ENGLISH = [
    "Audit trail",
    "The chain holds",
    "Filter",
    "Export as CSV",
    "Verify the whole chain now",
    "Returned",
    "Asked",
    "From (day)",
    "Latest checkpoint",
    "No checkpoint",
    "Log out",
]
"""The English of the page: none of it may show on the Arabic or the French page."""


@pytest.mark.parametrize("code", ["ar", "fr", "en"])
def test_the_audit_viewer_speaks_the_auditors_language(
    browser: Browser,  # noqa: F811
    trail: Served,
    code: str,
) -> None:
    page = _signed_in(browser, trail, f"auditor.{code}", locale=code)
    page.goto(trail.url + "/audit")
    heading = page.locator("h1")
    expect(heading).to_have_text(EXPECTED[code][0])
    text = page.locator("body").inner_text()
    for expected in EXPECTED[code]:
        assert expected in text, expected
    if code != "en":
        for english in ENGLISH:
            assert english not in text, english
    direction = page.locator("html").get_attribute("dir")
    assert direction == ("rtl" if code == "ar" else "ltr")
    if code == "ar":
        asked = page.locator("#audit-records td.json pre").first
        assert asked.get_attribute("dir") == "ltr"  # the payload keeps its JSON order
    page.context.close()
