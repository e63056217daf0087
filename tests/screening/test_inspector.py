"""The border check end to end on a real node: document, registries, watchlist, stay."""

from __future__ import annotations

import threading
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from passerelle.documents import DocumentCheck, check_mrz
from passerelle.node import Node
from passerelle.screening import InspectionRequest, Inspector, InspectorConfig
from passerelle.store.crossings import crossings_of
from passerelle.store.tables import AuditPayload, AuditRecord
from passerelle.store.watchlist import WatchlistRegistry
from tests.conftest import Clock
from tests.screening.conftest import (
    OFFICER,
    STOLEN_NUMBER,
    TRAVEL_BAN_ACTION,
    TRAVEL_BAN_AUTHORITY,
    load_crossings,
    passport,
    request,
)


def test_a_clean_traveller_is_cleared_and_the_crossing_logged(
    node: Node, inspector: Inspector, clock: Clock
) -> None:
    result = inspector.inspect(request(passport(), clock))

    assert result.decision == "clear", result.findings
    assert result.findings == ()
    assert {s.source: s.light for s in result.sources} == {
        "document": "green",
        "sltd": "green",
        "alerts": "green",
        "watchlist": "green",
        "face": "grey",
        "stay": "green",
    }
    assert result.document["document_number"] == "ZX9876543"
    assert result.document["well_formed"] is True
    assert result.stay is not None
    assert (result.stay.days_used, result.stay.days_left) == (0, 90)
    with node.database.read() as session:
        crossings = crossings_of(session, "MAR", "ZX9876543")
    assert [(c.id, c.direction, c.crossing_point, c.officer) for c in crossings] == [
        (result.crossing_id, "entry", "TNG-MED", OFFICER.name)
    ]
    assert inspector.get(result.inspection_id).result == result


def test_every_inspection_is_audited_with_its_purpose(
    node: Node, inspector: Inspector, clock: Clock
) -> None:
    result = inspector.inspect(request(passport(number=STOLEN_NUMBER), clock))

    with node.database.read() as session:
        record, payload = session.execute(
            select(AuditRecord, AuditPayload)
            .join(AuditPayload, AuditPayload.seq == AuditRecord.seq)
            .where(AuditRecord.action == "inspection.search")
        ).one()
        assert node.audit.verify(session).intact
    assert (record.actor, record.purpose) == (OFFICER.name, "border control: entry check")
    assert payload.query["inspection"] == result.inspection_id
    assert payload.result["decision"] == "hit"
    assert payload.result["sltd"] == [f"MAR:{STOLEN_NUMBER} (stolen)"]


def test_a_stolen_document_is_a_hit_queued_for_review(
    inspector: Inspector, node: Node, clock: Clock
) -> None:
    result = inspector.inspect(request(passport(number=STOLEN_NUMBER), clock))

    assert result.decision == "hit"
    assert result.light("sltd") == "red"
    (finding,) = [f for f in result.findings if f.source == "sltd"]
    assert finding.code == "sltd_match"
    assert "reported stolen by Morocco (MAR)" in finding.message
    assert finding.action
    assert finding.contact
    assert result.crossing_id is None  # a hit is not let through by the machine
    with node.database.read() as session:
        assert crossings_of(session, "MAR", STOLEN_NUMBER) == []
        pending = inspector.repository.pending(session)
    assert [(r.inspection_id, r.source, r.reference, r.status) for r in pending] == [
        (result.inspection_id, "sltd", f"MAR:{STOLEN_NUMBER}", "pending")
    ]


def test_an_alert_on_the_person_is_a_hit_with_the_action_and_whom_to_call(
    inspector: Inspector, clock: Clock
) -> None:
    mrz = passport(surname="HADDAD", given_names="KARIM", birth_date="800615", sex="M")
    result = inspector.inspect(request(mrz, clock))

    assert result.decision == "hit"
    assert result.light("alerts") == "red"
    (finding,) = [f for f in result.findings if f.source == "alerts"]
    assert (finding.code, finding.reference) == ("alert_person", "MAR-A-0042")
    assert finding.action == TRAVEL_BAN_ACTION
    assert finding.contact == TRAVEL_BAN_AUTHORITY
    assert "Travel ban" in finding.message
    assert result.matches.alerts == ("MAR-A-0042",)


