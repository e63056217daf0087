"""``/admin/catalogue``: the node's crossing points and decision reasons, from its page.

Shows the catalogue file (``passerelle.records.catalogues``): its crossing points and the
decision reasons by action, each label in the reader's language
(:func:`~passerelle.records.catalogues.label_for_reader`). The crossing points are edited
row by row, the ``decision_reasons`` section as the file's JSON (labels by language
included). Saving checks the whole file as the node's start checks it and writes it
(``wiring.catalogues.save_catalogues``, audited ``catalogue.save``); a refusal names the
field (``crossing_points[1].code``). The saved catalogue is kept in the node's database and
applies on every host of the node within a second (``wiring.catalogues.CatalogueBook``);
services given a fixed catalogue keep it, and the page then says the change waits for a
restart.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from passerelle.access import SessionView
from passerelle.exc import InvalidInput
from passerelle.http.deps import ServicesDep
from passerelle.i18n import N_, current_language
from passerelle.records.catalogues import (
    Catalogues,
    InvalidCatalogue,
    catalogues_json,
    label_for_reader,
)
from passerelle.web.admin.forms import NOTHING_YET, CsrfField, ManageNode, Outcome, done, refused
from passerelle.web.rendering import page
from passerelle.wiring.catalogues import save_catalogues, saved_catalogues

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

ACTIONS = {"admit": N_("Admit"), "refer": N_("Refer"), "refuse": N_("Refuse")}
EMPTY_ROWS = 3
"""Empty crossing-point rows offered for new points."""


def _document(catalogues: Catalogues) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(catalogues_json(catalogues))
    return document


def show(
    request: Request,
    session: SessionView,
    services: ServicesDep,
    outcome: Outcome = NOTHING_YET,
    *,
    reasons_text: str | None = None,
) -> HTMLResponse:
    """The catalogue page, with what the last form did."""
    saved = saved_catalogues(services.node)
    reader = current_language()
    directions = [("entry", saved.reasons)]
    if saved.exit_reasons is not None:
        directions.append(("exit", saved.exit_reasons))
    shown = [
        (
            direction,
            [
                (group.action, label_for_reader(group, reader),
                 [(r.code, label_for_reader(r, reader)) for r in group.reasons])
                for group in reasons.groups
            ],
        )
        for direction, reasons in directions
    ]  # fmt: skip
    document = _document(saved)
    context = {
        "catalogue": saved,
        "file": str(services.node.settings.effective_catalogues_file),
        "pending": catalogues_json(saved) != catalogues_json(services.catalogues),
        "directions": shown,
        "empty_rows": EMPTY_ROWS,
        "reasons_text": reasons_text
        if reasons_text is not None
        else json.dumps(document["decision_reasons"], ensure_ascii=False, indent=2),
        "outcome": outcome,
    }
    return page(
        request, "admin/catalogue.html", context, session=session, status_code=outcome.status
    )


def _save(
    request: Request,
    session: SessionView,
    services: ServicesDep,
    document: dict[str, Any],
    said: str,
    *,
    reasons_text: str | None = None,
) -> HTMLResponse:
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    try:
        save_catalogues(services.node, text, by=session.actor)
        if services.catalogue_book is not None:
            services.catalogue_book.refresh()  # this host applies it at once
    except InvalidCatalogue as exc:
        outcome = refused(InvalidInput(exc.field, exc.reason))
        return show(request, session, services, outcome, reasons_text=reasons_text)
    return show(request, session, services, done(said))


@router.get("/admin/catalogue", response_class=HTMLResponse)
def catalogue_page(request: Request, session: ManageNode, services: ServicesDep) -> HTMLResponse:
    return show(request, session, services)


@router.post("/admin/catalogue/points", response_class=HTMLResponse)
def save_points(
    request: Request,
    session: ManageNode,
    services: ServicesDep,
    csrf_token: CsrfField,
    code: Annotated[list[str] | None, Form(max_length=100)] = None,
    name: Annotated[list[str] | None, Form(max_length=200)] = None,
) -> HTMLResponse:
    """Replace the crossing points (a row without a code is left out)."""
    session.check_csrf(csrf_token)
    codes, names = code or [], name or []
    names += [""] * (len(codes) - len(names))
    points = [
        {"code": c.strip(), "name": n.strip()} if n.strip() else {"code": c.strip()}
        for c, n in zip(codes, names, strict=False)
        if c.strip()
    ]
    document = _document(saved_catalogues(services.node))
    document["crossing_points"] = points
    return _save(request, session, services, document, N_("The crossing points are saved."))


@router.post("/admin/catalogue/reasons", response_class=HTMLResponse)
def save_reasons(
    request: Request,
    session: ManageNode,
    services: ServicesDep,
    csrf_token: CsrfField,
    reasons: Annotated[str, Form(max_length=200_000)],
) -> HTMLResponse:
    """Replace the ``decision_reasons`` section with the JSON given."""
    session.check_csrf(csrf_token)
    try:
        section = json.loads(reasons)
    except json.JSONDecodeError as exc:
        problem = InvalidInput(
            "decision_reasons", f"is not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        )
        return show(request, session, services, refused(problem), reasons_text=reasons)
    document = _document(saved_catalogues(services.node))
    document["decision_reasons"] = section
    return _save(
        request,
        session,
        services,
        document,
        N_("The decision reasons are saved."),
        reasons_text=reasons,
    )
