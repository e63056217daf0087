"""Admissions of a HIT awaiting a supervisor, and the second-line queue, in the store.

The rules (who may confirm, which outcome logs a crossing) are the callers'
(:mod:`passerelle.screening.records`, :mod:`passerelle.services.second_line`);
this module keeps the rows: one admission request at a time awaiting per
inspection, one referral per inspection, one outcome per referral. Nothing is
audited here: the caller audits in the same transaction. Tables in
:mod:`passerelle.store.tables.second_line` (migration 0011).
"""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from passerelle.exc import InvalidInput
from passerelle.i18n.wording import Wording
from passerelle.records.second_line import AdmissionView, QueueEntry, ReferralView
from passerelle.store.tables import AdmissionRequest, Inspection, SecondLineReferral

__all__ = ["SecondLineStore"]

_V = TypeVar("_V", AdmissionView, ReferralView)
_FOUND_LIMIT = 4


def _view(cls: type[_V], row: AdmissionRequest | SecondLineReferral) -> _V:
    return cls(**{item.name: getattr(row, item.name) for item in fields(cls)})


def queue_entry(row: Inspection) -> QueueEntry:
    """What the second-line page shows of an inspection: name, document, what was found."""
    document = row.result.get("document", {}) if isinstance(row.result, dict) else {}
    name = " ".join(part for part in (document.get("surname"), document.get("given_names")) if part)
    referred = [f for f in row.result.get("findings", []) if f.get("severity") in ("hit", "refer")][
        :_FOUND_LIMIT
    ]
    found = tuple(str(f.get("message", "")) for f in referred)
    wordings = tuple(
        Wording.from_dict(f["wording"]) if isinstance(f.get("wording"), dict) else None
        for f in referred
    )
    number = f"{row.issuing_state}:{row.document_number}" if row.document_number else ""
    return QueueEntry(
        inspection_id=row.id,
        at=row.at,
        crossing_point=row.crossing_point,
        direction=row.direction,
        decision=row.decision,
        name=name,
        document=number,
        found=found,
        found_wordings=wordings,
    )


