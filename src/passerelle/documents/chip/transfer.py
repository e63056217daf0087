"""The chip as a reader hands it over in JSON: EF.SOD and the data groups in base64.

::

    {"sod": "<EF.SOD, base64>",
     "data_groups": {"1": "<DG1, base64>", "2": "<DG2, base64>", "14": "..."},
     "mrz": "<the printed MRZ, lines separated by newlines>"}

``mrz`` is optional (the ``passerelle chip verify`` file carries it; an inspection has
its own). Standard base64 (RFC 4648 §4), padding required. :func:`read_chip` raises
``InvalidInput`` naming the field (``chip.sod``, ``chip.data_groups.2``...) for anything
else: a key not listed, a data group number outside 1..16, bad base64, a part over the
limits of ``documents.chip.model``.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from passerelle.documents.chip.model import MAX_DATA_GROUP_BYTES, MAX_SOD_BYTES, ChipData
from passerelle.exc import InvalidInput, shown_field_name

__all__ = ["MAX_CHIP_KEYS", "chip_as_json", "decode_part", "read_chip", "read_data_groups"]

MAX_CHIP_KEYS = 16
_KEYS = frozenset({"sod", "data_groups", "mrz"})


def decode_part(text: object, field: str, limit: int) -> bytes:
    """One part's bytes from its base64; ``InvalidInput(field, ...)`` otherwise.

    >>> decode_part("AQI=", "chip.sod", 10)
    b'\\x01\\x02'
    """
    if not isinstance(text, str):
        raise InvalidInput(field, "must be a base64 string")
    if len(text) > (limit + 2) // 3 * 4 + 4:
        raise InvalidInput(field, f"is larger than {limit // 1024} KiB")
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise InvalidInput(field, f"is not base64: {exc}") from exc
    if len(raw) > limit:
        raise InvalidInput(field, f"is larger than {limit // 1024} KiB")
    if not raw:
        raise InvalidInput(field, "is empty")
    return raw


def read_data_groups(groups: object, field: str = "chip.data_groups") -> Mapping[int, bytes]:
    """The data groups of a ``{"1": base64, ...}`` object."""
    if not isinstance(groups, Mapping):
        raise InvalidInput(field, 'must be an object of data groups: {"1": base64, ...}')
    if len(groups) > MAX_CHIP_KEYS:
        raise InvalidInput(field, f"holds more than {MAX_CHIP_KEYS} data groups")
    out: dict[int, bytes] = {}
    for key, value in groups.items():
        name = str(key)
        if not (name.isdigit() and name.isascii() and 1 <= int(name) <= 16):
            raise InvalidInput(
                f"{field}.{shown_field_name(name)}", "is not a data group number (1 to 16)"
            )
        out[int(name)] = decode_part(value, f"{field}.{name}", MAX_DATA_GROUP_BYTES)
    return MappingProxyType(out)


def read_chip(data: object, field: str = "chip") -> tuple[ChipData, tuple[str, ...] | None]:
    """The chip (and the printed MRZ's lines, when given) of a JSON object."""
    if not isinstance(data, Mapping):
        raise InvalidInput(field, "must be an object with sod and data_groups")
    for key in data:
        if key not in _KEYS:
            raise InvalidInput(f"{field}.{shown_field_name(str(key))}", "is not a chip field")
    if "sod" not in data:
        raise InvalidInput(f"{field}.sod", "is required (EF.SOD in base64)")
    sod = decode_part(data["sod"], f"{field}.sod", MAX_SOD_BYTES)
    groups = read_data_groups(data.get("data_groups", {}), f"{field}.data_groups")
    mrz = data.get("mrz")
    lines: tuple[str, ...] | None = None
    if mrz is not None:
        if not isinstance(mrz, str) or len(mrz) > 200:
            raise InvalidInput(f"{field}.mrz", "must be the MRZ's lines (at most 200 characters)")
        lines = tuple(line.strip() for line in mrz.strip().splitlines() if line.strip())
    return ChipData(sod, groups), lines


def chip_as_json(chip: ChipData, mrz: tuple[str, ...] | None = None) -> dict[str, Any]:
    """The JSON object of a chip (``read_chip``'s inverse)."""
    out: dict[str, Any] = {
        "sod": base64.b64encode(chip.sod).decode("ascii"),
        "data_groups": {
            str(n): base64.b64encode(raw).decode("ascii")
            for n, raw in sorted(chip.data_groups.items())
        },
    }
    if mrz is not None:
        out["mrz"] = "\n".join(mrz)
    return out
