"""Generating the demo world: one seed and one day give the same world, every time.

>>> from datetime import date
>>> world = generate_world(7, as_of=date(2026, 11, 25), travellers=200)
>>> len(world.travellers), world.scenario("watchlisted").mrz.split()[0]
(200, 'P<MARBENALI<<MOHAMED<<<<<<<<<<<<<<<<<<<<<<<<')
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

from passerelle.demo.journeys import Itinerary
from passerelle.demo.lists import ListMaker
from passerelle.demo.model import DemoWorld, FaceEnrolment, Traveller, WatchlistRecord
from passerelle.demo.names import ARABIC, SCHOLARLY
from passerelle.demo.people import PassportOffice, Sex
from passerelle.demo.plants_identities import plant_identities
from passerelle.demo.plants_patterns import plant_patterns
from passerelle.demo.plants_ring import plant_ring
from passerelle.demo.scenarios import (
    CAST,
    COMMON_NAME_DECOY,
    FACE_GALLERY,
    OLD_PASSPORT,
    cast,
    scenario_alerts,
    scenarios,
)
from passerelle.exc import InvalidInput
from passerelle.stay import Direction

__all__ = ["DEFAULT_SEED", "DEFAULT_TRAVELLERS", "MIN_TRAVELLERS", "generate_world"]

DEFAULT_SEED = 9303
DEFAULT_TRAVELLERS = 5000
MIN_TRAVELLERS = 100
_THIRD_COUNTRY = ("SEN", "MLI", "GIN", "CIV", "NER", "SYR", "DZA", "EGY", "TUN", "LBY")


def _population(office: PassportOffice, first: int, last: int) -> list[Traveller]:
    """Travellers ``T-first`` to ``T-last``, none named like a scenario traveller."""
    reserved = {(member.given_names, member.surname) for member in CAST}
    travellers: list[Traveller] = []
    for number in range(first, last + 1):
        nationality = office.nationality()
        sex: Sex = "M" if office.rng.random() < 0.58 else "F"
        name = office.name(nationality, sex)
        while name in reserved:
            name = office.name(nationality, sex)
        travellers.append(
            office.issue(f"T-{number:05d}", nationality=nationality, sex=sex, name=name)
        )
    return travellers


def _has_other_spellings(traveller: Traveller) -> bool:
    return all(
        part in SCHOLARLY and part in ARABIC for part in (traveller.given_names, traveller.surname)
    )


def generate_world(
    seed: int = DEFAULT_SEED,
    *,
    as_of: date,
    travellers: int = DEFAULT_TRAVELLERS,
    watchlist: int | None = None,
    stolen: int | None = None,
) -> DemoWorld:
    """A Moroccan node's demo world as of ``as_of``, the same for the same arguments.

    ``travellers`` persons with passports (at least ``MIN_TRAVELLERS``); their
    crossings over the 30 days before ``as_of`` (and the older entries of a few
    overstayers); a watchlist of ``watchlist`` persons (default: 6 % of the
    travellers, 300 for 5,000); ``stolen`` stolen or lost documents (default: one
    per five travellers); six alerts; the scenarios to try.
    """
    if travellers < MIN_TRAVELLERS:
        raise InvalidInput("travellers", f"must be at least {MIN_TRAVELLERS}")
    watchlist_size = watchlist if watchlist is not None else max(20, travellers * 6 // 100)
    sltd_size = stolen if stolen is not None else max(30, travellers // 5)
    planted_count = max(3, travellers // 500)
    held_count = max(3, travellers // 250)
    if watchlist_size < planted_count + 2 or sltd_size < held_count + 2:
        raise InvalidInput("watchlist", "too small to hold the scenarios' persons and documents")

    rng = random.Random(seed)
    office = PassportOffice(rng, as_of)
    office.issued.add(("MAR", OLD_PASSPORT))
    people = cast(office)
    population = _population(office, len(people) + 1, travellers)
    everyone = (*people.values(), *population)

    lists = ListMaker(rng, as_of, office, everyone)
    lists.reserved.update(t.id for t in people.values())
    lists.avoid_surnames.update(member.surname for member in CAST)

    # -- alerts on travellers of the world
    minors = [t for t in population if (as_of - t.birth_date).days < 17 * 365 and t.sex == "F"]
    (minor,) = lists.pick(1, where=minors or population)
    (stolen_passport,) = lists.pick(1, where=(t for t in population if t.nationality == "MAR"))
    watched = [t for t in population if t.nationality in ("DZA", "SYR", "LBY", "EGY")]
    (watched_passport,) = lists.pick(1, where=watched or population)
    alerts = scenario_alerts(
        as_of,
        people,
        missing_minor=minor,
        stolen_passport=stolen_passport,
        watched_passport=watched_passport,
    )

    # -- watchlist: the scenario persons, planted travellers, decoys, others
    watchlisted = lists.planted(people["watchlisted"], category="wanted")
    decoy_name, decoy_arabic, decoy_born = COMMON_NAME_DECOY
    decoy = WatchlistRecord(
        id=lists.next_id("MAR"),
        names=(decoy_name, decoy_arabic),
        birth_date=decoy_born.isoformat(),
        nationalities=("MAR",),
        sex="M",
        category="travel_ban",
        issued_by="MAR",
    )
    planted = [
        lists.planted(t)
        for t in lists.pick(planted_count - 1, where=filter(_has_other_spellings, population))
    ]
    decoys = lists.decoys(watchlist_size // 4)
    others = lists.others(watchlist_size - 2 - len(planted) - len(decoys))
    persons = plant_identities((watchlisted, decoy, *planted, *decoys, *others))

    # -- stolen and lost documents: the scenario's, travellers' still in use, the rest
    stolen_scenario = lists.reported(people["stolen"], "stolen")
    old_passport = replace(
        lists.reported(people["watchlisted"], "stolen"), document_number=OLD_PASSPORT
    )
    held = [
        lists.reported(t, rng.choice(("stolen", "lost")))
        for t in lists.pick(held_count - 1, where=population)
    ]
    sltd = (stolen_scenario, old_passport, *held)
    sltd += tuple(lists.registry(sltd_size - len(sltd)))

    # -- crossings
    itinerary = Itinerary(rng, as_of)
    _scenario_crossings(itinerary, people, as_of)
    overstayers = [t for t in population if t.nationality in _THIRD_COUNTRY]
    long_stays = lists.pick(max(2, travellers // 400), where=overstayers)
    for number, traveller in enumerate(long_stays):
        itinerary.overstay(traveller, still_inside=number % 2 == 0)
    staying = {t.id for t in long_stays}
    for traveller in population:
        if traveller.id not in staying:
            itinerary.usual(traveller)
    plant_patterns(itinerary, population, as_of, seed=seed)
    plant_ring(itinerary, population, seed=seed, skip=staying)  # networks: a smuggling ring
    crossings = itinerary.crossings()
    overstay_since = next(
        c.at.date()
        for c in crossings
        if c.document_number == people["overstay"].document_number and c.direction == "entry"
    )

    return DemoWorld(
        seed=seed,
        as_of=as_of,
        travellers=tuple(everyone),
        crossings=crossings,
        watchlist=persons,
        sltd=sltd,
        alerts=alerts,
        face=FaceEnrolment(FACE_GALLERY, alerts[0].id),
        scenarios=scenarios(
            people,
            watchlisted=watchlisted,
            decoy=decoy,
            stolen_on=stolen_scenario.reported_on,
            overstay_since=overstay_since,
            alerts=alerts,
            watched=watched_passport,
        ),
    )


def _scenario_crossings(itinerary: Itinerary, people: dict[str, Traveller], as_of: date) -> None:
    """The scenario travellers' histories, fixed so the scenarios read as explained."""

    def at(traveller: Traveller, direction: str, days_ago: int, point: str) -> None:
        day = as_of - timedelta(days=days_ago)
        way: Direction = "entry" if direction == "entry" else "exit"
        itinerary.add(traveller, way, itinerary.moment(day), point)

    at(people["clear"], "entry", 24, "TNG-MED")
    at(people["clear"], "exit", 17, "TNG-MED")
    at(people["watchlisted"], "entry", 28, "TNG-MED")
    at(people["watchlisted"], "exit", 20, "TNG-MED")
    at(people["common_name"], "entry", 12, "CMN-T1")
    at(people["overstay"], "entry", 118, "CMN-T1")
    at(people["travel_ban"], "entry", 9, "TNG-MED")
