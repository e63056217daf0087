"""What the API, the web pages and the CLI work with: one node and the services built on it.

Each builder here is the only place its service is put together: the alert
registry with the partners' listener, the face galleries at the node's
threshold, the border-check service, and the engines that answer partners.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import timedelta
from typing import TYPE_CHECKING

from passerelle.access import AccessControl, AccessPolicy
from passerelle.access.rates import NodePhotoRate, PhotoGate, PhotoRate, RateLimit
from passerelle.biometrics.enrolment import FaceGalleries, FingerprintGalleries
from passerelle.biometrics.face import MATCH_THRESHOLD
from passerelle.biometrics.fingerprint.captures import (
    DEFAULT_FINGER_LIMITS,
    FingerCaptureLimits,
)
from passerelle.biometrics.gallery_bands import read_catalogue
from passerelle.biometrics.photo import DEFAULT_LIMITS, PhotoLimits, refuse_decompression_bombs
from passerelle.biometrics.workers import FaceWorkers, FaceWorkLimits
from passerelle.federation.alerts.outgoing import sync_alert_step
from passerelle.federation.followups.requests import FollowUps
from passerelle.federation.queries.asking import ExchangeAsker
from passerelle.federation.queries.handlers import PartnerServices
from passerelle.i18n.wording import Parameter
from passerelle.lists.index_cache import IndexCache
from passerelle.lists.watchlist import StoreWatchlist
from passerelle.node import Node
from passerelle.records.catalogues import DEFAULT_CATALOGUES, Catalogues
from passerelle.records.stay_rule import DEFAULT_STAY_RULE, StayRuleScope
from passerelle.screening import Inspector, InspectorConfig
from passerelle.screening.components import NameScreener, PooledFaceEngine, PooledFingerEngine
from passerelle.screening.config import DEFAULT_FEDERATION_MISSING
from passerelle.services import (
    AlertDesk,
    RecordReading,
    SltdSearches,
    StaySearches,
    WatchlistSearches,
)
from passerelle.services.alert_reports import AlertReports
from passerelle.services.biometrics import FaceDesk, FingerDesk
from passerelle.services.decisions import DecisionReasoning
from passerelle.services.forgeries import ForgeryCatalogue
from passerelle.services.history import TravellerHistory
from passerelle.services.hit_queue import ReviewQueue
from passerelle.services.identity_asking import IdentityAsking
from passerelle.services.identity_links import IdentityLinkDesk
from passerelle.services.networks import NetworkReading
from passerelle.services.notices import NoticeDesk
from passerelle.services.second_line import SecondLine
from passerelle.services.seizures import SeizureDesk
from passerelle.settings import Settings
from passerelle.store.alerts import AlertRegistry
from passerelle.store.retention import RetentionPolicy
from passerelle.wiring.audit_watch import ChainWatch
from passerelle.wiring.catalogues import CatalogueBook
from passerelle.wiring.federation import FederationLink, connect

if TYPE_CHECKING:
    from passerelle.services.identities import IdentityLinkage

__all__ = [
    "ALERT_GALLERIES",
    "NodeServices",
    "alert_desk",
    "alert_registry",
    "build_services",
    "face_desk",
    "face_galleries",
    "face_threshold",
    "face_workers",
    "finger_desk",
    "finger_galleries",
    "finger_limits",
    "identity_linkage",
    "inspector_config",
    "partner_services",
    "photo_limits",
    "photo_rate",
    "retention_policy",
    "watchlist_searches",
]

ALERT_GALLERIES = ("alerts", "wanted")
"""The face galleries every inspection searches (1:N) when a photo is given."""


def face_threshold(settings: Settings) -> float:
    """The face decision threshold in force: the calibrated one, else the engine's default."""
    return settings.face_match_threshold or MATCH_THRESHOLD


def photo_limits(settings: Settings) -> PhotoLimits:
    """Each photo's pixel budget and the side it is reduced to (``PASSERELLE_FACE_MAX_*``)."""
    return PhotoLimits(max_pixels=settings.face_max_pixels, max_side=settings.face_max_side)


