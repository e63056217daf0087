"""Small worlds for the networks' tests: crossings, inspections, hits and cases as rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import count

from sqlalchemy.orm import Session

from passerelle.store.tables import Case, CaseReview, Crossing, HitReview, Inspection

__all__ = ["DAY", "SmallWorld", "at"]

DAY = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
"""A Monday morning, the first day of the small worlds."""


def at(day: int, minute: int = 0) -> datetime:
    """``day`` days after :data:`DAY`, ``minute`` minutes past 08:00 UTC."""
    return DAY + timedelta(days=day, minutes=minute)


@dataclass
class SmallWorld:
    """Adds rows in one session; documents are ``MAR:Pnnn``."""

    session: Session
    numbers: count[int] = field(default_factory=lambda: count(1))

    def crossing(self, doc: str, when: datetime, point: str = "NDR-BNI", way: str = "exit") -> int:
        row = Crossing(
            issuing_state="MAR",
            document_number=doc,
            nationality="MAR",
            crossing_point=point,
            direction=way,
            at=when,
            officer="officer.ziani",
            recorded_at=when,
        )
        self.session.add(row)
        self.session.flush()
        return int(row.id)

    def inspection(
        self,
        doc: str,
        when: datetime,
        *,
        point: str = "NDR-BNI",
        way: str = "exit",
        holder: tuple[str, str, str] | None = None,
        vehicle_plate: str | None = None,
        party_reference: str | None = None,
        address: str | None = None,
        phone: str | None = None,
    ) -> str:
        number = next(self.numbers)
        surname, given, born = holder or (f"HOLDER{doc}", "ANY", "1980-01-01")
        inspection_id = f"INS{number:06d}"
        self.session.add(
            Inspection(
                id=inspection_id,
                at=when,
                recorded_at=when,
                officer="officer.ziani",
                crossing_point=point,
                direction=way,
                purpose="routine",
                issuing_state="MAR",
                document_number=doc,
                nationality="MAR",
                decision="clear",
                result={"document": {"surname": surname, "given_names": given, "birth_date": born}},
                vehicle_plate=vehicle_plate,
                party_reference=party_reference,
                address=address,
                phone=phone,
            )
        )
        self.session.flush()
        return inspection_id

    def hit(self, doc: str, when: datetime, *, source: str, reference: str) -> int:
        inspection_id = self.inspection(doc, when)
        review = HitReview(
            inspection_id=inspection_id,
            source=source,
            reference=reference,
            status="pending",
            created_at=when,
            traveller_key=f"doc:MAR:{doc}",
        )
        self.session.add(review)
        self.session.flush()
        return int(review.id)

    def case(self, case_id: str, reviews: list[int], when: datetime) -> None:
        year, number = int(case_id.split("-")[1]), int(case_id.split("-")[2])
        self.session.add(
            Case(
                id=case_id,
                year=year,
                number=number,
                title="ring",
                status="open",
                opened_by="analyst",
                opened_at=when,
            )
        )
        self.session.flush()
        for review in reviews:
            self.session.add(
                CaseReview(review_id=review, case_id=case_id, linked_by="analyst", linked_at=when)
            )
        self.session.flush()
