"""The travel context of ``POST /inspections`` and ``GET /analysis/networks`` (issue 20)."""

from __future__ import annotations

from sqlalchemy import select

from passerelle.store.tables import AuditRecord
from tests.api.conftest import Api
from tests.screening.conftest import passport

BODY = {"purpose": "border control", "crossing_point": "NDR-BNI", "direction": "exit"}
CAR = {"vehicle_plate": "12345-a-6", "phone": "00212 661 23 45 67", "address": " 3 Rue Fes,  Nador"}


def inspect(api: Api, number: str, travel: dict[str, str]) -> str:
    answer = api.client.post(
        "/api/v1/inspections",
        json={**BODY, "mrz": passport(number=number), "travel": travel},
        headers=api.as_role("officer"),
    )
    assert answer.status_code == 201, answer.text
    inspection_id: str = answer.json()["inspection_id"]
    return inspection_id


def test_the_travel_context_is_stored_normalised_and_read_back(api: Api) -> None:
    inspection_id = inspect(api, "ZX1000001", CAR)
    stored = api.client.get(
        f"/api/v1/inspections/{inspection_id}", headers=api.as_role("analyst")
    ).json()
    assert stored["travel"] == {
        "vehicle_plate": "12345A6",
        "party_reference": None,
        "address": "3 Rue Fes, Nador",
        "phone": "+212661234567",
    }


def test_a_bad_phone_or_plate_is_refused_naming_the_field(api: Api) -> None:
    officer = api.as_role("officer")
    for travel, field in (
        ({"phone": "call me maybe"}, "travel.phone"),
        ({"phone": "+212 66"}, "travel.phone"),
        ({"vehicle_plate": "-"}, "travel.vehicle_plate"),
    ):
        answer = api.client.post(
            "/api/v1/inspections",
            json={**BODY, "mrz": passport(), "travel": travel},
            headers=officer,
        )
        assert answer.status_code == 422, answer.text
        assert answer.json()["field"] == field


def test_travellers_in_one_car_are_linked_with_their_inspections_and_the_read_audited(
    api: Api,
) -> None:
    ids = [inspect(api, f"ZX200000{n}", {"vehicle_plate": "77 B 1234"}) for n in (1, 2, 3)]
    answer = api.client.get(
        "/api/v1/analysis/networks",
        params={"kinds": "co_travel_vehicle", "purpose": "ring inquiry"},
        headers=api.as_role("analyst"),
    )
    assert answer.status_code == 200, answer.text
    network = answer.json()
    assert {link["kind"] for link in network["links"]} == {"co_travel_vehicle"}
    assert len(network["links"]) == 3  # three persons, each two of them in the car
    link = network["links"][0]
    assert "the same vehicle (77B1234)" in link["reason"]
    assert {r["inspection"] for r in link["records"]} <= set(ids)
    (community,) = network["communities"]
    assert len(community["persons"]) == 3
    person = community["persons"][0]
    expanded = api.client.get(
        "/api/v1/analysis/networks",
        params={"person": person, "kinds": "co_travel_vehicle"},
        headers=api.as_role("analyst"),
    ).json()
    assert len(expanded["persons"]) == 3
    with api.services.node.database.read() as session:
        reads = session.scalars(
            select(AuditRecord).where(AuditRecord.action == "network.read")
        ).all()
    assert [r.purpose for r in reads] == ["ring inquiry", "network analysis"]


def test_an_officer_may_not_read_the_networks_and_a_bad_kind_is_named(api: Api) -> None:
    refused = api.client.get("/api/v1/analysis/networks", headers=api.as_role("officer"))
    assert refused.status_code == 403
    unknown = api.client.get(
        "/api/v1/analysis/networks", params={"kinds": "gossip"}, headers=api.as_role("analyst")
    )
    assert unknown.status_code == 422
    assert unknown.json()["field"] == "kinds"
    missing = api.client.get(
        "/api/v1/analysis/networks", params={"community": 9}, headers=api.as_role("analyst")
    )
    assert missing.status_code == 404
