"""Forged-document alerts at the border: is this document in a series a forgery imitates?

A ``forged_document`` alert (``records.forgeries``), the node's own or a partner's,
is filed under ``series:STATE:T`` (issuing state, document type); the alerts check
(``screening.alert_checks``) reads those of the inspected document's state and type
with the other alert keys, in the same two indexed reads, and keeps those whose
numbers (series, range, pattern) take the document's: :func:`in_series`.

A match asks for what the alert asks (a specific check by default: the decision is
``refer``) and its finding gives the officer what to look for: the kind of fraud, how
it is detected and the examiner's indicators, in the finding's message.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from passerelle.documents import DocumentCheck
from passerelle.i18n import N_
from passerelle.i18n.wording import Parameter, Wording, worded
from passerelle.records.alerts import AlertView
from passerelle.records.forgeries import (
    DETECTION_METHODS,
    FORGERY_TYPES,
    SERIES_KIND,
    SeriesSubject,
    series_from_json,
    series_key,
    series_matches,
)
from passerelle.records.partner_alerts import PartnerAlertView
from passerelle.screening.model import Finding
from passerelle.screening.rules import action_severity
from passerelle.screening.words import state_words

__all__ = [
    "forgery_finding",
    "in_series",
    "numbers_said",
    "own_alert_words",
    "partner_alert_words",
    "series_key_of",
    "series_subject",
]


def series_key_of(check: DocumentCheck) -> str | None:
    """The key forgery alerts on this document's state and type are filed under, if any."""
    if not (check.issuing_state and check.document_code and check.document_number):
        return None
    return series_key(check.issuing_state, check.document_code)


def series_subject(alert: AlertView | PartnerAlertView) -> SeriesSubject | None:
    """The series a forgery alert concerns; None for any other alert."""
    if isinstance(alert, PartnerAlertView):
        subject: Mapping[str, Any] = alert.subject
        return series_from_json(subject) if subject.get("kind") == SERIES_KIND else None
    return alert.subject if isinstance(alert.subject, SeriesSubject) else None


def in_series(alert: AlertView | PartnerAlertView, check: DocumentCheck) -> bool:
    """Whether ``alert`` is a forgery alert whose series takes the inspected document."""
    subject = series_subject(alert)
    return subject is not None and series_matches(
        subject, check.issuing_state or "", check.document_code or "", check.document_number or ""
    )


def numbers_said(subject: SeriesSubject) -> Parameter:
    """The numbers an alert covers, to put into a finding's sentence (the words of
    :func:`describe_numbers`, written in the page reader's language).

    >>> numbers_said(SeriesSubject("MAR", "P", "forged", ("uv",), "x", series="AB",
    ...     number_from="AB100", number_to="AB199")).english
    'series AB, numbers AB100 to AB199'
    """
    parts: list[Wording] = []
    if subject.series is not None:
        parts.append(worded(N_("series %(series)s"), series=subject.series))
    if subject.number_from is not None:
        parts.append(
            worded(
                N_("numbers %(first)s to %(last)s"),
                first=subject.number_from,
                last=str(subject.number_to),
            )
        )
    if subject.number_pattern is not None:
        parts.append(worded(N_("numbers like %(pattern)s"), pattern=subject.number_pattern))
    if not parts:
        return ""
    said = parts[0]
    for part in parts[1:]:
        said = worded(N_("%(first)s, %(then)s"), first=said, then=part)
    return said


def own_alert_words(alert: str) -> Wording:
    """This node's alert, named in a sentence."""
    return worded(N_("alert %(alert)s"), alert=alert)


def partner_alert_words(alert: str, state: str) -> Wording:
    """A partner's alert shared with this node, named in a sentence."""
    return worded(N_("alert %(alert)s of %(state)s"), alert=alert, state=state_words(state))


def forgery_finding(alert: AlertView | PartnerAlertView) -> Finding:
    """The finding of a document in a forgery alert's series: what to look for, in words."""
    subject = series_subject(alert)
    assert subject is not None  # only called on a forgery alert (in_series)
    whose: Wording
    if isinstance(alert, PartnerAlertView):
        whose = partner_alert_words(alert.alert_id, alert.issuing_state)
        reference, contact = f"{alert.issuing_state}:{alert.alert_id}", alert.contact
    else:
        whose, reference, contact = own_alert_words(alert.id), alert.id, alert.issuing_authority
    fraud = FORGERY_TYPES.get(subject.forgery_type)
    methods = [DETECTION_METHODS.get(m) for m in subject.detected_by]
    detected: Parameter = (
        tuple(worded(m) for m in methods if m is not None)
        if all(methods) and len(methods) == 1
        else ", ".join(DETECTION_METHODS.get(m, m) for m in subject.detected_by)
    )
    said = worded(
        N_(
            "Known forgery: this document is in the series of %(alert)s (%(state)s %(code)s, "
            "%(numbers)s), %(fraud)s; detected by %(detected)s. Indicators: %(indicators)s "
            "Examine the document; issued by %(contact)s."
        ),
        alert=whose,
        state=subject.issuing_state,
        code=subject.document_code,
        numbers=numbers_said(subject),
        fraud=worded(fraud) if fraud is not None else subject.forgery_type,
        detected=detected,
        indicators=subject.indicators,
        contact=str(contact),
    )
    return Finding.worded(
        "alerts",
        "alert_forged_document",
        action_severity(alert.asks),
        said,
        action=alert.action,
        contact=contact,
        reference=reference,
        alert_action=alert.asks,
    )
