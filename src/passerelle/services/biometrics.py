"""Faces and fingerprints in the node's galleries: enrolled, searched (1:N) and removed, each
step audited once (``face.*`` and ``finger.*``).

The galleries keep the templates sealed in the database and their indexes in
``HOME/galleries``; what the audit trail keeps is the digest of the image or
record the template came from, never the template.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from passerelle.access import Permission
from passerelle.biometrics.enrolment import FaceGalleries, FingerprintGalleries
from passerelle.biometrics.face import FaceCapture
from passerelle.biometrics.fingerprint import FingerprintCandidate, FingerprintTemplate
from passerelle.biometrics.gallery import GalleryHit
from passerelle.exc import InvalidInput
from passerelle.node import Node
from passerelle.services.common import checked_purpose, permitted
from passerelle.store.audit import Actor

__all__ = ["FaceDesk", "FingerDesk"]


class _Desk:
    """Enrolment and removal, alike for both modalities."""

    modality: str

    def __init__(self, node: Node, galleries: FaceGalleries | FingerprintGalleries) -> None:
        self.node = node
        self.galleries = galleries

    def _record(
        self,
        actor: Actor,
        step: str,
        *,
        purpose: str | None = None,
        at: datetime | None = None,
        query: dict[str, Any],
        result: dict[str, Any],
    ) -> None:
        node = self.node
        with node.database.write() as session:
            node.audit.record(
                session,
                actor=actor,
                action=f"{self.modality}.{step}",
                purpose=purpose,
                at=at or node.clock(),
                query=query,
                result=result,
            )

    def remove(self, actor: Actor, gallery: str, identity: str, reason: str) -> int:
        """Take an identity's templates out of a gallery (store and index), saying why; how
        many went (``<modality>.remove``, recorded even when none did)."""
        permitted(actor, Permission.MANAGE_WATCHLIST)
        why = reason.strip()
        if not why:
            raise InvalidInput("reason", f"must say why the {self.modality}s are removed")
        removed = self.galleries.remove(gallery, identity)
        self._record(
            actor,
            "remove",
            purpose=why,
            query={"gallery": gallery, "identity": identity},
            result={"templates": removed},
        )
        return removed


class FaceDesk(_Desk):
    """The face galleries (alerts, wanted persons, ...) behind the node's 1:N searches."""

    modality = "face"
    galleries: FaceGalleries

    def __init__(self, node: Node, galleries: FaceGalleries) -> None:
        super().__init__(node, galleries)

    def enrol(
        self,
        actor: Actor,
        gallery: str,
        identity: str,
        capture: FaceCapture,
        *,
        image_sha256: str,
    ) -> int:
        """File a face under a record's id (``face.enrol``); the template's row id."""
        permitted(actor, Permission.MANAGE_WATCHLIST)
        now = self.node.clock()
        row = self.galleries.enrol(
            gallery, identity, capture, source_sha256=image_sha256, at=now, by=actor.name
        )
        self._record(
            actor,
            "enrol",
            at=now,
            query={"gallery": gallery, "identity": identity, "image_sha256": image_sha256},
            result={"template": row},
        )
        return row

    def search(
        self,
        actor: Actor,
        purpose: str,
        gallery: str,
        capture: FaceCapture,
        *,
        image_sha256: str,
        top: int = 5,
    ) -> list[GalleryHit]:
        """The identities nearest a face, best first (``face.search``: the hits' ids)."""
        permitted(actor, Permission.SEARCH_WATCHLIST)
        why = checked_purpose(purpose)
        hits = self.galleries.search(gallery, capture, top=top)
        self._record(
            actor,
            "search",
            purpose=why,
            query={"gallery": gallery, "image_sha256": image_sha256, "top": top},
            result={"ids": [hit.identity for hit in hits if hit.is_hit]},
        )
        return hits


class FingerDesk(_Desk):
    """The fingerprint galleries (BOZORTH3 matching over ISO/IEC 19794-2 templates)."""

    modality = "finger"
    galleries: FingerprintGalleries

    def __init__(self, node: Node, galleries: FingerprintGalleries) -> None:
        super().__init__(node, galleries)

    def enrol(
        self,
        actor: Actor,
        gallery: str,
        identity: str,
        template: FingerprintTemplate,
        *,
        source_sha256: str,
    ) -> int:
        """File a finger under a record's id (``finger.enrol``); the template's row id."""
        permitted(actor, Permission.MANAGE_WATCHLIST)
        now = self.node.clock()
        row = self.galleries.enrol(
            gallery, identity, template, source_sha256=source_sha256, at=now, by=actor.name
        )
        self._record(
            actor,
            "enrol",
            at=now,
            query={"gallery": gallery, "identity": identity, "source_sha256": source_sha256},
            result={"template": row},
        )
        return row

    def search(
        self,
        actor: Actor,
        purpose: str,
        gallery: str,
        template: FingerprintTemplate,
        *,
        source_sha256: str,
        top: int = 5,
    ) -> list[FingerprintCandidate]:
        """The fingers nearest a print, best first (``finger.search``: the matches' ids)."""
        permitted(actor, Permission.SEARCH_WATCHLIST)
        why = checked_purpose(purpose)
        found = self.galleries.search(gallery, template, top=top)
        self._record(
            actor,
            "search",
            purpose=why,
            query={"gallery": gallery, "source_sha256": source_sha256, "top": top},
            result={"ids": [candidate.id for candidate in found if candidate.is_match]},
        )
        return found
