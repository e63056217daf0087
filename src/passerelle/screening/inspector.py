"""The inspector: runs a border check end to end, stores it, and takes the officer's decision.

See the package docstring for the order of the checks and the decision rules.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date

from passerelle.biometrics.workers import working_for
from passerelle.documents import DocumentCheck, MrzFormat, check_mrz, check_typed
from passerelle.documents.chip import TrustAnchors
from passerelle.federation.queries.asking import AskedFor, PartnerAsker
from passerelle.i18n import N_
from passerelle.i18n.wording import worded
from passerelle.lists.alert_names import AlertNames
from passerelle.lists.index_cache import IndexCache
from passerelle.lists.watchlist import StoreWatchlist
from passerelle.node import Node
from passerelle.screening.alert_checks import check_alerts
from passerelle.screening.checks import (
    SourceOutcome,
    check_sltd,
    check_stay,
    check_watchlist,
    mrz_name,
    stay_not_applied,
)
from passerelle.screening.chip import check_chip
from passerelle.screening.components import (
    DlibFaceEngine,
    FaceEngine,
    FaceSearch,
    FingerEngine,
    FingerSearch,
    LocalFingerEngine,
    NameScreener,
)
from passerelle.screening.config import InspectorConfig
from passerelle.screening.faces import check_faces
from passerelle.screening.federation import (
    check_federation,
    not_configured_finding,
)
from passerelle.screening.fingerprints import LiveFingers, check_fingerprints
from passerelle.screening.model import (
    Finding,
    InspectionRequest,
    InspectionResult,
    Matches,
    OfficerAction,
    OfficerDecision,
    Source,
)
from passerelle.screening.records import (
    InspectionRecord,
    load_inspection,
    mark_not_same_person,
    record_officer_decision,
    store_inspection,
)
from passerelle.screening.replays import answered_before
from passerelle.screening.rules import (
    asked_action,
    decide,
    document_findings,
    failure_finding,
    lights,
    not_run_finding,
    typed_by_hand_finding,
)
from passerelle.screening.running import run_checks
from passerelle.store.audit import Actor
from passerelle.store.chip_trust import ChipTrustStore
from passerelle.store.inspections import HitReviewView, InspectionRepository

__all__ = ["DEFAULT_CONFIG", "Inspector"]

log = logging.getLogger(__name__)

DEFAULT_CONFIG = InspectorConfig()
"""The inspector's configuration when none is given (tests, tools)."""


def _for_officer(
    request: InspectionRequest, task: Callable[[], SourceOutcome]
) -> Callable[[], SourceOutcome]:
    """``task``, its face captures counted against the officer's share of the face workers
    (``biometrics.workers``: one officer's photos cannot take every worker)."""

    def run() -> SourceOutcome:
        with working_for(request.officer.name):
            return task()

    return run


