"""A photo the node cannot read is refused in words naming the field and the reason, never
with the decoder's message (which held a Python object repr: ``<_io.BytesIO object at 0x…>``)."""

from __future__ import annotations

import base64
import io
import re

import pytest
from PIL import Image, ImageFile

from passerelle.biometrics.face import read_image
from passerelle.biometrics.reference import reference_jpeg
from passerelle.exc import InvalidInput
from tests.api.conftest import Api
from tests.screening.conftest import passport

REPR = re.compile(r"object at 0x|<[\w.]+ |BytesIO|PIL\.")


def _truncated_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 10, 10)).save(out, format="PNG")
    return out.getvalue()[:80]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"not a photo at all", "is not an image this node reads (JPEG, PNG, WebP, ...)"),
        (_truncated_png(), "is a damaged or truncated image"),
    ],
)
def test_an_unreadable_photo_is_refused_in_words(
    data: bytes, reason: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # weasyprint sets this process-wide on import (a test may import it without printing).
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", False)
    for read in (read_image, reference_jpeg):
        with pytest.raises(InvalidInput) as refused:
            read(data, field="live_photo")
        assert refused.value.field == "live_photo"
        assert refused.value.reason == reason
        assert not REPR.search(str(refused.value))


def test_the_officer_reads_why_a_photo_was_not_used_without_a_repr(api: Api) -> None:
    junk = base64.b64encode(b"\x89PNG not really").decode()
    answer = api.client.post(
        "/api/v1/inspections",
        json={
            "mrz": passport(),
            "purpose": "border control",
            "crossing_point": "TNG-MED",
            "direction": "entry",
            "live_photo": junk,
            "document_photo": junk,
        },
        headers=api.as_role("officer"),
    )
    assert answer.status_code == 201, answer.text
    messages = [f["message"] for f in answer.json()["findings"] if f["source"] == "face"]
    assert messages == [
        f"The {photo} cannot be used: is not an image this node reads (JPEG, PNG, WebP, ...). "
        "Take it again or compare by eye."
        for photo in ("document portrait", "live photo")
    ]
    assert not REPR.search(answer.text), answer.text


def test_a_damaged_photo_is_still_refused_after_a_receipt_was_printed(api: Api) -> None:
    officer = api.as_role("officer")
    inspection = api.client.post(
        "/api/v1/inspections",
        json={
            "mrz": passport(),
            "purpose": "border control",
            "crossing_point": "TNG-MED",
            "direction": "entry",
        },
        headers=officer,
    ).json()["inspection_id"]
    path = f"/api/v1/inspections/{inspection}/seizures"
    seized = api.client.post(path, json={"reason": "Forged"}, headers=officer)
    assert seized.status_code == 201, seized.text
    receipt = api.client.get(f"{path}/1/receipt.pdf", headers=officer)
    assert receipt.status_code == 200
    with pytest.raises(InvalidInput, match="is a damaged or truncated image"):
        read_image(_truncated_png(), field="live_photo")
