"""What a partner may ask this node, and the only answers it gets: bodies, bands, answers.

Query bodies (``envelope.body`` of ``query.document``, ``query.person``,
``query.face``; ``query.fingerprint``'s below); any other field is refused, and
every error is an ``InvalidInput`` naming the field::

    document  {"issuing_state": "MAR", "document_number": "UM4731285"}
    person    {"names": ["Mohamed Ben Ali", "محمد بن علي"],   (1 to 10, any script)
               "birth_date": "1985-03-02" | "1985",
               "nationality": "MAR",                          (optional)
               "sex": "M" | "F" | "X"}                        (optional)
    face      {"model": "dlib-resnet-v1", "model_version": "dlib19.24.6",
               "template": "<base64 of little-endian float32, L2-normalised>",
               "gallery": "wanted"}                           (optional: every shared one)

Each body may also carry ``"purpose"`` (at most 500 characters): it goes into
this node's audit record of the answer. A face template from another model or
model version is refused with :class:`FaceModelMismatch` (code
``model_mismatch``): templates of two models live in different spaces.

Answers (:class:`QueryAnswer`) are exactly ``{"result": "no_hit"}`` or
``{"result": "hit", "reference": "MAR-…", "score_band": "high" | "medium" | "low"}``.
On the wire (:meth:`QueryAnswer.padded`) each also carries ``"pad"``, filler
that brings its canonical JSON to :data:`ANSWER_BYTES`: a hit, a no-hit and a
no-hit that keeps a record back are the same number of bytes, so the size of
the signed reply says nothing (the asker ignores ``pad``).

Score bands:

========  ==========================  =============================================
kind      band                        score
========  ==========================  =============================================
document  ``high``                    always (the number as issued, or the same once
                                      O is read as 0 and I as 1)
person    ``high`` / ``medium`` /     calibrated name score (``passerelle.names``)
          ``low``                     ≥ 0.9 / ≥ 0.8 / ≥ the hit threshold (0.7)
face      ``high`` / ``medium`` /     cosine score ≥ t + ⅔(1 − t) / ≥ t + ⅓(1 − t) /
          ``low``                     ≥ t, t the gallery's decision threshold
finger-   ``high`` / ``medium`` /     BOZORTH3 score ≥ 2t / ≥ 1.5t / ≥ t, t the
print     ``low``                     galleries' calibrated search threshold (64,
                                      ``biometrics.fingerprint.gallery``)
========  ==========================  =============================================

The ``fingerprint`` query (ISO/IEC 19794-2 minutiae records with finger positions
and extractor) is parsed in ``federation.queries.fingerprint_bodies``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import ClassVar, Literal

import numpy as np
import numpy.typing as npt

from passerelle.biometrics.templates import FaceTemplate
from passerelle.exc import InvalidInput
from passerelle.federation.protocol.envelope import JsonObject, canonical_json
from passerelle.names import DEFAULT_THRESHOLD
from passerelle.records.fields import document_number, no_unknown_fields, state_code
from passerelle.records.text import plain_text

__all__ = [
    "ANSWER_BYTES",
    "HIGH_NAME_SCORE",
    "MEDIUM_NAME_SCORE",
    "DocumentQuery",
    "FaceModelMismatch",
    "FaceQuery",
    "PersonQuery",
    "QueryAnswer",
    "ScoreBand",
    "face_band",
    "name_band",
    "parse_document_query",
    "parse_face_query",
    "parse_person_query",
]

ScoreBand = Literal["high", "medium", "low"]
HIGH_NAME_SCORE = 0.9
MEDIUM_NAME_SCORE = 0.8
_MAX_NAMES = 10
_MAX_NAME = 200
_MAX_PURPOSE = 500
ANSWER_BYTES = 128
"""The size of every answer body on the wire, as canonical JSON (``QueryAnswer.padded``)."""
_MAX_TEMPLATE_VALUES = 4096
_NORM_TOLERANCE = 1e-3
_BIRTH_DATE = re.compile(r"\d{4}(-\d{2}-\d{2})?")
_SEXES = frozenset({"M", "F", "X"})


class FaceModelMismatch(InvalidInput):
    """The template was made by another face model, or another version of it."""

    code: ClassVar[str] = "model_mismatch"


@dataclass(frozen=True, slots=True)
class DocumentQuery:
    """Is this travel document reported stolen or lost, or under an alert?"""

    issuing_state: str
    document_number: str
    purpose: str | None = None


@dataclass(frozen=True, slots=True)
class PersonQuery:
    """Is this person (names in any script, birth date) listed or under an alert?"""

    names: tuple[str, ...]
    birth_date: str
    nationality: str | None = None
    sex: str | None = None
    purpose: str | None = None


@dataclass(frozen=True, slots=True)
class FaceQuery:
    """Is this face (a template, never an image) in a gallery of this node?"""

    template: FaceTemplate
    template_sha256: str
    """SHA-256 of the template bytes as received: what the audit keeps of the face."""
    gallery: str | None = None
    purpose: str | None = None


@dataclass(frozen=True, slots=True)
class QueryAnswer:
    """A hit with its opaque reference and score band, or no hit; nothing else."""

    result: Literal["hit", "no_hit"]
    reference: str | None = None
    score_band: ScoreBand | None = None

    def __post_init__(self) -> None:
        if (self.result == "hit") != (self.reference is not None and self.score_band is not None):
            raise ValueError("a hit carries a reference and a band; no hit carries neither")

    def as_json(self) -> JsonObject:
        """The answer's body: ``result`` alone, or with ``reference`` and ``score_band``."""
        if self.result == "no_hit":
            return {"result": "no_hit"}
        return {"result": "hit", "reference": self.reference, "score_band": self.score_band}

    def padded(self) -> JsonObject:
        """:meth:`as_json` with ``"pad"`` filler to exactly :data:`ANSWER_BYTES` of canonical JSON.

        >>> no_hit = QueryAnswer("no_hit").padded()
        >>> hit = QueryAnswer("hit", "MAR-" + "A" * 26, "medium").padded()
        >>> len(canonical_json(no_hit)) == len(canonical_json(hit)) == ANSWER_BYTES
        True
        """
        body = self.as_json() | {"pad": ""}
        room = ANSWER_BYTES - len(canonical_json(body))
        if room < 0:
            raise ValueError(f"an answer of {ANSWER_BYTES - room} bytes exceeds {ANSWER_BYTES}")
        return body | {"pad": "." * room}


