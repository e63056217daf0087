"""Supervisors at the border: four-eyes admissions of a HIT, and the second-line queue.

An officer's ``admit`` on a HIT awaits a supervisor's confirmation
(:func:`passerelle.screening.records.record_officer_decision` stores it). A
supervisor, never the officer who asked (four eyes are two people, so a
supervisor's own admission of a HIT needs another supervisor), confirms it (the
crossing is logged, the decision recorded with both names,
``inspection.admission_confirmed``) or declines it with a note
(``inspection.admission_declined``; the inspection is undecided again and the
officer refers or refuses).

An officer's ``refer`` puts the traveller in the second-line queue of the
crossing point; a supervisor reads the queue (``second_line.read``) and records
one outcome per referral (``second_line.outcome``): ``admitted_after_check`` logs
the crossing (the inspection's direction, point and time), ``refused``,
``arrested`` and ``handed_over`` log none. Admitting a HIT after second line is
also four eyes: not by the officer who referred it.

A supervisor works the inspections of their assigned crossing point
(``access.scope``): another point's are answered as unknown (404), and the queue is
their point's.

Every write is one transaction with its audit record; bad input is refused with
the field named and nothing recorded.
"""

from __future__ import annotations

from dataclasses import dataclass

from passerelle.access import AccessDenied, Permission
from passerelle.access.scope import ScopeRule, scoped_inspection, supervised_point
from passerelle.exc import InvalidInput
from passerelle.i18n import N_
from passerelle.i18n.wording import worded
from passerelle.node import Node
from passerelle.records.second_line import (
    AdmissionView,
    QueueEntry,
    ReferralView,
    check_note,
    check_outcome,
)
from passerelle.screening.records import log_crossing_of
from passerelle.services.common import checked_purpose, permitted
from passerelle.store.audit import Actor
from passerelle.store.inspections import InspectionRepository
from passerelle.store.second_line import SecondLineStore

__all__ = ["SecondLine", "SecondLineQueue"]

ANSWERS = ("confirm", "decline")


@dataclass(frozen=True, slots=True)
class SecondLineQueue:
    """What the second-line page lists: admissions awaiting a supervisor, and referrals
    without an outcome, newest first."""

    confirmations: tuple[tuple[AdmissionView, QueueEntry], ...]
    referrals: tuple[tuple[ReferralView, QueueEntry], ...]
    crossing_point: str | None = None
    """The point listed (the one asked, or the supervisor's own); ``None``: every point."""


