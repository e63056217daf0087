"""The risk page, its API twin and its exports: the same reading, each one audited."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

from pypdf import PdfReader

from passerelle.demo.loading import CROSSING_MAP_FILE
from passerelle.store import Actor
from passerelle.store.audit_reading import AuditEntry, read_audit
from passerelle.store.crossings import CrossingEntry, record_crossing
from tests.api.conftest import PASSWORD, SETUP, Api
from tests.web.test_pages import login

DOCUMENT = "DU1234567"
OFFICER = Actor("officer.one", "user", "officer")


def plant(api: Api, *, geojson: str | None = None) -> str:
    """A passport at Tanger Med and, four minutes later, at Oujda; the node's map. The day."""
    node = api.services.node
    path = node.settings.effective_crossing_points_geojson
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(geojson or CROSSING_MAP_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    at = node.clock().replace(hour=9, minute=0, second=0, microsecond=0) - timedelta(days=2)
    with node.database.write() as session:
        for point, way, minutes in (("TNG-MED", "entry", 0), ("OUJ-ZKH", "exit", 4)):
            entry = CrossingEntry(
                issuing_state="FRA", document_number=DOCUMENT, nationality="FRA",
                crossing_point=point, direction=way, at=at + timedelta(minutes=minutes),
            )  # fmt: skip
            record_crossing(session, node.audit, entry, actor=OFFICER, now=node.clock())
    return at.date().isoformat()


def audited(api: Api, action: str) -> list[AuditEntry]:
    with api.services.node.database.read() as session:
        return read_audit(session, action=action, limit=10)[::-1]


def test_the_api_lists_a_double_use_with_its_crossings_and_records_the_reading(api: Api) -> None:
    day = plant(api)
    answer = api.client.get(
        f"/api/v1/analysis/risk?start={day}&end={day}", headers=api.as_role("analyst")
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    (finding,) = body["findings"]
    assert finding["rule"] == "used_at_once"
    assert [r["crossing_point"] for r in finding["records"]] == ["TNG-MED", "OUJ-ZKH"]
    assert {p["code"] for p in body["map"]} >= {"TNG-MED", "OUJ-ZKH"}
    (record,) = audited(api, "risk.read")
    assert record.actor == "analyst.one"
    assert record.query is not None
    assert record.query["start"] == day


def test_an_officer_may_not_read_risks_and_a_bad_filter_names_its_field(api: Api) -> None:
    plant(api)
    refused = api.client.get("/api/v1/analysis/risk", headers=api.as_role("officer"))
    assert refused.status_code == 403
    bad = api.client.get("/api/v1/analysis/risk?nationality=12", headers=api.as_role("analyst"))
    assert bad.status_code == 422
    assert "nationality" in bad.text


def test_the_page_shows_the_finding_the_map_and_the_export_links(api: Api) -> None:
    day = plant(api)
    login(api.client, "analyst.one")
    page = api.client.get(f"/analysis/risk?start={day}&end={day}&granularity=week")
    assert page.status_code == 200
    assert 'data-rule="used_at_once"' in page.text
    assert DOCUMENT in page.text
    assert 'data-code="TNG-MED"' in page.text
    assert 'id="map-table"' in page.text
    assert "/analysis/risk/export.zip?" in page.text
    bad = api.client.get("/analysis/risk?nationality=12")
    assert bad.status_code == 422
    assert 'id="risk-error"' in bad.text


def test_a_bad_map_file_is_said_naming_the_feature_field(api: Api) -> None:
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [-5.5, 95]},  # no latitude above 90
        "properties": {"code": "TNG-MED", "name": "Tanger Med", "kind": "port"},
    }
    broken = {"type": "FeatureCollection", "features": [feature]}
    plant(api, geojson=json.dumps(broken))
    login(api.client, "analyst.one")
    page = api.client.get("/analysis/risk")
    assert "features[0].geometry.coordinates" in page.text


def test_the_csv_and_pdf_exports_hold_the_finding_and_are_audited(api: Api) -> None:
    day = plant(api)
    api.services.access.add_user("supervisor.one", "supervisor", PASSWORD, by=SETUP)
    api.client.headers["accept-language"] = "fr"  # kept on the account at the first login
    login(api.client, "supervisor.one")
    answer = api.client.get(f"/analysis/risk/export.zip?start={day}&end={day}")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/zip", answer.text[:3000]
    archive = zipfile.ZipFile(io.BytesIO(answer.content))
    assert set(archive.namelist()) == {
        "routes.csv", "nationalities.csv", "periods.csv", "findings.csv",
    }  # fmt: skip
    findings = archive.read("findings.csv").decode("utf-8-sig")
    assert f"FRA {DOCUMENT}" in findings
    assert "OUJ-ZKH" in findings
    printed = api.client.get(f"/analysis/risk/report.pdf?start={day}&end={day}")
    assert printed.headers["content-type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(printed.content)).pages)
    assert DOCUMENT in text
    assert "Indicateurs" in text  # in the reader's language
    formats = [(r.query or {}).get("format") for r in audited(api, "risk.export")]
    assert formats == ["csv", "pdf"]
