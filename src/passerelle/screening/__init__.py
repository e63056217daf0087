"""The border check: one traveller, every source, one decision with its reasons.

An officer scans a travel document (and may take a live photo and fingerprints); the
:class:`Inspector` answers with an :class:`InspectionResult`. Nothing here
speaks HTTP: the API and the web pages call the inspector. Its thresholds,
time-outs and the partners' defaults are one :class:`InspectorConfig`, which
the composition root builds from the node's settings; the inspector reads no
settings itself.

What is checked
---------------
1. **document** — the MRZ (ICAO Doc 9303, ``passerelle.documents``), or the
   visual zone typed by hand when no MRZ can be read (``documents.typed``: a
   ``typed_by_hand`` information finding says so), expiry judged on the day of
   the request (``InspectionRequest.at``, in the inspector's time zone). Runs
   first: the other checks use its fields.

Then, in parallel threads (each with its own database session):

2. **sltd** — the stolen/lost documents registry, by issuing state and number.
3. **alerts** — the node's alerts in force: on the document, and on the person
   (first name as issued and birth date, as the alert store keys them).
4. **watchlist** — name screening (``passerelle.names``) with the MRZ name,
   birth date, nationality and sex.
5. **face** — when photos are given: the live photo against the document's
   portrait (1:1), and the live photo (else the portrait) against the 1:N
   galleries the inspector is given.
6. **stay** — the stay rule for the nationality (``passerelle.stay``; 90 days in
   any 180 unless the node sets otherwise) over the document's recorded crossings,
   for the travellers it binds: one ``InspectorConfig.stay_rule`` exempts (the
   node's nationals, exempt document types, a category the officer states) gets
   a ``stay_not_applied`` information finding instead, no figures, a grey light.
7. **fingerprint** — when fingers are given (``InspectionRequest.fingerprints``):
   each one's minutiae, extracted once for this check and the partners', against
   the 1:N fingerprint galleries the inspector is given (``screening.fingerprints``);
   a print that cannot be used refers the traveller with the reason. Its light is
   shown only then.
8. **federation** — when the node or the request asks for it: the partners'
   hit/no-hit answers on the document, the person, the live face's template and
   the live fingers' minutiae, within one deadline (``screening.federation``).

A check that raises, or does not answer within ``timeout_s``, gives an ``error``
or ``unavailable`` finding for its source; ``inspect`` itself never raises for
it and never clears the traveller.

Decision rules
--------------
Every finding has a severity (``hit``, ``refer``, ``report``, ``info``); the decision
is the strongest one found, and each source's light the strongest among its own
findings (red, amber, blue, green; grey when the source did not run).

``hit`` when any of
    * the document is in the stolen/lost registry (exact number, or the same once
      O is read as 0 and I as 1);
    * an alert in force concerns the document or the person and asks for an
      arrest, a refusal of entry or exit, or a seizure (its ``action_code``,
      ``records.alert_actions``);
    * a watchlist candidate of category ``wanted`` or ``travel_ban`` scores at or
      above the name threshold (``names.DEFAULT_THRESHOLD``, 0.7, unless the
      inspector is given another);
    * the face is found in a 1:N gallery at or above the face threshold;
    * a live finger is found in a 1:N fingerprint gallery at or above the search
      threshold (BOZORTH3 64);
    * a partner answers ``hit`` (federation; a partner that does not answer is
      information only: it neither refers nor clears).

``refer`` when none of the above, but any of
    * an alert in force asks for a specific check (search and question), or a
      watchlist candidate of category ``missing`` or ``alert`` scores at or above
      the name threshold;
    * the MRZ is not well formed (layout, check digits, dates, states, sex), or has
      forgery indicators (``suspicious``), or the document has expired;
    * the live face does not match the portrait (1:1), or a photo is unusable;
    * a check failed or timed out, or a required check (sltd, alerts, watchlist,
      stay) could not be made because the document gives no number or no name;
    * the stay record shows an overstay, or (entering) no day of stay left;
    * a watchlist candidate scores at or above the weak threshold (0.5) but below
      the hit threshold, or a stolen/lost record agrees only on the first nine
      characters of a longer number;
    * the inspection could not be recorded.

``clear`` otherwise. An alert that asks for a discreet check or information only
changes no decision (severity ``report``, the source's light blue): the traveller
passes as usual, and the result's ``action`` tells the officer a report is asked.
The result's ``action`` is the strongest action the hits ask for (``arrest`` over
``refuse_crossing`` over ``seize`` over ``specific_check`` over ``discreet_check``
over ``inform``). The face check is optional: without photos it is grey and
does not stop a clear.

What is kept
------------
Every inspection is stored with its result (``store.inspections``) and audited
as a search with the request's purpose (``inspection.search``). A clear logs the
crossing. Every hit is queued for analysts' review (``pending``). The officer's
later decision (:meth:`Inspector.record_decision`: ``admit`` logs the crossing,
except on a HIT, where it awaits a supervisor's confirmation; ``refer`` queues the
traveller for second line; ``refer``/``refuse`` after a clear takes the crossing
back) and their word that a
watchlist candidate is not the traveller (:meth:`Inspector.mark_not_same_person`)
are stored and audited too.
"""

from passerelle.screening.components import DlibFaceEngine, FaceEngine, FaceSearch, NameScreener
from passerelle.screening.config import WEAK_NAME_THRESHOLD, InspectorConfig
from passerelle.screening.inspector import Inspector
from passerelle.screening.model import (
    SOURCES,
    Decision,
    FaceComparison,
    FaceHit,
    Finding,
    InspectionRequest,
    InspectionResult,
    Light,
    Matches,
    OfficerAction,
    OfficerDecision,
    Severity,
    Source,
    SourceStatus,
    StayFigures,
    WatchlistCandidate,
)
from passerelle.screening.records import InspectionRecord
from passerelle.screening.rules import decide, lights

__all__ = [
    "SOURCES",
    "WEAK_NAME_THRESHOLD",
    "Decision",
    "DlibFaceEngine",
    "FaceComparison",
    "FaceEngine",
    "FaceHit",
    "FaceSearch",
    "Finding",
    "InspectionRecord",
    "InspectionRequest",
    "InspectionResult",
    "Inspector",
    "InspectorConfig",
    "Light",
    "Matches",
    "NameScreener",
    "OfficerAction",
    "OfficerDecision",
    "Severity",
    "Source",
    "SourceStatus",
    "StayFigures",
    "WatchlistCandidate",
    "decide",
    "lights",
]
