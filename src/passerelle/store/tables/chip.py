"""The chip trust store's tables (migration 0019): the CSCAs and CRLs a node trusts.

The store is versioned: each import (a master list, a CSCA, a CRL) or removal is one
row of ``chip_trust_versions`` and the certificates carry the version that added them
and the one that removed (a CSCA) or superseded (a CRL, by a newer one of its issuer)
them, so the trust in force at any version can be read back. Every change is audited
(``chip_trust.*``).

======================  ================================================================
``chip_trust_versions`` one per change: what was imported, from where, by whom, when
``chip_cscas``          Country Signing CA certificates (DER), with their country
``chip_crls``           the CSCAs' revocation lists (DER), the newest per issuer in force
``chip_partner_cscas``  the CSCAs each partner published (``chip.cscas``): offered, not
                        trusted until an administrator adopts them
======================  ================================================================
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from passerelle.store.tables.base import Base

__all__ = ["ChipCrl", "ChipCsca", "ChipPartnerCsca", "ChipTrustVersion"]


class ChipTrustVersion(Base):
    """One change of the trust store."""

    __tablename__ = "chip_trust_versions"

    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(200))
    digest: Mapped[str] = mapped_column(String(64))
    """SHA-256 of the file imported (hex), or of the certificate removed."""
    added: Mapped[int] = mapped_column(Integer)
    removed: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime]
    by: Mapped[str] = mapped_column(String(128))


class ChipCsca(Base):
    """A CSCA certificate trusted from ``added_in`` until ``removed_in`` (excluded)."""

    __tablename__ = "chip_cscas"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    country: Mapped[str] = mapped_column(String(2))
    subject: Mapped[str] = mapped_column(Text)
    der: Mapped[bytes] = mapped_column(LargeBinary)
    not_before: Mapped[datetime]
    not_after: Mapped[datetime]
    added_in: Mapped[int] = mapped_column(ForeignKey("chip_trust_versions.version"))
    removed_in: Mapped[int | None] = mapped_column(ForeignKey("chip_trust_versions.version"))

    __table_args__ = (Index("ix_chip_cscas_fingerprint", "fingerprint"),)


class ChipCrl(Base):
    """A CSCA's CRL, in force from ``added_in`` until ``superseded_in`` (excluded)."""

    __tablename__ = "chip_crls"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    country: Mapped[str] = mapped_column(String(2))
    issuer: Mapped[str] = mapped_column(Text)
    der: Mapped[bytes] = mapped_column(LargeBinary)
    this_update: Mapped[datetime]
    next_update: Mapped[datetime | None]
    revoked: Mapped[int] = mapped_column(Integer)
    added_in: Mapped[int] = mapped_column(ForeignKey("chip_trust_versions.version"))
    superseded_in: Mapped[int | None] = mapped_column(ForeignKey("chip_trust_versions.version"))


class ChipPartnerCsca(Base):
    """A CSCA a partner published as trusted (its latest publication replaces the last)."""

    __tablename__ = "chip_partner_cscas"

    state: Mapped[str] = mapped_column(String(3), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64), primary_key=True)
    country: Mapped[str] = mapped_column(String(2))
    subject: Mapped[str] = mapped_column(Text)
    der: Mapped[bytes] = mapped_column(LargeBinary)
    version: Mapped[int] = mapped_column(Integer)
    """The partner's trust store version it published."""
    received_at: Mapped[datetime]