def face_workers(settings: Settings) -> FaceWorkers:
    """The face worker processes of the node's server (``PASSERELLE_FACE_WORKERS``,
    ``_PER_USER``, ``_DEADLINE_MS``, ``_QUEUE_WAIT_MS``, ``_QUEUE_SIZE``; started on first
    use), within the photo limits."""
    limits = FaceWorkLimits(
        workers=settings.face_workers,
        per_user=min(settings.face_workers_per_user, settings.face_workers),
        deadline_s=settings.face_deadline_ms / 1000,
        queue_wait_s=settings.face_queue_wait_ms / 1000,
        queue_size=settings.face_queue_size,
    )
    return FaceWorkers(limits, photo_limits(settings))


def finger_limits(settings: Settings) -> FingerCaptureLimits:
    """Each live fingerprint image's byte budget (``PASSERELLE_FINGER_MAX_BYTES``)."""
    return FingerCaptureLimits(max_bytes=settings.finger_max_bytes)


def photo_rate(node: Node) -> NodePhotoRate:
    """Each user's photo-request bucket (``PASSERELLE_PHOTO_RATE_PER_MINUTE``, ``_BURST``),
    in the node's database: one bucket per user for every host."""
    settings = node.settings
    limit = RateLimit(settings.photo_rate_per_minute, settings.photo_burst)
    return NodePhotoRate(node.database, limit)


def face_galleries(node: Node) -> FaceGalleries:
    """The node's face galleries (``HOME/galleries``), sealed with its vault key, indexed as
    ``PASSERELLE_FACE_INDEX_BANDS_FILE`` (or the package's ``gallery_bands.toml``) says."""
    bands = node.settings.face_index_bands_file
    return FaceGalleries(
        node.database,
        node.template_vault(),
        node.settings.galleries_dir,
        threshold=face_threshold(node.settings),
        catalogue=None if bands is None else read_catalogue(bands),
    )


def inspector_config(
    settings: Settings,
    *,
    federation_missing: Parameter = DEFAULT_FEDERATION_MISSING,
    stay_rule: StayRuleScope = DEFAULT_STAY_RULE,
) -> InspectorConfig:
    """How the node's inspector checks, from its settings: the alert galleries searched,
    the calibrated face threshold, whether and how long the partners are asked
    (``PASSERELLE_FEDERATION``, ``PASSERELLE_FEDERATION_DEADLINE_MS``), why they
    cannot be (``federation_missing``: the federation link's status), and who the stay
    rule does not bind (the catalogue's ``stay_rule``; by default the node's nationals)."""
    return InspectorConfig(
        stay_rule=stay_rule.for_node(settings.node),
        gallery_names=ALERT_GALLERIES,
        finger_gallery_names=ALERT_GALLERIES,
        finger_min_quality=settings.finger_min_quality,
        face_match_threshold=face_threshold(settings),
        federation_default=settings.federation == "on",
        federation_deadline_s=settings.federation_deadline_s,
        federation_missing=federation_missing,
    )


def alert_registry(node: Node) -> AlertRegistry:
    """The registry every face issues and withdraws alerts through: each step is queued
    for the partners its agreement allows, in the step's transaction."""
    return AlertRegistry(node.audit, listeners=(sync_alert_step,))


def retention_policy(settings: Settings) -> RetentionPolicy:
    """The retention limits in force: each ``PASSERELLE_RETENTION_<LIMIT>`` setting."""
    limits = {
        limit.name: getattr(settings, f"retention_{limit.name}")
        for limit in fields(RetentionPolicy)
    }
    return RetentionPolicy(**limits)


def identity_linkage(node: Node) -> IdentityLinkage:
    """Multiple-identity linkage runs with the node's face threshold, engine and Spark master
    (``PASSERELLE_LINKAGE_ENGINE``, ``PASSERELLE_SPARK_MASTER``)."""
    from passerelle.services.identities import IdentityLinkage

    return IdentityLinkage(
        node,
        face_threshold=face_threshold(node.settings),
        engine=node.settings.linkage_engine,
        spark_master=node.settings.spark_master,
    )


