"""The chip check of an inspection: passive authentication in an officer's words.

When the reader hands over the chip (``InspectionRequest.chip``), the inspector checks
it against the node's trust store (``store.chip_trust``) and the printed MRZ
(``documents.chip.verify_chip``) before the other checks, and each chip finding becomes
one of the inspection's (source ``chip``), its severity decided by its code:

``hit`` — the chip proves the document was tampered with
    ``chip_signature`` (the SOD's signature fails), ``chip_hash`` (a data group was
    changed after issue), ``chip_mrz_mismatch`` (a genuine chip of another document: a
    cloned or swapped chip), ``chip_country_mismatch`` (signed by another state),
    ``dsc_signature`` (a signer named after a trusted CSCA but not signed by it). A
    ``chip_mrz_mismatch`` while the printed MRZ is not well formed (a check digit fails:
    it may be the page that was misread) refers instead, until the page is rescanned.
``refer`` — the chip cannot be trusted, nothing proves a forgery
    ``csca_unknown``, ``csca_expired``, ``dsc_revoked``, ``dsc_expired``,
    ``chip_malformed``, ``chip_oversized``, ``chip_algorithm``, ``chip_dg_missing``; and a
    check that failed (the trust store unreadable: ``error``).
``info`` — everything else
    ``chip_verified`` (its message is the chip line: who vouches for the chip),
    ``crl_unavailable``, ``crl_stale``, ``chip_authentication_available``,
    ``active_authentication_available``.

A verified chip's DG2 face stands in for the document photo in the 1:1 face check when
the officer took a live photo and scanned no document photo.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from passerelle.documents import DocumentCheck
from passerelle.documents.chip import ChipData, ChipVerification, TrustAnchors, verify_chip
from passerelle.documents.chip.countries import certificate_country
from passerelle.i18n import N_
from passerelle.i18n.wording import worded
from passerelle.records.inspections import HitDraft
from passerelle.screening.model import Finding, Severity
from passerelle.screening.rules import failure_finding

__all__ = ["CHIP_HIT_CODES", "CHIP_REFER_CODES", "ChipOutcome", "check_chip"]

log = logging.getLogger("passerelle.screening.inspector")

CHIP_HIT_CODES = frozenset(
    {
        "chip_signature",
        "chip_hash",
        "chip_mrz_mismatch",
        "chip_country_mismatch",
        "dsc_signature",
    }
)
"""Chip findings that prove tampering: the decision is ``hit``."""
CHIP_REFER_CODES = frozenset(
    {
        "csca_unknown",
        "csca_expired",
        "dsc_revoked",
        "dsc_expired",
        "chip_malformed",
        "chip_oversized",
        "chip_algorithm",
        "chip_dg_missing",
    }
)
"""Chip findings that leave the chip untrusted: the decision is at least ``refer``."""


@dataclass(frozen=True, slots=True)
class ChipOutcome:
    """The chip check's findings, DG2's face when the chip verified, and the hits to queue
    for the analysts' review (one per tampering finding, referenced by its code)."""

    findings: tuple[Finding, ...]
    face: bytes | None = None
    verification: ChipVerification | None = None

    @property
    def hits(self) -> tuple[HitDraft, ...]:
        return tuple(HitDraft("chip", f.code) for f in self.findings if f.severity == "hit")


def _severity(code: str, check: DocumentCheck) -> Severity:
    if code == "chip_mrz_mismatch" and not check.well_formed:
        return "refer"  # the printed MRZ did not read cleanly: a misread, until rescanned
    if code in CHIP_HIT_CODES:
        return "hit"
    if code in CHIP_REFER_CODES:
        return "refer"
    return "info"


def check_chip(
    chip: ChipData, check: DocumentCheck, day: date, anchors: Callable[[], TrustAnchors]
) -> ChipOutcome:
    """Passive authentication of ``chip`` against the printed MRZ ``check`` read (a typed
    visual zone has no MRZ: DG1 is then compared with nothing) on ``day``. Never raises:
    a check that fails (the trust store unreadable) refers the traveller."""
    try:
        return _check_chip(chip, check, day, anchors)
    except Exception as exc:
        log.error("inspection.chip_failed", extra={"error": type(exc).__name__})
        return ChipOutcome((failure_finding("chip", exc),))


def _check_chip(
    chip: ChipData, check: DocumentCheck, day: date, anchors: Callable[[], TrustAnchors]
) -> ChipOutcome:
    state = check.issuing_state if check.issuing_state else None
    if state is not None and certificate_country(state) is None:
        state = None
    result = verify_chip(
        chip,
        printed_mrz=check.lines or None,
        issuing_state=state,
        trust=anchors(),
        as_of=day,
    )
    findings = [
        Finding.worded(
            "chip",
            f.code.value,
            _severity(f.code.value, check),
            worded(
                N_("Chip: %(finding)s (%(part)s)."), finding=f.wording or f.message, part=f.part
            ),
            reference=f.part,
        )
        for f in result.findings
    ]
    if result.verified:
        said = worded(
            N_("Chip verified by the CSCA of %(country)s (%(csca)s)."),
            country=str(result.country),
            csca=str(result.csca),
        )
        findings.insert(0, Finding.worded("chip", "chip_verified", "info", said))
    face = result.face.data if result.verified and result.face is not None else None
    return ChipOutcome(tuple(findings), face, result)
