"""Faces in the border check: the real dlib model on scikit-image's faces, and failing engines.

The astronaut's portrait (enlarged to pass the 60 px between the eyes) stands for
the traveller; an LFW crop, enlarged and framed, for someone else.
"""

from __future__ import annotations

import io
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from skimage import data

from passerelle.biometrics.enrolment import FaceGalleries
from passerelle.biometrics.face import FaceCapture, FaceQuality, FaceVerdict
from passerelle.biometrics.gallery import GalleryHit
from passerelle.biometrics.templates import FaceTemplate
from passerelle.biometrics.vault import TemplateVault
from passerelle.node import Node
from passerelle.screening import DlibFaceEngine, Inspector, InspectorConfig
from tests.conftest import Clock
from tests.screening.conftest import passport, request


def jpeg(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=92)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def astronaut() -> bytes:
    return jpeg(Image.fromarray(data.astronaut()).resize((800, 800), Image.LANCZOS))


@pytest.fixture(scope="module")
def someone_else() -> bytes:
    face = Image.fromarray((data.lfw_subset()[2] * 255).astype(np.uint8)).resize(
        (200, 200), Image.BICUBIC
    )
    canvas = Image.new("RGB", (400, 400), (128, 128, 128))
    canvas.paste(face.convert("RGB"), (100, 100))
    return jpeg(canvas)


@pytest.fixture(scope="module")
def engine() -> DlibFaceEngine:
    return DlibFaceEngine()


class BrokenEngine:
    """A face model that fails (a corrupt weights file, a native crash turned exception)."""

    def capture(self, image: bytes, *, field: str) -> FaceCapture:
        raise RuntimeError("the face model could not be loaded")

    def verify(self, first: FaceCapture, second: FaceCapture) -> FaceVerdict:
        raise AssertionError("never reached")


class StuckEngine(BrokenEngine):
    """A face model that does not answer in time."""

    def capture(self, image: bytes, *, field: str) -> FaceCapture:
        time.sleep(2.0)
        raise AssertionError("the inspection should have stopped waiting")


def test_the_same_face_on_the_portrait_and_live_is_cleared(
    node: Node, clock: Clock, engine: DlibFaceEngine, astronaut: bytes
) -> None:
    inspector = Inspector(node, faces=engine)
    result = inspector.inspect(
        request(passport(), clock, document_photo=astronaut, live_photo=astronaut)
    )

    assert result.decision == "clear", result.findings
    assert result.light("face") == "green"
    assert result.matches.face_verification is not None
    assert result.matches.face_verification.match
    assert [f.code for f in result.findings] == ["face_match"]


def test_another_face_than_the_portrait_refers_the_traveller(
    node: Node, clock: Clock, engine: DlibFaceEngine, astronaut: bytes, someone_else: bytes
) -> None:
    inspector = Inspector(node, faces=engine)
    result = inspector.inspect(
        request(passport(), clock, document_photo=astronaut, live_photo=someone_else)
    )

    assert result.decision == "refer"
    assert result.light("face") == "amber"
    (finding,) = result.findings
    assert finding.code == "face_mismatch"
    assert "does not match the document portrait" in finding.message


def test_a_photo_without_a_face_refers_with_the_reason(
    node: Node, clock: Clock, engine: DlibFaceEngine, astronaut: bytes
) -> None:
    blank = jpeg(Image.new("RGB", (400, 400), (90, 120, 150)))
    result = Inspector(node, faces=engine).inspect(
        request(passport(), clock, document_photo=astronaut, live_photo=blank)
    )

    assert result.decision == "refer"
    (finding,) = result.findings
    assert (finding.code, finding.severity) == ("face_unusable", "refer")
    assert "live photo cannot be used: no face found" in finding.message


