"""Partners' hit/no-hit queries answered by a loaded node: what matches, leaves, stays home.

The node (``tests.screening.conftest``) holds a stolen passport MAR AB1234567,
watchlist persons محمد بن علي (1985-03-02, wanted) and Mohamed Alaoui (1970,
travel ban), and a travel-ban alert on Karim Haddad (1980-06-15).
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sqlalchemy import select

from passerelle.biometrics.enrolment import FaceGalleries
from passerelle.biometrics.face import FACE_MODEL, FACE_MODEL_VERSION
from passerelle.exc import InvalidInput
from passerelle.federation import JsonValue, new_envelope
from passerelle.federation.peers.directory import Agreement, PeerView
from passerelle.federation.queries.bodies import FaceModelMismatch
from passerelle.federation.queries.handlers import (
    PartnerServices,
    answer_document,
    answer_face,
    answer_person,
)
from passerelle.federation.queries.references import (
    ReferenceExpired,
    UnknownReference,
    resolve,
)
from passerelle.federation.sharing.legal_basis import refused_shares
from passerelle.federation.transport.inbound import InboundMessage, NotAllowed
from passerelle.lists.alert_names import AlertNames
from passerelle.lists.watchlist import StoreWatchlist
from passerelle.node import Node
from passerelle.records.watchlist import read_entry
from passerelle.store.alerts import (
    AlertDraft,
    AlertRegistry,
    DocumentSubject,
    PersonSubject,
)
from passerelle.store.tables import AuditPayload, AuditRecord, ExchangeReference
from passerelle.store.watchlist import WatchlistRegistry
from passerelle.wiring import federation_handlers
from tests.biometrics.test_enrolment import VAULT, capture
from tests.conftest import Clock
from tests.screening import conftest as screening
from tests.screening.conftest import ADMIN, receive_partner_alert

loaded_node = screening.node
"""The screening tests' loaded node, as a fixture here."""

MESSAGE = "6f1c2a4e-8a4b-4c1e-9d1e-0b7a5f3c2d10"
REFERENCE = re.compile(r"UTO-[A-Z2-7]{26}")


@dataclass(frozen=True)
class Terms:
    inbound_kinds: tuple[str, ...] = ("document", "person", "face")
    alert_categories: tuple[str, ...] = ("wanted", "travel_ban", "stolen_document")


@dataclass(frozen=True)
class Peer:
    state: str = "BEL"
    agreement: Terms = Terms()


BEL = Peer()


@pytest.fixture
def node(loaded_node: Node) -> Node:
    return loaded_node


@pytest.fixture
def screener(node: Node) -> StoreWatchlist:
    return StoreWatchlist(node, max_age_s=None)


@pytest.fixture
def galleries(node: Node, tmp_path: Path, clock: Clock) -> FaceGalleries:
    faces = FaceGalleries(node.database, VAULT, tmp_path / "galleries")
    for identity, seed in (("MAR-W-0001", 1), ("MAR-A-0042", 2), ("BEL-REF-9", 3)):
        faces.enrol("wanted", identity, capture(seed), source_sha256="0" * 64, at=clock(), by="t")
    return faces


def issue(node: Node, clock: Clock, **values: Any) -> str:
    with node.database.write() as session:
        alert = AlertRegistry(node.audit).issue(
            session,
            AlertDraft(issuing_authority="DGSN Rabat", action="Refer.", **values),
            actor=ADMIN,
            now=clock(),
        )
    return alert.id


def audited(node: Node, action: str) -> list[tuple[AuditRecord, AuditPayload]]:
    with node.database.read() as session:
        rows = session.execute(
            select(AuditRecord, AuditPayload)
            .join(AuditPayload, AuditPayload.seq == AuditRecord.seq)
            .where(AuditRecord.action == action)
            .order_by(AuditRecord.seq)
        )
        return [(record, payload) for record, payload in rows]


def refused_codes(node: Node) -> list[str]:
    return [payload.result["code"] for _, payload in audited(node, "exchange.share_refused")]


def stored_reference(node: Node, reference: str) -> ExchangeReference:
    with node.database.read() as session:
        row = session.get(ExchangeReference, reference)
        assert row is not None
        session.expunge(row)
        return row


def person(
    node: Node, screener: StoreWatchlist, clock: Clock, body: dict[str, Any], peer: Peer = BEL
) -> dict[str, Any]:
    return answer_person(node, peer, MESSAGE, body, now=clock(), screener=screener).as_json()


def template_body(vector: np.ndarray[Any, Any], **changes: Any) -> dict[str, Any]:
    raw = np.asarray(vector, dtype="<f4").tobytes()
    body = {
        "model": FACE_MODEL,
        "model_version": FACE_MODEL_VERSION,
        "template": base64.b64encode(raw).decode("ascii"),
    }
    return body | changes


