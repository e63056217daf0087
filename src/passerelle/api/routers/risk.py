"""``/analysis/risk``: the risk indicators and unusual patterns of a period, as JSON.

The same reading as the analysts' page (``/analysis/risk``), audited the same way
(``risk.read``): indicators by route, nationality and period; each pattern finding with
the crossings behind it and why, in English; the map's points with their figures.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict

from passerelle.access import Permission
from passerelle.analytics.risk import RiskQuery
from passerelle.api.models import refusals
from passerelle.http.deps import ServicesDep, allowed
from passerelle.services.risk import RiskAnalysis
from passerelle.store.audit import Actor
from passerelle.wiring.risk import load_crossing_map, load_pattern_rules

__all__ = ["router"]

router = APIRouter(prefix="/analysis", tags=["analysis"], responses=refusals(401, 403, 422))

Analysing = Annotated[Actor, Depends(allowed(Permission.ANALYSE_RISK))]
_FROZEN = ConfigDict(frozen=True, extra="forbid")


class IndicatorOut(BaseModel):
    model_config = _FROZEN
    key: list[str]
    inspections: int
    refusals: int
    overstays: int
    fraud: int
    hits: int


class PatternRecordOut(BaseModel):
    model_config = _FROZEN
    crossing_id: int
    issuing_state: str
    document_number: str
    nationality: str | None
    crossing_point: str
    direction: str
    at: str
    inspection_id: str | None


class FindingOut(BaseModel):
    model_config = _FROZEN
    rule: Literal["impossible_travel", "used_at_once", "repeated_entries", "sequential_documents"]
    reason: str
    records: list[PatternRecordOut]


class MapPointOut(BaseModel):
    model_config = _FROZEN
    code: str
    name: str
    kind: str
    longitude: float
    latitude: float
    crossings: int
    inspections: int
    hits: int


class RiskOut(BaseModel):
    """The period's risk indicators, pattern findings (each a lead, never a decision) and map."""

    model_config = _FROZEN
    query: dict[str, Any]
    rules: dict[str, Any]
    routes: list[IndicatorOut]
    nationalities: list[IndicatorOut]
    periods: list[IndicatorOut]
    findings: list[FindingOut]
    truncated: bool
    map: list[MapPointOut]


@router.get("/risk")
def risk(
    actor: Analysing,
    services: ServicesDep,
    start: Annotated[str | None, Query(max_length=10, description="First day, YYYY-MM-DD.")] = None,
    end: Annotated[str | None, Query(max_length=10, description="Last day, included.")] = None,
    point: Annotated[str | None, Query(max_length=64)] = None,
    nationality: Annotated[str | None, Query(max_length=3)] = None,
    granularity: Annotated[Literal["day", "week", "month"], Query()] = "day",
) -> RiskOut:
    """Refusals, overstays, document fraud and hits by route, nationality and `granularity`;
    the unusual patterns found (impossible travel, a document used twice at once, entries
    without exits, sequential document numbers) with their crossings; the crossing points'
    map. Without `end` the period ends today; without `start` it is the 30 days to `end`.
    Audited (`risk.read`)."""
    node = services.node
    query = RiskQuery.from_params(
        start=start,
        end=end,
        crossing_point=point,
        nationality=nationality,
        granularity=granularity,
        today=node.clock().date(),
    )
    analysis = RiskAnalysis(
        node, load_pattern_rules(node.settings), load_crossing_map(node.settings)
    )
    return RiskOut.model_validate(analysis.report(actor, query).as_dict())