class SecondLine:
    """The supervisors' use cases, each checking the permission and audited."""

    def __init__(self, node: Node, repository: InspectionRepository) -> None:
        self.node = node
        self.inspections = repository
        self.store = SecondLineStore()

    def queue(
        self, actor: Actor, purpose: str, *, crossing_point: str | None = None
    ) -> SecondLineQueue:
        """Admissions awaiting confirmation and referrals awaiting an outcome, at one point
        (``crossing_point``, upper-cased) or all (``second_line.read``).

        A supervisor assigned to a crossing point works that point's queue only: theirs
        when none is asked, ``AccessDenied`` (403) naming their point when another is."""
        permitted(actor, Permission.SECOND_LINE, Permission.CONFIRM_ADMISSION)
        why = checked_purpose(purpose)
        point = (crossing_point or "").strip().upper() or None
        node = self.node
        with node.database.write() as session:
            assigned = supervised_point(session, actor, ScopeRule.of(node))
            if assigned is not None and point not in (None, assigned):
                raise AccessDenied(
                    f"you supervise crossing point {assigned}: the queue of {point} is not yours"
                )
            point = assigned or point
            confirmations = tuple(self.store.awaiting_admissions(session, crossing_point=point))
            referrals = tuple(self.store.queue(session, crossing_point=point))
            node.audit.record(
                session,
                actor=actor,
                action="second_line.read",
                purpose=why,
                at=node.clock(),
                query={"crossing_point": point},
                result={
                    "confirmations": [entry.inspection_id for _, entry in confirmations],
                    "referrals": [entry.inspection_id for _, entry in referrals],
                },
            )
        return SecondLineQueue(confirmations, referrals, point)

    def answer_admission(
        self, actor: Actor, inspection_id: str, answer: str, note: str | None = None
    ) -> AdmissionView:
        """Confirm (``confirm``) or decline (``decline``, with a ``note``) the officer's
        admission of a HIT; refused for the supervisor who asked for it."""
        permitted(actor, Permission.CONFIRM_ADMISSION)
        if answer not in ANSWERS:
            raise InvalidInput(
                "answer",
                worded(N_("%(answer)s is not one of confirm, decline"), answer=repr(answer)),
            )
        text = check_note(
            note,
            field="note",
            required=answer == "decline",
            missing=worded(N_("is required to decline: say why, for the officer")),
        )
        node = self.node
        now = node.clock()
        with node.database.write() as session:
            view = scoped_inspection(node, session, self.inspections, actor, inspection_id)
            admission = self.store.awaiting(session, inspection_id, lock=True)
            if admission is None:
                raise InvalidInput(
                    "answer",
                    worded(
                        N_("no admission of inspection %(inspection_id)s awaits a confirmation"),
                        inspection_id=inspection_id,
                    ),
                )
            if admission.requested_by == actor.name:
                raise InvalidInput(
                    "answer",
                    worded(
                        N_(
                            "you asked for this admission yourself: "
                            "another supervisor must answer it (four eyes)"
                        )
                    ),
                )
            crossing_id = None
            if answer == "confirm":
                officer = Actor(admission.requested_by, "user", "officer")
                crossing_id = log_crossing_of(node, session, view, actor, now)
                self.inspections.record_decision(
                    session,
                    inspection_id,
                    action="admit",
                    reason_code=admission.reason_code,
                    by=officer,
                    now=now,
                    crossing_id=crossing_id,
                )
            answered = self.store.answer_admission(
                session,
                admission.id,
                status="confirmed" if answer == "confirm" else "declined",
                supervisor=actor.name,
                now=now,
                note=text,
            )
            node.audit.record(
                session,
                actor=actor,
                action=(
                    "inspection.admission_confirmed"
                    if answer == "confirm"
                    else "inspection.admission_declined"
                ),
                purpose=text or admission.reason_code,
                at=now,
                query={"inspection": inspection_id, "admission": admission.id},
                result={
                    "status": answered.status,
                    "requested_by": admission.requested_by,
                    "reason_code": admission.reason_code,
                    "crossing": crossing_id,
                },
            )
        return answered

    def record_outcome(
        self,
        actor: Actor,
        inspection_id: str,
        outcome: str,
        *,
        notes: str | None = None,
        handed_to: str | None = None,
    ) -> ReferralView:
        """The second-line outcome of a referred traveller, once (``second_line.outcome``)."""
        permitted(actor, Permission.SECOND_LINE)
        checked, text, service = check_outcome(outcome, notes=notes, handed_to=handed_to)
        node = self.node
        now = node.clock()
        with node.database.write() as session:
            view = scoped_inspection(node, session, self.inspections, actor, inspection_id)
            referral = self.store.referral(session, inspection_id, lock=True)
            if referral is None:
                raise InvalidInput(
                    "outcome",
                    worded(
                        N_("inspection %(inspection_id)s was not referred to second line"),
                        inspection_id=inspection_id,
                    ),
                )
            if referral.outcome is not None:
                raise InvalidInput(
                    "outcome",
                    worded(
                        N_(
                            "inspection %(inspection_id)s already has an outcome: "
                            "%(outcome)s by %(outcome_by)s"
                        ),
                        inspection_id=inspection_id,
                        outcome=referral.outcome,
                        outcome_by=str(referral.outcome_by),
                    ),
                )
            crossing_id = None
            if checked == "admitted_after_check":
                if view.decision == "hit" and referral.referred_by == actor.name:
                    raise InvalidInput(
                        "outcome",
                        worded(
                            N_(
                                "you referred this HIT yourself: "
                                "another supervisor must admit the traveller (four eyes)"
                            )
                        ),
                    )
                crossing_id = log_crossing_of(node, session, view, actor, now)
            recorded = self.store.record_outcome(
                session,
                inspection_id,
                outcome=checked,
                by=actor.name,
                now=now,
                notes=text,
                handed_to=service,
                crossing_id=crossing_id,
            )
            node.audit.record(
                session,
                actor=actor,
                action="second_line.outcome",
                purpose=text or checked,
                at=now,
                query={"inspection": inspection_id, "crossing_point": referral.crossing_point},
                result={"outcome": checked, "handed_to": service, "crossing": crossing_id},
            )
        return recorded
