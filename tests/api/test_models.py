"""The response models' closed sets are the domain's: a status or source added to the
domain without its model would be refused at run time (and undocumented)."""

from __future__ import annotations

from typing import Any, get_args

import pytest
from pydantic import BaseModel

from passerelle.api.models import alerts, cases, hits, inspections, registries
from passerelle.documents.findings import Severity
from passerelle.documents.layouts import MrzFormat
from passerelle.records.alerts import ALERT_STATUSES, CATEGORIES, RESTRICTED_MATTERS
from passerelle.records.cases import CASE_STATUSES
from passerelle.records.forgeries import DETECTION_METHODS, FORGERY_TYPES
from passerelle.records.inspections import REVIEW_STATUSES
from passerelle.records.second_line import ADMISSION_STATUSES, OUTCOMES
from passerelle.screening import model
from passerelle.store.sltd import SLTD_STATUSES, MatchKind


def values(annotation: Any) -> set[str]:
    """The strings a ``Literal`` (or ``Literal | None``, or nested ``Literal``) allows."""
    found: set[str] = set()
    for arg in get_args(annotation):
        if isinstance(arg, str):
            found.add(arg)
        elif arg is not type(None):
            found |= values(arg)
    return found


def field(owner: type[BaseModel], name: str) -> Any:
    return owner.model_fields[name].annotation


@pytest.mark.parametrize(
    ("annotation", "domain"),
    [
        (alerts.AlertStatus, ALERT_STATUSES),
        (alerts.AlertCategory, CATEGORIES),
        (alerts.RestrictedMatter, RESTRICTED_MATTERS),
        (alerts.ForgeryType, FORGERY_TYPES),
        (alerts.DetectionMethod, DETECTION_METHODS),
        (field(cases.CaseSummaryOut, "status"), CASE_STATUSES),
        (hits.ReviewStatus, REVIEW_STATUSES),
        (inspections.Decision, get_args(model.Decision)),
        (inspections.Source, get_args(model.Source)),
        (inspections.Light, get_args(model.Light)),
        (inspections.MrzFormat, {f.value for f in MrzFormat}),
        (field(inspections.DocumentFindingOut, "severity"), {s.value for s in Severity}),
        (field(inspections.FindingOut, "severity"), get_args(model.Severity)),
        (field(inspections.OfficerDecisionOut, "action"), get_args(model.OfficerAction)),
        (inspections.AdmissionStatus, ADMISSION_STATUSES),
        (inspections.SecondLineOutcome, OUTCOMES),
        (field(registries.SltdRecordOut, "status"), SLTD_STATUSES),
        (field(registries.SltdRecordOut, "match"), get_args(MatchKind)),
    ],
)
def test_a_closed_set_in_a_model_is_the_domain_s(annotation: Any, domain: Any) -> None:
    assert values(annotation) == set(domain)
