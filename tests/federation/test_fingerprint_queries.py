"""Fingerprint hit/no-hit between real nodes over mutual TLS: MAR asks, BEL answers from its
fingerprint galleries, and a follow-up on the hit discloses the record the finger is filed under.

BEL holds the wanted person BEL-W-0007 (``load_bel``) and one of their fingers
(right index, ISO position 2) in its ``wanted`` fingerprint gallery, enrolled
from a synthetic impression; MAR asks with another impression of the same
finger (real NBIS extraction both times).
"""

from __future__ import annotations

import base64
import hashlib
import io
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from passerelle.biometrics.fingerprint import FingerprintTemplate, extract_template
from passerelle.biometrics.fingerprint.captures import LiveFinger
from passerelle.biometrics.fingerprint.synthetic import generate_master, render_impression
from passerelle.federation import JsonValue, canonical_json, new_federation_ca
from passerelle.federation.followups.requests import FollowUps
from passerelle.federation.peers.directory import Agreement
from passerelle.federation.queries.asking import (
    AskedFor,
    ExchangeAsker,
    fingerprint_question,
)
from passerelle.federation.queries.fingerprint_bodies import fingerprint_band
from passerelle.federation.queries.handlers import FINGERPRINT_FLOOR_S
from passerelle.federation.transport.client import BlockingExchangeClient, PeerRefused
from passerelle.federation.transport.delivery import Deliverer
from passerelle.node import utc_now
from passerelle.screening import InspectionRequest, Inspector, InspectorConfig
from passerelle.store.audit import Actor
from passerelle.wiring import finger_galleries
from tests.federation.nodes import (
    ADMIN,
    FederatedNode,
    listening,
    make_node,
    register_partner,
    serve_partner,
)
from tests.federation.test_federated_inspection import load_bel
from tests.screening.conftest import passport

WANTED_FINGER = 4242
"""The synthetic master finger of BEL's wanted person (right index)."""
STRANGER_FINGER = 4343
KINDS = ("document", "person", "face", "fingerprint")
BEL_TERMS = Agreement.of(inbound_kinds=KINDS, alert_categories=("wanted",))
MAR_TERMS = Agreement.of(outbound_kinds=KINDS)
OFFICER = Actor("officer.mar", "user", "officer")
MAR_ANALYST = Actor("analyst.mar", "user", "analyst")
BEL_ANALYST = Actor("analyst.bel", "user", "analyst")


@cache
def impression(seed: int, number: int, position: int = 2) -> FingerprintTemplate:
    """The minutiae of impression ``number`` of synthetic finger ``seed`` (NBIS MINDTCT)."""
    return extract_template(
        render_impression(generate_master(seed), number), finger_position=position
    )


def finger(made: FingerprintTemplate, position: int = 2, **changes: Any) -> dict[str, Any]:
    return {
        "position": position,
        "template": base64.b64encode(made.to_iso()).decode("ascii"),
        "extractor": made.extractor,
        "extractor_version": made.extractor_version,
    } | changes


@dataclass
class Pair:
    mar: FederatedNode
    bel: FederatedNode
    client: BlockingExchangeClient
    bel_client: BlockingExchangeClient

    def ask(self, *fingers: dict[str, Any]) -> dict[str, Any]:
        peer = self.mar.directory.get("BEL")
        body: dict[str, JsonValue] = {"fingers": list(fingers), "purpose": "at TNG-MED"}
        return dict(self.client.send(peer, "query.fingerprint", body, timeout=10).body)


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Pair]:
    ca = new_federation_ca("Test federation CA", now=datetime.now(UTC))
    mar = make_node(tmp_path / "mar", ca, "MAR")
    bel = make_node(tmp_path / "bel", ca, "BEL")
    load_bel(bel, tmp_path / "bel")
    finger_galleries(bel.node).enrol(
        "wanted",
        "BEL-W-0007/2",
        impression(WANTED_FINGER, 0),
        source_sha256="0" * 64,
        at=utc_now(),
        by="t",
    )
    with (
        listening(serve_partner(bel), bel.tls) as bel_port,
        listening(serve_partner(mar), mar.tls) as mar_port,
    ):
        register_partner(bel, mar, mar_port, BEL_TERMS)
        register_partner(mar, bel, bel_port, MAR_TERMS)
        client = BlockingExchangeClient(mar.identity, mar.tls)
        bel_client = BlockingExchangeClient(bel.identity, bel.tls)
        try:
            yield Pair(mar, bel, client, bel_client)
        finally:
            client.close()
            bel_client.close()
    mar.close()
    bel.close()


