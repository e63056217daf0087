"""The load's record of where each key first appeared: exact, in bounded memory."""

from __future__ import annotations

from collections.abc import Hashable
from pathlib import Path

from passerelle.store.first_sightings import FirstSightings


def sightings_of(path: Path, lines: list[tuple[int, str]], **options: int) -> FirstSightings:
    """A record over a file of ``key content`` lines (keys are ints: Python hashes -1 and -2
    alike, so a test can make two keys share a hash)."""
    path.write_text("".join(f"{key} {content}\n" for key, content in lines))

    def read_line(raw: bytes) -> tuple[Hashable, Hashable]:
        key, content = raw.split()
        return int(key), content.decode()

    sightings = FirstSightings(path, read_line, **options)
    offset = 0
    for line_no, raw in enumerate(path.read_bytes().splitlines(keepends=True), start=1):
        sightings.note_offset(line_no, offset)
        offset += len(raw)
    return sightings


def test_a_key_seen_before_gives_its_first_line_and_content(tmp_path: Path) -> None:
    lines = [(n, f"c{n}") for n in range(3000)] + [(5, "other"), (2999, "c2999")]
    sightings = sightings_of(tmp_path / "f", lines, capacity=4)  # grows many times
    assert sightings.first_sightings(list(range(3000)), list(range(1, 3001))) == [None] * 3000
    assert sightings.first_sightings([5, 2999], [3001, 3002]) == [(6, "c5"), (3000, "c2999")]


def test_two_keys_sharing_a_hash_are_told_apart_by_reading_the_first_line_again(
    tmp_path: Path,
) -> None:
    assert hash(-1) == hash(-2)
    lines = [(-1, "a"), (-2, "b"), (-2, "b"), (-1, "a")]
    sightings = sightings_of(tmp_path / "f", lines)
    assert sightings.first_sightings([-1], [1]) == [None]
    assert sightings.first_sightings([-2], [2]) == [None]
    assert sightings.first_sightings([-2], [3]) == [(2, "b")]
    assert sightings.first_sightings([-1], [4]) == [(1, "a")]


def test_keys_sharing_a_hash_within_one_part_are_both_new(tmp_path: Path) -> None:
    sightings = sightings_of(tmp_path / "f", [(-1, "a"), (-2, "b"), (-2, "b")])
    assert sightings.first_sightings([-1, -2], [1, 2]) == [None, None]
    assert sightings.first_sightings([-2], [3]) == [(2, "b")]