# -- document --------------------------------------------------------------------------------


def test_a_stolen_passport_is_a_high_hit_with_an_opaque_reference_and_nothing_else(
    node: Node, clock: Clock
) -> None:
    body = {"issuing_state": "MAR", "document_number": "AB1234567", "purpose": "entry check"}
    answer = answer_document(node, BEL, MESSAGE, body, now=clock()).as_json()
    assert set(answer) == {"result", "reference", "score_band"}
    assert answer["result"] == "hit"
    assert answer["score_band"] == "high"
    assert REFERENCE.fullmatch(str(answer["reference"]))
    row = stored_reference(node, str(answer["reference"]))
    assert (row.peer, row.kind, row.record_type, row.record_id) == (
        "BEL",
        "document",
        "sltd",
        "MAR:AB1234567",
    )
    assert row.expires_at - row.created_at == timedelta(days=30)
    ((record, payload),) = audited(node, "exchange.query.answer")
    assert (record.actor, record.actor_kind, record.purpose) == ("peer:BEL", "peer", "entry check")
    assert payload.result["result"] == "hit"
    assert payload.result["reference"] == answer["reference"]


def test_a_document_alert_in_force_is_a_hit(node: Node, clock: Clock) -> None:
    alert_id = issue(
        node, clock, category="stolen_document", subject=DocumentSubject("MAR", "UM4731285")
    )
    body = {"issuing_state": "MAR", "document_number": "UM4731285"}
    answer = answer_document(node, BEL, MESSAGE, body, now=clock()).as_json()
    assert answer["result"] == "hit"
    assert answer["score_band"] == "high"
    assert stored_reference(node, str(answer["reference"])).record_id == alert_id


def test_an_unknown_document_is_no_hit_and_still_audited(node: Node, clock: Clock) -> None:
    body = {"issuing_state": "MAR", "document_number": "ZZ0000000"}
    assert answer_document(node, BEL, MESSAGE, body, now=clock()).as_json() == {"result": "no_hit"}
    ((_, payload),) = audited(node, "exchange.query.answer")
    assert payload.result == {"result": "no_hit", "refused": 0}
    assert payload.query["document_number"] == "ZZ0000000"


# -- person ----------------------------------------------------------------------------------


def test_a_latin_spelling_finds_the_arabic_listed_person_with_the_birth_date(
    node: Node, screener: StoreWatchlist, clock: Clock
) -> None:
    answer = person(
        node, screener, clock, {"names": ["Mohamed Ben Ali"], "birth_date": "1985-03-02"}
    )
    assert answer["result"] == "hit"
    assert answer["score_band"] in ("high", "medium")
    assert set(answer) == {"result", "reference", "score_band"}
    assert stored_reference(node, str(answer["reference"])).record_id == "MAR-W-0001"


def test_a_namesake_born_another_year_is_no_hit(
    node: Node, screener: StoreWatchlist, clock: Clock
) -> None:
    body = {"names": ["Mohamed Ben Ali", "محمد بن علي"], "birth_date": "1992-07-11"}
    assert person(node, screener, clock, body) == {"result": "no_hit"}


def test_a_person_alert_in_force_is_found_by_its_arabic_spelling(
    node: Node, screener: StoreWatchlist, clock: Clock
) -> None:
    answer = person(node, screener, clock, {"names": ["كريم حداد"], "birth_date": "1980-06-15"})
    assert answer["result"] == "hit"
    assert stored_reference(node, str(answer["reference"])).record_id == "MAR-A-0042"


def test_with_the_kept_alert_index_own_alerts_answer_and_partners_alerts_never_do(
    node: Node, screener: StoreWatchlist, clock: Clock
) -> None:
    names = AlertNames()
    ask = {"names": ["Youssef Tazi"], "birth_date": "1975-05-05"}

    def answered() -> dict[str, Any]:
        return answer_person(
            node, BEL, MESSAGE, ask, now=clock(), screener=screener, alert_names=names
        ).as_json()

    receive_partner_alert(node, clock, PersonSubject(("يوسف التازي",), "1975-05-05"))
    assert answered() == {"result": "no_hit"}  # TUN's alert is TUN's to answer for

    alert_id = issue(
        node, clock, category="wanted", subject=PersonSubject(("يوسف التازي",), "1975-05-05")
    )
    answer = answered()
    assert answer["result"] == "hit"
    assert stored_reference(node, str(answer["reference"])).record_id == alert_id


