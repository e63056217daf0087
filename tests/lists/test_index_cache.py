"""The watchlist's screening index is saved for the other workers and the next start."""

from __future__ import annotations

import logging
import stat
import threading
from pathlib import Path

import pytest

from passerelle.lists.index_cache import IndexCache
from passerelle.lists.watchlist import StoreWatchlist
from passerelle.names import NameQuery, ScreenedPerson, ScreeningIndex
from passerelle.node import Node

PERSONS = [
    ScreenedPerson("W-1", ("محمد بن علي", "Mohamed Ben Ali"), "1985-03-02"),
    ScreenedPerson("W-2", ("Karim Haddad",), "1980-06-15"),
]
QUERY = NameQuery("BENALI<<MOHAMED", "1985-03-02")


class Builds:
    """A build that counts its calls."""

    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()

    def __call__(self) -> ScreeningIndex:
        with self.lock:
            self.count += 1
        return ScreeningIndex.build(PERSONS)


def screened(index: ScreeningIndex) -> list[tuple[str, float]]:
    return [(m.id, m.score) for m in index.screen(QUERY, top=5, threshold=0.3)]


def test_the_first_build_is_saved_and_the_next_worker_loads_it(tmp_path: Path) -> None:
    cache, build = IndexCache(tmp_path / "cache"), Builds()
    built = cache.load_or_build(("day", 2), build)
    loaded = cache.load_or_build(("day", 2), build)

    assert build.count == 1
    assert screened(loaded) == screened(built)
    assert screened(loaded)[0][0] == "W-1"
    (saved,) = (tmp_path / "cache").glob("watchlist-index-*.index")
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "cache").stat().st_mode) == 0o700


def test_another_watchlist_state_builds_anew_and_the_old_file_goes(tmp_path: Path) -> None:
    cache, build = IndexCache(tmp_path / "cache"), Builds()
    cache.load_or_build(("day", 2), build)
    cache.load_or_build(("day", 3), build)

    assert build.count == 2
    assert [p.name for p in (tmp_path / "cache").glob("*.index")] == [
        cache.path_for(("day", 3)).name
    ]


def test_a_torn_file_is_built_again_not_trusted(tmp_path: Path) -> None:
    cache, build = IndexCache(tmp_path / "cache"), Builds()
    cache.load_or_build(("day", 2), build)
    cache.path_for(("day", 2)).write_bytes(b"\x80\x05 torn")

    index = cache.load_or_build(("day", 2), build)

    assert build.count == 2
    assert screened(index)[0][0] == "W-1"


def test_a_file_cut_short_is_built_again(tmp_path: Path) -> None:
    cache, build = IndexCache(tmp_path / "cache"), Builds()
    cache.load_or_build(("day", 2), build)
    path = cache.path_for(("day", 2))
    path.write_bytes(path.read_bytes()[:-100])

    index = cache.load_or_build(("day", 2), build)

    assert build.count == 2
    assert screened(index)[0][0] == "W-1"


def test_a_loaded_index_maps_its_arrays_from_the_file_and_answers_alike(tmp_path: Path) -> None:
    persons = [
        ScreenedPerson(f"W-{n:05d}", (f"Karim Haddad{'i' * (n % 7)}",), f"19{60 + n % 40}-02-03")
        for n in range(2000)
    ] + PERSONS
    cache = IndexCache(tmp_path / "cache")
    built = cache.load_or_build(("day", 2), lambda: ScreeningIndex.build(persons))
    loaded = cache.load_or_build(("day", 2), lambda: ScreeningIndex.build([]))

    assert len(loaded) == len(built) == 2002
    assert not loaded._persons.bearers.flags.writeable  # a view of the mapped file
    for query in (QUERY, NameQuery("HADDAD<<KARIM", "1961-02-03"), NameQuery("Karim Hadad")):
        assert [(m.id, m.score, m.reasons) for m in loaded.screen(query)] == [
            (m.id, m.score, m.reasons) for m in built.screen(query)
        ]
        assert loaded.explain(query, "W-00001") == built.explain(query, "W-00001")
    assert loaded.explain(QUERY, "W-99999") is None


def test_workers_starting_together_build_once(tmp_path: Path) -> None:
    cache, build = IndexCache(tmp_path / "cache"), Builds()
    workers = [
        threading.Thread(target=cache.load_or_build, args=(("day", 2), build)) for _ in range(3)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert build.count == 1


def test_an_unusable_cache_folder_still_gives_an_index(tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder should be")
    build = Builds()
    index = IndexCache(blocked).load_or_build(("day", 2), build)
    assert build.count == 1
    assert screened(index)[0][0] == "W-1"


def test_the_stores_watchlist_uses_the_cache_across_restarts(
    node: Node, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    cache = IndexCache(tmp_path / "cache")
    first = StoreWatchlist(node, max_age_s=None, cache=cache)
    first.refresh()
    (saved,) = (tmp_path / "cache").glob("watchlist-index-*.index")
    again = StoreWatchlist(node, max_age_s=None, cache=cache)
    with caplog.at_level(logging.INFO, logger="passerelle.lists.index_cache"):
        again.refresh()
    assert [r.message for r in caplog.records] == ["watchlist.index_loaded"]
    assert saved.exists()
    query = NameQuery("BENALI<<MOHAMED", "1985-03-02")
    assert [m.id for m in again.screen(query)] == [m.id for m in first.screen(query)]
    assert again.screen(query)[0].id == "MAR-W-0001"
