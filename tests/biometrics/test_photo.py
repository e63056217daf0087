"""Photos are sized from their header and refused over the pixel budget before one pixel is
decoded; within it they are reduced to the side the face model needs, and a face still matches.
"""

from __future__ import annotations

import io
import struct
import time
import warnings
import zlib

import numpy as np
import pytest
from PIL import Image
from skimage import data

from passerelle.biometrics.face import capture_face, read_image, verify_faces
from passerelle.biometrics.photo import (
    PhotoLimits,
    PhotoTooLarge,
    photo_size,
    read_photo,
    refuse_decompression_bombs,
    refuse_oversized,
)
from passerelle.exc import InvalidInput

LIMITS = PhotoLimits()


def png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (120, 130, 140)).save(out, format="PNG")
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width``×``height`` pixels (its data holds a few bytes): what
    a decompression bomb looks like to anything that reads the header first."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def jpeg(image: Image.Image, quality: int = 92) -> bytes:
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=quality)
    return out.getvalue()


def test_a_6000_pixel_square_png_is_refused_from_its_header_in_words() -> None:
    huge = png(6000, 6000)
    assert len(huge) < 150_000  # small to send: its cost is in its pixels
    photo_size(png(64, 64), field="warm-up", limits=LIMITS)  # Pillow loads its plugins once
    started = time.process_time()
    with pytest.raises(PhotoTooLarge) as refused:
        read_photo(huge, field="live_photo", limits=LIMITS)
    assert time.process_time() - started < 0.05  # nothing decoded
    assert refused.value.field == "live_photo"
    assert refused.value.reason == (
        "is 6000×6000 pixels (36.0 MP): more than the 24.0 MP this node decodes; "
        "send a photo of at most 24.0 MP"
    )


def test_the_pixel_budget_is_the_nodes_setting() -> None:
    photo = png(1200, 1000)
    assert photo_size(photo, field="photo", limits=LIMITS) == (1200, 1000)
    with pytest.raises(PhotoTooLarge, match=r"is 1200×1000 pixels \(1.2 MP\): more than the 1.0"):
        photo_size(photo, field="photo", limits=PhotoLimits(max_pixels=1_000_000))


def test_a_decompression_bomb_is_refused_before_decoding_whatever_pillows_guard_says() -> None:
    bomb = png_claiming(20_000, 20_000)  # 400 MP: 1.2 GB to decode
    with pytest.raises(PhotoTooLarge) as refused:
        photo_size(bomb, field="document_photo", limits=LIMITS)
    assert refused.value.field == "document_photo"
    assert "a decompression bomb?" in refused.value.reason
    assert "refused before decoding" in refused.value.reason


def test_pillows_bomb_warning_is_an_error_never_a_line_in_a_log() -> None:
    between = png_claiming(10_000, 9_500)  # 95 MP: above Pillow's warning, below its error
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        refuse_decompression_bombs()
        with pytest.raises(PhotoTooLarge, match="a decompression bomb"):
            photo_size(between, field="live_photo", limits=LIMITS)
    assert not [w for w in seen if issubclass(w.category, Image.DecompressionBombWarning)]


def test_an_unreadable_photo_passes_the_door_and_is_refused_by_the_face_check() -> None:
    refuse_oversized(b"not a photo", field="live_photo", limits=LIMITS)  # the face check says why
    with pytest.raises(InvalidInput, match="is not an image this node reads"):
        read_photo(b"not a photo", field="live_photo", limits=LIMITS)
    with pytest.raises(PhotoTooLarge):
        refuse_oversized(png(6000, 6000), field="live_photo", limits=LIMITS)


def test_a_format_no_camera_gives_is_not_opened() -> None:
    out = io.BytesIO()
    Image.new("RGB", (64, 64)).save(out, format="TIFF")
    with pytest.raises(InvalidInput, match="is not an image this node reads"):
        photo_size(out.getvalue(), field="live_photo", limits=LIMITS)


def test_a_large_photo_is_reduced_to_the_models_side_keeping_its_shape() -> None:
    photo = jpeg(Image.new("RGB", (4000, 3000), (90, 100, 110)))
    pixels = read_photo(photo, field="live_photo", limits=LIMITS)
    assert pixels.shape == (768, 1024, 3)
    small = jpeg(Image.new("RGB", (640, 480), (90, 100, 110)))
    assert read_photo(small, field="live_photo", limits=LIMITS).shape == (480, 640, 3)


def astronaut(side: int) -> bytes:
    """The astronaut's portrait at ``side`` pixels, with a camera's grain (an enlargement
    without it is too smooth for the sharpness check at full size)."""
    enlarged = np.asarray(Image.fromarray(data.astronaut()).resize((side, side), Image.LANCZOS))
    grain = np.random.default_rng(side).integers(-12, 13, enlarged.shape)
    return jpeg(Image.fromarray(np.clip(enlarged + grain, 0, 255).astype(np.uint8)))


@pytest.mark.parametrize("side", [2048, 3000])
def test_a_face_reduced_from_a_large_photo_matches_as_it_did_in_full_for_less_cpu(
    side: int,
) -> None:
    reference = capture_face(read_image(astronaut(800), field="portrait"), field="portrait")
    large = astronaut(side)
    started = time.process_time()
    full = capture_face(
        read_photo(large, field="live", limits=PhotoLimits(max_side=8192)), field="live"
    )
    full_cpu = time.process_time() - started
    started = time.process_time()
    reduced = capture_face(read_photo(large, field="live", limits=LIMITS), field="live")
    reduced_cpu = time.process_time() - started

    before = verify_faces(reference, full)
    after = verify_faces(reference, reduced)
    assert before.match
    assert after.match
    assert abs(after.score - before.score) < 0.005, (before.score, after.score)
    assert reduced.quality.eye_distance_px >= 60
    assert reduced_cpu < full_cpu / 2, (reduced_cpu, full_cpu)


def test_pixels_are_upright_rgb() -> None:
    pixels = read_photo(astronaut(2048), field="live", limits=LIMITS)
    assert pixels.dtype == np.uint8
    assert pixels.shape == (1024, 1024, 3)
