"""The name engine's weights as one structure: the defaults score as the engine always did."""

from __future__ import annotations

import inspect
import pickle
from dataclasses import fields, replace

import pytest

from passerelle.exc import InvalidInput
from passerelle.names import (
    DEFAULT_THRESHOLD,
    DEFAULT_WEIGHTS,
    NameQuery,
    NameWeights,
    ScreeningIndex,
)
from passerelle.names.compare import BirthDate, calibrated, compare_birth_dates
from tests.names.test_screening import WATCHLIST

# Scores the engine gave before its numbers moved into NameWeights (inline constants in
# names/compare.py and names/index.py), recorded to the last bit.
BEFORE: list[tuple[NameQuery, list[tuple[str, float]]]] = [
    (
        NameQuery("BENALI<<MOHAMED", "1985-03-02", "MAR", "M"),
        [("W1", 0.9132094369826488), ("W2", 0.032404003970529)],
    ),
    (
        NameQuery("Mohamed Ben Ali", "1990-07-14"),
        [("W2", 0.8645336962852913), ("W1", 0.04122811920174942)],
    ),
    (
        NameQuery("Mohamed Ben Ali", "1985-02-03", "TUN", "F"),
        [("W1", 0.3423808749441992), ("W2", 0.017609806406579928)],
    ),
    (
        NameQuery("Mohamed Ben Ali Idrissi", "1986-03-02"),
        [("W1", 0.463432246391461), ("W2", 0.01990784659258302)],
    ),
    (NameQuery("Zerhouni Youcef", "1979-06-01"), [("W3", 0.7788881083121311)]),
    (NameQuery("Fatimazahra Idrissi", "1992-05-11"), [("W4", 0.9405836642755611)]),
    (NameQuery("عبد القادر بن موسى", "1968"), [("W5", 0.8129355359594765)]),
    (NameQuery("Aminata Taore", "1988-01-21"), [("W6", 0.4552772396141907)]),
    (NameQuery("Karim Hadad", nationality="LBN"), [("W7", 0.6565422417746768)]),
    (NameQuery("ZERHOUNI<<YOUSS", "1980"), [("W3", 0.3108455235576967)]),
]


@pytest.fixture(scope="module")
def index() -> ScreeningIndex:
    return ScreeningIndex.build(WATCHLIST)


@pytest.mark.parametrize(("query", "scores"), BEFORE)
def test_the_default_weights_score_exactly_as_the_inline_numbers_did(
    index: ScreeningIndex, query: NameQuery, scores: list[tuple[str, float]]
) -> None:
    assert [(m.id, m.score) for m in index.screen(query, top=3)] == scores


def test_an_index_is_built_with_the_default_weights_unless_given_others() -> None:
    assert ScreeningIndex.build(WATCHLIST).weights is DEFAULT_WEIGHTS
    lenient = replace(DEFAULT_WEIGHTS, alert_bits=15.0)
    assert ScreeningIndex.build(WATCHLIST, weights=lenient).weights == lenient


def test_a_lower_alert_bits_raises_every_score() -> None:
    query = NameQuery("Mohamed Ben Ali")
    default = ScreeningIndex.build(WATCHLIST).screen(query, top=1)[0]
    lenient = replace(DEFAULT_WEIGHTS, alert_bits=12.0)
    swept = ScreeningIndex.build(WATCHLIST, weights=lenient).screen(query, top=1)[0]
    assert default.score < DEFAULT_THRESHOLD <= swept.score


def test_a_date_weight_changes_that_evidence_only() -> None:
    same = BirthDate(1985, 3, 2)
    heavier = replace(DEFAULT_WEIGHTS, birth_same_date_bits=14.0)
    assert compare_birth_dates(same, same).bits == 11.0
    assert compare_birth_dates(same, same, weights=heavier).bits == 14.0
    assert compare_birth_dates(same, BirthDate(1985), weights=heavier).bits == 4.0


def test_the_threshold_is_reached_at_alert_bits_whatever_they_are() -> None:
    weights = replace(DEFAULT_WEIGHTS, alert_bits=25.0, spread_bits=2.0)
    assert round(calibrated(25.0, weights=weights), 9) == DEFAULT_THRESHOLD


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"spread_bits": 0.0}, "spread_bits"),
        ({"min_coverage": 1.5}, "min_coverage"),
        ({"candidates": 0}, "candidates"),
        ({"similarity_floor": 1.0}, "similarity_floor"),
        ({"variant_min_similarity": 0.99}, "variant_min_similarity"),
    ],
)
def test_an_unusable_weight_is_refused_naming_it(change: dict[str, float], field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        NameWeights(**change)  # type: ignore[arg-type]
    assert refused.value.field == field


def test_every_weight_has_a_docstring() -> None:
    assert NameWeights.field_names() == tuple(f.name for f in fields(NameWeights))
    text = inspect.getsource(NameWeights)
    for name in NameWeights.field_names():
        declared = text.split(f"\n    {name}:", 1)[1]
        assert declared.split("\n", 2)[1].strip().startswith('"""'), f"{name} has no docstring"


def test_an_index_keeps_its_weights_through_pickling() -> None:
    weights = replace(DEFAULT_WEIGHTS, candidates=10)
    index = ScreeningIndex.build(WATCHLIST, weights=weights)
    assert pickle.loads(pickle.dumps(index)).weights == weights
