"""Candidate retrieval: which listed persons a query compares in full.

Every name part of every person is filed under its consonant skeleton (and, for
bound particles and glued articles, its core; its other reading; and two
adjacent parts under their joined skeleton). A query gathers the persons filed
under its own keys and under keys one letter away (a typo, a truncated MRZ
name), weighs them by how rare each shared key is, drops those far behind the
best, and, among more namesakes than it compares, ranks them by what else the
query carries: the year and the day of birth, the nationality, the sex. A query
against a million persons touches the postings of its three or four keys, not
the million.

The knobs are fields of :class:`~passerelle.names.weights.NameWeights`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from itertools import pairwise
from typing import Any

import numpy as np
import numpy.typing as npt

from passerelle.names.evidence import BirthDate
from passerelle.names.parse import NamePart
from passerelle.names.weights import NameWeights

__all__ = ["Retrieval", "name_keys"]


def name_keys(parts: Sequence[NamePart]) -> set[str]:
    """The keys a name is filed under (and a query looks under)."""
    keys = {part.skeleton for part in parts if part.skeleton}
    keys.update(part.core for part in parts if part.core)
    keys.update(part.alternate for part in parts if part.alternate)
    keys.update(a.skeleton + b.skeleton for a, b in pairwise(parts))
    return keys


def _deletions(key: str) -> set[str]:
    return {key[:i] + key[i + 1 :] for i in range(len(key))}


_SEXES = {"M": 1, "F": 2}


class Retrieval:
    """The postings of a list's keys, and what ranks namesakes: birth, nationality, sex.

    ``postings``: person numbers (ascending) by key; ``key_bits``: each key's weight;
    the other sequences are per person number.
    """

    def __init__(
        self,
        postings: dict[str, npt.NDArray[np.int32]],
        key_bits: dict[str, float],
        births: tuple[Sequence[BirthDate | None], npt.NDArray[np.int32]],
        nationalities: tuple[Sequence[Sequence[str]], npt.NDArray[np.int32]],
        sexes: tuple[Sequence[str | None], npt.NDArray[np.int8]],
        weights: NameWeights,
    ) -> None:
        """``births``, ``nationalities``, ``sexes``: a table of distinct values and each
        person's entry in it."""
        self._w = weights
        self._bits = key_bits
        self._everyone = len(births[1])
        self._postings = postings
        near: defaultdict[str, list[str]] = defaultdict(list)
        for key in postings:
            if len(key) >= 3:
                for deleted in _deletions(key):
                    near[deleted].append(key)
        self._near = dict(near)
        table, codes = births
        years = np.asarray([b.year if b else 0 for b in table], dtype=np.int32)
        days = np.asarray([b.ordinal() if b and b.day else 0 for b in table], dtype=np.int64)
        self._years = years[codes] if len(table) else np.zeros(0, np.int32)
        by_day = days[codes] if len(table) else np.zeros(0, np.int64)
        dated = np.flatnonzero(by_day).astype(np.int32)
        dated = dated[np.argsort(by_day[dated], kind="stable")]
        day_of, first_at = np.unique(by_day[dated], return_index=True)
        ends = [*first_at[1:].tolist(), len(dated)] if len(first_at) else []
        self._born_on = {
            int(day): dated[start:end]
            for day, start, end in zip(day_of.tolist(), first_at.tolist(), ends, strict=True)
        }
        # nationalities as small numbers, two per person (a third is rare and left out)
        self._states: dict[str, int] = {}
        held, codes = nationalities
        first = np.zeros(len(held), dtype=np.int16)
        second = np.zeros(len(held), dtype=np.int16)
        for number, kept in enumerate(held):
            for column, code in zip((first, second), kept, strict=False):
                column[number] = self._states.setdefault(code.upper(), len(self._states) + 1)
        self._first_state, self._second_state = first[codes], second[codes]
        table_sexes, sex_of = sexes
        sex_codes = np.asarray([_SEXES.get(sex or "", 0) for sex in table_sexes], dtype=np.int8)
        self._sexes = sex_codes[sex_of] if len(table_sexes) else np.zeros(0, np.int8)

    def __getstate__(self) -> dict[str, Any]:
        # each of these maps as one array and its offsets: tens of thousands of small
        # arrays each cost a buffer to save and to load
        state = dict(vars(self))
        state["_postings"] = _packed(self._postings)
        state["_born_on"] = _packed(self._born_on)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        state["_postings"] = _unpacked(state["_postings"])
        state["_born_on"] = _unpacked(state["_born_on"])
        vars(self).update(state)

    def key_counts(self) -> Counter[str]:
        """Persons per key (for benchmarks and reports)."""
        return Counter({key: len(ids) for key, ids in self._postings.items()})

    def candidates(
        self,
        parts: Sequence[NamePart],
        birth: BirthDate | None = None,
        nationality: str | None = None,
        sex: str | None = None,
        dropped: npt.NDArray[np.int32] | None = None,
    ) -> list[int]:
        """The persons worth comparing in full: by the weight of the keys they share with
        the query, then, among more namesakes than are compared, by whether their year
        (and day) of birth, nationality and sex agree (among a thousand namesakes the
        year is what finds the right one; without a date, the nationality).
        ``dropped``: persons left out as if not listed (withdrawn since the index was built)."""
        w = self._w
        arrays: list[npt.NDArray[np.int32]] = []
        weights: list[float] = []
        seen: set[str] = set()

        def take(key: str, factor: float, longest: int) -> None:
            if key in seen:
                return
            ids = self._postings.get(key)
            if ids is not None and len(ids) <= longest:
                seen.add(key)
                arrays.append(ids)
                weights.append(factor * self._bits[key])

        everyone = self._everyone
        for key in name_keys(parts):
            take(key, 1.0, everyone)
        for part in parts:
            for key in self._near_keys(part.skeleton):
                # a misspelling one letter away: worth following when it is rare (a
                # typo); a common name one letter away is another name (Ahmed, Hamid)
                take(key, w.fuzzy_key_share, max(w.rare_neighbour_postings, everyone // 500))
        if not arrays:
            return []
        unique, totals = self._by_shared_keys(arrays, weights)
        if dropped is not None and len(dropped):
            kept = ~np.isin(unique, dropped)
            unique, totals = unique[kept], totals[kept]
            if not len(unique):
                return []
        keep = totals >= totals.max() * w.prune_share  # far behind the best: not worth comparing
        unique, totals = unique[keep], totals[keep]
        same_day = self._born_on.get(birth.ordinal()) if birth is not None and birth.day else None
        if same_day is not None and len(same_day) <= w.same_day_postings:
            # Born the same day and sharing some key, however common: the listed person
            # spelled another way (Mahamat for Mohamed, a glued particle) whom the
            # namesakes of the query's own spelling would otherwise crowd out.
            extra = np.setdiff1d(same_day, unique, assume_unique=True)
            if dropped is not None and len(dropped):
                extra = np.setdiff1d(extra, dropped, assume_unique=True)
            shared = _shared_bits(extra, arrays, weights)
            named = shared > 0
            unique = np.concatenate([unique, extra[named]])
            totals = np.concatenate([totals, shared[named]])
        if len(unique) > w.candidates:
            totals = totals + self._rank_bits(unique, birth, same_day, nationality, sex)
            best = np.argpartition(-totals, w.candidates)[: w.candidates]
            unique = unique[best]
        return [int(number) for number in unique]

    def _by_shared_keys(
        self, arrays: list[npt.NDArray[np.int32]], weights: list[float]
    ) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.float64]]:
        """The persons sharing the query's keys and the weight of what each shares."""
        common_from = max(self._w.common_posting, self._everyone // 50)
        rare = [i for i, ids in enumerate(arrays) if len(ids) <= common_from]
        common = [i for i, ids in enumerate(arrays) if len(ids) > common_from]
        unique: npt.NDArray[np.int32]
        totals: npt.NDArray[np.float64]
        if rare:
            # Persons sharing a rarer key; the common keys (Mohamed: a tenth of the list)
            # only add their weight to those, instead of bringing in their whole postings.
            ids = np.concatenate([arrays[i] for i in rare])
            bits = np.repeat(np.asarray([weights[i] for i in rare]), [len(arrays[i]) for i in rare])
            unique, inverse = np.unique(ids, return_inverse=True)
            totals = np.bincount(inverse, weights=bits).astype(np.float64)
        else:
            # Only common parts (Mohamed Ahmed): the persons who have them all, or most.
            ordered = sorted(common, key=lambda i: len(arrays[i]))
            unique = arrays[ordered[0]]
            for i in ordered[1:]:
                narrower = np.intersect1d(unique, arrays[i], assume_unique=True)
                if len(narrower) == 0:
                    break
                unique = narrower
            totals = np.zeros(len(unique), dtype=np.float64)
        totals = totals + _shared_bits(
            unique, [arrays[i] for i in common], [weights[i] for i in common]
        )
        return unique, totals

    def _rank_bits(
        self,
        unique: npt.NDArray[np.int32],
        birth: BirthDate | None,
        same_day: npt.NDArray[np.int32] | None,
        nationality: str | None,
        sex: str | None,
    ) -> npt.NDArray[np.float64]:
        """What ranks namesakes beyond their names: the evidence the scoring will count."""
        w = self._w
        bits = np.zeros(len(unique), dtype=np.float64)
        if birth is not None:
            years = self._years[unique]
            bits += np.where(
                years == birth.year,
                w.retrieval_year_bits,
                np.where(
                    (years > 0) & (np.abs(years - birth.year) > 1), -w.retrieval_year_bits, 0.0
                ),
            )
            if same_day is not None:
                bits += np.isin(unique, same_day) * w.retrieval_same_day_bits
        state = self._states.get((nationality or "").upper())
        if nationality:
            first, second = self._first_state[unique], self._second_state[unique]
            agrees = (first == state) | (second == state) if state else np.zeros(len(unique), bool)
            bits += np.where(
                agrees,
                w.nationality_agrees_bits,
                np.where(first > 0, w.nationality_differs_bits, 0.0),
            )
        wanted = _SEXES.get((sex or "").upper(), 0)
        if wanted:
            sexes = self._sexes[unique]
            bits += np.where(
                sexes == wanted, w.sex_agrees_bits, np.where(sexes > 0, w.sex_differs_bits, 0.0)
            )
        return bits

    def _near_keys(self, skeleton: str) -> set[str]:
        """Keys one letter from ``skeleton`` (inserted, deleted or changed)."""
        if len(skeleton) < 3:
            return set()
        near = set(self._near.get(skeleton, ()))
        for deleted in _deletions(skeleton):
            if deleted in self._postings and len(deleted) >= 2:
                near.add(deleted)
            near.update(self._near.get(deleted, ()))
        near.discard(skeleton)
        return near


def _shared_bits(
    persons: npt.NDArray[np.int32],
    arrays: Sequence[npt.NDArray[np.int32]],
    weights: Sequence[float],
) -> npt.NDArray[np.float64]:
    """The weight of the keys each of ``persons`` is filed under among ``arrays``
    (postings, ascending)."""
    shared = np.zeros(len(persons), dtype=np.float64)
    for posting, weight in zip(arrays, weights, strict=True):
        at = np.minimum(np.searchsorted(posting, persons), len(posting) - 1)
        shared += (posting[at] == persons) * weight
    return shared


_Packed = tuple[list[Any], "npt.NDArray[np.int64]", "npt.NDArray[np.int32]"]


def _packed(arrays: dict[Any, npt.NDArray[np.int32]]) -> _Packed:
    """A map of arrays as its keys, their offsets and one array."""
    keys = list(arrays)
    offsets = np.cumsum([0, *(len(arrays[key]) for key in keys)], dtype=np.int64)
    flat = np.concatenate([arrays[key] for key in keys]) if keys else np.empty(0, np.int32)
    return keys, offsets, flat


def _unpacked(packed: _Packed) -> dict[Any, npt.NDArray[np.int32]]:
    """The map :func:`_packed` saved (its arrays are views of the one array)."""
    keys, offsets, flat = packed
    return {key: flat[offsets[at] : offsets[at + 1]] for at, key in enumerate(keys)}
