"""Travel documents, as read and as typed: any text is checked or refused, never a crash.

``check_mrz`` and ``read_mrz`` take whatever a reader or an officer sends and
answer a :class:`DocumentCheck` with findings (a malformed MRZ is a finding, not
an error); ``typed_document`` refuses a bad field with ``InvalidInput`` naming
``visual_zone.<field>``, and what it accepts it gives back as typed.
"""

from __future__ import annotations

import string
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from passerelle.documents import check_mrz, check_typed, read_mrz, split_documents, typed_document
from passerelle.exc import InvalidDocument, InvalidInput
from tests.conftest import AS_OF
from tests.fuzzing.budget import FUZZ
from tests.fuzzing.refusals import assert_names_a_field
from tests.fuzzing.strategies import json_values, mutated, texts

MRZ_CHARACTERS = string.ascii_uppercase + string.digits + "<"
TD3 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"

mrz_like = st.one_of(
    texts,
    st.lists(st.text(MRZ_CHARACTERS + " «\u200b", min_size=28, max_size=46), max_size=4).map(
        "\n".join
    ),
    st.builds(
        lambda offset, new: TD3[:offset] + new + TD3[offset + 1 :],
        st.integers(0, len(TD3) - 1),
        st.characters(),
    ),
)

VALID_VISUAL_ZONE = {
    "document_code": "P",
    "issuing_state": "MAR",
    "document_number": "ZX9876543",
    "surname": "Lamrani",
    "given_names": "Salma",
    "birth_date": "1990-04-21",
    "nationality": "MAR",
    "sex": "F",
    "expiry_date": "2031-07-14",
}


@FUZZ
@given(mrz_like)
@example("\n\n\n")
@example("<" * 90)
def test_any_text_read_as_an_mrz_gives_a_check_or_a_refusal_naming_the_field(text: str) -> None:
    check = check_mrz(text, as_of=AS_OF)
    assert check.well_formed or check.errors
    try:
        assert read_mrz(text, as_of=AS_OF) == check
    except InvalidDocument as refused:
        assert not check.well_formed
        assert_names_a_field(refused.field, refused.reason)
    split_documents(text)


@FUZZ
@given(st.one_of(mutated(VALID_VISUAL_ZONE), st.dictionaries(texts, json_values(), max_size=4)))
@example({**VALID_VISUAL_ZONE, "birth_date": "2040-01-01"})
@example({**VALID_VISUAL_ZONE, "\x1f": "P"})  # was named raw: 'visual_zone.\x1f'
def test_a_typed_visual_zone_is_accepted_as_typed_or_refused_naming_its_field(
    fields: dict[str, Any],
) -> None:
    try:
        typed = typed_document(fields)
    except InvalidInput as refused:
        assert_names_a_field(refused.field, refused.reason, within="visual_zone.")
        return
    assert typed_document(typed.as_dict()) == typed
    assert check_typed(typed, as_of=AS_OF).well_formed