def name_band(score: float, *, threshold: float = DEFAULT_THRESHOLD) -> ScoreBand | None:
    """The band of a calibrated name score; None below the hit ``threshold``.

    >>> [name_band(s) for s in (0.95, 0.85, 0.72, 0.5)]
    ['high', 'medium', 'low', None]
    """
    if score >= max(HIGH_NAME_SCORE, threshold):
        return "high"
    if score >= max(MEDIUM_NAME_SCORE, threshold):
        return "medium"
    return "low" if score >= threshold else None


def face_band(score: float, threshold: float) -> ScoreBand | None:
    """The band of a face score against the gallery's ``threshold``; None below it.

    >>> [face_band(s, 0.93) for s in (0.99, 0.96, 0.931, 0.9)]
    ['high', 'medium', 'low', None]
    """
    if score < threshold:
        return None
    room = 1.0 - threshold
    if score >= threshold + 2 * room / 3:
        return "high"
    return "medium" if score >= threshold + room / 3 else "low"


def _text(body: Mapping[str, object], name: str, *, max_length: int) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(name, "is required: a non-empty string")
    if len(value) > max_length:
        raise InvalidInput(name, f"is longer than {max_length} characters")
    return plain_text(name, value.strip())


def _purpose(body: Mapping[str, object]) -> str | None:
    return None if body.get("purpose") is None else _text(body, "purpose", max_length=_MAX_PURPOSE)


def _object(body: object) -> Mapping[str, object]:
    if not isinstance(body, Mapping):
        raise InvalidInput("body", "must be a JSON object")
    return body


def parse_document_query(body: Mapping[str, object]) -> DocumentQuery:
    """A document query from its body; ``InvalidInput`` naming the first bad field.

    >>> parse_document_query({"issuing_state": "mar", "document_number": "um4731285"})
    DocumentQuery(issuing_state='MAR', document_number='UM4731285', purpose=None)
    """
    body = _object(body)
    no_unknown_fields(body, {"issuing_state", "document_number", "purpose"})
    return DocumentQuery(
        state_code(body, "issuing_state"), document_number(body, "document_number"), _purpose(body)
    )


