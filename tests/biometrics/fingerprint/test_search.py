"""1:N search: the probe's finger comes first; removed fingers are no longer found."""

from __future__ import annotations

import pytest

from passerelle.biometrics.fingerprint import (
    FingerprintGallery,
    FingerprintTemplate,
)
from passerelle.exc import InvalidInput

Templates = dict[int, list[FingerprintTemplate]]


@pytest.fixture
def gallery(templates: Templates) -> FingerprintGallery:
    gallery = FingerprintGallery(shortlist=3)
    gallery.add_many((f"finger-{seed}", prints[0]) for seed, prints in templates.items())
    return gallery


def test_probe_finds_its_finger_first(gallery: FingerprintGallery, templates: Templates) -> None:
    for seed, prints in templates.items():
        found = gallery.search(prints[1])
        assert found[0].id == f"finger-{seed}"
        assert found[0].is_match
        assert not any(c.is_match for c in found[1:])


def test_shortlist_ranks_the_mate_first(gallery: FingerprintGallery, templates: Templates) -> None:
    for seed, prints in templates.items():
        assert gallery.shortlist(prints[2], 1)[0][0] == f"finger-{seed}"


def test_removed_finger_is_no_longer_found(
    gallery: FingerprintGallery, templates: Templates
) -> None:
    gallery.remove("finger-103")
    assert "finger-103" not in gallery
    assert len(gallery) == 3
    assert all(c.id != "finger-103" for c in gallery.search(templates[103][1]))


def test_finger_enrolled_after_the_index_was_built_is_found(
    gallery: FingerprintGallery, templates: Templates
) -> None:
    gallery.search(templates[101][1])  # builds the main index
    gallery.remove("finger-102")
    gallery.add("finger-102-again", templates[102][2])
    found = gallery.search(templates[102][1])
    assert found[0].id == "finger-102-again"
    assert found[0].is_match


def test_adding_an_id_again_replaces_its_template(
    gallery: FingerprintGallery, templates: Templates
) -> None:
    gallery.add("finger-101", templates[104][2])
    assert len(gallery) == 4
    assert gallery.search(templates[104][1])[0].is_match
    assert not any(c.is_match and c.id == "finger-101" for c in gallery.search(templates[101][1]))


def test_removing_an_unknown_id_says_so(gallery: FingerprintGallery) -> None:
    with pytest.raises(InvalidInput) as refused:
        gallery.remove("finger-999")
    assert refused.value.field == "id"


def test_empty_gallery_finds_nothing(templates: Templates) -> None:
    assert FingerprintGallery().search(templates[101][0]) == []


def test_probe_from_another_extractor_is_refused(
    gallery: FingerprintGallery, templates: Templates
) -> None:
    foreign = FingerprintTemplate.from_iso(
        templates[101][1].to_iso(), extractor="vendor-x-minutiae", extractor_version="3.1"
    )
    with pytest.raises(InvalidInput) as refused:
        gallery.search(foreign)
    assert refused.value.field == "probe.extractor"
    with pytest.raises(InvalidInput):
        gallery.add("foreign", foreign)