class Inspector:
    """The border check as one service over a node and its components, tuned by ``config``.

    ``names`` screens the watchlist (default: ``StoreWatchlist``, an index of the
    store's active watchlist built on first use and rebuilt in the background
    when the watchlist or the day changed, which the store is asked at most every
    ``config.watchlist_max_age_s`` seconds; ``refresh_watchlist`` rebuilds it at
    once, e.g. after a watchlist load; ``watchlist_cache`` keeps the built index
    for the other workers and the next start). ``faces`` captures and compares
    faces (default: dlib at ``config.face_match_threshold``). ``galleries``
    searches the 1:N lists named in ``config.gallery_names`` (default: none
    searched); ``fingers`` extracts live prints' minutiae (default: NBIS in the
    calling thread) and ``finger_galleries`` searches ``config.finger_gallery_names``.
    Each check gets ``config.timeout_s`` seconds; one that fails or does not answer
    refers the traveller, it never clears them.

    ``chip_anchors`` gives the CSCAs and CRLs a chip is checked against (default: the
    node's trust store, ``store.chip_trust``); the chip check runs before the others,
    as its verified DG2 face may stand in for the document photo (``screening.chip``).

    ``federation`` asks the partners (``screening.federation``) within
    ``config.federation_deadline_s``, for every inspection when
    ``config.federation_default`` and for those whose request says so; without
    it, a request for the partners gets an information finding saying
    ``config.federation_missing``. The federation check failing or running late
    is information only: it never refers the traveller, and never clears them.

    The checks of every inspection run in one pool of at most ``config.threads``
    threads (a request server's threads each wait on a handful of checks); a
    check that runs late keeps its thread until it ends.
    """

    def __init__(
        self,
        node: Node,
        *,
        names: NameScreener | None = None,
        faces: FaceEngine | None = None,
        galleries: FaceSearch | None = None,
        federation: PartnerAsker | None = None,
        watchlist_cache: IndexCache | None = None,
        config: InspectorConfig = DEFAULT_CONFIG,
        fingers: FingerEngine | None = None,
        finger_galleries: FingerSearch | None = None,
        chip_anchors: Callable[[], TrustAnchors] | None = None,
    ) -> None:
        self.node = node
        self._chip_anchors = (
            chip_anchors
            if chip_anchors is not None
            else ChipTrustStore(node.database, node.audit, node.clock).anchors
        )
        self.config = config
        self._store_watchlist: StoreWatchlist | None = None
        if names is None:
            names = self._store_watchlist = StoreWatchlist(
                node, max_age_s=config.watchlist_max_age_s, cache=watchlist_cache
            )
        self._names: NameScreener = names
        self._faces: FaceEngine = (
            faces if faces is not None else DlibFaceEngine(threshold=config.face_match_threshold)
        )
        self._galleries = galleries
        self._fingers: FingerEngine = fingers if fingers is not None else LocalFingerEngine()
        self._finger_galleries = finger_galleries
        self._gallery_names = config.gallery_names
        self._name_threshold = config.name_threshold
        self._weak_threshold = config.weak_name_threshold
        self._top = config.top
        self._timeout_s = config.timeout_s
        self._tz = config.tz
        self._search_lock = threading.Lock()
        self._repository = InspectionRepository(node.audit)
        self._alert_names = AlertNames()
        self._federation = federation
        self._federation_default = config.federation_default
        self._federation_deadline_s = config.federation_deadline_s
        self._federation_missing = config.federation_missing
        self._threads = config.threads
        self._executor: ThreadPoolExecutor | None = None
        self._pool_lock = threading.Lock()

    # -- the watchlist index ---------------------------------------------------------------

    def screener(self) -> NameScreener:
        """The watchlist name screener the checks use (for a name search outside a check)."""
        return self._names

    def refresh_watchlist(self) -> None:
        """Rebuild the store's watchlist index now (nothing to do for a given ``names``)."""
        if self._store_watchlist is not None:
            self._store_watchlist.refresh()

    # -- the check -------------------------------------------------------------------------

    def inspect(self, request: InspectionRequest) -> InspectionResult:
        """Check one traveller; store the inspection; log the crossing when clear. Never raises
        for a failing check or store: the decision is then ``refer`` with the reason.
        Raises ``InvalidInput`` only for a stated stay exemption the node does not know,
        before anything is checked or recorded, and ``RequestIdReused`` for a request id
        the officer used for another traveller. A request whose id the officer already
        used for it is answered with that inspection (``screening.replays``)."""
        if request.stay_exemption is not None:
            self.config.stay_rule.category(request.stay_exemption)
        inspection_id = uuid.uuid4().hex
        day = request.at.astimezone(self._tz).date()
        try:
            check = self._check_document(request, day)
            findings: list[Finding] = document_findings(check)
            if request.visual_zone is not None:
                findings.append(typed_by_hand_finding())
        except Exception as exc:  # check_mrz never raises; if it ever does, refer, never crash
            log.error("inspection.document_failed", extra={"error": type(exc).__name__})
            check = DocumentCheck(MrzFormat.UNKNOWN, False, (), ())
            findings = [failure_finding("document", exc)]
        earlier = answered_before(self.node, self._repository, request, check)
        if earlier is not None:
            return earlier
        ran: list[Source] = ["document"]
        chip = None
        if request.chip is not None:
            ran.append("chip")
            chip = check_chip(request.chip, check, day, self._chip_anchors)
            findings.extend(chip.findings)
        tasks, skipped = self._tasks(
            request, check, day, inspection_id, chip.face if chip else None
        )
        findings.extend(skipped)
        outcomes = self._run(tasks)
        for outcome in outcomes:
            findings.extend(outcome.findings)
            if outcome.ran:
                ran.append(outcome.source)
        result = InspectionResult(
            inspection_id=inspection_id,
            at=request.at,
            decision=decide(findings),
            document=check.as_dict(),
            findings=tuple(findings),
            sources=lights(ran, findings),
            matches=Matches(
                watchlist=tuple(c for o in outcomes for c in o.watchlist),
                faces=tuple(f for o in outcomes for f in o.faces),
                face_verification=next(
                    (o.face_verification for o in outcomes if o.face_verification), None
                ),
                sltd=tuple(s for o in outcomes for s in o.sltd),
                alerts=tuple(a for o in outcomes for a in o.alerts),
            ),
            stay=next((o.stay for o in outcomes if o.stay is not None), None),
            action=asked_action(findings),
            document_wordings=tuple(f.wording for f in check.findings),
        )
        hits = [*(chip.hits if chip else ()), *(h for outcome in outcomes for h in outcome.hits)]
        stored = store_inspection(self.node, self._repository, request, check, result, hits)
        if not stored.recorded:  # another host may have stored the same request first
            return answered_before(self.node, self._repository, request, check) or stored
        return stored

    def _check_document(self, request: InspectionRequest, day: date) -> DocumentCheck:
        if request.mrz is None:
            assert request.visual_zone is not None, "InspectionRequest holds one or the other"
            return check_typed(request.visual_zone, as_of=day)
        if isinstance(request.mrz, DocumentCheck):
            if not request.mrz.lines:
                return request.mrz
            return check_mrz("\n".join(request.mrz.lines), as_of=day)
        return check_mrz(request.mrz, as_of=day)

    def _tasks(
        self,
        request: InspectionRequest,
        check: DocumentCheck,
        day: date,
        inspection_id: str,
        chip_face: bytes | None = None,
    ) -> tuple[dict[Source, Callable[[], SourceOutcome]], list[Finding]]:
        """The checks to run for this request, and the required ones that cannot run
        (``chip_face``: the verified chip's portrait, the document photo when none was
        scanned and a live photo was taken)."""
        database, audit, config = self.node.database, self.node.audit, self.config
        tasks: dict[Source, Callable[[], SourceOutcome]] = {}
        skipped: list[Finding] = []
        state, number = check.issuing_state, check.document_number
        exemption = self.config.stay_rule.exemption(
            nationality=check.nationality,
            document_code=check.document_code,
            stated=request.stay_exemption,
        )
        if exemption is not None:
            skipped.append(stay_not_applied(exemption))
        if state and number:
            tasks["sltd"] = lambda: check_sltd(database, state, number)
            if exemption is None:
                tasks["stay"] = lambda: check_stay(
                    database,
                    check,
                    state=state,
                    number=number,
                    direction=request.direction,
                    day=day,
                    tz=self._tz,
                )
        else:
            why = worded(N_("the document's issuing state and number could not be read"))
            skipped.append(not_run_finding("sltd", why))
            if exemption is None:
                skipped.append(not_run_finding("stay", why))
        if (state and number) or mrz_name(check):
            tasks["alerts"] = lambda: check_alerts(
                database,
                audit,
                check,
                day,
                names=self._alert_names,
                threshold=self._name_threshold,
                weak_threshold=self._weak_threshold,
            )
        else:
            skipped.append(
                not_run_finding("alerts", worded(N_("the document gives no number and no name")))
            )
        if mrz_name(check):
            tasks["watchlist"] = lambda: check_watchlist(
                self._names,
                database,
                check,
                threshold=self._name_threshold,
                weak_threshold=self._weak_threshold,
                top=self._top,
            )
        else:
            skipped.append(not_run_finding("watchlist", worded(N_("the document gives no name"))))
        document_photo = request.document_photo
        if document_photo is None and request.live_photo is not None:
            document_photo = chip_face
        if document_photo is not None or request.live_photo is not None:
            tasks["face"] = _for_officer(
                request,
                lambda: check_faces(
                    self._faces,
                    self._galleries,
                    self._gallery_names,
                    database,
                    audit,
                    document_photo=document_photo,
                    live_photo=request.live_photo,
                    search_lock=self._search_lock,
                ),
            )
        live = (
            LiveFingers(request.fingerprints, self._fingers, min_quality=config.finger_min_quality)
            if request.fingerprints
            else None
        )
        if live is not None:
            tasks["fingerprint"] = _for_officer(
                request,
                lambda: check_fingerprints(
                    live,
                    self._finger_galleries,
                    config.finger_gallery_names,
                    database,
                    audit,
                    search_lock=self._search_lock,
                ),
            )
        wanted = request.federation
        if wanted if wanted is not None else self._federation_default:
            asker = self._federation
            if asker is None:
                skipped.append(not_configured_finding(self._federation_missing))
            else:
                tasks["federation"] = _for_officer(
                    request,
                    lambda: check_federation(
                        asker,
                        check,
                        purpose=request.purpose,
                        deadline=self._federation_deadline_s,
                        faces=self._faces,
                        live_photo=request.live_photo,
                        fingers=live,
                        asked_for=AskedFor(request.officer, request.purpose, inspection_id),
                    ),
                )
        return tasks, skipped

    def _run(self, tasks: dict[Source, Callable[[], SourceOutcome]]) -> list[SourceOutcome]:
        """Run the checks in parallel threads; a failure or a late answer becomes a finding."""
        return run_checks(self._pool(), tasks, self._timeout_s) if tasks else []

    def _pool(self) -> ThreadPoolExecutor:
        """The threads the checks run in, shared by every inspection (started on first use:
        a pool a request cost more than some of the checks it ran)."""
        with self._pool_lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(
                    max_workers=self._threads, thread_name_prefix="inspection"
                )
            return self._executor

    def close(self) -> None:
        """Let the check threads go once their work is done (the inspector stays usable:
        a later inspection starts new ones)."""
        with self._pool_lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)

    # -- after the check -------------------------------------------------------------------

    def record_decision(
        self, inspection_id: str, action: OfficerAction, reason_code: str, by: Actor
    ) -> OfficerDecision:
        """The officer's decision (``admit``, ``refer``, ``refuse``) with a reason code.

        ``admit`` logs the crossing, except on a HIT: then it awaits a supervisor's
        confirmation (``awaiting_confirmation``; :mod:`passerelle.services.second_line`);
        ``refer`` queues the traveller for second line; ``refer`` or ``refuse`` after a
        ``clear`` takes back the crossing the clear logged. Audited; one decision per
        inspection.
        """
        return record_officer_decision(
            self.node, self._repository, inspection_id, action, reason_code, by
        )

    def mark_not_same_person(
        self, inspection_id: str, watchlist_id: str, by: Actor
    ) -> HitReviewView:
        """False-positive feedback: the traveller is not this watchlist candidate. Audited."""
        return mark_not_same_person(self.node, self._repository, inspection_id, watchlist_id, by)

    def get(self, inspection_id: str) -> InspectionRecord:
        """A stored inspection with the officer's decision and its hit reviews (not audited:
        the caller records the disclosure)."""
        return load_inspection(self.node, self._repository, inspection_id)

    @property
    def repository(self) -> InspectionRepository:
        """The store of inspections and the hit review queue (``pending``, ``confirm``...)."""
        return self._repository
