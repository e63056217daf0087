"""An inspection at MAR that asks the partners: real nodes, mutual TLS, one deadline.

BEL holds a Moroccan passport reported stolen (ZX1111111) and a wanted person
(Youssef El Idrissi, 1988-07-12) whose face is in its ``wanted`` gallery.
MAR's own registries are empty unless a test loads them.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from passerelle.biometrics.enrolment import FaceGalleries
from passerelle.biometrics.face import FaceCapture, FaceVerdict
from passerelle.federation import FederationCA, NodeIdentity, new_federation_ca
from passerelle.federation.peers.directory import Agreement
from passerelle.federation.queries.asking import (
    AskedFor,
    ExchangeAsker,
    PartnerAnswer,
    PartnerQuestion,
)
from passerelle.federation.queries.handlers import PartnerServices
from passerelle.federation.transport.client import BlockingExchangeClient
from passerelle.lists.watchlist import StoreWatchlist
from passerelle.node import utc_now
from passerelle.screening import InspectionRequest, InspectionResult, Inspector, InspectorConfig
from passerelle.server.ports import free_port
from passerelle.store.loading import load_file
from passerelle.store.sltd import SltdRegistry
from passerelle.store.watchlist import WatchlistRegistry
from tests.biometrics.test_enrolment import VAULT, capture
from tests.federation.nodes import (
    ADMIN,
    FederatedNode,
    listening,
    make_node,
    register_partner,
    serve_partner,
    silent_listener,
)
from tests.screening.conftest import OFFICER, passport

STOLEN_AT_BEL = "ZX1111111"
WANTED_SEED = 7
BEL_TERMS = Agreement.of(inbound_kinds=("document", "person", "face"), alert_categories=("wanted",))
MAR_TERMS = Agreement.of(outbound_kinds=("document", "person", "face"))


def write_lines(path: Path, *records: dict[str, object]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
    return path


def load_bel(bel: FederatedNode, folder: Path) -> PartnerServices:
    """BEL's records: a stolen MAR passport, a wanted person and their face."""
    node = bel.node
    stolen = {
        "issuing_state": "MAR",
        "document_number": STOLEN_AT_BEL,
        "document_code": "P",
        "status": "stolen",
        "reported_on": "2026-10-01",
        "reported_by": "BEL",
    }
    wanted = {
        "id": "BEL-W-0007",
        "names": ["Youssef El Idrissi"],
        "birth_date": "1988-07-12",
        "nationalities": ["MAR"],
        "sex": "M",
        "category": "wanted",
        "issued_by": "BEL",
        "valid_until": None,
    }
    for registry, record, name in (
        (SltdRegistry(), stolen, "sltd.jsonl"),
        (WatchlistRegistry(), wanted, "watchlist.jsonl"),
    ):
        load_file(
            node.database,
            node.audit,
            registry,
            write_lines(folder / name, record),
            actor=ADMIN,
            clock=utc_now,
        )
    galleries = FaceGalleries(node.database, VAULT, folder / "galleries")
    galleries.enrol(
        "wanted", "BEL-W-0007", capture(WANTED_SEED), source_sha256="0" * 64, at=utc_now(), by="t"
    )
    screener = StoreWatchlist(node, max_age_s=None)
    screener.refresh()
    return PartnerServices(screener, galleries)


class WantedFace:
    """A face model that sees BEL's wanted person in every photo (no dlib)."""

    def capture(self, image: bytes, *, field: str) -> FaceCapture:
        return capture(WANTED_SEED)

    def verify(self, first: FaceCapture, second: FaceCapture) -> FaceVerdict:
        return FaceVerdict(True, 0.99, (1, 1))


@dataclass
class Federation:
    mar: FederatedNode
    bel: FederatedNode
    client: BlockingExchangeClient
    bel_services: PartnerServices
    ca: FederationCA

    def inspector(self, *, deadline: float = 3.0, **given: object) -> Inspector:
        asker = ExchangeAsker(self.client, self.mar.directory, node=self.mar.node)
        return Inspector(
            self.mar.node,
            federation=asker,
            config=InspectorConfig(federation_deadline_s=deadline, watchlist_max_age_s=None),
            **given,  # type: ignore[arg-type]
        )


@pytest.fixture
def federation(tmp_path: Path) -> Iterator[Federation]:
    ca = new_federation_ca("Test federation CA", now=datetime.now(UTC))
    mar = make_node(tmp_path / "mar", ca, "MAR")
    bel = make_node(tmp_path / "bel", ca, "BEL")
    services = load_bel(bel, tmp_path / "bel")
    register_partner(bel, mar, 1, BEL_TERMS)
    client = BlockingExchangeClient(mar.identity, mar.tls)
    try:
        yield Federation(mar, bel, client, services, ca)
    finally:
        client.close()
        mar.close()
        bel.close()


@contextmanager
def bel_listening(federation: Federation) -> Iterator[int]:
    """BEL's listener, registered on MAR; MAR's client closes first (no idle connection left)."""
    app = serve_partner(federation.bel, federation.bel_services)
    with listening(app, federation.bel.tls) as port:
        register_partner(federation.mar, federation.bel, port, MAR_TERMS)
        try:
            yield port
        finally:
            federation.client.close()


def inspect(
    inspector: Inspector, mrz: str, *, federation: bool | None = True, live: bytes | None = None
) -> InspectionResult:
    return inspector.inspect(
        InspectionRequest(
            mrz=mrz,
            purpose="border control: entry check",
            crossing_point="TNG-MED",
            direction="entry",
            officer=OFFICER,
            at=utc_now(),
            live_photo=live,
            federation=federation,
        )
    )


