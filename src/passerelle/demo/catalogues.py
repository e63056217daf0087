"""The demo node's catalogues: Morocco's crossing points, who Morocco's stay rule does not
bind, the reasons left at their defaults.

``seed_node`` writes them into the demo node's catalogue file
(``HOME/config/catalogues.json``) when it has none, so the booth offers these
seven points and the stay exemptions below; an operator edits the file as they would on
any node.

>>> [point.code for point in DEMO_CATALOGUES.crossing_points]
['TNG-MED', 'CMN-T1', 'RAK-MEN', 'BAB-SEBTA', 'NDR-BNI', 'OUJ-ZKH', 'AGA-T1']
"""

from __future__ import annotations

from passerelle.demo.journeys import CROSSING_POINTS
from passerelle.records.catalogues import Catalogues, CrossingPoint
from passerelle.records.stay_rule import StayExemptionCategory, StayRuleScope

__all__ = ["DEMO_CATALOGUES", "DEMO_STAY_RULE"]

DEMO_STAY_RULE = StayRuleScope(
    exempt_nationalities=("MAR",),
    exempt_documents=("PD", "PS"),
    categories=(
        StayExemptionCategory(
            "residence_card",
            "Holder of a Moroccan residence card (carte d'immatriculation or de résidence)",
            "Loi 02-03, art. 5 and 6",
        ),
        StayExemptionCategory(
            "diplomatic_mission",
            "Member of a diplomatic or consular mission, or of their household, with the "
            "Ministry of Foreign Affairs' card",
            "Loi 02-03, art. 2 and 9; décret 2-09-607, art. 3",
        ),
        StayExemptionCategory(
            "crew_on_duty",
            "Aircraft or ship crew member on duty, with a crew member certificate or "
            "seafarer's identity document",
            "Chicago Convention, Annex 9",
        ),
        StayExemptionCategory(
            "minor_with_exempt_parent",
            "Minor travelling with a parent the rule does not bind",
            "Loi 02-03, art. 6: residence titles from 18",
        ),
    ),
)
"""Moroccan nationals, diplomatic (PD) and service (PS) passports, and the categories an
officer states after seeing the proof (docs/operator-guide.md says where each comes from)."""

DEMO_CATALOGUES = Catalogues(
    crossing_points=(
        *(CrossingPoint(code, name) for code, name in CROSSING_POINTS.items()),
        CrossingPoint("AGA-T1", "Agadir Al Massira airport"),
    ),
    source="the demo",
    stay_rule=DEMO_STAY_RULE,
)
"""The six points the demo world's travellers cross at, and Agadir airport (where the
world records no crossing: a point with no traffic in the dashboard)."""
