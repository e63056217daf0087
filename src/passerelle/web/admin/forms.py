"""What the administrators' pages share: who may open them, and a form's outcome in words.

A change done is said on the page (``done``); a refused value is said naming its field in
the reader's language and the reason (``error``), the field marked on the form
(``error_field``), answered 422.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Form

from passerelle.access import Permission, SessionView
from passerelle.exc import InvalidInput
from passerelle.i18n import N_
from passerelle.web.refusals import form_field, refusal
from passerelle.web.rendering import page_session, translate

__all__ = [
    "FIELDS",
    "NOTHING_YET",
    "ROLES",
    "CsrfField",
    "ManageNode",
    "ManageUsers",
    "Outcome",
    "done",
    "refused",
]

ManageUsers = Annotated[SessionView, Depends(page_session(Permission.MANAGE_USERS))]
ManageNode = Annotated[SessionView, Depends(page_session(Permission.MANAGE_NODE))]
CsrfField = Annotated[str, Form()]

ROLES = {
    "officer": N_("Officer"),
    "supervisor": N_("Supervisor"),
    "analyst": N_("Analyst"),
    "admin": N_("Administrator"),
    "auditor": N_("Auditor"),
    "partner": N_("Partner node"),
}
"""The roles by code, as the pages name them."""

FIELDS = {
    "name": N_("User name"),
    "role": N_("Role"),
    "password": N_("Password"),
    "crossing_point": N_("Crossing point"),
    "booth": N_("Booth"),
    "address": N_("Address"),
    "days": N_("Days valid"),
    "label": N_("Label"),
    "id": N_("Token"),
    "state": N_("State code"),
    "url": N_("URL"),
    "key": N_("Key line"),
    "public_key": N_("Key line"),
    "inbound_kinds": N_("Queries it may ask"),
    "outbound_kinds": N_("Queries this node sends it"),
    "alert_categories": N_("Alert categories"),
    "follow_up_hours": N_("Hours to answer a follow-up"),
    "crossing_points": N_("Crossing points"),
    "decision_reasons": N_("Decision reasons"),
}
"""The forms' fields by the name an ``InvalidInput`` gives, as the pages name them."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a form did: done (``done``), or refused (``error`` naming ``error_field``)."""

    done: str | None = None
    error: str | None = None
    error_field: str | None = None
    status: int = 200


NOTHING_YET = Outcome()
"""A page opened, no form sent."""


def done(text: str, **parameters: object) -> Outcome:
    """A change done, said in the reader's language (``text`` marked ``N_`` where defined)."""
    return Outcome(done=translate(text, **parameters))


def refused(exc: InvalidInput) -> Outcome:
    """A refused value: its field in the reader's language, then the reason (``refusal``)."""
    return Outcome(error=refusal(exc, FIELDS), error_field=form_field(exc), status=422)
