"""The auditor pages through the trail in a real browser (Chromium, uvicorn on loopback)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from passerelle.access import AccessControl
from passerelle.node import open_node
from passerelle.settings import Settings
from tests.conftest import provision_node
from tests.store.tampering import audited_searches
from tests.web.test_browser import PASSWORD, SETUP, Served, _login, browser, serving  # noqa: F401

PAGE_SIZE = 20


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    home = tmp_path_factory.mktemp("audit-node") / "home"
    settings = Settings(home=home, node="MAR")
    provision_node(settings)
    with open_node(settings) as node:
        AccessControl.for_node(node).add_user("auditor.tazi", "auditor", PASSWORD, by=SETUP)
        audited_searches(node, 3 * PAGE_SIZE)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("PASSERELLE_AUDIT_PAGE_SIZE", str(PAGE_SIZE))
        with serving(home) as served:
            yield served


def test_the_auditor_pages_to_older_records_and_back(browser: Browser, audited: Served) -> None:  # noqa: F811
    page = browser.new_page()
    _login(page, audited, "auditor.tazi")
    expect(page).not_to_have_url(re.compile(r"/login"))
    page.goto(audited.url + "/audit")
    rows = page.locator("#audit-records tbody tr")
    expect(rows).to_have_count(PAGE_SIZE)
    expect(page.locator("#chain")).to_contain_text("The chain holds")
    expect(page.locator("#newer-page")).to_have_count(0)
    newest = rows.first.locator("td").first.inner_text()
    last_on_first = int(rows.last.locator("td").first.inner_text())

    page.locator("#older-page").click()
    expect(rows).to_have_count(PAGE_SIZE)
    expect(rows.first.locator("td").first).to_have_text(str(last_on_first - 1))

    page.locator("#newer-page").click()
    expect(rows.first.locator("td").first).to_have_text(newest)
    expect(rows.last.locator("td").first).to_have_text(str(last_on_first))
    page.close()
