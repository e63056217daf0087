"""The decision rules and the result's JSON form (pure: no node, no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from passerelle.documents import check_mrz
from passerelle.screening import (
    FaceComparison,
    FaceHit,
    Finding,
    InspectionResult,
    Matches,
    StayFigures,
    WatchlistCandidate,
    decide,
    lights,
)
from passerelle.screening.rules import action_severity, asked_action, document_findings
from tests.conftest import AS_OF


def finding(source: str, severity: str) -> Finding:
    return Finding(source, "code", severity, "message")  # type: ignore[arg-type]


def test_the_strongest_finding_decides() -> None:
    assert decide([]) == "clear"
    assert decide([finding("face", "info")]) == "clear"
    assert decide([finding("face", "info"), finding("stay", "refer")]) == "refer"
    assert decide([finding("stay", "refer"), finding("sltd", "hit")]) == "hit"


def test_each_source_gets_the_light_of_its_own_strongest_finding() -> None:
    statuses = lights(
        ["document", "sltd", "alerts", "watchlist", "stay"],
        [
            finding("sltd", "hit"),
            finding("sltd", "refer"),
            finding("watchlist", "refer"),
            finding("stay", "info"),
            finding("face", "refer"),  # did not run: failed
        ],
    )
    assert {s.source: s.light for s in statuses} == {
        "document": "green",
        "sltd": "red",
        "alerts": "green",
        "watchlist": "amber",
        "face": "amber",
        "stay": "green",
    }
    assert {s.source: s.light for s in lights([], [])} == dict.fromkeys(
        ("document", "sltd", "alerts", "watchlist", "face", "stay"), "grey"
    )


def test_a_specimen_passport_is_referred_as_suspicious_and_expired(
    icao_specimens: dict[str, str],
) -> None:
    found = document_findings(check_mrz(icao_specimens["td3"], as_of=AS_OF))
    assert {(f.code, f.severity) for f in found} == {("suspicious", "refer"), ("expired", "refer")}


def test_a_reader_misread_is_explained_as_information_beside_the_errors() -> None:
    misread = (
        "P<MARBENALI<<MOHAMED<<<<<<<<<<<<<<<<<<<<<<<<\nUM47312852MAR85O3024M3107140<<<<<<<<<<<<<<<6"
    )
    found = document_findings(check_mrz(misread, as_of=AS_OF))
    assert ("ocr_misread", "info") in {(f.code, f.severity) for f in found}
    assert decide(found) == "refer"


def test_a_result_reads_back_from_its_json_form() -> None:
    result = InspectionResult(
        inspection_id="ab" * 16,
        at=datetime(2026, 11, 25, 12, tzinfo=UTC),
        decision="hit",
        document={"format": "TD3", "well_formed": True, "findings": []},
        findings=(
            Finding("alerts", "alert_person", "hit", "Travel ban", "Refuse entry", "DGSN", "A1"),
        ),
        sources=lights(["document", "alerts"], [finding("alerts", "hit")]),
        matches=Matches(
            watchlist=(
                WatchlistCandidate("W1", 0.91, ("same date of birth",), "X", True, "wanted"),
            ),
            faces=(FaceHit("wanted", "W1", 0.97),),
            face_verification=FaceComparison(True, 0.98),
            sltd=("MAR:AB1234567 (stolen)",),
            alerts=("A1",),
        ),
        stay=StayFigures(10, 80, 90, 180, 0, True, date(2027, 1, 1)),
        crossing_id=7,
    )
    assert InspectionResult.from_dict(result.as_dict()) == result
    assert result.reasons == ("Travel ban",)


def asking(source: str, code: str) -> Finding:
    """A hit of ``source`` asking for action ``code``, with the severity the rules give it."""
    return Finding(source, "x", action_severity(code), "m", alert_action=code)  # type: ignore[arg-type]


def test_an_alert_changes_the_decision_as_its_action_says() -> None:
    for code, decision in [
        ("arrest", "hit"),
        ("refuse_crossing", "hit"),
        ("seize", "hit"),
        ("specific_check", "refer"),
        ("discreet_check", "clear"),
        ("inform", "clear"),
    ]:
        found = [asking("alerts", code)]
        assert (decide(found), asked_action(found)) == (decision, code), code


def test_a_discreet_check_never_turns_a_light_red_nor_amber() -> None:
    found = [asking("alerts", "discreet_check"), finding("document", "info")]
    colours = {status.source: status.light for status in lights(["document", "alerts"], found)}
    assert colours["alerts"] == "blue"
    assert colours["document"] == "green"


def test_a_discreet_check_beside_a_referral_keeps_the_referral_and_asks_the_report() -> None:
    found = [asking("alerts", "discreet_check"), finding("document", "refer")]
    assert (decide(found), asked_action(found)) == ("refer", "discreet_check")


def test_the_strongest_action_is_asked_whatever_the_order() -> None:
    found = [asking("alerts", "inform"), asking("sltd", "seize"), asking("watchlist", "arrest")]
    assert asked_action(found) == "arrest"
    assert asked_action(reversed(found)) == "arrest"


def test_a_result_stored_before_the_action_codes_reads_back_without_one() -> None:
    stored = InspectionResult(
        "i1", datetime(2026, 12, 1, tzinfo=UTC), "hit", {}, (finding("sltd", "hit"),), ()
    ).as_dict()
    del stored["action"]
    for item in stored["findings"]:  # type: ignore[union-attr]
        del item["alert_action"]
    again = InspectionResult.from_dict(stored)
    assert again.action is None
    assert again.findings[0].alert_action is None
