"""Face captures in worker processes: a capture past its deadline is killed (its CPU stops and
a fresh worker takes its place), a full pool refuses at once, one user holds one worker."""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from skimage import data

from passerelle.biometrics.photo import PhotoLimits
from passerelle.biometrics.workers import (
    FaceWorkers,
    FaceWorkersBusy,
    FaceWorkLimits,
    FaceWorkTimedOut,
    working_for,
)
from passerelle.exc import InvalidInput


def jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=92)
    return out.getvalue()


ASTRONAUT = jpeg(Image.fromarray(data.astronaut()).resize((800, 800), Image.LANCZOS))
HEAVY = jpeg(Image.new("RGB", (4800, 4800), (90, 120, 150)))
"""23 MP without a face: within the pixel budget; seconds of CPU when the model is let work
on it in full (``FULL_SIZE``)."""
HOG = jpeg(Image.new("RGB", (2400, 2400), (90, 120, 150)))
"""A photo that keeps a worker busy for a few seconds at full size."""
BLANK = jpeg(Image.new("RGB", (200, 200), (90, 120, 150)))
FULL_SIZE = PhotoLimits(max_side=8192)


def alive(pid: int) -> bool:
    return Path(f"/proc/{pid}").exists()


@pytest.fixture
def pool() -> Iterator[FaceWorkers]:
    workers = FaceWorkers(FaceWorkLimits(workers=1, deadline_s=30.0, queue_wait_s=0.2), FULL_SIZE)
    workers.capture(ASTRONAUT, field="warm-up")  # started, models loaded
    yield workers
    workers.close()


def test_a_worker_captures_the_face_as_the_model_does(pool: FaceWorkers) -> None:
    capture = pool.capture(ASTRONAUT, field="live_photo")
    assert capture.quality.detections == 1
    assert capture.quality.eye_distance_px > 60
    with pytest.raises(InvalidInput, match="live_photo: no face found"):
        pool.capture(jpeg(Image.new("RGB", (400, 400), (90, 120, 150))), field="live_photo")


def test_a_capture_past_its_deadline_is_killed_and_its_cpu_stops() -> None:
    workers = FaceWorkers(FaceWorkLimits(workers=1, deadline_s=1.0), FULL_SIZE)
    try:
        workers.warm()
        (first,) = workers.pids()
        started = time.monotonic()
        with pytest.raises(FaceWorkTimedOut, match="ran past 1 s and was stopped"):
            workers.capture(HEAVY, field="live_photo")  # waits for the model, then 1 s
        assert not alive(first)  # killed: nothing burns CPU for the late request any more
        (second,) = workers.pids()
        assert second != first  # a fresh worker took its place, and answers
        with pytest.raises(InvalidInput, match="no face found"):
            workers.capture(BLANK, field="live_photo")
        assert time.monotonic() - started < 30.0
    finally:
        workers.close()


def test_a_full_pool_refuses_at_once_rather_than_queue_behind_a_hog(pool: FaceWorkers) -> None:
    hog = threading.Thread(target=lambda: _quietly(pool, HOG, "hog"))
    hog.start()
    time.sleep(0.3)
    started = time.monotonic()
    with working_for("officer.two"), pytest.raises(FaceWorkersBusy) as refused:
        pool.capture(ASTRONAUT, field="live_photo")
    assert time.monotonic() - started < 1.0
    assert refused.value.reason == "all 1 face workers stayed busy for 0.2 s"
    hog.join()


def test_one_user_holds_one_worker_and_the_others_get_the_rest() -> None:
    workers = FaceWorkers(FaceWorkLimits(workers=2, per_user=1, queue_wait_s=0.3), FULL_SIZE)
    try:
        workers.warm()
        hog = threading.Thread(target=lambda: _quietly(workers, HOG, "flooder"))
        hog.start()
        time.sleep(0.3)
        with working_for("flooder"), pytest.raises(FaceWorkersBusy) as refused:
            workers.capture(ASTRONAUT, field="live_photo")
        assert refused.value.reason == (
            "this user already has 1 photo(s) being analysed (at most 1 at once)"
        )
        with working_for("officer.one"):
            assert workers.capture(ASTRONAUT, field="live_photo").quality.detections == 1
        hog.join()
    finally:
        workers.close()


def test_a_photo_over_the_budget_is_refused_without_a_worker() -> None:
    workers = FaceWorkers(FaceWorkLimits(workers=1), PhotoLimits(max_pixels=1_000_000))
    try:
        with pytest.raises(InvalidInput, match=r"is 4800×4800 pixels \(23.0 MP\): more than"):
            workers.capture(HEAVY, field="live_photo")
        assert workers.pids() == []  # no worker was even started
    finally:
        workers.close()


def test_closed_workers_are_gone() -> None:
    workers = FaceWorkers(FaceWorkLimits(workers=2))
    workers.warm()
    pids = workers.pids()
    assert len(pids) == 2
    workers.close()
    assert not any(alive(pid) for pid in pids)


def _quietly(workers: FaceWorkers, photo: bytes, owner: str) -> None:
    with working_for(owner), pytest.raises((InvalidInput, FaceWorkTimedOut, FaceWorkersBusy)):
        workers.capture(photo, field="live_photo")
