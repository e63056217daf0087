"""The listed persons as columns: what the screening index keeps of each person.

Ten million persons as ten million Python objects (each with its id, its names, its
date of birth) take gigabytes and a minute to save or load. Persons repeat what
they carry: a list of millions bears far fewer distinct names, dates of birth,
nationalities and sexes. :func:`gather` reads the persons once, as a stream, and
keeps each one as a few numbers in arrays (which of the distinct names, dates,
nationalities and sex it bears) and its id in one array of bytes; the distinct
values are kept once, in tables. The postings (persons by retrieval key) are
filled from the distinct names' keys at the end, a million persons at a time, into
one array of person numbers.

The arrays are plain numpy arrays: a saved index keeps them as raw bytes that a
host maps from the file instead of reading them
(:mod:`passerelle.lists.index_cache`).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

import numpy as np
import numpy.typing as npt

from passerelle.names.compare import BirthDate, NameItems
from passerelle.names.parse import NamePart, parse_name
from passerelle.names.retrieval import name_keys

__all__ = ["Bearers", "ListedPersons", "PersonLike", "Postings", "gather"]

_CHUNK = 1_000_000
"""Persons whose ids are packed, or whose postings are filed, at a time."""


class PersonLike(Protocol):
    """What screening reads of a watchlist person (a store row or a ``ScreenedPerson``)."""

    @property
    def id(self) -> str: ...
    @property
    def names(self) -> Sequence[str]: ...
    @property
    def birth_date(self) -> str | None: ...
    @property
    def nationalities(self) -> Sequence[str]: ...
    @property
    def sex(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class Bearers:
    """A person's names as written, shared by every namesake listed with the same ones."""

    names: tuple[str, ...]
    forms: tuple[tuple[NamePart, ...], ...]
    items: list[tuple[NameItems, int]]
    """Each form's parts with their bits (filled once the index knows the weights)."""


@dataclass(frozen=True, slots=True)
class Postings:
    """Person numbers (ascending) by retrieval key: key ``k``'s are
    ``numbers[offsets[k]:offsets[k + 1]]``."""

    keys: list[str]
    offsets: npt.NDArray[np.int64]
    numbers: npt.NDArray[np.int32]

    def as_map(self) -> dict[str, npt.NDArray[np.int32]]:
        """Each key's persons (views of the one array)."""
        offsets, numbers = self.offsets, self.numbers
        return {key: numbers[offsets[k] : offsets[k + 1]] for k, key in enumerate(self.keys)}


@dataclass(slots=True)
class ListedPersons:
    """Persons by number: ``bearers``, ``births``, ``nationalities`` and ``sexes`` are each
    person's entry in the table of that name; ``ids`` their ids (UTF-8)."""

    ids: npt.NDArray[np.bytes_]
    bearers: npt.NDArray[np.int32]
    births: npt.NDArray[np.int32]
    nationalities: npt.NDArray[np.int32]
    sexes: npt.NDArray[np.int8]
    bearer_table: list[Bearers]
    birth_table: list[BirthDate | None]
    nationality_table: list[tuple[str, ...]]
    sex_table: list[str | None]
    _by_id: npt.NDArray[np.int64] | None = None

    def __len__(self) -> int:
        return len(self.bearers)

    def id_of(self, number: int) -> str:
        return bytes(self.ids[number]).decode()

    def named(self, number: int) -> Bearers:
        return self.bearer_table[int(self.bearers[number])]

    def birth(self, number: int) -> BirthDate | None:
        return self.birth_table[int(self.births[number])]

    def nationalities_of(self, number: int) -> tuple[str, ...]:
        return self.nationality_table[int(self.nationalities[number])]

    def sex(self, number: int) -> str | None:
        return self.sex_table[int(self.sexes[number])]

    def number_of(self, person_id: str) -> int | None:
        """The number of the person ``person_id`` (the ids' order is sorted on first use)."""
        if self._by_id is None:
            self._by_id = np.argsort(self.ids, kind="stable")
        encoded = person_id.encode()
        if not encoded or len(encoded) > self.ids.dtype.itemsize:  # longer than any listed id
            return None
        wanted = np.array(encoded, dtype=self.ids.dtype)
        at = int(np.searchsorted(self.ids, wanted, sorter=self._by_id))
        if at < len(self._by_id) and self.ids[self._by_id[at]] == wanted:
            return int(self._by_id[at])
        return None

    def __getstate__(self) -> tuple[object, ...]:
        return (
            self.ids,
            self.bearers,
            self.births,
            self.nationalities,
            self.sexes,
            self.bearer_table,
            self.birth_table,
            self.nationality_table,
            self.sex_table,
        )

    def __setstate__(self, state: tuple[object, ...]) -> None:
        (
            self.ids,
            self.bearers,
            self.births,
            self.nationalities,
            self.sexes,
            self.bearer_table,
            self.birth_table,
            self.nationality_table,
            self.sex_table,
        ) = state  # type: ignore[assignment]
        self._by_id = None


