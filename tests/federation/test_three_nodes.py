"""Three nodes as separate processes over mutual TLS: issue 7's acceptance, item by item.

MAR, BEL and TUN are set up with the ``passerelle`` commands an operator types
and each runs as two processes (``passerelle federation serve`` and ``passerelle
serve``) with its own SQLite database on loopback ports
(``passerelle.federation_demo.ThreeNodes``, the orchestrator ``passerelle
federation demo`` uses), once for this module. The set-up commands run through
the same command line in this process (``run_in_process``: some 30 interpreter
start-ups saved; ``make federation-demo`` runs them as processes); the six
servers are separate processes. No mocks: every query, alert and follow-up
crosses real processes; the exchange tables are read from the nodes'
databases (``federation_demo.ledger``), the rest through their APIs.

The tests run in the file's order, the order of the story: the outage test stops
TUN and starts it again before the inspections ask it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from passerelle.documents import MrzFormat
from passerelle.documents.compose import compose_mrz
from passerelle.federation_demo import ThreeNodes, cast, steps
from passerelle.federation_demo.ledger import HeldAlert, held_partner_alerts, outbox_entries
from passerelle.store.partner_alerts import partner_reference_images
from passerelle.store.tables import AuditPayload, AuditRecord
from tests.federation.nodes import run_in_process, wait_held
from tests.records.test_forgeries import INDICATORS, forgery_alert, png

WANTED = cast.WANTED_ALERT_ID
BANNED, STOLEN_DOCUMENT = (alert["id"] for alert in cast.mar_outage_alerts())
FORGERY = "MAR-F-0001"


@pytest.fixture(scope="module")
def nodes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ThreeNodes]:
    """The three nodes set up by commands and running; every process stopped afterwards."""
    with ThreeNodes(tmp_path_factory.mktemp("federation"), run=run_in_process) as three:
        three.set_up()
        three.start()
        yield three
    for node in three.nodes.values():  # never a process left behind
        assert not node.api.running
        assert not node.federation.running


@pytest.fixture(scope="module")
def wanted(nodes: ThreeNodes) -> dict[str, Any]:
    """MAR's analyst issues the wanted-person alert (its face is in MAR's alerts gallery)."""
    return nodes.api("MAR", "analyst").issue_alert(cast.mar_wanted_alert())


@pytest.fixture(scope="module")
def portrait(nodes: ThreeNodes) -> bytes:
    return nodes.portrait().read_bytes()


def inspect_at_bel(nodes: ThreeNodes, key: str, portrait: bytes) -> steps.Inspection:
    return steps.inspect(nodes.api("BEL", "officer"), cast.TRAVELLERS[key], portrait=portrait)


def audit_of(nodes: ThreeNodes, state: str, action: str) -> list[dict[str, Any]]:
    """``state``'s audit records of ``action``, read from its database: who, why, query, result."""
    with nodes.database(state).read() as session:
        rows = (
            session.query(AuditRecord, AuditPayload)
            .join(AuditPayload, AuditPayload.seq == AuditRecord.seq)
            .filter(AuditRecord.action == action)
        )
        return [
            {"actor": r.actor, "purpose": r.purpose, "query": p.query, "result": p.result}
            for r, p in rows
        ]


# -- alerts ---------------------------------------------------------------------------------


def test_an_alert_issued_before_the_nodes_ran_waits_in_the_outbox_and_reaches_both(
    nodes: ThreeNodes,
) -> None:
    want = HeldAlert("TUN-A-0001", "active", 1)
    assert wait_held(nodes, "MAR", "TUN", want) == want
    assert wait_held(nodes, "BEL", "TUN", want) == want


def test_an_alert_mar_issues_reaches_bel_and_tun_and_hits_at_bel_s_border(
    nodes: ThreeNodes, wanted: dict[str, Any], portrait: bytes
) -> None:
    assert (wanted["id"], wanted["status"]) == (WANTED, "active")
    want = HeldAlert(WANTED, "active", 1)
    assert wait_held(nodes, "BEL", "MAR", want) == want
    assert wait_held(nodes, "TUN", "MAR", want) == want

    seen = inspect_at_bel(nodes, "wanted_by_name", portrait)
    assert seen.decision == "hit"
    assert f"MAR:{WANTED}" in seen.alert_references  # MAR's alert, checked at BEL's border


