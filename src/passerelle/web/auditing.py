"""The auditor's pages: ``/audit`` (the trail, filtered and paged), its CSV export, and the
chain verified from the page.

Filters: a date range (``since``, ``until``: days of the node's time zone, both
included), an actor, an action (exact, or a prefix ending in ``.``) and a subject: one of
the text values the audited action asked or returned, whole and exact (a document
number, a watchlist person's id, an alert id, a user name; see
:func:`passerelle.store.audit_reading.read_audit`).

What an action asked and returned is shown as indented JSON with its characters as they
are (an Arabic name reads as Arabic, not ``\\u0645`` escapes), left to right.

The export (``/audit/export.csv``) streams every record the filter lets through, newest
first, as UTF-8 with a byte-order mark (so that a spreadsheet opens Arabic as Arabic),
times in ISO 8601 with the node's offset; it is recorded ``audit.export`` before the first
line leaves. ``POST /audit/verify`` runs ``passerelle audit verify``'s verification and
records it ``audit.verify``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, StreamingResponse

from passerelle.access import Permission, SessionView
from passerelle.exc import InvalidInput
from passerelle.http.deps import ServicesDep
from passerelle.http.ids import QueryId
from passerelle.i18n import N_, gettext
from passerelle.i18n.wording import worded
from passerelle.services.audit_oversight import AuditFilter, AuditOversight
from passerelle.store.audit_reading import AuditEntry
from passerelle.web.refusals import refusal
from passerelle.web.rendering import page, page_session
from passerelle.web.timing import node_zone
from passerelle.wiring.audit_verification import verify_chain_for
from passerelle.wiring.audit_watch import ChainWatch

__all__ = ["EXPORT_COLUMNS", "OVERSIGHT", "day_bounds", "readable_json", "router"]

OVERSIGHT = "audit oversight"
"""The purpose recorded when an auditor reads or exports the trail."""

EXPORT_COLUMNS = (
    "seq",
    "at",
    "actor",
    "actor_kind",
    "role",
    "action",
    "purpose",
    "query",
    "result",
)
"""The export's columns, in order (the first line of the file)."""

REMOVED = N_("removed by retention")

FILTER_FIELDS = {
    "since": N_("From"),
    "until": N_("To"),
    "by": N_("Actor"),
    "action": N_("Action"),
    "subject": N_("Subject"),
}
"""The audit filter's fields, as the refusals name them."""

NOT_A_DATE = N_("%(text)s is not a date (YYYY-MM-DD)")

router = APIRouter(include_in_schema=False)

Auditor = Annotated[SessionView, Depends(page_session(Permission.VIEW_AUDIT))]
Day = Annotated[str | None, Query(max_length=10)]
Text = Annotated[str | None, Query(max_length=128)]


def readable_json(value: Any) -> str:
    """``value`` as indented JSON whose characters stay as they are (no ``\\u`` escapes).

    >>> print(readable_json({"name": "محمد", "n": 1}))
    {
      "n": 1,
      "name": "محمد"
    }
    """
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True, default=str)


def day_bounds(since: date | None, until: date | None, zone: str) -> tuple[datetime | None, ...]:
    """The moments a range of the node's days starts and ends: the first day's midnight
    (included) and the midnight after the last day (excluded), in ``zone``.

    >>> day = date(2026, 12, 7)
    >>> [t.isoformat() for t in day_bounds(day, day, "Africa/Casablanca") if t]
    ['2026-12-07T00:00:00+01:00', '2026-12-08T00:00:00+01:00']
    """
    here = node_zone(zone)
    start = datetime.combine(since, time(), tzinfo=here) if since else None
    end = datetime.combine(until + timedelta(days=1), time(), tzinfo=here) if until else None
    return start, end


