"""1:1 comparison with BOZORTH3: one finger matches itself, different fingers do not."""

from __future__ import annotations

import dataclasses
import itertools

import pytest

from passerelle.biometrics.fingerprint import (
    MATCH_THRESHOLD,
    FingerprintTemplate,
    compare,
    compare_prepared,
    decode_record,
    prepare,
    verify,
)
from passerelle.biometrics.fingerprint.compare import _bozorth_layout
from passerelle.exc import InvalidInput

Templates = dict[int, list[FingerprintTemplate]]


def test_impressions_of_one_finger_match(templates: Templates) -> None:
    for seed, prints in templates.items():
        for a, b in itertools.combinations(prints, 2):
            outcome = verify(a, b)
            assert outcome.is_match, (seed, outcome.score)
            assert outcome.threshold == MATCH_THRESHOLD


def test_impressions_of_different_fingers_do_not_match(templates: Templates) -> None:
    for (s1, p1), (s2, p2) in itertools.combinations(templates.items(), 2):
        outcome = verify(p1[0], p2[1])
        assert not outcome.is_match, (s1, s2, outcome.score)


def test_mated_scores_stand_well_clear_of_non_mated_ones(templates: Templates) -> None:
    mated = [compare(a, b) for p in templates.values() for a, b in itertools.combinations(p, 2)]
    others = [compare(p1[0], p2[0]) for p1, p2 in itertools.combinations(templates.values(), 2)]
    assert min(mated) > 2 * max(others)


def test_prepared_templates_score_as_the_plain_call(templates: Templates) -> None:
    a, b = templates[103][0], templates[103][2]
    assert compare_prepared(prepare(a), prepare(b)) == compare(a, b)


def test_bozorth3_receives_minutiae_sorted_by_x(templates: Templates) -> None:
    layout = _bozorth_layout(templates[104][0].iso)
    xs = [((layout[i] & 0x3F) << 8) | layout[i + 1] for i in range(26, len(layout), 6)]
    assert xs == sorted(xs)
    assert len(xs) == templates[104][0].minutiae_count
    # equal reliabilities, so a sort by reliability (newer bindings) keeps that order
    assert {layout[i + 5] for i in range(26, len(layout), 6)} == {63}


def test_template_from_another_extractor_is_never_compared(templates: Templates) -> None:
    ours = templates[101][0]
    foreign = FingerprintTemplate.from_iso(
        ours.to_iso(), extractor="vendor-x-minutiae", extractor_version="3.1"
    )
    with pytest.raises(InvalidInput) as refused:
        compare(ours, foreign)
    assert refused.value.field == "reference.extractor"
    assert "vendor-x-minutiae" in refused.value.reason
    with pytest.raises(InvalidInput) as refused:
        verify(foreign, ours)
    assert refused.value.field == "probe.extractor"


def test_template_from_another_release_series_of_the_bindings_is_refused(
    templates: Templates,
) -> None:
    older = dataclasses.replace(templates[101][0], extractor_version="0.0.9")
    with pytest.raises(InvalidInput, match=r"0\.1\.x templates only|\.x templates only"):
        compare(older, templates[101][1])


def test_a_patch_release_of_the_bindings_is_still_compared(templates: Templates) -> None:
    ours = templates[101][0]
    series = ".".join(ours.extractor_version.split(".")[:2])
    patched = dataclasses.replace(ours, extractor_version=f"{series}.99")
    assert compare(patched, templates[101][1]) == compare(ours, templates[101][1])


def test_record_keeps_minutiae_the_matcher_reads(templates: Templates) -> None:
    record = decode_record(templates[102][0].iso)
    assert len(record.minutiae) == templates[102][0].minutiae_count
