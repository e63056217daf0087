"""Passive authentication of an eMRTD chip (ICAO Doc 9303 Part 11 §5.1, Part 12).

:func:`verify_chip` takes what the reader read (EF.SOD and data groups), the printed
MRZ, the node's trust anchors and the day, and checks, in this order:

1. sizes: EF.SOD at most 64 KiB, a data group at most 1 MiB (``chip_oversized``);
2. EF.SOD reads as CMS SignedData over an LDSSecurityObject with its DSC
   (``chip_malformed``, part ``sod``/``dsc``);
3. the SOD's signature with the DSC's key (``chip_signature``; an algorithm outside
   ICAO 9303's: ``chip_algorithm``);
4. each data group handed over: one whole TLV of its tag (``chip_malformed``), listed in
   the SOD (``chip_dg_missing``), with the hash the SOD signed (``chip_hash``); DG1 must
   be among them (``chip_dg_missing``);
5. DG1's MRZ is the printed one (``chip_mrz_mismatch``);
6. the DSC's country is the MRZ's issuing state (``chip_country_mismatch``);
7. a trusted CSCA of that name and key issued the DSC (``csca_unknown``; a CSCA of that
   name whose key did not sign it: ``dsc_signature``);
8. the DSC and the CSCA are valid on the day (``dsc_expired``, ``csca_expired``);
9. the CSCA's CRL does not list the DSC (``dsc_revoked``); no CRL, or one past its next
   update, is a warning (``crl_unavailable``, ``crl_stale``);
10. DG14 and DG15, verified, say chip or active authentication is possible (``info``).

Never raises for what the chip holds: everything becomes a finding.
"""

from __future__ import annotations

from datetime import date, datetime

from cryptography import x509
from cryptography.exceptions import InvalidSignature

from passerelle.documents.chip.countries import certificate_country
from passerelle.documents.chip.errors import ChipAlgorithmError, ChipDataError
from passerelle.documents.chip.findings import ChipFinding, ChipFindingCode, error
from passerelle.documents.chip.lds import (
    FaceImage,
    check_data_group,
    dg1_mrz_lines,
    dg2_face_image,
    part_name,
)
from passerelle.documents.chip.model import (
    MAX_DATA_GROUP_BYTES,
    MAX_SOD_BYTES,
    ChipData,
    ChipVerification,
)
from passerelle.documents.chip.signatures import digest, verify_issued_by, verify_signer
from passerelle.documents.chip.sod import LDS_SECURITY_OBJECT, SecurityObject, read_sod
from passerelle.documents.chip.trust import TrustAnchors, certificate_country_of
from passerelle.documents.findings import Severity
from passerelle.i18n import N_
from passerelle.i18n.wording import Wording, worded

__all__ = ["verify_chip"]

Code = ChipFindingCode


def _reason(refused: ChipDataError) -> str | Wording:
    """Why a part of the chip could not be read: worded where the parser worded it."""
    return refused.wording if isinstance(refused.wording, Wording) else refused.reason


def _failed(findings: list[ChipFinding], **known: object) -> ChipVerification:
    return ChipVerification(False, tuple(findings), **known)  # type: ignore[arg-type]


def _oversized(chip: ChipData) -> list[ChipFinding]:
    out = []
    if len(chip.sod) > MAX_SOD_BYTES:
        out.append(
            error(
                Code.CHIP_OVERSIZED, "sod", N_("is over %(size)s KiB"), size=MAX_SOD_BYTES // 1024
            )
        )
    for number, raw in sorted(chip.data_groups.items()):
        if len(raw) > MAX_DATA_GROUP_BYTES:
            limit = MAX_DATA_GROUP_BYTES // 2**20
            out.append(
                error(
                    Code.CHIP_OVERSIZED, part_name(number), N_("is over %(size)s MiB"), size=limit
                )
            )
    return out


def _check_hashes(
    chip: ChipData, sod: SecurityObject, findings: list[ChipFinding]
) -> tuple[int, ...]:
    """The data groups whose hash verified; a finding for each that did not."""
    verified = []
    if 1 not in chip.data_groups:
        findings.append(error(Code.CHIP_DG_MISSING, "dg1", N_("DG1 (the MRZ) was not read")))
    for number, raw in sorted(chip.data_groups.items()):
        part = part_name(number)
        try:
            check_data_group(number, raw)
        except ChipDataError as exc:
            findings.append(
                error(
                    Code.CHIP_MALFORMED,
                    part,
                    N_("DG%(group)s %(reason)s"),
                    group=number,
                    reason=_reason(exc),
                )
            )
            continue
        signed = sod.hashes.get(number)
        if signed is None:
            findings.append(
                error(Code.CHIP_DG_MISSING, part, N_("DG%(group)s is not in the SOD"), group=number)
            )
            continue
        if digest(sod.hash_algorithm, raw, part) != signed:
            findings.append(
                error(
                    Code.CHIP_HASH,
                    part,
                    N_("DG%(group)s differs from what the issuer signed"),
                    group=number,
                )
            )
            continue
        verified.append(number)
    return tuple(verified)


