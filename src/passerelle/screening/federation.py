"""The federation check of a border inspection: the partners' hit/no-hit answers.

Runs in a thread of its own beside the local checks. From the document it
asks every partner whose agreement covers the kind (``federation.queries.asking``):
``document`` (issuing state and number), ``person`` (the MRZ name, birth date,
nationality and sex), when a live photo is given, ``face`` (its template,
never the image) and, when fingers are, ``fingerprint`` (their minutiae as
ISO/IEC 19794-2 records, never the images), all within one deadline
(``PASSERELLE_FEDERATION_DEADLINE_MS``).

What the officer sees
---------------------
* A partner's ``hit``: a ``hit`` finding naming the partner ("Belgium (BEL)
  holds a record on this document: reference R, score band high"), the action
  (refer to second line; an analyst may request the record, a follow-up), and a
  hit review queued (source ``federation``, reference ``BEL:<ref>``).
* A partner that did not answer in time, could not be reached, refused or
  answered something unreadable: an ``info`` finding. It never makes the
  verdict a hit, never clears another source's hit, and never refers the
  traveller either: the partners are a complement to the local checks, which
  stand on their own (a partner down must not send every traveller to second
  line). The federation light is then grey ("incomplete"), never green.
* Federation asked for but not set up on this node (no identity, no TLS files,
  ``PASSERELLE_FEDERATION=off``): an ``info`` finding, grey light.

The light: red on a partner hit, green when every partner asked answered
``no_hit``, grey otherwise. Amber is never used: it would tell the officer to
refer, which a silent partner does not justify.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from passerelle.documents import DocumentCheck
from passerelle.documents.states import is_known_state
from passerelle.exc import InvalidInput
from passerelle.federation.queries.asking import (
    AskedFor,
    PartnerAnswer,
    PartnerAsker,
    PartnerQuestion,
    document_question,
    face_question,
    fingerprint_question,
    person_question,
)
from passerelle.i18n import N_
from passerelle.i18n.wording import Parameter, worded
from passerelle.screening.checks import SourceOutcome, mrz_name
from passerelle.screening.components import FaceEngine
from passerelle.screening.fingerprints import LiveFingers
from passerelle.screening.model import Finding
from passerelle.screening.words import state_words
from passerelle.store.inspections import HitDraft

__all__ = [
    "check_federation",
    "federation_failure_finding",
    "federation_outcome",
    "federation_questions",
    "no_answer_within",
    "not_configured_finding",
]

log = logging.getLogger(__name__)

_HOLDS = {
    "document": N_(
        "%(partner)s holds a record on this document: reference %(reference)s, score band %(band)s."
    ),
    "person": N_(
        "%(partner)s holds a record on this person (name and birth date): reference "
        "%(reference)s, score band %(band)s."
    ),
    "face": N_(
        "%(partner)s holds a record on this face: reference %(reference)s, score band %(band)s."
    ),
    "fingerprint": N_(
        "%(partner)s holds a record on this fingerprint: reference %(reference)s, score band "
        "%(band)s."
    ),
}
_NO_ANSWER = {
    "timeout": N_("did not answer in time"),
    "unreachable": N_("could not be reached"),
    "refused": N_("refused the query"),
    "invalid": N_("gave an answer this node cannot trust"),
}
_MISSED = {
    (False, False): N_(
        "%(partner)s %(failure)s (%(kinds)s query): its records were not checked; the other "
        "checks stand."
    ),
    (True, False): N_(
        "%(partner)s %(failure)s (%(kinds)s queries): its records were not checked; the other "
        "checks stand."
    ),
    (False, True): N_(
        "%(partner)s %(failure)s (%(kinds)s query: %(detail)s): its records were not checked; "
        "the other checks stand."
    ),
    (True, True): N_(
        "%(partner)s %(failure)s (%(kinds)s queries: %(detail)s): its records were not "
        "checked; the other checks stand."
    ),
}
"""A partner that did not answer, by (several queries, a detail given)."""


def federation_questions(
    check: DocumentCheck, *, purpose: str, face: PartnerQuestion | None = None
) -> list[PartnerQuestion]:
    """What the document allows to ask: document (state and number), person (a name and a
    full birth date), and ``face`` when given."""
    questions: list[PartnerQuestion] = []
    if check.issuing_state and check.document_number:
        questions.append(
            document_question(check.issuing_state, check.document_number, purpose=purpose)
        )
    name = mrz_name(check)
    if name and check.birth_date is not None:
        readable = " ".join(f"{check.given_names or ''} {check.surname or ''}".split())
        nationality = (check.nationality or "").strip("<")
        questions.append(
            person_question(
                [name, readable],
                check.birth_date.isoformat(),
                nationality=nationality if is_known_state(nationality) else None,
                sex=check.sex if check.sex in ("M", "F") else None,
                purpose=purpose,
            )
        )
    if face is not None:
        questions.append(face)
    return questions


def _hit_finding(answer: PartnerAnswer) -> Finding:
    partner = state_words(answer.peer)
    template = _HOLDS.get(answer.kind)
    if template is None:
        template = (
            "%(partner)s holds a record on this " + answer.kind + ": reference %(reference)s, "
            "score band %(band)s."
        )
    said = worded(
        template, partner=partner, reference=str(answer.reference), band=str(answer.score_band)
    )
    return Finding.worded(
        "federation",
        "partner_hit",
        "hit",
        said,
        action=worded(
            N_(
                "Refer to second line; an analyst may request the record from %(peer)s (follow-up)."
            ),
            peer=answer.peer,
        ),
        contact=worded(
            N_("this node's analysts (follow-up request to %(partner)s)"), partner=partner
        ),
        reference=f"{answer.peer}:{answer.reference}",
    )


def federation_outcome(answers: Sequence[PartnerAnswer]) -> SourceOutcome:
    """The findings, hits and light of the partners' answers (pure).

    >>> federation_outcome([PartnerAnswer("BEL", "document", "no_hit")]).ran
    True
    >>> federation_outcome([PartnerAnswer("BEL", "document", "timeout")]).findings[0].severity
    'info'
    """
    if not answers:
        return SourceOutcome(
            "federation",
            False,
            (
                Finding.worded(
                    "federation",
                    "no_partner",
                    "info",
                    worded(
                        N_("No partner's agreement covers these queries: no partner was asked.")
                    ),
                ),
            ),
        )
    findings: list[Finding] = []
    hits: list[HitDraft] = []
    seen: set[str] = set()
    for answer in answers:
        if answer.status == "hit" and answer.reference and answer.reference not in seen:
            seen.add(answer.reference)
            finding = _hit_finding(answer)
            findings.append(finding)
            hits.append(HitDraft("federation", str(finding.reference)))
    silent: dict[tuple[str, str], list[PartnerAnswer]] = {}
    for answer in answers:
        if not answer.answered:
            silent.setdefault((answer.peer, answer.status), []).append(answer)
    for (peer, status), missed in silent.items():
        kinds = ", ".join(dict.fromkeys(a.kind for a in missed))
        detail = next((a.detail for a in missed if a.detail), None)
        failure = _NO_ANSWER.get(status)
        said = worded(
            _MISSED[("," in kinds, bool(detail))],
            partner=state_words(peer),
            failure=worded(failure) if failure is not None else status,
            kinds=kinds,
            **({"detail": detail} if detail else {}),
        )
        findings.append(Finding.worded("federation", f"partner_{status}", "info", said))
    ran = all(answer.answered for answer in answers)
    return SourceOutcome("federation", ran, tuple(findings), hits=tuple(hits))


def not_configured_finding(why: Parameter) -> Finding:
    """Federation asked for, but this node cannot ask partners: information only."""
    said = worded(N_("The partners were not asked: %(why)s."), why=why)
    return Finding.worded("federation", "not_configured", "info", said)


def federation_off() -> Parameter:
    """Why the partners cannot be asked: the node's federation is off."""
    return worded(N_("federation is off on this node"))


