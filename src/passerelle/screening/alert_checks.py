"""The alerts check of a border inspection: the node's own alerts and its partners'.

A person alert is filed under its first name as issued (folded) and birth
date, a document alert under the state and the folded number (the store's
``subject_key``). A forged-document alert is filed under the
document's state and type and kept when its numbers take the document's
(``screening.forgery_checks``). The check works out every key this traveller's alerts may
be filed under and asks the store for all of them at once, one indexed read
for the node's alerts and one for the partners': an inspection without
alerts (nearly all of them) costs those two reads, not two for each key.

Then, given :class:`~passerelle.lists.alert_names.AlertNames`, the MRZ name
is screened against every live person alert with the watchlist's name engine,
which finds an alert issued in Arabic script or under another spelling: at or
above the hit threshold it is a hit (the score and the reasons said), above
the weak threshold it refers the traveller for a second look.

What a hit does to the decision follows the action the alert asks for
(``rules.action_severity``): a discreet check or information changes nothing, a
specific check refers, the rest are hits; each finding carries the action's code
(``alert_action``). A name that only resembles a discreet-check alert's is a note,
never a referral that would alert the traveller.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from passerelle.documents import DocumentCheck
from passerelle.i18n import N_
from passerelle.i18n.wording import Wording, worded
from passerelle.lists.alert_names import AlertNameMatch, AlertNames
from passerelle.names import DEFAULT_THRESHOLD
from passerelle.records.alerts import LIVE_STATUSES, document_key, person_key
from passerelle.records.partner_alerts import PartnerAlertView
from passerelle.screening.checks import SourceOutcome, name_query
from passerelle.screening.forgery_checks import (
    forgery_finding,
    in_series,
    own_alert_words,
    partner_alert_words,
    series_key_of,
)
from passerelle.screening.model import Finding
from passerelle.screening.rules import action_severity
from passerelle.screening.words import alert_meaning, reasons_said, state_words
from passerelle.store.alerts import AlertRegistry, AlertView
from passerelle.store.audit import AuditTrail
from passerelle.store.db import Database
from passerelle.store.inspections import HitDraft
from passerelle.store.partner_alerts import partner_alerts_on
from passerelle.store.tables import Alert, PartnerAlert

__all__ = ["check_alerts"]


def _name_forms(check: DocumentCheck) -> list[str]:
    surname = " ".join((check.surname or "").split())
    given = " ".join((check.given_names or "").split())
    forms = [f"{given} {surname}".strip(), f"{surname} {given}".strip()]
    return [form for number, form in enumerate(forms) if form and form not in forms[:number]]


def _birth_forms(check: DocumentCheck) -> list[str | None]:
    if check.birth_date is None:
        return [None]
    iso = check.birth_date.isoformat()
    return [iso, iso[:7], iso[:4], None]


_ON_THIS = {  # what the alert is filed on: ``_subject_keys``
    "document": N_("%(meaning)s: alert %(alert)s on this document, issued by %(contact)s."),
    "person": N_("%(meaning)s: alert %(alert)s on this person, issued by %(contact)s."),
}
_PARTNER_ON_THIS = {
    "document": N_(
        "%(meaning)s: alert %(alert)s of %(partner)s, shared with this node, on this document; "
        "issued by %(contact)s."
    ),
    "person": N_(
        "%(meaning)s: alert %(alert)s of %(partner)s, shared with this node, on this person; "
        "issued by %(contact)s."
    ),
}


def _alert_finding(alert: AlertView, on_what: str) -> Finding:
    said = worded(
        _ON_THIS[on_what],
        meaning=alert_meaning(alert.category),
        alert=alert.id,
        contact=alert.issuing_authority,
    )
    return Finding.worded(
        "alerts",
        f"alert_{alert.kind}",
        action_severity(alert.asks),
        said,
        action=alert.action,
        contact=alert.issuing_authority,
        reference=alert.id,
        alert_action=alert.asks,
    )


def check_alerts(
    database: Database,
    audit: AuditTrail,
    check: DocumentCheck,
    day: date,
    *,
    names: AlertNames | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    weak_threshold: float = DEFAULT_THRESHOLD,
) -> SourceOutcome:
    """The node's alerts in force on ``day``: on the document, and on the person.

    A person alert is found by its first name as issued (folded) and birth date, as
    the store keys it: the MRZ name is tried given-names-first and surname-first,
    with the full birth date, its year and month, its year, and none. Every key is
    looked up at once (``_keys_with_alerts``: one query for the node's alerts, one
    for the partners'); only the keys that have alerts are then read in full, in
    the order above, so an inspection without alerts costs two indexed reads.
    """
    keys = _subject_keys(check)
    registry = AlertRegistry(audit)
    found: dict[str, tuple[AlertView, str]] = {}
    shared: dict[str, tuple[PartnerAlertView, str]] = {}
    # look-ups without a transaction around them (``Database.lookup``): each read stands
    # alone, as under PostgreSQL's read committed, without BEGIN and ROLLBACK's round trips
    with database.lookup() as session:
        own, partners = _keys_with_alerts(
            session, [own for own, _, _ in keys], [partner for _, partner, _ in keys]
        )
        for own_key, _, what in keys:
            for alert_id in own.get(own_key, ()):
                alert = registry.get(session, alert_id)
                if alert.in_force(day) and (what != "series" or in_series(alert, check)):
                    found.setdefault(alert.id, (alert, what))
        for _, partner_key, what in keys:
            if partner_key in partners:
                for partner_alert in partner_alerts_on(session, partner_key, day):
                    if what == "series" and not in_series(partner_alert, check):
                        continue  # the state's and type's forgery, not this number's
                    reference = f"{partner_alert.issuing_state}:{partner_alert.alert_id}"
                    shared.setdefault(reference, (partner_alert, what))
        query = name_query(check) if names is not None else None
        by_name = (
            names.screen(session, query, threshold=weak_threshold)
            if names is not None and query is not None
            else []
        )
    findings = tuple(
        forgery_finding(alert) if what == "series" else _alert_finding(alert, what)
        for alert, what in found.values()
    )
    findings += tuple(
        forgery_finding(alert) if what == "series" else _partner_alert_finding(alert, what)
        for alert, what in shared.values()
    )
    references = [*found, *shared]
    hits = [HitDraft("alerts", reference) for reference in references]
    for candidate in by_name:
        if candidate.reference in references or not candidate.in_force(day):
            continue  # found by its key already, or not in force today
        references.append(candidate.reference)
        findings += (_name_finding(candidate, threshold),)
        if candidate.match.score >= threshold:
            hits.append(HitDraft("alerts", candidate.reference, candidate.match.score))
    return SourceOutcome("alerts", True, findings, alerts=tuple(references), hits=tuple(hits))


def _name_finding(candidate: AlertNameMatch, threshold: float) -> Finding:
    """A person alert the name engine found: a hit at ``threshold``, else a second look."""
    alert, match = candidate.alert, candidate.match
    whose: Wording
    if isinstance(alert, PartnerAlertView):
        whose = partner_alert_words(alert.alert_id, alert.issuing_state)
        contact = alert.contact
    else:
        whose = own_alert_words(alert.id)
        contact = alert.issuing_authority
    why = reasons_said(match)
    score = f"{match.score:.2f}"
    if match.score >= threshold:
        said = worded(
            N_(
                "%(meaning)s: the traveller may be the person of %(alert)s (%(name)s), score "
                "%(score)s: %(reasons)s; issued by %(contact)s."
            ),
            meaning=alert_meaning(alert.category),
            alert=whose,
            name=match.name,
            score=score,
            reasons=why,
            contact=str(contact),
        )
        return Finding.worded(
            "alerts",
            "alert_person_name",
            action_severity(alert.asks),
            said,
            action=alert.action,
            contact=contact,
            reference=candidate.reference,
            alert_action=alert.asks,
        )
    said = worded(
        N_(
            "The name resembles the person of %(alert)s (%(name)s), score %(score)s (below the "
            "hit threshold %(threshold)s): %(reasons)s. Compare the details."
        ),
        alert=whose,
        name=match.name,
        score=score,
        threshold=f"{threshold:.2f}",
        reasons=why,
    )
    return Finding.worded(
        "alerts",
        "alert_person_candidate",
        action_severity(alert.asks, confirmed=False),
        said,
        reference=candidate.reference,
    )


def _subject_keys(check: DocumentCheck) -> list[tuple[str, str, str]]:
    """The subject keys an alert on this traveller may be filed under, in the order the
    findings list them: (the node's key, the partners' key, ``document``, ``series`` (a
    forgery alert on the document's state and type: ``forgery_checks``) or ``person``).

    The two differ only for a document whose state or number ends in ``<`` (``D<<``):
    the node's registry strips the fillers, a partner's key is taken as read.
    """
    keys: list[tuple[str, str, str]] = []
    state, number = check.issuing_state, check.document_number
    if state and number:
        own = document_key(state.strip().rstrip("<"), number.strip().rstrip("<"))
        keys.append((own, document_key(state, number), "document"))
    series = series_key_of(check)
    if series is not None:
        keys.append((series, series, "series"))
    for name in _name_forms(check):
        for birth in _birth_forms(check):
            key = person_key(name, birth)
            keys.append((key, key, "person"))
    return keys


_OWN_KEYS = (
    select(Alert.subject_key, Alert.id)
    .where(
        Alert.subject_key.in_(bindparam("keys", expanding=True)),
        Alert.status.in_(sorted(LIVE_STATUSES)),
    )
    .order_by(Alert.created_at, Alert.id)
)
_PARTNER_KEYS = (
    select(PartnerAlert.subject_key)
    .where(
        PartnerAlert.subject_key.in_(bindparam("keys", expanding=True)),
        PartnerAlert.status == "active",
    )
    .distinct()
)
"""Built once: every inspection runs both (building them cost more than running them)."""


def _keys_with_alerts(
    session: Session, own_keys: Sequence[str], partner_keys: Sequence[str]
) -> tuple[dict[str, list[str]], set[str]]:
    """Which ``own_keys`` have live alerts of this node (their ids, oldest first) and which
    ``partner_keys`` active alerts of a partner: two reads on the ``subject_key`` indexes."""
    own: dict[str, list[str]] = {}
    if own_keys:
        rows = session.execute(_OWN_KEYS, {"keys": sorted(set(own_keys))})
        for key, alert_id in rows:
            own.setdefault(key, []).append(alert_id)
    partners: set[str] = set()
    if partner_keys:
        partners.update(session.scalars(_PARTNER_KEYS, {"keys": sorted(set(partner_keys))}))
    return own, partners


def _partner_alert_finding(alert: PartnerAlertView, on_what: str) -> Finding:
    said = worded(
        _PARTNER_ON_THIS[on_what],
        meaning=alert_meaning(alert.category),
        alert=alert.alert_id,
        partner=state_words(alert.issuing_state),
        contact=alert.contact,
    )
    return Finding.worded(
        "alerts",
        f"alert_{alert.kind}",
        action_severity(alert.asks),
        said,
        action=alert.action,
        contact=alert.contact,
        reference=f"{alert.issuing_state}:{alert.alert_id}",
        alert_action=alert.asks,
    )
