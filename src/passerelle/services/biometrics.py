"""Faces and fingerprints in the node's galleries: enrolled, searched (1:N) and removed, each
step audited once (``face.*`` and ``finger.*``).

The galleries keep the templates sealed in the database and their indexes in
``HOME/galleries``; what the audit trail keeps is the digest of the image or
record the template came from, never the template.
"""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Generic, TypeVar

from passerelle.access import Permission
from passerelle.access.scope import scoped_inspection
from passerelle.biometrics.enrolment import FaceGalleries, FingerprintGalleries
from passerelle.biometrics.face import FaceCapture
from passerelle.biometrics.fingerprint import FingerprintCandidate, FingerprintTemplate
from passerelle.biometrics.gallery import GalleryHit
from passerelle.exc import InvalidInput, NotFound
from passerelle.node import Node
from passerelle.services.common import checked_purpose, permitted
from passerelle.services.lookups import audited_lookup
from passerelle.store.audit import Actor
from passerelle.store.inspections import InspectionRepository

__all__ = ["FaceDesk", "FingerDesk"]

ProbeT = TypeVar("ProbeT")
HitT = TypeVar("HitT")


class _Desk(ABC, Generic[ProbeT, HitT]):
    """Enrolment, search and removal, alike for both modalities; each desk says how its
    galleries take a probe and which of its hits are hits."""

    modality: str
    """``face`` or ``finger``: the audit actions' prefix."""
    digest_key: str
    """The name the audit trail gives the source's SHA-256."""

    def __init__(self, node: Node, galleries: FaceGalleries | FingerprintGalleries) -> None:
        self.node = node
        self._galleries = galleries

    @abstractmethod
    def _enrol(
        self, gallery: str, identity: str, probe: ProbeT, digest: str, at: datetime, by: str
    ) -> int: ...

    @abstractmethod
    def _search(self, gallery: str, probe: ProbeT, top: int) -> list[HitT]: ...

    @abstractmethod
    def _hit_ids(self, found: Sequence[HitT]) -> list[str]: ...

    def enrol(
        self, actor: Actor, gallery: str, identity: str, probe: ProbeT, *, digest: str
    ) -> int:
        """File a template under a record's id (``<modality>.enrol``); its row id."""
        permitted(actor, Permission.MANAGE_WATCHLIST)
        now = self.node.clock()
        row = self._enrol(gallery, identity, probe, digest, now, actor.name)
        self._record_enrolment(actor, gallery, identity, digest, row, now)
        return row

    def _record_enrolment(
        self,
        actor: Actor,
        gallery: str,
        identity: str,
        digest: str,
        row: int,
        at: datetime,
        **more: object,
    ) -> None:
        self._record(
            actor,
            "enrol",
            at=at,
            query={"gallery": gallery, "identity": identity, self.digest_key: digest, **more},
            result={"template": row},
        )

    def search(
        self, actor: Actor, purpose: str, gallery: str, probe: ProbeT, *, digest: str, top: int = 5
    ) -> list[HitT]:
        """The enrolled identities nearest the probe, best first (``<modality>.search``: the
        ids of those at or above the gallery's threshold)."""
        permitted(actor, Permission.SEARCH_WATCHLIST)
        why = checked_purpose(purpose)
        found = self._search(gallery, probe, top)
        self._record(
            actor,
            "search",
            purpose=why,
            query={"gallery": gallery, self.digest_key: digest, "top": top},
            result={"ids": self._hit_ids(found)},
        )
        return found

    def remove(self, actor: Actor, gallery: str, identity: str, reason: str) -> int:
        """Take an identity's templates out of a gallery (store and index), saying why; how
        many went (``<modality>.remove``, recorded even when none did)."""
        permitted(actor, Permission.MANAGE_WATCHLIST)
        why = reason.strip()
        if not why:
            raise InvalidInput("reason", f"must say why the {self.modality}s are removed")
        removed = self._galleries.remove(gallery, identity)
        self._record(
            actor,
            "remove",
            purpose=why,
            query={"gallery": gallery, "identity": identity},
            result={"templates": removed},
        )
        return removed

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