def test_another_impression_of_the_enrolled_finger_is_a_hit_with_reference_and_band(
    pair: Pair,
) -> None:
    probe = impression(WANTED_FINGER, 1)
    answer = pair.ask(finger(probe))
    assert answer["result"] == "hit"
    assert answer["reference"].startswith("BEL-")
    assert answer["score_band"] in ("high", "medium", "low")
    assert set(answer) == {"result", "reference", "score_band", "pad"}

    (answered,) = pair.bel.audit_records("exchange.query.answer")
    assert (answered["kind"], answered["record_type"]) == ("fingerprint", "watchlist")
    assert answered["record_id"] == "BEL-W-0007"
    sha = hashlib.sha256(probe.to_iso()).hexdigest()
    assert answered["fingers"] == [{"position": 2, "template_sha256": sha}]
    assert base64.b64encode(probe.to_iso()).decode() not in str(answered)


def test_another_finger_is_no_hit(pair: Pair) -> None:
    answer = pair.ask(finger(impression(STRANGER_FINGER, 1, 7), position=7))
    assert answer["result"] == "no_hit"
    assert len(pair.bel.audit_records("exchange.query.answer")) == 1


def test_several_fingers_hit_when_one_of_them_is_enrolled(pair: Pair) -> None:
    answer = pair.ask(
        finger(impression(STRANGER_FINGER, 1, 3), position=3), finger(impression(WANTED_FINGER, 2))
    )
    assert answer["result"] == "hit"


def test_a_hit_and_a_no_hit_are_the_same_size_and_neither_leaves_before_the_floor(
    pair: Pair,
) -> None:
    answers = []
    for probe, position in (
        (impression(WANTED_FINGER, 1), 2),
        (impression(STRANGER_FINGER, 1, 7), 7),
    ):
        started = time.perf_counter()
        answers.append(pair.ask(finger(probe, position=position)))
        assert time.perf_counter() - started >= FINGERPRINT_FLOOR_S
    assert [a["result"] for a in answers] == ["hit", "no_hit"]
    assert len(canonical_json(answers[0])) == len(canonical_json(answers[1]))


def test_a_partner_whose_agreement_lacks_the_kind_is_refused(pair: Pair) -> None:
    without = Agreement.of(inbound_kinds=("document", "person", "face"))
    pair.bel.directory.update("MAR", actor=ADMIN, agreement=without)
    with pytest.raises(PeerRefused) as refused:
        pair.ask(finger(impression(WANTED_FINGER, 1)))
    assert refused.value.code == "outside_agreement:kind"
    assert pair.bel.audit_records("exchange.query.answer") == []


def test_another_extractors_minutiae_are_refused_naming_the_field(pair: Pair) -> None:
    with pytest.raises(PeerRefused) as refused:
        pair.ask(finger(impression(WANTED_FINGER, 1), extractor="vendor-x"))
    assert refused.value.code == "invalid"
    assert refused.value.detail.startswith("fingers[0].extractor:")
    with pytest.raises(PeerRefused) as malformed:
        pair.ask(finger(impression(WANTED_FINGER, 1), template="Rk1SAA=="))
    assert malformed.value.detail.startswith("fingers[0].template:")
    with pytest.raises(PeerRefused) as position:
        pair.ask(finger(impression(WANTED_FINGER, 1), position=11))
    assert position.value.detail.startswith("fingers[0].position:")
    with pytest.raises(PeerRefused) as another:
        pair.ask(finger(impression(WANTED_FINGER, 1), position=3))
    assert "the record is of finger position 2" in another.value.detail
    assert pair.bel.audit_records("exchange.query.answer") == []


