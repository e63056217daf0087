"""The legal-basis filter: which of this node's records may be disclosed to which partner.

Everything that leaves the node in answer to a partner (a ``hit`` on a query
today, a released record on a follow-up later) passes one of these checks.
Each returns ``None`` when the record may go to the peer, else a
:class:`Refusal` saying why. The refusal is for this node's analysts only: it
is written to the audit trail (``exchange.share_refused``) and the partner
sees nothing of it; when nothing shareable matched, it is told ``no_hit``.

===============  =========================================================================
record           may be disclosed to a peer when
===============  =========================================================================
alert            its category is among the agreement's ``alert_categories``, it is
                 ``shareable``, and it concerns no ``restricted_matter``
watchlist person it is ``shareable``, concerns no ``restricted_matter`` (both set
                 per person in the watchlist file or by the API), and the alert
                 category its watchlist category stands for (``wanted`` → ``wanted``,
                 ``travel_ban`` → ``travel_ban``, ``missing`` → ``missing_person``,
                 ``alert`` → ``surveillance``) is among the agreement's
                 ``alert_categories``
SLTD record      always: Interpol's Stolen and Lost Travel Documents database exists to
                 be shared, and a record says nothing about a person
anything else    never (``not_own_record``): a face filed under an id that is neither an
                 alert nor a watchlist person of this node, e.g. a partner's reference
===============  =========================================================================

Refusal codes: ``category_not_agreed``, ``not_shareable``, ``restricted_matter``
(political, military, religious or racial matters, which Interpol's
Constitution, article 3, keeps out of police co-operation: such an alert never
leaves the node whatever the agreement) and ``not_own_record``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy.orm import Session

from passerelle.records.alerts import RESTRICTED_MATTERS, AlertView
from passerelle.store.audit import Actor, AuditTrail
from passerelle.store.audit_reading import read_audit
from passerelle.store.sltd import SltdMatch
from passerelle.store.watchlist import WatchlistPersonView

__all__ = [
    "RESTRICTED_MATTERS",
    "SHARE_REFUSED",
    "WATCHLIST_SHARING_CATEGORY",
    "AgreementTerms",
    "PeerAgreement",
    "Refusal",
    "RefusedShare",
    "may_disclose_alert",
    "may_disclose_sltd",
    "may_disclose_watchlist_person",
    "not_own_record",
    "peer_actor",
    "record_refused_share",
    "refused_shares",
]

SHARE_REFUSED = "exchange.share_refused"
"""The audit action of a record kept from a partner."""

WATCHLIST_SHARING_CATEGORY: Mapping[str, str] = {
    "wanted": "wanted",
    "travel_ban": "travel_ban",
    "missing": "missing_person",
    "alert": "surveillance",
}
"""The alert category of the agreement a watchlist category is shared under."""


class AgreementTerms(Protocol):
    """What the sharing rules read of an agreement (``exchange.peers.Agreement``)."""

    @property
    def inbound_kinds(self) -> Collection[str]: ...
    @property
    def alert_categories(self) -> Collection[str]: ...


class PeerAgreement(Protocol):
    """What the sharing rules read of a partner (``exchange.peers.PeerView``)."""

    @property
    def state(self) -> str: ...
    @property
    def agreement(self) -> AgreementTerms: ...


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a record may not go to a partner: a stable code and a sentence for the analyst."""

    code: str
    reason: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "reason": self.reason}


def peer_actor(peer: PeerAgreement) -> Actor:
    """The audit actor standing for a partner node (``peer:BEL``, as the listener's)."""
    return Actor(name=f"peer:{peer.state}", kind="peer", role="partner")


def _kept_home(record: str, shareable: bool, restricted_matter: str | None) -> Refusal | None:
    """The refusal of a record that never leaves the node whatever the agreement, or None."""
    if restricted_matter is not None:
        matter = restricted_matter
        detail = f"a {matter} matter" if matter in RESTRICTED_MATTERS else "a restricted matter"
        return Refusal(
            "restricted_matter",
            f"{record} concerns {detail}: such records never leave the node "
            "(Interpol's Constitution, article 3), whatever the agreement",
        )
    if not shareable:
        return Refusal("not_shareable", f"{record} is marked not shareable")
    return None