class FaceDesk(_Desk[FaceCapture, GalleryHit]):
    """The face galleries (alerts, wanted persons, ...) behind the node's 1:N searches.

    An enrolment may give the image (kept, downscaled and sealed, as the identity's
    reference photo) and the name shown with it; the officer sees both on a face
    hit, through :meth:`reference_photo`.
    """

    modality = "face"
    digest_key = "image_sha256"

    def __init__(self, node: Node, galleries: FaceGalleries) -> None:
        super().__init__(node, galleries)
        self.galleries = galleries

    def enrol(
        self,
        actor: Actor,
        gallery: str,
        identity: str,
        probe: FaceCapture,
        *,
        digest: str,
        image: bytes | None = None,
        name: str | None = None,
    ) -> int:
        """File a face under a record's id, keeping ``image`` (the photo enrolled) as the
        identity's reference photo and ``name`` as the name shown with it (``face.enrol``,
        saying whether a photo and a name were kept); its template's row id."""
        permitted(actor, Permission.MANAGE_WATCHLIST)
        now = self.node.clock()
        row = self.galleries.enrol(
            gallery,
            identity,
            probe,
            source_sha256=digest,
            at=now,
            by=actor.name,
            image=image,
            name=name,
        )
        self._record_enrolment(
            actor,
            gallery,
            identity,
            digest,
            row,
            now,
            reference_photo=image is not None,
            name=bool(name and name.strip()),
        )
        return row

    def reference_photo(
        self, actor: Actor, purpose: str, inspection_id: str, gallery: str, identity: str
    ) -> bytes:
        """The reference photo of a face an inspection hit (``face.reference``, recorded
        whatever it finds): refused (not found) unless that inspection's result holds a face
        hit on ``gallery:identity`` and a photo is on file; the JPEG's bytes."""
        node = self.node
        with audited_lookup(
            node,
            actor,
            f"{self.modality}.reference",
            permissions=(Permission.INSPECT, Permission.REVIEW_HITS),
            purpose=purpose,
            query={"inspection": inspection_id, "gallery": gallery, "identity": identity},
        ) as lookup:
            with node.database.read() as session:
                view = scoped_inspection(
                    node, session, InspectionRepository(node.audit), actor, inspection_id
                )
            faces = view.result.get("matches", {}).get("faces", ())
            if not any((f.get("gallery"), f.get("identity")) == (gallery, identity) for f in faces):
                raise NotFound(
                    "identity",
                    f"inspection {inspection_id} has no face hit on {gallery}:{identity}",
                )
            reference = self.galleries.reference(gallery, identity)
            if reference is None or reference.jpeg is None:
                raise NotFound("identity", f"no reference photo of {gallery}:{identity} on file")
            with node.database.write() as session:
                lookup.found(session, {"photo_sha256": hashlib.sha256(reference.jpeg).hexdigest()})
        return reference.jpeg

    def _enrol(
        self, gallery: str, identity: str, probe: FaceCapture, digest: str, at: datetime, by: str
    ) -> int:
        return self.galleries.enrol(gallery, identity, probe, source_sha256=digest, at=at, by=by)

    def _search(self, gallery: str, probe: FaceCapture, top: int) -> list[GalleryHit]:
        return self.galleries.search(gallery, probe, top=top)

    def _hit_ids(self, found: Sequence[GalleryHit]) -> list[str]:
        return [hit.identity for hit in found if hit.is_hit]


class FingerDesk(_Desk[FingerprintTemplate, FingerprintCandidate]):
    """The fingerprint galleries (BOZORTH3 matching over ISO/IEC 19794-2 templates)."""

    modality = "finger"
    digest_key = "source_sha256"

    def __init__(self, node: Node, galleries: FingerprintGalleries) -> None:
        super().__init__(node, galleries)
        self.galleries = galleries

    def _enrol(
        self,
        gallery: str,
        identity: str,
        probe: FingerprintTemplate,
        digest: str,
        at: datetime,
        by: str,
    ) -> int:
        return self.galleries.enrol(gallery, identity, probe, source_sha256=digest, at=at, by=by)

    def _search(
        self, gallery: str, probe: FingerprintTemplate, top: int
    ) -> list[FingerprintCandidate]:
        return self.galleries.search(gallery, probe, top=top)

    def _hit_ids(self, found: Sequence[FingerprintCandidate]) -> list[str]:
        return [candidate.id for candidate in found if candidate.is_match]
