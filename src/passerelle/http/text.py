"""Every text a page's form or a query string brings is checked before any handler runs
(:mod:`passerelle.records.text`): no control characters, and nothing invisible in a name,
refused with 422 naming the field. Request bodies of the API are checked by their models
(:class:`passerelle.api.models.text.PlainTextBody`)."""

from __future__ import annotations

from fastapi import Request

from passerelle.records.text import plain_name, plain_text

__all__ = ["FORM_MULTILINE_FIELDS", "FORM_NAME_FIELDS", "plain_form_text", "plain_query_text"]

FORM_MULTILINE_FIELDS = frozenset(
    {
        "note",
        "notes",
        "text",
        "resolution",
        "justification",
        "observed",
        "companions",
        "vehicle",
        "route",
        "items",
        "action",
        "mrz",
    }
)
"""The pages' free-text fields (textareas, the MRZ's lines): line breaks and tabs allowed."""
FORM_NAME_FIELDS = frozenset({"names", "surname", "given_names"})
"""The pages' fields that hold a person's names: no direction or zero-width characters."""
_UNCHECKED = frozenset({"password", "new_password", "csrf_token"})
"""Never stored as text (a password is hashed, and the password rules judge it)."""


async def plain_query_text(request: Request) -> None:
    """Refuses a query parameter holding a control character (``query.<name>``)."""
    for name, value in request.query_params.multi_items():
        plain_text(f"query.{name}", value)


async def plain_form_text(request: Request) -> None:
    """Refuses a page's form field, or query parameter, that breaks the text rules."""
    await plain_query_text(request)
    content_type = request.headers.get("content-type", "")
    if request.method != "POST" or not content_type.startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        return
    form = await request.form()
    for name, value in form.multi_items():
        if not isinstance(value, str) or name in _UNCHECKED:
            continue
        if name in FORM_NAME_FIELDS:
            plain_name(name, value)
        else:
            plain_text(name, value, multiline=name in FORM_MULTILINE_FIELDS)
