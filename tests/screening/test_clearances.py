"""An officer's "not the same person" holds: the same traveller against the same watchlist
entry is shown cleared before at the next crossing, instead of alerting again, until the
entry changes or an analyst confirms the hit (issue 17: "officers' dismissals do not
teach the engine")."""

from __future__ import annotations

from passerelle.node import Node
from passerelle.records.watchlist import read_entry
from passerelle.screening import InspectionResult, Inspector
from passerelle.services.watchlist import WatchlistKeeping
from passerelle.store import Actor
from tests.conftest import Clock
from tests.screening.conftest import OFFICER, passport, request

ANALYST = Actor("analyst.idrissi", "user", "analyst")
LISTS = Actor("analyst.berrada", "user", "analyst")
WANTED_NAME = {"surname": "BENALI", "given_names": "MOHAMED", "birth_date": "850302", "sex": "M"}
NAMESAKE = passport(**WANTED_NAME, number="QA1234567")


def cleared(result: InspectionResult) -> list[str]:
    return [f.message for f in result.findings if f.code == "watchlist_cleared"]


def cleared_by_an_officer(inspector: Inspector, clock: Clock) -> InspectionResult:
    first = inspector.inspect(request(NAMESAKE, clock))
    assert first.decision == "hit"
    inspector.mark_not_same_person(first.inspection_id, "MAR-W-0001", OFFICER)
    clock.advance(days=12)
    return first


def test_the_same_traveller_is_shown_cleared_before_instead_of_alerting_again(
    inspector: Inspector, clock: Clock
) -> None:
    first = cleared_by_an_officer(inspector, clock)

    again = inspector.inspect(request(NAMESAKE, clock))

    assert again.decision == "clear"
    (said,) = cleared(again)
    assert "MAR-W-0001" in said
    assert f"cleared before for this traveller by {OFFICER.name}" in said
    assert first.inspection_id in said
    assert [c.hit for c in again.matches.watchlist if c.id == "MAR-W-0001"] == [False]


def test_another_document_under_the_same_name_still_alerts(
    inspector: Inspector, clock: Clock
) -> None:
    cleared_by_an_officer(inspector, clock)

    other = inspector.inspect(request(passport(**WANTED_NAME, number="QB7654321"), clock))

    assert other.decision == "hit"
    assert cleared(other) == []


def test_a_changed_watchlist_entry_alerts_again(
    node: Node, inspector: Inspector, clock: Clock
) -> None:
    cleared_by_an_officer(inspector, clock)
    node.clock = clock
    entry = {
        "id": "MAR-W-0001",
        "names": ["محمد بن علي", "Mohamed Benali"],  # a new alias: a new question
        "birth_date": "1985-03-02",
        "nationalities": ["MAR"],
        "sex": "M",
        "category": "wanted",
        "issued_by": "MAR",
    }
    WatchlistKeeping(node).update(LISTS, read_entry(entry))
    clock.advance(minutes=1)

    again = Inspector(node).inspect(request(NAMESAKE, clock))

    assert again.decision == "hit"
    assert cleared(again) == []


def test_a_hit_an_analyst_confirmed_is_never_cleared(
    node: Node, inspector: Inspector, clock: Clock
) -> None:
    first = cleared_by_an_officer(inspector, clock)
    with node.database.write() as session:
        (review,) = inspector.repository.reviews_of(session, first.inspection_id)
        inspector.repository.confirm(session, review.id, by=ANALYST, note=None, now=clock())

    again = inspector.inspect(request(NAMESAKE, clock))

    assert again.decision == "hit"
    assert cleared(again) == []
