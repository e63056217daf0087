"""What every use case shares: the audit actions it records, the purpose it is given, the
permission it checks."""

from __future__ import annotations

from enum import StrEnum

from passerelle.access import Permission, can, require
from passerelle.exc import InvalidInput
from passerelle.records.fields import says_nothing
from passerelle.store.audit import Actor

__all__ = ["MAX_PURPOSE", "AuditAction", "WatchlistAction", "checked_purpose", "permitted"]

MAX_PURPOSE = 500
"""The longest purpose a search may give (characters), as the API has always taken."""


class AuditAction(StrEnum):
    """The audit records the shared use cases write (their ``action``)."""

    SLTD_SEARCH = "sltd.search"
    WATCHLIST_SEARCH = "watchlist.search"
    ALERT_SEARCH = "alert.search"
    ALERT_SHOW = "alert.show"
    ALERT_REPORT = "alert.report"
    ALERT_REPORT_READ = "alert.report_read"
    FORGERY_SEARCH = "forgery.search"
    INSPECTION_READ = "inspection.read"
    CASE_READ = "case.read"
    CASE_LIST = "case.list"
    REFUSED_SHARES_LIST = "federation.refused_shares"
    HIT_REVIEW_READ = "hit_review.read"
    HIT_REVIEW_QUEUE = "hit_review.queue"
    TRAVELLER_HISTORY = "traveller.history"
    AUDIT_READ = "audit.read"
    STAY_SEARCH = "stay.search"
    CROSSING_SEARCH = "crossing.search"


class WatchlistAction(StrEnum):
    """The audit records of changes to the watchlist made by hand."""

    ADD = "watchlist.add"
    UPDATE = "watchlist.update"
    WITHDRAW = "watchlist.withdraw"
    SHARING = "watchlist.sharing"


def checked_purpose(purpose: str) -> str:
    """The purpose of a search, stripped; empty or over :data:`MAX_PURPOSE` is refused.

    >>> checked_purpose("  visa check ")
    'visa check'
    >>> checked_purpose(" ")
    Traceback (most recent call last):
    ...
    passerelle.exc.InvalidInput: purpose: say why you search (it is recorded)
    >>> checked_purpose("\u200b")  # a zero-width space alone says nothing either
    Traceback (most recent call last):
    ...
    passerelle.exc.InvalidInput: purpose: say why you search (it is recorded)
    """
    text = purpose.strip()
    if says_nothing(text):
        raise InvalidInput("purpose", "say why you search (it is recorded)")
    if len(text) > MAX_PURPOSE:
        raise InvalidInput("purpose", f"is longer than {MAX_PURPOSE} characters")
    return text


def permitted(actor: Actor, *permissions: Permission) -> None:
    """Return when ``actor`` holds one of ``permissions``; else raise ``Forbidden`` naming the
    first (the service checks whatever the face checked before it)."""
    if not any(can(actor.role, permission) for permission in permissions):
        require(actor, permissions[0])
