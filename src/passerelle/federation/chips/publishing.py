"""Publishing the CSCAs a node trusts to its partners, and keeping what partners publish.

::

    chip.cscas    {"idempotency_key": "chip-cscas:<version>:<digest>",
                   "version": <the sender's trust store version>,
                   "cscas": ["<DER, base64>", ...]}

Queued in the outbox for every enabled partner (:func:`queue_trusted_cscas`: delivered
with retries, once in effect). The partner keeps the list as the sender's offer,
replacing its previous one (:func:`apply_published_cscas`), once every certificate reads
as a self-signed CA certificate; anything else is refused (``invalid``) and nothing is
kept. Nothing offered is trusted until an administrator adopts it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from passerelle.documents.chip import ChipDataError, load_certificate
from passerelle.documents.chip.trust import certificate_country_of
from passerelle.exc import InvalidInput
from passerelle.federation.peers.directory import PeerView
from passerelle.federation.transport.inbound import Handler, InboundMessage, peer_actor
from passerelle.federation.transport.outbox import MAX_KEY, enqueue
from passerelle.store.audit import AuditTrail
from passerelle.store.chip_values import fingerprint, require_csca
from passerelle.store.tables import ChipPartnerCsca, ExchangeInbox

__all__ = [
    "CSCAS_KIND",
    "MAX_CSCAS",
    "apply_published_cscas",
    "chip_handlers",
    "queue_trusted_cscas",
]

CSCAS_KIND = "chip.cscas"
MAX_CSCAS = 2000
"""The most CSCAs one publication carries (ICAO's master list holds a few hundred)."""
_MAX_CERTIFICATE = 16 * 1024


def queue_trusted_cscas(
    session: Session,
    cscas: Iterable[bytes],
    *,
    version: int,
    partners: Iterable[str],
    now: datetime,
) -> int:
    """Queue the CSCAs (DER) of trust store ``version`` for each partner; how many queued."""
    ders = sorted(cscas)
    digest = hashlib.sha256(b"".join(ders)).hexdigest()[:24]
    body = {"version": version, "cscas": [base64.b64encode(der).decode("ascii") for der in ders]}
    key = f"chip-cscas:{version}:{digest}"
    return sum(
        enqueue(session, peer=state, kind=CSCAS_KIND, body=body, idempotency_key=key, now=now)
        for state in partners
    )


def _certificates(body: Mapping[str, Any]) -> list[tuple[str, bytes]]:
    listed = body.get("cscas")
    if not isinstance(listed, list) or len(listed) > MAX_CSCAS:
        raise InvalidInput("cscas", f"must be a list of at most {MAX_CSCAS} base64 certificates")
    out: list[tuple[str, bytes]] = []
    for i, text in enumerate(listed):
        field = f"cscas[{i}]"
        if not isinstance(text, str) or len(text) > _MAX_CERTIFICATE:
            raise InvalidInput(field, "must be a base64 certificate of at most 16 KiB")
        try:
            der = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise InvalidInput(field, "is not base64") from exc
        try:
            require_csca(load_certificate(der, field), field)
        except ChipDataError as exc:
            raise InvalidInput(field, exc.reason) from exc
        out.append((fingerprint(der), der))
    return out


def apply_published_cscas(
    session: Session, audit: AuditTrail, *, sender: PeerView, body: Mapping[str, Any], now: datetime
) -> dict[str, Any]:
    """Keep ``sender``'s published CSCAs as its offer (replacing the last); the answer."""
    version = body.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 0:
        raise InvalidInput("version", "must be the sender's trust store version (an integer)")
    key = body.get("idempotency_key")
    if not isinstance(key, str) or not 1 <= len(key) <= MAX_KEY:
        raise InvalidInput("idempotency_key", f"is required: 1 to {MAX_KEY} characters")
    certificates = _certificates(body)
    try:
        with session.begin_nested():
            session.add(
                ExchangeInbox(sender=sender.state, idempotency_key=key, kind=CSCAS_KIND,
                              received_at=now)
            )  # fmt: skip
            session.execute(delete(ChipPartnerCsca).where(ChipPartnerCsca.state == sender.state))
            for print_, der in dict(certificates).items():
                cert = load_certificate(der, "csca")
                session.add(
                    ChipPartnerCsca(
                        state=sender.state,
                        fingerprint=print_,
                        country=certificate_country_of(cert.subject) or "",
                        subject=cert.subject.rfc4514_string(),
                        der=der,
                        version=version,
                        received_at=now,
                    )
                )
    except IntegrityError:
        return {"kept": False, "duplicate": True, "version": version}
    audit.record(
        session,
        actor=peer_actor(sender.state),
        action="exchange.chip.cscas_receive",
        at=now,
        query={"version": version},
        result={"offered": len(dict(certificates))},
    )
    return {"kept": True, "duplicate": False, "offered": len(dict(certificates))}


def receive_cscas(message: InboundMessage) -> dict[str, Any]:
    """The listener's handler for ``chip.cscas``."""
    node = message.node
    with node.database.write() as session:
        return apply_published_cscas(
            session, node.audit, sender=message.peer, body=message.envelope.body,
            now=message.received_at,
        )  # fmt: skip


def chip_handlers() -> dict[str, Handler]:
    """The listener's handler of partners' published CSCAs, by kind."""
    return {CSCAS_KIND: receive_cscas}
