"""Printed notices: the refusal notice and the seizure receipt, rendered by the node as PDF.

Both faces (the officers' pages and the API) print the same documents: an HTML
template (``http/printed/*.html``, inline CSS only) rendered by WeasyPrint on
A4, in the officer's language (the catalogue's ``language``) and the
traveller's, Arabic right to left, in DejaVu Sans (Debian's ``fonts-dejavu``).
Nothing is fetched while rendering: the URL fetcher refuses every address, so a
notice never depends on (or leaks to) the network.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.responses import Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from PIL import ImageFile

from passerelle.records.notices import RefusalNotice, SeizureReceipt, TravellerFacts

__all__ = [
    "PDF_MEDIA_TYPE",
    "WORDS",
    "pdf_response",
    "refusal_notice_pdf",
    "seizure_receipt_pdf",
]

PDF_MEDIA_TYPE = "application/pdf"
RIGHT_TO_LEFT = frozenset({"ar", "fa", "he", "ur"})

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "refusal_entry": "Refusal of entry",
        "refusal_exit": "Refusal of exit",
        "refusal_says_entry": "You are refused entry at this border for the reason(s) below.",
        "refusal_says_exit": "You are refused exit at this border for the reason(s) below.",
        "receipt": "Seizure receipt",
        "receipt_says": "The items below were seized from you at this border.",
        "name": "Name",
        "birth_date": "Date of birth",
        "nationality": "Nationality",
        "document": "Travel document",
        "crossing_point": "Crossing point",
        "at": "Date and time",
        "reasons": "Reasons",
        "legal_basis": "Legal basis",
        "seized": "Seized",
        "why": "Why",
        "alert": "Alert",
        "officer": "Officer",
        "inspection": "Inspection",
        "traveller_signature": "Traveller's signature",
        "officer_signature": "Officer's signature",
        "received": "I have received a copy of this document.",
    },
    "fr": {
        "refusal_entry": "Refus d'entrée",
        "refusal_exit": "Refus de sortie",
        "refusal_says_entry": "L'entrée vous est refusée à cette frontière pour le(s) motif(s) "
        "ci-dessous.",
        "refusal_says_exit": "La sortie vous est refusée à cette frontière pour le(s) motif(s) "
        "ci-dessous.",
        "receipt": "Récépissé de saisie",
        "receipt_says": "Les objets ci-dessous vous ont été saisis à cette frontière.",
        "name": "Nom",
        "birth_date": "Date de naissance",
        "nationality": "Nationalité",
        "document": "Document de voyage",
        "crossing_point": "Point de passage",
        "at": "Date et heure",
        "reasons": "Motifs",
        "legal_basis": "Base légale",
        "seized": "Saisi",
        "why": "Motif",
        "alert": "Signalement",
        "officer": "Agent",
        "inspection": "Contrôle",
        "traveller_signature": "Signature du voyageur",
        "officer_signature": "Signature de l'agent",
        "received": "J'ai reçu une copie de ce document.",
    },
    "ar": {
        "refusal_entry": "رفض الدخول",
        "refusal_exit": "رفض الخروج",
        "refusal_says_entry": "رُفض دخولك عند هذه الحدود للسبب أو الأسباب المبينة أدناه.",
        "refusal_says_exit": "رُفض خروجك عند هذه الحدود للسبب أو الأسباب المبينة أدناه.",
        "receipt": "وصل الحجز",
        "receipt_says": "حُجزت منك الأشياء المبينة أدناه عند هذه الحدود.",
        "name": "الاسم",
        "birth_date": "تاريخ الازدياد",
        "nationality": "الجنسية",
        "document": "وثيقة السفر",
        "crossing_point": "نقطة العبور",
        "at": "التاريخ والساعة",
        "reasons": "الأسباب",
        "legal_basis": "الأساس القانوني",
        "seized": "المحجوز",
        "why": "السبب",
        "alert": "التبليغ",
        "officer": "الموظف",
        "inspection": "المراقبة",
        "traveller_signature": "توقيع المسافر",
        "officer_signature": "توقيع الموظف",
        "received": "تسلمت نسخة من هذه الوثيقة.",
    },
}
"""The notices' fixed words by language; a language missing here is printed in English."""

_environment = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "printed"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def _words(language: str) -> dict[str, str]:
    return WORDS.get(language, WORDS["en"])


def _refuse_fetching(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"a printed notice fetches nothing (asked for {url[:80]!r})")


def _render(template: str, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML  # imported when printing: a heavy library, loaded once

    # weasyprint sets this process-wide on import; the face check must not read a damaged
    # photo as whole (a printed notice loads no image: it fetches nothing).
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    html = _environment.get_template(template).render(context)
    pdf = HTML(string=html, url_fetcher=_refuse_fetching).write_pdf()
    assert pdf is not None  # write_pdf without a target returns the bytes
    return bytes(pdf)


def _languages(officer: str, traveller: str) -> list[dict[str, Any]]:
    """The languages the notice is printed in: the officer's, then the traveller's."""
    chosen = [officer] if officer == traveller else [officer, traveller]
    return [{"code": code, "words": _words(code), "rtl": code in RIGHT_TO_LEFT} for code in chosen]


def _traveller(traveller: TravellerFacts) -> dict[str, str]:
    document = " ".join(
        part
        for part in (traveller.document_type, traveller.document_state, traveller.document_number)
        if part
    )
    return {
        "name": traveller.name,
        "birth_date": traveller.birth_date or "—",
        "nationality": traveller.nationality or "—",
        "document": document or "—",
        "crossing_point": traveller.crossing_point,
        "at": traveller.at.strftime("%Y-%m-%d %H:%M UTC"),
        "inspection": traveller.inspection_id,
    }


def refusal_notice_pdf(notice: RefusalNotice, *, authority: str, crossing_point: str) -> bytes:
    """The refusal notice as an A4 PDF; ``authority`` heads it (the node's state code),
    ``crossing_point`` is the point's name as the catalogue gives it."""
    facts = _traveller(notice.traveller) | {"crossing_point": crossing_point}
    return _render(
        "refusal_notice.html",
        {
            "authority": authority,
            "direction": notice.traveller.direction,
            "languages": _languages(notice.officer_language, notice.traveller_language),
            "facts": facts,
            "reasons": notice.reasons,
            "officer": notice.officer,
            "decided_at": notice.decided_at.strftime("%Y-%m-%d %H:%M UTC"),
        },
    )


def seizure_receipt_pdf(receipt: SeizureReceipt, *, authority: str, crossing_point: str) -> bytes:
    """The seizure receipt as an A4 PDF."""
    facts = _traveller(receipt.traveller) | {"crossing_point": crossing_point}
    seizure = receipt.seizure
    return _render(
        "seizure_receipt.html",
        {
            "authority": authority,
            "languages": _languages(receipt.officer_language, receipt.traveller_language),
            "facts": facts,
            "seizure": seizure,
            "number": seizure.number,
            "officer": seizure.officer,
            "decided_at": seizure.at.strftime("%Y-%m-%d %H:%M UTC"),
        },
    )


def pdf_response(pdf: bytes, filename: str) -> Response:
    """A PDF to download, never cached (it names a traveller)."""
    return Response(
        pdf,
        media_type=PDF_MEDIA_TYPE,
        headers={
            "content-disposition": f'attachment; filename="{filename}"',
            "cache-control": "no-store",
        },
    )
