"""The demo's moves on running nodes, each returning what happened (no verdict, no printing).

``story`` judges these values against its expectations and prints them; the
integration test asserts on the same values. Every move goes through a
node's API or its federation listener, except the reads of the exchange
tables (``ledger``), which no endpoint shows.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from passerelle.federation_demo import cast, ledger
from passerelle.federation_demo.api import NodeApi
from passerelle.federation_demo.ledger import HeldAlert
from passerelle.federation_demo.mesh import Mesh
from passerelle.federation_demo.probes import (
    ListenerProbe,
    ProbeAnswer,
    signed_query,
    tampered,
    unsigned,
)
from passerelle.federation_demo.three_nodes import ThreeNodes
from passerelle.node import utc_now

__all__ = [
    "Convergence",
    "FingerprintSent",
    "FollowUpTrace",
    "Inspection",
    "PartnerHit",
    "Refusals",
    "convergence",
    "fingerprints_sent",
    "follow_up",
    "held_alert",
    "inspect",
    "last_audit_seq",
    "refusals_audited",
    "send_refusal_probes",
    "wait_for",
]

T = TypeVar("T")

_HOLDS = re.compile(r"holds a record on this (document|person|face|fingerprint)")
_BAND = re.compile(r"score band (high|medium|low)")


def wait_for(check: Callable[[], T | None], *, seconds: float) -> tuple[T | None, float]:
    """Call ``check`` until it returns something (or ``seconds`` pass): that value (or None)
    and the seconds it took."""
    started = time.monotonic()
    while True:
        value = check()
        elapsed = time.monotonic() - started
        if value is not None or elapsed > seconds:
            return value, elapsed
        time.sleep(0.1)


# -- alerts -------------------------------------------------------------------------------


def held_alert(nodes: Mesh, at: str, issuer: str, alert_id: str) -> HeldAlert | None:
    """The alert ``issuer`` shared that ``at`` holds under ``alert_id`` (None if none)."""
    held = ledger.held_partner_alerts(nodes.database(at), issuer)
    return next((alert for alert in held if alert.alert_id == alert_id), None)


@dataclass(frozen=True, slots=True)
class Convergence:
    """What ``at`` holds of ``issuer``'s alerts against what it should: alerts and messages."""

    issuer: str
    at: str
    expected: tuple[HeldAlert, ...]
    """``issuer``'s alerts: id, status, version."""
    held: tuple[HeldAlert, ...]
    """``at``'s partner alerts from ``issuer``."""
    sent_keys: tuple[str, ...]
    """Idempotency keys of ``issuer``'s outbox messages to ``at``."""
    undelivered: int
    applied_keys: tuple[str, ...]
    """Idempotency keys of ``issuer``'s messages ``at`` applied (its inbox)."""

    @property
    def converged(self) -> bool:
        """Every message delivered and applied once, and the same alerts in the same state."""
        return (
            self.undelivered == 0
            and self.held == self.expected
            and self.applied_keys == self.sent_keys
        )


def convergence(nodes: Mesh, *, issuer: str, at: str) -> Convergence:
    """How far ``at`` has caught up with ``issuer``'s alerts, now."""
    outbox = ledger.outbox_entries(nodes.database(issuer), at)
    return Convergence(
        issuer,
        at,
        tuple(ledger.own_alerts(nodes.database(issuer))),
        tuple(ledger.held_partner_alerts(nodes.database(at), issuer)),
        tuple(sorted(entry.idempotency_key for entry in outbox)),
        sum(not entry.delivered for entry in outbox),
        tuple(ledger.inbox_keys(nodes.database(at), issuer)),
    )


# -- inspections --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PartnerHit:
    """A partner's hit as the officer's verdict names it."""

    state: str
    kind: str
    """``document``, ``person``, ``face`` or ``fingerprint``."""
    reference: str
    """``MAR:MAR-…``: what a follow-up asks for."""
    band: str


@dataclass(frozen=True, slots=True)
class Inspection:
    """An inspection's verdict at the asking node, as the officer's API answered it."""

    traveller: cast.Traveller
    inspection_id: str
    decision: str
    federation_light: str
    partner_hits: tuple[PartnerHit, ...]
    alert_references: tuple[str, ...]
    """References of the alert findings (``MAR:MAR-A-0001`` for a partner's alert)."""
    federation_notes: tuple[str, ...]
    """The partners' other findings (no answer, refused ...), in the officer's words."""

    @property
    def partners_hit(self) -> set[str]:
        return {hit.state for hit in self.partner_hits}

    def hit_by(self, state: str, kind: str) -> PartnerHit | None:
        return next((h for h in self.partner_hits if (h.state, h.kind) == (state, kind)), None)


def _light(result: dict[str, Any], source: str) -> str:
    lights = result.get("sources") or {}
    return str(lights.get(source, "grey"))


def _partner_hit(finding: dict[str, Any]) -> PartnerHit:
    message = str(finding["message"])
    kind = _HOLDS.search(message)
    band = _BAND.search(message)
    reference = str(finding.get("reference") or "")
    return PartnerHit(
        reference.partition(":")[0],
        kind.group(1) if kind else "?",
        reference,
        band.group(1) if band else "?",
    )