_T = TypeVar("_T")


class _Coder(Generic[_T]):
    """Distinct values numbered in order of first sight."""

    def __init__(self) -> None:
        self.numbers: dict[_T, int] = {}
        self.table: list[_T] = []

    def number(self, value: _T) -> int:
        number = self.numbers.get(value)
        if number is None:
            number = self.numbers[value] = len(self.table)
            self.table.append(value)
        return number


def gather(persons: Iterable[PersonLike]) -> tuple[ListedPersons, Postings]:
    """Read ``persons`` once (a stream: nothing is kept of a person but its numbers and
    id) into columns, and file them under their names' keys.

    Each distinct name is parsed once and its parts are shared by every person who
    bears it; each distinct date of birth is read once.
    """
    bearer_numbers: dict[tuple[str, ...], int] = {}
    bearer_table: list[Bearers] = []
    bearer_keys = array("i")  # the keys of every distinct name, one after the other
    key_counts = array("q", [0])  # where each distinct name's keys start in bearer_keys
    key_numbers: dict[str, int] = {}
    parsed: dict[str, tuple[tuple[NamePart, ...], frozenset[str]]] = {}
    births = _Coder[str | None]()
    held = _Coder[tuple[str, ...]]()
    sexes = _Coder[str | None]()
    bearer_column, birth_column = array("i"), array("i")
    nationality_column, sex_column = array("i"), array("b")
    ids: list[npt.NDArray[np.bytes_]] = []
    pending: list[bytes] = []
    for person in persons:
        names = tuple(person.names)
        number = bearer_numbers.get(names)
        if number is None:
            forms: list[tuple[NamePart, ...]] = []
            keys: set[str] = set()
            for name in names:
                known = parsed.get(name)
                if known is None:
                    form = parse_name(name)
                    known = parsed[name] = (form, frozenset(name_keys(form)))
                forms.append(known[0])
                keys |= known[1]
            number = bearer_numbers[names] = len(bearer_table)
            bearer_table.append(Bearers(names, tuple(forms), []))
            for key in sorted(keys):
                bearer_keys.append(key_numbers.setdefault(key, len(key_numbers)))
            key_counts.append(len(bearer_keys))
        bearer_column.append(number)
        birth_column.append(births.number(person.birth_date))
        nationality_column.append(held.number(tuple(person.nationalities or ())))
        sex_column.append(sexes.number(person.sex))
        pending.append(person.id.encode())
        if len(pending) >= _CHUNK:
            ids.append(np.array(pending, dtype=np.bytes_))
            pending = []
    if pending or not ids:
        ids.append(np.array(pending, dtype=np.bytes_))
    del parsed, bearer_numbers
    listed = ListedPersons(
        np.concatenate(ids),
        np.frombuffer(bearer_column, dtype=np.int32),
        np.frombuffer(birth_column, dtype=np.int32),
        np.frombuffer(nationality_column, dtype=np.int32),
        np.frombuffer(sex_column, dtype=np.int8),
        bearer_table,
        [BirthDate.parse(text) for text in births.table],
        held.table,
        sexes.table,
    )
    postings = _file(
        listed.bearers,
        np.frombuffer(bearer_keys, dtype=np.int32),
        np.frombuffer(key_counts, dtype=np.int64),
        list(key_numbers),
    )
    return listed, postings


def _file(
    bearers: npt.NDArray[np.int32],
    bearer_keys: npt.NDArray[np.int32],
    key_starts: npt.NDArray[np.int64],
    keys: list[str],
) -> Postings:
    """The postings of persons bearing ``bearers`` (distinct names) whose keys are
    ``bearer_keys[key_starts[b]:key_starts[b + 1]]``: counted first, then filled a chunk
    of persons at a time (persons ascending within each key)."""
    per_bearer = np.diff(key_starts)
    bearer_persons = np.bincount(bearers, minlength=len(per_bearer))
    counts = np.bincount(
        bearer_keys, weights=np.repeat(bearer_persons, per_bearer), minlength=len(keys)
    ).astype(np.int64)
    offsets = np.zeros(len(keys) + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    numbers = np.empty(int(offsets[-1]), dtype=np.int32)
    cursor = offsets[:-1].copy()
    for start in range(0, len(bearers), _CHUNK):
        chunk = bearers[start : start + _CHUNK]
        lengths = per_bearer[chunk]
        persons = np.repeat(np.arange(start, start + len(chunk), dtype=np.int32), lengths)
        first = np.repeat(key_starts[chunk] - (np.cumsum(lengths) - lengths), lengths)
        filed = bearer_keys[first + np.arange(len(persons))]
        order = np.argsort(filed, kind="stable")
        filed, persons = filed[order], persons[order]
        here = np.bincount(filed, minlength=len(keys))
        run_start = np.cumsum(here) - here
        numbers[cursor[filed] + (np.arange(len(filed)) - run_start[filed])] = persons
        cursor += here
    return Postings(keys, offsets, numbers)
