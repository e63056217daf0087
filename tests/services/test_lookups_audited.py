"""Every look-up leaves an audit record whatever it finds, through the API and the pages.

An id that names nothing is answered 404 and recorded ``not_found`` (the record
commits though the answer is an error); a role without the permission is answered
403 and recorded ``access.refused``; a list view records what it listed. The chain
verifies afterwards.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from passerelle.cli import app
from passerelle.node import Node
from passerelle.store.tables import AuditPayload, AuditRecord
from tests.api.conftest import Api
from tests.api.test_cases import another_travellers_hit
from tests.services.test_faces_agree import cli  # noqa: F401  (fixture)
from tests.web.test_pages import login

Trail = list[tuple[str, str, str | None, dict[str, Any], dict[str, Any]]]

MISSING_INSPECTION = "0" * 32


def trail(node: Node) -> Trail:
    """(actor, action, purpose, query, result) of every audit record, oldest first."""
    with node.database.read() as session:
        rows = session.execute(
            select(
                AuditRecord.actor,
                AuditRecord.action,
                AuditRecord.purpose,
                AuditPayload.query,
                AuditPayload.result,
            )
            .join(AuditPayload, AuditPayload.seq == AuditRecord.seq)
            .order_by(AuditRecord.seq)
        ).all()
    return [(a, b, p, q, r) for a, b, p, q, r in rows]


def last_of(node: Node, action: str) -> tuple[str, str | None, dict[str, Any], dict[str, Any]]:
    """(actor, purpose, query, result) of the latest record of ``action``."""
    found = [(a, p, q, r) for a, b, p, q, r in trail(node) if b == action]
    assert found, f"no {action} record"
    return found[-1]


def chain_holds(node: Node) -> None:
    with node.database.read() as session:
        verdict = node.audit.verify(session)
    assert verdict.intact, verdict.reason


# --------------------------------------------------------------------------- not found


@pytest.mark.parametrize(
    ("role", "path", "action", "query"),
    [
        ("analyst", "/api/v1/watchlist/MAR-W-9999", "watchlist.search", {"id": "MAR-W-9999"}),
        ("analyst", "/api/v1/alerts/MAR-A-9999", "alert.show", {"id": "MAR-A-9999"}),
        ("analyst", "/api/v1/cases/CASE-2026-9999", "case.read", {"case": "CASE-2026-9999"}),
        ("analyst", "/api/v1/hits/987654", "hit_review.read", {"review": 987654}),
        (
            "officer",
            f"/api/v1/inspections/{MISSING_INSPECTION}",
            "inspection.read",
            {"inspection": MISSING_INSPECTION},
        ),
        (
            "officer",
            f"/api/v1/inspections/{MISSING_INSPECTION}/refusal-notice.pdf",
            "inspection.refusal_notice",
            {"inspection": MISSING_INSPECTION, "language": "en"},
        ),
        (
            "officer",
            f"/api/v1/inspections/{MISSING_INSPECTION}/seizures",
            "inspection.seizure_list",
            {"inspection": MISSING_INSPECTION},
        ),
    ],
)
def test_an_api_look_up_of_an_id_that_names_nothing_is_recorded_not_found(
    api: Api, node: Node, role: str, path: str, action: str, query: dict[str, Any]
) -> None:
    answer = api.client.get(path, params={"purpose": "probe"}, headers=api.as_role(role))
    assert answer.status_code == 404, answer.text
    actor, _, asked, result = last_of(node, action)
    assert actor == f"{role}.one"
    assert asked == query
    assert result["outcome"] == "not_found"
    chain_holds(node)


@pytest.mark.parametrize(
    ("args", "action", "query"),
    [
        (["watchlist", "show", "MAR-W-9999"], "watchlist.search", {"id": "MAR-W-9999"}),
        (["alert", "show", "MAR-A-9999"], "alert.show", {"id": "MAR-A-9999"}),
    ],
)
def test_a_cli_look_up_of_an_id_that_names_nothing_is_recorded_not_found(
    node: Node,
    cli: CliRunner,  # noqa: F811
    args: list[str],
    action: str,
    query: dict[str, Any],
) -> None:
    done = cli.invoke(app, [*args, "--purpose", "desk probe"])
    assert done.exit_code == 1, done.output
    actor, purpose, asked, result = last_of(node, action)
    assert actor.startswith("local:")
    assert (purpose, asked, result["outcome"]) == ("desk probe", query, "not_found")
    chain_holds(node)


def test_a_look_up_found_says_so_and_keeps_its_purpose(api: Api, node: Node) -> None:
    inspection_id, review_id = another_travellers_hit(api)
    analyst = api.as_role("analyst")
    answer = api.client.get(
        f"/api/v1/hits/{review_id}", params={"purpose": "queue work"}, headers=analyst
    )
    assert answer.status_code == 200
    _, purpose, query, result = last_of(node, "hit_review.read")
    assert (purpose, query) == ("queue work", {"review": review_id})
    assert result == {"outcome": "found", "inspection": inspection_id, "case": None, "notes": 0}


@pytest.mark.parametrize(
    ("path", "action", "query"),
    [
        (
            f"/check/{MISSING_INSPECTION}",
            "inspection.read",
            {"inspection": MISSING_INSPECTION},
        ),
        (
            f"/check/{MISSING_INSPECTION}/faces/wanted/MAR-W-0001.jpg",
            "face.reference",
            {"inspection": MISSING_INSPECTION, "gallery": "wanted", "identity": "MAR-W-0001"},
        ),
    ],
)
def test_a_booth_page_for_an_inspection_that_is_not_there_is_recorded_not_found(
    api: Api, node: Node, path: str, action: str, query: dict[str, Any]
) -> None:
    login(api.client, "officer.one")
    assert api.client.get(path).status_code == 404
    actor, _, asked, result = last_of(node, action)
    assert (actor, asked, result["outcome"]) == ("officer.one", query, "not_found")
    chain_holds(node)


@pytest.mark.parametrize(
    ("path", "action", "query"),
    [
        ("/cases/CASE-2026-9999", "case.read", {"case": "CASE-2026-9999"}),
        (
            f"/review/inspection/{MISSING_INSPECTION}",
            "inspection.read",
            {"inspection": MISSING_INSPECTION},
        ),
    ],
)
def test_an_analysts_page_for_an_id_that_names_nothing_is_recorded_not_found(
    api: Api, node: Node, path: str, action: str, query: dict[str, Any]
) -> None:
    login(api.client, "analyst.one")
    assert api.client.get(path).status_code == 404
    actor, purpose, asked, result = last_of(node, action)
    assert (actor, asked, result["outcome"]) == ("analyst.one", query, "not_found")
    assert purpose  # the page's purpose, recorded as when found
    chain_holds(node)


# --------------------------------------------------------------------------- refused


@pytest.mark.parametrize(
    ("role", "path", "permission"),
    [
        ("officer", "/api/v1/cases/CASE-2026-0001", "review_hits"),
        ("officer", "/api/v1/alerts/MAR-A-0001", "manage_alerts"),
        ("auditor", "/api/v1/watchlist/MAR-W-0001", "search_watchlist"),
        ("admin", f"/api/v1/inspections/{MISSING_INSPECTION}", "inspect"),
        ("officer", "/api/v1/hits", "review_hits"),
    ],
)
def test_a_refused_api_look_up_is_recorded_with_who_what_and_why(
    api: Api, node: Node, role: str, path: str, permission: str
) -> None:
    answer = api.client.get(path, params={"purpose": "curious"}, headers=api.as_role(role))
    assert answer.status_code == 403
    actor, purpose, query, result = last_of(node, "access.refused")
    assert actor == f"{role}.one"
    assert purpose == "curious"
    assert query == {"method": "GET", "path": path, "permission": permission}
    assert result == {"outcome": "refused", "role": role}
    chain_holds(node)


def test_a_refused_page_is_recorded_and_an_unsigned_request_is_not(api: Api, node: Node) -> None:
    before = len(trail(node))
    assert api.client.get("/api/v1/cases/CASE-2026-0001").status_code == 401
    assert len(trail(node)) == before  # nobody to name
    login(api.client, "officer.one")
    assert api.client.get("/cases/CASE-2026-0001").status_code == 403
    actor, purpose, query, result = last_of(node, "access.refused")
    assert actor == "officer.one"
    assert purpose is None
    assert query == {"method": "GET", "path": "/cases/CASE-2026-0001", "permission": "review_hits"}
    assert result["outcome"] == "refused"


def test_a_photo_refused_by_the_service_names_the_look_up_it_refused(api: Api, node: Node) -> None:
    """The reference photo's page lets any signed-in user through; the service refuses an
    auditor, and records the refusal with the look-up's action and what was asked."""
    login(api.client, "auditor.one")
    path = f"/check/{MISSING_INSPECTION}/faces/wanted/MAR-W-0001.jpg"
    assert api.client.get(path).status_code == 403
    actor, _, query, result = last_of(node, "access.refused")
    assert actor == "auditor.one"
    assert query == {
        "action": "face.reference",
        "inspection": MISSING_INSPECTION,
        "gallery": "wanted",
        "identity": "MAR-W-0001",
        "permission": "inspect",
    }
    assert result == {"outcome": "refused", "role": "auditor"}
    chain_holds(node)


