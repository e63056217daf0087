"""The node's use cases, once: what the API, the web pages and the CLI share.

Each use case takes the actor asking and, for a search, the purpose they give;
it checks the actor's permission, does the work in one transaction, and records
one audit record (an :class:`AuditAction`) in that same transaction (a look-up
that finds nothing or is refused records it in a transaction of its own), so the
record is the same whichever face the search came through. The faces parse what
they are given, call one service, and present what it returns.

Modules: ``common`` (the audit actions, purposes and permission checks),
``lookups`` (look-ups audited whatever they find: found, not found, refused,
listed; a record of a miss or a refusal commits on its own),
``documents`` (the stolen/lost registry), ``watchlist`` (name screening and
entries), ``alerts`` (alert management), ``records`` (reading inspections,
cases and the audit trail), ``stays`` (a document's crossings and stay),
``decisions`` (the reasons of an inspection's direction), ``seizures`` (seizures
recorded at the border), ``notices`` (the facts of a refusal notice or a seizure
receipt, each printing audited),
``second_line`` (supervisors: four-eyes admissions of a HIT, the second-line queue),
``hit_queue`` (the analysts' queue: one item per traveller and hit),
``history`` (a traveller's last crossings and inspections beside a verdict) and
``biometrics`` (faces and fingerprints in the galleries, a face hit's reference
photo; imported on its own, so that a command that does not need numpy and PIL
does not load them).
The composition root (``passerelle.wiring``) builds them.
"""

from passerelle.services.alerts import AlertDesk, AlertFile
from passerelle.services.common import AuditAction, checked_purpose
from passerelle.services.documents import SltdAnswer, SltdSearches
from passerelle.services.records import RecordReading
from passerelle.services.stays import StayAnswer, StaySearches
from passerelle.services.watchlist import WatchlistMatch, WatchlistSearches

__all__ = [
    "AlertDesk",
    "AlertFile",
    "AuditAction",
    "RecordReading",
    "SltdAnswer",
    "SltdSearches",
    "StayAnswer",
    "StaySearches",
    "WatchlistMatch",
    "WatchlistSearches",
    "checked_purpose",
]
