"""The node's GeoJSON map of crossing points: read, refused with the field at fault, drawn."""

from __future__ import annotations

import json
from typing import Any

import pytest

from passerelle.analytics.risk import parse_crossing_map
from passerelle.exc import InvalidInput


def feature(code: Any = "TNG-MED", coordinates: Any = (-5.5, 35.88), kind: Any = "port") -> Any:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": list(coordinates)},
        "properties": {"code": code, "name": "A point", "kind": kind},
    }


def collection(*features: Any) -> str:
    return json.dumps({"type": "FeatureCollection", "features": list(features)})


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("{", "geojson"),
        (json.dumps({"type": "Feature"}), "type"),
        (collection(feature(coordinates=(200, 10))), "features[0].geometry.coordinates"),
        (collection(feature(), feature(code="")), "features[1].properties.code"),
        (collection(feature(kind="spaceport")), "features[0].properties.kind"),
        (collection(feature(), feature()), "features[1].properties.code"),
    ],
)
def test_a_bad_map_is_refused_naming_the_field(text: str, field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_crossing_map(text)
    assert refused.value.field == field


def test_points_are_fitted_to_the_drawing_north_up() -> None:
    places = parse_crossing_map(
        collection(feature("TNG-MED", (-5.5, 35.88)), feature("AGA-T1", (-9.41, 30.33), "land"))
    )
    north, south = places.projected(400, 300, 20)
    assert north.y < south.y
    assert north.x > south.x
    assert all(20 <= p.x <= 380 and 20 <= p.y <= 280 for p in (north, south))
