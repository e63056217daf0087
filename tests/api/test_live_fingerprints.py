"""A live fingerprint capture with an inspection: extracted in the node's workers (real NBIS),
searched in the wanted list, and refused at the door when it is too large or not an image.

The loaded node (``tests.screening.conftest``) lists MAR-W-0001 as wanted; its
right index finger (ISO position 2) is enrolled from one synthetic impression and
the booth sends another impression of the same finger.
"""

from __future__ import annotations

import base64
import io
from functools import cache
from typing import Any

import numpy as np
from PIL import Image

from passerelle.biometrics.fingerprint import extract_template
from passerelle.biometrics.fingerprint.synthetic import generate_master, render_impression
from passerelle.wiring import finger_galleries
from tests.api.conftest import Api
from tests.screening.conftest import passport

WANTED_FINGER = 4242
STRANGER_FINGER = 4343


@cache
def impression_png(seed: int, number: int) -> str:
    """Impression ``number`` of synthetic finger ``seed`` as a base64 PNG (500 ppi)."""
    out = io.BytesIO()
    Image.fromarray(render_impression(generate_master(seed), number)).save(out, format="PNG")
    return base64.b64encode(out.getvalue()).decode()


def inspection(*fingers: dict[str, Any]) -> dict[str, Any]:
    return {
        "mrz": passport(),
        "purpose": "border control",
        "crossing_point": "TNG-MED",
        "direction": "entry",
        "fingerprints": list(fingers),
    }


def enrol_wanted_finger(api: Api) -> None:
    template = extract_template(
        render_impression(generate_master(WANTED_FINGER), 0), finger_position=2
    )
    finger_galleries(api.services.node).enrol(
        "wanted",
        "MAR-W-0001/2",
        template,
        source_sha256="0" * 64,
        at=api.services.node.clock(),
        by="registry.admin",
    )


def post(api: Api, body: dict[str, Any]) -> Any:
    """``POST /inspections`` as the officer; asked again (at most twice) while the workers
    could not extract in time (an ``unavailable`` finding: a fresh worker loads its models
    first, and this machine is shared), as an officer would check again."""
    for _ in range(3):
        answer = api.client.post("/api/v1/inspections", json=body, headers=api.as_role("officer"))
        if answer.status_code != 201 or not any(
            f["code"] == "unavailable" for f in fingerprint_findings(answer.json())
        ):
            break
    return answer


def fingerprint_findings(answer: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for f in answer["findings"] if f["source"] == "fingerprint"]


def test_another_impression_of_a_wanted_finger_is_a_hit_naming_the_finger_and_the_score(
    api: Api,
) -> None:
    enrol_wanted_finger(api)
    answer = post(api, inspection({"position": 2, "image": impression_png(WANTED_FINGER, 1)}))
    assert answer.status_code == 201, answer.text
    result = answer.json()
    assert result["decision"] == "hit"
    (hit,) = fingerprint_findings(result)
    assert (hit["code"], hit["severity"]) == ("fingerprint_list_match", "hit")
    assert "right index finger" in hit["message"]
    assert "watchlist person MAR-W-0001" in hit["message"]
    assert "BOZORTH3 score" in hit["message"]
    assert hit["reference"] == "wanted:MAR-W-0001/2"
    assert result["sources"]["fingerprint"] == "red"
    queued = api.client.get("/api/v1/hits", headers=api.as_role("analyst")).json()["hits"]
    (review,) = [h for h in queued if h["source"] == "fingerprint"]
    assert (review["reference"], review["label"]) == (
        "wanted:MAR-W-0001/2",
        "Fingerprint in the wanted list: MAR-W-0001/2",
    )


def test_another_finger_finds_nothing_and_the_fingerprint_light_is_green(api: Api) -> None:
    enrol_wanted_finger(api)
    answer = post(api, inspection({"position": 7, "image": impression_png(STRANGER_FINGER, 1)}))
    assert answer.status_code == 201, answer.text
    assert fingerprint_findings(answer.json()) == []
    assert answer.json()["sources"]["fingerprint"] == "green"


def test_an_unusable_print_is_a_finding_not_an_error(api: Api) -> None:
    blank = io.BytesIO()
    Image.fromarray(np.full((400, 320), 250, dtype=np.uint8)).save(blank, format="PNG")
    image = base64.b64encode(blank.getvalue()).decode()
    answer = post(api, inspection({"position": 1, "image": image}))
    assert answer.status_code == 201, answer.text
    (unusable,) = fingerprint_findings(answer.json())
    assert (unusable["code"], unusable["severity"]) == ("fingerprint_unusable", "refer")
    assert "right thumb" in unusable["message"]
    assert "no minutiae" in unusable["message"]
    assert answer.json()["decision"] == "refer"


def test_an_image_over_the_byte_budget_is_refused_413_naming_the_field(api: Api) -> None:
    too_large = base64.b64encode(b"\x89PNG\r\n\x1a\n" + bytes(2 * 1024 * 1024)).decode()
    fine = {"position": 2, "image": impression_png(WANTED_FINGER, 1)}
    answer = post(api, inspection(fine, {"position": 3, "image": too_large}))
    assert answer.status_code == 413, answer.text
    assert answer.json()["field"] == "fingerprints[1].image"


def test_a_tiny_or_foreign_image_and_a_bad_position_are_refused_422_naming_the_field(
    api: Api,
) -> None:
    tiny = io.BytesIO()
    Image.fromarray(np.zeros((8, 8), dtype=np.uint8)).save(tiny, format="PNG")
    small = base64.b64encode(tiny.getvalue()).decode()
    answer = post(api, inspection({"position": 2, "image": small}))
    assert answer.status_code == 422, answer.text
    assert answer.json()["field"] == "fingerprints[0].image"
    gif = base64.b64encode(b"GIF89a" + bytes(64)).decode()
    assert post(api, inspection({"position": 2, "image": gif})).json()["field"] == (
        "fingerprints[0].image"
    )
    answer = post(api, inspection({"position": 11, "image": impression_png(WANTED_FINGER, 1)}))
    assert answer.status_code == 422
    assert "fingerprints" in answer.json()["field"]
    twice = {"position": 2, "image": impression_png(WANTED_FINGER, 1)}
    answer = post(api, inspection(twice, twice))
    assert (answer.status_code, answer.json()["field"]) == (422, "fingerprints[1].position")


def test_a_print_sent_with_a_live_photo_waits_for_the_officers_worker_and_is_compared(
    api: Api,
) -> None:
    from tests.api.test_photo_limits import WANTED_FACE

    enrol_wanted_finger(api)
    body = inspection({"position": 2, "image": impression_png(WANTED_FINGER, 1)})
    body["live_photo"] = WANTED_FACE  # the face capture takes the officer's one worker first
    answer = api.client.post("/api/v1/inspections", json=body, headers=api.as_role("officer"))
    assert answer.status_code == 201, answer.text
    assert [f["code"] for f in fingerprint_findings(answer.json())] == ["fingerprint_list_match"]
