"""The risk page's node files, read when asked: the crossing points' map and the rules' overrides.

``load_crossing_map(settings)`` reads ``PASSERELLE_CROSSING_POINTS_GEOJSON`` (default
``HOME/config/crossing-points.geojson``): an absent file at the default place is an
empty map; an absent file the setting names, or a bad one, is refused naming the file
and the field (``features[2].geometry.coordinates``). ``load_pattern_rules(settings)``
reads ``PASSERELLE_RISK_PATTERNS_FILE`` (default ``HOME/config/risk-patterns.toml``) on
top of the package's rules, the same way.
"""

from __future__ import annotations

from pathlib import Path

from passerelle.analytics.risk import CrossingMap, PatternRules, parse_crossing_map, pattern_rules
from passerelle.exc import InvalidInput
from passerelle.settings import Settings

__all__ = ["load_crossing_map", "load_pattern_rules"]


def _text(path: Path, named: bool, setting: str) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        if not named:
            return None
        raise InvalidInput(setting, f"{path} does not exist") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(setting, f"{path} cannot be read: {exc}") from exc


def _in_file(path: Path, exc: InvalidInput) -> InvalidInput:
    return InvalidInput(exc.field, f"{exc.reason} (in {path})")


def load_crossing_map(settings: Settings) -> CrossingMap:
    """The node's map of crossing points; empty when it keeps none at the default place."""
    path = settings.effective_crossing_points_geojson
    text = _text(path, settings.crossing_points_geojson is not None, "crossing_points_geojson")
    if text is None:
        return CrossingMap(())
    try:
        return parse_crossing_map(text, source=str(path))
    except InvalidInput as exc:
        raise _in_file(path, exc) from exc


def load_pattern_rules(settings: Settings) -> PatternRules:
    """The package's pattern rules with the node's overrides on top, when it has some."""
    path = settings.effective_risk_patterns_file
    text = _text(path, settings.risk_patterns_file is not None, "risk_patterns_file")
    try:
        return pattern_rules(text, source=str(path))
    except InvalidInput as exc:
        raise _in_file(path, exc) from exc
