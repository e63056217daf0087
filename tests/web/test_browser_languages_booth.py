"""The booth in Arabic, French and English, in a real browser (Chromium): the verdict of a
HIT on a watchlisted (wanted: arrest) traveller listed under an Arabic name, the check form and the
second-line page. Each language shows its own words and none of the English ones; the
Arabic pages run right to left while an MRZ line, a birth date and a time keep their
left-to-right order where they are drawn; times are the node's local time with the offset.

Runs on a real uvicorn node (tests.web.test_browser's ``serving``), in Africa/Casablanca.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from passerelle.access import AccessControl, Permission, local_operator
from passerelle.node import open_node
from passerelle.records.watchlist import read_entry
from passerelle.services.watchlist import WatchlistKeeping
from passerelle.settings import Settings
from tests.screening.conftest import passport
from tests.web.test_browser import (
    PASSWORD,
    SETUP,
    Served,
    _login,
    _seed,
    browser,  # noqa: F401  (fixture)
    serving,
)

ARABIC_NAME = "يوسف العمراني"
BIRTH_DATE = "1968-12-03"
PERSON = {
    "id": "MAR-W-0068",
    "names": [ARABIC_NAME],
    "birth_date": BIRTH_DATE,
    "nationalities": ["MAR"],
    "category": "wanted",
    "issued_by": "MAR",
}
MRZ = passport(surname="EL AMRANI", given_names="YOUSSEF", birth_date="681203", number="QK4417082")
SUPERVISOR = "supervisor.tahiri"

VERDICT_WORDS = {
    "en": ["HIT — ARREST", "Keep the traveller at the booth, calmly,", "Possible watchlist matches",
           "Date of birth", "Officer's decision", "Admit (A)", "Refuse (X)"],
    "fr": ["CONCORDANCE — INTERPELLATION", "Retenez le voyageur à l'aubette, calmement,",
           "Concordances possibles avec la liste de surveillance", "Date de naissance",
           "Décision de l'agent", "Admettre (A)", "Refuser (X)", "Volé / perdu", "Motif"],
    "ar": ["تطابق — توقيف", "أبقِ المسافر عند الكشك بهدوء", "تطابقات محتملة مع قائمة المراقبة",
           "تاريخ الازدياد", "قرار الموظف", "السماح بالعبور (A)", "الرفض (X)",
           "مسروقة / مفقودة", "الدولة المُصدِرة"],
}  # fmt: skip
"""What each language's verdict says (the banner, the headings, the fields, the buttons)."""
VERDICT_ENGLISH = [
    "Keep the traveller at the booth",
    "call the duty officer",
    "Follow the action below",
    "Possible watchlist matches",
    "Date of birth",
    "Issuing state",
    "Given names",
    "Officer's decision",
    "Admit (A)",
    "Second line (R)",
    "Refuse (X)",
    "Not the same person",
    "Stolen / lost",
    "nothing found",
    "not checked",
    "Record a seizure",
    "The travel document",
]
"""The booth's own English words, none of which a French or Arabic verdict may show."""
CHECK_FORM_ENGLISH = [
    "Machine readable zone",
    "Crossing point",
    "Direction",
    "Entry",
    "Exit",
    "Document photo",
    "Live photo",
    "Fingerprint",
    "Type the document",
    "right index finger",
]
SECOND_LINE_ENGLISH = ["Confirmations", "Referred to second line", "No admission is waiting"]


