"""The asking node's record of what it sent: one audit record per query per partner asked.

Every ``query.document``, ``query.person``, ``query.face`` and ``query.fingerprint`` an inspection
sends discloses the traveller's data to a partner. The asking node audits
each one (``exchange.query.ask``) with the same fields as the answering
node's record of the same message (``exchange.query.answer``, written by
``federation.queries.references``), so the two sides can be laid together by
``message_id``:

``actor``
    the officer who ran the inspection (``system:federation`` when no one did).
``purpose``
    the inspection's purpose, as sent in the query's body.
``query``
    ``peer`` (asked), ``kind``, ``message_id``, ``inspection`` (when asked from one),
    ``route: "hub"`` and ``hub`` (its state) when the query went through a hub,
    ``fields`` (the names of the fields sent) and their values as the answering node
    records them: the document's state and number; the names, birth date,
    nationality and sex; the face model, version, gallery and ``template_sha256``
    (SHA-256 of the template's float32 bytes, never the template); for fingerprints,
    ``fingers``: each finger's ``position`` and ``template_sha256`` (SHA-256 of its
    ISO/IEC 19794-2 record's bytes, never the record), and ``extractor`` and
    ``extractor_version``.
``result``
    ``result``: ``hit`` (with ``reference`` and ``score_band``), ``no_hit``, or why there
    is no answer (``timeout``, ``unreachable``, ``refused``, ``invalid``, and ``detail``);
    ``sent``: true once the request was written whole, false when nothing left (the
    connection or TLS handshake failed or hung), null when part of it may have left or
    the fan-out never reported.

The records of one fan-out are written in one transaction once its answers
are in (after the deadline at worst). A failure to write them is logged
(``federation.outbound_audit_failed``) and does not lose the answers: the
data has already left.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from passerelle.federation.protocol.envelope import JsonValue
from passerelle.node import Node
from passerelle.store.audit import Actor

__all__ = ["ASK_ACTION", "FEDERATION_ACTOR", "AskedFor", "SentQuery", "asked_fields", "record_sent"]

log = logging.getLogger("passerelle.federation")

ASK_ACTION = "exchange.query.ask"
FEDERATION_ACTOR = Actor(name="system:federation", kind="system", role="node")
"""Who asks when no officer does (a tool, a test)."""


@dataclass(frozen=True, slots=True)
class AskedFor:
    """On whose behalf and why partners are asked: the officer, the purpose, the inspection."""

    actor: Actor
    purpose: str
    inspection_id: str | None = None


@dataclass(frozen=True, slots=True)
class SentQuery:
    """One query to one partner (its body as sent) and what became of it."""

    peer: str
    kind: str
    body: Mapping[str, JsonValue]
    status: str
    message_id: str | None = None
    sent: bool | None = None
    reference: str | None = None
    score_band: str | None = None
    detail: str | None = None
    via: str | None = None
    """The hub the query went through (None: directly)."""


def _template_sha256(value: JsonValue) -> str | None:
    """SHA-256 of the template's bytes, as the answering node computes it."""
    if not isinstance(value, str):
        return None
    try:
        return hashlib.sha256(base64.b64decode(value, validate=True)).hexdigest()
    except (binascii.Error, ValueError):
        return hashlib.sha256(value.encode("utf-8")).hexdigest()


def _fingers(value: JsonValue) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Each finger sent as its position and template's SHA-256; the extractor it names."""
    fingers: list[dict[str, Any]] = []
    tags: dict[str, Any] = {}
    for finger in value if isinstance(value, list) else []:
        if not isinstance(finger, dict):
            continue
        fingers.append(
            {
                "position": finger.get("position"),
                "template_sha256": _template_sha256(finger.get("template")),
            }
        )
        for tag in ("extractor", "extractor_version"):
            tags.setdefault(tag, finger.get(tag))
    return fingers, tags


def asked_fields(body: Mapping[str, JsonValue]) -> dict[str, Any]:
    """What a query's body discloses, as the audit keeps it: the field names sent and their
    values, a template by its SHA-256, fingers by position and SHA-256 (``purpose`` is the
    record's own column).

    >>> asked_fields({"model": "m", "template": "AACAPw==", "purpose": "p"})["fields"]
    ['model', 'template']
    >>> asked_fields({"fingers": [{"position": 2, "template": "AA=="}]})["fingers"][0]["position"]
    2
    """
    fields = [name for name in body if name != "purpose"]
    asked: dict[str, Any] = {"fields": fields}
    for name in fields:
        if name == "template":
            asked["template_sha256"] = _template_sha256(body[name])
        elif name == "fingers":
            asked["fingers"], tags = _fingers(body[name])
            asked |= tags
        else:
            asked[name] = body[name]
    return asked


def _result(query: SentQuery) -> dict[str, Any]:
    result: dict[str, Any] = {"result": query.status, "sent": query.sent}
    if query.status == "hit":
        result |= {"reference": query.reference, "score_band": query.score_band}
    elif query.status != "no_hit":
        result["detail"] = query.detail
    return result


def _purpose(query: SentQuery, asked_for: AskedFor | None) -> str | None:
    if asked_for is not None and asked_for.purpose.strip():
        return asked_for.purpose.strip()
    sent = query.body.get("purpose")
    return sent if isinstance(sent, str) else None


def record_sent(
    node: Node, queries: Sequence[SentQuery], *, asked_for: AskedFor | None, at: datetime
) -> bool:
    """Audit each partner's query in one transaction; False when that failed (logged), so
    the caller still returns the answers."""
    if not queries:
        return True
    actor = asked_for.actor if asked_for is not None else FEDERATION_ACTOR
    inspection = {"inspection": asked_for.inspection_id} if asked_for is not None else {}
    try:
        with node.database.write() as session:
            for query in queries:
                node.audit.record(
                    session,
                    actor=actor,
                    action=ASK_ACTION,
                    purpose=_purpose(query, asked_for),
                    at=at,
                    query={
                        "peer": query.peer,
                        "kind": query.kind,
                        "message_id": query.message_id,
                        **inspection,
                        **({"route": "hub", "hub": query.via} if query.via else {}),
                        **asked_fields(query.body),
                    },
                    result=_result(query),
                )
    except Exception as exc:  # the data has left: losing the answers would help no one
        log.error(
            "federation.outbound_audit_failed",
            extra={"partners": len(queries), "error": type(exc).__name__},
        )
        return False
    return True
