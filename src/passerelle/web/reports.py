"""The officer's report of an alert's hit, filed from the verdict: ``/check/{id}/reports``.

The form is in ``verdict_actions.html`` (folded in the quiet note of a discreet
check); it posts here, the report is filed through the same service as the API's
``POST /inspections/{id}/reports`` (once per inspection and alert, audited, sent
back to the partner whose alert it is), and the verdict shows it as recorded.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form
from fastapi.responses import RedirectResponse

from passerelle.access import Permission, SessionView
from passerelle.http.deps import ServicesDep
from passerelle.records.alert_reports import parse_report
from passerelle.web.rendering import page_session

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

Officer = Annotated[SessionView, Depends(page_session(Permission.INSPECT))]
Detail = Annotated[str, Form(max_length=1000)]


@router.post("/check/{inspection_id}/reports")
def file_report(
    inspection_id: str,
    session: Officer,
    services: ServicesDep,
    csrf_token: Annotated[str, Form()],
    alert: Annotated[str, Form(max_length=72)],
    observed: Annotated[str, Form(max_length=4000)],
    companions: Detail = "",
    vehicle: Detail = "",
    route: Detail = "",
) -> RedirectResponse:
    session.check_csrf(csrf_token)
    draft = parse_report(
        {
            "alert": alert,
            "observed": observed,
            "companions": companions,
            "vehicle": vehicle,
            "route": route,
        }
    )
    services.alert_reports().file(session.actor, inspection_id, draft)
    return RedirectResponse(f"/check/{inspection_id}#action-notes", status_code=303)
