"""Issuing states and nationalities are named in the page reader's language: the ISO states
from the Unicode CLDR's names (through the alpha-3 -> alpha-2 table), ICAO's own codes from
the catalogues; English keeps the names the API and the CLI write."""

from __future__ import annotations

import json

import pytest
from babel import Locale
from playwright.sync_api import Browser, expect

from passerelle.documents.alpha2 import ISO_ALPHA2
from passerelle.documents.states import ICAO_SPECIFIC, ISO_ALPHA3, state_name, stated
from passerelle.i18n import N_, use_language
from passerelle.i18n.wording import State, Wording, worded
from passerelle.web.wording import written, written_text
from passerelle.web.wording_states import state_name_in, state_words_in
from tests.screening.conftest import STOLEN_NUMBER, passport
from tests.web.test_browser import (
    Served,
    _login,
    browser,  # noqa: F401  (fixture)
    served,  # noqa: F401  (fixture)
)

REPORTED = N_("reported by %(state)s")


def test_every_iso_alpha3_code_has_its_alpha2_and_no_other() -> None:
    assert set(ISO_ALPHA2) == set(ISO_ALPHA3)
    assert len(set(ISO_ALPHA2.values())) == len(ISO_ALPHA2)
    assert all(len(two) == 2 and two.isupper() for two in ISO_ALPHA2.values())
    assert (ISO_ALPHA2["MAR"], ISO_ALPHA2["TUN"], ISO_ALPHA2["DZA"], ISO_ALPHA2["BEL"]) == (
        "MA", "TN", "DZ", "BE",
    )  # fmt: skip


@pytest.mark.parametrize("language", ["ar", "fr", "en"])
def test_babel_names_every_alpha2_in_each_language(language: str) -> None:
    territories = Locale.parse(language).territories
    assert [code for code, two in ISO_ALPHA2.items() if two not in territories] == []


def test_a_state_is_named_in_the_readers_language() -> None:
    assert state_name_in("MAR", "fr") == "Maroc"
    assert state_name_in("MAR", "ar") == "المغرب"
    assert state_name_in("DZA", "ar") == "الجزائر"
    assert state_name_in("BEL", "fr") == "Belgique"
    assert state_name_in("D", "fr") == "Allemagne"  # ICAO's spelling of Germany
    assert state_name_in("ZZZ", "fr") is None


def test_english_keeps_the_names_the_api_writes() -> None:
    for code in [*ISO_ALPHA3, *ICAO_SPECIFIC]:
        assert state_name_in(code, "en") == state_name(code)


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_icao_own_codes_are_named_through_the_catalogue(language: str) -> None:
    for code, english in ICAO_SPECIFIC.items():
        named = state_name_in(code, language)
        assert named, code
        if (language, code) not in {("fr", "XPO"), ("fr", "RKS")}:  # alike in French
            assert named != english, (code, named)
    assert state_name_in("XXA", "fr") == "apatride"
    assert state_name_in("XXA", "ar") == "شخص عديم الجنسية"


def test_a_sentence_names_its_state_in_the_readers_language_and_its_english_is_unchanged() -> None:
    said = worded(REPORTED, state=stated("MAR"))
    assert said.english == "reported by Morocco (MAR)"
    with use_language("en"):
        assert written_text(said) == "reported by Morocco (MAR)"
    with use_language("fr"):
        assert written_text(said) == "reported by Maroc (MAR)"
    with use_language("ar"):
        assert "<bdi>المغرب (MAR)</bdi>" in str(written(said))  # isolated as every value
    assert stated("ZZZ") == "ZZZ"
    assert stated("D", with_code=False) == State("D", "Germany", with_code=False)


def test_a_stored_state_reads_back_as_a_state() -> None:
    said = worded(REPORTED, state=stated("TUN"))
    stored = json.loads(json.dumps(said.as_dict()))
    assert Wording.from_dict(stored) == said
    with use_language("ar"):
        assert "تونس (TUN)" in written_text(Wording.from_dict(stored))


def test_a_page_shows_a_state_code_with_its_name() -> None:
    with use_language("fr"):
        assert state_words_in("BEL") == "Belgique (BEL)"
        assert state_words_in("ZZZ") == "ZZZ"
        assert state_words_in(None) is None


STATES_SHOWN = {"ar": "المغرب (MAR)", "fr": "Maroc (MAR)", "en": "Morocco (MAR)"}


@pytest.mark.parametrize("language", ["ar", "fr", "en"])
def test_the_verdict_of_a_stolen_passport_names_the_state_in_the_officers_language(
    browser: Browser,  # noqa: F811
    served: Served,  # noqa: F811
    language: str,
) -> None:
    page = browser.new_page(viewport={"width": 1180, "height": 820})
    _login(page, served, "officer.amrani")
    page.wait_for_url(lambda url: "/login" not in url)
    page.locator(f'form.languages button[value="{language}"]').click()
    expect(page.locator("html")).to_have_attribute("lang", language)
    page.goto(served.url + "/check")
    page.locator("#crossing_point").fill("TNG-MED")
    page.locator("#mrz").fill(passport(number=STOLEN_NUMBER))
    page.keyboard.press("Control+Enter")
    expect(page.locator("#verdict")).to_be_visible()
    named = STATES_SHOWN[language]
    reasons = page.locator("#reasons").inner_text()
    assert reasons.count(named) >= 2, reasons  # who reported it, and whom to call
    assert named in page.locator("#document").inner_text()  # issuing state, nationality
    if language != "en":
        assert "Morocco" not in page.locator("main").inner_text()
    page.close()
