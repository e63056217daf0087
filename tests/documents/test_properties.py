"""Properties over random and mutated MRZs (hypothesis).

The central promise: every single-character change of a valid MRZ is either
caught (the result is not well formed) or provably undetectable by ICAO 9303
itself, which happens only when the changed position is covered by no check
digit (names, state codes, sex, visas' optional data) or when the character
values differ by a multiple of ten (``0``/``A``/``K``/``U``, ``<``/``0``),
which no 7-3-1 check digit can see.
"""

from __future__ import annotations

import string
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from passerelle.documents import MrzFormat, check_mrz
from passerelle.documents.checksum import CHARACTER_VALUES
from passerelle.documents.compose import compose_mrz
from passerelle.documents.layouts import LAYOUTS
from passerelle.documents.parse import parse_fields
from tests.conftest import AS_OF

MRZ_ALPHABET = string.ascii_uppercase + string.digits + "<"
STATES = ["MAR", "DZA", "TUN", "FRA", "ESP", "SEN", "MLI", "D", "GBR", "XXA", "UNO", "EGY"]
FORMATS = [MrzFormat.TD1, MrzFormat.TD2, MrzFormat.TD3, MrzFormat.MRVA, MrzFormat.MRVB]


def yymmdd(day: date) -> str:
    return day.strftime("%y%m%d")


@st.composite
def valid_mrzs(draw: st.DrawFn) -> str:
    fmt = draw(st.sampled_from(FORMATS))
    word = st.text(string.ascii_uppercase, min_size=1, max_size=10)
    birth = draw(st.dates(date(1930, 1, 1), AS_OF - timedelta(days=1)))
    expiry = draw(st.dates(birth + timedelta(days=1), date(2036, 11, 25)))
    optional_size = {MrzFormat.TD1: 15, MrzFormat.TD3: 14, MrzFormat.TD2: 7}.get(fmt, 8)
    return compose_mrz(
        fmt,
        document_number=draw(
            st.text(string.ascii_uppercase + string.digits, min_size=1, max_size=9)
        ),
        birth_date=draw(st.sampled_from([yymmdd(birth), yymmdd(birth)[:4] + "<<", "<<<<<<"])),
        expiry_date=yymmdd(expiry),
        surname=" ".join(draw(st.lists(word, min_size=1, max_size=2))),
        given_names=" ".join(draw(st.lists(word, max_size=2))),
        issuing_state=draw(st.sampled_from([s for s in STATES if not s.startswith("XX")])),
        nationality=draw(st.sampled_from(STATES)),
        sex=draw(st.sampled_from("MF<")),
        optional_data=draw(
            st.text(string.ascii_uppercase + string.digits, max_size=optional_size - 1)
        ),
    )


def undetectable_by_the_standard(mrz: str, offset: int, new: str) -> bool:
    layout = next(
        lay for lay in LAYOUTS.values() if lay.size == len(mrz) and mrz[0] in lay.first_letters
    )
    covered = set()
    for check in parse_fields(mrz, layout).checks:
        covered.update(check.offsets())
        covered.add(check.digit)
    if offset not in covered:
        return True
    return (CHARACTER_VALUES[new] - CHARACTER_VALUES[mrz[offset]]) % 10 == 0


def assert_caught_or_undetectable(text: str, offset: int, new: str) -> None:
    mrz = text.replace("\n", "")
    width = len(text.split("\n")[0])
    mutated = mrz[:offset] + new + mrz[offset + 1 :]
    lines = "\n".join(mutated[i : i + width] for i in range(0, len(mutated), width))
    result = check_mrz(lines, as_of=AS_OF)
    if result.well_formed:
        assert undetectable_by_the_standard(mrz, offset, new), (
            f"{mrz[offset]!r}->{new!r} at {offset} went unseen:\n{lines}"
        )


@given(valid_mrzs())
def test_composed_mrz_is_well_formed(text: str) -> None:
    result = check_mrz(text, as_of=AS_OF)
    assert result.well_formed, result.findings


@given(valid_mrzs(), st.data())
@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
def test_single_character_change_is_caught_or_undetectable(text: str, data: st.DataObject) -> None:
    size = len(text.replace("\n", ""))
    offset = data.draw(st.integers(0, size - 1))
    new = data.draw(
        st.sampled_from(MRZ_ALPHABET).filter(lambda c: c != text.replace("\n", "")[offset])
    )
    assert_caught_or_undetectable(text, offset, new)


def test_every_change_of_every_icao_specimen_is_caught_or_undetectable(
    icao_specimens: dict[str, str],
) -> None:
    for text in icao_specimens.values():
        mrz = text.replace("\n", "")
        for offset, old in enumerate(mrz):
            for new in MRZ_ALPHABET:
                if new != old:
                    assert_caught_or_undetectable(text, offset, new)


@given(st.text())
def test_no_exception_escapes_on_any_string(text: str) -> None:
    result = check_mrz(text, as_of=AS_OF)
    assert isinstance(result.as_dict(), dict)


@given(valid_mrzs(), st.data())
def test_no_exception_escapes_on_mutated_mrz(text: str, data: st.DataObject) -> None:
    chars = list(text)
    for _ in range(data.draw(st.integers(1, 4))):
        index = data.draw(st.integers(0, len(chars) - 1))
        action = data.draw(st.sampled_from(["replace", "delete", "insert"]))
        char = data.draw(st.characters())
        if action == "replace":
            chars[index] = char
        elif action == "delete":
            del chars[index]
        else:
            chars.insert(index, char)
    result = check_mrz("".join(chars), as_of=AS_OF)
    assert isinstance(result.well_formed, bool)
