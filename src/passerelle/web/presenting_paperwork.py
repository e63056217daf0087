"""The verdict's paperwork part (``verdict_print.html``): the refusal notice to print, the
seizure form, the seizures recorded and their receipts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from passerelle.i18n import N_, gettext
from passerelle.records.seizures import SeizureView
from passerelle.screening import InspectionRecord
from passerelle.store.audit import Actor
from passerelle.wiring import NodeServices

__all__ = ["LANGUAGE_NAMES", "language_name", "paperwork_context", "paperwork_of"]

LANGUAGE_NAMES = {
    "ar": ("العربية", N_("Arabic")),
    "de": ("Deutsch", N_("German")),
    "en": ("English", N_("English")),
    "es": ("Español", N_("Spanish")),
    "fr": ("Français", N_("French")),
    "it": ("Italiano", N_("Italian")),
    "nl": ("Nederlands", N_("Dutch")),
    "pt": ("Português", N_("Portuguese")),
    "zgh": ("ⵜⴰⵎⴰⵣⵉⵖⵜ", N_("Tamazight")),
}
"""The languages the traveller may be given a notice in: in their own words, and in the
reader's (``العربية (Arabic)`` on an English page, ``العربية (arabe)`` on a French one)."""


def language_name(code: str) -> str:
    """Language ``code`` named in its own words and, when the reader's differ, in the
    reader's: ``Français (French)``; the code itself for a language not listed."""
    if code not in LANGUAGE_NAMES:
        return code
    own, english = LANGUAGE_NAMES[code]
    reader = gettext(english)
    return own if reader == own else f"{own} ({reader})"


def paperwork_of(
    record: InspectionRecord,
    seizures: Sequence[SeizureView],
    languages: Sequence[str],
    officer_language: str,
) -> dict[str, Any]:
    """The context of ``verdict_print.html``: ``print.refused`` (a notice to print),
    ``print.languages`` (code, name) with the officer's first, ``print.seizures``, and
    ``print.seize_first`` (the verdict asks for a seizure: the form is open and first)."""
    result = record.result
    decided = record.officer_decision
    ordered = [officer_language, *(code for code in languages if code != officer_language)]
    document = result.document
    return {
        "print": {
            "refused": decided is not None and decided.action == "refuse",
            "languages": [(code, language_name(code)) for code in ordered],
            "officer_language": officer_language,
            "seizures": [
                {
                    "number": s.number,
                    "described": s.described,
                    "reason": s.reason,
                    "alert_reference": s.alert_reference,
                    "officer": s.officer,
                    "at": s.at,
                }
                for s in seizures
            ],
            "seize_first": result.action == "seize",
            "document": " ".join(
                str(document.get(key))
                for key in ("document_code", "issuing_state", "document_number")
                if document.get(key)
            ),
            "alert_reference": next(iter(result.matches.alerts or result.matches.sltd), ""),
        }
    }


def paperwork_context(
    record: InspectionRecord, services: NodeServices, actor: Actor
) -> dict[str, Any]:
    """:func:`paperwork_of` for the officer ``actor`` with the node's services."""
    seizures = services.seizures.of_inspection(actor, record.result.inspection_id)
    catalogues = services.catalogues
    return paperwork_of(record, seizures, catalogues.languages, catalogues.language)