class SecondLineStore:
    """The rows of admissions awaiting confirmation and of second-line referrals."""

    # -- four-eyes admissions ------------------------------------------------------------

    def request_admission(
        self, session: Session, inspection_id: str, *, reason_code: str, by: str, now: datetime
    ) -> AdmissionView:
        """An admission awaiting a supervisor; refused when one is already awaiting."""
        if self.awaiting(session, inspection_id, lock=True) is not None:
            raise InvalidInput(
                "action", f"inspection {inspection_id} already awaits a supervisor's confirmation"
            )
        row = AdmissionRequest(
            inspection_id=inspection_id,
            reason_code=reason_code,
            requested_by=by,
            requested_at=now,
            status="awaiting",
        )
        session.add(row)
        session.flush()
        return _view(AdmissionView, row)

    def awaiting(
        self, session: Session, inspection_id: str, *, lock: bool = False
    ) -> AdmissionView | None:
        """The inspection's admission awaiting a supervisor, if any."""
        query = select(AdmissionRequest).where(
            AdmissionRequest.inspection_id == inspection_id,
            AdmissionRequest.status == "awaiting",
        )
        row = session.scalars(query.with_for_update() if lock else query).first()
        return _view(AdmissionView, row) if row is not None else None

    def latest_admission(self, session: Session, inspection_id: str) -> AdmissionView | None:
        """The inspection's latest admission request (awaiting, confirmed or declined)."""
        row = session.scalars(
            select(AdmissionRequest)
            .where(AdmissionRequest.inspection_id == inspection_id)
            .order_by(AdmissionRequest.id.desc())
        ).first()
        return _view(AdmissionView, row) if row is not None else None

    def answer_admission(
        self,
        session: Session,
        admission_id: int,
        *,
        status: str,
        supervisor: str,
        now: datetime,
        note: str | None,
    ) -> AdmissionView:
        """Confirm or decline an awaiting admission (the caller checked who may)."""
        row = session.get(AdmissionRequest, admission_id, with_for_update=True)
        if row is None or row.status != "awaiting":
            raise InvalidInput("confirmation", "no admission of this inspection awaits one")
        row.status, row.supervisor, row.answered_at, row.note = status, supervisor, now, note
        session.flush()
        return _view(AdmissionView, row)

    def awaiting_admissions(
        self, session: Session, *, crossing_point: str | None = None, limit: int = 200
    ) -> list[tuple[AdmissionView, QueueEntry]]:
        """Admissions awaiting a supervisor, newest first, at one point or all."""
        query = (
            select(AdmissionRequest, Inspection)
            .join(Inspection, Inspection.id == AdmissionRequest.inspection_id)
            .where(AdmissionRequest.status == "awaiting")
            .order_by(AdmissionRequest.requested_at.desc(), AdmissionRequest.id.desc())
            .limit(limit)
        )
        if crossing_point:
            query = query.where(Inspection.crossing_point == crossing_point)
        return [
            (_view(AdmissionView, admission), queue_entry(inspection))
            for admission, inspection in session.execute(query)
        ]

    # -- the second-line queue ----------------------------------------------------------

    def refer(
        self,
        session: Session,
        inspection_id: str,
        *,
        crossing_point: str,
        reason_code: str,
        by: str,
        now: datetime,
    ) -> ReferralView:
        """Put the inspection's traveller in the second-line queue of ``crossing_point``."""
        if session.get(SecondLineReferral, inspection_id) is not None:
            raise InvalidInput("action", f"inspection {inspection_id} is already referred")
        row = SecondLineReferral(
            inspection_id=inspection_id,
            crossing_point=crossing_point,
            reason_code=reason_code,
            referred_by=by,
            referred_at=now,
        )
        session.add(row)
        session.flush()
        return _view(ReferralView, row)

    def referral(
        self, session: Session, inspection_id: str, *, lock: bool = False
    ) -> ReferralView | None:
        """The inspection's referral to second line, if it was referred."""
        row = session.get(SecondLineReferral, inspection_id, with_for_update=lock)
        return _view(ReferralView, row) if row is not None else None

    def record_outcome(
        self,
        session: Session,
        inspection_id: str,
        *,
        outcome: str,
        by: str,
        now: datetime,
        notes: str | None,
        handed_to: str | None,
        crossing_id: int | None,
    ) -> ReferralView:
        """Write the outcome of a referral, once (the caller checked it is one awaited)."""
        row = session.get(SecondLineReferral, inspection_id, with_for_update=True)
        if row is None:
            raise InvalidInput("outcome", f"inspection {inspection_id} was not referred")
        if row.outcome is not None:
            raise InvalidInput(
                "outcome", f"inspection {inspection_id} already has an outcome: {row.outcome}"
            )
        row.outcome, row.outcome_by, row.outcome_at = outcome, by, now
        row.notes, row.handed_to, row.crossing_id = notes, handed_to, crossing_id
        session.flush()
        return _view(ReferralView, row)

    def queue(
        self, session: Session, *, crossing_point: str | None = None, limit: int = 200
    ) -> list[tuple[ReferralView, QueueEntry]]:
        """Referrals without an outcome, newest first, at one point or all."""
        query = (
            select(SecondLineReferral, Inspection)
            .join(Inspection, Inspection.id == SecondLineReferral.inspection_id)
            .where(SecondLineReferral.outcome.is_(None))
            .order_by(SecondLineReferral.referred_at.desc(), Inspection.id)
            .limit(limit)
        )
        if crossing_point:
            query = query.where(SecondLineReferral.crossing_point == crossing_point)
        return [
            (_view(ReferralView, referral), queue_entry(inspection))
            for referral, inspection in session.execute(query)
        ]