def test_a_face_found_in_a_list_gallery_is_a_hit_with_the_lists_action(
    node: Node, clock: Clock, engine: DlibFaceEngine, astronaut: bytes, tmp_path: Path
) -> None:
    galleries = FaceGalleries(node.database, TemplateVault(bytes(32)), tmp_path / "galleries")
    galleries.enrol(
        "wanted",
        "MAR-W-0001",
        engine.capture(astronaut, field="portrait"),
        source_sha256="0" * 64,
        at=clock(),
        by="registry.admin",
    )
    inspector = Inspector(
        node,
        faces=engine,
        galleries=galleries,
        config=InspectorConfig(gallery_names=("wanted",)),
    )
    result = inspector.inspect(request(passport(), clock, live_photo=astronaut))

    assert result.decision == "hit"
    assert result.light("face") == "red"
    (hit,) = result.matches.faces
    assert (hit.gallery, hit.identity) == ("wanted", "MAR-W-0001")
    (finding,) = [f for f in result.findings if f.code == "face_list_match"]
    assert "watchlist person MAR-W-0001 (wanted)" in finding.message
    assert finding.action
    assert finding.contact == "the issuing authority in Morocco (MAR)"
    with node.database.read() as session:
        pending = inspector.repository.pending(session)
    assert [(r.source, r.reference) for r in pending] == [("face", "wanted:MAR-W-0001")]


def test_a_face_model_that_fails_refers_with_the_reason_and_raises_nothing(
    node: Node, clock: Clock, astronaut: bytes
) -> None:
    inspector = Inspector(node, faces=BrokenEngine())
    result = inspector.inspect(
        request(passport(), clock, document_photo=astronaut, live_photo=astronaut)
    )

    assert result.decision == "refer"
    assert result.light("face") == "amber"
    (finding,) = result.findings
    assert (finding.source, finding.code) == ("face", "error")
    assert "face check failed (RuntimeError)" in finding.message
    assert result.crossing_id is None
    assert {result.light(s) for s in ("document", "sltd", "alerts", "watchlist", "stay")} == {
        "green"
    }


def test_a_face_model_that_does_not_answer_in_time_refers(
    node: Node, clock: Clock, astronaut: bytes
) -> None:
    inspector = Inspector(node, faces=StuckEngine(), config=InspectorConfig(timeout_s=0.5))
    started = time.monotonic()
    result = inspector.inspect(request(passport(), clock, live_photo=astronaut))

    assert time.monotonic() - started < 1.5
    assert result.decision == "refer"
    (finding,) = result.findings
    assert (finding.source, finding.code) == ("face", "unavailable")
    assert "did not answer within 0.5 s" in finding.message


class FakeEngine:
    """A face model that always finds the same face (fast: no dlib)."""

    def capture(self, image: bytes, *, field: str) -> FaceCapture:
        template = FaceTemplate("dlib-resnet-v1", "test", np.ones(128, dtype=np.float32))
        return FaceCapture(template, FaceQuality(80.0, 50.0, 120.0, 0.0, 1), (0, 0, 10, 10))

    def verify(self, first: FaceCapture, second: FaceCapture) -> FaceVerdict:
        return FaceVerdict(True, 0.99, (1, 1))


class BrokenGalleries:
    def search(self, gallery: str, capture: FaceCapture, *, top: int = 5) -> list[GalleryHit]:
        raise OSError("the gallery file is unreadable")


def test_a_list_search_that_fails_refers_and_keeps_the_portrait_comparison(
    node: Node, clock: Clock
) -> None:
    inspector = Inspector(
        node,
        faces=FakeEngine(),
        galleries=BrokenGalleries(),
        config=InspectorConfig(gallery_names=("wanted",)),
    )
    result = inspector.inspect(request(passport(), clock, document_photo=b"a", live_photo=b"b"))

    assert result.decision == "refer"
    assert [f.code for f in result.findings] == ["face_match", "error"]
    assert "face search in the wanted list failed (OSError)" in result.findings[1].message
    assert result.matches.face_verification is not None
