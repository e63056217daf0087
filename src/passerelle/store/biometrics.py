"""Biometric templates in the store: sealed bytes per gallery and identity.

The store is the source of truth for 1:N galleries: a gallery's index file is
a cache that :mod:`passerelle.biometrics.enrolment` rebuilds from these rows
whenever it disagrees with them. Templates are kept sealed
(:class:`passerelle.biometrics.vault.TemplateVault`); only their model tags,
the identity they belong to and the SHA-256 of the source image are in clear.
A face identity's reference photo is sealed too (``face_references``); its
display name is in clear, as the lists' names are.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from passerelle.exc import InvalidInput
from passerelle.store.tables import BiometricTemplate, FaceReference

__all__ = [
    "GALLERY_NAME",
    "BiometricTemplateStore",
    "FaceReferenceStore",
    "StoredReference",
    "StoredTemplate",
    "checked_display_name",
]

GALLERY_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,31}")
MODALITIES = frozenset({"face", "finger"})


class StoredTemplate(NamedTuple):
    id: int
    identity: str
    model: str
    model_version: str
    sealed: bytes


class GalleryState(NamedTuple):
    """What a cached gallery index must agree with: live rows and the newest row id."""

    templates: int
    last_id: int


def checked_gallery(name: str) -> str:
    if not GALLERY_NAME.fullmatch(name):
        raise InvalidInput("gallery", f"{name!r}: lower-case letters, digits, - and _, 1 to 32")
    return name


def checked_identity(identity: str) -> str:
    value = identity.strip()
    if not value or len(value) > 64:
        raise InvalidInput("identity", "must be a store id of 1 to 64 characters")
    return value


class BiometricTemplateStore:
    """Rows of ``biometric_templates``."""

    def add(
        self,
        session: Session,
        *,
        gallery: str,
        identity: str,
        modality: str,
        model: str,
        model_version: str,
        sealed: bytes,
        source_sha256: str,
        enrolled_at: datetime,
        enrolled_by: str,
    ) -> int:
        if modality not in MODALITIES:
            raise InvalidInput("modality", f"{modality!r} is not one of face, finger")
        row = BiometricTemplate(
            gallery=checked_gallery(gallery),
            identity=checked_identity(identity),
            modality=modality,
            model=model,
            model_version=model_version,
            sealed=sealed,
            source_sha256=source_sha256,
            enrolled_at=enrolled_at,
            enrolled_by=enrolled_by,
        )
        session.add(row)
        session.flush()
        return row.id

    def remove(self, session: Session, gallery: str, identity: str, *, modality: str) -> int:
        """Delete ``identity``'s templates of ``modality`` in ``gallery``; how many there were."""
        result = session.execute(
            delete(BiometricTemplate).where(
                BiometricTemplate.gallery == checked_gallery(gallery),
                BiometricTemplate.modality == modality,
                BiometricTemplate.identity == checked_identity(identity),
            )
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    def templates(
        self, session: Session, gallery: str, *, modality: str
    ) -> Iterator[StoredTemplate]:
        rows = session.execute(
            select(
                BiometricTemplate.id,
                BiometricTemplate.identity,
                BiometricTemplate.model,
                BiometricTemplate.model_version,
                BiometricTemplate.sealed,
            )
            .where(
                BiometricTemplate.gallery == checked_gallery(gallery),
                BiometricTemplate.modality == modality,
            )
            .order_by(BiometricTemplate.id)
            .execution_options(yield_per=5000)
        )
        for row in rows:
            yield StoredTemplate(*row)

    def state(self, session: Session, gallery: str, *, modality: str) -> GalleryState:
        """How many templates of ``modality`` ``gallery`` holds, and its newest row id."""
        count, last = session.execute(
            select(func.count(), func.max(BiometricTemplate.id)).where(
                BiometricTemplate.gallery == checked_gallery(gallery),
                BiometricTemplate.modality == modality,
            )
        ).one()
        return GalleryState(int(count or 0), int(last or 0))


class StoredReference(NamedTuple):
    """A face identity's name and sealed reference photo (``None``: no photo on file)."""

    gallery: str
    identity: str
    display_name: str | None
    sealed_image: bytes | None


def checked_display_name(name: str | None) -> str | None:
    """The name shown with a face identity, stripped; ``None`` when none is given."""
    if name is None or not name.strip():
        return None
    value = " ".join(name.split())
    if len(value) > 200:
        raise InvalidInput("name", "is longer than 200 characters")
    if any(not character.isprintable() for character in value):
        raise InvalidInput("name", "holds control characters")
    return value


class FaceReferenceStore:
    """Rows of ``face_references``: one reference photo and name per gallery identity."""

    def put(
        self,
        session: Session,
        *,
        gallery: str,
        identity: str,
        display_name: str | None,
        sealed_image: bytes | None,
        image_sha256: str | None,
        enrolled_at: datetime,
        enrolled_by: str,
    ) -> None:
        """File the identity's reference: a new photo replaces the one on file; a name given
        replaces the name (none given keeps it)."""
        row = session.scalars(
            select(FaceReference)
            .where(
                FaceReference.gallery == checked_gallery(gallery),
                FaceReference.identity == checked_identity(identity),
            )
            .with_for_update()
        ).first()
        if row is None:
            row = FaceReference(gallery=gallery, identity=checked_identity(identity))
            session.add(row)
        if display_name is not None:
            row.display_name = display_name
        if sealed_image is not None:
            row.sealed_image, row.image_sha256 = sealed_image, image_sha256
        row.enrolled_at, row.enrolled_by = enrolled_at, enrolled_by
        session.flush()

    def get(self, session: Session, gallery: str, identity: str) -> StoredReference | None:
        row = session.execute(
            select(
                FaceReference.gallery,
                FaceReference.identity,
                FaceReference.display_name,
                FaceReference.sealed_image,
            ).where(
                FaceReference.gallery == checked_gallery(gallery),
                FaceReference.identity == checked_identity(identity),
            )
        ).first()
        return StoredReference(*row) if row is not None else None

    def photo_galleries(self, session: Session, identity: str) -> list[str]:
        """The galleries holding a reference photo of ``identity`` (a record's id), by name."""
        return list(
            session.scalars(
                select(FaceReference.gallery)
                .where(
                    FaceReference.identity == checked_identity(identity),
                    FaceReference.sealed_image.is_not(None),
                )
                .order_by(FaceReference.gallery)
            )
        )

    def describe(
        self, session: Session, gallery: str, identity: str
    ) -> tuple[str | None, bool] | None:
        """The identity's name and whether a photo is on file, without the photo."""
        row = session.execute(
            select(FaceReference.display_name, FaceReference.sealed_image.is_not(None)).where(
                FaceReference.gallery == checked_gallery(gallery),
                FaceReference.identity == checked_identity(identity),
            )
        ).first()
        return (row[0], bool(row[1])) if row is not None else None

    def remove(self, session: Session, gallery: str, identity: str) -> int:
        """Delete the identity's reference; how many rows went (0 or 1)."""
        result = session.execute(
            delete(FaceReference).where(
                FaceReference.gallery == checked_gallery(gallery),
                FaceReference.identity == checked_identity(identity),
            )
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]
