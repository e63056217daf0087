"""One search, one audit record: the API, the web pages and the CLI record the same thing.

Each test makes the same search through two or three faces, on one node, and
compares what the audit trail holds for each: the action, the purpose, the
query and the result (the actor differs by face: a bearer token's user, a web
session's user, the console's ``local:`` operator).
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from passerelle.cli import app
from passerelle.node import Node
from passerelle.records.catalogues import parse_catalogues
from passerelle.store.tables import AuditPayload, AuditRecord
from tests.api.conftest import Api
from tests.screening.conftest import STOLEN_NUMBER, passport
from tests.web.test_pages import login

Record = tuple[str, str | None, dict[str, Any], dict[str, Any]]


def records(node: Node, action: str) -> list[Record]:
    """(action, purpose, query, result) of the node's audit records for ``action``, in order."""
    with node.database.read() as session:
        rows = session.execute(
            select(AuditRecord.action, AuditRecord.purpose, AuditPayload.query, AuditPayload.result)
            .join(AuditPayload, AuditPayload.seq == AuditRecord.seq)
            .where(AuditRecord.action == action)
            .order_by(AuditRecord.seq)
        ).all()
    return [(a, p, q, r) for a, p, q, r in rows]


def actors(node: Node, action: str) -> list[tuple[str, str]]:
    with node.database.read() as session:
        rows = session.execute(
            select(AuditRecord.actor, AuditRecord.role)
            .where(AuditRecord.action == action)
            .order_by(AuditRecord.seq)
        ).all()
    return [(actor, role) for actor, role in rows]