def _day(text: str | None, field: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise InvalidInput(field, worded(NOT_A_DATE, text=repr(text))) from exc


def _filter(
    zone: str,
    since: str | None,
    until: str | None,
    by: str | None,
    action: str | None,
    subject: str | None,
) -> AuditFilter:
    first, last = _day(since, "since"), _day(until, "until")
    if first and last and last < first:
        raise InvalidInput("until", worded(N_("is before since")))
    start, end = day_bounds(first, last, zone)
    return AuditFilter(
        start,
        end,
        (by or "").strip() or None,
        (action or "").strip() or None,
        (subject or "").strip() or None,
    )


@router.get("/audit", response_class=HTMLResponse)
def audit_page(
    request: Request,
    session: Auditor,
    services: ServicesDep,
    since: Day = None,
    until: Day = None,
    by: Text = None,
    action: Annotated[str | None, Query(max_length=64)] = None,
    subject: Text = None,
    before: QueryId = None,
    after: QueryId = None,
) -> HTMLResponse:
    """The trail, one page at a time (``PASSERELLE_AUDIT_PAGE_SIZE``, newest first), under
    the chain's state verified since the last point verified (``ChainWatch``), all read in
    a read-only snapshot that holds no writer back."""
    node = services.node
    size = node.settings.audit_page_size
    watch = services.chain_watch or ChainWatch(node)
    with node.database.read_only() as db:
        watched = watch.verify(db)
    shown = {"since": since, "until": until, "by": by, "action": action, "subject": subject}
    filters = {k: v for k, v in shown.items() if v}
    error = None
    entries: list[AuditEntry] = []
    try:
        wanted = _filter(node.settings.time_zone, since, until, by, action, subject)
        entries = AuditOversight(node).page(
            session.actor,
            OVERSIGHT,
            wanted,
            limit=size + 1,
            before=before,
            after=None if before is not None else after,
        )
    except InvalidInput as exc:
        error = refusal(exc, FILTER_FIELDS)
    paging_back = after is not None and before is None
    more = len(entries) > size
    if more:
        entries = entries[1:] if paging_back else entries[:size]
    newer = older = None
    if entries and ((paging_back and more) or before is not None):
        newer = "/audit?" + urlencode({**filters, "after": entries[0].seq})
    if entries and (more or paging_back):
        older = "/audit?" + urlencode({**filters, "before": entries[-1].seq})
    reason_labels = {  # a decision's reason code (its purpose) in the catalogue's words
        e.seq: services.catalogues.reason_label(e.purpose)
        for e in entries
        if e.action == "inspection.decide" and e.purpose
    }
    context = {
        "watched": watched,
        "verdict": watched.chain,
        "entries": entries,
        "shown": shown,
        "error": error,
        "reason_labels": reason_labels,
        "readable": {
            e.seq: (
                readable_json(e.query) if e.query is not None else None,
                readable_json(e.result) if e.result is not None else None,
            )
            for e in entries
        },
        "removed": gettext(REMOVED),
        "newer": newer,
        "older": older,
        "newest": "/audit?" + urlencode(filters) if newer else None,
        "export": "/audit/export.csv" + ("?" + urlencode(filters) if filters else ""),
    }
    status = 422 if error else 200
    return page(request, "audit.html", context, session=session, status_code=status)


@router.get("/audit/export.csv", response_model=None)
def audit_export(
    request: Request,
    session: Auditor,
    services: ServicesDep,
    since: Day = None,
    until: Day = None,
    by: Text = None,
    action: Annotated[str | None, Query(max_length=64)] = None,
    subject: Text = None,
) -> StreamingResponse | HTMLResponse:
    """Every record the filter lets through, as CSV (``audit.export``, recorded first)."""
    node = services.node
    zone = node.settings.time_zone
    try:
        wanted = _filter(zone, since, until, by, action, subject)
    except InvalidInput:
        return audit_page(request, session, services, since, until, by, action, subject)
    records = AuditOversight(node).export(session.actor, OVERSIGHT, wanted)
    stamp = node.clock().astimezone(node_zone(zone)).strftime("%Y%m%d-%H%M%S")
    return StreamingResponse(
        _csv_lines(records, zone),
        media_type="text/csv; charset=utf-8",
        headers={
            "content-disposition": f'attachment; filename="audit-{node.state}-{stamp}.csv"',
            "cache-control": "no-store",
        },
    )


def _csv_lines(records: Iterator[AuditEntry], zone: str) -> Iterator[bytes]:
    """The export's bytes: a byte-order mark and the header, then one line per record."""
    here = node_zone(zone)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    yield ("\ufeff" + buffer.getvalue()).encode("utf-8")
    for entry in records:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(
            (
                entry.seq,
                entry.at.astimezone(here).isoformat(timespec="seconds"),
                entry.actor,
                entry.actor_kind,
                entry.role,
                entry.action,
                entry.purpose or "",
                _compact(entry.query),
                _compact(entry.result),
            )
        )
        yield buffer.getvalue().encode("utf-8")


def _compact(value: Any) -> str:
    if value is None:
        return ""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


@router.post("/audit/verify", response_class=HTMLResponse)
def audit_verify(
    request: Request,
    session: Auditor,
    services: ServicesDep,
    csrf_token: Annotated[str, Form()],
) -> HTMLResponse:
    """Walk the whole chain against the node's checkpoints, as ``passerelle audit verify``
    does (``audit.verify``), and say what was found."""
    session.check_csrf(csrf_token)
    check = verify_chain_for(session.actor, services.node)
    return page(request, "audit_verify.html", {"check": check}, session=session)
