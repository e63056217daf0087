"""The facts of the notices the node prints for a traveller, each printing audited.

* ``refusal_notice``: for an inspection decided ``refuse``, the traveller, the
  crossing, the reason with its label in the officer's language (the
  catalogue's ``language``) and in the traveller's, its legal basis, the officer
  (``inspection.refusal_notice``); :class:`NotRefused` (409) otherwise.
* ``seizure_receipt``: for a seizure recorded on an inspection
  (``inspection.seizure_receipt``).

The faces render them as PDF (``passerelle.http.printing``).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from passerelle.access import Permission
from passerelle.access.scope import scoped_inspection
from passerelle.exc import InvalidInput
from passerelle.node import Node
from passerelle.records.catalogues import Catalogues
from passerelle.records.inspections import InspectionView
from passerelle.records.notices import (
    NoticeReason,
    NotRefused,
    RefusalNotice,
    SeizureReceipt,
    TravellerFacts,
)
from passerelle.screening import Inspector
from passerelle.services.lookups import Lookup, audited_lookup
from passerelle.store.audit import Actor
from passerelle.store.seizures import SeizureRepository

__all__ = ["REFUSAL_NOTICE_ACTION", "SEIZURE_RECEIPT_ACTION", "NoticeDesk"]

REFUSAL_NOTICE_ACTION = "inspection.refusal_notice"
SEIZURE_RECEIPT_ACTION = "inspection.seizure_receipt"
PRINTED = "printed for the traveller"
"""The purpose recorded for every printing."""


def _text(document: dict[str, Any], key: str) -> str:
    value = document.get(key)
    return str(value) if value not in (None, "") else ""


def traveller_facts(view: InspectionView) -> TravellerFacts:
    """The traveller and the crossing, as the inspection read them."""
    document: dict[str, Any] = dict(view.result.get("document", {}))
    return TravellerFacts(
        inspection_id=view.id,
        surname=_text(document, "surname"),
        given_names=_text(document, "given_names"),
        birth_date=_text(document, "birth_date"),
        nationality=view.nationality or _text(document, "nationality"),
        document_type=_text(document, "document_code"),
        document_state=view.issuing_state or "",
        document_number=view.document_number or "",
        crossing_point=view.crossing_point,
        direction=view.direction,
        at=view.at,
    )


class NoticeDesk:
    """Gathers what a refusal notice or a seizure receipt says, and audits each printing."""

    def __init__(
        self,
        node: Node,
        inspector: Inspector,
        catalogues: Catalogues | Callable[[], Catalogues],
    ) -> None:
        """``catalogues``: the catalogue, or what gives the one in force at each call."""
        self.node = node
        self.inspector = inspector
        self._catalogues = catalogues
        self.seizures = SeizureRepository()

    @property
    def catalogues(self) -> Catalogues:
        """The catalogue in force now."""
        given = self._catalogues
        return given if isinstance(given, Catalogues) else given()

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages a notice can be printed in for the traveller."""
        return self.catalogues.languages

    def _language(self, given: str | None) -> str:
        language = (given or "").strip().lower() or self.catalogues.language
        if language not in self.languages:
            raise InvalidInput(
                "language", f"{language!r} is not one of {', '.join(self.languages)}"
            )
        return language

    def refusal_notice(
        self, actor: Actor, inspection_id: str, traveller_language: str | None = None
    ) -> RefusalNotice:
        """The refusal notice of an inspection decided ``refuse`` (audited, printed or not:
        ``not_found`` for an unknown inspection, ``invalid`` for one not refused)."""
        language = self._language(traveller_language)
        with (
            self._lookup(actor, REFUSAL_NOTICE_ACTION, inspection_id, language) as lookup,
            self.node.database.write() as session,
        ):
            view = scoped_inspection(
                self.node, session, self.inspector.repository, actor, inspection_id
            )
            if view.action != "refuse" or not view.reason_code or view.decided_at is None:
                decided = view.action or "not decided yet"
                raise NotRefused(
                    "action",
                    f"inspection {inspection_id} was not refused ({decided}): "
                    "a refusal notice is printed only for a refusal",
                )
            reason = self._reason(view.reason_code, view.direction, language)
            notice = RefusalNotice(
                traveller=traveller_facts(view),
                reasons=(reason,),
                officer=view.decided_by or view.officer,
                decided_at=view.decided_at,
                officer_language=self.catalogues.language,
                traveller_language=language,
            )
            lookup.found(session, {"reason_code": view.reason_code})
        return notice

    def _reason(self, code: str, direction: str, language: str) -> NoticeReason:
        reason = self.catalogues.reasons_for(direction).reason(code)
        if reason is None:  # the catalogue changed since the decision: the code is all there is
            return NoticeReason(code, code, code, "")
        return NoticeReason(
            code,
            reason.label_in(self.catalogues.language),
            reason.label_in(language),
            reason.legal_basis,
        )

    def seizure_receipt(
        self, actor: Actor, inspection_id: str, number: int, traveller_language: str | None = None
    ) -> SeizureReceipt:
        """The receipt of seizure ``number`` of the inspection (audited, printed or not)."""
        language = self._language(traveller_language)
        with (
            self._lookup(
                actor, SEIZURE_RECEIPT_ACTION, inspection_id, language, number=number
            ) as lookup,
            self.node.database.write() as session,
        ):
            view = scoped_inspection(
                self.node, session, self.inspector.repository, actor, inspection_id
            )
            seizure = self.seizures.get(session, inspection_id, number)
            lookup.found(session, {"number": number})
        return SeizureReceipt(traveller_facts(view), seizure, self.catalogues.language, language)

    def _lookup(
        self, actor: Actor, action: str, inspection_id: str, language: str, **asked: Any
    ) -> AbstractContextManager[Lookup]:
        """The printing's audited look-up (``services.lookups``): recorded whatever it finds."""
        return audited_lookup(
            self.node,
            actor,
            action,
            permissions=(Permission.INSPECT,),
            purpose=PRINTED,
            query={"inspection": inspection_id, "language": language, **asked},
        )
