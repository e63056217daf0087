"""The catalogues hold every string the sources mark, translated, with the same placeholders."""

from __future__ import annotations

import io

import pytest
from babel.messages.pofile import read_po

from passerelle.i18n import gettext, translations, use_language
from passerelle.i18n.catalogues import LOCALE_FOLDER
from passerelle.i18n.messages import TRANSLATED, areas, check, extract


def test_every_marked_string_is_translated_in_arabic_and_french() -> None:
    problems = check()
    assert not problems, "\n".join(str(problem) for problem in problems[:40]) + (
        f"\n... {len(problems)} problems in all: run `make messages` and translate them"
    )


def test_every_area_is_claimed_and_holds_strings() -> None:
    templates, orphans = extract()
    assert not orphans
    assert {area.name for area in areas()} >= {"common", "booth", "analysis"}
    assert len(templates["common"]) > 10


@pytest.mark.parametrize("language", TRANSLATED)
def test_catalogues_parse_and_say_their_language(language: str) -> None:
    files = sorted((LOCALE_FOLDER / language / "LC_MESSAGES").glob("*.po"))
    assert files
    for po_file in files:
        catalog = read_po(io.BytesIO(po_file.read_bytes()))
        assert str(catalog.locale) == language


def test_the_menu_reads_in_the_language_being_written() -> None:
    with use_language("fr"):
        assert gettext("Border check") == "Contrôle frontière"
    with use_language("ar"):
        assert gettext("Border check") == "المراقبة الحدودية"
    assert gettext("Border check") == "Border check"
    assert translations("en").gettext("Log out") == "Log out"


def test_arabic_plurals_have_six_forms() -> None:
    catalog = read_po(io.BytesIO((LOCALE_FOLDER / "ar/LC_MESSAGES/common.po").read_bytes()))
    assert catalog.num_plurals == 6
