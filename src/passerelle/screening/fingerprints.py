"""The fingerprint check of a border inspection: the live prints against the node's lists (1:N).

The booth sends one or more fingers (``biometrics.fingerprint.captures.LiveFinger``);
each one's minutiae are extracted once per inspection (:class:`LiveFingers`: the
node's own check and the partners' ``fingerprint`` question share them), in the
node's workers with a deadline on a server (``screening.components.PooledFingerEngine``).

What the officer sees
---------------------
* A finger that matches an enrolled one (BOZORTH3 score at or above the
  galleries' calibrated threshold): a ``hit`` naming the finger, the record it
  is filed under (alert or watchlist person, with its action and contact, as a
  face hit), the score and the threshold; a hit review is queued (source
  ``fingerprint``, reference ``GALLERY:IDENTITY``).
* A print that cannot be used (no or too few minutiae, an NFIQ 2 quality under
  the node's minimum, an image the extractor refuses): a ``refer`` finding
  saying why and asking for another capture, never an error.
* Extraction that could not run or finish in time (workers busy, past the
  deadline): a ``refer`` finding with the reason.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

from passerelle.biometrics.fingerprint import FingerprintTemplate
from passerelle.biometrics.fingerprint.captures import LiveFinger
from passerelle.biometrics.workers import FaceWorkRefused
from passerelle.exc import InvalidInput
from passerelle.i18n import N_
from passerelle.i18n.wording import Parameter, worded
from passerelle.screening.checks import SourceOutcome
from passerelle.screening.components import FingerEngine, FingerSearch
from passerelle.screening.faces import filed_record, listed_identity, refusal_said
from passerelle.screening.model import Finding
from passerelle.screening.words import REFER_ACTION
from passerelle.store.audit import AuditTrail
from passerelle.store.db import Database
from passerelle.store.inspections import HitDraft

__all__ = ["LiveFingers", "Minutiae", "check_fingerprints"]

_TOP = 3


@dataclass(frozen=True, slots=True)
class Minutiae:
    """One live finger after extraction: its template, or why there is none."""

    finger: LiveFinger
    template: FingerprintTemplate | None = None
    unusable: Parameter | None = None
    """Why the print cannot be used (the officer's words), when it cannot."""
    unavailable: Parameter | None = None
    """Why the extraction did not run or finish, when it did not."""


class LiveFingers:
    """An inspection's live fingers, extracted once for every check that asks (thread-safe).

    ``min_quality`` is the least NFIQ 2 score (0-100) a print may have; 0 takes any.
    """

    def __init__(
        self, fingers: Sequence[LiveFinger], engine: FingerEngine, *, min_quality: int = 0
    ) -> None:
        self.fingers = tuple(fingers)
        self._engine = engine
        self._min_quality = min_quality
        self._lock = threading.Lock()
        self._done: tuple[Minutiae, ...] | None = None

    def minutiae(self) -> tuple[Minutiae, ...]:
        """Each finger's minutiae or why there are none (extracted on the first call)."""
        with self._lock:
            if self._done is None:
                self._done = tuple(self._extract(at, f) for at, f in enumerate(self.fingers))
            return self._done

    def usable(self) -> list[tuple[int, FingerprintTemplate]]:
        """(position, template) of every finger that can be compared."""
        return [(m.finger.position, m.template) for m in self.minutiae() if m.template]

    def _extract(self, at: int, finger: LiveFinger) -> Minutiae:
        field = f"fingerprints[{at}].image"
        try:
            template = self._engine.extract(finger.image, field=field, position=finger.position)
        except FaceWorkRefused as exc:
            return Minutiae(finger, unavailable=refusal_said(exc))
        except InvalidInput as exc:
            return Minutiae(finger, unusable=refusal_said(exc))
        quality = template.quality
        if quality is not None and quality < self._min_quality:
            least = self._min_quality
            why = worded(
                N_("its NFIQ 2 quality is %(quality)s, under this node's minimum of %(least)s"),
                quality=quality,
                least=least,
            )
            return Minutiae(finger, unusable=why)
        return Minutiae(finger, template)


def _capture_findings(minutiae: Sequence[Minutiae]) -> list[Finding]:
    findings: list[Finding] = []
    for found in minutiae:
        finger = found.finger.finger
        if found.unusable is not None:
            said = worded(
                N_(
                    "The print of the %(finger)s cannot be used: %(reason)s. Take it again "
                    "(clean, dry finger pressed flat) or check by hand."
                ),
                finger=worded(finger),
                reason=found.unusable,
            )
            findings.append(Finding.worded("fingerprint", "fingerprint_unusable", "refer", said))
        elif found.unavailable is not None:
            said = worded(
                N_(
                    "The print of the %(finger)s could not be compared: %(reason)s. Refer the "
                    "traveller, or check again."
                ),
                finger=worded(finger),
                reason=found.unavailable,
            )
            findings.append(Finding.worded("fingerprint", "unavailable", "refer", said))
    return findings


def check_fingerprints(
    fingers: LiveFingers,
    search: FingerSearch | None,
    galleries: Sequence[str],
    database: Database,
    audit: AuditTrail,
    *,
    search_lock: threading.Lock,
) -> SourceOutcome:
    """The live prints against the fingerprint galleries (1:N), each hit named."""
    minutiae = fingers.minutiae()
    findings = _capture_findings(minutiae)
    hits: list[HitDraft] = []
    seen: set[str] = set()
    for found in minutiae:
        if found.template is None or search is None:
            continue
        for gallery in galleries:
            with search_lock:
                candidates = search.search(gallery, found.template, top=_TOP)
            for candidate in candidates:
                reference = f"{gallery}:{candidate.id}"
                if not candidate.is_match or reference in seen:
                    continue
                seen.add(reference)
                record = candidate.id.rpartition("/")[0] or candidate.id
                try:
                    who, action, contact = filed_record(database, audit, gallery, record)
                except Exception:  # the hit stands even when its record cannot be read
                    who, action, contact = listed_identity(record, gallery), None, None
                said = worded(
                    N_(
                        "The traveller's %(finger)s matches %(who)s (BOZORTH3 score %(score)s, "
                        "threshold %(threshold)s)."
                    ),
                    finger=worded(found.finger.finger),
                    who=who,
                    score=str(candidate.score),
                    threshold=str(search.threshold),
                )
                findings.append(
                    Finding.worded(
                        "fingerprint",
                        "fingerprint_list_match",
                        "hit",
                        said,
                        action=action or REFER_ACTION,
                        contact=contact,
                        reference=reference,
                    )
                )
                hits.append(HitDraft("fingerprint", reference, float(candidate.score)))
    ran = any(found.template is not None for found in minutiae)
    return SourceOutcome("fingerprint", ran, tuple(findings), hits=tuple(hits))