def may_disclose_alert(alert: AlertView, peer: PeerAgreement) -> Refusal | None:
    """None when ``alert`` may be disclosed to ``peer``; else the :class:`Refusal`.

    The restricted matter is checked first: it holds whatever the agreement and
    the shareable flag say.

    >>> from datetime import date, datetime
    >>> from passerelle.records.alerts import DocumentSubject
    >>> class Terms:
    ...     inbound_kinds, alert_categories = ("document",), ("wanted",)
    >>> class Peer:
    ...     state, agreement = "BEL", Terms()
    >>> when = datetime(2026, 1, 1)
    >>> alert = AlertView("A-1", "document", "stolen_document",
    ...     DocumentSubject("MAR", "UM4731285"), "document:MAR:UM4731285", "DGSN", "Seize.",
    ...     date(2026, 1, 1), None, "active", when, when)
    >>> may_disclose_alert(alert, Peer()).code
    'category_not_agreed'
    """
    kept = _kept_home(f"alert {alert.id}", alert.shareable, alert.restricted_matter)
    if kept is not None:
        return kept
    if alert.category not in peer.agreement.alert_categories:
        return Refusal(
            "category_not_agreed",
            f"alert {alert.id} is a {alert.category} alert; the agreement with "
            f"{peer.state} does not share that category",
        )
    return None


def may_disclose_watchlist_person(
    person: WatchlistPersonView, peer: PeerAgreement
) -> Refusal | None:
    """None when the watchlist ``person`` may be disclosed to ``peer``; else the refusal.

    As for alerts, the restricted matter and the shareable flag are checked first;
    then the person's category is read as the alert category it stands for
    (:data:`WATCHLIST_SHARING_CATEGORY`); an unmapped category is never shared.
    """
    kept = _kept_home(f"watchlist person {person.id}", person.shareable, person.restricted_matter)
    if kept is not None:
        return kept
    category = WATCHLIST_SHARING_CATEGORY.get(person.category)
    if category is None or category not in peer.agreement.alert_categories:
        return Refusal(
            "category_not_agreed",
            f"watchlist person {person.id} is listed as {person.category}; the agreement "
            f"with {peer.state} does not share {category or 'that category'} records",
        )
    return None


def may_disclose_sltd(match: SltdMatch, peer: PeerAgreement) -> Refusal | None:
    """Always None: stolen and lost document records are meant to be shared (Interpol SLTD)."""
    return None


def not_own_record(gallery: str, identity: str) -> Refusal:
    """The refusal for a face filed under an id that is no alert or watchlist person here."""
    return Refusal(
        "not_own_record",
        f"identity {identity} of the {gallery} gallery is neither an alert nor a watchlist "
        "person of this node: it is not this node's to disclose",
    )


def record_refused_share(
    session: Session,
    audit: AuditTrail,
    *,
    peer: PeerAgreement,
    kind: str,
    message_id: str,
    record_type: str,
    record_id: str,
    refusal: Refusal,
    at: datetime,
) -> int:
    """Audit, in ``session``'s transaction, that a record was kept from ``peer``; its seq.

    The record names the query (kind and message id), the local record (type and
    id, never its content) and the refusal's code and reason.
    """
    query: dict[str, Any] = {
        "peer": peer.state,
        "kind": kind,
        "message_id": message_id,
        "record_type": record_type,
        "record_id": record_id,
    }
    return audit.record(
        session,
        actor=peer_actor(peer),
        action=SHARE_REFUSED,
        at=at,
        query=query,
        result=refusal.as_dict(),
    )


@dataclass(frozen=True, slots=True)
class RefusedShare:
    """A record kept from a partner, as the local analyst reads it (from the audit trail)."""

    seq: int
    at: datetime
    peer: str
    kind: str
    record_type: str
    record_id: str
    code: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "at": self.at.isoformat(),
            "peer": self.peer,
            "kind": self.kind,
            "record_type": self.record_type,
            "record_id": self.record_id,
            "code": self.code,
            "reason": self.reason,
        }


def refused_shares(session: Session, *, limit: int = 50) -> list[RefusedShare]:
    """The latest records kept from partners, newest first: what was asked, which local
    record matched and why it did not leave (the partner itself was told ``no_hit``).

    Read from the audit trail's ``exchange.share_refused`` records; one whose payload
    retention removed is left out.
    """
    shares = []
    for entry in read_audit(session, limit=limit, action=SHARE_REFUSED):
        if entry.query is None or entry.result is None:
            continue
        shares.append(
            RefusedShare(
                seq=entry.seq,
                at=entry.at,
                peer=str(entry.query.get("peer", "")),
                kind=str(entry.query.get("kind", "")),
                record_type=str(entry.query.get("record_type", "")),
                record_id=str(entry.query.get("record_id", "")),
                code=str(entry.result.get("code", "")),
                reason=str(entry.result.get("reason", "")),
            )
        )
    return shares
