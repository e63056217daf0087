"""The risk reading put in the reader's words: tables, findings with links, the map, the files.

One context serves the page (``risk.html``) and the printed report (``risk_print.html``);
:func:`csv_zip` writes the same tables as CSV files in one zip, headed in the reader's
language. The map is an inline SVG (no tiles, nothing fetched): each point a circle
sized by its period's crossings, a link to the page filtered to that point.
"""

from __future__ import annotations

import csv
import io
import math
import zipfile
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urlencode

from passerelle.access import Permission, can
from passerelle.analytics.risk import INDICATORS, CrossingMap, IndicatorRow, RiskReport
from passerelle.i18n import N_, gettext
from passerelle.store.audit import Actor
from passerelle.web.analysis_words import DIRECTIONS, said
from passerelle.web.wording import written, written_text
from passerelle.web.wording_states import state_words_in

__all__ = ["INDICATOR_WORDS", "RULE_WORDS", "csv_zip", "risk_context"]

INDICATOR_WORDS = {
    "inspections": N_("Inspections"),
    "refusals": N_("Refusals"),
    "overstays": N_("Overstays"),
    "fraud": N_("Document fraud"),
    "hits": N_("Hits"),
}
RULE_WORDS = {
    "impossible_travel": N_("Impossible travel"),
    "used_at_once": N_("A document used twice at once"),
    "repeated_entries": N_("Entries without exits"),
    "sequential_documents": N_("Sequential document numbers"),
}
GRANULARITY_WORDS = {"day": N_("Day"), "week": N_("Week"), "month": N_("Month")}
MAP_WIDTH, MAP_HEIGHT, MAP_MARGIN = 480.0, 400.0, 24.0


def _counts(row: IndicatorRow) -> list[int]:
    return [row.count(name) for name in INDICATORS]


def _nationality(code: str) -> str:
    return (state_words_in(code) or code) if code else gettext(N_("not read"))


def _route(row: IndicatorRow) -> list[str]:
    return [row.key[0], said(DIRECTIONS, row.key[1])]


def _inspection_link(actor: Actor, inspection_id: str | None) -> str | None:
    if inspection_id is None:
        return None
    if can(actor.role, Permission.REVIEW_HITS):
        return f"/review/inspection/{inspection_id}"
    if can(actor.role, Permission.INSPECT):
        return f"/check/{inspection_id}"
    return None


def _map(report: RiskReport, places: CrossingMap, filters: dict[str, str]) -> list[dict[str, Any]]:
    figures = {m.point.code: m for m in report.map}
    busiest = max((m.crossings for m in report.map), default=0) or 1
    placed = places.projected(MAP_WIDTH, MAP_HEIGHT, MAP_MARGIN)
    out = []
    for spot in placed:
        figure = figures.get(spot.point.code)
        crossings = figure.crossings if figure else 0
        out.append(
            {
                "code": spot.point.code,
                "name": spot.point.name,
                "kind": spot.point.kind,
                "x": spot.x,
                "y": spot.y,
                "r": round(4 + 16 * math.sqrt(crossings / busiest), 1),
                "crossings": crossings,
                "inspections": figure.inspections if figure else 0,
                "hits": figure.hits if figure else 0,
                "href": "/analysis/risk?" + urlencode({**filters, "point": spot.point.code}),
            }
        )
    return out


def risk_context(
    report: RiskReport, places: CrossingMap, actor: Actor, *, html: bool = True
) -> dict[str, Any]:
    """What the page and the printed report show, in the reader's language."""
    query = report.query
    filters = {
        "start": query.period.start.isoformat(),
        "end": query.period.end.isoformat(),
        "nationality": query.nationality or "",
        "granularity": query.granularity,
    }
    say = written if html else written_text
    findings = [
        {
            "number": n,
            "rule": f.rule,
            "title": gettext(RULE_WORDS[f.rule]),
            "reason": say(f.reason),
            "records": [
                {
                    **r.as_dict(),
                    "at": r.at.strftime("%Y-%m-%d %H:%M"),
                    "direction": said(DIRECTIONS, r.direction),
                    "nationality": _nationality(r.nationality or ""),
                    "inspection_id": f.inspections.get(r.id),
                    "href": _inspection_link(actor, f.inspections.get(r.id)),
                }
                for r in f.records
            ],
        }
        for n, f in enumerate(report.findings, start=1)
    ]
    return {
        "query": query,
        "filters": filters,
        "point": query.period.crossing_point or "",
        "indicators": [gettext(INDICATOR_WORDS[name]) for name in INDICATORS],
        "routes": [(_route(r), _counts(r)) for r in report.routes],
        "nationalities": [([_nationality(r.key[0])], _counts(r)) for r in report.nationalities],
        "periods": [([r.key[0]], _counts(r)) for r in report.periods],
        "granularity_words": {k: gettext(v) for k, v in GRANULARITY_WORDS.items()},
        "findings": findings,
        "truncated": report.truncated,
        "map": _map(report, places, filters),
        "map_size": (MAP_WIDTH, MAP_HEIGHT),
        "export": urlencode({**filters, "point": query.period.crossing_point or ""}),
    }


def _csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def csv_zip(report: RiskReport, places: CrossingMap, actor: Actor) -> bytes:
    """The indicators and findings as CSV files (UTF-8 with a byte-order mark) in one zip."""
    context = risk_context(report, places, actor, html=False)
    counts = context["indicators"]
    point, direction = gettext(N_("Crossing point")), gettext(N_("Direction"))
    tables = {
        "routes.csv": _csv([point, direction, *counts], (k + c for k, c in context["routes"])),
        "nationalities.csv": _csv(
            [gettext(N_("Nationality")), *counts], (k + c for k, c in context["nationalities"])
        ),
        "periods.csv": _csv(
            [context["granularity_words"][report.query.granularity], *counts],
            (k + c for k, c in context["periods"]),
        ),
        "findings.csv": _csv(
            [
                gettext(N_("Finding")),
                gettext(N_("Pattern")),
                gettext(N_("Why")),
                gettext(N_("Crossing")),
                gettext(N_("Time (UTC)")),
                point,
                direction,
                gettext(N_("Document")),
                gettext(N_("Nationality")),
                gettext(N_("Inspection")),
            ],
            (
                [
                    f["number"],
                    f["title"],
                    f["reason"],
                    r["crossing_id"],
                    r["at"],
                    r["crossing_point"],
                    r["direction"],
                    f"{r['issuing_state']} {r['document_number']}",
                    r["nationality"],
                    r["inspection_id"] or "",
                ]
                for f in context["findings"]
                for r in f["records"]
            ),
        ),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in tables.items():
            archive.writestr(name, data)
    return out.getvalue()
