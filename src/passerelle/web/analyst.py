"""Analysts' pages: ``/review`` (the hit queue), ``/alerts`` (issue, withdraw), ``/search``.

The review page of an inspection (``/review/inspection/{id}``) also shows each
hit's notes thread and case, with forms to add a note and to open a case
(``/cases``, :mod:`passerelle.web.cases`).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from passerelle.access import Permission, SessionView
from passerelle.exc import InvalidInput
from passerelle.http.deps import ServicesDep
from passerelle.names import DEFAULT_THRESHOLD, NameQuery
from passerelle.records.alerts import parse_alert
from passerelle.store.cases import CaseRepository
from passerelle.store.sltd import SltdRegistry
from passerelle.web.presenting import present
from passerelle.web.rendering import page, page_session

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

Reviewer = Annotated[SessionView, Depends(page_session(Permission.REVIEW_HITS))]
AlertManager = Annotated[SessionView, Depends(page_session(Permission.MANAGE_ALERTS))]
Searcher = Annotated[SessionView, Depends(page_session(Permission.SEARCH_WATCHLIST))]
CsrfField = Annotated[str, Form()]


@router.get("/review", response_class=HTMLResponse)
def review_queue(request: Request, session: Reviewer, services: ServicesDep) -> HTMLResponse:
    repository = services.inspector.repository
    with services.node.database.read() as db:
        pending = repository.pending(db, limit=200)
        counts = repository.false_positive_counts(
            db, [r.reference for r in pending if r.source == "watchlist"]
        )
    rows = [
        {
            "review": r,
            "false_positives": counts.get(r.reference, 0) if r.source == "watchlist" else None,
        }
        for r in pending
    ]
    return page(request, "review.html", {"rows": rows}, session=session)


@router.get("/review/inspection/{inspection_id}", response_class=HTMLResponse)
def reviewed_inspection(
    request: Request, inspection_id: str, session: Reviewer, services: ServicesDep
) -> HTMLResponse:
    """The inspection behind a hit, as the officer saw it (read-only), with each hit's notes
    and case and the forms to add notes and open a case; audited."""
    record = services.inspector.get(inspection_id)
    node = services.node
    cases = CaseRepository(node.audit)
    with node.database.write() as db:
        node.audit.record(
            db,
            actor=session.actor,
            action="inspection.read",
            at=node.clock(),
            query={"inspection": inspection_id},
            result={"decision": record.result.decision},
        )
        threads = cases.threads_of(db, inspection_id)
        open_cases = cases.cases(db, status="open", limit=100)
    context = {**present(record), "readonly": True, "threads": threads, "open_cases": open_cases}
    return page(request, "case_inspection.html", context, session=session)


@router.post("/review/{review_id}/notes")
def note_hit(
    review_id: int,
    session: Reviewer,
    services: ServicesDep,
    csrf_token: CsrfField,
    text: Annotated[str, Form(max_length=2000)] = "",
) -> RedirectResponse:
    """Add a note to a hit's thread (pending or decided); back to its inspection."""
    session.check_csrf(csrf_token)
    node = services.node
    cases = CaseRepository(node.audit)
    with node.database.write() as db:
        cases.note_review(db, review_id, text, by=session.actor, now=node.clock())
        inspection_id = cases.thread(db, review_id).review.inspection_id
    return RedirectResponse(
        f"/review/inspection/{inspection_id}#review-{review_id}", status_code=303
    )


@router.post("/review/{review_id}")
def review_hit(
    review_id: int,
    session: Reviewer,
    services: ServicesDep,
    csrf_token: CsrfField,
    verdict: Annotated[str, Form()],
    note: Annotated[str, Form(max_length=2000)] = "",
) -> RedirectResponse:
    session.check_csrf(csrf_token)
    repository = services.inspector.repository
    node = services.node
    with node.database.write() as db:
        if verdict == "confirm":
            repository.confirm(db, review_id, by=session.actor, note=note or None, now=node.clock())
        elif verdict == "dismiss":
            repository.dismiss(db, review_id, by=session.actor, note=note, now=node.clock())
        else:
            raise InvalidInput("verdict", "must be confirm or dismiss")
    return RedirectResponse("/review", status_code=303)


@router.get("/alerts", response_class=HTMLResponse)
def alerts_page(
    request: Request, session: AlertManager, services: ServicesDep, error: str | None = None
) -> HTMLResponse:
    node = services.node
    with node.database.write() as db:
        alerts = services.alerts.list(db, None)
        node.audit.record(
            db,
            actor=session.actor,
            action="alert.search",
            purpose="alert management",
            at=node.clock(),
            query={"page": "alerts"},
            result={"ids": [a.id for a in alerts]},
        )
    alerts = sorted(alerts, key=lambda a: (a.status != "active", a.status != "hit", a.id))
    return page(request, "alerts.html", {"alerts": alerts, "error": error}, session=session)


