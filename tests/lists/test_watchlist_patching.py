"""The watchlist's name index patched with what another host wrote, on both databases.

Host A screens; host B (another Node on the same database, its clock an hour
behind) lists, updates and withdraws persons. A's index follows within one check
of the store without building its base again, and answers as an index built
afresh from the store would; past the patching limit the base is rebuilt in the
background while base and patch keep answering.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from passerelle.lists.watchlist import StoreWatchlist, WatchlistPatching, WatchlistState
from passerelle.names import NameQuery, ScreeningIndex
from passerelle.names.index import NameMatch
from passerelle.node import Node, open_node
from passerelle.settings import Settings
from passerelle.store.watchlist import WatchlistRegistry
from tests.conftest import fresh_postgres_database, provision_node

GIVEN = ("Mohamed", "Youssef", "Salma", "Fatima", "Karim", "Nadia", "Omar", "Khadija")
FAMILY = ("Benali", "Zerhouni", "Lamrani", "Tazi", "Haddad", "Alaoui", "Idrissi", "Bennani")
REGISTRY = WatchlistRegistry()


def person(number: int, names: tuple[str, ...] | None = None, birth: str | None = None) -> dict:
    given, family = GIVEN[number % len(GIVEN)], FAMILY[(number // len(GIVEN)) % len(FAMILY)]
    year = 1950 + number % 50
    return {
        "id": f"MAR-W-{number:05d}",
        "names": list(names or (f"{given} {family}",)),
        "birth_date": birth or f"{year}-{1 + number % 12:02d}-{1 + number % 28:02d}",
        "nationalities": ["MAR"] if number % 3 else ["DZA"],
        "sex": "F" if given in ("Salma", "Fatima", "Nadia", "Khadija") else "M",
        "category": "wanted",
        "issued_by": "MAR",
        "valid_until": None,
    }


@pytest.fixture(params=["sqlite", "postgresql"])
def hosts(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Node, Node]]:
    """Host A and host B (its clock an hour behind) on one database of 200 persons."""

    def opened(url: str) -> Iterator[tuple[Node, Node]]:
        settings = Settings(home=tmp_path / "home", database_url=url)
        provision_node(settings)
        with open_node(settings) as a, open_node(settings) as b:
            b.clock = lambda: datetime.now(UTC) - timedelta(hours=1)
            with a.database.write() as session:
                for number in range(200):
                    REGISTRY.add(session, REGISTRY.parse(person(number)), a.clock())
            yield a, b

    if request.param == "sqlite":
        yield from opened(f"sqlite:///{tmp_path / 'node.db'}")
    else:
        with fresh_postgres_database("patching") as url:
            yield from opened(url)


def add(host: Node, record: dict) -> None:
    with host.database.write() as session:
        REGISTRY.add(session, REGISTRY.parse(record), host.clock())


def _checks_ended() -> None:
    deadline = time.monotonic() + 30
    while any(t.name == "watchlist-index" for t in threading.enumerate()):
        assert time.monotonic() < deadline, "the check did not end"
        time.sleep(0.01)


def settled(watchlist: StoreWatchlist, query: NameQuery) -> list[NameMatch]:
    """Screen once the checks under way ended (so this one starts a check of the store
    as it is now), wait for that check, screen again."""
    _checks_ended()
    watchlist.screen(query, threshold=0.5)
    _checks_ended()
    return watchlist.screen(query, threshold=0.5)


def ids(found: list[NameMatch]) -> list[str]:
    return [m.id for m in found]


def query_of(record: dict) -> NameQuery:
    return NameQuery(record["names"][0], record["birth_date"], "MAR", record["sex"])


def test_a_person_listed_through_another_host_is_screened_within_one_check_unrebuilt(
    hosts: tuple[Node, Node],
) -> None:
    a, b = hosts
    watchlist = StoreWatchlist(a, max_age_s=0.0, patching=WatchlistPatching(share=1.0, most=50))
    newcomer = person(900, ("Rachid Ouazzani",), "1981-02-03")
    assert "MAR-W-00900" not in ids(settled(watchlist, query_of(newcomer)))
    add(b, newcomer)

    assert ids(settled(watchlist, query_of(newcomer)))[:1] == ["MAR-W-00900"]
    assert watchlist.builds == 1
    assert watchlist.delta_persons() == 1


def test_a_person_withdrawn_through_another_host_behind_in_time_stops_answering(
    hosts: tuple[Node, Node],
) -> None:
    a, b = hosts
    watchlist = StoreWatchlist(a, max_age_s=0.0, patching=WatchlistPatching(share=1.0, most=50))
    listed = person(17)
    assert "MAR-W-00017" in ids(settled(watchlist, query_of(listed)))
    newcomer = person(901, ("Rachid Ouazzani",), "1981-02-03")
    add(b, newcomer)
    assert "MAR-W-00901" in ids(settled(watchlist, query_of(newcomer)))

    with b.database.write() as session:  # stamped an hour before A's latest change
        REGISTRY.withdraw(session, "MAR-W-00017", b.clock() - timedelta(hours=1), "found")
        REGISTRY.withdraw(session, "MAR-W-00901", b.clock() - timedelta(hours=1), "error")

    assert "MAR-W-00017" not in ids(settled(watchlist, query_of(listed)))
    assert "MAR-W-00901" not in ids(settled(watchlist, query_of(newcomer)))
    assert watchlist.builds == 1


def test_an_updated_person_answers_with_the_new_data_once(hosts: tuple[Node, Node]) -> None:
    a, b = hosts
    watchlist = StoreWatchlist(a, max_age_s=0.0, patching=WatchlistPatching(share=1.0, most=50))
    before = person(42)
    assert "MAR-W-00042" in ids(settled(watchlist, query_of(before)))
    after = person(42, ("Abdelilah Chraibi",), "1966-06-06")
    with b.database.write() as session:
        REGISTRY.update(session, REGISTRY.parse(after), b.clock())

    found = ids(settled(watchlist, query_of(after)))
    assert found.count("MAR-W-00042") == 1
    assert "MAR-W-00042" not in ids(watchlist.screen(query_of(before), threshold=0.5))
    assert watchlist.builds == 1


def test_base_and_patch_rank_as_an_index_built_afresh(hosts: tuple[Node, Node]) -> None:
    a, b = hosts
    watchlist = StoreWatchlist(a, max_age_s=None, patching=WatchlistPatching(share=1.0, most=100))
    watchlist.refresh()
    changed = [person(n, birth=f"19{60 + n % 30}-03-0{1 + n % 9}") for n in range(0, 60, 3)]
    added = [person(n) for n in range(300, 330)]  # namesakes of the listed ones
    with b.database.write() as session:
        for record in changed:
            REGISTRY.update(session, REGISTRY.parse(record), b.clock())
        for record in added:
            REGISTRY.add(session, REGISTRY.parse(record), b.clock())
        for number in range(2, 60, 9):  # none of the changed
            REGISTRY.withdraw(session, f"MAR-W-{number:05d}", b.clock(), "found")
    watchlist.refresh()
    assert watchlist.builds == 1
    assert watchlist.delta_persons() == len(changed) + len(added)

    with a.database.read() as session:
        afresh = ScreeningIndex.build(REGISTRY.screened(session, a.clock().date()))
    queries = [query_of(r) for r in (*changed, *added, *(person(n) for n in range(0, 200, 9)))]
    queries += [NameQuery(f"{f} {g}") for g in GIVEN[:4] for f in FAMILY[:4]]  # no date
    for query in queries:
        patched = watchlist.screen(query, top=5, threshold=0.3)
        fresh = afresh.screen(query, top=5, threshold=0.3)
        assert [(m.id, round(m.score, 9)) for m in patched] == [
            (m.id, round(m.score, 9)) for m in fresh
        ], query


def test_past_the_limit_the_base_is_rebuilt_while_base_and_patch_answer(
    hosts: tuple[Node, Node], monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = hosts
    watchlist = StoreWatchlist(a, max_age_s=0.0, patching=WatchlistPatching(share=1.0, most=3))
    watchlist.refresh()
    building, release = threading.Event(), threading.Event()
    build = watchlist._build

    def held() -> tuple[ScreeningIndex, WatchlistState]:
        building.set()
        assert release.wait(30)
        return build()

    monkeypatch.setattr(watchlist, "_build", held)
    newcomers = [person(910, ("Rachid Ouazzani",), "1981-02-03")]
    newcomers += [person(n) for n in (911, 912, 913)]  # four: past the limit of three
    for record in newcomers:
        add(b, record)
    watchlist.screen(query_of(newcomers[0]))  # the check patches, then starts the rebuild
    assert building.wait(30)

    found = ids(watchlist.screen(query_of(newcomers[0]), threshold=0.5))
    assert found[:1] == ["MAR-W-00910"]  # answered by the patch while the base is built
    assert watchlist.builds == 1
    release.set()
    assert ids(settled(watchlist, query_of(newcomers[0])))[:1] == ["MAR-W-00910"]
    assert watchlist.builds == 2
    assert watchlist.delta_persons() == 0