def partner_findings(result: InspectionResult) -> list[tuple[str, str]]:
    return [(f.code, f.severity) for f in result.findings if f.source == "federation"]


def test_a_document_stolen_at_a_partner_is_a_hit_naming_the_partner(
    federation: Federation,
) -> None:
    with bel_listening(federation):
        result = inspect(federation.inspector(), passport(number=STOLEN_AT_BEL))

    assert result.decision == "hit"
    assert result.light("federation") == "red"
    (finding,) = [f for f in result.findings if f.source == "federation"]
    assert finding.severity == "hit"
    assert finding.message.startswith("Belgium (BEL) holds a record on this document: reference ")
    assert "score band high" in finding.message
    assert finding.action is not None
    assert "request the record from BEL" in finding.action
    assert finding.reference is not None
    assert finding.reference.startswith("BEL:BEL-")
    record = federation.inspector().get(result.inspection_id)
    (review,) = record.reviews
    assert (review.source, review.reference, review.status) == (
        "federation",
        finding.reference,
        "pending",
    )
    answers = federation.bel.audit_records("exchange.query.answer")
    (answer,) = [a for a in answers if a["kind"] == "document"]
    assert answer["actor"] == "peer:MAR"
    assert answer["result"] == "hit"
    assert answer["document_number"] == STOLEN_AT_BEL


def test_a_person_wanted_by_a_partner_is_a_hit_by_name_and_by_face(
    federation: Federation,
) -> None:
    mrz = passport(surname="EL<IDRISSI", given_names="YOUSSEF", birth_date="880712", sex="M")
    with bel_listening(federation):
        inspector = federation.inspector(faces=WantedFace())
        result = inspect(inspector, mrz, live=b"a live photo")

    assert result.decision == "hit"
    hits = [f for f in result.findings if f.source == "federation" and f.severity == "hit"]
    assert {f.message.split(":")[0] for f in hits} == {
        "Belgium (BEL) holds a record on this person (name and birth date)",
        "Belgium (BEL) holds a record on this face",
    }
    asked = {a["kind"]: a for a in federation.bel.audit_records("exchange.query.answer")}
    assert set(asked) == {"document", "person", "face"}
    assert "template" not in asked["face"]
    assert len(asked["face"]["template_sha256"]) == 64
    assert asked["person"]["birth_date"] == "1988-07-12"


def test_a_clean_traveller_is_cleared_when_every_partner_answers_no_hit(
    federation: Federation,
) -> None:
    with bel_listening(federation):
        result = inspect(federation.inspector(), passport())

    assert result.decision == "clear"
    assert result.light("federation") == "green"
    assert partner_findings(result) == []


def test_a_partner_that_hangs_leaves_the_local_verdict_within_the_deadline(
    federation: Federation, tmp_path: Path
) -> None:
    load_file(
        federation.mar.node.database,
        federation.mar.node.audit,
        SltdRegistry(),
        write_lines(
            tmp_path / "mar-sltd.jsonl",
            {
                "issuing_state": "MAR",
                "document_number": "AB1234567",
                "document_code": "P",
                "status": "lost",
                "reported_on": "2026-09-01",
                "reported_by": "MAR",
            },
        ),
        actor=ADMIN,
        clock=utc_now,
    )
    with silent_listener() as port:
        register_partner(federation.mar, federation.bel, port, MAR_TERMS)
        inspector = federation.inspector(deadline=0.8)
        started = time.monotonic()
        clean = inspect(inspector, passport())
        elapsed = time.monotonic() - started
        stolen_here = inspect(inspector, passport(number="AB1234567"))

    assert elapsed < 0.8 + 1.5
    assert clean.decision == "clear"  # the local answer, neither referred nor held up
    assert clean.light("federation") == "grey"
    assert partner_findings(clean) == [("partner_timeout", "info")]
    (said,) = [f.message for f in clean.findings if f.source == "federation"]
    assert said.startswith("Belgium (BEL) did not answer in time (document, person queries")
    assert stolen_here.decision == "hit"  # a silent partner never clears a local hit
    assert stolen_here.light("sltd") == "red"


def test_a_partner_that_is_down_is_information_and_the_other_partner_still_counts(
    federation: Federation,
) -> None:
    with bel_listening(federation):
        register_partner(federation.mar, NodeIdentity.generate("ESP"), free_port(), MAR_TERMS)
        result = inspect(federation.inspector(), passport(number=STOLEN_AT_BEL))

    assert result.decision == "hit"
    assert ("partner_hit", "hit") in partner_findings(result)
    assert ("partner_unreachable", "info") in partner_findings(result)


def test_federation_asked_but_not_configured_says_so_and_keeps_the_local_answer(
    federation: Federation,
) -> None:
    inspector = Inspector(
        federation.mar.node, config=InspectorConfig(federation_missing="federation is off")
    )
    asked = inspect(inspector, passport(), federation=True)
    not_asked = inspect(inspector, passport(), federation=None)

    assert asked.decision == "clear"
    assert asked.light("federation") == "grey"
    assert partner_findings(asked) == [("not_configured", "info")]
    assert "federation" not in {s.source for s in not_asked.sources}


def test_a_federation_check_that_raises_is_information_never_a_referral(
    federation: Federation,
) -> None:
    class Broken:
        def ask(
            self,
            questions: list[PartnerQuestion],
            *,
            deadline: float,
            asked_for: AskedFor | None = None,
        ) -> list[PartnerAnswer]:
            raise RuntimeError("loop is gone")

    inspector = Inspector(
        federation.mar.node, federation=Broken(), config=InspectorConfig(federation_default=True)
    )
    result = inspect(inspector, passport(), federation=None)

    assert result.decision == "clear"
    assert partner_findings(result) == [("unavailable", "info")]
