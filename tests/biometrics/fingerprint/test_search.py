"""1:N search: the probe's finger comes first; removed fingers are no longer found."""

from __future__ import annotations

from pathlib import Path

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


def test_saved_gallery_reloads_and_answers_the_same(
    gallery: FingerprintGallery, templates: Templates, tmp_path: Path
) -> None:
    gallery.search(templates[101][1])  # main index built
    gallery.remove("finger-103")
    gallery.add("finger-104-bis", templates[104][2])  # pending in the small index
    path = tmp_path / "prints.gallery"
    gallery.save(path)
    restored = FingerprintGallery.load(path)
    assert len(restored) == len(gallery) == 4
    assert "finger-103" not in restored
    for seed in (101, 102, 103, 104):
        probe = templates[seed][1]
        assert restored.search(probe) == gallery.search(probe)
    assert all(c.id != "finger-103" for c in restored.search(templates[103][1]))
    restored.add("finger-103", templates[103][0])  # a reloaded gallery still takes changes
    assert restored.search(templates[103][1])[0].id == "finger-103"


def test_empty_gallery_saves_and_reloads(tmp_path: Path, templates: Templates) -> None:
    path = tmp_path / "empty.gallery"
    FingerprintGallery().save(path)
    assert FingerprintGallery.load(path).search(templates[101][0]) == []


def test_damaged_gallery_file_is_refused_by_name(
    gallery: FingerprintGallery, tmp_path: Path
) -> None:
    path = tmp_path / "prints.gallery"
    gallery.save(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(InvalidInput) as refused:
        FingerprintGallery.load(path)
    assert refused.value.field == "path"
    path.write_bytes(b"not a gallery at all")
    with pytest.raises(InvalidInput, match="not a Passerelle fingerprint gallery"):
        FingerprintGallery.load(path)
