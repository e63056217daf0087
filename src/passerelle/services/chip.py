"""ePassport chips: passive authentication on demand, and the trust store's management.

``ChipDesk.verify`` checks a chip against the trust store in force (officers: ``inspect``)
and records ``chip.verify`` (whether it verified and the finding codes; no personal
data). The trust store's changes (``manage_node``: an administrator) are audited by the
store in their own transaction (``store.chip_trust``); listing it needs ``manage_node``
or ``view_audit``. ``publish`` queues the CSCAs in force for the partners
(``federation.chips``); what partners publish is offered, and trusted only once an
administrator adopts it (``adopt_partner``: one audited version).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from passerelle.access import Permission
from passerelle.documents.chip import ChipData, ChipVerification, verify_chip
from passerelle.documents.chip.countries import certificate_country
from passerelle.federation.chips import queue_trusted_cscas
from passerelle.federation.peers.directory import PeerDirectory
from passerelle.node import Node
from passerelle.services.common import permitted
from passerelle.store.audit import Actor
from passerelle.store.chip_trust import ChipTrustStore, CscaView, TrustChange

__all__ = ["ChipDesk"]


class ChipDesk:
    """Chip checks and the CSCAs and CRLs they trust."""

    def __init__(self, node: Node, trust: ChipTrustStore | None = None) -> None:
        self.node = node
        self.trust = trust or ChipTrustStore(node.database, node.audit, node.clock)

    def verify(
        self,
        actor: Actor,
        chip: ChipData,
        *,
        printed_mrz: tuple[str, ...] | None,
        as_of: date,
    ) -> ChipVerification:
        """Passive authentication against the trust in force (the issuing state read from
        the printed MRZ's first line when given, else from DG1)."""
        permitted(actor, Permission.INSPECT)
        state = None
        if printed_mrz:
            state = printed_mrz[0][2:5].rstrip("<") or None
            if state is not None and certificate_country(state) is None:
                state = None  # an unknown code: the country check compares nothing
        result = verify_chip(
            chip,
            printed_mrz=printed_mrz,
            issuing_state=state,
            trust=self.trust.anchors(),
            as_of=as_of,
        )
        with self.node.database.write() as session:
            self.node.audit.record(
                session,
                actor=actor,
                action="chip.verify",
                at=self.node.clock(),
                query={"data_groups": sorted(chip.data_groups), "as_of": as_of.isoformat()},
                result={
                    "verified": result.verified,
                    "codes": [f.code.value for f in result.findings],
                    "country": result.country,
                },
            )
        return result

    # -- the trust store -------------------------------------------------------------------

    def import_master_list(
        self, actor: Actor, raw: bytes, *, source: str, anchors: Iterable[bytes] = ()
    ) -> TrustChange:
        permitted(actor, Permission.MANAGE_NODE)
        return self.trust.import_master_list(raw, actor=actor, source=source, anchors=anchors)

    def import_csca(self, actor: Actor, raw: bytes, *, source: str) -> TrustChange:
        permitted(actor, Permission.MANAGE_NODE)
        return self.trust.import_csca(raw, actor=actor, source=source)

    def import_crl(self, actor: Actor, raw: bytes, *, source: str) -> TrustChange:
        permitted(actor, Permission.MANAGE_NODE)
        return self.trust.import_crl(raw, actor=actor, source=source)

    def remove_csca(self, actor: Actor, fingerprint: str, *, reason: str) -> TrustChange:
        permitted(actor, Permission.MANAGE_NODE)
        return self.trust.remove_csca(fingerprint, actor=actor, reason=reason)

    def cscas(self, actor: Actor, *, country: str | None = None) -> list[CscaView]:
        permitted(actor, Permission.MANAGE_NODE, Permission.VIEW_AUDIT)
        return self.trust.cscas(country=country)

    def history(self, actor: Actor) -> list[dict[str, object]]:
        permitted(actor, Permission.MANAGE_NODE, Permission.VIEW_AUDIT)
        return self.trust.history()

    # -- with the partners (``federation.chips``) ------------------------------------------

    def publish(self, actor: Actor) -> tuple[int, list[str]]:
        """Queue the CSCAs in force for every enabled partner (``chip.cscas``, the outbox
        delivers them); the version published and the partners it was queued for. Audited."""
        permitted(actor, Permission.MANAGE_NODE)
        version, ders = self.trust.trusted_ders()
        node = self.node
        partners = [
            p.state
            for p in PeerDirectory(node.database, node.audit, clock=node.clock).list(
                enabled_only=True
            )
        ]
        with node.database.write() as session:
            now = node.clock()
            queued = queue_trusted_cscas(session, ders, version=version, partners=partners, now=now)
            node.audit.record(
                session,
                actor=actor,
                action="chip_trust.publish",
                at=now,
                query={"version": version, "cscas": len(ders)},
                result={"partners": partners, "queued": queued},
            )
        return version, partners

    def offered(self, actor: Actor, *, state: str | None = None) -> list[CscaView]:
        permitted(actor, Permission.MANAGE_NODE, Permission.VIEW_AUDIT)
        return self.trust.offered(state)

    def adopt_partner(self, actor: Actor, state: str) -> TrustChange:
        permitted(actor, Permission.MANAGE_NODE)
        return self.trust.adopt_partner(state, actor=actor)