# --------------------------------------------------------------------------- lists


@pytest.mark.parametrize(
    ("path", "params", "action", "query"),
    [
        ("/api/v1/cases", {"status": "open"}, "case.list", {"status": "open", "limit": 200}),
        ("/api/v1/hits", {}, "hit_review.queue", {"limit": 100}),
        ("/api/v1/alerts", {}, "alert.search", {"status": None}),
        (
            "/api/v1/federation/refused-shares",
            {"limit": 10},
            "federation.refused_shares",
            {"limit": 10},
        ),
    ],
)
def test_each_api_list_view_records_what_it_listed(
    api: Api,
    node: Node,
    path: str,
    params: dict[str, Any],
    action: str,
    query: dict[str, Any],
) -> None:
    another_travellers_hit(api)
    answer = api.client.get(path, params=params, headers=api.as_role("analyst"))
    assert answer.status_code == 200, answer.text
    shown = next(iter(answer.json().values()))
    actor, _, asked, result = last_of(node, action)
    assert (actor, asked) == ("analyst.one", query)
    assert result["outcome"] == "listed"
    assert result["count"] == len(shown)
    chain_holds(node)


def test_a_case_list_records_the_case_ids_not_their_content(api: Api, node: Node) -> None:
    _, review_id = another_travellers_hit(api)
    analyst = api.as_role("analyst")
    opened = api.client.post(
        "/api/v1/cases", json={"review_ids": [review_id], "title": "Tanger"}, headers=analyst
    ).json()
    listed = api.client.get("/api/v1/cases", headers=analyst).json()["cases"]
    assert [case["id"] for case in listed] == [opened["id"]]
    _, purpose, _, result = last_of(node, "case.list")
    assert purpose == "case work"
    assert result == {"outcome": "listed", "count": 1, "ids": [opened["id"]]}


@pytest.mark.parametrize(
    ("path", "action"),
    [
        ("/cases", "case.list"),
        ("/review", "hit_review.queue"),
        ("/federation", "federation.refused_shares"),
        ("/alerts", "alert.search"),
    ],
)
def test_each_list_page_records_what_it_listed(
    api: Api, node: Node, path: str, action: str
) -> None:
    login(api.client, "analyst.one")
    before = len([r for r in trail(node) if r[1] == action])
    assert api.client.get(path).status_code == 200
    after = [r for r in trail(node) if r[1] == action]
    assert len(after) == before + 1
    actor, _, _, _, result = after[-1]
    assert actor == "analyst.one"
    assert result["outcome"] == "listed"
    chain_holds(node)
