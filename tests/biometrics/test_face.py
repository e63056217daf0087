"""Faces: capture refuses what a comparison cannot stand on; genuine pairs match, others not.

The only real faces this machine has offline are scikit-image's: ``astronaut``
(one face, 43 px between the eyes: enlarged here to pass the 60 px minimum) and
the 25×25 crops of ``lfw_subset`` (enlarged and framed, for other people).
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from PIL import Image, ImageFilter
from skimage import data
from typer.testing import CliRunner

from passerelle.biometrics.face import FaceCapture, capture_face, read_image, verify_faces
from passerelle.cli import app
from passerelle.exc import InvalidInput

Pixels = npt.NDArray[np.uint8]


@pytest.fixture(scope="module")
def astronaut() -> Pixels:
    """The astronaut's portrait enlarged to 67 px between the eyes."""
    return np.asarray(Image.fromarray(data.astronaut()).resize((800, 800), Image.LANCZOS))


@pytest.fixture(scope="module")
def astronaut_capture(astronaut: Pixels) -> FaceCapture:
    return capture_face(astronaut)


def other_person(index: int) -> Pixels:
    """An LFW crop, enlarged 8× and framed, as a portrait of someone else."""
    face = Image.fromarray((data.lfw_subset()[index] * 255).astype(np.uint8)).resize(
        (200, 200), Image.BICUBIC
    )
    canvas = Image.new("RGB", (400, 400), (128, 128, 128))
    canvas.paste(face.convert("RGB"), (100, 100))
    return np.asarray(canvas)


def altered(pixels: Pixels, how: str) -> Pixels:
    image = Image.fromarray(pixels)
    if how == "darker":
        return (pixels * 0.65).astype(np.uint8)
    if how == "rotated":
        return np.asarray(image.rotate(8, resample=Image.BICUBIC))
    if how == "jpeg":
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=30)
        return read_image(buffer.getvalue())
    if how == "noise":
        noise = np.random.default_rng(1).normal(0, 10, pixels.shape)
        return np.clip(pixels + noise, 0, 255).astype(np.uint8)
    if how == "smaller":
        return np.asarray(image.resize((720, 720), Image.LANCZOS))
    raise AssertionError(how)


@pytest.mark.parametrize("how", ["darker", "rotated", "jpeg", "noise", "smaller"])
def test_the_same_face_altered_is_the_same_person(
    astronaut: Pixels, astronaut_capture: FaceCapture, how: str
) -> None:
    verdict = verify_faces(astronaut_capture, capture_face(altered(astronaut, how)))
    assert verdict.match, verdict


def test_another_person_is_not_a_match(astronaut_capture: FaceCapture) -> None:
    verdict = verify_faces(astronaut_capture, capture_face(other_person(2)))
    assert not verdict.match
    assert 0.0 <= verdict.score < 0.93


def test_a_face_too_small_is_refused_with_the_measure() -> None:
    with pytest.raises(InvalidInput, match="face too small: 43 px between eyes, need 60"):
        capture_face(data.astronaut())


def test_two_faces_of_similar_size_are_refused(astronaut: Pixels) -> None:
    pair = np.concatenate([astronaut, astronaut], axis=1)
    with pytest.raises(InvalidInput, match="two faces"):
        capture_face(pair)


def test_no_face_and_a_blurred_face_are_refused(astronaut: Pixels) -> None:
    with pytest.raises(InvalidInput, match="no face found"):
        capture_face(data.coffee())
    blurred = np.asarray(Image.fromarray(astronaut).filter(ImageFilter.GaussianBlur(3)))
    with pytest.raises(InvalidInput, match=r"face too blurred \(sharpness 3, need 20\)"):
        capture_face(blurred)


def test_bytes_that_are_not_an_image_are_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        read_image(b"%PDF-1.4 not a photo", field="IMAGE_A")
    assert caught.value.field == "IMAGE_A"
    assert "not an image" in caught.value.reason


def test_the_template_is_tagged_and_normalised(astronaut_capture: FaceCapture) -> None:
    template = astronaut_capture.template
    assert template.model == "dlib-resnet-v1"
    assert template.dimension == 128
    assert abs(float(np.linalg.norm(template.vector)) - 1.0) < 1e-5


