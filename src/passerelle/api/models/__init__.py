"""The API's response bodies as frozen pydantic models: the OpenAPI document is the contract.

One module per resource (the routers' own), each model named for what a client
gets (``AlertOut``, ``InspectionOut``); :mod:`.errors` holds the one error
body every refusal carries and the ``responses=`` each route lists. Routes
build their bodies from the domain's ``as_dict`` forms and validate them into
these models, which refuse undeclared keys (:class:`~.base.Out`): a body and
its documentation cannot drift apart unnoticed.
"""

from passerelle.api.models.alert_reports import AlertReportListOut, AlertReportOut
from passerelle.api.models.alerts import (
    AlertDetailOut,
    AlertDocumentSubject,
    AlertEventOut,
    AlertListOut,
    AlertOut,
    AlertPersonSubject,
    AlertVehicleSubject,
)
from passerelle.api.models.audit import AuditRecordOut, AuditRecordsOut, ChainVerdictOut
from passerelle.api.models.base import Out
from passerelle.api.models.cases import CaseListOut, CaseOut, CaseSummaryOut
from passerelle.api.models.errors import ErrorBody, refusals
from passerelle.api.models.federation import (
    FollowUpListOut,
    FollowUpOut,
    OutboxOut,
    PartnerOutboxOut,
    RefusedShareOut,
    RefusedSharesOut,
    ReleasedRecordOut,
)
from passerelle.api.models.hits import (
    HitReviewOut,
    HitThreadOut,
    NoteOut,
    PendingHitOut,
    PendingHitsOut,
)
from passerelle.api.models.inspections import InspectionOut, InspectionResultOut
from passerelle.api.models.registries import (
    CrossingOut,
    CrossingsOut,
    SltdCheckOut,
    SltdRecordOut,
    StayOut,
    WatchlistMatchOut,
    WatchlistPersonOut,
    WatchlistSearchOut,
    WatchlistSharingOut,
)
from passerelle.api.models.second_line import SecondLineQueueOut

__all__ = [
    "AlertDetailOut",
    "AlertDocumentSubject",
    "AlertEventOut",
    "AlertListOut",
    "AlertOut",
    "AlertPersonSubject",
    "AlertReportListOut",
    "AlertReportOut",
    "AlertVehicleSubject",
    "AuditRecordOut",
    "AuditRecordsOut",
    "CaseListOut",
    "CaseOut",
    "CaseSummaryOut",
    "ChainVerdictOut",
    "CrossingOut",
    "CrossingsOut",
    "ErrorBody",
    "FollowUpListOut",
    "FollowUpOut",
    "HitReviewOut",
    "HitThreadOut",
    "InspectionOut",
    "InspectionResultOut",
    "NoteOut",
    "Out",
    "OutboxOut",
    "PartnerOutboxOut",
    "PendingHitOut",
    "PendingHitsOut",
    "RefusedShareOut",
    "RefusedSharesOut",
    "ReleasedRecordOut",
    "SecondLineQueueOut",
    "SltdCheckOut",
    "SltdRecordOut",
    "StayOut",
    "WatchlistMatchOut",
    "WatchlistPersonOut",
    "WatchlistSearchOut",
    "WatchlistSharingOut",
    "refusals",
]
