"""Supervisors and the second line, as values: four-eyes admissions and referrals.

An officer's ``admit`` on an inspection whose verdict is a HIT is not a decision
yet: it is an *admission request* that a supervisor, a different person, confirms
(the crossing is logged, the decision recorded with both names) or declines (the
inspection is undecided again; the officer refers or refuses)::

    awaiting ──confirm──> confirmed    (final: admitted, four eyes)
        └─────decline──> declined     (final for this request; the officer decides again)

An officer's ``refer`` puts the traveller in the *second-line queue* of the
crossing point; a second-line officer (a supervisor) records one outcome:

==========================  ==================================  =====================
outcome                     what it means                       crossing logged
==========================  ==================================  =====================
``admitted_after_check``    admitted after the second-line      yes (the inspection's
                            check                               direction and point)
``refused``                 refused entry or exit               no
``arrested``                arrested or detained                no
``handed_over``             handed to another service           no
                            (``handed_to`` names it)
==========================  ==================================  =====================

Notes are required for every outcome but ``admitted_after_check``.

>>> check_outcome("refused", notes=" no visa ", handed_to=None)
('refused', 'no visa', None)
>>> check_outcome("handed_over", notes="customs search", handed_to="")
Traceback (most recent call last):
...
passerelle.exc.InvalidInput: handed_to: is required for handed_over: say which service
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any, Literal, get_args

from passerelle.exc import InvalidInput
from passerelle.i18n import N_
from passerelle.i18n.wording import Wording, worded
from passerelle.records.catalogues import DecisionReasons

__all__ = [
    "ADMISSION_STATUSES",
    "OUTCOMES",
    "OUTCOME_LABELS",
    "AdmissionStatus",
    "AdmissionView",
    "Outcome",
    "QueueEntry",
    "ReferralView",
    "check_note",
    "check_outcome",
    "reason_label",
]

AdmissionStatus = Literal["awaiting", "confirmed", "declined"]
ADMISSION_STATUSES: tuple[AdmissionStatus, ...] = get_args(AdmissionStatus)
Outcome = Literal["admitted_after_check", "refused", "arrested", "handed_over"]
OUTCOMES: tuple[Outcome, ...] = get_args(Outcome)
OUTCOME_LABELS: dict[str, str] = {
    "admitted_after_check": "Admitted after check",
    "refused": "Refused",
    "arrested": "Arrested",
    "handed_over": "Handed over to another service",
}
MAX_NOTE = 2000
MAX_SERVICE = 200


def _as_dict(value: object) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in fields(value):  # type: ignore[arg-type]
        field_value = getattr(value, item.name)
        out[item.name] = (
            field_value.isoformat() if isinstance(field_value, datetime) else field_value
        )
    return out


@dataclass(frozen=True, slots=True)
class AdmissionView:
    """An officer's admission of a HIT and the supervisor's answer (``awaiting`` until then)."""

    id: int
    inspection_id: str
    reason_code: str
    requested_by: str
    requested_at: datetime
    status: str
    supervisor: str | None
    answered_at: datetime | None
    note: str | None

    def as_dict(self) -> dict[str, Any]:
        return _as_dict(self)


@dataclass(frozen=True, slots=True)
class ReferralView:
    """A traveller referred to second line, and the outcome once recorded."""

    inspection_id: str
    crossing_point: str
    reason_code: str
    referred_by: str
    referred_at: datetime
    outcome: str | None
    outcome_by: str | None
    outcome_at: datetime | None
    notes: str | None
    handed_to: str | None
    crossing_id: int | None

    def as_dict(self) -> dict[str, Any]:
        return _as_dict(self)


@dataclass(frozen=True, slots=True)
class QueueEntry:
    """A line of the second-line page: the referral (or admission) with who and what was found.

    ``name`` is the traveller's name as the document reads, ``document`` is
    ``STATE:NUMBER`` (empty when unread), ``found`` the findings that referred or hit.
    """

    inspection_id: str
    at: datetime
    crossing_point: str
    direction: str
    decision: str
    name: str
    document: str
    found: tuple[str, ...]
    found_wordings: tuple[Wording | None, ...] = ()
    """Each of ``found`` as a sentence to write in the reader's language (None: stored before
    findings kept their wordings; the English of ``found`` then)."""

    def as_dict(self) -> dict[str, Any]:
        out = _as_dict(self)
        out["found"] = list(self.found)
        del out["found_wordings"]
        return out


def check_note(
    value: str | None, *, field: str, required: bool, missing: Wording | None = None
) -> str | None:
    """A note stripped; blank is None, or refused when ``required`` (``missing`` says why:
    ``is required`` unless given); longer than :data:`MAX_NOTE` is refused."""
    text = (value or "").strip()
    if not text:
        if required:
            raise InvalidInput(field, missing or worded(N_("is required")))
        return None
    if len(text) > MAX_NOTE:
        raise InvalidInput(field, worded(N_("is longer than %(most)s characters"), most=MAX_NOTE))
    return text


def check_outcome(
    outcome: str, *, notes: str | None, handed_to: str | None
) -> tuple[Outcome, str | None, str | None]:
    """The outcome, its notes and the service handed to, checked (see the module's table)."""
    if outcome not in OUTCOMES:
        raise InvalidInput(
            "outcome",
            worded(
                N_("%(outcome)s is not one of %(value)s"),
                outcome=repr(outcome),
                value=", ".join(OUTCOMES),
            ),
        )
    checked: Outcome = next(o for o in OUTCOMES if o == outcome)
    required = checked != "admitted_after_check"
    text = check_note(
        notes,
        field="notes",
        required=required,
        missing=worded(N_("is required for %(outcome)s: say why"), outcome=checked),
    )
    service = (handed_to or "").strip() or None
    if checked == "handed_over":
        if service is None:
            raise InvalidInput(
                "handed_to", worded(N_("is required for handed_over: say which service"))
            )
        if len(service) > MAX_SERVICE:
            raise InvalidInput(
                "handed_to",
                worded(N_("is longer than %(most)s characters"), most=MAX_SERVICE),
            )
    elif service is not None:
        raise InvalidInput(
            "handed_to", worded(N_("is only for handed_over, not %(checked)s"), checked=checked)
        )
    return checked, text, service


def reason_label(reasons: DecisionReasons, code: str) -> str:
    """The label the node's catalogue gives reason ``code`` (the code itself if unlisted).

    >>> from passerelle.records.catalogues import DEFAULT_REASONS
    >>> reason_label(DEFAULT_REASONS, "identity_doubt"), reason_label(DEFAULT_REASONS, "x")
    ("Doubt about the holder's identity", 'x')
    """
    for group in reasons.groups:
        for reason in group.reasons:
            if reason.code == code:
                return reason.label
    return code
