"""What the officer and the analysts see (issue 14, part SEES), through the API and the pages
without a browser: one queue item per traveller and hit, the traveller's history on the
verdict, and a face hit's reference photo and name (the real dlib model)."""

from __future__ import annotations

import base64
import hashlib
import io

import pytest
from PIL import Image
from sqlalchemy import select

from passerelle.biometrics.face import capture_face, read_image
from passerelle.node import Node
from passerelle.store import Actor
from passerelle.store.tables import AuditPayload, AuditRecord, FaceReference
from tests.api.conftest import Api
from tests.conftest import Clock
from tests.screening.conftest import STOLEN_NUMBER, passport
from tests.screening.test_faces import astronaut  # noqa: F401  (fixture)
from tests.web.test_pages import login

BODY = {"purpose": "border control", "crossing_point": "TNG-MED", "direction": "entry"}
KEEPER = Actor("analyst.one", "user", "analyst")


def inspect(api: Api, mrz: str, point: str = "TNG-MED", **photos: str) -> dict[str, object]:
    answer = api.client.post(
        "/api/v1/inspections",
        json={**BODY, "crossing_point": point, "mrz": mrz, **photos},
        headers=api.as_role("officer"),
    )
    assert answer.status_code == 201, answer.text
    result: dict[str, object] = answer.json()
    return result


def audited(
    node: Node, action: str
) -> list[tuple[str | None, dict[str, object], dict[str, object]]]:
    with node.database.read() as session:
        rows = session.execute(
            select(AuditRecord.purpose, AuditPayload.query, AuditPayload.result)
            .join(AuditPayload, AuditPayload.seq == AuditRecord.seq)
            .where(AuditRecord.action == action)
            .order_by(AuditRecord.seq)
        ).all()
    return [(purpose, query, result) for purpose, query, result in rows]


def test_three_scans_of_a_stolen_passport_are_one_queue_item_seen_three_times(
    api: Api, node: Node
) -> None:
    first = inspect(api, passport(number=STOLEN_NUMBER))
    inspect(api, passport(number=STOLEN_NUMBER), point="CMN-T1")
    last = inspect(api, passport(number=STOLEN_NUMBER), point="OUJ-ZKH")
    analyst = api.as_role("analyst")

    (item,) = api.client.get("/api/v1/hits", headers=analyst).json()["hits"]
    assert item["inspection_id"] == first["inspection_id"]
    assert item["last_inspection_id"] == last["inspection_id"]
    assert item["sightings"] == 3
    assert item["traveller_name"] == "LAMRANI, SALMA"
    assert (item["issuing_state"], item["document_number"]) == ("MAR", STOLEN_NUMBER)
    assert item["crossing_point"] == "OUJ-ZKH"
    assert item["seen_at"] == item["last_seen_at"] == last["at"]
    assert (item["source"], item["reference"]) == ("sltd", f"MAR:{STOLEN_NUMBER}")
    assert item["label"] == "Stolen or lost document"
    (_, query, result) = audited(node, "hit_review.queue")[-1]
    assert query == {"limit": 100}
    assert result == {"outcome": "listed", "count": 1, "reviews": [item["id"]]}

    confirmed = api.client.post(
        f"/api/v1/hits/{item['id']}/confirm", json={"note": "seized"}, headers=analyst
    )
    assert confirmed.json()["sightings"] == 3
    again = inspect(api, passport(number=STOLEN_NUMBER))
    (fresh,) = api.client.get("/api/v1/hits", headers=analyst).json()["hits"]
    assert fresh["id"] != item["id"]  # a confirmed review absorbs no new hit
    assert (fresh["sightings"], fresh["inspection_id"]) == (1, again["inspection_id"])


def test_the_queue_names_the_alert_hit_and_lists_newest_first(api: Api) -> None:
    inspect(api, passport(number=STOLEN_NUMBER))
    wanted = inspect(
        api, passport(surname="BEN<ALI", given_names="MOHAMED", birth_date="850302", sex="M")
    )
    analyst = api.as_role("analyst")

    newest = api.client.get("/api/v1/hits", params={"order": "newest"}, headers=analyst).json()
    oldest = api.client.get("/api/v1/hits", headers=analyst).json()
    assert newest["hits"][0]["last_inspection_id"] == wanted["inspection_id"]
    assert [h["id"] for h in newest["hits"]] == [h["id"] for h in reversed(oldest["hits"])]
    assert (
        api.client.get("/api/v1/hits", params={"order": "any"}, headers=analyst).status_code == 422
    )


