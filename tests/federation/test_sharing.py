"""The legal-basis filter: which alerts, watchlist persons and SLTD records may go to a peer."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

import pytest

from passerelle.federation.sharing.legal_basis import (
    WATCHLIST_SHARING_CATEGORY,
    Refusal,
    may_disclose_alert,
    may_disclose_sltd,
    may_disclose_watchlist_person,
    not_own_record,
    peer_actor,
)
from passerelle.records.alerts import RESTRICTED_MATTERS, AlertView, PersonSubject
from passerelle.store.sltd import SltdMatch
from passerelle.store.watchlist import WATCHLIST_CATEGORIES, WatchlistPersonView

WHEN = datetime(2026, 11, 25, 12, tzinfo=UTC)


@dataclass(frozen=True)
class Terms:
    inbound_kinds: tuple[str, ...] = ("person",)
    alert_categories: tuple[str, ...] = ("wanted", "missing_person")


@dataclass(frozen=True)
class Peer:
    state: str = "BEL"
    agreement: Terms = Terms()


ALERT = AlertView(
    id="MAR-A-1",
    kind="person",
    category="wanted",
    subject=PersonSubject(("Karim Haddad",), "1980-06-15"),
    subject_key="person:1980-06-15:karim haddad",
    issuing_authority="DGSN Rabat",
    action="Arrest.",
    valid_from=date(2026, 1, 1),
    valid_until=None,
    status="active",
    created_at=WHEN,
    updated_at=WHEN,
)


def listed(category: str) -> WatchlistPersonView:
    return WatchlistPersonView(
        "MAR-W-1", ("Karim Haddad",), "1980", 1980, ("MAR",), "M", category, "MAR", None,
        "active", "0" * 64, WHEN, WHEN, None,
    )  # fmt: skip


def test_a_shareable_alert_of_an_agreed_category_may_be_disclosed() -> None:
    assert may_disclose_alert(ALERT, Peer()) is None


def test_an_alert_of_a_category_outside_the_agreement_is_refused() -> None:
    refusal = may_disclose_alert(replace(ALERT, category="travel_ban"), Peer())
    assert isinstance(refusal, Refusal)
    assert refusal.code == "category_not_agreed"
    assert "BEL" in refusal.reason


def test_an_alert_marked_not_shareable_is_refused() -> None:
    refusal = may_disclose_alert(replace(ALERT, shareable=False), Peer())
    assert refusal is not None
    assert refusal.code == "not_shareable"


@pytest.mark.parametrize("matter", sorted(RESTRICTED_MATTERS))
def test_a_restricted_matter_never_leaves_whatever_the_agreement(matter: str) -> None:
    everything = Peer(agreement=Terms(alert_categories=("wanted", "travel_ban", "surveillance")))
    refusal = may_disclose_alert(replace(ALERT, restricted_matter=matter), everything)
    assert refusal is not None
    assert refusal.code == "restricted_matter"
    assert matter in refusal.reason


def test_watchlist_persons_are_shared_by_the_alert_category_their_category_stands_for() -> None:
    assert set(WATCHLIST_SHARING_CATEGORY) == WATCHLIST_CATEGORIES
    assert may_disclose_watchlist_person(listed("wanted"), Peer()) is None
    assert may_disclose_watchlist_person(listed("missing"), Peer()) is None
    for category in ("travel_ban", "alert"):
        refusal = may_disclose_watchlist_person(listed(category), Peer())
        assert refusal is not None
        assert refusal.code == "category_not_agreed"


@pytest.mark.parametrize(
    ("kept", "code"),
    [
        ({"shareable": False}, "not_shareable"),
        ({"restricted_matter": "military"}, "restricted_matter"),
        ({"restricted_matter": "political", "shareable": False}, "restricted_matter"),
    ],
)
def test_a_watchlist_person_kept_home_never_leaves_whatever_the_agreement(
    kept: dict[str, Any], code: str
) -> None:
    everything = Peer(agreement=Terms(alert_categories=("wanted", "travel_ban", "surveillance")))
    refusal = may_disclose_watchlist_person(replace(listed("wanted"), **kept), everything)
    assert refusal is not None
    assert refusal.code == code
    assert "MAR-W-1" in refusal.reason


def test_stolen_and_lost_document_records_are_always_shareable() -> None:
    match = SltdMatch("MAR", "AB1234567", "P", "stolen", date(2026, 1, 1), "MAR", 1, "exact")
    assert may_disclose_sltd(match, Peer(agreement=Terms(alert_categories=()))) is None


def test_a_face_under_an_id_not_of_this_node_is_never_disclosed() -> None:
    refusal = not_own_record("wanted", "BEL-REF-9")
    assert refusal.code == "not_own_record"
    assert refusal.as_dict() == {"code": "not_own_record", "reason": refusal.reason}


def test_a_peer_is_audited_as_a_peer_actor() -> None:
    actor = peer_actor(Peer())
    assert (actor.name, actor.kind, actor.role) == ("peer:BEL", "peer", "partner")
