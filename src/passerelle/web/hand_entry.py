"""The booth's hand entry: the visual zone typed when no MRZ can be read, and the stay
exemption the officer states, as the check form sends them (``vz_<field>``,
``stay_exemption``)."""

from __future__ import annotations

from fastapi import Request

from passerelle.documents import TypedDocument, typed_document
from passerelle.documents.typed import VISUAL_ZONE_FIELDS
from passerelle.i18n import N_
from passerelle.records.stay_rule import StayRuleScope

__all__ = ["HAND_ENTRY_LABELS", "form_fields", "stated_exemption", "visual_zone"]

HAND_ENTRY_LABELS: tuple[tuple[str, str, str], ...] = (
    ("document_code", N_("Document type"), N_("P, PD, I… as printed")),
    ("issuing_state", N_("Issuing state"), N_("ICAO code: MAR, FRA, D…")),
    ("document_number", N_("Document number"), ""),
    ("surname", N_("Surname"), ""),
    ("given_names", N_("Given names"), ""),
    ("birth_date", N_("Date of birth"), N_("YYYY-MM-DD")),
    ("nationality", N_("Nationality"), N_("ICAO code")),
    ("sex", N_("Sex"), N_("M, F or X")),
    ("expiry_date", N_("Date of expiry"), N_("YYYY-MM-DD")),
)
"""The fields of the hand-entry form: name, label, hint (in ``VISUAL_ZONE_FIELDS``' order),
marked for the catalogues; the form translates them."""
assert tuple(name for name, _, _ in HAND_ENTRY_LABELS) == VISUAL_ZONE_FIELDS


_MAX_FIELD = 100


async def form_fields(request: Request) -> dict[str, str]:
    """The typed fields the check form sent (``vz_surname``…), trimmed; empty when not typed."""
    form = await request.form()
    fields: dict[str, str] = {}
    for name in VISUAL_ZONE_FIELDS:
        value = form.get(f"vz_{name}")
        fields[name] = value.strip()[:_MAX_FIELD] if isinstance(value, str) else ""
    return fields


def visual_zone(fields: dict[str, str]) -> TypedDocument | None:
    """The typed document (None when no field was typed); ``InvalidInput`` naming
    ``visual_zone.<field>`` for a bad one."""
    if not any(fields.values()):
        return None
    return typed_document(fields)


def stated_exemption(scope: StayRuleScope, code: str) -> str | None:
    """The stay exemption the officer stated (None: none), checked against the node's."""
    code = code.strip()
    if not code:
        return None
    return scope.category(code).code