def test_tun_down_misses_mar_s_alerts_and_converges_exactly_once_restarted(
    nodes: ThreeNodes, wanted: dict[str, Any]
) -> None:
    analyst = nodes.api("MAR", "analyst")
    # TUN holds MAR's first alert before it goes down (whichever tests ran before this one
    # on this worker: two processes share a module's tests between them)
    assert wait_held(nodes, "TUN", "MAR", HeldAlert(WANTED, "active", 1))
    nodes.stop("TUN")
    try:
        assert not nodes.nodes["TUN"].running
        banned, stolen = cast.mar_outage_alerts()
        analyst.issue_alert(banned)
        analyst.issue_alert(stolen)
        assert analyst.withdraw_alert(BANNED, "Ban lifted.")["status"] == "withdrawn"

        assert wait_held(nodes, "BEL", "MAR", HeldAlert(BANNED, "withdrawn", 2))
        assert wait_held(nodes, "BEL", "MAR", HeldAlert(STOLEN_DOCUMENT, "active", 1))
        assert held_partner_alerts(nodes.database("TUN"), "MAR") == [HeldAlert(WANTED, "active", 1)]
        waiting = [e for e in outbox_entries(nodes.database("MAR"), "TUN") if not e.delivered]
        assert [e.idempotency_key for e in waiting if e.idempotency_key.startswith("alert:")] == [
            f"alert:{BANNED}:1",
            f"alert:{STOLEN_DOCUMENT}:1",
            f"alert:{BANNED}:2",
        ]
    finally:
        nodes.start("TUN")

    def caught_up() -> steps.Convergence | None:
        now = steps.convergence(nodes, issuer="MAR", at="TUN")
        return now if now.converged else None

    done, _ = steps.wait_for(caught_up, seconds=90)
    seen = done or steps.convergence(nodes, issuer="MAR", at="TUN")
    assert seen.held == (
        HeldAlert(WANTED, "active", 1),
        HeldAlert(BANNED, "withdrawn", 2),
        HeldAlert(STOLEN_DOCUMENT, "active", 1),
    )
    assert seen.held == seen.expected
    assert seen.undelivered == 0
    assert seen.applied_keys == seen.sent_keys  # audit checkpoints too, each applied once
    assert tuple(k for k in seen.sent_keys if k.startswith("alert:")) == (
        f"alert:{WANTED}:1",
        f"alert:{BANNED}:1",
        f"alert:{BANNED}:2",
        f"alert:{STOLEN_DOCUMENT}:1",
    )


# -- hit / no-hit ---------------------------------------------------------------------------


def test_mar_s_stolen_passport_inspected_at_bel_is_a_hit_naming_mar(
    nodes: ThreeNodes, portrait: bytes
) -> None:
    seen = inspect_at_bel(nodes, "mar_stolen", portrait)
    assert seen.decision == "hit"
    assert seen.partners_hit == {"MAR"}
    hit = seen.hit_by("MAR", "document")
    assert hit is not None
    assert hit.reference.startswith("MAR:MAR-")
    assert hit.band == "high"


def test_mar_s_watchlisted_person_under_another_spelling_is_a_hit_from_mar(
    nodes: ThreeNodes, portrait: bytes
) -> None:
    seen = inspect_at_bel(nodes, "watchlisted", portrait)  # BENALI MOHAMED; MAR lists محمد بن علي
    assert seen.decision == "hit"
    assert seen.partners_hit == {"MAR"}
    assert seen.hit_by("MAR", "person") is not None


def test_the_wanted_face_as_live_photo_is_a_hit_from_mar(
    nodes: ThreeNodes, wanted: dict[str, Any], portrait: bytes
) -> None:
    seen = inspect_at_bel(nodes, "face", portrait)  # another name; MAR's wanted face
    assert seen.decision == "hit"
    assert seen.partners_hit == {"MAR"}
    assert seen.hit_by("MAR", "face") is not None