def federation_not_configured(error: str) -> Parameter:
    """Why the partners cannot be asked: the federation link cannot be made (``error``, the
    configuration's own words)."""
    return worded(N_("federation is not configured (%(error)s)"), error=error)


def federation_failure_finding(why: Parameter) -> Finding:
    """The federation check itself failed or ran late: information, never a referral."""
    said = worded(
        N_("The partners' answers are missing (%(why)s); the other checks stand."), why=why
    )
    return Finding.worded("federation", "unavailable", "info", said)


def no_answer_within(seconds: str) -> Parameter:
    """Why the partners' answers are missing: none came in time."""
    return worded(N_("no answer within %(seconds)s s"), seconds=seconds)


def _face(faces: FaceEngine, live_photo: bytes | None, purpose: str) -> PartnerQuestion | None:
    """The face question from the live photo's template; None when there is no usable face
    (the face check reports why)."""
    if live_photo is None:
        return None
    try:
        capture = faces.capture(live_photo, field="live_photo")
    except InvalidInput:
        return None
    return face_question(capture.template, purpose=purpose)


def _fingerprint(fingers: LiveFingers | None, purpose: str) -> PartnerQuestion | None:
    """The fingerprint question from the usable live prints; None when there is none (the
    fingerprint check reports why)."""
    if fingers is None:
        return None
    try:
        usable = fingers.usable()
    except Exception as exc:  # the extractor failing must not lose the other answers
        log.warning("federation.fingerprint_failed", extra={"error": type(exc).__name__})
        return None
    return fingerprint_question(usable, purpose=purpose) if usable else None


