"""What the verdict shows of the traveller beyond this check: the listed face a face hit
found (its reference photo and name) and the document's last crossings and inspections.

``/check/{id}/faces/{gallery}/{identity}.jpg`` serves the reference photo of a
face the inspection hit, to a signed-in officer or analyst only, never cached;
each reading is audited (``face.reference``). The history is read once per
verdict page (``traveller.history``).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from passerelle.http.deps import ServicesDep
from passerelle.i18n import N_, gettext
from passerelle.screening import InspectionRecord
from passerelle.store.audit import Actor
from passerelle.web.rendering import PageSession

__all__ = ["PHOTO_PURPOSE", "router", "traveller_context"]

PHOTO_PURPOSE = "face hit at the border"
"""The purpose recorded when a verdict shows a face hit's reference photo."""
DIRECTION_WORDS = {"entry": N_("entry"), "exit": N_("exit")}
DECISION_WORDS = {"clear": N_("CLEAR"), "refer": N_("REFER"), "hit": N_("HIT")}
ACTION_WORDS = {"admit": N_("admitted"), "refer": N_("referred"), "refuse": N_("refused")}
"""A past inspection's verdict and officer's action, in the reader's language."""


def _words(words: dict[str, str], code: str) -> str:
    return gettext(words[code]) if code in words else code


router = APIRouter(include_in_schema=False)


def traveller_context(
    services: ServicesDep, actor: Actor, record: InspectionRecord, purpose: str
) -> dict[str, Any]:
    """The verdict's face hits (name, score, photo address) and the traveller's history."""
    result = record.result
    face_hits = [
        {
            "gallery": hit.gallery,
            "identity": hit.identity,
            "name": hit.name,
            "score": hit.score,
            "photo": (
                f"/check/{result.inspection_id}/faces/{hit.gallery}/{hit.identity}.jpg"
                if hit.reference_photo
                else None
            ),
        }
        for hit in result.matches.faces
    ]
    past = services.history.before(actor, purpose, result.inspection_id)
    return {
        "face_hits": face_hits,
        # a discreet check (part ACTIONS' ``action``) shows nothing the traveller could read
        "face_quiet": getattr(result, "action", None) == "discreet_check",
        "history": {
            "known": past.known,
            "crossings": [
                {
                    "at": c.at,
                    "point": c.crossing_point,
                    "direction": _words(DIRECTION_WORDS, c.direction),
                }
                for c in past.crossings
            ],
            "inspections": [
                {
                    "at": i.at,
                    "point": i.crossing_point,
                    "direction": _words(DIRECTION_WORDS, i.direction),
                    "decision": _words(DECISION_WORDS, i.decision),
                    "action": _words(ACTION_WORDS, i.action) if i.action else "",
                    "reason_code": i.reason_code or "",
                }
                for i in past.inspections
            ],
        },
    }


@router.get("/check/{inspection_id}/faces/{gallery}/{identity}.jpg")
def reference_photo(
    inspection_id: str, gallery: str, identity: str, session: PageSession, services: ServicesDep
) -> Response:
    """The reference photo of a face this inspection hit (audited, ``no-store``)."""
    jpeg = services.faces.reference_photo(
        session.actor, PHOTO_PURPOSE, inspection_id, gallery, identity
    )
    return Response(
        jpeg,
        media_type="image/jpeg",
        headers={"cache-control": "no-store", "x-content-type-options": "nosniff"},
    )