@pytest.mark.parametrize(
    ("values", "code"),
    [
        ({"shareable": False}, "not_shareable"),
        ({"restricted_matter": "political"}, "restricted_matter"),
        ({"restricted_matter": "religious", "shareable": True}, "restricted_matter"),
    ],
)
def test_an_alert_kept_home_answers_no_hit_and_tells_only_the_local_analyst(
    node: Node, screener: StoreWatchlist, clock: Clock, values: dict[str, Any], code: str
) -> None:
    subject = PersonSubject(("Youssef Tazi",), "1975-05-05")
    alert_id = issue(node, clock, category="wanted", subject=subject, **values)
    answer = person(node, screener, clock, {"names": ["Youssef Tazi"], "birth_date": "1975-05-05"})
    assert answer == {"result": "no_hit"}
    ((record, payload),) = audited(node, "exchange.share_refused")
    assert record.actor == "peer:BEL"
    assert payload.query["record_id"] == alert_id
    assert payload.result["code"] == code
    assert alert_id in payload.result["reason"]
    with node.database.read() as session:
        (shown,) = refused_shares(session)
    assert (shown.peer, shown.record_id, shown.code) == ("BEL", alert_id, code)


@pytest.mark.parametrize(
    ("values", "code"),
    [
        ({"shareable": False}, "not_shareable"),
        ({"restricted_matter": "racial"}, "restricted_matter"),
    ],
)
def test_a_watchlist_person_kept_home_answers_no_hit_and_tells_only_the_local_analyst(
    node: Node, screener: StoreWatchlist, clock: Clock, values: dict[str, Any], code: str
) -> None:
    line = {
        "id": "MAR-W-0900",
        "names": ["Youssef Tazi", "يوسف التازي"],
        "birth_date": "1975-05-05",
        "category": "wanted",
        "issued_by": "MAR",
    }
    with node.database.write() as session:
        WatchlistRegistry().add(session, read_entry(line | values), clock())
    screener.refresh()
    answer = person(node, screener, clock, {"names": ["Youssef Tazi"], "birth_date": "1975-05-05"})
    assert answer == {"result": "no_hit"}
    ((record, payload),) = audited(node, "exchange.share_refused")
    assert record.actor == "peer:BEL"
    assert (payload.query["record_type"], payload.query["record_id"]) == ("watchlist", "MAR-W-0900")
    assert payload.result["code"] == code
    with node.database.write() as session:  # the same person, shareable again: a hit
        WatchlistRegistry().update(session, read_entry(line), clock())
    screener.refresh()
    answer = person(node, screener, clock, {"names": ["Youssef Tazi"], "birth_date": "1975-05-05"})
    assert answer["result"] == "hit"


def test_a_category_outside_the_agreement_is_no_hit(
    node: Node, screener: StoreWatchlist, clock: Clock
) -> None:
    documents_only = Peer(agreement=Terms(alert_categories=("stolen_document",)))
    body = {"names": ["Mohamed Ben Ali"], "birth_date": "1985-03-02"}
    assert person(node, screener, clock, body, documents_only) == {"result": "no_hit"}
    assert refused_codes(node) == ["category_not_agreed"]


def test_a_kind_outside_the_agreement_is_refused(node: Node, clock: Clock) -> None:
    faces_only = Peer(agreement=Terms(inbound_kinds=("face",)))
    body = {"issuing_state": "MAR", "document_number": "AB1234567"}
    with pytest.raises(NotAllowed):
        answer_document(node, faces_only, MESSAGE, body, now=clock())


# -- face ------------------------------------------------------------------------------------


def test_a_listed_face_is_a_hit_and_another_face_no_hit(
    node: Node, galleries: FaceGalleries, clock: Clock
) -> None:
    probe = template_body(capture(1, noise=0.05).template.vector)
    answer = answer_face(node, BEL, MESSAGE, probe, now=clock(), galleries=galleries).as_json()
    assert answer["result"] == "hit"
    assert answer["score_band"] in ("high", "medium", "low")
    assert stored_reference(node, str(answer["reference"])).record_id == "MAR-W-0001"
    stranger = template_body(capture(77).template.vector)
    assert answer_face(
        node, BEL, MESSAGE, stranger, now=clock(), galleries=galleries
    ).as_json() == {"result": "no_hit"}


def test_a_face_filed_under_a_foreign_id_never_leaves(
    node: Node, galleries: FaceGalleries, clock: Clock
) -> None:
    probe = template_body(capture(3).template.vector)
    answer = answer_face(node, BEL, MESSAGE, probe, now=clock(), galleries=galleries)
    assert answer.as_json() == {"result": "no_hit"}
    assert refused_codes(node) == ["not_own_record"]