def inspect(
    api: NodeApi,
    traveller: cast.Traveller,
    *,
    portrait: bytes | None,
    fingerprints: tuple[tuple[int, bytes], ...] = (),
    crossing_point: str = "BRU-ZAV",
) -> Inspection:
    """The officer inspects ``traveller`` (live photo: ``portrait`` when the traveller has it;
    ``fingerprints``: (ISO position, image) of the fingers captured at the booth)."""
    result = api.inspect(
        traveller.mrz,
        live_photo=portrait if traveller.with_portrait else None,
        fingerprints=fingerprints,
        crossing_point=crossing_point,
    )
    findings = result.get("findings", [])
    federation = [f for f in findings if f["source"] == "federation"]
    return Inspection(
        traveller,
        str(result["inspection_id"]),
        str(result["decision"]),
        _light(result, "federation"),
        tuple(_partner_hit(f) for f in federation if f["code"] == "partner_hit"),
        tuple(str(f["reference"]) for f in findings if f["source"] == "alerts"),
        tuple(str(f["message"]) for f in federation if f["code"] != "partner_hit"),
    )


@dataclass(frozen=True, slots=True)
class FingerprintSent:
    """A fingerprint query the asking node audited (``exchange.query.ask``) for an inspection."""

    peer: str
    positions: tuple[int, ...]
    digest: str
    """The first finger's ``template_sha256``."""
    template_sent: bool
    """Whether the audit record holds a template (it must not)."""
    result: str


def fingerprints_sent(auditor: NodeApi, inspection_id: str) -> list[FingerprintSent]:
    """The fingerprint queries an inspection sent, one per partner, as the asking node's
    auditor reads them (``exchange.query.ask``)."""
    sent: list[FingerprintSent] = []
    for record in auditor.audit("exchange.query.ask"):
        query, result = record.get("query") or {}, record.get("result") or {}
        if (query.get("inspection"), query.get("kind")) != (inspection_id, "fingerprint"):
            continue
        fingers = query.get("fingers") or []
        sent.append(
            FingerprintSent(
                str(query.get("peer")),
                tuple(int(f.get("position", -1)) for f in fingers),
                str(fingers[0].get("template_sha256", "")) if fingers else "",
                "template" in query or any("template" in f for f in fingers),
                str(result.get("result")),
            )
        )
    return sent


# -- follow-ups ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FollowUpTrace:
    """A follow-up from request to delivery, as both analysts saw it along the way."""

    requested: dict[str, Any]
    """The asker's follow-up as the request answered it."""
    owner_pending: dict[str, Any] | None
    """The owner's incoming follow-up before the decision."""
    asker_before: dict[str, Any] | None
    """The asker's outgoing follow-up before the decision."""
    approved: dict[str, Any] | None
    """The owner's follow-up once approved."""
    asker_after: dict[str, Any] | None
    """The asker's outgoing follow-up once the answer arrived (or when waiting stopped)."""
    seconds: float
    """From the approval to the answer applied at the asker."""


def follow_up(
    asker: NodeApi, owner: NodeApi, reference: str, *, justification: str, seconds: float = 60
) -> FollowUpTrace:
    """The asker's analyst requests ``reference``; the owner's sees it and approves; the
    answer travels back through the owner's outbox."""
    requested = asker.request_follow_up(reference, justification)
    followup_id = str(requested["id"])
    owner_pending = owner.follow_up("incoming", followup_id)
    asker_before = asker.follow_up("outgoing", followup_id)
    approved = owner.approve_follow_up(followup_id, "Confirmed with the passport service.")

    def answered() -> dict[str, Any] | None:
        seen = asker.follow_up("outgoing", followup_id)
        return seen if seen is not None and seen["status"] != "pending" else None

    asker_after, took = wait_for(answered, seconds=seconds)
    if asker_after is None:
        asker_after = asker.follow_up("outgoing", followup_id)
    return FollowUpTrace(requested, owner_pending, asker_before, approved, asker_after, took)


# -- refusals -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Refusals:
    """What ``target``'s listener answered each probe (``replay_first``: the original send)."""

    target: str
    tampered: ProbeAnswer
    replay_first: ProbeAnswer
    replayed: ProbeAnswer
    unsigned: ProbeAnswer
    unknown_peer: ProbeAnswer

    def refused(self) -> dict[str, ProbeAnswer]:
        """The four probes that must be refused, by name."""
        return {
            "tampered": self.tampered,
            "replayed": self.replayed,
            "unsigned": self.unsigned,
            "unknown peer": self.unknown_peer,
        }


def send_refusal_probes(nodes: ThreeNodes, *, target: str, sender: str) -> Refusals:
    """Tampered, replayed and unsigned wires from ``sender``, and one from the outsider (FRA),
    to ``target``'s listener over mutual TLS."""
    node, asker = nodes.nodes[target], nodes.nodes[sender]
    identity = asker.identity()
    outsider, outsider_tls = nodes.outsider()
    with ListenerProbe(node.federation_url, asker.tls) as probe:
        bad = probe.post(tampered(signed_query(identity, target, at=utc_now())))
        wire = signed_query(identity, target, at=utc_now())
        first, again = probe.post(wire), probe.post(wire)
        bare = probe.post(unsigned(signed_query(identity, target, at=utc_now())))
    with ListenerProbe(node.federation_url, outsider_tls) as stranger:
        unknown = stranger.post(signed_query(outsider, target, at=utc_now()))
    return Refusals(target, bad, first, again, bare, unknown)


def last_audit_seq(auditor: NodeApi) -> int:
    """The newest audit record's sequence number on the auditor's node."""
    records = auditor.audit(limit=1)
    return int(records[0]["seq"]) if records else 0


def refusals_audited(auditor: NodeApi, *, after: int) -> list[tuple[str, str]]:
    """(TLS peer, code) of each ``exchange.refused`` audit record after ``after``, oldest first."""
    records = [r for r in auditor.audit("exchange.refused") if int(r["seq"]) > after]
    return [
        (str((r["query"] or {}).get("tls_state")), str((r["result"] or {}).get("code")))
        for r in sorted(records, key=lambda r: int(r["seq"]))
    ]