def parse_person_query(body: Mapping[str, object]) -> PersonQuery:
    """A person query from its body; ``InvalidInput`` naming the first bad field."""
    body = _object(body)
    no_unknown_fields(body, {"names", "birth_date", "nationality", "sex", "purpose"})
    names = body.get("names")
    if not isinstance(names, list) or not names:
        raise InvalidInput("names", "is required: a non-empty list of names")
    if len(names) > _MAX_NAMES:
        raise InvalidInput("names", f"holds more than {_MAX_NAMES} names")
    if not all(isinstance(n, str) and n.strip() and len(n) <= _MAX_NAME for n in names):
        raise InvalidInput("names", f"each name must be a non-empty string of {_MAX_NAME} or less")
    birth = body.get("birth_date")
    if not isinstance(birth, str) or not _BIRTH_DATE.fullmatch(birth):
        raise InvalidInput("birth_date", "is required: YYYY-MM-DD, or YYYY when only the year")
    try:
        year = date.fromisoformat(birth).year if len(birth) == 10 else int(birth)
    except ValueError:
        raise InvalidInput("birth_date", f"{birth!r} is not a real date") from None
    if not 1850 <= year <= 2200:
        raise InvalidInput("birth_date", f"{birth!r} is out of range")
    nationality = None if body.get("nationality") is None else state_code(body, "nationality")
    sex = body.get("sex")
    if sex is not None and (not isinstance(sex, str) or sex not in _SEXES):
        raise InvalidInput("sex", f"{sex!r} is not one of F, M, X")
    return PersonQuery(
        names=tuple(" ".join(str(n).split()) for n in names),
        birth_date=birth,
        nationality=nationality,
        sex=None if sex in (None, "X") else str(sex),
        purpose=_purpose(body),
    )


def _template_vector(body: Mapping[str, object]) -> tuple[npt.NDArray[np.float32], str]:
    value = body.get("template")
    if not isinstance(value, str) or not value:
        raise InvalidInput("template", "is required: base64 of little-endian float32 values")
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput("template", "is not valid base64") from None
    if not raw or len(raw) % 4 or len(raw) > 4 * _MAX_TEMPLATE_VALUES:
        raise InvalidInput(
            "template",
            f"must hold 1 to {_MAX_TEMPLATE_VALUES} float32 values, not {len(raw)} bytes",
        )
    vector = np.frombuffer(raw, dtype="<f4").astype(np.float32)
    if not np.all(np.isfinite(vector)):
        raise InvalidInput("template", "holds NaN or infinite values")
    norm = float(np.linalg.norm(vector))
    if abs(norm - 1.0) > _NORM_TOLERANCE:
        raise InvalidInput("template", f"must be L2-normalised (its norm is {norm:.4f})")
    return vector, hashlib.sha256(raw).hexdigest()


def parse_face_query(body: Mapping[str, object], *, model: str, model_version: str) -> FaceQuery:
    """A face query from its body; refuses a template not made by ``model`` ``model_version``.

    Raises ``InvalidInput`` naming the first bad field, and
    :class:`FaceModelMismatch` (on ``model`` or ``model_version``) for another model.
    """
    body = _object(body)
    no_unknown_fields(body, {"model", "model_version", "template", "gallery", "purpose"})
    asked_model = _text(body, "model", max_length=16)
    asked_version = _text(body, "model_version", max_length=16)
    if asked_model != model:
        raise FaceModelMismatch(
            "model", f"{asked_model!r} templates are not compared with this node's {model!r}"
        )
    if asked_version != model_version:
        raise FaceModelMismatch(
            "model_version",
            f"{model} {asked_version!r} templates are not compared with this node's "
            f"{model_version!r}: vectors of two versions live in different spaces",
        )
    vector, digest = _template_vector(body)
    gallery = None if body.get("gallery") is None else _text(body, "gallery", max_length=64)
    return FaceQuery(FaceTemplate(model, model_version, vector), digest, gallery, _purpose(body))