@router.post("/alerts", response_model=None)
def issue_alert(
    request: Request,
    session: AlertManager,
    services: ServicesDep,
    csrf_token: CsrfField,
    kind: Annotated[str, Form()],
    category: Annotated[str, Form()],
    issuing_authority: Annotated[str, Form(max_length=200)],
    action: Annotated[str, Form(max_length=500)],
    names: Annotated[str, Form(max_length=500)] = "",
    birth_date: Annotated[str, Form(max_length=10)] = "",
    issuing_state: Annotated[str, Form(max_length=3)] = "",
    document_number: Annotated[str, Form(max_length=24)] = "",
    valid_until: Annotated[str, Form(max_length=10)] = "",
) -> HTMLResponse | RedirectResponse:
    session.check_csrf(csrf_token)
    subject: dict[str, Any]
    if kind == "person":
        subject = {
            "kind": "person",
            "names": [n.strip() for n in names.split(";") if n.strip()],
            "birth_date": birth_date or None,
        }
    else:
        subject = {
            "kind": "document",
            "issuing_state": issuing_state,
            "document_number": document_number,
        }
    record = {
        "category": category,
        "subject": subject,
        "issuing_authority": issuing_authority,
        "action": action,
        "valid_until": valid_until or None,
    }
    node = services.node
    try:
        draft = parse_alert(record)
        with node.database.write() as db:
            services.alerts.issue(db, draft, actor=session.actor, now=node.clock())
    except InvalidInput as exc:
        return alerts_page(request, session, services, error=f"{exc.field}: {exc.reason}")
    return RedirectResponse("/alerts", status_code=303)


@router.post("/alerts/{alert_id}/withdraw")
def withdraw_alert(
    alert_id: str,
    session: AlertManager,
    services: ServicesDep,
    csrf_token: CsrfField,
    reason: Annotated[str, Form(min_length=1, max_length=500)],
) -> RedirectResponse:
    session.check_csrf(csrf_token)
    node = services.node
    with node.database.write() as db:
        services.alerts.withdraw(
            db, alert_id, actor=session.actor, now=node.clock(), reason=reason
        )
    return RedirectResponse("/alerts", status_code=303)


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    session: Searcher,
    services: ServicesDep,
    name: Annotated[str, Query(max_length=200)] = "",
    birth_date: Annotated[str, Query(max_length=10)] = "",
    nationality: Annotated[str, Query(max_length=3)] = "",
    issuing_state: Annotated[str, Query(max_length=3)] = "",
    document_number: Annotated[str, Query(max_length=24)] = "",
    purpose: Annotated[str, Query(max_length=500)] = "",
) -> HTMLResponse:
    context: dict[str, Any] = {
        "name": name,
        "birth_date": birth_date,
        "nationality": nationality,
        "issuing_state": issuing_state,
        "document_number": document_number,
        "purpose": purpose,
        "matches": None,
        "sltd": None,
        "error": None,
    }
    node = services.node
    wants_names, wants_document = bool(name.strip()), bool(document_number.strip())
    if (wants_names or wants_document) and not purpose.strip():
        context["error"] = "purpose: say why you search (it is recorded)"
    elif wants_names:
        query = NameQuery(name, birth_date or None, nationality or None, None)
        matches = services.inspector.screener().screen(query, top=10, threshold=0.3)
        with node.database.write() as db:
            counts = services.inspector.repository.false_positive_counts(
                db, [m.id for m in matches]
            )
            node.audit.record(
                db,
                actor=session.actor,
                action="watchlist.search",
                purpose=purpose,
                at=node.clock(),
                query={"name": name, "birth_date": birth_date, "nationality": nationality},
                result={"ids": [m.id for m in matches]},
            )
        context["matches"] = [
            {
                "match": m,
                "hit": m.score >= DEFAULT_THRESHOLD,
                "false_positives": counts.get(m.id, 0),
            }
            for m in matches
        ]
    elif wants_document:
        with node.database.write() as db:
            records = SltdRegistry().lookup(db, issuing_state, document_number)
            node.audit.record(
                db,
                actor=session.actor,
                action="sltd.search",
                purpose=purpose,
                at=node.clock(),
                query={"issuing_state": issuing_state, "document_number": document_number},
                result={"hit": bool(records)},
            )
        context["sltd"] = records
    context["today"] = date.today().isoformat()
    return page(request, "search.html", context, session=session)
