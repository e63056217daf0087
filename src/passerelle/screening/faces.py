"""The face check of a border inspection: 1:1 against the portrait, 1:N against the lists.

Runs in a thread of its own, like the other checks (``checks``); a photo the
comparison cannot stand on refers the traveller with the reason, and so does a
capture the face workers could not run or finish in time (busy, past its
deadline: ``biometrics.workers``); an error of the face model is left to the
inspector (an ``error`` finding).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import replace

from passerelle.biometrics.face import FaceCapture
from passerelle.biometrics.workers import FaceWorkRefused
from passerelle.exc import InvalidInput
from passerelle.i18n import N_
from passerelle.i18n.wording import Parameter, Wording, worded
from passerelle.screening.checks import SourceOutcome
from passerelle.screening.components import FaceEngine, FaceSearch
from passerelle.screening.model import FaceComparison, FaceHit, Finding
from passerelle.screening.words import (
    REFER_ACTION,
    WATCHLIST_ACTION,
    alert_meaning,
    category_words,
    issuing_authority,
)
from passerelle.store.alerts import AlertRegistry, UnknownAlert
from passerelle.store.audit import AuditTrail
from passerelle.store.biometrics import FaceReferenceStore
from passerelle.store.db import Database
from passerelle.store.inspections import HitDraft
from passerelle.store.watchlist import WatchlistRegistry

__all__ = ["check_faces", "filed_record", "listed_identity", "refusal_said"]


def refusal_said(refused: InvalidInput | FaceWorkRefused) -> Parameter:
    """Why an engine refused a capture, to put into a finding: worded where the engine
    worded it (written in the page reader's language), else its English reason."""
    return refused.wording if isinstance(refused.wording, Wording) else refused.reason


def filed_record(
    database: Database, audit: AuditTrail, gallery: str, identity: str
) -> tuple[Wording, str | None, str | Wording | None]:
    """Words, action and contact for a gallery hit (a face, a finger) filed under
    ``identity``: from the alert or watchlist person of that id."""
    with database.read() as session:
        try:
            alert = AlertRegistry(audit).get(session, identity)
        except UnknownAlert:
            alert = None
        if alert is not None:
            meaning = alert_meaning(alert.category)
            said = worded(N_("%(meaning)s: alert %(alert)s"), meaning=meaning, alert=alert.id)
            return said, alert.action, alert.issuing_authority
        person = WatchlistRegistry().get(session, identity)
    if person is not None:
        return (
            worded(
                N_("watchlist person %(person)s (%(category)s)"),
                person=person.id,
                category=category_words(person.category),
            ),
            WATCHLIST_ACTION.get(person.category, WATCHLIST_ACTION["alert"]),
            issuing_authority(person.issued_by),
        )
    return listed_identity(identity, gallery), None, None


def listed_identity(identity: str, gallery: str) -> Wording:
    """A gallery's identity with no record filed under it, in words."""
    return worded(
        N_("identity %(identity)s of the %(gallery)s list"), identity=identity, gallery=gallery
    )


def _with_reference(database: Database, hit: FaceHit) -> FaceHit:
    """The hit with the name and the presence of the reference photo filed with its face."""
    try:
        with database.read() as session:
            described = FaceReferenceStore().describe(session, hit.gallery, hit.identity)
    except Exception:  # the hit stands even when its reference cannot be read
        return hit
    if described is None:
        return hit
    name, photo = described
    return replace(hit, name=name, reference_photo=photo)


def _search_lists(
    probe: FaceCapture,
    search: FaceSearch,
    galleries: Sequence[str],
    database: Database,
    audit: AuditTrail,
    *,
    search_lock: threading.Lock,
) -> tuple[list[FaceHit], list[Finding]]:
    """1:N in every gallery; a gallery that fails refers (the 1:1 result still stands)."""
    faces: list[FaceHit] = []
    findings: list[Finding] = []
    for gallery in galleries:
        try:
            with search_lock:
                results = search.search(gallery, probe, top=3)
        except Exception as exc:  # one list failing must not hide the others or the 1:1
            said = worded(
                N_(
                    "The face search in the %(gallery)s list failed (%(error)s): refer the "
                    "traveller and check by hand."
                ),
                gallery=gallery,
                error=type(exc).__name__,
            )
            findings.append(Finding.worded("face", "error", "refer", said))
            continue
        faces.extend(FaceHit(gallery, r.identity, r.score) for r in results if r.is_hit)
    faces = [_with_reference(database, hit) for hit in faces]
    for hit in faces:
        try:
            who, action, contact = filed_record(database, audit, hit.gallery, hit.identity)
        except Exception:  # the hit stands even when its record cannot be read
            who, action, contact = listed_identity(hit.identity, hit.gallery), None, None
        score = f"{hit.score:.2f}"
        if hit.name:
            said = worded(
                N_("The traveller's face matches %(name)s, %(who)s (score %(score)s)."),
                name=hit.name,
                who=who,
                score=score,
            )
        else:
            said = worded(
                N_("The traveller's face matches %(who)s (score %(score)s)."), who=who, score=score
            )
        findings.append(
            Finding.worded(
                "face",
                "face_list_match",
                "hit",
                said,
                action=action or REFER_ACTION,
                contact=contact,
                reference=f"{hit.gallery}:{hit.identity}",
            )
        )
    return faces, findings


def check_faces(
    engine: FaceEngine,
    search: FaceSearch | None,
    galleries: Sequence[str],
    database: Database,
    audit: AuditTrail,
    *,
    document_photo: bytes | None,
    live_photo: bytes | None,
    search_lock: threading.Lock,
) -> SourceOutcome:
    """The live photo against the document's portrait (1:1), then against the lists (1:N).

    A photo the comparison cannot stand on (no face, blurred...) refers the
    traveller with the reason; 1:N searches the live photo (else the portrait).
    """
    findings: list[Finding] = []
    captures: dict[str, FaceCapture] = {}
    for field, photo in (("document_photo", document_photo), ("live_photo", live_photo)):
        if photo is None:
            continue
        which = worded(N_("document portrait") if field == "document_photo" else N_("live photo"))
        try:
            captures[field] = engine.capture(photo, field=field)
        except FaceWorkRefused as exc:
            said = worded(
                N_(
                    "The %(which)s could not be compared: %(reason)s. Compare by eye, refer the "
                    "traveller, or check again."
                ),
                which=which,
                reason=refusal_said(exc),
            )
            findings.append(Finding.worded("face", "unavailable", "refer", said))
        except InvalidInput as exc:
            said = worded(
                N_("The %(which)s cannot be used: %(reason)s. Take it again or compare by eye."),
                which=which,
                reason=refusal_said(exc),
            )
            findings.append(Finding.worded("face", "face_unusable", "refer", said))
    verification = None
    if "document_photo" in captures and "live_photo" in captures:
        verdict = engine.verify(captures["document_photo"], captures["live_photo"])
        verification = FaceComparison(verdict.match, verdict.score)
        if verdict.match:
            said = worded(
                N_("The live face matches the document portrait (score %(score)s)."),
                score=f"{verdict.score:.2f}",
            )
            findings.append(Finding.worded("face", "face_match", "info", said))
        else:
            said = worded(
                N_(
                    "The live face does not match the document portrait (score %(score)s): the "
                    "traveller may not be the holder. Compare by eye and refer to second line."
                ),
                score=f"{verdict.score:.2f}",
            )
            findings.append(Finding.worded("face", "face_mismatch", "refer", said))
    if len(captures) == 1 and verification is None and len(findings) == 0:
        said = worded(
            N_("Only one photo was given: the live face was not compared with the portrait.")
        )
        findings.append(Finding.worded("face", "face_not_compared", "info", said))
    probe = captures.get("live_photo") or captures.get("document_photo")
    faces: list[FaceHit] = []
    if probe is not None and search is not None:
        faces, list_findings = _search_lists(
            probe, search, galleries, database, audit, search_lock=search_lock
        )
        findings.extend(list_findings)
    return SourceOutcome(
        "face",
        bool(captures),
        tuple(findings),
        faces=tuple(faces),
        face_verification=verification,
        hits=tuple(HitDraft("face", f"{h.gallery}:{h.identity}", h.score) for h in faces),
    )
