"""The demo node's catalogues: Morocco's crossing points, the reasons left at their defaults.

``seed_node`` writes them into the demo node's catalogue file
(``HOME/config/catalogues.json``) when it has none, so the booth offers these
seven points; an operator edits the file as they would on any node.

>>> [point.code for point in DEMO_CATALOGUES.crossing_points]
['TNG-MED', 'CMN-T1', 'RAK-MEN', 'BAB-SEBTA', 'NDR-BNI', 'OUJ-ZKH', 'AGA-T1']
"""

from __future__ import annotations

from passerelle.demo.journeys import CROSSING_POINTS
from passerelle.records.catalogues import Catalogues, CrossingPoint

__all__ = ["DEMO_CATALOGUES"]

DEMO_CATALOGUES = Catalogues(
    crossing_points=(
        *(CrossingPoint(code, name) for code, name in CROSSING_POINTS.items()),
        CrossingPoint("AGA-T1", "Agadir Al Massira airport"),
    ),
    source="the demo",
)
"""The six points the demo world's travellers cross at, and Agadir airport (where the
world records no crossing: a point with no traffic in the dashboard)."""
