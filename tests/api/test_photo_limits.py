"""Photos cannot switch face matching off: while another officer floods the node with
oversized and expensive photos, a traveller whose face is on the wanted list is still a hit.

Two 6000×6000 PNGs (118 KB each to send) used to cost 52 s of CPU and 1.5 GB, and
the face checks behind them timed out to ``refer`` for about a minute. Now a photo
over the pixel budget is refused at the door (422, from its header), a photo
within it is reduced before the model sees it and captured in a worker process
(one per user at a time, killed past its deadline), and photo requests are
rate-limited per user (429 with ``Retry-After``).
"""

from __future__ import annotations

import base64
import io
import threading
from collections import Counter

import pytest
from PIL import Image
from skimage import data

from passerelle.screening import DlibFaceEngine
from tests.api.conftest import PASSWORD, SETUP, Api
from tests.screening.conftest import passport


def encoded(image: Image.Image, kind: str) -> str:
    out = io.BytesIO()
    image.save(out, format=kind)
    return base64.b64encode(out.getvalue()).decode()


WANTED_FACE = encoded(Image.fromarray(data.astronaut()).resize((800, 800), Image.LANCZOS), "JPEG")
OVERSIZED = encoded(Image.new("RGB", (6000, 6000), (120, 130, 140)), "PNG")
"""The issue's photo: 118 KB to send, 36 MP (108 MB) to decode."""
EXPENSIVE = encoded(Image.new("RGB", (4800, 4800), (120, 130, 140)), "PNG")
"""23 MP, just within the budget: decoded, then reduced before the model sees it."""


def inspection(**photos: str) -> dict[str, str]:
    return {
        "mrz": passport(),
        "purpose": "border control",
        "crossing_point": "TNG-MED",
        "direction": "entry",
        **photos,
    }


def enrol_wanted(api: Api) -> None:
    capture = DlibFaceEngine().capture(base64.b64decode(WANTED_FACE), field="portrait")
    api.services.galleries.enrol(
        "wanted",
        "MAR-W-0001",
        capture,
        source_sha256="0" * 64,
        at=api.services.node.clock(),
        by="registry.admin",
    )


def second_officer(api: Api) -> dict[str, str]:
    access = api.services.access
    access.add_user("officer.two", "officer", PASSWORD, by=SETUP)
    return {"authorization": f"Bearer {access.issue_token('officer.two', by=SETUP).token}"}


def test_a_wanted_face_is_still_a_hit_while_another_officer_floods_the_node(api: Api) -> None:
    enrol_wanted(api)
    flooder = second_officer(api)
    officer = api.as_role("officer")
    for _ in range(3):  # before the flood: a hit, once the face model is loaded
        quiet = api.client.post(
            "/api/v1/inspections", json=inspection(live_photo=WANTED_FACE), headers=officer
        )
        if quiet.json()["decision"] == "hit":
            break
    assert quiet.json()["decision"] == "hit", quiet.text

    answers: Counter[int] = Counter()
    stop = threading.Event()

    def flood() -> None:
        while not stop.is_set():
            for photo in (OVERSIZED, EXPENSIVE):
                sent = api.client.post(
                    "/api/v1/inspections",
                    json=inspection(document_photo=photo, live_photo=photo),
                    headers=flooder,
                )
                answers[sent.status_code] += 1

    floods = [threading.Thread(target=flood) for _ in range(4)]
    for thread in floods:
        thread.start()
    try:
        while sum(answers.values()) < 8:  # the flood is on
            stop.wait(0.05)
        decisions = []
        for _ in range(3):
            answer = api.client.post(
                "/api/v1/inspections", json=inspection(live_photo=WANTED_FACE), headers=officer
            )
            decisions.append((answer.status_code, answer.json()["decision"]))
    finally:
        stop.set()
        for thread in floods:
            thread.join()

    assert decisions == [(201, "hit")] * 3, decisions
    assert answers[422] > 0  # the oversized photos were refused at the door
    assert answers[429] > 0  # and the flooder was held to the photo rate
    assert answers[201] > 0  # the expensive ones within the budget reached the face workers


def test_a_photo_over_the_pixel_budget_is_refused_at_the_door_naming_the_field(api: Api) -> None:
    answer = api.client.post(
        "/api/v1/inspections",
        json=inspection(live_photo=OVERSIZED),
        headers=api.as_role("officer"),
    )
    assert answer.status_code == 422
    assert answer.json() == {
        "detail": "live_photo: is 6000×6000 pixels (36.0 MP): more than the 24.0 MP this node "
        "decodes; send a photo of at most 24.0 MP",
        "field": "live_photo",
        "status": 422,
    }
    assert "Traceback" not in answer.text


def test_photo_requests_beyond_the_users_rate_are_answered_429_with_retry_after(api: Api) -> None:
    officer = api.as_role("officer")
    junk = base64.b64encode(b"not a photo").decode()  # cheap: refused before any worker
    statuses = [
        api.client.post(
            "/api/v1/inspections", json=inspection(live_photo=junk), headers=officer
        ).status_code
        for _ in range(10)
    ]
    assert statuses == [201] * 10
    refused = api.client.post(
        "/api/v1/inspections", json=inspection(live_photo=junk), headers=officer
    )
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) >= 1
    assert refused.json()["detail"].startswith("too many photos: at most 20 a minute (10 at once)")
    without_photo = api.client.post("/api/v1/inspections", json=inspection(), headers=officer)
    assert without_photo.status_code == 201  # inspections without photos are not limited
    other = api.client.post(
        "/api/v1/inspections", json=inspection(live_photo=junk), headers=api.as_role("admin")
    )
    assert other.status_code != 429  # the limit is per user


@pytest.fixture
def booth(api: Api) -> Api:
    from tests.web.test_pages import login

    assert login(api.client, "officer.one") == 303
    return api


def post_check(api: Api, photo: bytes) -> tuple[int, str]:
    from tests.web.test_pages import csrf

    form = api.client.get("/check").text
    answer = api.client.post(
        "/check",
        data={
            "csrf_token": csrf(form),
            "mrz": passport(),
            "crossing_point": "TNG-MED",
            "direction": "entry",
            "purpose": "border control",
        },
        files={"live_photo": ("live.png", photo, "image/png")},
        follow_redirects=False,
    )
    return answer.status_code, answer.text


def test_the_booth_says_why_a_photo_is_too_large_or_comes_too_often(booth: Api) -> None:
    status, page = post_check(booth, base64.b64decode(OVERSIZED))
    assert status == 422
    assert "Live photo: is 6000×6000 pixels (36.0 MP)" in page
    statuses = [post_check(booth, b"not a photo")[0] for _ in range(9)]
    assert statuses == [303] * 9  # the refused one above counted: 10 photo requests in all
    status, page = post_check(booth, b"not a photo")
    assert status == 429
    assert "Photos: too many photos: at most 20 a minute" in page