def face_desk(node: Node) -> FaceDesk:
    """Face enrolment, 1:N search and removal over the node's face galleries, audited."""
    return FaceDesk(node, face_galleries(node))


def finger_galleries(node: Node) -> FingerprintGalleries:
    """The node's fingerprint galleries (``HOME/galleries``, templates sealed in the store)."""
    return FingerprintGalleries(node.database, node.template_vault(), node.settings.galleries_dir)


def finger_desk(node: Node) -> FingerDesk:
    """Fingerprint enrolment, 1:N search and removal over the node's galleries, audited."""
    return FingerDesk(node, finger_galleries(node))


def alert_desk(node: Node) -> AlertDesk:
    """Alert management over the registry that tells partners (:func:`alert_registry`)."""
    return AlertDesk(node, alert_registry(node))


def watchlist_searches(node: Node, screener: NameScreener | None = None) -> WatchlistSearches:
    """Watchlist screening over ``screener`` (the app's inspector's index), or a watchlist
    index of its own that loads the saved index from ``HOME/cache`` when it can."""
    if screener is None:
        screener = StoreWatchlist(node, max_age_s=None, cache=IndexCache(node.settings.cache_dir))
    return WatchlistSearches(node, screener)


def partner_services(node: Node) -> PartnerServices:
    """What the federation listener answers partners' queries with: a watchlist index
    (rebuilt when five minutes old), the node's face and fingerprint galleries, and the
    least time an answer takes (``PASSERELLE_FEDERATION_ANSWER_FLOOR_MS``)."""
    floor_s = node.settings.federation_answer_floor_ms / 1000
    return PartnerServices(
        StoreWatchlist(node),
        face_galleries(node),
        answer_floor_s=floor_s,
        fingers=finger_galleries(node),
        fingerprint_floor_s=node.settings.federation_fingerprint_floor_ms / 1000,
    )


@dataclass(frozen=True, slots=True)
class NodeServices:
    """The node and the services its faces call: access control, the border check, the face
    galleries, the shared use cases (alerts, documents, watchlist, records, stays, the
    supervisors' second line, the face desk, the analysts' queue, a traveller's history),
    the federation link and the catalogues (crossing points, decision reasons)."""

    node: Node
    access: AccessControl
    inspector: Inspector
    galleries: FaceGalleries
    alerts: AlertDesk
    documents: SltdSearches
    watchlist: WatchlistSearches
    records: RecordReading
    stays: StaySearches
    decisions: DecisionReasoning
    seizures: SeizureDesk
    notices: NoticeDesk
    second_line: SecondLine
    faces: FaceDesk
    review_queue: ReviewQueue
    history: TravellerHistory
    federation: FederationLink | None = None
    fixed_catalogues: Catalogues = DEFAULT_CATALOGUES
    """The catalogue applied when there is no book (services given their catalogue)."""
    catalogue_book: CatalogueBook | None = None
    """The catalogue in force, kept in step with the one saved for the node (every host)."""
    photo_limits: PhotoLimits = DEFAULT_LIMITS
    """Each photo's pixel budget: a photo over it is refused at the door (422)."""
    photo_rate: PhotoGate = field(default_factory=lambda: PhotoRate(RateLimit()))
    """Each user's photo-request bucket (the node's, shared by its hosts, when built by
    ``build_services``): beyond it, 429."""
    finger_limits: FingerCaptureLimits = DEFAULT_FINGER_LIMITS
    """How many live fingers an inspection takes and how large each image: beyond, 413/422."""
    face_workers: FaceWorkers | None = None
    """The face worker processes the inspector's face engine captures in (None: the
    inspector was given its own engine)."""
    chain_watch: ChainWatch | None = None
    """The audit chain verified incrementally for ``/audit`` (one per process)."""

    @property
    def catalogues(self) -> Catalogues:
        """The catalogue in force now: the book's, else the fixed one."""
        book = self.catalogue_book
        return book.current() if book is not None else self.fixed_catalogues

    def networks(self) -> NetworkReading:
        """The analysts' networks of travellers (``passerelle.networks``), audited."""
        return NetworkReading(self.node)

    def alert_reports(self) -> AlertReports:
        """Officers' reports of alert hits: filed from the verdict, read on the alert."""
        return AlertReports(self.node)

    def forgeries(self) -> ForgeryCatalogue:
        """The forged-document alerts held, own and partners', for the document examiner."""
        return ForgeryCatalogue(self.node)

    def follow_ups(self) -> FollowUps:
        """Follow-ups on partners' hits, over this node's federation link."""
        link = self.federation or connect(self.node)
        return FollowUps(self.node, link.directory, sender=link.client)

    def identity_links(self) -> IdentityLinkDesk:
        """The analysts' identity links, with follow-ups on partners' cross-border links."""
        return IdentityLinkDesk(self.node, follow_ups=self.follow_ups(), faces=self.faces.galleries)

    def identity_asking(self) -> IdentityAsking:
        """Asking partners whether a record is known there under another identity."""
        link = self.federation or connect(self.node)
        asker = (
            ExchangeAsker(link.client, link.directory, node=self.node, hub=link.hub)
            if link.client is not None
            else None
        )
        return IdentityAsking(self.node, asker)

    def close(self) -> None:
        """Close the federation client's connections and thread, and stop the face workers
        (when there are)."""
        if self.federation is not None:
            self.federation.close()
        if self.face_workers is not None:
            self.face_workers.close()