def _same_mrz(chip_lines: tuple[str, ...], printed: tuple[str, ...]) -> bool:
    return tuple(line.strip().upper() for line in printed) == chip_lines


def _valid_on(cert: x509.Certificate, day: date) -> bool:
    return cert.not_valid_before_utc.date() <= day <= cert.not_valid_after_utc.date()


def _issuer(
    dsc: x509.Certificate, trust: TrustAnchors, findings: list[ChipFinding], country: str | None
) -> x509.Certificate | None:
    candidates = trust.issuers_of(dsc)
    if not candidates:
        findings.append(
            error(
                Code.CSCA_UNKNOWN,
                "csca",
                N_("no trusted CSCA of %(country)s issued its signer"),
                country=str(country),
            )
        )
        return None
    for csca in candidates:
        try:
            verify_issued_by(dsc, csca, "dsc")
        except InvalidSignature:
            continue
        except ChipAlgorithmError as exc:
            findings.append(
                error(Code.CHIP_ALGORITHM, exc.field, N_("the DSC %(reason)s"), reason=_reason(exc))
            )
            return None
        return csca
    findings.append(
        error(
            Code.DSC_SIGNATURE,
            "dsc",
            N_("its signer is not signed by the CSCA of %(country)s"),
            country=str(country),
        )
    )
    return None


def _revocation(
    dsc: x509.Certificate,
    csca: x509.Certificate,
    trust: TrustAnchors,
    day: date,
    findings: list[ChipFinding],
) -> None:
    crls = trust.crls_of(csca)
    if not crls:
        findings.append(
            ChipFinding.worded(
                Code.CRL_UNAVAILABLE, "crl", Severity.WARNING,
                worded(N_("no CRL of this CSCA: revocation not checked")),
            )
        )  # fmt: skip
        return
    latest = max(crls, key=lambda c: c.last_update_utc)
    if any(crl.get_revoked_certificate_by_serial_number(dsc.serial_number) for crl in crls):
        findings.append(error(Code.DSC_REVOKED, "dsc", N_("its signer's certificate is revoked")))
    next_update: datetime | None = latest.next_update_utc
    if next_update is not None and next_update.date() < day:
        findings.append(
            ChipFinding.worded(
                Code.CRL_STALE, "crl", Severity.WARNING,
                worded(
                    N_("the newest CRL was due for renewal on %(day)s"),
                    day=next_update.date().isoformat(),
                ),
            )
        )  # fmt: skip


def verify_chip(
    chip: ChipData,
    *,
    printed_mrz: tuple[str, ...] | None,
    issuing_state: str | None,
    trust: TrustAnchors,
    as_of: date,
) -> ChipVerification:
    """Passive authentication of ``chip`` against the printed MRZ's lines and issuing
    state (alpha-3, as the MRZ writes it, fillers removed), on the day ``as_of``.

    ``printed_mrz`` None skips the DG1 comparison (a chip read without a scanned page);
    ``issuing_state`` None takes DG1's.
    """
    try:
        return _verify(chip, printed_mrz, issuing_state, trust, as_of)
    except (ValueError, TypeError, KeyError, AttributeError, IndexError) as exc:
        # a structure the parsers accepted but whose fields are not what ICAO 9303 says
        reason = N_("EF.SOD holds a field that cannot be used (%(error)s)")
        return _failed([error(Code.CHIP_MALFORMED, "sod", reason, error=type(exc).__name__)])


