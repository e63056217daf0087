"""Inputs a hostile or careless sender may give: any JSON, and valid records mutated.

``json_values()`` draws any JSON document (with the awkward corners: huge integers,
``NaN``-free floats, control and bidi characters, deep nesting kept small);
``mutated(record)`` starts from a record a parser accepts and drops fields, replaces
their values with any JSON, or adds an unknown field, so that the parser's every
check is reached, not only its first.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hypothesis import strategies as st

__all__ = ["json_objects", "json_values", "mutated", "texts"]

texts = st.one_of(
    st.text(max_size=40),
    st.text(
        st.sampled_from("AZaz09 <-'.,/\u200b\u202e\u0000\n\t\u00e9\u0645\u062d\u0645\u062f"),
        max_size=40,
    ),
)
"""Text as people and programs type it: any code point, or the characters parsers care about."""

_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=2**63 - 2, max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    texts,
)


def json_values() -> st.SearchStrategy[Any]:
    """Any JSON value: scalars, lists and objects, a few levels deep."""
    return st.recursive(
        _scalars,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
        max_leaves=12,
    )


def json_objects() -> st.SearchStrategy[dict[str, Any]]:
    """Any JSON object."""
    return st.dictionaries(texts, json_values(), max_size=6)


@st.composite
def mutated(draw: st.DrawFn, record: Mapping[str, Any]) -> dict[str, Any]:
    """``record`` with some fields dropped, some given any JSON value, maybe one unknown added."""
    changed = dict(record)
    for key in record:
        action = draw(st.sampled_from(["keep", "keep", "drop", "replace", "text"]))
        if action == "drop":
            del changed[key]
        elif action == "replace":
            changed[key] = draw(json_values())
        elif action == "text":
            changed[key] = draw(texts)
    if draw(st.booleans()) and draw(st.booleans()):
        changed[draw(texts)] = draw(json_values())
    return changed