def test_an_arabic_watchlist_name_is_a_hit_for_its_latin_mrz_spelling(
    inspector: Inspector, clock: Clock
) -> None:
    mrz = passport(surname="BENALI", given_names="MOHAMED", birth_date="850302", sex="M")
    result = inspector.inspect(request(mrz, clock))

    assert result.decision == "hit"
    assert result.light("watchlist") == "red"
    (candidate,) = result.matches.watchlist
    assert (candidate.id, candidate.hit, candidate.category) == ("MAR-W-0001", True, "wanted")
    assert candidate.score >= 0.7
    assert "same date of birth" in candidate.reasons
    assert any("محمد" in reason for reason in candidate.reasons)
    (finding,) = [f for f in result.findings if f.source == "watchlist"]
    assert finding.severity == "hit"
    assert finding.action
    assert "second line" in finding.action
    assert finding.contact == "the issuing authority in Morocco (MAR)"


def test_a_common_name_born_another_day_is_not_a_hit(inspector: Inspector, clock: Clock) -> None:
    mrz = passport(surname="ALAOUI", given_names="MOHAMED", birth_date="920517", sex="M")
    result = inspector.inspect(request(mrz, clock))

    assert result.decision == "clear", result.findings
    assert result.light("watchlist") == "green"
    assert result.matches.watchlist == ()


def test_a_bad_check_digit_refers_the_traveller(inspector: Inspector, clock: Clock) -> None:
    line1, line2 = passport().splitlines()
    broken = line2[:9] + ("0" if line2[9] != "0" else "1") + line2[10:]
    result = inspector.inspect(request(f"{line1}\n{broken}", clock))

    assert result.decision == "refer"
    assert result.light("document") == "amber"
    assert result.document["well_formed"] is False
    codes = {(f.code, f.severity) for f in result.findings if f.source == "document"}
    assert ("not_well_formed", "refer") in codes
    assert ("check_digit", "refer") in codes
    assert result.crossing_id is None


def test_an_expired_passport_refers_the_traveller(inspector: Inspector, clock: Clock) -> None:
    result = inspector.inspect(request(passport(expiry="250101"), clock))

    assert result.decision == "refer"
    assert [f.code for f in result.findings] == ["expired"]


def test_entering_after_an_overstay_refers_the_traveller(
    node: Node, inspector: Inspector, clock: Clock, tmp_path: Path
) -> None:
    entered, left = clock() - timedelta(days=150), clock() - timedelta(days=50)
    load_crossings(
        node,
        tmp_path,
        {"document_number": "ZX9876543", "direction": "entry", "at": entered.isoformat()},
        {"document_number": "ZX9876543", "direction": "exit", "at": left.isoformat()},
    )
    result = inspector.inspect(request(passport(), clock))

    assert result.decision == "refer"
    assert result.light("stay") == "amber"
    (finding,) = [f for f in result.findings if f.source == "stay"]
    assert finding.code == "overstay"
    assert "11 over the limit (90 days in any 180)" in finding.message
    assert result.stay is not None
    assert (result.stay.days_used, result.stay.days_left, result.stay.overstay_days) == (
        101,
        0,
        11,
    )


def test_leaving_within_the_limit_is_cleared(
    node: Node, inspector: Inspector, clock: Clock, tmp_path: Path
) -> None:
    entered = clock() - timedelta(days=9)
    load_crossings(
        node,
        tmp_path,
        {"document_number": "ZX9876543", "direction": "entry", "at": entered.isoformat()},
    )
    result = inspector.inspect(request(passport(), clock, direction="exit"))

    assert result.decision == "clear"
    assert result.stay is not None
    assert (result.stay.days_used, result.stay.days_left, result.stay.inside) == (10, 80, True)


def test_an_unreadable_mrz_refers_and_says_which_checks_could_not_run(
    inspector: Inspector, clock: Clock
) -> None:
    result = inspector.inspect(request("NOT AN MRZ AT ALL", clock))

    assert result.decision == "refer"
    assert result.document["format"] == "unknown"
    not_run = {f.source for f in result.findings if f.code == "not_checked"}
    assert not_run == {"sltd", "alerts", "watchlist", "stay"}
    assert {result.light(s) for s in ("sltd", "alerts", "watchlist", "stay")} == {"amber"}