def _verify(
    chip: ChipData,
    printed_mrz: tuple[str, ...] | None,
    issuing_state: str | None,
    trust: TrustAnchors,
    as_of: date,
) -> ChipVerification:
    findings = _oversized(chip)
    if findings:
        return _failed(findings)
    try:
        sod = read_sod(chip.sod)
    except ChipDataError as exc:
        code = Code.CHIP_ALGORITHM if isinstance(exc, ChipAlgorithmError) else Code.CHIP_MALFORMED
        return _failed([error(code, exc.field, N_("EF.SOD %(reason)s"), reason=_reason(exc))])
    dsc = sod.certificate
    if dsc is None:
        return _failed(
            [error(Code.CHIP_MALFORMED, "sod", N_("EF.SOD carries no document signer certificate"))]
        )
    algorithm = str(sod.signer["signature_algorithm"]["algorithm"].native)
    known: dict[str, object] = {
        "dsc": dsc.subject.rfc4514_string(),
        "hash_algorithm": sod.hash_algorithm,
        "signature_algorithm": algorithm,
    }
    try:
        verify_signer(sod.signer, sod.content, LDS_SECURITY_OBJECT, dsc.public_key())
    except InvalidSignature:
        findings.append(
            error(Code.CHIP_SIGNATURE, "sod", N_("the SOD's signature does not verify"))
        )
    except ChipDataError as exc:  # ChipAlgorithmError included
        code = Code.CHIP_ALGORITHM if isinstance(exc, ChipAlgorithmError) else Code.CHIP_MALFORMED
        return _failed(
            [*findings, error(code, exc.field, N_("EF.SOD %(reason)s"), reason=_reason(exc))],
            **known,
        )
    try:
        verified_groups = _check_hashes(chip, sod, findings)
    except ChipAlgorithmError as exc:
        return _failed(
            [*findings, error(Code.CHIP_ALGORITHM, "sod", "%(reason)s", reason=_reason(exc))],
            **known,
        )

    chip_lines: tuple[str, ...] | None = None
    if 1 in verified_groups:
        try:
            chip_lines = dg1_mrz_lines(chip.data_groups[1])
        except ChipDataError as exc:
            findings.append(
                error(Code.CHIP_MALFORMED, "dg1", N_("DG1 %(reason)s"), reason=_reason(exc))
            )
    if (
        chip_lines is not None
        and printed_mrz is not None
        and not _same_mrz(chip_lines, printed_mrz)
    ):
        findings.append(
            error(Code.CHIP_MRZ_MISMATCH, "dg1", N_("the chip's MRZ is not the printed one"))
        )
    if issuing_state is None and chip_lines is not None:
        issuing_state = chip_lines[0][2:5].rstrip("<")

    country = certificate_country_of(dsc.issuer)
    known["country"] = country
    wanted = certificate_country(issuing_state) if issuing_state else None
    if wanted is not None and country != wanted:
        findings.append(
            error(
                Code.CHIP_COUNTRY_MISMATCH, "dsc",
                N_("signed by %(country)s, but the document is issued by %(issuer)s"),
                country=str(country), issuer=str(issuing_state),
            )
        )  # fmt: skip

    csca = _issuer(dsc, trust, findings, country)
    if not _valid_on(dsc, as_of):
        findings.append(
            error(
                Code.DSC_EXPIRED,
                "dsc",
                N_("its signer's certificate is not valid on %(day)s"),
                day=as_of.isoformat(),
            )
        )
    if csca is not None:
        known["csca"] = csca.subject.rfc4514_string()
        if not _valid_on(csca, as_of):
            findings.append(
                error(
                    Code.CSCA_EXPIRED,
                    "csca",
                    N_("the CSCA is not valid on %(day)s"),
                    day=as_of.isoformat(),
                )
            )
        _revocation(dsc, csca, trust, as_of, findings)

    chip_auth = 14 in verified_groups
    active_auth = 15 in verified_groups
    if chip_auth:
        findings.append(
            ChipFinding.worded(
                Code.CHIP_AUTHENTICATION_AVAILABLE, "dg14", Severity.INFO,
                worded(N_("chip authentication is possible (DG14): the reader runs the challenge")),
            )
        )  # fmt: skip
    if active_auth:
        findings.append(
            ChipFinding.worded(
                Code.ACTIVE_AUTHENTICATION_AVAILABLE, "dg15", Severity.INFO,
                worded(
                    N_("active authentication is possible (DG15): the reader runs the challenge")
                ),
            )
        )  # fmt: skip
    face: FaceImage | None = None
    if 2 in verified_groups:
        try:
            face = dg2_face_image(chip.data_groups[2])
        except ChipDataError:
            face = None  # a verified DG2 whose image this node cannot read: no face, no finding
    return ChipVerification(
        verified=not any(f.is_error for f in findings),
        findings=tuple(findings),
        country=country,
        csca=known.get("csca"),  # type: ignore[arg-type]
        dsc=known["dsc"],  # type: ignore[arg-type]
        hash_algorithm=sod.hash_algorithm,
        signature_algorithm=algorithm,
        data_groups=verified_groups,
        chip_authentication=chip_auth,
        active_authentication=active_auth,
        face=face,
    )
