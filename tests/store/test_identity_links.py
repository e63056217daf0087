"""Identity links on SQLite and PostgreSQL: a pair stored once, the MID's colours, resolution
audited, a run's rescan never undoing an analyst's decision."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from passerelle.exc import InvalidInput
from passerelle.records.identity_links import LinkEnd, LinkProposal, LinkRefused, UnknownLink
from passerelle.store import Actor, AuditTrail, Database
from passerelle.store.identity_links import IdentityLinkRepository
from passerelle.store.tables import AuditRecord, IdentityLink, LinkageRun
from tests.conftest import Clock

ANALYST = Actor("analyst.idrissi", "user", "analyst")
SUPERVISOR = Actor("supervisor.tazi", "user", "supervisor")
SYSTEM = Actor("linkage", "system", "system")

ONE = LinkEnd("inspection", "I-0001")
TWO = LinkEnd("watchlist", "42")


@pytest.fixture
def links(audit: AuditTrail) -> IdentityLinkRepository:
    return IdentityLinkRepository(audit)


def _propose(
    database: Database, links: IdentityLinkRepository, clock: Clock, probability: float
) -> int:
    evidence = {"comparisons": [{"field": "name", "level": "same name key", "weight": 4.2}]}
    with database.write() as session:
        run = links.start_run(session, engine="duckdb", by=SYSTEM, now=clock())
        outcome = links.propose(
            session, [LinkProposal(TWO, ONE, probability, evidence)], run_id=run, now=clock()
        )
        links.finish_run(session, run, records=2, pairs=1, outcome=outcome, by=SYSTEM, now=clock())
    return run


def test_a_pair_found_twice_is_one_yellow_link_rescored(
    database: Database, links: IdentityLinkRepository, clock: Clock
) -> None:
    _propose(database, links, clock, 0.91)
    second = _propose(database, links, clock, 0.97)
    with database.read() as session:
        (link,) = links.links(session)
        assert (link.left, link.right) == (ONE, TWO)  # ends in a fixed order
        assert (link.colour, link.probability, link.run_id) == ("yellow", 0.97, second)
        assert links.counts(session) == {"yellow": 1, "red": 0, "green": 0, "white": 0}
        outcomes = [run.outcome for run in session.scalars(select(LinkageRun).order_by("id"))]
    assert [(o or {})["new"] for o in outcomes] == [1, 0]
    assert [(o or {})["rescored"] for o in outcomes] == [0, 1]


def test_resolution_is_audited_and_a_green_link_stays_green_on_the_next_run(
    database: Database, links: IdentityLinkRepository, clock: Clock
) -> None:
    _propose(database, links, clock, 0.91)
    with database.read() as session:
        link_id = links.links(session)[0].id
    with database.write() as session:
        resolved = links.resolve(
            session, link_id, colour="green", note="Two brothers", by=ANALYST, now=clock()
        )
    assert (resolved.colour, resolved.resolved_by) == ("green", ANALYST.name)
    _propose(database, links, clock, 0.99)
    with database.read() as session:
        link = links.get(session, link_id)
        actions = session.scalars(
            select(AuditRecord.action).where(AuditRecord.action.like("identity_link.%"))
        ).all()
    assert (link.colour, link.probability) == ("green", 0.91)
    assert actions.count("identity_link.resolve") == 1
    assert actions.count("identity_link.run") == 2


def test_only_a_supervisor_changes_a_resolution(
    database: Database, links: IdentityLinkRepository, clock: Clock
) -> None:
    _propose(database, links, clock, 0.95)
    with database.read() as session:
        link_id = links.links(session)[0].id
    with database.write() as session:
        links.resolve(session, link_id, colour="red", note="Same face", by=ANALYST, now=clock())
    with pytest.raises(LinkRefused) as refused, database.write() as session:
        links.resolve(session, link_id, colour="white", note="Dual", by=ANALYST, now=clock())
    assert refused.value.field == "colour"
    with database.write() as session:
        changed = links.resolve(
            session,
            link_id,
            colour="white",
            note="Dual national: both passports genuine",
            by=SUPERVISOR,
            now=clock(),
            may_change=True,
        )
    assert changed.colour == "white"
    with database.read() as session:
        assert session.scalars(select(IdentityLink.resolutions)).one() == 2


@pytest.mark.parametrize(
    ("colour", "note", "field"),
    [("yellow", "x", "colour"), ("blue", "x", "colour"), ("red", "   ", "note")],
)
def test_a_bad_resolution_names_its_field_and_changes_nothing(
    database: Database,
    links: IdentityLinkRepository,
    clock: Clock,
    colour: str,
    note: str,
    field: str,
) -> None:
    _propose(database, links, clock, 0.95)
    with database.read() as session:
        link_id = links.links(session)[0].id
    with pytest.raises(InvalidInput) as refused, database.write() as session:
        links.resolve(session, link_id, colour=colour, note=note, by=ANALYST, now=clock())
    assert refused.value.field == field
    with database.read() as session:
        assert links.get(session, link_id).colour == "yellow"


def test_unknown_links_and_bad_ends_are_refused(
    database: Database, links: IdentityLinkRepository, clock: Clock
) -> None:
    with pytest.raises(UnknownLink), database.write() as session:
        links.resolve(session, 999, colour="red", note="x", by=ANALYST, now=clock())
    with pytest.raises(InvalidInput) as bad_kind:
        LinkEnd("passport", "X")
    assert bad_kind.value.field == "kind"
    with pytest.raises(InvalidInput) as itself, database.write() as session:
        links.propose(session, [LinkProposal(ONE, ONE, 0.5)], run_id=None, now=clock())
    assert itself.value.field == "right"
    with pytest.raises(InvalidInput) as probability:
        LinkProposal(ONE, TWO, 1.5)
    assert probability.value.field == "probability"
    with database.read() as session:
        assert links.links(session) == []


def test_links_of_one_record_and_of_one_colour(
    database: Database, links: IdentityLinkRepository, clock: Clock
) -> None:
    three = LinkEnd("alert", "MAR-A-2026-0001")
    with database.write() as session:
        links.propose(
            session,
            [LinkProposal(ONE, TWO, 0.9), LinkProposal(TWO, three, 0.8)],
            run_id=None,
            now=clock(),
        )
    with database.read() as session:
        assert {link.probability for link in links.links(session, record=TWO)} == {0.9, 0.8}
        assert [link.probability for link in links.links(session, record=three)] == [0.8]
        assert links.links(session, colour="red") == []
        with pytest.raises(InvalidInput):
            links.links(session, colour="purple")
