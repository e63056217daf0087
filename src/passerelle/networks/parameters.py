"""The networks' parameters as data: ``parameters.toml`` next to this module, read once.

Every threshold, window and weight the networks use is there, not in the code; a test or
an analyst's variant passes another :class:`NetworkParameters` (``replace(...)``).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from passerelle.exc import InvalidInput

__all__ = ["EDGE_KINDS", "NetworkParameters", "default_parameters"]

EDGE_KINDS = (
    "co_travel_vehicle",
    "co_travel_time",
    "shared_document",
    "shared_address",
    "shared_phone",
    "same_party",
    "same_alert",
    "same_case",
)
"""The kinds of link between two travellers, strongest evidence first."""

_FILE = Path(__file__).with_name("parameters.toml")


@dataclass(frozen=True, slots=True)
class NetworkParameters:
    """Windows, thresholds, weights and the community detection's seed and sizes."""

    time_window_minutes: int = 10
    time_min_occasions: int = 3
    vehicle_window_minutes: int = 30
    vehicle_min_occasions: int = 1
    max_group_size: int = 12
    max_records_per_edge: int = 20
    weights: MappingProxyType[str, float] = field(
        default_factory=lambda: MappingProxyType(dict.fromkeys(EDGE_KINDS, 1.0))
    )
    resolution: float = 0.5
    seed: int = 20
    min_community_size: int = 3
    central_persons: int = 3

    def __post_init__(self) -> None:
        for name in (
            "time_window_minutes",
            "time_min_occasions",
            "vehicle_window_minutes",
            "vehicle_min_occasions",
            "max_group_size",
            "max_records_per_edge",
            "min_community_size",
            "central_persons",
        ):
            if int(getattr(self, name)) < 1:
                raise InvalidInput(name, "must be at least 1")
        if not 0 < self.resolution <= 100:
            raise InvalidInput("resolution", "must be over 0 and at most 100")
        if self.max_group_size < 2:
            raise InvalidInput("max_group_size", "must be at least 2")
        unknown = set(self.weights) - set(EDGE_KINDS)
        if unknown:
            raise InvalidInput("weights", f"unknown link kinds: {', '.join(sorted(unknown))}")

    def weight(self, kind: str) -> float:
        return float(self.weights.get(kind, 1.0))

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> NetworkParameters:
        """The parameters from the TOML file's tables (``parameters.toml``)."""
        time, vehicle = data["co_travel_time"], data["co_travel_vehicle"]
        communities = data["communities"]
        return cls(
            time_window_minutes=int(time["window_minutes"]),
            time_min_occasions=int(time["min_occasions"]),
            vehicle_window_minutes=int(vehicle["window_minutes"]),
            vehicle_min_occasions=int(vehicle["min_occasions"]),
            max_group_size=int(data["groups"]["max_group_size"]),
            max_records_per_edge=int(data["evidence"]["max_records_per_edge"]),
            weights=MappingProxyType({k: float(v) for k, v in data["weights"].items()}),
            resolution=float(communities["resolution"]),
            seed=int(communities["seed"]),
            min_community_size=int(communities["min_size"]),
            central_persons=int(communities["central_persons"]),
        )


@lru_cache(maxsize=1)
def default_parameters() -> NetworkParameters:
    """The parameters of ``parameters.toml``."""
    with _FILE.open("rb") as file:
        return NetworkParameters.from_mapping(tomllib.load(file))
