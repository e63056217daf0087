"""Names in any script, MRZ form or garbage: parsed, folded and screened, never a crash.

A name reaches the engine from a document, an officer's keyboard, a watchlist
file or a partner's query; whatever its characters, parsing gives parts,
folding is stable, and screening gives scores between 0 and 1.
"""

from __future__ import annotations

import math

from hypothesis import example, given
from hypothesis import strategies as st

from passerelle.names import NameQuery, ScreenedPerson, ScreeningIndex, parse_name
from passerelle.names.arabic import icao_transliteration, strip_arabic_marks
from passerelle.names.latin import fold_latin
from passerelle.records.alerts import fold_name, person_key
from tests.fuzzing.budget import FUZZ
from tests.fuzzing.strategies import texts

WATCHLIST = ScreeningIndex.build(
    [
        ScreenedPerson("W1", ("Mohamed Ben Ali", "محمد بن علي"), "1985-03-02", ("MAR",), "M"),
        ScreenedPerson("W2", ("Fatima Zahra El Idrissi",), "1992-11-05", ("MAR",), "F"),
        ScreenedPerson("W3", ("BENALI<<MOHAMED",), "1979", ("DZA",), "M"),
    ]
)

names = st.one_of(
    texts,
    st.lists(texts, max_size=3).map("<<".join),
    st.text(st.characters(categories=["Lo", "Mn", "Cf", "Zs", "Nd"]), max_size=30),
)


@FUZZ
@given(names)
@example("<" * 39)
@example("\u200b\u202e")
@example("ال ال")
def test_any_text_parses_into_parts_and_folds_stably(text: str) -> None:
    parts = parse_name(text)
    assert parse_name(text) == parts
    assert all(part.shown for part in parts)
    folded = fold_latin(text)
    assert fold_latin(folded) == folded
    icao_transliteration(text)
    strip_arabic_marks(text)
    fold_name(text)
    person_key(text, None)


@FUZZ
@given(names, st.one_of(st.none(), texts), st.one_of(st.none(), texts), st.one_of(st.none(), texts))
@example("Mohamed Ben Ali", "1985-99-99", "MAR", "M")
@example("Mohamed", "99999999999999999999", "", "")
def test_any_query_screens_to_scores_between_zero_and_one(
    name: str, birth_date: str | None, nationality: str | None, sex: str | None
) -> None:
    query = NameQuery(name, birth_date=birth_date, nationality=nationality, sex=sex)
    for match in WATCHLIST.screen(query, threshold=0.0):
        assert 0.0 <= match.score <= 1.0
        assert not math.isnan(match.score)
