"""The node run from its pages, in Chromium: an administrator creates a user, issues and
revokes an API token, disables the user; registers, disables and enables a partner; edits a
crossing point; reads the users page in Arabic, right to left.

Runs on a real uvicorn node (tests.web.test_browser's ``serving``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from passerelle.access import AccessControl
from passerelle.federation.peers.directory import Agreement, PeerDirectory
from passerelle.federation.protocol.identity import NodeIdentity
from passerelle.node import open_node
from passerelle.settings import Settings
from tests.web.test_browser import (
    PASSWORD,
    SETUP,
    Served,
    _login,
    _seed,
    browser,  # noqa: F401  (fixture)
    serving,
)

ENGLISH_ON_THE_USERS_PAGE = (
    "New user",
    "Create the user",
    "Accounts",
    "Workplace",
    "Paced addresses",
    "Manage",
    "User name",
    "Log out",
)
"""Words of the users page that must not be left in English on the Arabic page."""


@pytest.fixture(scope="module")
def admin_node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """A node with two administrators (one reads Arabic), the booth's usual users and a
    partner (Tunisia)."""
    tmp = tmp_path_factory.mktemp("browser-admin-node")
    home = tmp / "home"
    settings = Settings(home=home, node="MAR")
    _seed(settings, tmp)
    with open_node(settings) as node:
        access = AccessControl.for_node(node)
        access.add_user("admin.benjelloun", "admin", PASSWORD, by=SETUP)
        access.add_user("admin.arabic", "admin", PASSWORD, by=SETUP)
        PeerDirectory(node.database, node.audit, clock=node.clock).add(
            "TUN",
            url="https://tun.example:8443",
            public_keys=[NodeIdentity.generate("TUN").peer_key.text],
            name="Tunisia",
            agreement=Agreement.of(inbound_kinds=["document"], alert_categories=["wanted"]),
            actor=SETUP,
        )
    with serving(home) as served:
        yield served


def _admin(browser: Browser, served: Served, name: str = "admin.benjelloun") -> Page:  # noqa: F811
    page = browser.new_page(viewport={"width": 1024, "height": 768})
    _login(page, served, name)
    page.wait_for_url(lambda url: "/login" not in url)
    return page


def test_an_administrator_creates_a_user_issues_and_revokes_a_token_and_disables_the_user(
    browser: Browser,  # noqa: F811
    admin_node: Served,
) -> None:
    page = _admin(browser, admin_node)
    page.get_by_role("link", name="Users").click()
    expect(page.locator("h1")).to_have_text("Users")
    page.locator("#new-name").fill("officer.saidi")
    page.locator("#new-role").select_option("officer")
    page.locator("#new-password").fill("a quiet harbour at dawn")
    page.locator("#new-point").fill("TNG-MED")
    page.locator("#new-booth").fill("B2")
    page.locator("#add-user button[type=submit]").click()
    expect(page.locator("#admin-done")).to_contain_text("User officer.saidi created.")
    expect(page.locator("#user-officer\\.saidi")).to_contain_text("TNG-MED, booth B2")

    page.get_by_role("link", name="API tokens").click()
    page.locator("#token-user").select_option("officer.saidi")
    page.locator("#token-days").fill("30")
    page.locator("#token-label").fill("kiosk 3")
    page.locator("#issue-token button[type=submit]").click()
    token = page.locator("#issued-token").inner_text()
    assert re.fullmatch(r"psr_[A-Za-z0-9_-]{40,}", token)
    row = page.locator("#tokens tbody tr").first
    expect(row.locator(".token-state")).to_have_text("active")
    issued_rows = page.locator("#tokens tbody tr").count()
    page.reload()  # shows the page again: the token is not shown, nor issued again
    expect(page).to_have_url(admin_node.url + "/admin/tokens?user=officer.saidi")
    expect(page.locator("#issued-token")).to_have_count(0)
    expect(page.locator("#tokens")).not_to_contain_text(token)
    assert page.locator("#tokens tbody tr").count() == issued_rows
    page.locator("#tokens tbody tr").first.get_by_role("button", name="Revoke").click()
    expect(page.locator("#admin-done")).to_contain_text("of officer.saidi is revoked")
    expect(page.locator("#tokens tbody tr").first.locator(".token-state")).to_have_text("revoked")

    page.goto(admin_node.url + "/admin/users")
    user_row = page.locator("#user-officer\\.saidi")
    user_row.locator("summary").click()
    user_row.get_by_role("button", name="Disable").click()
    expect(page.locator("#admin-done")).to_contain_text("officer.saidi is disabled")
    expect(page.locator("#user-officer\\.saidi .user-state")).to_contain_text("disabled since")
    page.close()

    officer = browser.new_page()
    _login(officer, admin_node, "officer.saidi", "a quiet harbour at dawn")
    expect(officer.locator("#login-error")).to_have_text(
        "This account is disabled: ask your administrator."
    )
    officer.close()


def test_a_weak_password_comes_back_naming_the_field(
    browser: Browser,  # noqa: F811
    admin_node: Served,
) -> None:
    page = _admin(browser, admin_node)
    page.goto(admin_node.url + "/admin/users")
    page.locator("#new-name").fill("officer.weak")
    page.locator("#new-password").fill("password1234")
    page.locator("#add-user button[type=submit]").click()
    expect(page.locator("#admin-error")).to_contain_text("Password: ")
    expect(page.locator("#new-password")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#users")).not_to_contain_text("officer.weak")
    page.close()


def test_an_administrator_registers_a_partner_from_its_key_line_then_disables_and_enables_it(
    browser: Browser,  # noqa: F811
    admin_node: Served,
) -> None:
    page = _admin(browser, admin_node)
    page.get_by_role("link", name="Partners").click()
    identity = NodeIdentity.generate("BEL")
    page.locator("#partner-state").fill("BEL")
    page.locator("#partner-name").fill("Belgium")
    page.locator("#partner-url").fill("https://bel.example:8443")
    page.locator("#partner-key").fill(identity.peer_key.text)
    page.locator("#register-alerts").get_by_label("wanted persons").check()
    page.locator("#register-partner button[type=submit]").click()
    expect(page.locator("#admin-done")).to_contain_text(
        f"Partner BEL registered: confirm its key id {identity.key_id} with it."
    )
    row = page.locator("#partner-BEL")
    expect(row.locator(".partner-state")).to_have_text("enabled")
    expect(row.locator(".partner-alerts")).to_contain_text("wanted")
    expect(row.locator(".partner-outbox")).to_contain_text("Nothing queued")

    row.get_by_role("button", name="Disable").click()
    expect(page.locator("#partner-BEL .partner-state")).to_have_text("disabled")
    page.locator("#partner-BEL").get_by_role("button", name="Enable").click()
    expect(page.locator("#admin-done")).to_contain_text("Partner BEL is enabled.")
    expect(page.locator("#partner-BEL .partner-state")).to_have_text("enabled")
    page.close()


def test_an_administrator_edits_a_crossing_point_of_the_catalogue(
    browser: Browser,  # noqa: F811
    admin_node: Served,
) -> None:
    page = _admin(browser, admin_node)
    page.get_by_role("link", name="Crossing points").click()
    first = page.locator("#point-rows tbody tr").first
    first.get_by_label("Code").fill("tng-med")
    first.get_by_label("Name").fill("Tanger Med port")
    page.locator("#points button[type=submit]").click()
    expect(page.locator("#admin-done")).to_have_text("The crossing points are saved.")
    expect(page.locator("#pending")).to_have_count(0)  # in force at once, on every host
    codes = page.locator("#point-rows input[name=code]")
    expect(codes.first).to_have_value("TNG-MED")
    page.locator("#point-rows input[name=name]").first.fill("Port de Tanger Med")
    codes.nth(1).fill("bad code!")
    page.locator("#points button[type=submit]").click()
    expect(page.locator("#admin-error")).to_contain_text("crossing_points[1].code")
    page.goto(admin_node.url + "/admin/catalogue")
    expect(codes.first).to_have_value("TNG-MED")
    expect(page.locator("#point-rows input[name=name]").first).to_have_value("Tanger Med port")
    catalogue = Settings(home=admin_node.home, node="MAR").effective_catalogues_file
    saved = json.loads(catalogue.read_text(encoding="utf-8"))
    assert saved["crossing_points"] == [{"code": "TNG-MED", "name": "Tanger Med port"}]
    page.close()


def test_the_users_page_in_arabic_is_right_to_left_and_translated(
    browser: Browser,  # noqa: F811
    admin_node: Served,
) -> None:
    page = _admin(browser, admin_node, "admin.arabic")
    page.goto(admin_node.url + "/admin/users")
    page.locator("form.languages button[value=ar]").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.locator("h1")).to_have_text("المستخدمون")
    expect(page.locator("#add-user button[type=submit]")).to_have_text("إنشاء المستخدم")
    expect(page.get_by_role("link", name="الشركاء")).to_be_visible()
    text = page.locator("body").inner_text()
    left = [word for word in ENGLISH_ON_THE_USERS_PAGE if word in text]
    assert not left, f"left in English on the Arabic users page: {left}"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.close()


def test_the_admin_pages_fit_a_tablet_without_horizontal_scrolling(
    browser: Browser,  # noqa: F811
    admin_node: Served,
) -> None:
    page = _admin(browser, admin_node)
    for path in ("/admin/users", "/admin/tokens", "/admin/partners", "/admin/catalogue"):
        page.goto(admin_node.url + path)
        for opened in page.locator("details.manage").all():
            opened.locator("summary").click()
        wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert wide <= 0, f"{path} overflows a 1024 px tablet by {wide} px"
    page.close()
