"""A generated demo world for a Moroccan node: travellers, crossings, lists, alerts, scenarios.

``generate_world(seed, as_of=day)`` draws, the same for the same seed and day
(pure: no I/O, no clock):

* **travellers** (5,000 by default) with valid passports (ICAO 9303 TD3, every
  check digit computed), nationalities as a Moroccan node sees them (MAR, ESP,
  FRA, BEL, NLD, DZA, TUN, SEN, MLI, NER, CIV, GIN, SYR, LBY, EGY, GBR, Germany
  written ``D`` as in its MRZs, ITA), names usual for each (Maghreb names in their
  French-style spellings, Sahel names, European names);
* their **crossings** over the 30 days before ``as_of`` at Tanger Med
  (``TNG-MED``), Casablanca (``CMN-T1``), Marrakech (``RAK-MEN``), Bab Sebta
  (``BAB-SEBTA``), Beni Ensar (``NDR-BNI``) and Oujda (``OUJ-ZKH``): visits, trips
  abroad, day trips to Ceuta and Melilla, and a few overstays under the 90/180 rule;
* a **watchlist** (6 % of the travellers: 300) in Latin and Arabic script: some
  travellers listed under another spelling of their name, common-name namesakes
  who must not alert, persons who do not travel;
* a **stolen and lost documents** registry (one per five travellers: 1,000),
  some of them travellers' passports still in use;
* six **alerts** (persons and documents, each with the action to take and whom
  to call), the first a wanted person whose face the demo enrols;
* the **scenarios** to try: a clear traveller, a stolen passport, a watchlisted
  person under another spelling, a common name that must not alert, a bad check
  digit, an overstay, a travel ban, a face found in the alerts gallery.

``seed_node(node, world, actor=...)`` loads it with the node's own loaders
(``passerelle sltd load``, ``watchlist load``, ``crossing load``, ``alert
issue``, ``face enrol``), in transactions, audited; seeding twice stores nothing
new. ``try_commands(world, scenario)`` gives the ``passerelle`` command lines
that show a scenario.

>>> from datetime import date
>>> world = generate_world(1, as_of=date(2026, 11, 25), travellers=300)
>>> [s.key for s in world.scenarios][:3]
['clear', 'stolen', 'watchlisted']
>>> world.scenario("stolen").expected
'hit'
"""

from passerelle.demo.guide import try_commands
from passerelle.demo.journeys import CROSSING_POINTS
from passerelle.demo.loading import LoadCount, SeedReport, demo_portrait, seed_node, write_world
from passerelle.demo.model import (
    DemoAlert,
    DemoCrossing,
    DemoWorld,
    FaceEnrolment,
    Scenario,
    StolenDocument,
    Traveller,
    WatchlistRecord,
)
from passerelle.demo.world import DEFAULT_SEED, DEFAULT_TRAVELLERS, generate_world

__all__ = [
    "CROSSING_POINTS",
    "DEFAULT_SEED",
    "DEFAULT_TRAVELLERS",
    "DemoAlert",
    "DemoCrossing",
    "DemoWorld",
    "FaceEnrolment",
    "LoadCount",
    "Scenario",
    "SeedReport",
    "StolenDocument",
    "Traveller",
    "WatchlistRecord",
    "demo_portrait",
    "generate_world",
    "seed_node",
    "try_commands",
    "write_world",
]
