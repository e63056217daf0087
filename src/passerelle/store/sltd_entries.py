"""One line of an SLTD file as an entry: the fields, and the fast path for clean lines.

A registry's file is overwhelmingly clean; ``parse_ordinary`` accepts a line already in
canonical form with a few dict look-ups, and anything unusual is left to the registry's
detailed checks (``SltdRegistry.parse``), which name the field and the reason.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import Any, NamedTuple

from passerelle.documents.states import KNOWN_CODES
from passerelle.records.fields import number_key

__all__ = ["DOCUMENT_CODE", "FIELDS", "SLTD_STATUSES", "SltdEntry", "parse_ordinary"]

SLTD_STATUSES = frozenset({"stolen", "lost", "revoked", "invalidated"})
FIELDS = frozenset(
    {"issuing_state", "document_number", "document_code", "status", "reported_on", "reported_by"}
)
DOCUMENT_CODE = re.compile("[PIACV][A-Z]?")
_NUMBER = re.compile("[A-Z0-9]{1,24}")


@lru_cache(maxsize=100_000)  # report dates repeat: a file spans a few thousand days
def _report_day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


class SltdEntry(NamedTuple):
    """One line of an SLTD file, validated (a named tuple: a million are made per load)."""

    issuing_state: str
    document_number: str
    document_code: str
    status: str
    reported_on: date
    reported_by: str
    number_key: str
    """The look-up key (``number_key(document_number)``), computed once at parse time."""

    @property
    def key(self) -> tuple[str, str]:
        """The document's identity: issuing state and number exactly as issued."""
        return self[:2]


def parse_ordinary(record: dict[str, Any]) -> SltdEntry | None:
    """The entry of a line that is already in canonical form, or None to check it in detail.

    Files from registries are overwhelmingly clean; this path costs a few dict
    look-ups per line, and anything unusual falls back to the detailed checks.
    """
    if record.keys() != FIELDS:
        return None
    state, number, code = (
        record["issuing_state"],
        record["document_number"],
        record["document_code"],
    )
    status, reported_on, reported_by = (
        record["status"],
        record["reported_on"],
        record["reported_by"],
    )
    if not (
        type(state) is str  # a list or an object is not hashable: a set look-up would raise
        and type(reported_by) is str
        and type(status) is str
        and state in KNOWN_CODES
        and reported_by in KNOWN_CODES
        and status in SLTD_STATUSES
        and isinstance(number, str)
        and _NUMBER.fullmatch(number)
        and isinstance(code, str)
        and DOCUMENT_CODE.fullmatch(code)
        and isinstance(reported_on, str)
        and len(reported_on) == 10
    ):
        return None
    day = _report_day(reported_on)
    if day is None:
        return None
    return SltdEntry(state, number, code, status, day, reported_by, number_key(number))
