"""The demo node's catalogues: Morocco's crossing points, its decision reasons, and who
Morocco's stay rule does not bind.

``seed_node`` writes them into the demo node's catalogue file
(``HOME/config/catalogues.json``) when it has none, so the booth offers these
seven points, Morocco's reasons and the stay exemptions below; an operator edits
the file as they would on any node. The reasons are data (``catalogue_morocco.json``
beside this module): entry and exit apart, the refusals of entry on the grounds of
Law 02-03 of 11 November 2003 (art. 4), the refusals of exit on a judge's travel ban,
an alert, or irregular emigration, each labelled in French, Arabic and English; the
notices are printed in French (the officer's) and the traveller's language.

>>> [point.code for point in DEMO_CATALOGUES.crossing_points]
['TNG-MED', 'CMN-T1', 'RAK-MEN', 'BAB-SEBTA', 'NDR-BNI', 'OUJ-ZKH', 'AGA-T1']
>>> DEMO_CATALOGUES.language, DEMO_CATALOGUES.languages
('fr', ('ar', 'en', 'fr'))
>>> DEMO_CATALOGUES.reasons_for("exit").label_of("judicial_travel_ban")
'Travel ban ordered by a judge'
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from passerelle.demo.journeys import CROSSING_POINTS
from passerelle.records.catalogues import CrossingPoint, parse_catalogues
from passerelle.records.stay_rule import StayExemptionCategory, StayRuleScope

__all__ = ["DEMO_CATALOGUES", "DEMO_STAY_RULE", "MOROCCAN_REASONS_FILE"]

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

MOROCCAN_REASONS_FILE = Path(__file__).with_name("catalogue_morocco.json")
"""Morocco's decision reasons, entry and exit, and the officers' language."""

DEMO_CATALOGUES = replace(
    parse_catalogues(MOROCCAN_REASONS_FILE.read_text(encoding="utf-8"), source="the demo"),
    crossing_points=(
        *(CrossingPoint(code, name) for code, name in CROSSING_POINTS.items()),
        CrossingPoint("AGA-T1", "Agadir Al Massira airport"),
    ),
    source="the demo",
    stay_rule=DEMO_STAY_RULE,
)
"""The six points the demo world's travellers cross at, and Agadir airport (where the
world records no crossing: a point with no traffic in the dashboard), with Morocco's
reasons."""
