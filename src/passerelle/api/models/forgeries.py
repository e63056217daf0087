"""``/forgeries``: the forged-document alerts a node holds, as the document examiner reads
them (``services.forgeries``)."""

from __future__ import annotations

from pydantic import Field

from passerelle.api.models.alerts import AlertReferenceImage, AlertSeriesSubject, AlertStatus
from passerelle.api.models.base import IsoDate, Out

__all__ = ["ForgeryImagesOut", "ForgeryListOut", "ForgeryOut"]


class ForgeryOut(Out):
    """One forgery alert: whose, the series it concerns and how to recognise it."""

    reference: str = Field(description="As the border check names it: the id, or `STATE:id`.")
    issuing_state: str | None = Field(description="The partner that shared it; null: this node.")
    alert_id: str
    status: AlertStatus
    subject: AlertSeriesSubject
    issuing_authority: str
    action: str
    valid_from: IsoDate
    valid_until: IsoDate | None
    captions: tuple[str | None, ...] = Field(
        description="One per reference image, in order (`GET .../images` gives them)."
    )


class ForgeryListOut(Out):
    """``GET /forgeries``: every forgery alert held, live ones first, own before partners'."""

    forgeries: tuple[ForgeryOut, ...]


class ForgeryImagesOut(Out):
    """A forgery alert's reference images, in order."""

    images: tuple[AlertReferenceImage, ...]
