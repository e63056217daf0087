"""The node's map of crossing points: a GeoJSON FeatureCollection of Point features.

Each feature is a crossing point: ``geometry`` a ``Point`` at ``[longitude, latitude]``
(RFC 7946, WGS 84), ``properties`` its ``code`` (as the catalogue and the store name
it), ``name`` and ``kind`` (``port``, ``airport``, ``land``). :func:`parse_crossing_map`
refuses a file that is not one, naming the feature and the field at fault
(``features[2].geometry.coordinates``).

Distances are great-circle (haversine, mean Earth radius 6371 km): the impossible-travel
rule divides them by the fastest speed it allows. The page draws the points in an
equirectangular projection fitted to their bounds (:meth:`CrossingMap.projected`).

>>> m = parse_crossing_map('{"type": "FeatureCollection", "features": [{"type": "Feature",'
...     ' "geometry": {"type": "Point", "coordinates": [-5.50, 35.88]},'
...     ' "properties": {"code": "TNG-MED", "name": "Tanger Med", "kind": "port"}}]}')
>>> m.point("tng-med").name
'Tanger Med'
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from passerelle.exc import InvalidInput

__all__ = [
    "EARTH_RADIUS_KM",
    "KINDS",
    "CrossingMap",
    "MapPoint",
    "PlacedPoint",
    "distance_km",
    "parse_crossing_map",
]

EARTH_RADIUS_KM = 6371.0
KINDS = ("port", "airport", "land", "rail")


@dataclass(frozen=True, slots=True)
class MapPoint:
    """A crossing point on the map: its code, name, kind and WGS 84 position."""

    code: str
    name: str
    kind: str
    longitude: float
    latitude: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "kind": self.kind,
            "longitude": self.longitude,
            "latitude": self.latitude,
        }


@dataclass(frozen=True, slots=True)
class PlacedPoint:
    """A point placed on the drawing: its ``x``, ``y`` in the SVG's units."""

    point: MapPoint
    x: float
    y: float


def distance_km(a: MapPoint, b: MapPoint) -> float:
    """The great-circle distance between two points, in kilometres (haversine).

    >>> round(distance_km(MapPoint("A", "", "land", 0, 0), MapPoint("B", "", "land", 1, 0)))
    111
    """
    lat1, lat2 = math.radians(a.latitude), math.radians(b.latitude)
    dlat, dlon = lat2 - lat1, math.radians(b.longitude - a.longitude)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


@dataclass(frozen=True, slots=True)
class CrossingMap:
    """The crossing points the node keeps on its map, in the file's order."""

    points: tuple[MapPoint, ...]

    def point(self, code: str) -> MapPoint | None:
        """The point of ``code`` (any case, trimmed), or None when the map lacks it."""
        wanted = code.strip().upper()
        return next((p for p in self.points if p.code == wanted), None)

    def projected(self, width: float, height: float, margin: float) -> tuple[PlacedPoint, ...]:
        """The points in an equirectangular projection fitted to their bounds.

        Longitudes are scaled by the cosine of the middle latitude so that a degree east
        and a degree north are drawn about as long; north is up. One point, or points on
        one spot, land in the middle.
        """
        if not self.points:
            return ()
        lons = [p.longitude for p in self.points]
        lats = [p.latitude for p in self.points]
        squeeze = math.cos(math.radians((min(lats) + max(lats)) / 2))
        span_x = (max(lons) - min(lons)) * squeeze
        span_y = max(lats) - min(lats)
        inner_w, inner_h = width - 2 * margin, height - 2 * margin
        scale = min(
            inner_w / span_x if span_x else math.inf, inner_h / span_y if span_y else math.inf
        )
        if scale == math.inf:
            scale = 0.0
        left = margin + (inner_w - span_x * scale) / 2
        top = margin + (inner_h - span_y * scale) / 2
        return tuple(
            PlacedPoint(
                p,
                round(left + (p.longitude - min(lons)) * squeeze * scale, 1),
                round(top + (max(lats) - p.latitude) * scale, 1),
            )
            for p in self.points
        )

    def as_dict(self) -> dict[str, Any]:
        return {"points": [p.as_dict() for p in self.points]}


def _text(value: object, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(field, "must be a non-empty text")
    return value.strip()


def _coordinate(value: object, field: str, limit: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput(field, f"must be a number, not {value!r}")
    if not -limit <= value <= limit:
        raise InvalidInput(field, f"must be between {-limit:g} and {limit:g}, not {value}")
    return float(value)


def _feature(feature: object, at: str) -> MapPoint:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise InvalidInput(at, 'must be an object of "type": "Feature"')
    geometry = feature.get("geometry")
    if not isinstance(geometry, dict) or geometry.get("type") != "Point":
        raise InvalidInput(f"{at}.geometry", 'must be a "Point" geometry')
    coordinates = geometry.get("coordinates")
    if not isinstance(coordinates, list) or len(coordinates) not in (2, 3):
        raise InvalidInput(f"{at}.geometry.coordinates", "must be [longitude, latitude]")
    longitude = _coordinate(coordinates[0], f"{at}.geometry.coordinates", 180)
    latitude = _coordinate(coordinates[1], f"{at}.geometry.coordinates", 90)
    properties = feature.get("properties")
    if not isinstance(properties, dict):
        raise InvalidInput(f"{at}.properties", "must be an object with code, name and kind")
    code = _text(properties.get("code"), f"{at}.properties.code").upper()
    name = _text(properties.get("name"), f"{at}.properties.name")
    kind = _text(properties.get("kind"), f"{at}.properties.kind").lower()
    if kind not in KINDS:
        raise InvalidInput(f"{at}.properties.kind", f"must be one of {', '.join(KINDS)}")
    return MapPoint(code, name, kind, longitude, latitude)


def parse_crossing_map(text: str, *, source: str = "the map") -> CrossingMap:
    """The crossing points of a GeoJSON FeatureCollection, or ``InvalidInput`` naming the field."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            "geojson", f"{source} is not JSON: {exc.msg} (line {exc.lineno})"
        ) from exc
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise InvalidInput("type", f'{source} must be a GeoJSON "FeatureCollection"')
    features = data.get("features")
    if not isinstance(features, list):
        raise InvalidInput("features", "must be a list of Point features")
    points = tuple(_feature(f, f"features[{n}]") for n, f in enumerate(features))
    seen: set[str] = set()
    for n, point in enumerate(points):
        if point.code in seen:
            raise InvalidInput(f"features[{n}].properties.code", f"{point.code} is given twice")
        seen.add(point.code)
    return CrossingMap(points)
