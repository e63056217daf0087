"""Which index a face gallery uses at which size: a catalogue of size bands, as data.

``gallery_bands.toml`` next to this module lists the bands (live templates up to
a bound → index kind, IVF lists, lists probed, candidates rescored, precision of
the stored templates), as bench/face_gallery.py measured them; a node or a test
may pass another :class:`IndexCatalogue`.

>>> catalogue = default_catalogue()
>>> catalogue.band_for(10_000).index, catalogue.band_for(10_000_000).store
('exact', 'float16')
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal, cast, get_args

from passerelle.exc import InvalidInput

__all__ = ["BandIndex", "IndexBand", "IndexCatalogue", "StorePrecision", "default_catalogue"]

BandIndex = Literal["exact", "ivf"]
StorePrecision = Literal["float32", "float16"]

_FILE = Path(__file__).with_name("gallery_bands.toml")
_KEYS = {"up_to", "index", "nlist", "nprobe", "rerank", "store", "tables"}


@dataclass(frozen=True, slots=True)
class IndexBand:
    """The index of galleries holding up to ``up_to`` live templates (``None``: any more)."""

    up_to: int | None
    index: BandIndex
    nlist: int
    """IVF lists (an IVF index on a small gallery gets fewer: 39 templates a list at least)."""
    nprobe: int
    """IVF lists a query visits."""
    rerank: int
    """IVF candidates rescored against the stored templates."""
    store: StorePrecision
    """Precision of the stored templates (rescoring and exact scans read them)."""
    tables: bool = True
    """IVF keeps faiss's precomputed distance tables (32 KiB a list): faster, more memory."""


@dataclass(frozen=True, slots=True)
class IndexCatalogue:
    """Size bands in ascending order; the last one has no upper bound."""

    bands: tuple[IndexBand, ...]

    def __post_init__(self) -> None:
        if not self.bands:
            raise InvalidInput("band", "the catalogue lists no band")
        bounds = [band.up_to for band in self.bands]
        if bounds[-1] is not None:
            raise InvalidInput(f"band[{len(bounds) - 1}].up_to", "the last band has no bound")
        for number, bound in enumerate(bounds[:-1]):
            previous = bounds[number - 1] if number else 0
            if bound is None or previous is None or bound <= previous:
                raise InvalidInput(
                    f"band[{number}].up_to", "must be a bound above the previous band's"
                )

    def band_for(self, templates: int) -> IndexBand:
        """The band of a gallery holding ``templates`` live templates."""
        for band in self.bands:
            if band.up_to is None or templates <= band.up_to:
                return band
        return self.bands[-1]  # pragma: no cover - the last band has no bound

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> IndexCatalogue:
        """The catalogue from the TOML file's ``[[band]]`` tables."""
        rows = data.get("band")
        if not isinstance(rows, list) or not rows:
            raise InvalidInput("band", "must be a list of [[band]] tables")
        return cls(tuple(_band(row, f"band[{number}]") for number, row in enumerate(rows)))


def read_catalogue(path: Path) -> IndexCatalogue:
    """The catalogue in a TOML file (errors name the file, the band and the key)."""
    try:
        with path.open("rb") as file:
            data = tomllib.load(file)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InvalidInput("path", f"{path}: cannot be read as TOML ({exc})") from exc
    try:
        return IndexCatalogue.from_mapping(data)
    except InvalidInput as exc:
        raise InvalidInput(f"{path.name}: {exc.field}", exc.reason) from exc


@lru_cache(maxsize=1)
def default_catalogue() -> IndexCatalogue:
    """The bands this node ships (``gallery_bands.toml``), read once."""
    return read_catalogue(_FILE)


def _band(row: object, field: str) -> IndexBand:
    if not isinstance(row, dict):
        raise InvalidInput(field, "must be a table")
    unknown = sorted(set(row) - _KEYS)
    if unknown:
        raise InvalidInput(
            f"{field}.{unknown[0]}", f"unknown key (known: {', '.join(sorted(_KEYS))})"
        )
    index = row.get("index")
    if index not in get_args(BandIndex):
        raise InvalidInput(f"{field}.index", f"must be one of {', '.join(get_args(BandIndex))}")
    store = row.get("store")
    if store not in get_args(StorePrecision):
        raise InvalidInput(
            f"{field}.store", f"must be one of {', '.join(get_args(StorePrecision))}"
        )
    up_to, tables = row.get("up_to"), row.get("tables", True)
    if not isinstance(tables, bool):
        raise InvalidInput(f"{field}.tables", "must be true or false")
    return IndexBand(
        up_to=None if up_to is None else _positive(up_to, f"{field}.up_to"),
        index=cast(BandIndex, index),
        nlist=_positive(row.get("nlist"), f"{field}.nlist"),
        nprobe=_positive(row.get("nprobe"), f"{field}.nprobe"),
        rerank=_positive(row.get("rerank"), f"{field}.rerank"),
        store=cast(StorePrecision, store),
        tables=tables,
    )


def _positive(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidInput(field, "must be a positive whole number")
    return value
