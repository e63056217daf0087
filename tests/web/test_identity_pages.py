"""The identity-link pages over the real app: CSRF on every form, refusals worded on the
page, the officer kept out, the red link's case form, the reading audited, a record's photo
beside its data."""

from __future__ import annotations

import hashlib
import io

import numpy as np
from PIL import Image

from passerelle.biometrics.face import FACE_MODEL, FACE_MODEL_VERSION
from passerelle.biometrics.templates import FaceTemplate
from passerelle.store.identity_links import IdentityLinkRepository
from tests.api.conftest import Api
from tests.api.test_identity_links import audited, inspected, proposed
from tests.web.test_pages import csrf, login


def test_a_resolution_without_its_csrf_token_changes_nothing(api: Api) -> None:
    link_id = proposed(api, inspected(api, number="ZX9876543"), inspected(api, number="QA1234567"))
    login(api.client, "analyst.one")
    forged = api.client.post(
        f"/analysis/identities/{link_id}/resolution",
        data={"csrf_token": "forged", "colour": "red", "note": "Two passports."},
    )
    assert forged.status_code == 403
    listed = api.client.get("/analysis/identities")
    assert f'id="link-{link_id}"' in listed.text
    assert "yellow: to verify" in listed.text


def test_a_blank_note_is_refused_on_the_page_and_a_red_link_offers_a_case(api: Api) -> None:
    link_id = proposed(api, inspected(api, number="ZX9876543"), inspected(api, number="QA1234567"))
    login(api.client, "analyst.one")
    page = api.client.get(f"/analysis/identities/{link_id}")
    assert page.status_code == 200
    assert "identity fraud is suspected" in page.text
    url = f"/analysis/identities/{link_id}/resolution"
    blank = api.client.post(url, data={"csrf_token": csrf(page.text), "colour": "red", "note": ""})
    assert blank.status_code == 422
    assert 'id="error"' in blank.text
    assert "note" in blank.text
    red = api.client.post(
        url, data={"csrf_token": csrf(page.text), "colour": "red", "note": "Two passports."}
    )
    assert red.status_code == 200  # followed to the link's page
    assert "red: multiple identity" in red.text
    assert 'id="open-case"' in red.text
    assert 'id="resolution-locked"' in red.text
    assert [r["outcome"] for r in audited(api, "identity_link.read")] == ["found"] * 3


def test_an_officer_is_refused_and_an_unknown_link_is_a_404_page(api: Api) -> None:
    login(api.client, "officer.one")
    assert api.client.get("/analysis/identities").status_code == 403
    api.client.cookies.clear()
    login(api.client, "analyst.one")
    assert api.client.get("/analysis/identities/4242").status_code == 404
    asked = api.client.get("/analysis/identities?colour=purple")
    assert asked.status_code == 422


def filed_photo(api: Api, record: str) -> bytes:
    """File a face with its reference photo under a record's id, as a chip photo is filed."""
    from passerelle.wiring import face_galleries

    image = portrait_png()
    node = api.services.node
    vector = np.random.default_rng(7).normal(size=128).astype(np.float32)
    face_galleries(node).enrol(
        "travellers",
        record,
        FaceTemplate(FACE_MODEL, FACE_MODEL_VERSION, vector),
        source_sha256=hashlib.sha256(image).hexdigest(),
        at=node.clock(),
        by="enrolment.test",
        image=image,
    )
    return image


def portrait_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (240, 300), (182, 140, 120)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_record_s_photo_stands_beside_its_data_and_each_reading_is_audited(api: Api) -> None:
    first = inspected(api, number="ZX9876543")
    second = inspected(api, number="QA1234567")
    link_id = proposed(api, first, second)
    filed_photo(api, first)
    node = api.services.node
    with node.database.read() as session:
        link = IdentityLinkRepository(node.audit).get(session, link_id)
    side, other = (1, 2) if link.left.ref == first else (2, 1)  # ends are stored in order
    photo_url = f"/analysis/identities/{link_id}/records/{side}/photo.jpg"
    login(api.client, "analyst.one")
    page = api.client.get(f"/analysis/identities/{link_id}")
    assert f'src="{photo_url}"' in page.text
    assert f"/records/{other}/photo.jpg" not in page.text
    assert page.text.count("no photo held with this record") == 1

    photo = api.client.get(photo_url)
    assert photo.status_code == 200
    assert photo.headers["content-type"] == "image/jpeg"
    assert photo.headers["cache-control"] == "no-store"
    assert Image.open(io.BytesIO(photo.content)).size == (240, 300)
    missing = api.client.get(f"/analysis/identities/{link_id}/records/{other}/photo.jpg")
    assert missing.status_code == 404
    assert api.client.get(f"/analysis/identities/{link_id}/records/3/photo.jpg").status_code == 422

    readings = audited(api, "face.reference")
    assert [(r["actor"], r["outcome"], r["side"]) for r in readings] == [
        ("analyst.one", "found", side),
        ("analyst.one", "not_found", other),
    ]
    assert readings[0]["record"] == f"inspection:{first}"
    assert readings[0]["photo_sha256"] == hashlib.sha256(photo.content).hexdigest()

    api.client.cookies.clear()
    login(api.client, "officer.one")
    assert api.client.get(photo_url).status_code == 403


def test_the_api_says_which_record_has_a_photo(api: Api) -> None:
    first = inspected(api, number="ZX9876543")
    link_id = proposed(api, first, inspected(api, number="QA1234567"))
    filed_photo(api, first)
    analyst = api.as_role("analyst")
    evidence = api.client.get(f"/api/v1/identity-links/{link_id}", headers=analyst).json()
    photos = {record["ref"]: record["photo"] for record in evidence["records"]}
    assert photos[first] is True
    assert list(photos.values()).count(False) == 1