def build_services(
    node: Node,
    *,
    inspector: Inspector | None = None,
    federation: FederationLink | None = None,
    catalogues: Catalogues | None = None,
) -> NodeServices:
    """Wire the services over ``node`` (an inspector, a federation link or catalogues may be
    given, e.g. with test components; without an inspector, the node's runs its face
    captures in face worker processes, ``face_workers``, which ``close`` stops; Pillow's
    decompression-bomb warning becomes an error in this process); without catalogues, the
    node's are opened (``CatalogueBook``: the one saved for the node, else the catalogue
    file) before anything else, so that a bad one stops the start, and kept in step with
    the one saved through any host."""
    book = None
    if catalogues is None:
        book = CatalogueBook(node)
        catalogues = book.current()
    refuse_decompression_bombs()
    galleries = face_galleries(node)
    link = federation or connect(node)
    workers = None
    if inspector is None:
        asker = (
            ExchangeAsker(link.client, link.directory, node=node, hub=link.hub)
            if link.client is not None
            else None
        )
        workers = face_workers(node.settings)
        inspector = Inspector(
            node,
            faces=PooledFaceEngine(workers, threshold=face_threshold(node.settings)),
            galleries=galleries,
            fingers=PooledFingerEngine(workers),
            finger_galleries=finger_galleries(node),
            federation=asker,
            watchlist_cache=IndexCache(node.settings.cache_dir),
            config=inspector_config(
                node.settings,
                federation_missing=link.why_not or link.status,
                stay_rule=catalogues.stay_rule,
            ),
        )
    return NodeServices(
        node=node,
        access=AccessControl.for_node(
            node,
            policy=AccessPolicy(
                address_delay=timedelta(seconds=node.settings.login_address_delay_s)
            ),
        ),
        inspector=inspector,
        galleries=galleries,
        alerts=alert_desk(node),
        documents=SltdSearches(node),
        watchlist=watchlist_searches(node, inspector.screener()),
        records=RecordReading(node, inspector),
        stays=StaySearches(node),
        decisions=DecisionReasoning(node, inspector, book.current if book else catalogues),
        seizures=SeizureDesk(node, inspector),
        notices=NoticeDesk(node, inspector, book.current if book else catalogues),
        second_line=SecondLine(node, inspector.repository),
        faces=FaceDesk(node, galleries),
        review_queue=ReviewQueue(node),
        history=TravellerHistory(node),
        federation=link,
        fixed_catalogues=catalogues,
        catalogue_book=book,
        photo_limits=photo_limits(node.settings),
        photo_rate=photo_rate(node),
        finger_limits=finger_limits(node.settings),
        face_workers=workers,
        chain_watch=ChainWatch(node),
    )
