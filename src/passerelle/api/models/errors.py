"""The error body every refusal carries (:mod:`passerelle.http.errors`), for the document.

The node answers every error, a refused value included, with one shape:
``{"detail": "field: reason", "status": 422, "field": "field"}``, ``field``
only when an input was refused. FastAPI's default ``HTTPValidationError``
(a list of pydantic errors) is never sent, so each route lists this model for
the statuses it can answer instead (:func:`refusals`).
"""

from __future__ import annotations

from pydantic import Field

from passerelle.api.models.base import Out

__all__ = ["REASONS", "ErrorBody", "refusals"]


class ErrorBody(Out):
    """What went wrong, in words; the status again; and the field, when an input was refused."""

    detail: str = Field(description="What went wrong: `field: reason` for a refused input.")
    status: int = Field(description="The HTTP status of the answer.")
    field: str | None = Field(
        default=None,
        description="The refused input (`query.purpose`, `subject.kind`), only when one was.",
    )


REASONS: dict[int, str] = {
    401: "Not authenticated: no bearer token (or web session), or one that is bad, expired "
    "or revoked. Answered with `WWW-Authenticate: Bearer`.",
    403: "The caller's role does not hold the permission the route needs (named in `detail`).",
    404: "The id in the path names nothing on this node (`field` names it).",
    409: "The change conflicts with the record's state (closed, decided, already linked).",
    413: "An upload over its size budget (a fingerprint image over "
    "`PASSERELLE_FINGER_MAX_BYTES`): `field` names it.",
    422: "A value was refused: `field` names it and `detail` says why.",
    429: "Too many requests of this kind from this user (photos: "
    "`PASSERELLE_PHOTO_RATE_PER_MINUTE`); `Retry-After` says in how many seconds to retry.",
    502: "The partner node could not be reached.",
    503: "Federation is not configured on this node, or the database is not ready.",
}
"""Why the node answers each error status, as the document says it."""


def refusals(*statuses: int) -> dict[int | str, dict[str, object]]:
    """The ``responses=`` of a route that may answer ``statuses``: each with :class:`ErrorBody`.

    >>> sorted(refusals(401, 422))
    [401, 422]
    """
    return {status: {"model": ErrorBody, "description": REASONS[status]} for status in statuses}
