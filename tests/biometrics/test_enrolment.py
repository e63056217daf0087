"""Face galleries backed by the store: sealed rows are the truth, the index file a cache."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select

from passerelle.biometrics.enrolment import FaceGalleries
from passerelle.biometrics.face import FACE_MODEL, FACE_MODEL_VERSION, FaceCapture, FaceQuality
from passerelle.biometrics.gallery import FaceGallery
from passerelle.biometrics.gallery_bands import IndexBand, IndexCatalogue
from passerelle.biometrics.templates import FaceTemplate
from passerelle.biometrics.vault import TemplateVault
from passerelle.exc import InvalidInput
from passerelle.store import Database
from passerelle.store.biometrics import BiometricTemplateStore
from passerelle.store.tables import BiometricTemplate
from tests.conftest import Clock

VAULT = TemplateVault(bytes(range(32)))
QUALITY = FaceQuality(80.0, 50.0, 120.0, 0.0, 1)


def capture(seed: int, noise: float = 0.0, version: str = FACE_MODEL_VERSION) -> FaceCapture:
    rng = np.random.default_rng(seed)
    vector = rng.normal(size=128)
    if noise:
        vector = vector + np.random.default_rng(seed + 1000).normal(scale=noise, size=128)
    template = FaceTemplate(FACE_MODEL, version, vector.astype(np.float32))
    return FaceCapture(template, QUALITY, (0, 0, 100, 100))


@pytest.fixture
def galleries(database: Database, tmp_path: Path) -> FaceGalleries:
    return FaceGalleries(database, VAULT, tmp_path / "galleries")


def enrol(galleries: FaceGalleries, clock: Clock, identity: str, seed: int) -> int:
    return galleries.enrol(
        "wanted", identity, capture(seed), source_sha256="0" * 64, at=clock(), by="officer"
    )


def test_an_enrolled_face_is_found_and_a_removed_one_never_again(
    galleries: FaceGalleries, database: Database, clock: Clock, tmp_path: Path
) -> None:
    for number, identity in enumerate(("MAR-W-1", "MAR-W-2", "MAR-W-3")):
        enrol(galleries, clock, identity, number)
    (hit, *_) = galleries.search("wanted", capture(1, noise=0.05))
    assert (hit.identity, hit.is_hit) == ("MAR-W-2", True)
    assert galleries.remove("wanted", "MAR-W-2") == 1
    assert "MAR-W-2" not in [h.identity for h in galleries.search("wanted", capture(1, 0.05))]
    again = FaceGalleries(database, VAULT, tmp_path / "galleries")  # a restart
    reopened = again.open("wanted")
    assert reopened.index_builds == 0  # read from its file, not rebuilt
    assert "MAR-W-2" not in [h.identity for h in again.search("wanted", capture(1, 0.05))]


def test_a_gallery_opened_under_new_index_bands_is_rebuilt_to_them_once(
    galleries: FaceGalleries, database: Database, clock: Clock, tmp_path: Path
) -> None:
    for number, identity in enumerate(("MAR-W-1", "MAR-W-2")):
        enrol(galleries, clock, identity, number)
    assert galleries.open("wanted").store == "float32"
    half = IndexBand(None, "exact", nlist=64, nprobe=8, rerank=64, store="float16")
    restarted = FaceGalleries(
        database, VAULT, tmp_path / "galleries", catalogue=IndexCatalogue((half,))
    )
    assert restarted.open("wanted").store == "float16"
    assert FaceGallery.load(tmp_path / "galleries" / "wanted.gallery").store == "float16"
    (hit, *_) = restarted.search("wanted", capture(1, noise=0.05))
    assert (hit.identity, hit.is_hit) == ("MAR-W-2", True)


def test_templates_are_sealed_in_the_store(
    galleries: FaceGalleries, database: Database, clock: Clock
) -> None:
    enrol(galleries, clock, "MAR-W-1", 0)
    with database.read() as session:
        sealed = session.scalars(select(BiometricTemplate.sealed)).one()
    clear = capture(0).template.to_bytes()
    assert clear not in sealed
    assert clear[38:70] not in sealed
    assert FaceTemplate.from_bytes(VAULT.open(sealed, "MAR-W-1")).similarity(
        capture(0).template
    ) == pytest.approx(1.0)


def test_a_gallery_behind_the_store_is_rebuilt_from_it(
    galleries: FaceGalleries, database: Database, clock: Clock
) -> None:
    enrol(galleries, clock, "MAR-W-1", 0)
    template = capture(7).template
    with database.write() as session:  # another process enrols; this one's file is stale
        BiometricTemplateStore().add(
            session,
            gallery="wanted",
            identity="MAR-W-7",
            modality="face",
            model=template.model,
            model_version=template.model_version,
            sealed=VAULT.seal(template.to_bytes(), "MAR-W-7"),
            source_sha256="1" * 64,
            enrolled_at=clock(),
            enrolled_by="other",
        )
    (hit, *_) = galleries.search("wanted", capture(7, noise=0.05))
    assert hit.identity == "MAR-W-7"


def test_a_bad_gallery_name_is_refused(galleries: FaceGalleries, clock: Clock) -> None:
    with pytest.raises(InvalidInput) as caught:
        galleries.enrol("Wanted List", "X", capture(0), source_sha256="0" * 64, at=clock(), by="o")
    assert caught.value.field == "gallery"


def test_after_a_model_upgrade_old_templates_are_left_out_and_named_for_re_enrolment(
    galleries: FaceGalleries, database: Database, clock: Clock
) -> None:
    enrol(galleries, clock, "MAR-W-1", 0)
    old = capture(3, version="dlib19.0.0").template  # enrolled before the node's upgrade
    with database.write() as session:
        BiometricTemplateStore().add(
            session,
            gallery="wanted",
            identity="MAR-W-3",
            modality="face",
            model=old.model,
            model_version=old.model_version,
            sealed=VAULT.seal(old.to_bytes(), "MAR-W-3"),
            source_sha256="3" * 64,
            enrolled_at=clock(),
            enrolled_by="before-upgrade",
        )
    found = galleries.search("wanted", capture(3, noise=0.05))  # rebuilt: no mismatch error
    assert "MAR-W-3" not in [hit.identity for hit in found]
    assert galleries.outdated("wanted") == ["MAR-W-3"]
    enrol(galleries, clock, "MAR-W-3", 3)  # re-enrolled from the source photo
    (hit, *_) = galleries.search("wanted", capture(3, noise=0.05))
    assert (hit.identity, hit.is_hit) == ("MAR-W-3", True)
    assert galleries.remove("wanted", "MAR-W-3") == 2
    assert galleries.outdated("wanted") == []
