"""The biometric tables: sealed templates, one gallery each (migration 0003), and each face
identity's sealed reference photo with its name (migration 0013)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from passerelle.store.tables.base import Base, BigId

__all__ = [
    "BiometricTemplate",
    "FaceReference",
]


class BiometricTemplate(Base):
    """One biometric template of an identity on a list, sealed with the node's key.

    ``identity`` is the store id the template belongs to (a watchlist person, an
    alert, a partner reference); ``gallery`` names the 1:N list it is searched in.
    The template bytes are never stored in clear (``TemplateVault``).
    """

    __tablename__ = "biometric_templates"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    gallery: Mapped[str] = mapped_column(String(32))
    identity: Mapped[str] = mapped_column(String(64))
    modality: Mapped[str] = mapped_column(String(8))
    model: Mapped[str] = mapped_column(String(16))
    model_version: Mapped[str] = mapped_column(String(16))
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
    source_sha256: Mapped[str] = mapped_column(String(64))
    """SHA-256 of the image the template was made from (not the image)."""
    enrolled_at: Mapped[datetime]
    enrolled_by: Mapped[str] = mapped_column(String(128))

    __table_args__ = (Index("ix_biometric_templates_gallery", "gallery", "identity"),)


class FaceReference(Base):
    """The reference photo of one identity of a face gallery, and the name shown with it.

    The photo (a downscaled JPEG of the image enrolled) is sealed with the node's
    biometric key, bound to the gallery and identity; it goes when the identity's
    templates go (removal, retention).
    """

    __tablename__ = "face_references"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    gallery: Mapped[str] = mapped_column(String(32))
    identity: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str | None] = mapped_column(String(200))
    sealed_image: Mapped[bytes | None] = mapped_column(LargeBinary)
    """``None``: a name without a photo (a face enrolled from a template)."""
    image_sha256: Mapped[str | None] = mapped_column(String(64))
    """SHA-256 of the image enrolled (the source, not the downscaled copy)."""
    enrolled_at: Mapped[datetime]
    enrolled_by: Mapped[str] = mapped_column(String(128))

    __table_args__ = (Index("ix_face_references_identity", "gallery", "identity", unique=True),)
