"""The seizures recorded on inspections (table ``seizures``, migration 0012).

Each seizure of an inspection gets the next number (1, 2...); the document's
issuing state, number and type are copied from the inspection when the
document itself is seized. Audited by the caller (``inspection.seizure``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from passerelle.records.inspections import UnknownInspection
from passerelle.records.seizures import SeizureDraft, SeizureView, UnknownSeizure
from passerelle.store.tables import Inspection, Seizure

__all__ = ["SeizureRepository"]


def _view(row: Seizure) -> SeizureView:
    return SeizureView(
        inspection_id=row.inspection_id,
        number=row.number,
        document=row.document,
        document_state=row.document_state,
        document_number=row.document_number,
        document_type=row.document_type,
        items=row.items,
        reason=row.reason,
        alert_reference=row.alert_reference,
        officer=row.officer,
        at=row.at,
    )


class SeizureRepository:
    """Adds and reads the seizures of inspections."""

    def add(
        self,
        session: Session,
        inspection_id: str,
        draft: SeizureDraft,
        *,
        document_type: str | None,
        officer: str,
        now: datetime,
    ) -> SeizureView:
        """Record ``draft`` on the inspection with the next number (the inspection's row is
        locked so that two seizures at once get two numbers)."""
        inspection = session.get(Inspection, inspection_id, with_for_update=True)
        if inspection is None:
            raise UnknownInspection(inspection_id)
        last = session.scalar(
            select(func.max(Seizure.number)).where(Seizure.inspection_id == inspection_id)
        )
        row = Seizure(
            inspection_id=inspection_id,
            number=(last or 0) + 1,
            document=draft.document,
            document_state=inspection.issuing_state if draft.document else None,
            document_number=inspection.document_number if draft.document else None,
            document_type=(document_type or "")[:2] or None if draft.document else None,
            items=draft.items,
            reason=draft.reason,
            alert_reference=draft.alert_reference,
            officer=officer,
            at=now,
        )
        session.add(row)
        session.flush()
        return _view(row)

    def of_inspection(self, session: Session, inspection_id: str) -> list[SeizureView]:
        """The inspection's seizures, by number."""
        rows = session.scalars(
            select(Seizure).where(Seizure.inspection_id == inspection_id).order_by(Seizure.number)
        )
        return [_view(row) for row in rows]

    def get(self, session: Session, inspection_id: str, number: int) -> SeizureView:
        """Seizure ``number`` of the inspection; :class:`UnknownSeizure` when there is none."""
        row = session.scalars(
            select(Seizure).where(Seizure.inspection_id == inspection_id, Seizure.number == number)
        ).first()
        if row is None:
            raise UnknownSeizure("number", f"inspection {inspection_id} has no seizure {number}")
        return _view(row)
