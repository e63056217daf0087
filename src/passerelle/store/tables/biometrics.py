"""The biometric templates' table (migration 0003): sealed templates, one gallery each."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from passerelle.store.tables.base import Base, BigId

__all__ = [
    "BiometricTemplate",
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
