"""How the inspector checks: thresholds, limits, time-outs and the partners' defaults, as one value.

The composition root builds it from the node's settings
(``passerelle.wiring.inspector_config``); tests and benchmarks give their own.
The inspector reads nothing else: not the environment, not the node's settings.

>>> InspectorConfig().top
5
>>> InspectorConfig(name_threshold=0.6, weak_name_threshold=0.65)
Traceback (most recent call last):
...
passerelle.exc.InvalidInput: weak_name_threshold: must be in (0, name_threshold]
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, tzinfo

from passerelle.biometrics.face import MATCH_THRESHOLD
from passerelle.exc import InvalidInput
from passerelle.i18n import N_
from passerelle.i18n.wording import Parameter, worded
from passerelle.names import DEFAULT_THRESHOLD
from passerelle.records.stay_rule import DEFAULT_STAY_RULE, StayRuleScope

__all__ = ["DEFAULT_FEDERATION_MISSING", "WEAK_NAME_THRESHOLD", "InspectorConfig"]

WEAK_NAME_THRESHOLD = 0.5
"""Name screening score from which a candidate below the hit threshold refers the traveller."""
DEFAULT_FEDERATION_MISSING: Parameter = worded(
    N_("federation is off on this node (PASSERELLE_FEDERATION)")
)
"""Why the partners cannot be asked, when nothing else is said."""


@dataclass(frozen=True, slots=True)
class InspectorConfig:
    """Everything the inspector is tuned by (its collaborators are given to it apart)."""

    name_threshold: float = DEFAULT_THRESHOLD
    """Name score (watchlist, alerts) from which a candidate is a hit."""
    weak_name_threshold: float = WEAK_NAME_THRESHOLD
    """Name score from which a candidate below ``name_threshold`` refers the traveller."""
    top: int = 5
    """Watchlist candidates kept per inspection."""
    timeout_s: float = 10.0
    """Seconds each check gets; one that does not answer refers, never clears."""
    tz: tzinfo = UTC
    """The node's time zone: the day a document's validity and a stay are counted on."""
    watchlist_max_age_s: float | None = 1.0
    """How often (seconds) the store is asked whether the watchlist index is stale (one
    primary-key read of the watchlist's change counter, which any host's write moves);
    None: built once, rebuilt only on ``refresh_watchlist``."""
    gallery_names: tuple[str, ...] = ()
    """The face galleries searched 1:N when a photo is given (none by default)."""
    finger_gallery_names: tuple[str, ...] = ()
    """The fingerprint galleries searched 1:N when fingers are given (none by default)."""
    finger_min_quality: int = 0
    """The least NFIQ 2 score (0-100) of a live print; a worse one is unusable (0: any)."""
    face_match_threshold: float = MATCH_THRESHOLD
    """Face verification threshold of the default face engine (the node's calibrated one)."""
    federation_default: bool = False
    """Ask the partners for every inspection whose request does not say."""
    federation_deadline_s: float = 0.8
    """How long an inspection waits for the partners' answers."""
    federation_missing: Parameter = DEFAULT_FEDERATION_MISSING
    """Why the partners cannot be asked, shown when a request asks for them without a link."""
    threads: int = 64
    """Most threads the checks of all inspections run in at once."""
    stay_rule: StayRuleScope = DEFAULT_STAY_RULE
    """Who the stay rule does not bind (the catalogue's ``stay_rule``; by default everyone
    is bound: the composition root fills in the node's own nationals)."""

    def __post_init__(self) -> None:
        if not 0.0 < self.name_threshold <= 1.0:
            raise InvalidInput("name_threshold", "must be in (0, 1]")
        if not 0.0 < self.weak_name_threshold <= self.name_threshold:
            raise InvalidInput("weak_name_threshold", "must be in (0, name_threshold]")
        if self.top < 1:
            raise InvalidInput("top", "must be 1 or more")
        if not self.timeout_s > 0.0:
            raise InvalidInput("timeout_s", "must be above 0")
        if self.watchlist_max_age_s is not None and self.watchlist_max_age_s < 0.0:
            raise InvalidInput("watchlist_max_age_s", "must be 0 or more, or None")
        if not 0.0 < self.face_match_threshold < 1.0:
            raise InvalidInput("face_match_threshold", "must be in (0, 1)")
        if not self.federation_deadline_s > 0.0:
            raise InvalidInput("federation_deadline_s", "must be above 0")
        if self.threads < 1:
            raise InvalidInput("threads", "must be 1 or more")
        if not 0 <= self.finger_min_quality <= 100:
            raise InvalidInput("finger_min_quality", "must be 0 to 100")
        object.__setattr__(self, "gallery_names", tuple(self.gallery_names))
        object.__setattr__(self, "finger_gallery_names", tuple(self.finger_gallery_names))