def test_a_clean_traveller_is_clear_and_every_partner_answers_no_hit(
    nodes: ThreeNodes, portrait: bytes
) -> None:
    seen = inspect_at_bel(nodes, "clean", portrait)
    assert seen.decision == "clear"
    assert seen.partner_hits == ()
    assert seen.federation_light == "green"  # both partners answered, no hit

    # BEL's audit trail holds what left for each partner; MAR audits the same messages
    sent = [
        r
        for r in audit_of(nodes, "BEL", "exchange.query.ask")
        if r["query"]["inspection"] == seen.inspection_id
    ]
    asked = {(r["query"]["peer"], r["query"]["kind"]) for r in sent}
    assert {peer for peer, _ in asked} == {"MAR", "TUN"}
    assert {("MAR", "document"), ("MAR", "person"), ("TUN", "document")} <= asked
    assert len(sent) == len(asked)  # one record per query per partner
    assert {
        (r["actor"], r["purpose"], r["result"]["result"], r["result"]["sent"]) for r in sent
    } == {("officer.bel", sent[0]["purpose"], "no_hit", True)}
    assert sent[0]["purpose"]
    answered = {
        r["query"]["message_id"] for r in nodes.api("MAR", "auditor").audit("exchange.query.answer")
    }
    assert {r["query"]["message_id"] for r in sent if r["query"]["peer"] == "MAR"} <= answered


def test_a_document_only_tun_holds_is_a_hit_naming_tun_only(
    nodes: ThreeNodes, portrait: bytes
) -> None:
    seen = inspect_at_bel(nodes, "tun_stolen", portrait)
    assert seen.decision == "hit"
    assert seen.partners_hit == {"TUN"}
    assert seen.hit_by("TUN", "document") is not None


# -- forged documents (issue 18, item 3) ---------------------------------------------------


def forged_passport(number: str) -> str:
    """A Moroccan passport numbered ``number``, of a traveller no list holds."""
    return compose_mrz(
        MrzFormat.TD3,
        document_number=number,
        birth_date="880517",
        expiry_date="320101",
        surname="OUAZZANI",
        given_names="RACHID",
        issuing_state="MAR",
        sex="M",
    )


def test_a_forgery_alert_mar_issues_makes_bel_s_officer_refer_a_passport_in_its_range(
    nodes: ThreeNodes,
) -> None:
    """MAR's examiner records counterfeit passports AB1000000-AB1099999 with an image; the
    alert reaches BEL (signed, over mutual TLS, image and all) and BEL's officer, inspecting
    such a passport, is told to refer it and shown the indicators; a number outside the
    range passes. Withdrawn at MAR, the alert stops referring at BEL."""
    alert = forgery_alert(FORGERY)
    issued = nodes.api("MAR", "analyst").issue_alert(alert)
    assert (issued["id"], issued["category"]) == (FORGERY, "forged_document")
    want = HeldAlert(FORGERY, "active", 1)
    assert wait_held(nodes, "BEL", "MAR", want) == want
    with nodes.database("BEL").read() as session:
        images = partner_reference_images(session, "MAR", FORGERY)
    assert images is not None
    assert [image.data for image in images] == [png()]

    officer = nodes.api("BEL", "officer")
    result = officer.inspect(forged_passport("AB1000042"))
    assert result["decision"] == "refer"
    (finding,) = [f for f in result["findings"] if f["code"] == "alert_forged_document"]
    assert finding["reference"] == f"MAR:{FORGERY}"
    assert INDICATORS in finding["message"]
    assert "Morocco (MAR)" in finding["message"]
    outside = officer.inspect(forged_passport("AB1100000"))
    assert not [f for f in outside["findings"] if f["code"] == "alert_forged_document"]

    nodes.api("MAR", "analyst").withdraw_alert(FORGERY, "the range was a typing error")
    gone = HeldAlert(FORGERY, "withdrawn", 2)
    assert wait_held(nodes, "BEL", "MAR", gone) == gone
    after = officer.inspect(forged_passport("AB1000042"))
    assert not [f for f in after["findings"] if f["code"] == "alert_forged_document"]


# -- follow-up ------------------------------------------------------------------------------