def check_federation(
    asker: PartnerAsker,
    check: DocumentCheck,
    *,
    purpose: str,
    deadline: float,
    faces: FaceEngine | None = None,
    live_photo: bytes | None = None,
    fingers: LiveFingers | None = None,
    margin: float = 1.0,
    asked_for: AskedFor | None = None,
) -> SourceOutcome:
    """Ask the partners about this traveller within ``deadline`` s; never raises for a partner.

    The document and person questions leave at once; the face and fingerprint
    questions leave as soon as the live photo's template and the fingers' minutiae
    are made (in the meantime). Each query
    sent is audited on behalf of ``asked_for`` (the officer, the purpose, the inspection).
    """
    questions = federation_questions(check, purpose=purpose)
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="federation-ask")
    try:
        first = (
            pool.submit(asker.ask, questions, deadline=deadline, asked_for=asked_for)
            if questions
            else None
        )
        answers: list[PartnerAnswer] = []
        face = None
        if faces is not None and live_photo is not None:
            try:
                face = _face(faces, live_photo, purpose)
            except Exception as exc:  # the face model failing must not lose the other answers
                log.warning("federation.face_failed", extra={"error": type(exc).__name__})
        late = [face] if face is not None else []
        finger = _fingerprint(fingers, purpose)
        if finger is not None:
            late.append(finger)
        if late:
            answers.extend(asker.ask(late, deadline=deadline, asked_for=asked_for))
        if first is not None:
            try:
                answers = first.result(timeout=deadline + margin) + answers
            except FutureTimeout:
                return SourceOutcome(
                    "federation",
                    False,
                    (federation_failure_finding(no_answer_within(f"{deadline:.3g}")),),
                )
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    if not questions and not late:
        return SourceOutcome(
            "federation",
            False,
            (
                Finding.worded(
                    "federation",
                    "nothing_to_ask",
                    "info",
                    worded(
                        N_(
                            "The partners were not asked: the document gives neither a number "
                            "nor a name with a birth date."
                        )
                    ),
                ),
            ),
        )
    return federation_outcome(answers)
