"""``/api/v1/identity-links``: analysts read and resolve multiple-identity links, supervisors
may change a resolution, every reading of the records is audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from passerelle.records.identity_links import LinkEnd, LinkProposal
from passerelle.store.identity_links import IdentityLinkRepository
from passerelle.store.tables import AuditPayload, AuditRecord
from tests.api.conftest import PASSWORD, SETUP, Api
from tests.screening.conftest import passport

BODY = {"purpose": "border control", "crossing_point": "TNG-MED", "direction": "entry"}
EVIDENCE = {
    "comparisons": [
        {"field": "name", "level": "same name key", "weight": 4.2},
        {"field": "birth_date", "level": "exact", "weight": 6.1},
        {"field": "document", "level": "different", "weight": -1.3},
    ],
    "match_weight": 9.0,
}


def inspected(api: Api, **mrz: str) -> str:
    result = api.client.post(
        "/api/v1/inspections",
        json={**BODY, "mrz": passport(**mrz)},
        headers=api.as_role("officer"),
    )
    assert result.status_code == 201, result.text
    return str(result.json()["inspection_id"])


def proposed(api: Api, left: str, right: str, probability: float = 0.93) -> int:
    node = api.services.node
    links = IdentityLinkRepository(node.audit)
    with node.database.write() as session:
        links.propose(
            session,
            [
                LinkProposal(
                    LinkEnd("inspection", left), LinkEnd("inspection", right), probability, EVIDENCE
                )
            ],
            run_id=None,
            now=node.clock(),
        )
        (link,) = links.links(session, record=LinkEnd("inspection", left))
        return link.id


def supervisor(api: Api) -> dict[str, str]:
    access = api.services.access
    access.add_user("supervisor.one", "supervisor", PASSWORD, by=SETUP)
    return {"authorization": f"Bearer {access.issue_token('supervisor.one', by=SETUP).token}"}


def audited(api: Api, action: str) -> list[dict[str, object]]:
    with api.services.node.database.read() as session:
        rows = session.execute(
            select(AuditRecord.actor, AuditPayload.query, AuditPayload.result)
            .join(AuditPayload, AuditPayload.seq == AuditRecord.seq)
            .where(AuditRecord.action == action)
            .order_by(AuditRecord.seq)
        ).all()
    return [{"actor": actor, **query, **result} for actor, query, result in rows]


@pytest.fixture
def link(api: Api) -> tuple[int, str, str]:
    first = inspected(api, number="ZX9876543")
    second = inspected(api, number="QA1234567", given_names="SELMA")
    return proposed(api, first, second), first, second


def test_an_analyst_reads_the_evidence_side_by_side_and_the_reading_is_audited(
    api: Api, link: tuple[int, str, str]
) -> None:
    link_id, first, second = link
    analyst = api.as_role("analyst")
    listed = api.client.get("/api/v1/identity-links?colour=yellow", headers=analyst)
    assert listed.status_code == 200, listed.text
    assert [row["id"] for row in listed.json()["links"]] == [link_id]
    assert listed.json()["counts"] == {"yellow": 1, "red": 0, "green": 0, "white": 0}

    read = api.client.get(f"/api/v1/identity-links/{link_id}", headers=analyst)
    assert read.status_code == 200, read.text
    records = {r["ref"]: r for r in read.json()["records"]}
    assert records[first]["names"] == ["SALMA LAMRANI"]
    assert records[second]["names"] == ["SELMA LAMRANI"]
    assert records[first]["documents"] == ["MAR ZX9876543"]
    assert records[first]["birth_date"] == records[second]["birth_date"] == "1990-04-21"
    assert records[first]["passages"][0]["point"] == "TNG-MED"
    assert records[first]["passages"][0]["direction"] == "entry"
    assert read.json()["evidence"]["comparisons"][1]["weight"] == 6.1

    (reading,) = audited(api, "identity_link.read")
    assert reading["actor"] == "analyst.one"
    assert reading["outcome"] == "found"
    assert reading["records"] == sorted([f"inspection:{first}", f"inspection:{second}"])
    assert audited(api, "identity_link.list")[0]["ids"] == [link_id]


def test_an_analyst_resolves_once_and_only_a_supervisor_changes_the_colour(
    api: Api, link: tuple[int, str, str]
) -> None:
    link_id = link[0]
    analyst = api.as_role("analyst")
    url = f"/api/v1/identity-links/{link_id}/resolution"
    blank = api.client.post(url, json={"colour": "red", "note": "  "}, headers=analyst)
    assert blank.status_code == 422
    assert "note" in blank.text

    red = api.client.post(url, json={"colour": "red", "note": "Two passports."}, headers=analyst)
    assert red.status_code == 200, red.text
    assert (red.json()["colour"], red.json()["resolved_by"]) == ("red", "analyst.one")

    again = api.client.post(url, json={"colour": "green", "note": "No."}, headers=analyst)
    assert again.status_code == 422
    assert again.json()["field"] == "colour"

    changed = api.client.post(
        url, json={"colour": "white", "note": "Dual nationality, checked."}, headers=supervisor(api)
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["colour"], changed.json()["resolved_by"]) == ("white", "supervisor.one")
    assert [(r["before"], r["colour"]) for r in audited(api, "identity_link.resolve")] == [
        ("yellow", "red"),
        ("red", "white"),
    ]


def test_officers_are_refused_and_an_unknown_link_is_a_404_that_leaves_a_trace(
    api: Api,
) -> None:
    refused = api.client.get("/api/v1/identity-links", headers=api.as_role("officer"))
    assert refused.status_code == 403
    missing = api.client.get("/api/v1/identity-links/999", headers=api.as_role("analyst"))
    assert missing.status_code == 404
    assert audited(api, "identity_link.read")[-1]["outcome"] == "not_found"
    bad = api.client.get("/api/v1/identity-links?colour=purple", headers=api.as_role("analyst"))
    assert bad.status_code == 422