def test_a_follow_up_releases_mar_s_record_to_bel_only_after_mar_approves(
    nodes: ThreeNodes, portrait: bytes
) -> None:
    hit = inspect_at_bel(nodes, "mar_stolen", portrait).hit_by("MAR", "document")
    assert hit is not None
    trace = steps.follow_up(
        nodes.api("BEL", "analyst"),
        nodes.api("MAR", "analyst"),
        hit.reference,
        justification="Traveller held at BRU-ZAV with this passport; confirming the theft.",
    )

    assert (trace.requested["peer"], trace.requested["status"]) == ("MAR", "pending")
    assert trace.owner_pending is not None
    assert (trace.owner_pending["status"], trace.owner_pending["requested_by"]) == (
        "pending",
        "BEL:analyst.bel",
    )
    assert trace.asker_before is not None
    assert (trace.asker_before["status"], trace.asker_before["released"]) == ("pending", None)
    assert trace.approved is not None
    assert trace.approved["status"] == "approved"
    assert trace.asker_after is not None
    assert trace.asker_after["status"] == "approved"
    assert trace.asker_after["released"] == {"record_type": "sltd", **cast.mar_sltd()[0]}


# -- refusals -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def refusals(nodes: ThreeNodes) -> tuple[steps.Refusals, list[tuple[str, str]]]:
    """The four probes sent to MAR's listener, and the refusals MAR's auditor then reads."""
    auditor = nodes.api("MAR", "auditor")
    since = steps.last_audit_seq(auditor)
    sent = steps.send_refusal_probes(nodes, target="MAR", sender="BEL")
    return sent, steps.refusals_audited(auditor, after=since)


@pytest.mark.parametrize(
    ("probe", "status", "code"),
    [
        ("tampered", 401, "bad_signature"),
        ("replayed", 409, "replay"),
        ("unsigned", 401, "unsigned"),
        ("unknown peer", 403, "unknown_peer"),
    ],
)
def test_a_bad_request_to_mar_s_listener_is_refused_with_its_code(
    refusals: tuple[steps.Refusals, list[tuple[str, str]]], probe: str, status: int, code: str
) -> None:
    sent, _ = refusals
    answer = sent.refused()[probe]
    assert (answer.status, answer.code) == (status, code)


def test_the_replayed_wire_was_accepted_the_first_time(
    refusals: tuple[steps.Refusals, list[tuple[str, str]]],
) -> None:
    sent, _ = refusals
    assert (sent.replay_first.status, sent.replay_first.code) == (200, None)


def test_each_refusal_is_in_mar_s_audit_trail_with_the_peer_and_code(
    refusals: tuple[steps.Refusals, list[tuple[str, str]]],
) -> None:
    _, audited = refusals
    assert audited == [
        ("BEL", "bad_signature"),
        ("BEL", "replay"),
        ("BEL", "unsigned"),
        ("FRA", "unknown_peer"),
    ]


def test_the_nodes_keep_their_logs_and_logins_in_the_base_folder(nodes: ThreeNodes) -> None:
    logins = nodes.base / "logins.json"
    assert logins.stat().st_mode & 0o777 == 0o600
    for node in nodes.nodes.values():
        assert Path(node.home, "logs", "federation.log").is_file()
        assert node.running


# -- fingerprints ---------------------------------------------------------------------------


def test_a_live_fingerprint_at_mar_s_booth_is_a_hit_naming_bel_and_mar_audits_no_template(
    nodes: ThreeNodes,
) -> None:
    live = nodes.live_finger().read_bytes()  # another impression of the finger BEL enrolled
    seen = steps.inspect(
        nodes.api("MAR", "officer"),
        cast.TRAVELLERS[cast.TRAVELLER_WITH_FINGER],
        portrait=None,
        fingerprints=((2, live),),
        crossing_point="TNG-MED",
    )
    assert seen.decision == "hit"
    assert seen.partners_hit == {"BEL"}
    hit = seen.hit_by("BEL", "fingerprint")
    assert hit is not None
    assert hit.reference.startswith("BEL:BEL-")
    sent = steps.fingerprints_sent(nodes.api("MAR", "auditor"), seen.inspection_id)
    assert {s.peer: s.result for s in sent} == {"BEL": "hit", "TUN": "no_hit"}
    assert all(s.positions == (2,) and len(s.digest) == 64 and not s.template_sent for s in sent)
