"""Reading names: the spellings one person's name takes share their parts' skeletons."""

from __future__ import annotations

import pytest

from passerelle.names import parse_name
from passerelle.names.arabic import icao_transliteration


def skeletons(name: str) -> list[str]:
    return [part.skeleton for part in parse_name(name)]


@pytest.mark.parametrize(
    "spellings",
    [
        ["Mohamed", "Muhammad", "Mohammed", "Mohamad", "Mhamed", "محمد"],
        ["Youssef", "Yusuf", "Youcef", "Yousef", "يوسف"],
        ["Abdelkader", "Abd al-Qadir", "Abdul Kader", "Abd El Kader", "عبد القادر", "عبدالقادر"],
        ["Abderrahmane", "Abd al-Rahman", "Abdel Rahman", "عبد الرحمن"],
        ["Hicham", "Hisham", "هشام"],
        ["Djamel", "Jamel"],
        ["Oualid", "Walid", "وليد"],
        ["Fatima", "Fatimah", "فاطمة"],
        ["Noureddine", "Nour Eddine", "Nour el-Din", "نور الدين"],
        ["Ben Ali", "Benali", "Ben-Ali", "Bin Ali", "Ibn Ali", "بن علي"],
        ["El Idrissi", "Idrissi", "Al-Idrissi", "الإدريسي"],
        ["Es-Sayed", "Sayed", "Es Sayed"],
        ["Abu Bakr", "Aboubakr", "Abou Bakr", "أبو بكر"],
    ],
)
def test_spellings_of_one_name_share_a_skeleton(spellings: list[str]) -> None:
    assert len({tuple(skeletons(spelling)) for spelling in spellings}) == 1, [
        (spelling, skeletons(spelling)) for spelling in spellings
    ]


def test_different_names_keep_different_skeletons() -> None:
    assert skeletons("Ahmed") != skeletons("Mohamed")
    assert skeletons("Hassan") != skeletons("Hussein Ali")
    assert skeletons("Karim") != skeletons("Kamal")


def test_an_mrz_name_reads_surname_first_with_ocr_digits_put_back() -> None:
    assert skeletons("BENALI<<MOHAMED") == skeletons("Ben Ali Mohamed")
    assert skeletons("BENAL1<<M0HAMED") == skeletons("Benali Mohamed")


def test_a_name_filling_the_td3_field_is_marked_truncated() -> None:
    field = "ABDELKADER<<MOHAMED<AMINE<ABDERRAHMANEB"
    assert len(field) == 39
    parts = parse_name(field)
    assert parts[-1].truncated
    assert not any(part.truncated for part in parse_name("BENALI<<MOHAMED"))


def test_a_glued_article_keeps_both_readings() -> None:
    (part,) = parse_name("Elidrissi")
    assert (part.skeleton, part.core, part.core_is_article) == ("ldrs", "drs", True)


def test_arabic_words_get_a_latin_reading_when_known() -> None:
    assert [part.latin for part in parse_name("محمد بن علي")] == ["mohamed", "benali"]


def test_icao_transliteration_of_arabic_script() -> None:
    assert icao_transliteration("يوسف") == "YWSF"
