"""``/docs`` (Swagger UI) and ``/redoc`` render in a real browser with the network cut off:
Debian's Chromium driven by Playwright against the node served by a real uvicorn, every
request to anything but the node aborted, as on an offline node.

Saves a screenshot of each page (``PASSERELLE_SCREENSHOTS``, else build/screenshots) and
checks the operations are there. Needs /usr/bin/chromium, as tests/web/test_browser.py.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from passerelle.settings import Settings
from tests.api.test_openapi import OPERATIONS
from tests.conftest import provision_node
from tests.web.test_browser import serving

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(os.environ.get("PASSERELLE_SCREENSHOTS", "build/screenshots"))

if not CHROMIUM.exists():
    if os.environ.get("PASSERELLE_REQUIRE_BROWSER") == "1":
        raise RuntimeError("/usr/bin/chromium is missing: apt-get install chromium")
    pytest.skip("no /usr/bin/chromium (apt-get install chromium)", allow_module_level=True)

from playwright.sync_api import (  # noqa: E402
    Browser,
    ConsoleMessage,
    Page,
    Route,
    expect,
    sync_playwright,
)

expect.set_options(timeout=30_000)  # a 1.5 MB bundle parsed on a busy 2-CPU machine


@pytest.fixture(scope="module")
def node_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home = tmp_path_factory.mktemp("docs-node") / "home"
    provision_node(Settings(home=home, node="MAR"))
    with serving(home) as served:
        yield served.url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield launched
        launched.close()


class Offline:
    """A page that reaches the node only: any other request is aborted and remembered,
    and so is every content-security-policy refusal the console reports."""

    def __init__(self, browser: Browser, node_url: str) -> None:
        self.node_url = node_url
        self.page: Page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.left_the_node: list[str] = []
        self.refused_by_csp: list[str] = []
        self.page.route("**/*", self._only_the_node)
        self.page.on("console", self._note_csp)

    def _only_the_node(self, route: Route) -> None:
        if route.request.url.startswith(self.node_url + "/"):
            route.continue_()
        else:
            self.left_the_node.append(route.request.url)
            route.abort()

    def _note_csp(self, message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            self.refused_by_csp.append(message.text)


def _screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / name
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 20_000  # a rendered page, not a blank one
    return shot


def test_swagger_ui_renders_every_operation_offline(browser: Browser, node_url: str) -> None:
    offline = Offline(browser, node_url)
    page = offline.page
    page.goto(node_url + "/docs")
    inspect = page.locator("#operations-inspections-inspect_api_v1_inspections_post")
    expect(inspect).to_contain_text("POST")
    expect(inspect).to_contain_text("/api/v1/inspections")
    expect(page.locator(".opblock")).to_have_count(OPERATIONS)
    expect(page.get_by_role("button", name="Authorize")).to_be_visible()
    _screenshot(page, "docs-swagger-ui.png")
    inspect.locator(".opblock-summary").click()  # open it: the answer and the refusals
    expect(inspect).to_contain_text('"inspection_id": "string"')
    expect(inspect).to_contain_text("A value was refused")
    expect(inspect).to_contain_text('"detail": "string"')  # ErrorBody, not FastAPI's
    assert offline.left_the_node == []
    assert offline.refused_by_csp == []
    page.close()


def test_redoc_renders_the_operations_offline(browser: Browser, node_url: str) -> None:
    offline = Offline(browser, node_url)
    page = offline.page
    page.goto(node_url + "/redoc")
    expect(page.locator("h1")).to_contain_text("Passerelle national node")
    expect(page.locator("h2").filter(has_text=re.compile(r"^Inspect\s*$"))).to_be_visible()
    expect(page.get_by_text("/api/v1/inspections", exact=True).first).to_be_visible()
    _screenshot(page, "docs-redoc.png")
    assert offline.left_the_node == []
    # ReDoc's footer asks for Redocly's logo on a CDN: the node's CSP refuses it (and
    # nothing else: its own bundle, styles and search worker all load)
    assert all("cdn.redoc.ly" in refusal for refusal in offline.refused_by_csp)
    page.close()