@pytest.fixture(scope="module")
def photos(astronaut: Pixels, tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    folder = tmp_path_factory.mktemp("photos")
    images = {
        "live.jpg": altered(astronaut, "rotated"),
        "document.png": astronaut,
        "other.png": other_person(2),
        "small.png": data.astronaut(),
    }
    for name, pixels in images.items():
        Image.fromarray(pixels).save(folder / name)
    (folder / "notes.txt").write_text("not a photo")
    return lambda name: folder / name


def test_cli_verify_prints_the_contract_and_exits_by_decision(
    photos: Callable[[str], Path],
) -> None:
    runner = CliRunner()
    same = runner.invoke(
        app, ["face", "verify", str(photos("live.jpg")), str(photos("document.png")), "--json"]
    )
    assert same.exit_code == 0, same.output
    result = json.loads(same.stdout)
    assert result["match"] is True
    assert result["faces"] == [2, 1]  # the flag patch beside the astronaut, ignored
    other = runner.invoke(
        app, ["face", "verify", str(photos("other.png")), str(photos("document.png"))]
    )
    assert other.exit_code == 1
    assert "different persons" in other.stdout


def test_cli_verify_names_the_image_and_the_reason(photos: Callable[[str], Path]) -> None:
    runner = CliRunner()
    small = runner.invoke(
        app, ["face", "verify", str(photos("small.png")), str(photos("document.png"))]
    )
    assert small.exit_code == 2
    assert "IMAGE_A" in small.stderr
    assert "face too small" in small.stderr
    text = runner.invoke(
        app, ["face", "verify", str(photos("document.png")), str(photos("notes.txt"))]
    )
    assert text.exit_code == 2
    assert "IMAGE_B" in text.stderr
    assert "not an image" in text.stderr


def test_cli_enrol_search_and_remove_in_a_gallery(
    photos: Callable[[str], Path], node_home: Callable[[], Path]
) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    assert runner.invoke(app, ["keys", "init"]).exit_code == 0
    enrolled = runner.invoke(
        app, ["face", "enrol", "wanted", "MAR-W-1", str(photos("document.png"))]
    )
    assert enrolled.exit_code == 0, enrolled.output
    found = runner.invoke(
        app, ["face", "search", "wanted", str(photos("live.jpg")), "--json", "--purpose", "test"]
    )
    assert found.exit_code == 1, found.output
    assert json.loads(found.stdout)["matches"][0] == {
        "id": "MAR-W-1",
        "score": json.loads(found.stdout)["matches"][0]["score"],
        "hit": True,
    }
    stranger = runner.invoke(
        app, ["face", "search", "--purpose", "test", "wanted", str(photos("other.png"))]
    )
    assert stranger.exit_code == 0, stranger.output
    gone = runner.invoke(app, ["face", "remove", "wanted", "MAR-W-1", "--reason", "arrested"])
    assert gone.exit_code == 0, gone.output
    after = runner.invoke(
        app, ["face", "search", "--purpose", "test", "wanted", str(photos("live.jpg")), "--json"]
    )
    assert after.exit_code == 0, after.output
    assert json.loads(after.stdout)["matches"] == []
    assert not any(path.suffix == ".npy" for path in node_home().rglob("*"))


def test_cli_calibrate_reports_a_threshold_and_whether_the_pairs_support_it(
    astronaut: Pixels, tmp_path: Path
) -> None:
    folder = tmp_path / "labelled"
    (folder / "astronaut").mkdir(parents=True)
    for how in ("darker", "rotated", "noise"):
        Image.fromarray(altered(astronaut, how)).save(folder / "astronaut" / f"{how}.png")
    (folder / "lfw2").mkdir()
    Image.fromarray(other_person(2)).save(folder / "lfw2" / "a.png")
    (folder / "lfw2" / "notes.txt").write_text("not a photo")
    done = CliRunner().invoke(app, ["face", "calibrate", str(folder), "--fmr", "0.1", "--json"])
    assert done.exit_code == 0, done.output
    report = json.loads(done.stdout)
    assert (report["persons"], report["photos"], report["genuine_pairs"]) == (2, 4, 3)
    assert report["impostor_pairs"] == 3
    assert report["supported"] is False  # 3 impostor pairs cannot show an FMR of 0.1
    assert report["fnmr"] == 0.0
    assert sum(report["refused"].values()) == 1  # the text file


def test_the_calibrated_threshold_from_the_environment_decides_verify(
    photos: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PASSERELLE_FACE_MATCH_THRESHOLD", "0.99999")
    strict = CliRunner().invoke(
        app, ["face", "verify", str(photos("live.jpg")), str(photos("document.png"))]
    )
    assert "threshold 0.99999" in strict.stdout