def test_the_review_page_shows_one_row_with_the_traveller_and_the_crossing_point(
    api: Api,
) -> None:
    for point in ("TNG-MED", "CMN-T1"):
        inspect(api, passport(number=STOLEN_NUMBER), point=point)
    login(api.client, "analyst.one")
    page = api.client.get("/review").text
    assert page.count('<tr id="review-') == 1
    assert "LAMRANI, SALMA" in page
    assert f"MAR {STOLEN_NUMBER}" in page
    assert "CMN-T1" in page
    assert "seen 2 times" in page


def test_the_verdict_shows_the_documents_last_crossings_and_inspections(
    api: Api, node: Node, clock: Clock
) -> None:
    officer = api.as_role("officer")
    earlier = inspect(api, passport(), point="CMN-T1")  # clear: a crossing is logged
    decided = api.client.post(
        f"/api/v1/inspections/{earlier['inspection_id']}/decision",
        json={"action": "admit", "reason_code": "cleared"},
        headers=officer,
    )
    assert decided.status_code in (200, 201), decided.text
    clock.advance(days=3)
    now = inspect(api, passport(), point="TNG-MED")

    login(api.client, "officer.one")
    verdict = api.client.get(f"/check/{now['inspection_id']}").text
    assert 'id="history"' in verdict
    assert 'id="history-crossings"' in verdict
    assert verdict.count("<td>CMN-T1</td>") == 1  # the earlier crossing; not this one's own
    assert "CMN-T1 (entry)" in verdict  # the earlier inspection
    assert 'admitted <small class="code">cleared</small>' in verdict
    (purpose, query, result) = audited(node, "traveller.history")[-1]
    assert purpose == "border control"
    assert query["inspection"] == now["inspection_id"]
    assert result["inspections"] == [earlier["inspection_id"]]

    first = api.client.get(f"/check/{earlier['inspection_id']}").text
    assert "No crossing recorded before." in first
    assert "No inspection before." in first


def test_a_face_hit_shows_the_wanted_persons_photo_and_name(
    api: Api,
    node: Node,
    astronaut: bytes,  # noqa: F811
) -> None:
    capture = capture_face(read_image(astronaut))
    digest = hashlib.sha256(astronaut).hexdigest()
    api.services.faces.enrol(
        KEEPER,
        "wanted",
        "MAR-W-0001",
        capture,
        digest=digest,
        image=astronaut,
        name="Nadia Berrada",
    )
    with node.database.read() as session:
        sealed = session.scalars(select(FaceReference.sealed_image)).one()
    assert sealed is not None
    assert not sealed.startswith(b"\xff\xd8")

    live = base64.b64encode(astronaut).decode()
    result = inspect(api, passport(), live_photo=live)
    assert result["decision"] == "hit"
    (hit,) = result["matches"]["faces"]  # type: ignore[index]
    assert (hit["identity"], hit["name"], hit["reference_photo"]) == (
        "MAR-W-0001",
        "Nadia Berrada",
        True,
    )
    inspection_id = result["inspection_id"]
    photo_path = f"/check/{inspection_id}/faces/wanted/MAR-W-0001.jpg"

    anonymous = api.client.get(photo_path, follow_redirects=False)
    assert anonymous.status_code == 303  # not signed in: to the login page, no photo
    assert anonymous.headers["location"].startswith("/login")
    login(api.client, "officer.one")
    verdict = api.client.get(f"/check/{inspection_id}").text
    assert 'id="face-hits"' in verdict
    assert "Nadia Berrada" in verdict
    assert f'src="{photo_path}"' in verdict
    photo = api.client.get(photo_path)
    assert photo.status_code == 200
    assert photo.headers["content-type"] == "image/jpeg"
    assert photo.headers["cache-control"] == "no-store"
    assert max(Image.open(io.BytesIO(photo.content)).size) == 480
    (purpose, query, answer) = audited(node, "face.reference")[-1]
    assert purpose == "face hit at the border"
    assert query == {"inspection": inspection_id, "gallery": "wanted", "identity": "MAR-W-0001"}
    assert answer == {
        "outcome": "found",
        "photo_sha256": hashlib.sha256(photo.content).hexdigest(),
    }

    clean = inspect(api, passport(number="ZX1111111"))
    elsewhere = f"/check/{clean['inspection_id']}/faces/wanted/MAR-W-0001.jpg"
    assert api.client.get(elsewhere).status_code == 404  # only for that inspection's face hit
    assert api.client.get(f"/check/{inspection_id}/faces/alerts/MAR-W-0001.jpg").status_code == 404
    login(api.client, "admin.one")
    assert api.client.get(photo_path).status_code == 403


