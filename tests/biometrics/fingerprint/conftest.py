"""Synthetic fingers, extracted once per test session (MINDTCT and NFIQ 2 are slow)."""

from __future__ import annotations

import struct
import zlib

import numpy as np
import numpy.typing as npt
import pytest

from passerelle.biometrics.fingerprint import FingerprintTemplate, extract_template
from passerelle.biometrics.fingerprint.synthetic import generate_master, render_impression

FINGER_SEEDS = (101, 102, 103, 104)
IMPRESSIONS = 3


@pytest.fixture(scope="session")
def impressions() -> dict[int, list[npt.NDArray[np.uint8]]]:
    """Three impressions of each of four synthetic fingers."""
    out = {}
    for seed in FINGER_SEEDS:
        master = generate_master(seed)
        out[seed] = [render_impression(master, i) for i in range(IMPRESSIONS)]
    return out


@pytest.fixture(scope="session")
def templates(
    impressions: dict[int, list[npt.NDArray[np.uint8]]],
) -> dict[int, list[FingerprintTemplate]]:
    """Templates of those impressions; NFIQ 2 is assessed on each finger's first only."""
    return {
        seed: [extract_template(image, assess_quality=(i == 0)) for i, image in enumerate(images)]
        for seed, images in impressions.items()
    }


def png_bytes(image: npt.NDArray[np.uint8]) -> bytes:
    """A minimal 8-bit greyscale PNG (no third-party encoder needed)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    height, width = image.shape
    rows = b"".join(b"\x00" + image[r].tobytes() for r in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