def test_a_template_of_another_model_version_is_refused(
    node: Node, galleries: FaceGalleries, clock: Clock
) -> None:
    probe = template_body(capture(1).template.vector, model_version="dlib19.0.0")
    with pytest.raises(FaceModelMismatch) as refused:
        answer_face(node, BEL, MESSAGE, probe, now=clock(), galleries=galleries)
    assert (refused.value.code, refused.value.field) == ("model_mismatch", "model_version")


# -- references ------------------------------------------------------------------------------


def test_references_are_unguessable_and_resolve_only_for_their_peer_until_expiry(
    node: Node, clock: Clock
) -> None:
    body = {"issuing_state": "MAR", "document_number": "AB1234567"}
    first = answer_document(node, BEL, MESSAGE, body, now=clock()).reference
    second = answer_document(node, BEL, MESSAGE, body, now=clock()).reference
    assert first
    assert second
    assert first != second
    with node.database.read() as session:
        assert resolve(session, first, "BEL", now=clock()).record_id == "MAR:AB1234567"
        with pytest.raises(UnknownReference):
            resolve(session, first, "FRA", now=clock())
        with pytest.raises(UnknownReference):
            resolve(session, first[:-1] + ("A" if first[-1] != "A" else "B"), "BEL", now=clock())
        with pytest.raises(ReferenceExpired):
            resolve(session, first, "BEL", now=clock() + timedelta(days=30))


# -- bodies ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "body", "field"),
    [
        ("document", {"issuing_state": "MAR"}, "document_number"),
        ("document", {"issuing_state": "XXQ", "document_number": "A1"}, "issuing_state"),
        ("document", {"issuing_state": "MAR", "document_number": "A-1"}, "document_number"),
        ("document", {"issuing_state": "MAR", "document_number": "A1", "x": 1}, "x"),
        ("person", {"birth_date": "1985"}, "names"),
        ("person", {"names": "Ali", "birth_date": "1985"}, "names"),
        ("person", {"names": ["Ali"]}, "birth_date"),
        ("person", {"names": ["Ali"], "birth_date": "1985-02-30"}, "birth_date"),
        ("person", {"names": ["Ali"], "birth_date": "1985-02"}, "birth_date"),
        ("person", {"names": ["Ali"], "birth_date": "1985", "sex": "Q"}, "sex"),
        ("person", {"names": ["Ali"], "birth_date": "1985", "nationality": "Q"}, "nationality"),
        ("face", {"model_version": FACE_MODEL_VERSION, "template": "AAAA"}, "model"),
        ("face", template_body(np.ones(128) * 0.5), "template"),
        ("face", template_body(np.ones(128) / np.sqrt(128), template="!!"), "template"),
        ("face", template_body(np.ones(128) / np.sqrt(128), gallery="vip"), "gallery"),
        ("face", template_body(np.ones(64) / 8.0), "template"),
    ],
)
def test_a_bad_body_is_refused_naming_the_field(
    node: Node,
    screener: StoreWatchlist,
    galleries: FaceGalleries,
    clock: Clock,
    kind: str,
    body: dict[str, Any],
    field: str,
) -> None:
    answer = {
        "document": lambda: answer_document(node, BEL, MESSAGE, body, now=clock()),
        "person": lambda: answer_person(node, BEL, MESSAGE, body, now=clock(), screener=screener),
        "face": lambda: answer_face(node, BEL, MESSAGE, body, now=clock(), galleries=galleries),
    }[kind]
    with pytest.raises(InvalidInput) as refused:
        answer()
    assert refused.value.field == field
    assert audited(node, "exchange.query.answer") == []


# -- the transport's handler -----------------------------------------------------------------


def test_the_wired_handler_answers_a_verified_message_with_the_nodes_engines(
    node: Node, screener: StoreWatchlist, galleries: FaceGalleries, clock: Clock
) -> None:
    handlers = federation_handlers(PartnerServices(screener, galleries))
    now = clock()
    peer = PeerView(
        state="BEL",
        name="Belgium",
        url="https://bel.example",
        keys=(),
        agreement=Agreement.of(inbound_kinds=["person"], alert_categories=["wanted"]),
        enabled=True,
        added_at=now,
        added_by="admin",
        updated_at=now,
    )
    body: dict[str, JsonValue] = {
        "names": ["BENALI<<MOHAMED"],
        "birth_date": "1985-03-02",
        "purpose": "visa",
    }
    envelope = new_envelope("BEL", "UTO", "query.person", body, at=now)
    message = InboundMessage(node=node, peer=peer, envelope=envelope, received_at=now)
    answer = handlers["query.person"](message)
    assert answer["result"] == "hit"
    assert set(answer) == {"result", "reference", "score_band", "pad"}  # pad: filler only
    assert set(str(answer["pad"])) <= {"."}
    ((_, payload),) = audited(node, "exchange.query.answer")
    assert payload.query["message_id"] == envelope.message_id
