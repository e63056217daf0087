"""A refused value said on a page: the field's name and the reason in the reader's language.

The domain refuses a value with :class:`~passerelle.exc.InvalidInput` naming the field by
its code (``purpose``, ``visual_zone.birth_date``, ``subject.kind``) and saying why; a
reason given as a wording (``exc.wording``) is written from its template's translation
and its values, each value isolated, so a date or a document number keeps its order in
an Arabic sentence. A reason without a wording is shown in English, as the API says it.
The field is named from the page's own words for its fields, then the words every page
shares (:data:`FIELD_NAMES`); a field no page names is shown by its code.

The API and the command line keep the English ``field: reason``, unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping

from markupsafe import Markup

from passerelle.exc import InvalidInput
from passerelle.i18n import N_, gettext
from passerelle.web.rendering import translate
from passerelle.web.wording import written

__all__ = ["FIELD_NAMES", "form_field", "refusal", "refusal_reason", "refused_field_name"]

FIELD_NAMES: Mapping[str, str] = {
    "mrz": N_("MRZ"),
    "visual_zone": N_("Visual zone"),
    "document_code": N_("Document type"),
    "issuing_state": N_("Issuing state"),
    "document_number": N_("Document number"),
    "surname": N_("Surname"),
    "given_names": N_("Given names"),
    "birth_date": N_("Date of birth"),
    "nationality": N_("Nationality"),
    "sex": N_("Sex"),
    "expiry_date": N_("Date of expiry"),
    "purpose": N_("Purpose"),
    "crossing_point": N_("Crossing point"),
    "direction": N_("Direction"),
    "booth": N_("Booth"),
    "stay_exemption": N_("Stay exemption"),
    "document_photo": N_("Document photo"),
    "live_photo": N_("Live photo"),
    "photos": N_("Photos"),
    "reason": N_("Reason"),
    "reason_code": N_("Reason"),
    "note": N_("Note"),
    "category": N_("Category"),
    "subject": N_("Subject"),
    "kind": N_("Kind"),
    "issuing_authority": N_("Issuing authority"),
    "action": N_("Action"),
    "action_code": N_("Action"),
    "valid_until": N_("Valid until"),
    "name": N_("Name"),
    "names": N_("Names"),
    "password": N_("Password"),
    "start": N_("From"),
    "end": N_("To"),
    "line": N_("Line"),
    "file": N_("File"),
    "status": N_("Status"),
    "id": N_("Identifier"),
}
"""The fields every page may name, by the code an ``InvalidInput`` gives, marked for the
catalogues (a page's own words for its fields come first: :func:`refusal`'s ``fields``)."""


def refused_field_name(field: str, fields: Mapping[str, str] = FIELD_NAMES) -> str:
    """The name of the field coded ``field`` in the reader's language: the whole code's name,
    else its last part's (``visual_zone.birth_date``: the birth date), else its head's
    followed by the code (``inbound_kinds[2]``), else the code as given."""
    known = {**FIELD_NAMES, **fields}
    if field in known:
        return gettext(known[field])
    last = field.rsplit(".", 1)[-1].split("[", 1)[0]
    if last in known and "." in field:
        return gettext(known[last])
    head = _head(field)
    if head in known:
        return f"{gettext(known[head])} ({field})"
    return field


def refusal_reason(exc: InvalidInput) -> Markup:
    """Why ``exc`` refused the value, in the reader's language (its English reason when it
    was given without a wording), as page HTML."""
    if exc.wording is not None:
        return written(exc.wording)
    return Markup.escape(exc.reason)


def refusal(exc: InvalidInput, fields: Mapping[str, str] = FIELD_NAMES) -> Markup:
    """``exc`` as a page says it, as page HTML: ``field name: reason`` in the reader's
    language, the field named from ``fields`` (a page's own words for its fields,
    ``N_``-marked where defined) then :data:`FIELD_NAMES`.

    >>> from passerelle.i18n import use_language
    >>> from passerelle.i18n.wording import worded
    >>> with use_language("en"):
    ...     refusal(InvalidInput("purpose", worded(N_("is required: %(why)s"), why="<say>")))
    Markup('Purpose: is required: &lt;say&gt;')
    """
    return translate(
        N_("%(field)s: %(reason)s"),
        field=refused_field_name(exc.field, fields),
        reason=refusal_reason(exc),
    )


def form_field(exc: InvalidInput) -> str:
    """The form's field ``exc`` refused (its code's head: ``inbound_kinds[2]``: ``inbound_kinds``),
    to mark on the form."""
    return _head(exc.field)


def _head(field: str) -> str:
    return field.split(".", 1)[0].split("[", 1)[0]
