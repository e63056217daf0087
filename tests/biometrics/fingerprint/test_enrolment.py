"""Fingerprint galleries backed by the store: sealed rows are the truth, the index file a cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from passerelle.biometrics.enrolment import FaceGalleries, FingerprintGalleries
from passerelle.biometrics.fingerprint import FingerprintTemplate
from passerelle.biometrics.vault import TemplateVault
from passerelle.exc import InvalidInput
from passerelle.store import Database
from passerelle.store.biometrics import BiometricTemplateStore
from tests.conftest import Clock

VAULT = TemplateVault(bytes(range(32)))
Templates = dict[int, list[FingerprintTemplate]]


@pytest.fixture
def fingers(database: Database, tmp_path: Path) -> FingerprintGalleries:
    return FingerprintGalleries(database, VAULT, tmp_path / "galleries")


def enrol(
    fingers: FingerprintGalleries, clock: Clock, identity: str, t: FingerprintTemplate
) -> int:
    return fingers.enrol("wanted", identity, t, source_sha256="0" * 64, at=clock(), by="officer")


def test_an_enrolled_finger_is_found_after_a_restart_and_a_removed_one_never_again(
    fingers: FingerprintGalleries,
    database: Database,
    clock: Clock,
    templates: Templates,
    tmp_path: Path,
) -> None:
    for seed in (101, 102, 103):
        enrol(fingers, clock, f"MAR-W-{seed}/R2", templates[seed][0])
    (best, *_) = fingers.search("wanted", templates[102][1])
    assert (best.id, best.is_match) == ("MAR-W-102/R2", True)
    assert fingers.remove("wanted", "MAR-W-102/R2") == 1
    again = FingerprintGalleries(database, VAULT, tmp_path / "galleries")  # a restart
    found = again.search("wanted", templates[102][1])
    assert "MAR-W-102/R2" not in [c.id for c in found]
    assert not any(c.is_match for c in found)
    assert again.search("wanted", templates[103][1])[0].id == "MAR-W-103/R2"
    assert (tmp_path / "galleries" / "wanted.fingers").exists()


def test_a_gallery_behind_the_store_is_rebuilt_from_it(
    fingers: FingerprintGalleries, database: Database, clock: Clock, templates: Templates
) -> None:
    enrol(fingers, clock, "MAR-W-1", templates[101][0])
    with database.write() as session:  # another process enrols; this one's file is stale
        BiometricTemplateStore().add(
            session,
            gallery="wanted",
            identity="MAR-W-4",
            modality="finger",
            model=templates[104][0].extractor,
            model_version=templates[104][0].extractor_version,
            sealed=VAULT.seal(templates[104][0].to_bytes(), "MAR-W-4"),
            source_sha256="1" * 64,
            enrolled_at=clock(),
            enrolled_by="other-process",
        )
    assert fingers.search("wanted", templates[104][2])[0].id == "MAR-W-4"


def test_face_and_finger_galleries_of_one_list_stay_apart(
    fingers: FingerprintGalleries,
    database: Database,
    clock: Clock,
    templates: Templates,
    tmp_path: Path,
) -> None:
    enrol(fingers, clock, "MAR-W-1", templates[101][0])
    faces = FaceGalleries(database, VAULT, tmp_path / "galleries")
    assert len(faces.open("wanted")) == 0
    assert faces.remove("wanted", "MAR-W-1") == 0
    assert fingers.search("wanted", templates[101][1])[0].id == "MAR-W-1"


def test_stored_template_round_trips_with_its_tags(templates: Templates) -> None:
    original = templates[101][0]
    assert FingerprintTemplate.from_bytes(original.to_bytes()) == original
    unassessed = templates[101][1]
    assert unassessed.quality is None
    assert FingerprintTemplate.from_bytes(unassessed.to_bytes()) == unassessed
    with pytest.raises(InvalidInput) as refused:
        FingerprintTemplate.from_bytes(original.iso)
    assert refused.value.field == "template"


def test_another_extractors_template_is_not_enrolled(
    fingers: FingerprintGalleries, clock: Clock, templates: Templates
) -> None:
    foreign = FingerprintTemplate.from_iso(
        templates[101][0].iso, extractor="vendor-x", extractor_version="4.2"
    )
    with pytest.raises(InvalidInput) as refused:
        enrol(fingers, clock, "MAR-W-9", foreign)
    assert refused.value.field == "template.extractor"
