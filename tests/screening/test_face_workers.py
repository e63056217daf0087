"""The border check over the node's face workers: a capture that cannot run in time refers
the traveller with the reason in words, never clears them; a late capture's CPU stops."""

from __future__ import annotations

import contextlib
import io
import threading
import time

import numpy as np
from PIL import Image
from skimage import data

from passerelle.biometrics.face import FaceCapture
from passerelle.biometrics.photo import PhotoLimits
from passerelle.biometrics.workers import FaceWorkers, FaceWorkLimits, working_for
from passerelle.exc import InvalidInput, PasserelleError
from passerelle.node import Node
from passerelle.screening import Inspector, InspectorConfig
from passerelle.screening.components import PooledFaceEngine
from tests.conftest import Clock
from tests.screening.conftest import passport, request


def jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=92)
    return out.getvalue()


ASTRONAUT = jpeg(Image.fromarray(data.astronaut()).resize((800, 800), Image.LANCZOS))
HOG = jpeg(Image.new("RGB", (2400, 2400), (90, 120, 150)))


def test_a_capture_refused_by_busy_workers_refers_with_the_reason(node: Node, clock: Clock) -> None:
    workers = FaceWorkers(FaceWorkLimits(workers=1, queue_wait_s=0.2), PhotoLimits(max_side=8192))
    try:
        workers.capture(ASTRONAUT, field="warm-up")
        inspector = Inspector(
            node, faces=PooledFaceEngine(workers), config=InspectorConfig(timeout_s=5.0)
        )

        def hog() -> None:
            with working_for("flooder"), contextlib.suppress(InvalidInput):
                workers.capture(HOG, field="live_photo")  # no face, after seconds

        flood = threading.Thread(target=hog)
        flood.start()
        time.sleep(0.3)
        result = inspector.inspect(request(passport(), clock, live_photo=ASTRONAUT))
        flood.join()
    finally:
        workers.close()

    assert result.decision == "refer"
    (finding,) = [f for f in result.findings if f.source == "face"]
    assert (finding.code, finding.severity) == ("unavailable", "refer")
    assert finding.message == (
        "The live photo could not be compared: all 1 face workers stayed busy for 0.2 s. "
        "Compare by eye, refer the traveller, or check again."
    )


def test_the_same_face_through_the_workers_is_cleared_as_in_process(
    node: Node, clock: Clock
) -> None:
    workers = FaceWorkers(FaceWorkLimits(workers=1))
    try:
        inspector = Inspector(node, faces=PooledFaceEngine(workers))
        result = inspector.inspect(
            request(passport(), clock, document_photo=ASTRONAUT, live_photo=ASTRONAUT)
        )
    finally:
        workers.close()

    assert result.decision == "clear", result.findings
    assert [f.code for f in result.findings] == ["face_match"]


def test_one_inspections_face_check_and_partners_question_share_one_capture() -> None:
    enlarged = np.asarray(Image.fromarray(data.astronaut()).resize((2400, 2400), Image.LANCZOS))
    grain = np.random.default_rng(7).integers(-12, 13, enlarged.shape)
    large = jpeg(Image.fromarray(np.clip(enlarged + grain, 0, 255).astype(np.uint8)))
    # what is shared is asserted, not how fast: a loaded CI machine may take past 4 s on the
    # full-size photo, so the deadline is generous here (its kill is tested in test_workers)
    limits = FaceWorkLimits(workers=1, queue_wait_s=0.2, deadline_s=60.0)
    workers = FaceWorkers(limits, PhotoLimits(max_side=8192))
    engine = PooledFaceEngine(workers)
    captured: list[FaceCapture] = []
    refused: list[str] = []

    def capture() -> None:  # the face check, and the partners' face question, at once
        with working_for("officer.one"):
            try:
                captured.append(engine.capture(large, field="live_photo"))
            except PasserelleError as exc:
                refused.append(f"{type(exc).__name__}: {exc}")

    try:
        workers.capture(ASTRONAUT, field="warm-up")
        both = [threading.Thread(target=capture) for _ in range(2)]
        for thread in both:
            thread.start()
        for thread in both:
            thread.join()
    finally:
        workers.close()

    assert refused == []  # neither was refused for want of a second worker
    assert len(captured) == 2
    assert captured[0] is captured[1]