@pytest.fixture
def cli(node: Node, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    """The command line, on the same database as the API's node."""
    monkeypatch.setenv("PASSERELLE_HOME", str(node.settings.home))
    monkeypatch.setenv("PASSERELLE_DATABASE_URL", node.settings.effective_database_url)
    monkeypatch.setenv("PASSERELLE_AUDIT_KEY_FILE", str(node.settings.effective_audit_key_file))
    return CliRunner()


def run(runner: CliRunner, *args: str) -> str:
    done = runner.invoke(app, list(args))
    assert done.exit_code in (0, 1), done.output
    return done.output


def same(found: list[Record], faces: int) -> Record:
    """The one record every face wrote (there are ``faces`` of them, all equal)."""
    assert len(found) == faces
    assert all(record == found[0] for record in found), found
    return found[0]


def test_a_stolen_document_search_is_recorded_alike_by_the_api_the_page_and_the_cli(
    api: Api, node: Node, cli: CliRunner
) -> None:
    why = "second-line check"
    answer = api.client.get(
        f"/api/v1/sltd/mar/{STOLEN_NUMBER.lower()}",
        params={"purpose": why},
        headers=api.as_role("officer"),
    )
    assert answer.json()["hit"] is True
    login(api.client, "officer.one")
    page = api.client.get(
        "/search",
        params={"issuing_state": "MAR", "document_number": STOLEN_NUMBER, "purpose": why},
    )
    assert page.status_code == 200
    run(cli, "sltd", "check", "MAR", STOLEN_NUMBER, "--purpose", why)
    _, purpose, query, result = same(records(node, "sltd.search"), 3)
    assert (purpose, query) == (why, {"issuing_state": "MAR", "document_number": STOLEN_NUMBER})
    assert result["hit"] is True
    assert [record["status"] for record in result["records"]] == ["stolen"]
    assert [role for _, role in actors(node, "sltd.search")] == ["officer"] * 3


def test_a_name_search_is_recorded_alike_by_the_api_the_page_and_the_cli(
    api: Api, node: Node, cli: CliRunner
) -> None:
    why = "case 2026/118"
    asked = {"name": "BENALI<<MOHAMED", "birth_date": "1985-03-02", "nationality": "MAR"}
    api.client.get(
        "/api/v1/watchlist/search",
        params={**asked, "purpose": why, "top": 10},
        headers=api.as_role("analyst"),
    )
    login(api.client, "analyst.one")
    api.client.get("/search", params={**asked, "purpose": why})
    run(
        cli, "screen", "--purpose", why, "--name", asked["name"], "--dob", asked["birth_date"],
        "--nationality", asked["nationality"], "--top", "10", "--threshold", "0",
    )  # fmt: skip
    _, purpose, query, result = same(records(node, "watchlist.search"), 3)
    assert purpose == why
    assert query == {**asked, "sex": None, "top": 10, "threshold": 0.0}  # a ranked list
    assert result["ids"], "the listed person is found"


def test_a_watchlist_entry_read_is_recorded_alike_by_the_api_and_the_cli(
    api: Api, node: Node, cli: CliRunner
) -> None:
    found = "MAR-W-0001"
    api.client.get(
        f"/api/v1/watchlist/{found}", params={"purpose": "file"}, headers=api.as_role("analyst")
    )
    run(cli, "watchlist", "show", found, "--purpose", "file")
    _, _, query, result = same(records(node, "watchlist.search"), 2)
    assert (query, result) == ({"id": found}, {"outcome": "found", "ids": [found]})


def test_an_alert_search_and_read_are_recorded_alike_by_every_face(
    api: Api, node: Node, cli: CliRunner
) -> None:
    analyst = api.as_role("analyst")
    why = "alert management"
    listed = api.client.get("/api/v1/alerts", params={"purpose": why}, headers=analyst).json()
    login(api.client, "analyst.one")
    assert api.client.get("/alerts").status_code == 200
    run(cli, "alert", "list", "--purpose", why)
    _, purpose, query, result = same(records(node, "alert.search"), 3)
    assert (purpose, query) == (why, {"status": None})
    assert result["ids"] == [alert["id"] for alert in listed["alerts"]]

    alert_id = result["ids"][0]
    api.client.get(f"/api/v1/alerts/{alert_id}", params={"purpose": why}, headers=analyst)
    run(cli, "alert", "show", alert_id, "--purpose", why)
    _, _, query, result = same(records(node, "alert.show"), 2)
    assert (query, result) == ({"id": alert_id}, {"outcome": "found", "status": "active"})


def test_reading_an_inspection_is_recorded_alike_by_the_api_and_the_review_page(
    api: Api, node: Node
) -> None:
    done = api.client.post(
        "/api/v1/inspections",
        json={
            "mrz": passport(number=STOLEN_NUMBER),
            "purpose": "border control",
            "crossing_point": "TNG-MED",
            "direction": "entry",
        },
        headers=api.as_role("officer"),
    ).json()
    inspection = done["inspection_id"]
    api.client.get(
        f"/api/v1/inspections/{inspection}",
        params={"purpose": "hit review"},
        headers=api.as_role("analyst"),
    )
    login(api.client, "analyst.one")
    assert api.client.get(f"/review/inspection/{inspection}").status_code == 200
    _, purpose, query, result = same(records(node, "inspection.read"), 2)
    assert (purpose, query, result) == (
        "hit review",
        {"inspection": inspection},
        {"outcome": "found", "decision": "hit"},
    )


def test_reading_the_audit_trail_is_recorded_alike_by_the_api_and_the_page(
    api: Api, node: Node
) -> None:
    api.client.get(
        "/api/v1/audit", params={"purpose": "audit oversight"}, headers=api.as_role("auditor")
    )
    login(api.client, "auditor.one")
    assert api.client.get("/audit").status_code == 200
    first, second = records(node, "audit.read")
    assert first[:2] == second[:2]
    asked = {
        **{"limit": 100, "before": None, "after": None, "by": None, "action": None},
        **{"since": None, "until": None, "subject": None},
    }
    assert first[2] == asked
    # the page reads one page (and one record more, to know whether there is an older page)
    assert second[2] == {**asked, "limit": node.settings.audit_page_size + 1}


def test_a_stay_search_is_recorded_alike_by_the_api_and_the_cli(
    api: Api, node: Node, cli: CliRunner
) -> None:
    day = node.clock().date().isoformat()
    api.client.get(
        "/api/v1/crossings/MAR/UM4731285",
        params={"purpose": "stay check"},
        headers=api.as_role("officer"),
    )
    run(cli, "stay", "MAR:UM4731285", "--purpose", "stay check", "--as-of", day)
    _, purpose, query, result = same(records(node, "stay.search"), 2)
    assert purpose == "stay check"
    assert query == {"issuing_state": "MAR", "document_number": "UM4731285", "as_of": day}
    assert result == {"crossings": [], "days_used": 0, "overstay_days": 0}


def test_a_search_without_a_purpose_is_refused_by_every_face(
    api: Api, node: Node, cli: CliRunner
) -> None:
    refused = api.client.get("/api/v1/sltd/MAR/X1", headers=api.as_role("officer"))
    assert refused.status_code == 422
    login(api.client, "officer.one")
    page = api.client.get("/search", params={"issuing_state": "MAR", "document_number": "X1"})
    assert "Purpose: say why you search" in page.text
    for args in (
        ["sltd", "check", "MAR", "X1"],
        ["screen", "--name", "Ali"],
        ["alert", "list"],
        ["watchlist", "show", "W-1"],
        ["stay", "MAR:X1"],
        ["crossing", "list", "MAR", "X1"],
    ):
        done = cli.invoke(app, args)
        assert done.exit_code == 2, args
        assert re.search(r"--purpose", done.output), done.output
    assert records(node, "sltd.search") == []


def test_the_console_acts_in_the_role_its_command_needs_never_as_administrator(
    node: Node, cli: CliRunner
) -> None:
    run(cli, "sltd", "check", "MAR", "X1", "--purpose", "desk check")
    run(cli, "alert", "list", "--purpose", "alert management")
    (sltd_actor,) = actors(node, "sltd.search")
    (alert_actor,) = actors(node, "alert.search")
    assert sltd_actor[0].startswith("local:")
    assert (sltd_actor[1], alert_actor[1]) == ("officer", "analyst")


def test_reading_a_case_and_a_hit_is_recorded_alike_by_the_api_and_the_pages(
    api: Api, node: Node
) -> None:
    api.client.post(
        "/api/v1/inspections",
        json={
            "mrz": passport(number=STOLEN_NUMBER),
            "purpose": "border control",
            "crossing_point": "TNG-MED",
            "direction": "entry",
        },
        headers=api.as_role("officer"),
    )
    analyst = api.as_role("analyst")
    (review,) = api.client.get("/api/v1/hits", headers=analyst).json()["hits"]
    opened = api.client.post(
        "/api/v1/cases",
        json={"review_ids": [review["id"]], "title": "stolen passport at TNG-MED"},
        headers=analyst,
    ).json()
    api.client.get(
        f"/api/v1/cases/{opened['id']}", params={"purpose": "case work"}, headers=analyst
    )
    login(api.client, "analyst.one")
    assert api.client.get(f"/cases/{opened['id']}").status_code == 200
    _, purpose, query, result = same(records(node, "case.read"), 2)
    assert (purpose, query) == ("case work", {"case": opened["id"]})
    assert result == {"outcome": "found", "reviews": [review["id"]], "notes": 0}


def test_the_api_holds_the_catalogue_as_the_booth_page_does(api: Api) -> None:
    """A crossing point or a decision reason the node's catalogue does not list is refused
    through the API too, naming the field."""
    catalogues = parse_catalogues(
        '{"crossing_points": [{"code": "TNG-MED", "name": "Tanger Med"}]}', source="test"
    )
    app = api.client.app
    app.state.services = replace(  # type: ignore[attr-defined]
        app.state.services, fixed_catalogues=catalogues, catalogue_book=None
    )
    officer = api.as_role("officer")
    body = {"mrz": passport(), "purpose": "border control", "direction": "entry"}
    elsewhere = api.client.post(
        "/api/v1/inspections", json={**body, "crossing_point": "CMN-T1"}, headers=officer
    )
    assert elsewhere.status_code == 422
    assert elsewhere.json()["field"] == "crossing_point"
    done = api.client.post(
        "/api/v1/inspections", json={**body, "crossing_point": "tng-med"}, headers=officer
    ).json()
    path = f"/api/v1/inspections/{done['inspection_id']}/decision"
    wrong = api.client.post(
        path, json={"action": "admit", "reason_code": "false_document"}, headers=officer
    )
    assert wrong.status_code == 422
    assert wrong.json()["field"] == "reason_code"
    right = api.client.post(
        path, json={"action": "admit", "reason_code": "cleared"}, headers=officer
    )
    assert right.status_code == 200
