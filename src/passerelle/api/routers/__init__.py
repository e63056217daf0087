"""The API's routers, one per resource, gathered under ``/api/v1``."""

from fastapi import APIRouter, Depends

from passerelle.api.routers.alert_reports import router as alert_reports_router
from passerelle.api.routers.alerts import router as alerts_router
from passerelle.api.routers.audit import router as audit_router
from passerelle.api.routers.cases import router as cases_router
from passerelle.api.routers.federation import router as federation_router
from passerelle.api.routers.forgeries import router as forgeries_router
from passerelle.api.routers.hits import router as hits_router
from passerelle.api.routers.identity_links import router as identity_links_router
from passerelle.api.routers.inspections import router as inspections_router
from passerelle.api.routers.networks import router as networks_router
from passerelle.api.routers.paperwork import router as paperwork_router
from passerelle.api.routers.registries import router as registries_router
from passerelle.api.routers.risk import router as risk_router
from passerelle.api.routers.second_line import router as second_line_router
from passerelle.http.text import plain_query_text

__all__ = ["api_router"]


def api_router() -> APIRouter:
    """Every resource's router, in the order the OpenAPI document lists them."""
    gathered = APIRouter()
    for router in (
        inspections_router,
        paperwork_router,
        second_line_router,
        hits_router,
        cases_router,
        identity_links_router,
        networks_router,
        alerts_router,
        alert_reports_router,
        forgeries_router,
        registries_router,
        audit_router,
        risk_router,
        federation_router,
    ):
        gathered.include_router(router, dependencies=[Depends(plain_query_text)])
    return gathered
