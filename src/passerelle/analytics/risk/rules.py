"""The unusual-pattern rules and the fraud codes, as data: ``patterns.toml`` beside this module.

A node may override any key in a file of its own (same tables, only the keys it
changes): :func:`pattern_rules` reads the package's file, then the node's text on
top. A bad value is refused naming its key (``impossible_travel.max_speed_kmh``) and
why, never half read.

>>> rules = pattern_rules()
>>> rules.travel.max_speed_kmh, rules.entries.min_entries, rules.series.min_documents
(250.0, 3, 4)
>>> pattern_rules("[repeated_entries]\\nmin_entries = 5\\n").entries.min_entries
5
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from passerelle.exc import InvalidInput

__all__ = [
    "DEFAULT_RULES_FILE",
    "EntriesRule",
    "FraudCodes",
    "PatternRules",
    "SeriesRule",
    "TravelRule",
    "pattern_rules",
]

DEFAULT_RULES_FILE = Path(__file__).with_name("patterns.toml")


@dataclass(frozen=True, slots=True)
class FraudCodes:
    """What counts as document fraud: officers' reasons, document and alert finding codes."""

    reason_codes: tuple[str, ...]
    document_codes: tuple[str, ...]
    alert_codes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TravelRule:
    """One document used at two points sooner than a traveller could go between them."""

    enabled: bool
    max_speed_kmh: float
    at_once_minutes: int


@dataclass(frozen=True, slots=True)
class EntriesRule:
    """``min_entries`` entries in a row, no exit between, within ``window_days``."""

    enabled: bool
    min_entries: int
    window_days: int


@dataclass(frozen=True, slots=True)
class SeriesRule:
    """``min_documents`` documents of one series, numbers close, crossing close in time."""

    enabled: bool
    min_documents: int
    max_number_gap: int
    window_minutes: int


@dataclass(frozen=True, slots=True)
class PatternRules:
    """Every rule of the risk page and the fraud codes, read from TOML."""

    fraud: FraudCodes
    travel: TravelRule
    entries: EntriesRule
    series: SeriesRule

    def as_dict(self) -> dict[str, Any]:
        return {
            "impossible_travel": {
                "enabled": self.travel.enabled,
                "max_speed_kmh": self.travel.max_speed_kmh,
                "at_once_minutes": self.travel.at_once_minutes,
            },
            "repeated_entries": {
                "enabled": self.entries.enabled,
                "min_entries": self.entries.min_entries,
                "window_days": self.entries.window_days,
            },
            "sequential_documents": {
                "enabled": self.series.enabled,
                "min_documents": self.series.min_documents,
                "max_number_gap": self.series.max_number_gap,
                "window_minutes": self.series.window_minutes,
            },
        }


def _table(data: dict[str, Any], name: str) -> dict[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise InvalidInput(name, "must be a table")
    return value


def _number(table: dict[str, Any], section: str, key: str, low: float, high: float) -> float:
    value = table.get(key)
    field = f"{section}.{key}"
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput(field, f"must be a number, not {value!r}")
    if not low <= value <= high:
        raise InvalidInput(field, f"must be {low:g} to {high:g}, not {value!r}")
    return float(value)


def _whole(table: dict[str, Any], section: str, key: str, low: int, high: int) -> int:
    value = table.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(f"{section}.{key}", f"must be a whole number, not {value!r}")
    return int(_number(table, section, key, low, high))


def _flag(table: dict[str, Any], section: str) -> bool:
    value = table.get("enabled", True)
    if not isinstance(value, bool):
        raise InvalidInput(f"{section}.enabled", f"must be true or false, not {value!r}")
    return value


def _codes(table: dict[str, Any], key: str) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise InvalidInput(f"indicators.{key}", "must be a list of codes (text)")
    return tuple(value)


def _merged(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in override.items():
        if key not in base:
            raise InvalidInput(key, f"is not a table of the rules ({', '.join(sorted(base))})")
        if not isinstance(value, dict):
            raise InvalidInput(key, "must be a table")
        unknown = set(value) - set(base[key])
        if unknown:
            raise InvalidInput(f"{key}.{sorted(unknown)[0]}", "is not a setting of this rule")
        out[key] = {**base[key], **value}
    return out


def _read(text: str, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput("rules", f"{source} is not TOML: {exc}") from exc


def pattern_rules(override: str | None = None, *, source: str = "the node's rules") -> PatternRules:
    """The package's rules with ``override`` (TOML text, a node's own file) on top."""
    data = _read(DEFAULT_RULES_FILE.read_text(encoding="utf-8"), str(DEFAULT_RULES_FILE))
    if override is not None:
        data = _merged(data, _read(override, source))
    codes = _table(data, "indicators")
    travel = _table(data, "impossible_travel")
    entries = _table(data, "repeated_entries")
    series = _table(data, "sequential_documents")
    t, e, s = "impossible_travel", "repeated_entries", "sequential_documents"
    return PatternRules(
        fraud=FraudCodes(
            _codes(codes, "fraud_reason_codes"),
            _codes(codes, "fraud_document_codes"),
            _codes(codes, "fraud_alert_codes"),
        ),
        travel=TravelRule(
            _flag(travel, t),
            _number(travel, t, "max_speed_kmh", 1, 5000),
            _whole(travel, t, "at_once_minutes", 0, 24 * 60),
        ),
        entries=EntriesRule(
            _flag(entries, e),
            _whole(entries, e, "min_entries", 2, 1000),
            _whole(entries, e, "window_days", 1, 366),
        ),
        series=SeriesRule(
            _flag(series, s),
            _whole(series, s, "min_documents", 2, 1000),
            _whole(series, s, "max_number_gap", 1, 1000),
            _whole(series, s, "window_minutes", 1, 7 * 24 * 60),
        ),
    )
