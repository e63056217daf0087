"""Forged-document alerts as values: the series they cover, their images, and refusals."""

from __future__ import annotations

import base64
import io
from typing import Any

import pytest
from PIL import Image

from passerelle.exc import InvalidInput
from passerelle.records.alerts import SeriesSubject, parse_alert, subject_key
from passerelle.records.forgeries import MAX_IMAGE_BYTES, series_matches

INDICATORS = (
    "UV: the data page shows no fluorescent fibres. Magnifier: the microprint line "
    "under the photo reads as a broken dotted line."
)


def png(colour: tuple[int, int, int] = (200, 40, 40), size: int = 48) -> bytes:
    """A small real PNG (a square of ``colour`` with a darker band)."""
    image = Image.new("RGB", (size, size), colour)
    for x in range(size):
        for y in range(size // 3, size // 2):
            image.putpixel((x, y), (20, 20, 60))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def forgery_alert(alert_id: str = "MAR-F-0001", **changes: Any) -> dict[str, Any]:
    """A forged_document alert on Moroccan passports AB1000000 to AB1099999, one image."""
    subject = {
        "kind": "document_series",
        "issuing_state": "MAR",
        "document_code": "P",
        "number_from": "AB1000000",
        "number_to": "AB1099999",
        "forgery_type": "counterfeit",
        "detected_by": ["uv", "magnification"],
        "indicators": INDICATORS,
    } | changes.pop("subject", {})
    return {
        "id": alert_id,
        "category": "forged_document",
        "subject": subject,
        "issuing_authority": "DGSN Rabat, document fraud unit: +212 537 00 00 01",
        "action": "Refer to second line for a document examination; keep the passport.",
        "reference_images": [
            {
                "media_type": "image/png",
                "data": base64.b64encode(png()).decode("ascii"),
                "caption": "Data page under UV light: no fibres",
            }
        ],
    } | changes


def test_a_forgery_alert_is_filed_under_its_state_and_document_type_with_its_image() -> None:
    draft = parse_alert(forgery_alert())
    assert isinstance(draft.subject, SeriesSubject)
    assert subject_key(draft.subject) == "series:MAR:P"
    assert draft.action_code == "specific_check"  # the category's default: a referral
    (image,) = draft.reference_images
    assert image.media_type == "image/png"
    assert image.data == png()
    assert parse_alert(draft.as_json()) == draft  # the round trip the registry makes


@pytest.mark.parametrize(
    ("subject", "number", "code", "inside"),
    [
        ({}, "AB1000000", "P", True),
        ({}, "AB1099999", "PO", True),
        ({}, "AB1100000", "P", False),
        ({}, "AB100000", "P", False),  # shorter than the range's numbers
        ({}, "AB1050000", "I", False),  # an identity card, not a passport
        ({"number_from": None, "number_to": None, "series": "ZX"}, "ZX9876543", "P", True),
        ({"number_from": None, "number_to": None, "number_pattern": "AB#0@*"}, "AB10C9", "P", True),
        (
            {"number_from": None, "number_to": None, "number_pattern": "AB#0@*"},
            "AB1009",
            "P",
            False,
        ),
        ({"series": "AB100"}, "AB1050000", "P", False),  # both criteria must hold
        ({"series": "AB100"}, "AB1000042", "P", True),
    ],
)
def test_a_document_is_in_the_series_when_every_criterion_takes_its_number(
    subject: dict[str, Any], number: str, code: str, inside: bool
) -> None:
    draft = parse_alert(forgery_alert(subject=subject))
    assert isinstance(draft.subject, SeriesSubject)
    assert series_matches(draft.subject, "MAR", code, number) is inside
    assert series_matches(draft.subject, "TUN", code, number) is False


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"subject": {"number_to": None}}, "subject.number_to"),
        ({"subject": {"number_to": "AB10999999"}}, "subject.number_to"),
        ({"subject": {"number_to": "AB0999999"}}, "subject.number_to"),
        ({"subject": {"number_from": None, "number_to": None}}, "subject.series"),
        ({"subject": {"number_pattern": "*#?"}}, "subject.number_pattern"),
        ({"subject": {"number_pattern": "AB-12"}}, "subject.number_pattern"),
        ({"subject": {"document_code": "PPP"}}, "subject.document_code"),
        ({"subject": {"issuing_state": "QQQ"}}, "subject.issuing_state"),
        ({"subject": {"forgery_type": "fake"}}, "subject.forgery_type"),
        ({"subject": {"detected_by": []}}, "subject.detected_by"),
        ({"subject": {"detected_by": ["smell"]}}, "subject.detected_by"),
        ({"subject": {"indicators": "  "}}, "subject.indicators"),
        ({"subject": {"colour": "red"}}, "subject.colour"),
        ({"reference_images": "photo.png"}, "reference_images"),
        (
            {"reference_images": [{"media_type": "image/gif", "data": "R0lG"}]},
            "reference_images[0].media_type",
        ),
        (
            {"reference_images": [{"media_type": "image/png", "data": "not base64!"}]},
            "reference_images[0].data",
        ),
        (
            {
                "reference_images": [
                    {"media_type": "image/jpeg", "data": base64.b64encode(png()).decode()}
                ]
            },
            "reference_images[0].data",
        ),
        (
            {
                "reference_images": [
                    {
                        "media_type": "image/png",
                        "data": base64.b64encode(
                            b"\x89PNG\r\n\x1a\n" + bytes(MAX_IMAGE_BYTES)
                        ).decode(),
                    }
                ]
            },
            "reference_images[0].data",
        ),
        (
            {
                "reference_images": [
                    {"media_type": "image/png", "data": base64.b64encode(png()).decode()}
                ]
                * 5
            },
            "reference_images",
        ),
        ({"category": "stolen_document"}, "subject.kind"),
    ],
)
def test_a_bad_forgery_alert_is_refused_naming_the_field(
    changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_alert(forgery_alert(**changes))
    assert refused.value.field == field


def test_only_a_forgery_alert_carries_reference_images() -> None:
    record = {
        "category": "stolen_document",
        "subject": {"kind": "document", "issuing_state": "MAR", "document_number": "AB1"},
        "issuing_authority": "DGSN",
        "action": "Seize it.",
        "reference_images": forgery_alert()["reference_images"],
    }
    with pytest.raises(InvalidInput) as refused:
        parse_alert(record)
    assert refused.value.field == "reference_images"
