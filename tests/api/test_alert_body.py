"""``POST /api/v1/alerts`` takes an ``AlertIn``: checked by ``parse_alert``, the CLI's rules,
and refused with the same words, naming the field, in the house error body."""

from __future__ import annotations

from typing import Any

import pytest

from passerelle.api.models import AlertOut
from passerelle.exc import InvalidInput
from passerelle.records.alerts import parse_alert
from tests.api.conftest import Api
from tests.records.test_forgeries import forgery_alert

VEHICLE = {
    "id": "MAR-V-0001",
    "category": "stolen_vehicle",
    "subject": {"kind": "vehicle", "plate": "ab-123-cd", "registration_country": "fra"},
    "issuing_authority": "Police nationale",
    "action": "Stop the vehicle and call the duty officer.",
}
BAD: dict[str, dict[str, Any]] = {
    "a subject its category does not concern": {
        **VEHICLE,
        "subject": {"kind": "person", "names": ["Karim Haddad"]},
    },
    "an unknown field": {**VEHICLE, "colour": "red"},
    "an unknown field in the subject": {
        **VEHICLE,
        "subject": {"kind": "vehicle", "plate": "AB123", "registration_country": "FRA", "x": 1},
    },
    "no subject": {k: v for k, v in VEHICLE.items() if k != "subject"},
    "an unknown state": {
        **VEHICLE,
        "subject": {"kind": "vehicle", "plate": "AB123", "registration_country": "QQQ"},
    },
    "a plate with no letters or digits": {
        **VEHICLE,
        "subject": {"kind": "vehicle", "plate": "--", "registration_country": "FRA"},
    },
    "a shareable flag that is a string": {**VEHICLE, "shareable": "yes"},
    "a date that does not exist": {**VEHICLE, "valid_until": "2027-02-30"},
    "a category it does not know": {**VEHICLE, "category": "parking"},
    "an empty action": {**VEHICLE, "action": "  "},
}


def test_an_alert_is_issued_with_its_values_as_parse_alert_reads_them(api: Api) -> None:
    answer = api.client.post("/api/v1/alerts", json=VEHICLE, headers=api.as_role("analyst"))
    assert answer.status_code == 201, answer.text
    issued = answer.json()
    assert set(issued) == set(AlertOut.model_fields)
    assert issued["subject"] == {
        "kind": "vehicle",
        "plate": "AB-123-CD",
        "registration_country": "FRA",
    }
    assert issued["status"] == "active"
    assert issued["shareable"] is True


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_alert_is_refused_as_parse_alert_refuses_it(api: Api, case: str) -> None:
    record = BAD[case]
    with pytest.raises(InvalidInput) as refused:
        parse_alert(record)
    answer = api.client.post("/api/v1/alerts", json=record, headers=api.as_role("analyst"))
    assert answer.status_code == 422, answer.text
    assert answer.json() == {
        "detail": f"{refused.value.field}: {refused.value.reason}",
        "field": refused.value.field,
        "status": 422,
    }


def test_a_body_that_is_not_an_object_is_refused_naming_the_body(api: Api) -> None:
    answer = api.client.post("/api/v1/alerts", json=[VEHICLE], headers=api.as_role("analyst"))
    assert answer.status_code == 422
    assert answer.json() == {
        "detail": "body: Input should be a valid dictionary",
        "field": "body",
        "status": 422,
    }


def test_the_caller_is_checked_before_the_body(api: Api) -> None:
    bad = BAD["an unknown field"]
    assert api.client.post("/api/v1/alerts", json=bad).status_code == 401
    officer = api.client.post("/api/v1/alerts", json=bad, headers=api.as_role("officer"))
    assert officer.status_code == 403


def test_a_forgery_alert_is_issued_with_its_series_and_a_bad_image_is_refused_by_name(
    api: Api,
) -> None:
    record = forgery_alert("MAR-F-0009")
    answer = api.client.post("/api/v1/alerts", json=record, headers=api.as_role("analyst"))
    assert answer.status_code == 201, answer.text
    issued = answer.json()
    assert (issued["kind"], issued["category"]) == ("document_series", "forged_document")
    assert issued["action_code"] == "specific_check"
    assert issued["subject"]["number_from"] == "AB1000000"
    assert issued["subject"]["detected_by"] == ["uv", "magnification"]

    bad = forgery_alert("MAR-F-0010")
    bad["reference_images"][0]["media_type"] = "image/jpeg"  # the bytes are a PNG
    refused = api.client.post("/api/v1/alerts", json=bad, headers=api.as_role("analyst"))
    assert refused.status_code == 422
    assert refused.json()["field"] == "reference_images[0].data"
