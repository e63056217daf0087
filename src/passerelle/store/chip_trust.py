"""The chip trust store: the CSCAs and CRLs passive authentication trusts, versioned.

Each change is one transaction that adds a ``chip_trust_versions`` row, the
certificates it brings (or marks removed/superseded) and an audit record
(``chip_trust.import_masterlist``, ``chip_trust.import_csca``, ``chip_trust.import_crl``,
``chip_trust.remove_csca``), so a refused file changes nothing. What is verified before
anything is written:

* a master list: its signature, and its signer issued by a CSCA already trusted or one
  the operator names (``documents.chip.read_master_list``); a CSCA already in force is
  not added twice;
* a CSCA given alone: a readable, self-signed CA certificate (the operator vouches for
  where it came from);
* a CRL: signed by a CSCA in force, and newer than the one it supersedes.

:meth:`ChipTrustStore.anchors` gives the trust in force (or at an earlier version) as
``documents.chip.TrustAnchors``, kept in memory until the version changes.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterable
from datetime import datetime

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from passerelle.documents.chip import (
    ChipDataError,
    TrustAnchors,
    load_certificate,
    load_crl,
    read_master_list,
)
from passerelle.documents.chip.trust import certificate_country_of
from passerelle.exc import InvalidInput, NotFound
from passerelle.store.audit import Actor, AuditTrail
from passerelle.store.chip_values import (
    CscaView,
    TrustChange,
    fingerprint,
    require_csca,
    signed_by,
)
from passerelle.store.db import Database
from passerelle.store.tables import ChipCrl, ChipCsca, ChipPartnerCsca, ChipTrustVersion

__all__ = ["ChipTrustStore", "CscaView", "TrustChange", "fingerprint", "require_csca"]

MAX_SOURCE = 200


def _source(source: str) -> str:
    text = source.strip()
    if not text:
        raise InvalidInput("source", "say where the file came from")
    return text[:MAX_SOURCE]


def _csca_in_force(version: int) -> ColumnElement[bool]:
    removed = ChipCsca.removed_in
    return and_(ChipCsca.added_in <= version, or_(removed.is_(None), removed > version))


def _crl_in_force(version: int) -> ColumnElement[bool]:
    superseded = ChipCrl.superseded_in
    return and_(ChipCrl.added_in <= version, or_(superseded.is_(None), superseded > version))


class ChipTrustStore:
    """The node's CSCAs and CRLs: imports, removals, listings, the anchors of a check."""

    def __init__(self, database: Database, audit: AuditTrail, clock: Callable[[], datetime]):
        self.database, self.audit, self.clock = database, audit, clock
        self._cache: tuple[int, TrustAnchors] | None = None
        self._lock = threading.Lock()

    # -- reading -------------------------------------------------------------------------

    def version(self) -> int:
        """The current version (0: nothing imported yet)."""
        with self.database.lookup() as session:
            return int(session.scalar(select(func.max(ChipTrustVersion.version))) or 0)

    def anchors(self, version: int | None = None) -> TrustAnchors:
        """The CSCAs and CRLs in force (at ``version``, or now)."""
        with self.database.read() as session:
            current = int(session.scalar(select(func.max(ChipTrustVersion.version))) or 0)
            wanted = current if version is None else version
            cached = self._cache
            if cached is not None and cached[0] == wanted and version is None:
                return cached[1]
            cscas = session.scalars(select(ChipCsca.der).where(_csca_in_force(wanted))).all()
            crls = session.scalars(select(ChipCrl.der).where(_crl_in_force(wanted))).all()
        anchors = TrustAnchors.of(
            (x509.load_der_x509_certificate(der) for der in cscas),
            (x509.load_der_x509_crl(der) for der in crls),
        )
        if version is None:
            with self._lock:
                self._cache = (wanted, anchors)
        return anchors

    def cscas(self, *, country: str | None = None) -> list[CscaView]:
        """The CSCAs in force, by country then subject."""
        query = select(ChipCsca).where(ChipCsca.removed_in.is_(None))
        if country:
            query = query.where(ChipCsca.country == country.strip().upper())
        with self.database.read() as session:
            rows = session.scalars(query.order_by(ChipCsca.country, ChipCsca.subject)).all()
            return [
                CscaView(r.fingerprint, r.country, r.subject, r.not_before, r.not_after, r.added_in)
                for r in rows
            ]

    def history(self) -> list[dict[str, object]]:
        """Every change, newest first."""
        with self.database.read() as session:
            rows = session.scalars(
                select(ChipTrustVersion).order_by(ChipTrustVersion.version.desc())
            ).all()
            return [
                {
                    "version": r.version,
                    "kind": r.kind,
                    "source": r.source,
                    "digest": r.digest,
                    "added": r.added,
                    "removed": r.removed,
                    "at": r.at.isoformat(),
                    "by": r.by,
                }
                for r in rows
            ]

    # -- changing ------------------------------------------------------------------------

    def import_master_list(
        self,
        raw: bytes,
        *,
        actor: Actor,
        source: str,
        anchors: Iterable[bytes] = (),
    ) -> TrustChange:
        """Verify a master list and trust the CSCAs it lists (``anchors``: DER or PEM
        CSCAs, obtained out of band, that may have issued its signer)."""
        where = _source(source)
        named = [load_certificate(der, f"anchor[{i}]") for i, der in enumerate(anchors)]
        listed = read_master_list(raw, self.anchors(), anchors=named)
        digest = hashlib.sha256(raw).hexdigest()
        with self.database.write() as session:
            row, now = self._open(session, "masterlist", where, digest, actor), self.clock()
            version = row.version
            have = self._fingerprints_in_force(session)
            added = skipped = 0
            for cert, der in listed.cscas:
                if fingerprint(der) in have:
                    skipped += 1
                    continue
                self._add_csca(session, cert, der, version)
                have.add(fingerprint(der))
                added += 1
            change = TrustChange(version, "masterlist", added, 0, skipped)
            row.added = added
            self.audit.record(
                session,
                actor=actor,
                action="chip_trust.import_masterlist",
                at=now,
                query={"source": where, "digest": hashlib.sha256(raw).hexdigest()},
                result={
                    **change.as_dict(),
                    "signer": listed.signer.subject.rfc4514_string(),
                    "signer_issuer": listed.signer_issuer.subject.rfc4514_string(),
                },
            )
        return change

    def import_csca(self, raw: bytes, *, actor: Actor, source: str) -> TrustChange:
        """Trust one CSCA certificate (DER or PEM), which must be a self-signed CA."""
        where = _source(source)
        cert = load_certificate(raw, "csca")
        require_csca(cert)
        der = cert.public_bytes(Encoding.DER)
        with self.database.write() as session:
            row, now = self._open(session, "csca", where, fingerprint(der), actor), self.clock()
            present = fingerprint(der) in self._fingerprints_in_force(session)
            if not present:
                self._add_csca(session, cert, der, row.version)
            change = TrustChange(row.version, "csca", 0 if present else 1, 0, int(present))
            row.added = change.added
            self.audit.record(
                session,
                actor=actor,
                action="chip_trust.import_csca",
                at=now,
                query={"source": where, "fingerprint": fingerprint(der)},
                result={**change.as_dict(), "subject": cert.subject.rfc4514_string()},
            )
        return change

    def import_crl(self, raw: bytes, *, actor: Actor, source: str) -> TrustChange:
        """Put a CSCA's CRL in force (signed by a CSCA in force, newer than the last)."""
        where = _source(source)
        crl = load_crl(raw, "crl")
        der = crl.public_bytes(Encoding.DER)
        issuers = [c for c in self.anchors().cscas if c.subject == crl.issuer]
        if not any(signed_by(crl, c) for c in issuers):
            raise ChipDataError(
                "crl", f"is not signed by a trusted CSCA ({crl.issuer.rfc4514_string()})"
            )
        issuer = crl.issuer.rfc4514_string()
        with self.database.write() as session:
            digest = hashlib.sha256(der).hexdigest()
            row, now = self._open(session, "crl", where, digest, actor), self.clock()
            version = row.version
            older = session.scalars(
                select(ChipCrl).where(ChipCrl.issuer == issuer, ChipCrl.superseded_in.is_(None))
            ).all()
            for held in older:
                if held.this_update >= crl.last_update_utc:
                    raise ChipDataError(
                        "crl", f"is not newer than the CRL in force ({held.this_update:%Y-%m-%d})"
                    )
                held.superseded_in = version
            session.add(
                ChipCrl(
                    country=certificate_country_of(crl.issuer) or "",
                    issuer=issuer,
                    der=der,
                    this_update=crl.last_update_utc,
                    next_update=crl.next_update_utc,
                    revoked=len(list(crl)),
                    added_in=version,
                )
            )
            change = TrustChange(version, "crl", 1, len(older))
            row.added, row.removed = 1, len(older)
            self.audit.record(
                session,
                actor=actor,
                action="chip_trust.import_crl",
                at=now,
                query={"source": where, "issuer": issuer},
                result={**change.as_dict(), "revoked": len(list(crl))},
            )
        return change

    def remove_csca(self, fingerprint_hex: str, *, actor: Actor, reason: str) -> TrustChange:
        """Stop trusting a CSCA (kept, marked removed at the new version)."""
        why = _source(reason)
        wanted = fingerprint_hex.strip().lower()
        with self.database.write() as session:
            rows = session.scalars(
                select(ChipCsca).where(
                    ChipCsca.fingerprint == wanted, ChipCsca.removed_in.is_(None)
                )
            ).all()
            if not rows:
                raise NotFound("fingerprint", "no CSCA in force has this fingerprint")
            held, now = self._open(session, "remove", why, wanted, actor), self.clock()
            change = TrustChange(held.version, "remove", 0, len(rows))
            held.removed = len(rows)
            for row in rows:
                row.removed_in = held.version
            self.audit.record(
                session,
                actor=actor,
                action="chip_trust.remove_csca",
                at=now,
                query={"fingerprint": wanted, "reason": why},
                result=change.as_dict(),
            )
        return change

    def trusted_ders(self) -> tuple[int, list[bytes]]:
        """The current version and the DER of every CSCA in force (what a node publishes)."""
        with self.database.read() as session:
            current = int(session.scalar(select(func.max(ChipTrustVersion.version))) or 0)
            ders = session.scalars(select(ChipCsca.der).where(ChipCsca.removed_in.is_(None)))
            return current, [bytes(d) for d in ders]

    def offered(self, state: str | None = None) -> list[CscaView]:
        """The CSCAs partners published (``chip.cscas``), not yet trusted by this node."""
        query = select(ChipPartnerCsca)
        if state:
            query = query.where(ChipPartnerCsca.state == state.strip().upper())
        with self.database.read() as session:
            rows = session.scalars(query.order_by(ChipPartnerCsca.state, ChipPartnerCsca.country))
            return [
                CscaView(r.fingerprint, r.country, f"{r.state}: {r.subject}",
                         r.received_at, r.received_at, r.version)
                for r in rows
            ]  # fmt: skip

    def adopt_partner(self, state: str, *, actor: Actor) -> TrustChange:
        """Trust the CSCAs ``state`` published that this node does not trust yet (one version,
        audited); ``NotFound`` when the partner published none."""
        code = state.strip().upper()
        with self.database.write() as session:
            rows = session.scalars(
                select(ChipPartnerCsca).where(ChipPartnerCsca.state == code)
            ).all()
            if not rows:
                raise NotFound("state", f"{code} has published no CSCAs to this node")
            digest = hashlib.sha256("".join(sorted(r.fingerprint for r in rows)).encode())
            row = self._open(session, "partner", f"published by {code} (v{rows[0].version})",
                             digest.hexdigest(), actor)  # fmt: skip
            have = self._fingerprints_in_force(session)
            added = 0
            for offer in rows:
                if offer.fingerprint in have:
                    continue
                cert = x509.load_der_x509_certificate(offer.der)
                self._add_csca(session, cert, offer.der, row.version)
                have.add(offer.fingerprint)
                added += 1
            row.added = added
            change = TrustChange(row.version, "partner", added, 0, len(rows) - added)
            self.audit.record(
                session,
                actor=actor,
                action="chip_trust.adopt_partner",
                at=self.clock(),
                query={"state": code},
                result=change.as_dict(),
            )
        return change

    # -- inside a transaction ------------------------------------------------------------

    def _open(
        self, session: Session, kind: str, source: str, digest: str, actor: Actor
    ) -> ChipTrustVersion:
        """The next version's row, written first (its certificates refer to it)."""
        current = session.scalar(select(func.max(ChipTrustVersion.version)))
        row = ChipTrustVersion(
            version=int(current or 0) + 1,
            kind=kind,
            source=source,
            digest=digest,
            added=0,
            removed=0,
            at=self.clock(),
            by=actor.name,
        )
        session.add(row)
        session.flush()
        return row

    @staticmethod
    def _fingerprints_in_force(session: Session) -> set[str]:
        return set(
            session.scalars(select(ChipCsca.fingerprint).where(ChipCsca.removed_in.is_(None)))
        )

    @staticmethod
    def _add_csca(session: Session, cert: x509.Certificate, der: bytes, version: int) -> None:
        session.add(
            ChipCsca(
                fingerprint=fingerprint(der),
                country=certificate_country_of(cert.subject) or "",
                subject=cert.subject.rfc4514_string(),
                der=der,
                not_before=cert.not_valid_before_utc,
                not_after=cert.not_valid_after_utc,
                added_in=version,
            )
        )
