"""What every section of the catalogue file is read with: the error naming the field, and the
checks of a JSON object, list and text (``records.catalogues``, ``records.decision_reasons``).

>>> try:
...     json_text({"code": 7}, "code", "c.json", "crossing_points[0]", required=True)
... except InvalidCatalogue as exc:
...     print(exc.field, "|", exc.reason)
crossing_points[0].code | must be text, not a number
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

from passerelle.exc import ConfigurationError

__all__ = ["MAX_TEXT", "InvalidCatalogue", "json_list", "json_object", "json_text", "kind_of"]

MAX_TEXT = 200
"""The longest label or name a catalogue may give (characters)."""


class InvalidCatalogue(ConfigurationError):
    """A catalogue file that cannot be used: ``source`` (the file), ``field``, ``reason``."""

    def __init__(self, source: str, field: str, reason: str) -> None:
        super().__init__(f"{source}: {field}: {reason}")
        self.source = source
        self.field = field
        self.reason = reason


def json_object(value: object, source: str, field: str, allowed: set[str]) -> Mapping[str, object]:
    """``value`` as a JSON object holding only ``allowed`` keys."""
    if not isinstance(value, dict):
        raise InvalidCatalogue(source, field, f"must be a JSON object, not {kind_of(value)}")
    unknown = sorted(set(value) - allowed)
    if unknown:
        known = ", ".join(sorted(allowed))
        raise InvalidCatalogue(source, field, f"unknown key {unknown[0]!r} (known: {known})")
    return cast(Mapping[str, object], value)


def json_list(value: object, source: str, field: str) -> list[object]:
    """``value`` as a JSON list."""
    if not isinstance(value, list):
        raise InvalidCatalogue(source, field, f"must be a JSON list, not {kind_of(value)}")
    return value


def json_text(
    item: Mapping[str, object],
    key: str,
    source: str,
    field: str,
    *,
    required: bool,
    longest: int = MAX_TEXT,
) -> str:
    """``item[key]`` as trimmed text ('' when absent and not required)."""
    value = item.get(key)
    if value is None:
        if required:
            raise InvalidCatalogue(source, f"{field}.{key}", "is required")
        return ""
    if not isinstance(value, str):
        raise InvalidCatalogue(source, f"{field}.{key}", f"must be text, not {kind_of(value)}")
    value = value.strip()
    if required and not value:
        raise InvalidCatalogue(source, f"{field}.{key}", "must not be empty")
    if len(value) > longest:
        raise InvalidCatalogue(source, f"{field}.{key}", f"is longer than {longest} characters")
    return value


def kind_of(value: object) -> str:
    """What a JSON value is, in words."""
    return {dict: "an object", list: "a list", str: "text", bool: "true/false"}.get(
        type(value), "a number" if isinstance(value, int | float) else "null"
    )