@pytest.fixture(scope="module")
def booth_node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The browser tests' node with a wanted person listed in Arabic, and a supervisor; its
    pages show the time of Africa/Casablanca."""
    tmp = tmp_path_factory.mktemp("browser-languages-booth")
    home = tmp / "home"
    settings = Settings(home=home, node="MAR")
    _seed(settings, tmp)
    with open_node(settings) as node:
        WatchlistKeeping(node).add(local_operator(Permission.MANAGE_WATCHLIST), read_entry(PERSON))
        AccessControl.for_node(node).add_user(SUPERVISOR, "supervisor", PASSWORD, by=SETUP)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PASSERELLE_TIME_ZONE", "Africa/Casablanca")
        with serving(home) as served:
            yield served


def _signed_in(browser: Browser, served: Served, name: str, language: str) -> Page:  # noqa: F811
    """A new page with ``name`` signed in, switched to ``language`` from the menu bar."""
    page = browser.new_page(viewport={"width": 1180, "height": 820})
    _login(page, served, name)
    page.wait_for_url(lambda url: "/login" not in url)
    page.locator(f'form.languages button[value="{language}"]').click()
    expect(page.locator("html")).to_have_attribute("lang", language)
    return page


def _verdict(page: Page, served: Served) -> None:
    page.goto(served.url + "/check")
    page.locator("#crossing_point").fill("TNG-MED")
    page.locator("#mrz").fill(MRZ)
    page.keyboard.press("Control+Enter")
    expect(page.locator("#verdict")).to_be_visible()


def _assert_no_english(area: Locator, english: list[str]) -> None:
    shown = area.inner_text()
    left = [words for words in english if words in shown]
    assert not left, f"untranslated: {left}"


_CHARACTER_BOXES = """(element, text) => {
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
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


def _drawn_left_to_right(element: Locator, text: str) -> None:
    """Each character of ``text`` in ``element`` is drawn right of the one before it, on one
    line: "1968-12-03" reads 1968, then 12, then 03 from the left."""
    boxes = element.evaluate(_CHARACTER_BOXES, text)
    assert boxes is not None, f"{text!r} is not in the element"
    tops = {top for top, _ in boxes}
    lefts = [left for _, left in boxes]
    assert len(tops) == 1, f"{text!r} is broken over lines"
    assert lefts == sorted(lefts), f"{text!r} is drawn reordered"
    assert lefts[0] < lefts[-1], f"{text!r} is drawn on one spot"


_CARET_AT = """([element, x, y]) => {
  const caret = document.caretPositionFromPoint(x, y);
  return caret && caret.offsetNode === element ? caret.offset : -1;
}"""


def _mrz_drawn_left_to_right(page: Page, mrz: Locator) -> None:
    """The MRZ box draws its first line from its first character at the left edge onwards:
    the characters under points taken from left to right along the line come in the line's
    order, starting with its first (a right-to-left box would put the line's trailing
    fillers ``<<<`` at the left)."""
    box = mrz.bounding_box()
    assert box is not None
    handle = mrz.element_handle()
    y = box["y"] + 14  # the first line
    offsets = [
        page.evaluate(_CARET_AT, [handle, box["x"] + x, y])
        for x in range(8, int(box["width"]) - 8, 12)
    ]
    found = [offset for offset in offsets if offset >= 0]
    assert len(found) > 10, offsets
    assert found[0] <= 1, f"the MRZ's first character is not at the left: {offsets}"
    assert found == sorted(found), f"the MRZ line is drawn reordered: {offsets}"
    assert found[-1] > 30, offsets


@pytest.mark.parametrize("language", ["ar", "fr", "en"])
def test_the_verdict_of_a_watchlist_hit_reads_in_the_officers_language(
    browser: Browser,  # noqa: F811
    booth_node: Served,
    language: str,
) -> None:
    page = _signed_in(browser, booth_node, "officer.amrani", language)
    _verdict(page, booth_node)
    verdict = page.locator("#verdict")
    expect(verdict).to_have_class("verdict verdict-hit")
    expect(page.locator("#verdict .verdict-word")).to_have_text(VERDICT_WORDS[language][0])
    main = page.locator("main")
    for words in VERDICT_WORDS[language]:
        expect(main).to_contain_text(words)
    assert page.evaluate("document.documentElement.dir") == ("rtl" if language == "ar" else "ltr")
    if language != "en":
        _assert_no_english(main, VERDICT_ENGLISH)
        expect(page).to_have_title(VERDICT_WORDS[language][0] + " · MAR")
    if language == "ar":
        fields = page.locator("#document")
        birth = fields.locator("dd").nth(7)
        expect(birth).to_have_text(BIRTH_DATE)
        _drawn_left_to_right(birth, BIRTH_DATE)
        _drawn_left_to_right(fields.locator("dd").nth(3), "QK4417082")
        candidate = page.locator(".candidates > li").first
        expect(candidate).to_contain_text(ARABIC_NAME)
        _drawn_left_to_right(candidate, "MAR-W-0068")
    page.keyboard.press("r")  # refer: the verdict offers a referral reason
    decided = page.locator("#decided")
    expect(decided).to_contain_text("+01:00")  # Casablanca's offset, not UTC
    assert "UTC" not in page.locator("main").inner_text()
    if language == "ar":
        day, time, offset = decided.inner_text().split()[-3:]  # "… في 2026-12-07 13:05 +01:00"
        for part in (day, time, offset):
            _drawn_left_to_right(decided, part)
    page.close()


def test_the_check_form_in_arabic_keeps_the_mrz_left_to_right(
    browser: Browser,  # noqa: F811
    booth_node: Served,
) -> None:
    page = _signed_in(browser, booth_node, "officer.amrani", "ar")
    page.goto(booth_node.url + "/check")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    expect(page.locator("h1")).to_have_text("المراقبة الحدودية")
    form = page.locator("#check-form")
    for words in ("المنطقة المقروءة آلياً (MRZ)", "نقطة العبور", "الدخول", "الخروج", "افحص"):
        expect(form).to_contain_text(words)
    _assert_no_english(page.locator("main"), CHECK_FORM_ENGLISH)
    assert page.evaluate(  # nothing pushes the form past the tablet's screen, to either side
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    mrz = page.locator("#mrz")
    mrz.fill(MRZ)
    _mrz_drawn_left_to_right(page, mrz)
    page.close()


def test_the_second_line_page_in_arabic_lists_the_referral_at_local_time(
    browser: Browser,  # noqa: F811
    booth_node: Served,
) -> None:
    officer = _signed_in(browser, booth_node, "officer.amrani", "fr")
    _verdict(officer, booth_node)
    officer.keyboard.press("r")
    expect(officer.locator("#second-line-referral")).to_contain_text("Orienté en deuxième ligne")
    inspection = officer.url.rsplit("/", 1)[-1].split("#")[0]
    officer.close()

    page = _signed_in(browser, booth_node, SUPERVISOR, "ar")
    page.goto(booth_node.url + "/second-line")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    expect(page.locator("h1")).to_have_text("الخط الثاني")
    expect(page.locator("main")).to_contain_text("الموجَّهون إلى الخط الثاني")
    _assert_no_english(page.locator("main"), SECOND_LINE_ENGLISH)
    row = page.locator(f"#referral-{inspection}")
    expect(row).to_contain_text("دخول")  # the direction, in words
    when = row.locator("td").first
    expect(when).to_contain_text("+01:00")
    for part in when.inner_text().split():  # the date, the time, the offset
        _drawn_left_to_right(when, part)
    page.close()
