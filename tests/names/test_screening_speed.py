"""What screening fast must not change: the same reasons, order and scores as the slow way."""

from __future__ import annotations

import pytest

from passerelle.names import NameQuery, ScreenedPerson, ScreeningIndex, parse_name
from passerelle.names.compare import (
    BirthDate,
    Similarity,
    align_names,
    alignment_reasons,
    compare_birth_dates,
    compare_names,
    compare_nationality,
    compare_sex,
    name_items,
)

NAMESAKES = [
    ScreenedPerson(f"W{number:02d}", ("Mohamed Ben Ali",), f"19{60 + number}", ("MAR",), "M")
    for number in range(30)
] + [
    ScreenedPerson("X1", ("Mohammed Benali", "محمد بن علي"), "1975-03-02", ("MAR",), "M"),
    ScreenedPerson("X2", ("Mohamed Ben Ali El Idrissi",), None, ("TUN",), None),
    ScreenedPerson("X3", ("Fatima Zahra Ben Ali",), "1975", ("MAR",), "F"),
]
QUERIES = [
    NameQuery("BENALI<<MOHAMED", "1975-03-02", "MAR", "M"),
    NameQuery("Mohamed Ben Ali"),
    NameQuery("BEN<ALI<<FATIMAZAHRA", "1975-01-01", "MAR", "F"),
    NameQuery("Mohamed Ben Ali Idrisi", None, "TUN"),
]


@pytest.fixture(scope="module")
def index() -> ScreeningIndex:
    return ScreeningIndex.build(NAMESAKES)


@pytest.mark.parametrize("query", QUERIES)
def test_the_top_few_are_the_head_of_the_full_ranking(
    index: ScreeningIndex, query: NameQuery
) -> None:
    everyone = index.screen(query, top=len(NAMESAKES), exhaustive=True)
    assert [(m.id, m.score) for m in everyone] == sorted(
        ((m.id, m.score) for m in everyone), key=lambda pair: (-pair[1], pair[0])
    )
    for top in (1, 3, 5):
        assert index.screen(query, top=top, exhaustive=True) == everyone[:top]


@pytest.mark.parametrize("query", QUERIES)
def test_reasons_are_written_as_a_full_comparison_writes_them(
    index: ScreeningIndex, query: NameQuery
) -> None:
    weights, default = index._weights, index._default_weight
    query_parts = parse_name(query.name)
    for match in index.screen(query, top=5, exhaustive=True):
        person = next(p for p in NAMESAKES if p.id == match.id)
        record_parts = parse_name(match.name)
        expected = compare_names(
            name_items(query_parts, weights, default),
            name_items(record_parts, weights, default),
            len(query_parts),
            len(record_parts),
        )[2]
        for evidence in (
            compare_birth_dates(
                BirthDate.parse(query.birth_date), BirthDate.parse(person.birth_date)
            ),
            compare_nationality(query.nationality, person.nationalities),
            compare_sex(query.sex, person.sex),
        ):
            expected.extend(evidence.reasons)
        assert list(match.reasons) == expected


def test_remembered_part_similarities_give_the_same_alignment() -> None:
    weights: dict[str, float] = {}
    query = parse_name("BENALI<<MOHAMMED<FATIMA")
    query_items = name_items(query, weights, 10.0)
    similar: Similarity = {}
    for name in ("Mohamed Ben Ali", "Fatima Zahra Benali", "Mohammed Fatima Ben-Ali", "Ali"):
        record = parse_name(name)
        record_items = name_items(record, weights, 10.0)
        plain = align_names(query_items, record_items, len(query), len(record))
        for _ in range(2):  # the second time from the remembered similarities
            kept = align_names(query_items, record_items, len(query), len(record), similar)
            assert (kept.bits, kept.coverage) == (plain.bits, plain.coverage)
            assert alignment_reasons(kept) == alignment_reasons(plain)
        bits, coverage, reasons = compare_names(query_items, record_items, len(query), len(record))
        assert (bits, coverage, reasons) == (plain.bits, plain.coverage, alignment_reasons(plain))
    assert similar


def test_persons_sharing_a_name_share_its_parts() -> None:
    index = ScreeningIndex.build(NAMESAKES)
    first, second = index._persons.named(0), index._persons.named(1)
    assert first.forms[0] is second.forms[0]
    assert first.items[0] is second.items[0]
