"""The node's settings, read once from ``PASSERELLE_*`` environment variables.

=====================================  ==============================================
``PASSERELLE_HOME``                    data folder (default: the user data dir)
``PASSERELLE_DATABASE_URL``            SQLAlchemy URL (default: SQLite file in HOME)
``PASSERELLE_REPLICA_DATABASE_URL``    a PostgreSQL hot standby for analysts' heavy reads (none)
``PASSERELLE_REPLICA_FALLBACK``        replica down: read the primary, or refuse (primary)
``PASSERELLE_REPLICA_RETRY_S``         how long a replica found down is left alone (10)
``PASSERELLE_NODE``                    ISO 3166-1 alpha-3 (or ICAO) code of this node
``PASSERELLE_KEYS_DIR``                folder of the node's keys, e.g. off the data disk (HOME/keys)
``PASSERELLE_AUDIT_KEY_FILE``          key sealing the audit chain (KEYS_DIR/audit.key)
``PASSERELLE_AUDIT_CHECKPOINT_FILE``   signed checkpoints (HOME/audit-checkpoints.jsonl)
``PASSERELLE_AUDIT_CHECKPOINT_*``      a checkpoint every ``_RECORDS`` (1000) or ``_MINUTES`` (15)
``PASSERELLE_AUDIT_PAGE_SIZE``         records per page of ``/audit`` (50)
``PASSERELLE_BIOMETRIC_KEY_FILE``      key encrypting biometric templates (KEYS_DIR/biometric.key)
``PASSERELLE_FACE_MATCH_THRESHOLD``    face decision threshold from ``passerelle face calibrate``
``PASSERELLE_LOAD_BATCH_SIZE``         lines per committed batch in bulk loads (50000)
``PASSERELLE_LOAD_PARALLEL``           parse loads in a second process: auto, on, off
``PASSERELLE_RETENTION_*_DAYS``        retention limits, see ``passerelle retention``
``PASSERELLE_MAX_REQUEST_BYTES``       largest HTTP request body, photos included (16 MiB)
``PASSERELLE_TLS``                     served behind HTTPS: send Strict-Transport-Security
``PASSERELLE_FEDERATION``              ask partners from each inspection: off (default), on
``PASSERELLE_FEDERATION_DEADLINE_MS``  how long an inspection waits for partners (800)
``PASSERELLE_LINKAGE_ENGINE``         where identity linkage runs: duckdb (default), spark
``PASSERELLE_SPARK_MASTER``            the spark engine's master (local[2]) or a cluster's URL
``PASSERELLE_CATALOGUES_FILE``         crossing points, reasons (HOME/config/catalogues.json)
``PASSERELLE_OFFICER_SCOPE``           whose inspections an officer reads: own, booth, point (booth)
``PASSERELLE_UNASSIGNED_SUPERVISOR``   a supervisor without a crossing point sees: all, none (all)
``PASSERELLE_FACE_MAX_PIXELS``         largest photo decoded, refused from its header (24 MP)
``PASSERELLE_FACE_MAX_SIDE``           longest side a photo is reduced to for the face model (1024)
``PASSERELLE_FACE_WORKERS``            face worker processes (2); ``_PER_USER``: a user's share (1)
``PASSERELLE_FACE_DEADLINE_MS``        a capture's deadline: its worker is killed past it (4000)
``PASSERELLE_FACE_QUEUE_WAIT_MS``      longest a capture waits for a free worker (1000)
``PASSERELLE_FACE_QUEUE_SIZE``         most captures waiting at once (8)
``PASSERELLE_PHOTO_RATE_PER_MINUTE``   photo-bearing requests per user and minute (20)
``PASSERELLE_PHOTO_BURST``             ... of which at once, after a pause (10)
``PASSERELLE_FINGER_MAX_BYTES``        largest live fingerprint image of an inspection (2 MiB)
``PASSERELLE_FINGER_MIN_QUALITY``      least NFIQ 2 score of a live print; worse is unusable (20)
``PASSERELLE_TIME_ZONE``               pages show times in this zone (UTC), e.g. Africa/Casablanca
``PASSERELLE_LANGUAGE``                pages' language if neither user nor browser has one (en)
=====================================  ==============================================
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from platformdirs import user_data_dir
from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from passerelle.documents.states import is_known_state
from passerelle.exc import ConfigurationError

__all__ = ["MAX_RETENTION_DAYS", "Settings", "get_settings", "load_settings"]


def _default_home() -> Path:
    return Path(user_data_dir("passerelle", appauthor=False))


MAX_RETENTION_DAYS = 36_500
"""The longest retention a ``PASSERELLE_RETENTION_*_DAYS`` may ask: a century (a longer one
is a typing error, and would take the cutoff before the calendar's first day)."""


class Settings(BaseSettings):
    """Everything a node needs to know about where it runs and whom it serves."""

    model_config = SettingsConfigDict(env_prefix="PASSERELLE_", frozen=True, extra="ignore")

    home: Path = Field(default_factory=_default_home)
    database_url: str | None = None
    replica_database_url: str | None = None
    """A hot standby of the PostgreSQL primary (streaming replication) that the analysts'
    heavy reads run on: the dashboard, networks, risk analysis, identity links. Their audit
    records and every write stay on the primary; none: everything on the primary."""
    replica_fallback: Literal["primary", "refuse"] = "primary"
    """What an analysis read does while the replica cannot be reached: read the primary
    (the page says so), or refuse (503, the primary kept for the officers)."""
    replica_retry_s: float = Field(default=10.0, ge=0.0, le=3600.0)
    """Seconds a replica found unreachable is left alone before it is tried again."""
    node: str = "UTO"
    keys_folder: Path | None = Field(default=None, validation_alias="passerelle_keys_dir")
    audit_key_file: Path | None = None
    biometric_key_file: Path | None = None
    audit_checkpoint_file: Path | None = None
    audit_checkpoint_records: int = Field(default=1000, ge=1, le=10_000_000)
    audit_checkpoint_minutes: int = Field(default=15, ge=1, le=7 * 24 * 60)
    audit_page_size: int = Field(default=50, ge=10, le=400)
    face_match_threshold: float | None = Field(default=None, gt=0.0, lt=1.0)
    load_batch_size: int = Field(default=50_000, ge=1, le=200_000)
    load_parallel: Literal["auto", "on", "off"] = "auto"
    retention_crossings_days: int = Field(default=1095, ge=1, le=MAX_RETENTION_DAYS)
    retention_audit_payload_days: int = Field(default=730, ge=1, le=MAX_RETENTION_DAYS)
    retention_withdrawn_days: int = Field(default=365, ge=1, le=MAX_RETENTION_DAYS)
    retention_sltd_history_days: int = Field(default=3650, ge=1, le=MAX_RETENTION_DAYS)
    retention_load_rejections_days: int = Field(default=90, ge=1, le=MAX_RETENTION_DAYS)
    retention_inspections_days: int = Field(default=180, ge=1, le=MAX_RETENTION_DAYS)
    retention_login_records_days: int = Field(default=90, ge=1, le=MAX_RETENTION_DAYS)
    retention_exchange_messages_days: int = Field(default=30, ge=1, le=MAX_RETENTION_DAYS)
    retention_followups_days: int = Field(default=365, ge=1, le=MAX_RETENTION_DAYS)
    max_request_bytes: int = Field(default=16 * 2**20, ge=64 * 2**10, le=256 * 2**20)
    login_address_delay_s: float = Field(default=2.0, ge=0.0, le=60.0)
    """Seconds between two logins let through from an address paced for its failed logins."""
    tls: bool = False
    linkage_engine: Literal["duckdb", "spark"] = "duckdb"
    """Where the multiple-identity linkage runs (``passerelle identities link``)."""
    spark_master: str = Field(default="local[2]", min_length=1, max_length=256)
    """The Spark master the ``spark`` linkage engine uses: local mode, or a cluster's URL."""
    federation: Literal["off", "on"] = "off"
    federation_deadline_ms: int = Field(default=800, ge=50, le=10_000)
    federation_unauthenticated_per_second: float = Field(default=1.0, gt=0.0, le=1000.0)
    """Audited refusals a second per source address for clients without a certificate."""
    federation_unauthenticated_burst: int = Field(default=10, ge=1, le=10_000)
    federation_unauthenticated_summary_s: float = Field(default=60.0, ge=1.0, le=3600.0)
    """How often the refusals over that limit are summarised in one audit record."""
    federation_answer_floor_ms: int = Field(default=50, ge=0, le=5_000)
    """The least time a partner's query is answered in (hit, no-hit or kept back alike)."""
    federation_crl_file: Path | None = None
    """Where the federation CRL is read (``HOME/tls/crl.pem`` unless set), e.g. a file that
    configuration management keeps current on every host."""
    federation_crl_required: bool = False
    """Refuse partners' connections and messages while no CRL is installed, instead of
    revoking nothing."""
    federation_fingerprint_floor_ms: int = Field(default=250, ge=0, le=5_000)
    """The least time a partner's fingerprint query is answered in (its 1:N search)."""
    federation_retry_max_s: float = Field(default=300.0, ge=1.0, le=3600.0)
    """The longest a partner's messages wait between two tries (the retry back-off's and the
    circuit breaker's cap): how soon at worst a partner that comes back gets its messages."""
    catalogues_file: Path | None = None
    crossing_points_geojson: Path | None = None
    """The map of crossing points (a GeoJSON FeatureCollection of Point features) the risk
    page draws; default ``HOME/config/crossing-points.geojson``, none when absent."""
    risk_patterns_file: Path | None = None
    """The node's overrides of the unusual-pattern rules (TOML, ``analytics/risk/patterns.toml``
    keys); default ``HOME/config/risk-patterns.toml``, the package's rules when absent."""
    face_index_bands_file: Path | None = None
    """The node's own face gallery index bands (TOML, the keys of
    ``biometrics/gallery_bands.toml``); none: the package's bands."""
    officer_scope: Literal["own", "booth", "point"] = "booth"
    """Whose inspections a first-line officer reads and decides besides their own
    (``passerelle.access.scope``)."""
    unassigned_supervisor: Literal["all", "none"] = "all"
    """What a supervisor with no crossing point assigned supervises: every point, or none."""
    face_max_pixels: int = Field(default=24_000_000, ge=10_000, le=100_000_000)
    face_max_side: int = Field(default=1024, ge=256, le=8192)
    face_workers: int = Field(default=2, ge=1, le=64)
    face_workers_per_user: int = Field(default=1, ge=1, le=64)
    face_deadline_ms: int = Field(default=4000, ge=100, le=60_000)
    face_queue_wait_ms: int = Field(default=1000, ge=0, le=60_000)
    face_queue_size: int = Field(default=8, ge=0, le=10_000)
    photo_rate_per_minute: float = Field(default=20.0, gt=0.0, le=60_000.0)
    photo_burst: int = Field(default=10, ge=1, le=10_000)
    finger_max_bytes: int = Field(default=2 * 1024 * 1024, ge=1024, le=64 * 1024 * 1024)
    finger_min_quality: int = Field(default=20, ge=0, le=100)
    watchlist_delta_share: float = Field(default=0.01, gt=0.0, le=1.0)
    """The watchlist's name index is patched with the persons written since it was built
    until they outnumber this share of it (or ``watchlist_delta_most``); then it is
    rebuilt in the background (``passerelle.lists.watchlist``)."""
    watchlist_delta_most: int = Field(default=5000, ge=1, le=1_000_000)
    """The most persons written since the watchlist's index was built that patch it."""
    time_zone: str = "UTC"
    """The IANA time zone the node's pages show times in (storage and the API stay UTC)."""
    language: Literal["ar", "fr", "en"] = "en"
    """The pages' language for a reader whose account and browser say none the node speaks."""

    @field_validator("time_zone")
    @classmethod
    def _time_zone_is_known(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        name = value.strip()
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            message = f"{value!r} is not an IANA time zone such as Africa/Casablanca"
            raise ValueError(message) from None
        return name

    @field_validator("replica_database_url")
    @classmethod
    def _replica_is_postgres(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        if not value.startswith(("postgresql", "postgres:")):
            raise ValueError("must be a PostgreSQL URL (postgresql+psycopg://...): a hot standby")
        return value.strip()

    @model_validator(mode="after")
    def _replica_needs_a_postgres_primary(self) -> Settings:
        primary = self.database_url or ""
        if self.replica_database_url and not primary.startswith(("postgresql", "postgres:")):
            raise ValueError(
                "PASSERELLE_REPLICA_DATABASE_URL needs PASSERELLE_DATABASE_URL to name the "
                "PostgreSQL primary it streams from"
            )
        return self

    @property
    def federation_deadline_s(self) -> float:
        """How long an inspection waits for partners' answers, in seconds."""
        return self.federation_deadline_ms / 1000

    @field_validator("node")
    @classmethod
    def _node_is_a_state_code(cls, value: str) -> str:
        code = value.strip().upper()
        if not is_known_state(code):
            raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-3 or ICAO state code")
        return code

    @property
    def keys_dir(self) -> Path:
        """Where the node's keys live: ``PASSERELLE_KEYS_DIR``, else ``HOME/keys``; signing
        identity, audit and vault keys (each file may still be moved by its own setting)."""
        return self.keys_folder or self.home / "keys"

    @property
    def galleries_dir(self) -> Path:
        """Where the face and fingerprint galleries' index files live (``HOME/galleries``)."""
        return self.home / "galleries"

    @property
    def cache_dir(self) -> Path:
        """Where rebuildable indexes are saved between starts (``HOME/cache``)."""
        return self.home / "cache"

    @property
    def config_dir(self) -> Path:
        """Where the node's operator data lives (``HOME/config``): its catalogue file."""
        return self.home / "config"

    @property
    def effective_catalogues_file(self) -> Path:
        """The catalogue file in force: ``PASSERELLE_CATALOGUES_FILE``, else
        ``HOME/config/catalogues.json`` (which may be absent: the defaults then)."""
        return self.catalogues_file or self.config_dir / "catalogues.json"

    @property
    def effective_crossing_points_geojson(self) -> Path:
        """The crossing points' map in force: ``PASSERELLE_CROSSING_POINTS_GEOJSON``, else
        ``HOME/config/crossing-points.geojson`` (which may be absent: no map then)."""
        return self.crossing_points_geojson or self.config_dir / "crossing-points.geojson"

    @property
    def effective_risk_patterns_file(self) -> Path:
        """The pattern rules' overrides in force: ``PASSERELLE_RISK_PATTERNS_FILE``, else
        ``HOME/config/risk-patterns.toml`` (which may be absent: the package's rules)."""
        return self.risk_patterns_file or self.config_dir / "risk-patterns.toml"

    @property
    def effective_audit_key_file(self) -> Path:
        """Where the audit chain's key lives: outside the database, in HOME unless set."""
        return self.audit_key_file or self.keys_dir / "audit.key"

    @property
    def effective_audit_checkpoint_file(self) -> Path:
        """Where the audit chain's signed checkpoints are appended: outside the database."""
        return self.audit_checkpoint_file or self.home / "audit-checkpoints.jsonl"

    @property
    def effective_biometric_key_file(self) -> Path:
        """Where the key encrypting biometric templates lives: outside the database."""
        return self.biometric_key_file or self.keys_dir / "biometric.key"

    @property
    def effective_database_url(self) -> str:
        """The database URL in force: the configured one, or a SQLite file in HOME."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.home / 'passerelle.db'}"


def load_settings() -> Settings:
    """Read the settings from the environment, naming the variable at fault."""
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"PASSERELLE_{'_'.join(str(p) for p in err['loc']).upper()}: {err['msg']}"
            if err["loc"]
            else str(err["msg"]).removeprefix("Value error, ")  # names its variables itself
            for err in exc.errors()
        )
        raise ConfigurationError(problems) from exc


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once at startup."""
    return load_settings()
