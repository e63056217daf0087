"""The asking node's audit of what an inspection sent: real nodes, mutual TLS, one deadline.

MAR inspects and asks its partners; BEL holds a stolen MAR passport and a
wanted person with a face (``test_federated_inspection.load_bel``). Each query
sent to each partner leaves one ``exchange.query.ask`` record at MAR naming
the officer, the purpose, the partner, the fields sent (a template by its
SHA-256) and the answer, whether the partner answered, hung or was down.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from passerelle.federation import NodeIdentity
from passerelle.federation.queries.outbound_audit import ASK_ACTION
from passerelle.server.ports import free_port
from passerelle.store.tables import AuditPayload, AuditRecord
from tests.federation.nodes import (
    FederatedNode,
    listening,
    make_node,
    register_partner,
    serve_partner,
    silent_listener,
)
from tests.federation.test_federated_inspection import (
    BEL_TERMS,
    MAR_TERMS,
    STOLEN_AT_BEL,
    Federation,
    WantedFace,
    bel_listening,
    federation,
    inspect,
)
from tests.screening.conftest import OFFICER, passport

PURPOSE = "border control: entry check"
__all__ = ["federation"]  # the fixture, shared with test_federated_inspection


def sent_records(node: FederatedNode, action: str = ASK_ACTION) -> list[dict[str, Any]]:
    """Each ``action`` record at ``node``: actor, purpose, query and result."""
    with node.node.database.read() as session:
        rows = (
            session.query(AuditRecord, AuditPayload)
            .join(AuditPayload, AuditPayload.seq == AuditRecord.seq)
            .filter(AuditRecord.action == action)
            .order_by(AuditRecord.seq)
        )
        return [
            {
                "actor": record.actor,
                "purpose": record.purpose,
                "query": payload.query,
                "result": payload.result,
            }
            for record, payload in rows
        ]


def chain_intact(node: FederatedNode) -> bool:
    with node.node.database.read() as session:
        return node.node.audit.verify(session).intact


@contextmanager
def esp_listening(federation: Federation, folder: Path) -> Iterator[FederatedNode]:
    """A second live partner, ESP, which holds nothing: it answers ``no_hit``."""
    esp = make_node(folder, federation.ca, "ESP")
    register_partner(esp, federation.mar, 1, BEL_TERMS)
    try:
        with listening(serve_partner(esp, federation.bel_services), esp.tls) as port:
            register_partner(federation.mar, esp, port, MAR_TERMS)
            yield esp
    finally:
        esp.close()


def test_each_query_to_each_partner_is_audited_at_the_asking_node(
    federation: Federation, tmp_path: Path
) -> None:
    with esp_listening(federation, tmp_path / "esp") as esp, bel_listening(federation):
        result = inspect(federation.inspector(), passport(number=STOLEN_AT_BEL))
        esp_answered = {r["message_id"]: r for r in esp.audit_records("exchange.query.answer")}

    sent = sent_records(federation.mar)
    by_partner = {(r["query"]["peer"], r["query"]["kind"]): r for r in sent}
    assert set(by_partner) == {
        ("BEL", "document"),
        ("BEL", "person"),
        ("ESP", "document"),
        ("ESP", "person"),
    }
    assert len(sent) == 4  # one record per query per partner
    for record in sent:
        assert record["actor"] == OFFICER.name
        assert record["purpose"] == PURPOSE
        assert record["query"]["inspection"] == result.inspection_id
        assert record["result"]["sent"] is True
    document = by_partner[("BEL", "document")]
    assert document["query"]["fields"] == ["issuing_state", "document_number"]
    assert document["query"]["document_number"] == STOLEN_AT_BEL
    assert document["result"]["result"] == "hit"
    assert f"BEL:{document['result']['reference']}" in {f.reference for f in result.findings}
    person = by_partner[("BEL", "person")]["query"]
    assert set(person["fields"]) == {"names", "birth_date", "nationality", "sex"}
    assert person["names"] == ["LAMRANI<<SALMA", "SALMA LAMRANI"]
    sent_values = (person["birth_date"], person["nationality"], person["sex"])
    assert sent_values == ("1990-04-21", "MAR", "F")
    assert by_partner[("ESP", "document")]["result"]["result"] == "no_hit"
    # the partner's record of the same message: the two sides lay together by message id
    esp_document = by_partner[("ESP", "document")]["query"]
    answered = esp_answered[esp_document["message_id"]]
    assert answered["document_number"] == esp_document["document_number"]
    assert chain_intact(federation.mar)


def test_a_hung_and_a_down_partner_leave_a_record_saying_what_became_of_the_query(
    federation: Federation,
) -> None:
    with silent_listener() as port:
        register_partner(federation.mar, federation.bel, port, MAR_TERMS)
        register_partner(federation.mar, NodeIdentity.generate("ESP"), free_port(), MAR_TERMS)
        started = time.monotonic()
        inspect(federation.inspector(deadline=0.8), passport())
        elapsed = time.monotonic() - started

    assert elapsed < 0.8 + 1.5
    outcome = {
        (r["query"]["peer"], r["query"]["kind"]): r["result"] for r in sent_records(federation.mar)
    }
    assert set(outcome) == {("BEL", "document"), ("BEL", "person")} | {
        ("ESP", "document"),
        ("ESP", "person"),
    }
    for kind in ("document", "person"):
        hung, down = outcome[("BEL", kind)], outcome[("ESP", kind)]
        assert (hung["result"], hung["sent"]) == ("timeout", False)  # TLS never completed
        assert "no answer within" in hung["detail"]
        assert (down["result"], down["sent"]) == ("unreachable", False)
        assert down["detail"]
    assert chain_intact(federation.mar)


def test_a_face_template_sent_is_audited_by_its_digest_as_the_partner_audits_it(
    federation: Federation,
) -> None:
    mrz = passport(surname="EL<IDRISSI", given_names="YOUSSEF", birth_date="880712", sex="M")
    with bel_listening(federation):
        inspect(federation.inspector(faces=WantedFace()), mrz, live=b"a live photo")

    (face,) = [r for r in sent_records(federation.mar) if r["query"]["kind"] == "face"]
    assert "template" not in face["query"]
    assert "template" in face["query"]["fields"]
    (answered,) = [
        a for a in federation.bel.audit_records("exchange.query.answer") if a["kind"] == "face"
    ]
    assert answered["message_id"] == face["query"]["message_id"]
    assert face["query"]["template_sha256"] == answered["template_sha256"]
    assert face["result"]["result"] == "hit"
    assert face["actor"] == OFFICER.name
    assert chain_intact(federation.mar)