@pytest.mark.parametrize("name", ["N" * 201, "Nadia\x07"])
def test_a_bad_name_at_enrolment_is_refused_and_nothing_stored(
    api: Api,
    node: Node,
    astronaut: bytes,  # noqa: F811
    name: str,
) -> None:
    from passerelle.exc import InvalidInput

    capture = capture_face(read_image(astronaut))
    with pytest.raises(InvalidInput) as refused:
        api.services.faces.enrol(
            KEEPER, "wanted", "MAR-W-0001", capture, digest="0" * 64, image=astronaut, name=name
        )
    assert refused.value.field == "name"
    with node.database.read() as session:
        assert session.scalars(select(FaceReference)).all() == []
    assert audited(node, "face.enrol") == []


def test_officers_and_analysts_see_a_face_hits_photo_until_the_face_is_removed(
    api: Api,
    node: Node,
    astronaut: bytes,  # noqa: F811
) -> None:
    api.services.faces.enrol(
        KEEPER,
        "alerts",
        "MAR-A-0001",
        capture_face(read_image(astronaut)),
        digest="0" * 64,
        image=astronaut,
    )
    result = inspect(api, passport(), live_photo=base64.b64encode(astronaut).decode())
    (hit,) = result["matches"]["faces"]  # type: ignore[index]
    assert (hit["name"], hit["reference_photo"]) == (None, True)
    path = f"/check/{result['inspection_id']}/faces/alerts/MAR-A-0001.jpg"

    for user in ("officer.one", "analyst.one"):
        login(api.client, user)
        photo = api.client.get(path)
        assert photo.status_code == 200, photo.text
        assert photo.headers["cache-control"] == "no-store"
        assert photo.content.startswith(b"\xff\xd8")
    login(api.client, "auditor.one")
    assert api.client.get(path).status_code == 403
    login(api.client, "officer.one")
    verdict = api.client.get(f"/check/{result['inspection_id']}").text
    assert "name not filed" in verdict
    missing = api.client.get(path.replace("MAR-A-0001", "MAR-A-0002"))
    assert missing.status_code == 404
    looked_up = [(q["identity"], r["outcome"]) for _, q, r in audited(node, "face.reference")]
    assert looked_up == [("MAR-A-0001", "found")] * 2 + [("MAR-A-0002", "not_found")]

    api.services.faces.remove(KEEPER, "alerts", "MAR-A-0001", "withdrawn")
    assert api.client.get(path).status_code == 404


def test_a_rescan_shows_the_joined_hit_and_takes_the_officers_feedback_on_it(
    api: Api, node: Node
) -> None:
    wanted = passport(surname="BENALI", given_names="MOHAMED", birth_date="850302", sex="M")
    first = inspect(api, wanted)
    again = inspect(api, wanted, point="CMN-T1")
    officer = api.as_role("officer")

    reading = api.client.get(f"/api/v1/inspections/{again['inspection_id']}", headers=officer)
    (review,) = [r for r in reading.json()["reviews"] if r["source"] == "watchlist"]
    assert (review["inspection_id"], review["sightings"]) == (first["inspection_id"], 2)
    marked = api.client.post(
        f"/api/v1/inspections/{again['inspection_id']}/not-same-person",
        json={"watchlist_id": "MAR-W-0001"},
        headers=officer,
    )
    assert marked.status_code == 200, marked.text
    assert (marked.json()["id"], marked.json()["feedback"]) == (review["id"], "not_same_person")
    (item,) = [
        h
        for h in api.client.get("/api/v1/hits", headers=api.as_role("analyst")).json()["hits"]
        if h["source"] == "watchlist"
    ]
    assert (item["id"], item["status"], item["feedback"]) == (
        review["id"],
        "pending",
        "not_same_person",
    )

    login(api.client, "analyst.one")
    page = api.client.get(f"/review/inspection/{again['inspection_id']}").text
    assert f'id="review-{review["id"]}"' in page  # the thread of the hit it sighted
