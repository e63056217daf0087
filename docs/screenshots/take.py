"""Screenshots for the README, taken from a running demo node (``make demo``).

    .venv/bin/python docs/screenshots/take.py http://127.0.0.1:8000 HOME

HOME is the demo node's folder (its ``demo-logins.json`` gives the passwords). The
officer's verdict is also taken in Arabic and in French (``officer-verdict-ar.png``,
``officer-verdict-fr.png``) and the check form in Arabic (``check-form-ar.png``); the
officer's account is switched back to English at the end.
Uses Debian's Chromium through Playwright, as the browser tests do.
"""

from __future__ import annotations

import json
import re
import sys
from datetime import date
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

from passerelle.demo import DEFAULT_SEED, DemoWorld, generate_world

OUT = Path(__file__).parent


def login(page: Page, url: str, name: str, password: str) -> None:
    page.goto(url + "/login")
    page.get_by_label("User name").fill(name)
    page.get_by_label("Password").fill(password)
    page.keyboard.press("Enter")
    expect(page).not_to_have_url(re.compile(r"/login"))


def scan(page: Page, url: str, point: str, mrz_lines: tuple[str, ...]) -> None:
    page.goto(url + "/check")
    page.locator("#crossing_point").select_option(point)  # its label is in the page's language
    page.locator("#mrz").focus()
    for line in mrz_lines:
        page.keyboard.type(line + "\n", delay=1)
    expect(page.locator("#verdict")).to_be_visible()


def switch_language(page: Page, language: str) -> None:
    """Switch the signed-in user's language from the menu bar (kept on the account)."""
    page.locator(f'form.languages button[value="{language}"]').click()
    expect(page.locator("html")).to_have_attribute("lang", language)


def booth_in_other_languages(page: Page, url: str, world: DemoWorld) -> None:
    """The check form in Arabic and the verdict of the watchlisted traveller in French and in
    Arabic; the account back in English."""
    watchlisted = world.scenario("watchlisted")
    switch_language(page, "fr")
    scan(page, url, watchlisted.crossing_point, watchlisted.mrz_lines)
    page.screenshot(path=str(OUT / "officer-verdict-fr.png"), full_page=False)
    switch_language(page, "ar")
    page.goto(url + "/check")
    page.locator("#crossing_point").select_option(watchlisted.crossing_point)
    page.locator("#mrz").fill("\n".join(watchlisted.mrz_lines))
    page.screenshot(path=str(OUT / "check-form-ar.png"), full_page=False)
    page.keyboard.press("Control+Enter")
    expect(page.locator("#verdict")).to_be_visible()
    page.screenshot(path=str(OUT / "officer-verdict-ar.png"), full_page=False)
    switch_language(page, "en")


def main(url: str, home: Path) -> None:
    logins = json.loads((home / "demo-logins.json").read_text())
    world = generate_world(DEFAULT_SEED, as_of=date.today())
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 1180, "height": 820})
        login(page, url, "officer", logins["officer"])
        switch_language(page, "en")  # the guide's own screenshots are in English
        watchlisted = world.scenario("watchlisted")
        scan(page, url, watchlisted.crossing_point, watchlisted.mrz_lines)
        expect(page.locator("#verdict")).to_contain_text("HIT")
        page.screenshot(path=str(OUT / "officer-verdict.png"), full_page=False)
        # a HIT admitted waits for a supervisor (four eyes)
        page.keyboard.press("a")  # the verdict offers a referral: A asks which admit reason
        page.keyboard.press("1")
        expect(page.locator("body")).to_contain_text("awaiting")
        page.screenshot(path=str(OUT / "admission-awaiting-supervisor.png"), full_page=False)
        # a discreet check: nothing the traveller could read across the booth
        watched = world.scenario("discreet_check")
        scan(page, url, watched.crossing_point, watched.mrz_lines)
        page.screenshot(path=str(OUT / "verdict-discreet-check.png"), full_page=False)
        # a referral, for the second-line page
        stolen = world.scenario("stolen")
        scan(page, url, stolen.crossing_point, stolen.mrz_lines)
        page.keyboard.press("r")
        expect(page.locator("#decided")).to_be_visible()
        booth_in_other_languages(page, url, world)
        page.close()
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        login(page, url, "supervisor", logins["supervisor"])
        switch_language(page, "en")
        page.goto(url + "/second-line")
        page.screenshot(path=str(OUT / "second-line.png"), full_page=False)
        page.close()
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        login(page, url, "analyst", logins["analyst"])
        switch_language(page, "en")
        page.goto(url + "/dashboard")
        page.wait_for_timeout(1500)
        page.screenshot(path=str(OUT / "dashboard.png"), full_page=False)
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/"), Path(sys.argv[2]))