def test_a_follow_up_on_a_fingerprint_hit_discloses_the_wanted_person(pair: Pair) -> None:
    answer = pair.ask(finger(impression(WANTED_FINGER, 1)))
    asker = FollowUps(pair.mar.node, pair.mar.directory, sender=pair.client)
    why = "Fingerprint hit at TNG-MED; identity to confirm before the hearing."
    asked = asker.request(f"BEL:{answer['reference']}", why, by=MAR_ANALYST)
    FollowUps(pair.bel.node, pair.bel.directory).approve(asked.id, None, by=BEL_ANALYST)
    Deliverer(pair.bel.node, pair.bel_client, directory=pair.bel.directory).deliver_due()

    (outgoing,) = asker.listed("outgoing", by=MAR_ANALYST)
    assert outgoing.status == "approved"
    assert outgoing.released is not None
    assert (outgoing.released["record_type"], outgoing.released["id"]) == (
        "watchlist",
        "BEL-W-0007",
    )


def test_only_partners_whose_agreement_lists_fingerprints_are_asked_and_the_ask_is_audited(
    pair: Pair,
) -> None:
    asker = ExchangeAsker(pair.client, pair.mar.directory, node=pair.mar.node)
    probe = impression(WANTED_FINGER, 1)
    question = fingerprint_question([(2, probe)], purpose="border control")
    why = AskedFor(OFFICER, "border control", "inspection-1")

    pair.mar.directory.update(
        "BEL", actor=ADMIN, agreement=Agreement.of(outbound_kinds=("document",))
    )
    assert asker.ask([question], deadline=5, asked_for=why) == []

    pair.mar.directory.update("BEL", actor=ADMIN, agreement=MAR_TERMS)
    (answer,) = asker.ask([question], deadline=5, asked_for=why)
    assert (answer.peer, answer.kind, answer.status) == ("BEL", "fingerprint", "hit")
    (sent,) = pair.mar.audit_records("exchange.query.ask")
    sha = hashlib.sha256(probe.to_iso()).hexdigest()
    assert sent["fingers"] == [{"position": 2, "template_sha256": sha}]
    assert (sent["extractor"], sent["fields"]) == ("nbis-mindtct", ["fingers"])
    assert base64.b64encode(probe.to_iso()).decode() not in str(sent)
    assert sent["result"] == "hit"


def test_bands_follow_the_score_against_the_calibrated_threshold() -> None:
    assert [fingerprint_band(s, 64) for s in (128, 127, 96, 95, 64, 63)] == [
        "high",
        "medium",
        "medium",
        "low",
        "low",
        None,
    ]


def png(pixels: np.ndarray[tuple[int, int], np.dtype[np.uint8]]) -> bytes:
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, format="PNG")
    return out.getvalue()


def inspect_with_finger(pair: Pair, image: bytes) -> Any:
    asker = ExchangeAsker(pair.client, pair.mar.directory, node=pair.mar.node)
    inspector = Inspector(
        pair.mar.node,
        federation=asker,
        config=InspectorConfig(federation_deadline_s=5.0, watchlist_max_age_s=None),
    )
    try:
        return inspector.inspect(
            InspectionRequest(
                mrz=passport(),
                purpose="border control: entry check",
                crossing_point="TNG-MED",
                direction="entry",
                officer=OFFICER,
                at=utc_now(),
                federation=True,
                fingerprints=(LiveFinger(2, image),),
            )
        )
    finally:
        inspector.close()


def test_a_live_print_at_mar_s_inspection_is_a_partner_hit_naming_belgium(pair: Pair) -> None:
    live = png(render_impression(generate_master(WANTED_FINGER), 1))
    result = inspect_with_finger(pair, live)
    assert result.decision == "hit"
    (hit,) = [f for f in result.findings if f.code == "partner_hit"]
    assert "Belgium (BEL) holds a record on this fingerprint" in hit.message
    assert str(hit.reference).startswith("BEL:BEL-")
    asked = {r["kind"] for r in pair.mar.audit_records("exchange.query.ask")}
    assert "fingerprint" in asked


def test_an_unusable_live_print_is_never_sent_to_a_partner(pair: Pair) -> None:
    result = inspect_with_finger(pair, png(np.full((400, 320), 250, dtype=np.uint8)))
    assert [f.code for f in result.findings if f.source == "fingerprint"] == [
        "fingerprint_unusable"
    ]
    asked = {r["kind"] for r in pair.mar.audit_records("exchange.query.ask")}
    assert "fingerprint" not in asked