def test_a_store_that_fails_never_lets_a_clear_stand(
    node: Node, inspector: Inspector, clock: Clock
) -> None:
    with node.database.engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE hit_sightings")
        connection.exec_driver_sql("DROP TABLE hit_reviews")
        connection.exec_driver_sql("DROP TABLE inspections")
    result = inspector.inspect(request(passport(), clock))

    assert (result.decision, result.recorded, result.crossing_id) == ("refer", False, None)
    assert result.findings[-1].code == "not_recorded"
    with node.database.read() as session:
        assert crossings_of(session, "MAR", "ZX9876543") == []  # rolled back with the rest


def test_inspections_from_many_threads_share_one_sqlite_node(
    node: Node, inspector: Inspector, clock: Clock
) -> None:
    numbers = [f"QK{n:07d}" for n in range(8)]
    results: dict[str, str] = {}
    errors: list[BaseException] = []

    def inspect(number: str) -> None:
        try:
            results[number] = inspector.inspect(request(passport(number=number), clock)).decision
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=inspect, args=(n,)) for n in numbers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert results == dict.fromkeys(numbers, "clear")
    with node.database.read() as session:
        assert all(len(crossings_of(session, "MAR", n)) == 1 for n in numbers)
        assert node.audit.verify(session).intact


def test_a_request_without_a_purpose_is_refused() -> None:
    from passerelle.exc import InvalidInput

    with pytest.raises(InvalidInput, match="purpose"):
        InspectionRequest(
            mrz=passport(),
            purpose="  ",
            crossing_point="TNG-MED",
            direction="entry",
            officer=OFFICER,
            at=Clock()(),
        )


def add_person(node: Node, clock: Clock) -> None:
    registry = WatchlistRegistry()
    entry = registry.parse(
        {
            "id": "MAR-W-0003",
            "names": ["Salma Lamrani"],
            "birth_date": "1990-04-21",
            "nationalities": ["MAR"],
            "sex": "F",
            "category": "missing",
            "issued_by": "MAR",
            "valid_until": None,
        }
    )
    with node.database.write() as session:
        registry.add(session, entry, clock())


def test_a_person_listed_after_the_index_was_built_is_found_after_a_refresh(
    node: Node, inspector: Inspector, clock: Clock
) -> None:
    assert inspector.inspect(request(passport(), clock)).decision == "clear"
    add_person(node, clock)

    inspector.refresh_watchlist()
    result = inspector.inspect(request(passport(), clock))

    # a missing person asks for a specific check: found, the traveller is referred
    assert (result.decision, result.action) == ("refer", "specific_check")
    assert [c.id for c in result.matches.watchlist] == ["MAR-W-0003"]


def test_a_stale_watchlist_index_is_rebuilt_in_the_background(node: Node, clock: Clock) -> None:
    inspector = Inspector(node, config=InspectorConfig(watchlist_max_age_s=0.0))
    assert inspector.inspect(request(passport(), clock)).decision == "clear"
    add_person(node, clock)

    deadline = time.monotonic() + 10
    decisions = []
    while time.monotonic() < deadline:
        decisions.append(inspector.inspect(request(passport(), clock)).decision)
        if decisions[-1] == "refer":  # a missing person: a specific check, referred
            break
        time.sleep(0.05)
    assert decisions[-1] == "refer"


def test_a_document_already_read_is_checked_again_as_of_the_inspection(
    inspector: Inspector, clock: Clock
) -> None:
    read_long_ago = check_mrz(passport(expiry="250101"), as_of=date(2020, 1, 1))
    assert not read_long_ago.expired

    result = inspector.inspect(request(read_long_ago, clock))

    assert result.document["expired"] is True
    assert result.decision == "refer"


def test_a_document_check_that_crashes_refers_instead_of_raising(
    inspector: Inspector, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(text: str, *, as_of: date) -> DocumentCheck:
        raise ValueError("a bug in the MRZ reader")

    monkeypatch.setattr("passerelle.screening.inspector.check_mrz", crash)
    result = inspector.inspect(request(passport(), clock))

    assert result.decision == "refer"
    assert result.light("document") == "amber"
    assert result.findings[0].code == "error"
    assert result.crossing_id is None
