"""The links of each kind, built from small worlds on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace

import pytest

from passerelle.exc import InvalidInput
from passerelle.networks import Link, build_links, checked_kinds, default_parameters
from passerelle.store import Database
from tests.networks.world import SmallWorld, at

SINCE, UNTIL = at(-1), at(60)
PARAMETERS = default_parameters()


def links_of(database: Database, *kinds: str) -> tuple[Link, ...]:
    with database.read() as session:
        links, _ = build_links(session, SINCE, UNTIL, PARAMETERS, kinds)
    return links


def pairs(links: tuple[Link, ...]) -> set[tuple[str, str]]:
    return {
        (link.source.removeprefix("doc:MAR:"), link.target.removeprefix("doc:MAR:"))
        for link in links
    }


def test_crossing_together_three_times_links_two_travellers_with_the_crossings(
    database: Database,
) -> None:
    with database.write() as session:
        world = SmallWorld(session)
        for day in (0, 7, 14):
            world.crossing("P1", at(day, 0))
            world.crossing("P2", at(day, 4))
        world.crossing("P3", at(0, 45))  # the same point, 45 minutes later: not together
    (link,) = links_of(database, "co_travel_time")
    assert (link.source, link.target, link.occasions) == ("doc:MAR:P1", "doc:MAR:P2", 3)
    assert len(link.records) == 6
    assert {r.record for r in link.records} == {"crossing"}
    assert {r.point for r in link.records} == {"NDR-BNI"}
    assert "within 10 minutes of each other; occasions: 3 (NDR-BNI)" in link.reason.english


def test_once_is_chance_twice_too_under_the_threshold_of_three(database: Database) -> None:
    with database.write() as session:
        world = SmallWorld(session)
        for day in (0, 7):
            world.crossing("P1", at(day, 0))
            world.crossing("P2", at(day, 2))
    assert links_of(database, "co_travel_time") == ()
    with database.read() as session:
        lower = replace(PARAMETERS, time_min_occasions=2)
        links, _ = build_links(session, SINCE, UNTIL, lower, ("co_travel_time",))
    assert pairs(links) == {("P1", "P2")}


def test_the_other_way_or_another_point_is_not_crossing_together(database: Database) -> None:
    with database.write() as session:
        world = SmallWorld(session)
        for day in (0, 7, 14):
            world.crossing("P1", at(day, 0), way="exit")
            world.crossing("P2", at(day, 1), way="entry")
            world.crossing("P3", at(day, 1), point="OUJ-ZKH")
    assert links_of(database, "co_travel_time") == ()


def test_the_same_vehicle_at_the_same_crossing_links_once_another_vehicle_does_not(
    database: Database,
) -> None:
    with database.write() as session:
        world = SmallWorld(session)
        world.inspection("P1", at(0, 0), vehicle_plate="12345A6")
        world.inspection("P2", at(0, 3), vehicle_plate="12345A6")
        world.inspection("P3", at(0, 3), vehicle_plate="99999B1")
        world.inspection("P4", at(5, 0), vehicle_plate="12345A6")  # days later: another crossing
    (link,) = links_of(database, "co_travel_vehicle")
    assert pairs((link,)) == {("P1", "P2")}
    assert {r.record for r in link.records} == {"inspection"}
    assert "the same vehicle (12345A6)" in link.reason.english


@pytest.mark.parametrize(
    ("kind", "given", "said"),
    [
        ("shared_address", {"address": "12 Rue Zerktouni, Nador"}, "12 Rue Zerktouni"),
        ("shared_phone", {"phone": "+212661234567"}, "+212661234567"),
        ("same_party", {"party_reference": "GRP-77"}, "GRP-77"),
    ],
)
def test_a_value_given_by_two_travellers_links_them(
    database: Database, kind: str, given: dict[str, str], said: str
) -> None:
    with database.write() as session:
        world = SmallWorld(session)
        world.inspection("P1", at(0), **given)
        world.inspection("P2", at(9), **given)
        world.inspection("P3", at(9))
    (link,) = links_of(database, kind)
    assert pairs((link,)) == {("P1", "P2")}
    assert said in link.reason.english
    assert {r.person for r in link.records} == {"doc:MAR:P1", "doc:MAR:P2"}


def test_an_address_shared_by_a_hotels_worth_of_travellers_is_left_out(
    database: Database,
) -> None:
    with database.write() as session:
        world = SmallWorld(session)
        for n in range(PARAMETERS.max_group_size + 1):
            world.inspection(f"H{n}", at(0, n), address="Hotel Rif, Nador")
    with database.read() as session:
        links, left_out = build_links(session, SINCE, UNTIL, PARAMETERS, ("shared_address",))
    assert links == ()
    assert [(item.kind, item.persons) for item in left_out] == [
        ("shared_address", PARAMETERS.max_group_size + 1)
    ]


def test_one_holder_read_on_two_documents_links_the_documents(database: Database) -> None:
    holder = ("EL AMRANI", "YOUSSEF", "1988-04-02")
    with database.write() as session:
        world = SmallWorld(session)
        world.inspection("P1", at(0), holder=holder)
        world.inspection("P2", at(3), holder=holder)
    (link,) = links_of(database, "shared_document")
    assert pairs((link,)) == {("P1", "P2")}
    assert "EL AMRANI<<YOUSSEF:1988-04-02" in link.reason.english


def test_hits_of_one_alert_and_reviews_of_one_case_link_their_travellers(
    database: Database,
) -> None:
    with database.write() as session:
        world = SmallWorld(session)
        world.hit("P1", at(0), source="alerts", reference="MAR-AL-2026-0001")
        world.hit("P2", at(1), source="alerts", reference="MAR-AL-2026-0001")
        first = world.hit("P3", at(2), source="watchlist", reference="W1")
        second = world.hit("P4", at(3), source="sltd", reference="MAR:P4")
        world.case("CASE-2026-0001", [first, second], at(4))
    assert pairs(links_of(database, "same_alert")) == {("P1", "P2")}
    (case,) = links_of(database, "same_case")
    assert pairs((case,)) == {("P3", "P4")}
    assert "CASE-2026-0001" in case.reason.english
    assert {r.record for r in case.records} == {"hit_review"}


def test_an_unknown_kind_or_an_empty_period_is_refused_naming_the_field(
    database: Database,
) -> None:
    with database.read() as session, pytest.raises(InvalidInput) as refused:
        build_links(session, UNTIL, SINCE, PARAMETERS)
    assert refused.value.field == "until"
    with pytest.raises(InvalidInput) as unknown:
        checked_kinds(["co_travel_time", "gossip"])
    assert unknown.value.field == "kinds"
