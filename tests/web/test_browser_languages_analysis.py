"""The analysts' pages in Chromium, in each of the node's languages (issue 19): the review
queue and the dashboard with a translated heading and no English left, Arabic right to left;
the charts' words in the page's language and no Plotly mode bar over them on a touch screen;
the Alerts table within a 1024×768 tablet with every identifier whole; the "Open a case"
check boxes at their normal size.

Runs on a real uvicorn node (tests.web.test_browser's ``serving``) holding the stolen
passport of tests.screening; an officer's scan of it puts a hit in the queue.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from passerelle.access import AccessControl
from passerelle.node import open_node
from passerelle.settings import Settings
from passerelle.store.alerts import AlertDraft, AlertRegistry, DocumentSubject, PersonSubject
from tests.screening.conftest import STOLEN_NUMBER, passport
from tests.web.test_browser import (
    PASSWORD,
    SCREENSHOTS,
    SETUP,
    Served,
    _login,
    _seed,
    browser,  # noqa: F401  (fixture)
    serving,
)

LANGUAGES = ("ar", "fr", "en")
LONG_ID = "MAR-A-2026-SURVEILLANCE-OPERATION-ATLAS-NORTH-0001"
LONG_TEXT = (
    "Report discreetly to the duty officer of the Direction Générale de la Sûreté Nationale, "
    "Rabat, with the companions, the vehicle and the route; do not alert the traveller; "
    "reference DGSN/DPJ/BNPJ/2026/000123456789"
)

QUEUE = {
    "ar": ("تطابقات في انتظار المراجعة", ("آخر ظهور", "المسافر", "وثيقة مسروقة أو ضائعة")),
    "fr": ("Concordances en attente d'examen", ("Voyageur", "Document volé ou perdu", "Écarter")),
    "en": ("Hits waiting for review", ("Traveller", "Stolen or lost document", "Dismiss")),
}
QUEUE_ENGLISH = (
    "Hits waiting for review",
    "Last seen",
    "Traveller",
    "What hit",
    "Stolen or lost document",
    "Confirm",
    "Dismiss",
    "seen once",
    "False positives so far",
    "Note (needed to dismiss)",
)
DASHBOARD = {
    "ar": ("لوحة المتابعة", ("العبور حسب اليوم", "أكثر الجنسيات", "عمليات المراقبة")),
    "fr": ("Tableau de bord", ("Passages par jour", "Principales nationalités", "contrôles")),
    "en": ("Dashboard", ("Crossings per day", "Top nationalities", "inspections")),
}
DASHBOARD_ENGLISH = (
    "Dashboard",
    "Crossings per day",
    "Crossings per point",
    "Hits by type",
    "Top nationalities",
    "False positives per list",
    "Inspections per day",
    "hits waiting for review",
    "From",
    "Show",
)
CHART_WORDS = {  # the axis title and the legend drawn by Plotly in the crossings-per-day chart
    "ar": ("العبور", "الدخول", "الخروج"),
    "fr": ("Passages", "entrées", "sorties"),
    "en": ("Crossings", "entries", "exits"),
}
CHART_ENGLISH = ("Crossings", "entries", "exits", "entry", "exit")
ENGLISH_DAYS = re.compile(r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun)\b")
DAY_NAMES = {
    "ar": re.compile("الاثنين|الثلاثاء|الأربعاء|الخميس|الجمعة|السبت|الأحد"),
    "fr": re.compile(r"\b(lun|mar|mer|jeu|ven|sam|dim)\."),
    "en": ENGLISH_DAYS,
}


@pytest.fixture(scope="module")
def analysis_node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """A node with an analyst per language, and alerts with long identifiers and texts."""
    tmp = tmp_path_factory.mktemp("browser-languages-analysis-node")
    home = tmp / "home"
    settings = Settings(home=home, node="MAR")
    _seed(settings, tmp)
    with open_node(settings) as node:
        access = AccessControl.for_node(node)
        for code in LANGUAGES:
            access.add_user(f"analyst.{code}", "analyst", PASSWORD, by=SETUP)
        with node.database.write() as session:
            registry = AlertRegistry(node.audit)
            held: tuple[tuple[str, DocumentSubject | PersonSubject], ...] = (
                (LONG_ID, DocumentSubject("MAR", "UM4731285")),
                ("MAR-A-2026-0001", PersonSubject(("يوسف العمراني",), "1980-02-03")),
                ("0f3c2a9b7d4e4c1a8b6e2d9f5a7c3b1e", PersonSubject(("Nadia Berrada",), None)),
            )
            for number, (alert_id, subject) in enumerate(held):
                registry.issue(
                    session,
                    AlertDraft(
                        category="surveillance" if number == 0 else "wanted",
                        subject=subject,
                        issuing_authority=LONG_TEXT[:120],
                        action=LONG_TEXT,
                        id=alert_id,
                    ),
                    actor=SETUP,
                    now=datetime.now(UTC),
                )
    with serving(home) as served:
        yield served


@pytest.fixture(scope="module")
def with_hit(browser: Browser, analysis_node: Served) -> Served:  # noqa: F811
    """The node after an officer scanned the stolen passport: a hit waits for review."""
    page = browser.new_page()
    _login(page, analysis_node, "officer.amrani")
    expect(page).to_have_url(analysis_node.url + "/check")
    page.get_by_label("Crossing point").fill("TNG-MED")
    page.locator("#mrz").fill(passport(number=STOLEN_NUMBER))
    page.keyboard.press("Control+Enter")
    expect(page.locator("#verdict")).to_contain_text("HIT")
    page.close()
    return analysis_node


def _reader(
    browser: Browser,  # noqa: F811
    served: Served,
    language: str,
    **options: object,
) -> tuple[BrowserContext, Page]:
    """A browser preferring ``language`` signed in as that language's analyst (whose account
    takes the language of the login page at the first login)."""
    context = browser.new_context(locale=language, **options)  # type: ignore[arg-type]
    page = context.new_page()
    page.goto(served.url + "/login")
    page.locator("input[name=name]").fill(f"analyst.{language}")
    page.locator("input[name=password]").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/login" not in url)
    return context, page


def _english_left(text: str, english: tuple[str, ...]) -> list[str]:
    return [word for word in english if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text)]


def _check_direction(page: Page, language: str) -> None:
    expected = "rtl" if language == "ar" else "ltr"
    assert page.evaluate("document.documentElement.dir") == expected
    assert page.evaluate("document.documentElement.lang") == language


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_the_review_queue_speaks_the_analysts_language(
    browser: Browser,  # noqa: F811
    with_hit: Served,
    language: str,
) -> None:
    context, page = _reader(browser, with_hit, language)
    page.goto(with_hit.url + "/review")
    heading, expected = QUEUE[language]
    expect(page.locator("main h1")).to_contain_text(heading)
    row = page.locator("#review-queue tbody tr").filter(has_text=STOLEN_NUMBER)
    expect(row).to_have_count(1)
    text = page.locator("main").inner_text()
    for words in expected:
        assert words in text, words
    if language != "en":
        assert _english_left(text, QUEUE_ENGLISH) == []
    _check_direction(page, language)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"review-{language}.png"), full_page=True)
    context.close()


def _chart_texts(page: Page, chart: str) -> list[str]:
    svg = page.locator(f"#{chart} .main-svg").first
    expect(svg).to_be_visible()
    return page.locator(f"#{chart} svg text").all_text_contents()


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_the_dashboard_and_its_charts_speak_the_readers_language(
    browser: Browser,  # noqa: F811
    with_hit: Served,
    language: str,
) -> None:
    context, page = _reader(browser, with_hit, language, viewport={"width": 1280, "height": 900})
    page.goto(with_hit.url + "/dashboard")
    heading, expected = DASHBOARD[language]
    expect(page.locator("main h1")).to_have_text(heading)
    text = page.locator("main").inner_text()
    for words in expected:
        assert words in text, words
    drawn = _chart_texts(page, "chart-crossings-day")
    for words in CHART_WORDS[language]:
        assert words in drawn, (words, drawn)
    assert any(DAY_NAMES[language].search(label) for label in drawn), drawn
    if language != "en":
        assert _english_left(text, DASHBOARD_ENGLISH) == []
        assert _english_left(" | ".join(drawn), CHART_ENGLISH) == []
        assert not any(ENGLISH_DAYS.search(label) for label in drawn), drawn
    _check_direction(page, language)
    if language == "ar":  # the counts' axis stands on the reading side: the right
        chart = page.locator("#chart-crossings-day").bounding_box()
        title = page.locator("#chart-crossings-day .g-ytitle").bounding_box()
        assert chart is not None
        assert title is not None
        assert title["x"] > chart["x"] + chart["width"] / 2
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"dashboard-{language}.png"), full_page=True)
    context.close()


def test_the_charts_have_no_mode_bar_on_a_touch_screen(
    browser: Browser,  # noqa: F811
    with_hit: Served,
) -> None:
    tablet, page = _reader(
        browser, with_hit, "fr", viewport={"width": 1024, "height": 768}, has_touch=True
    )
    page.goto(with_hit.url + "/dashboard")
    _chart_texts(page, "chart-crossings-day")
    page.locator("#chart-crossings-day").tap()
    for chart in ("chart-crossings-day", "chart-hits", "chart-false-positives"):
        expect(page.locator(f"#{chart} .modebar")).to_have_count(0)
    tablet.close()

    desk, page = _reader(browser, with_hit, "fr", viewport={"width": 1280, "height": 900})
    page.goto(with_hit.url + "/dashboard")
    _chart_texts(page, "chart-crossings-day")
    page.locator("#chart-crossings-day").hover()
    expect(page.locator("#chart-crossings-day .modebar")).to_have_count(1)  # with a mouse
    desk.close()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_alerts_table_fits_a_tablet_and_shows_every_identifier_whole(
    browser: Browser,  # noqa: F811
    analysis_node: Served,
    language: str,
) -> None:
    context, page = _reader(
        browser, analysis_node, language, viewport={"width": 1024, "height": 768}
    )
    page.goto(analysis_node.url + "/alerts")
    ids = page.locator("#alerts code.alert-id")
    expect(ids).to_have_count(3)
    shown = ids.all_text_contents()
    assert sorted(shown) == sorted([LONG_ID, "MAR-A-2026-0001", "0f3c2a9b7d4e4c1a8b6e2d9f5a7c3b1e"])
    width = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert width[0] <= width[1], width
    context.close()


def test_the_open_a_case_check_boxes_are_drawn_at_their_normal_size(
    browser: Browser,  # noqa: F811
    with_hit: Served,
) -> None:
    context, page = _reader(browser, with_hit, "en", viewport={"width": 1024, "height": 768})
    page.goto(with_hit.url + "/review")
    page.locator("#review-queue tbody tr").filter(has_text=STOLEN_NUMBER).get_by_role(
        "link"
    ).first.click()
    box = page.locator("#open-case-form input[type=checkbox]").first
    expect(box).to_be_checked()
    drawn = box.bounding_box()
    label = page.locator("#open-case-form fieldset label").first.bounding_box()
    assert drawn is not None
    assert label is not None
    assert max(drawn["width"], drawn["height"]) <= 24, drawn
    assert label["height"] >= 40, label  # the label is the finger's target
    context.close()
