"""Supervisors' pages: ``/second-line`` (admissions to confirm, travellers referred) and the
forms on the verdict page that confirm or decline an admission of a HIT and record a
second-line outcome.

The verdict page shows what :func:`present_second_line` gives it (the partial
``verdict_second_line.html``): an admission awaiting a supervisor (and, for a
supervisor who did not ask for it, the form to answer), the referral and its
outcome (and, for a second-line officer, the form to record it).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from passerelle.access import Permission, SessionView, can
from passerelle.http.deps import ServicesDep
from passerelle.i18n import N_, gettext
from passerelle.records.catalogues import DEFAULT_REASONS, DecisionReasons
from passerelle.records.second_line import OUTCOME_LABELS, OUTCOMES
from passerelle.screening import InspectionRecord
from passerelle.store.audit import Actor
from passerelle.web.presenting import reason_words
from passerelle.web.rendering import page, page_session
from passerelle.web.traveller import DIRECTION_WORDS
from passerelle.web.wording import found_lines

__all__ = ["present_second_line", "router"]

router = APIRouter(include_in_schema=False)

SecondLineOfficer = Annotated[SessionView, Depends(page_session(Permission.SECOND_LINE))]
Confirming = Annotated[SessionView, Depends(page_session(Permission.CONFIRM_ADMISSION))]
CsrfField = Annotated[str, Form()]
QUEUE_PURPOSE = "second-line duty"
"""The purpose recorded when a supervisor opens the second-line page."""


OUTCOME_WORDS = {
    "admitted_after_check": N_("Admitted after check"),
    "refused": N_("Refused"),
    "arrested": N_("Arrested"),
    "handed_over": N_("Handed over to another service"),
}
"""The second-line outcomes as the pages show them (``OUTCOME_LABELS``, marked for the
catalogues)."""
assert OUTCOME_WORDS == OUTCOME_LABELS


def _outcome(code: str | None) -> str | None:
    return gettext(OUTCOME_WORDS[code]) if code in OUTCOME_WORDS else code


def present_second_line(
    record: InspectionRecord,
    actor: Actor | None,
    reasons: DecisionReasons = DEFAULT_REASONS,
    *,
    readonly: bool = False,
) -> dict[str, Any]:
    """The verdict page's second-line context: ``awaiting_confirmation`` (the decision form
    hides) and ``second_line`` (what the partial shows, and which forms ``actor`` gets)."""
    role = actor.role if actor is not None else ""
    admission = record.admission
    referral = record.referral
    shown_admission = None
    if admission is not None:
        shown_admission = {
            "status": admission.status,
            "requested_by": admission.requested_by,
            "requested_at": admission.requested_at,
            "reason": reason_words(reasons, admission.reason_code),
            "supervisor": admission.supervisor,
            "answered_at": admission.answered_at,
            "note": admission.note,
        }
    shown_referral = None
    if referral is not None:
        shown_referral = {
            "crossing_point": referral.crossing_point,
            "reason": reason_words(reasons, referral.reason_code),
            "referred_by": referral.referred_by,
            "referred_at": referral.referred_at,
            "outcome": referral.outcome,
            "outcome_label": _outcome(referral.outcome),
            "outcome_by": referral.outcome_by,
            "outcome_at": referral.outcome_at,
            "notes": referral.notes,
            "handed_to": referral.handed_to,
        }
    own = actor is not None and admission is not None and admission.requested_by == actor.name
    supervising = can(role, Permission.CONFIRM_ADMISSION)
    return {
        "awaiting_confirmation": record.awaiting_confirmation,
        "second_line": {
            "admission": shown_admission,
            "referral": shown_referral,
            "own_admission": own and supervising,
            "can_answer": not readonly and record.awaiting_confirmation and supervising and not own,
            "can_record_outcome": (
                not readonly
                and referral is not None
                and referral.outcome is None
                and can(role, Permission.SECOND_LINE)
            ),
            "outcomes": [(code, _outcome(code)) for code in OUTCOMES],
        },
    }


@router.get("/second-line", response_class=HTMLResponse)
def second_line_page(
    request: Request,
    session: SecondLineOfficer,
    services: ServicesDep,
    crossing_point: Annotated[str, Query(max_length=64)] = "",
) -> HTMLResponse:
    """Admissions awaiting confirmation and travellers referred, newest first, at one
    crossing point or all (audited: ``second_line.read``)."""
    point = crossing_point.strip().upper()
    queue = services.second_line.queue(session.actor, QUEUE_PURPOSE, crossing_point=point)
    reasons = services.catalogues.reasons
    context: dict[str, object] = {
        "crossing_point": queue.crossing_point or "",
        "points": services.catalogues.crossing_points,
        "directions": DIRECTION_WORDS,
        "confirmations": [
            {
                "entry": entry,
                "at": admission.requested_at,
                "by": admission.requested_by,
                "reason": reason_words(reasons, admission.reason_code),
                "own": admission.requested_by == session.actor.name,
            }
            for admission, entry in queue.confirmations
        ],
        "referrals": [
            {
                "entry": entry,
                "at": referral.referred_at,
                "by": referral.referred_by,
                "reason": reason_words(reasons, referral.reason_code),
            }
            for referral, entry in queue.referrals
        ],
    }
    context["found_lines"] = found_lines
    return page(request, "second_line.html", context, session=session)


@router.post("/check/{inspection_id}/confirmation")
def answer_admission(
    inspection_id: str,
    session: Confirming,
    services: ServicesDep,
    csrf_token: CsrfField,
    answer: Annotated[str, Form(max_length=16)],
    note: Annotated[str, Form(max_length=2000)] = "",
) -> RedirectResponse:
    """A supervisor confirms or declines an officer's admission of a HIT (never their own)."""
    session.check_csrf(csrf_token)
    services.second_line.answer_admission(session.actor, inspection_id, answer, note)
    return RedirectResponse(f"/check/{inspection_id}#decision", status_code=303)


@router.post("/check/{inspection_id}/second-line-outcome")
def record_outcome(
    inspection_id: str,
    session: SecondLineOfficer,
    services: ServicesDep,
    csrf_token: CsrfField,
    outcome: Annotated[str, Form(max_length=32)],
    notes: Annotated[str, Form(max_length=2000)] = "",
    handed_to: Annotated[str, Form(max_length=200)] = "",
) -> RedirectResponse:
    """A second-line officer records the outcome of a referred traveller, once."""
    session.check_csrf(csrf_token)
    services.second_line.record_outcome(
        session.actor, inspection_id, outcome, notes=notes, handed_to=handed_to
    )
    return RedirectResponse(f"/check/{inspection_id}#second-line", status_code=303)
