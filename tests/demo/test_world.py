"""The generated demo world: valid passports, plausible crossings, lists the loaders accept,
scenarios that say what the node's components do with them (no database here)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections import Counter, defaultdict
from dataclasses import replace
from datetime import date, timedelta
from itertools import pairwise

import pytest

from passerelle.demo import DemoWorld, generate_world
from passerelle.demo.guide import try_commands
from passerelle.demo.journeys import CROSSING_POINTS, WINDOW_DAYS
from passerelle.demo.names import ARABIC, NAMES, latin_name
from passerelle.demo.people import NATIONALITY_WEIGHTS
from passerelle.documents import FindingCode, check_mrz
from passerelle.exc import InvalidInput
from passerelle.names import DEFAULT_THRESHOLD, NameQuery, ScreenedPerson, ScreeningIndex
from passerelle.stay import Movement, assess_stay
from passerelle.store.alerts import parse_alert
from passerelle.store.crossings import CrossingRegistry
from passerelle.store.sltd import SltdRegistry
from passerelle.store.watchlist import WatchlistRegistry
from tests.conftest import AS_OF

WEAK_THRESHOLD = 0.5
"""The score from which the border check refers a traveller for a watchlist candidate."""


@pytest.fixture(scope="module")
def world() -> DemoWorld:
    """The world ``make demo`` loads: default seed and size."""
    return generate_world(as_of=AS_OF)


@pytest.fixture(scope="module")
def index(world: DemoWorld) -> ScreeningIndex:
    return ScreeningIndex.build(
        ScreenedPerson(p.id, p.names, p.birth_date, p.nationalities, p.sex) for p in world.watchlist
    )


def movements(world: DemoWorld, document: str) -> list[Movement]:
    return [
        Movement(c.direction, c.at)
        for c in world.crossings
        if f"{c.issuing_state}:{c.document_number}" == document
    ]


def test_the_default_world_has_the_promised_sizes(world: DemoWorld) -> None:
    assert len(world.travellers) == 5000
    assert len(world.watchlist) == 300
    assert len(world.sltd) == 1000
    assert len(world.alerts) == 6
    assert len(world.crossings) > len(world.travellers)
    assert {t.nationality for t in world.travellers} == set(NATIONALITY_WEIGHTS)
    assert {c.crossing_point for c in world.crossings} == set(CROSSING_POINTS)
    nationalities = Counter(t.nationality for t in world.travellers)
    assert nationalities.most_common(1)[0][0] == "MAR"


def test_every_passport_is_a_well_formed_td3_without_findings(world: DemoWorld) -> None:
    for traveller in world.travellers:
        check = check_mrz(traveller.mrz, as_of=world.as_of)
        assert check.well_formed, (traveller.id, check.findings)
        assert check.findings == (), (traveller.id, check.findings)
        assert check.format.value == "TD3"
        assert (check.document_number, check.issuing_state, check.nationality) == (
            traveller.document_number,
            traveller.issuing_state,
            traveller.nationality,
        )
        assert (check.birth_date, check.expiry_date) == (
            traveller.birth_date,
            traveller.expiry_date,
        )
        assert check.surname == traveller.surname
        assert check.given_names == traveller.given_names


def test_document_numbers_are_unique_per_issuing_state(world: DemoWorld) -> None:
    documents = [(t.issuing_state, t.document_number) for t in world.travellers]
    registry = [(d.issuing_state, d.document_number) for d in world.sltd]
    assert len(set(documents)) == len(documents)
    assert len(set(registry)) == len(registry)


def test_names_are_those_of_the_travellers_nationality_or_its_moroccan_diaspora(
    world: DemoWorld,
) -> None:
    for traveller in world.travellers:
        male, female, surnames = NAMES[traveller.nationality]
        given = male if traveller.sex == "M" else female
        own = traveller.given_names in given and (
            traveller.surname in surnames
            or all(part in surnames for part in traveller.surname.split())  # Spain: two
        )
        moroccan = traveller.surname in NAMES["MAR"][2]
        assert own or moroccan, traveller


def test_the_same_seed_gives_the_same_world_and_another_seed_another(world: DemoWorld) -> None:
    assert generate_world(as_of=AS_OF) == world
    other = generate_world(world.seed + 1, as_of=AS_OF)
    assert other.travellers != world.travellers
    assert [s.key for s in other.scenarios] == [s.key for s in world.scenarios]


def test_a_world_too_small_for_its_scenarios_is_refused() -> None:
    with pytest.raises(InvalidInput, match="travellers"):
        generate_world(as_of=AS_OF, travellers=20)


def test_crossings_fall_in_the_30_days_before_the_day_but_overstayers_entries(
    world: DemoWorld,
) -> None:
    first_day = world.as_of - timedelta(days=WINDOW_DAYS)
    older = [c for c in world.crossings if c.at.date() < first_day]
    assert older, "the overstayers entered months ago"
    assert {c.direction for c in older} == {"entry"}
    assert not {c.nationality for c in older} & {"MAR", "ESP", "FRA", "GBR", "D"}
    assert all(c.at.date() < world.as_of for c in world.crossings)
    assert len({c.id for c in world.crossings}) == len(world.crossings)


def test_each_travellers_crossings_alternate_entry_and_exit(world: DemoWorld) -> None:
    by_document: dict[str, list[str]] = defaultdict(list)
    for crossing in sorted(world.crossings, key=lambda c: c.at):
        by_document[f"{crossing.issuing_state}:{crossing.document_number}"].append(
            crossing.direction
        )
    for document, directions in by_document.items():
        assert all(a != b for a, b in pairwise(directions)), document


def test_only_the_overstayers_are_over_the_short_stay_limit(world: DemoWorld) -> None:
    by_document: dict[str, list[Movement]] = defaultdict(list)
    for c in world.crossings:
        by_document[f"{c.issuing_state}:{c.document_number}"].append(Movement(c.direction, c.at))
    over = {
        document
        for document, moves in by_document.items()
        if assess_stay(moves, as_of=world.as_of).overstay_days
    }
    overstay = world.traveller(world.scenario("overstay").traveller_id or "")
    assert overstay.document in over
    assert 3 <= len(over) <= 20
    nationals = {t.document for t in world.travellers if t.nationality == "MAR"}
    assert not over & nationals


def test_every_line_passes_the_parser_of_the_registry_that_loads_it(world: DemoWorld) -> None:
    sltd, watchlist, crossings = SltdRegistry(), WatchlistRegistry(), CrossingRegistry()
    for document in world.sltd:
        sltd.parse(document.as_json())
    for person in world.watchlist:
        watchlist.parse(person.as_json())
    for crossing in world.crossings:
        crossings.parse(crossing.as_json())
    kinds = Counter(parse_alert(alert.as_json()).subject.kind for alert in world.alerts)
    assert kinds == {"person": 4, "document": 2}


def test_alerts_say_what_to_do_and_whom_to_call(world: DemoWorld) -> None:
    for alert in world.alerts:
        assert len(alert.action) > 40
        assert "+212" in alert.issuing_authority
    assert world.face.identity == world.alerts[0].id
    assert world.alerts[0].category == "wanted"


def test_the_watchlist_writes_names_in_arabic_and_latin_script(world: DemoWorld) -> None:
    arabic = [p for p in world.watchlist if any(ARABIC.get("MOHAMED", "") in n for n in p.names)]
    assert len(arabic) > 10
    latin_only = [p for p in world.watchlist if all(n.isascii() for n in p.names)]
    assert latin_only, "European and Sahel names have no Arabic form"


def test_listed_travellers_are_listed_under_another_spelling(world: DemoWorld) -> None:
    planted = [p for p in world.watchlist if p.traveller_id]
    assert len(planted) == 10
    for person in planted:
        traveller = world.traveller(person.traveller_id or "")
        assert latin_name(traveller.given_names, traveller.surname) not in person.names
        assert person.birth_date == traveller.birth_date.isoformat()


def test_some_stolen_or_lost_documents_are_in_travellers_hands(world: DemoWorld) -> None:
    held = {t.document for t in world.travellers}
    reported = [d for d in world.sltd if f"{d.issuing_state}:{d.document_number}" in held]
    assert len(reported) == 20
    assert {d.status for d in world.sltd} == {"stolen", "lost", "revoked", "invalidated"}


def test_screening_finds_every_listed_traveller_and_no_namesake(
    world: DemoWorld, index: ScreeningIndex
) -> None:
    """Every second Mohamed does not alert: only the listed travellers reach the threshold."""
    listed = {p.traveller_id: p.id for p in world.watchlist if p.traveller_id}
    alerts: dict[str, list[str]] = {}
    for traveller in world.travellers:
        query = NameQuery(
            traveller.mrz_name,
            traveller.birth_date.isoformat(),
            traveller.nationality,
            traveller.sex,
        )
        found = [m.id for m in index.screen(query, threshold=DEFAULT_THRESHOLD)]
        if found:
            alerts[traveller.id] = found
    assert alerts == {traveller: [person] for traveller, person in listed.items()}
    mohameds = [t for t in world.travellers if t.given_names in ("MOHAMED", "MOHAMMED")]
    assert len(mohameds) > 100


def test_the_scenarios_are_the_ones_promised(world: DemoWorld) -> None:
    assert [(s.key, s.expected) for s in world.scenarios] == [
        ("clear", "clear"),
        ("stolen", "hit"),
        ("watchlisted", "hit"),
        ("common_name", "clear"),
        ("bad_check_digit", "refer"),
        ("overstay", "refer"),
        ("travel_ban", "hit"),
        ("face", "hit"),
        ("discreet_check", "clear"),
    ]
    for scenario in world.scenarios:
        check = check_mrz(scenario.mrz, as_of=world.as_of)
        if scenario.key == "bad_check_digit":
            assert not check.well_formed
            assert {(f.code, f.field) for f in check.findings} >= {
                (FindingCode.CHECK_DIGIT, "document_number"),
                (FindingCode.CHECK_DIGIT, "composite"),
            }
        else:
            assert check.well_formed, scenario.key
            assert not check.findings, scenario.key
        assert try_commands(world, scenario)[0].startswith("passerelle doc check")


def test_the_watchlisted_scenario_is_found_under_another_spelling_and_in_arabic(
    world: DemoWorld, index: ScreeningIndex
) -> None:
    traveller = world.traveller(world.scenario("watchlisted").traveller_id or "")
    assert traveller.mrz_name == "BENALI<<MOHAMED"
    (person,) = [p for p in world.watchlist if p.traveller_id == traveller.id]
    assert person.names == ("Muhammad bin Ali", "محمد بن علي")
    (match, *_) = index.screen(NameQuery("BENALI<<MOHAMED", "1985-03-02", "MAR", "M"))
    assert (match.id, match.score >= DEFAULT_THRESHOLD) == (person.id, True)


def test_the_common_name_scenario_is_not_even_a_weak_candidate(
    world: DemoWorld, index: ScreeningIndex
) -> None:
    traveller = world.traveller(world.scenario("common_name").traveller_id or "")
    query = NameQuery(traveller.mrz_name, traveller.birth_date.isoformat(), "MAR", "M")
    assert index.screen(query, threshold=WEAK_THRESHOLD) == []
    namesakes = [p for p in world.watchlist if "Mohamed Alaoui" in p.names]
    assert namesakes, "the list does hold a Mohamed Alaoui"
    assert index.screen(replace(query, birth_date=namesakes[0].birth_date))[0].id == (
        namesakes[0].id
    )


def test_the_clear_scenario_has_days_left_and_the_overstay_none(world: DemoWorld) -> None:
    clear = world.traveller(world.scenario("clear").traveller_id or "")
    stay = assess_stay(movements(world, clear.document), as_of=world.as_of)
    assert (stay.days_used, stay.days_remaining, stay.inconsistencies) == (8, 82, ())
    overstay = world.traveller(world.scenario("overstay").traveller_id or "")
    stay = assess_stay(movements(world, overstay.document), as_of=world.as_of)
    assert stay.inside
    assert stay.overstay_days > 0


def test_worlds_of_other_days_and_sizes_hold_the_same_scenarios() -> None:
    small = generate_world(3, as_of=date(2027, 2, 28), travellers=150)
    assert len(small.travellers) == 150
    assert len(small.watchlist) == 20
    assert len(small.sltd) == 30
    assert all(check_mrz(t.mrz, as_of=small.as_of).well_formed for t in small.travellers)
    assert small.scenario("overstay").direction == "exit"


def test_the_world_does_not_depend_on_the_process_hash_seed(world: DemoWorld) -> None:
    """Nothing in the generation iterates over a set or dict keyed by strings unordered."""
    program = (
        "import hashlib; from datetime import date; from passerelle.demo import generate_world; "
        f"print(hashlib.sha256(repr(generate_world(as_of=date.fromisoformat('{AS_OF}')))"
        ".encode()).hexdigest())"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    done = subprocess.run(
        [sys.executable, "-c", program], env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == hashlib.sha256(repr(world).encode()).hexdigest()
