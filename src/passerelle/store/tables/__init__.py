"""The node's tables (SQLAlchemy 2), one module per area. Schema changes go through Alembic.

=================  ====================================================================
``base``           ``Base`` (its metadata is what the migrations are compared against)
                   and the shared column types (``BigId``)
``registries``     SLTD documents, watchlist persons, alerts, their events and reports,
                   crossings, stay rules, bulk load runs and their rejections
``audit``          the audit chain: records, payloads, the head; partners' checkpoints
``biometrics``     sealed biometric templates, per gallery; face reference photos
``inspections``    border inspections, hit reviews and their sightings, cases, case
                   numbers, case notes
``second_line``    admissions of a HIT awaiting a supervisor, second-line referrals
``access``         users, API tokens, web sessions, login attempts, photo buckets
``seizures``      what officers seized at inspections
``changes``        the change counters of the tables hosts keep indexes of
``catalogues``     the catalogue files saved from the administrators' page
``rollups``        the daily counts of crossings, inspections and their outcomes
``chip``           the chip trust store: CSCAs and CRLs, versioned
``keys``           the fingerprints of the node's keys, checked before a host writes
``identities``     multiple-identity links and the linkage runs that proposed them
``federation``     partner nodes, the exchange outbox, inbox, references, replay
                   guard and follow-ups, and the alerts partners shared
=================  ====================================================================

Importing this package registers every table on ``Base.metadata``: Alembic's
environment, the migration tests and the test database's truncation see the
whole schema whichever module was imported first. The repositories around it
(``passerelle.store.sltd``, ``users``, ``inspections``...) read and write these
tables; no other module defines one.

>>> from passerelle.store.tables import Alert, Base
>>> Base.metadata.tables["alerts"] is Alert.__table__
True
"""

from passerelle.store.tables.access import ApiToken, LoginAttempt, PhotoBucket, User, WebSession
from passerelle.store.tables.audit import (
    AuditHead,
    AuditPayload,
    AuditRecord,
    PartnerAuditCheckpoint,
)
from passerelle.store.tables.base import Base, BigId
from passerelle.store.tables.biometrics import BiometricTemplate, FaceReference
from passerelle.store.tables.catalogues import SavedCatalogue
from passerelle.store.tables.changes import StoreChange
from passerelle.store.tables.chip import ChipCrl, ChipCsca, ChipPartnerCsca, ChipTrustVersion
from passerelle.store.tables.federation import (
    ExchangeFollowUp,
    ExchangeInbox,
    ExchangeOutbox,
    ExchangePeer,
    ExchangeReference,
    PartnerAlert,
    PartnerAlertTombstone,
    SeenMessage,
)
from passerelle.store.tables.hub import HubAgreement
from passerelle.store.tables.identities import IdentityLink, LinkageRun
from passerelle.store.tables.inspections import (
    Case,
    CaseNote,
    CaseNumber,
    CaseReview,
    HitReview,
    HitSighting,
    Inspection,
)
from passerelle.store.tables.keys import NodeKey
from passerelle.store.tables.registries import (
    Alert,
    AlertEvent,
    AlertReport,
    Crossing,
    LoadRejection,
    LoadRun,
    SltdRecord,
    StayRule,
    WatchlistPerson,
)
from passerelle.store.tables.rollups import DailyCrossings, DailyInspections, DailyOutcomes
from passerelle.store.tables.second_line import AdmissionRequest, SecondLineReferral
from passerelle.store.tables.seizures import Seizure

__all__ = [
    "AdmissionRequest",
    "Alert",
    "AlertEvent",
    "AlertReport",
    "ApiToken",
    "AuditHead",
    "AuditPayload",
    "AuditRecord",
    "Base",
    "BigId",
    "BiometricTemplate",
    "Case",
    "CaseNote",
    "CaseNumber",
    "CaseReview",
    "ChipCrl",
    "ChipCsca",
    "ChipPartnerCsca",
    "ChipTrustVersion",
    "Crossing",
    "DailyCrossings",
    "DailyInspections",
    "DailyOutcomes",
    "ExchangeFollowUp",
    "ExchangeInbox",
    "ExchangeOutbox",
    "ExchangePeer",
    "ExchangeReference",
    "FaceReference",
    "HitReview",
    "HitSighting",
    "HubAgreement",
    "IdentityLink",
    "Inspection",
    "LinkageRun",
    "LoadRejection",
    "LoadRun",
    "LoginAttempt",
    "NodeKey",
    "PartnerAlert",
    "PartnerAlertTombstone",
    "PartnerAuditCheckpoint",
    "PhotoBucket",
    "SavedCatalogue",
    "SecondLineReferral",
    "SeenMessage",
    "Seizure",
    "SltdRecord",
    "StayRule",
    "StoreChange",
    "User",
    "WatchlistPerson",
    "WebSession",
]
