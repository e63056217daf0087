"""The screening index: find the watchlist persons a name may be, and say why.

:meth:`ScreeningIndex.build` parses every listed name once (names repeat: a
million persons carry far fewer distinct ones), weighs each name part by how
rare it is (the lexicon's shares, and on a large list its own counts), and files
the persons for :mod:`passerelle.names.retrieval`; :meth:`ScreeningIndex.screen`
compares the retrieved candidates in full (:mod:`passerelle.names.compare`, the
date of birth, nationality and sex of :mod:`passerelle.names.evidence`) and
ranks them.

The retrieval knobs and the scoring weights are fields of
:class:`~passerelle.names.weights.NameWeights`, given to :meth:`ScreeningIndex.build`.
"""

from __future__ import annotations

import heapq
import math
from collections import ChainMap, Counter
from collections.abc import Iterable, MutableMapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

from passerelle.i18n import N_
from passerelle.i18n.wording import Wording, worded
from passerelle.names.columns import ListedPersons, PersonLike, Postings, gather
from passerelle.names.compare import (
    BirthDate,
    Evidence,
    NameAlignment,
    NameItems,
    Similarity,
    align_names,
    alignment_wordings,
    calibrated,
    compare_birth_dates,
    compare_nationality,
    compare_sex,
    name_items,
)
from passerelle.names.lexicon import COMMON_SHARES, COMMON_WORDS
from passerelle.names.parse import parse_name, unweighed_words
from passerelle.names.retrieval import Retrieval
from passerelle.names.weights import DEFAULT_WEIGHTS, NameWeights

__all__ = ["NameMatch", "NameQuery", "ScreenedPerson", "ScreeningIndex"]


@dataclass(frozen=True, slots=True)
class ScreenedPerson:
    """A watchlist person held in memory (tests, benchmarks, files)."""

    id: str
    names: tuple[str, ...]
    birth_date: str | None = None
    nationalities: tuple[str, ...] = ()
    sex: str | None = None


@dataclass(frozen=True, slots=True)
class NameQuery:
    """Who is screened: a name (any script, or MRZ form) and what else is known."""

    name: str
    birth_date: str | None = None
    nationality: str | None = None
    sex: str | None = None


@dataclass(frozen=True, slots=True)
class NameMatch:
    """A watchlist person the query may be, with a calibrated score and the reasons."""

    id: str
    score: float
    reasons: tuple[str, ...]
    name: str
    """The person's name form that matched best."""
    wordings: tuple[Wording, ...] = ()
    """The reasons as sentences to write in any language (``i18n.wording``)."""

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "score": round(self.score, 4), "reasons": list(self.reasons)}


@lru_cache(maxsize=1)
def _prior_shares() -> dict[str, float]:
    """Population shares by skeleton: the lexicon's, and its common words' skeletons."""
    shares = dict(COMMON_SHARES)
    for word, share in COMMON_WORDS.items():
        for part in parse_name(word):
            shares[part.skeleton] = max(shares.get(part.skeleton, 0.0), share)
    return shares


class ScreeningIndex:
    """Watchlist persons indexed for name screening, with the weights they are scored by."""

    def __init__(
        self,
        listed: ListedPersons,
        postings: Postings,
        *,
        weights: NameWeights = DEFAULT_WEIGHTS,
        scored_as: ScreeningIndex | None = None,
    ) -> None:
        self._w = weights
        self._persons = listed
        # a patch of ``scored_as`` weighs each key as it does (a key it lacks, as a
        # build of both would: its count among all the persons)
        counted = listed if scored_as is None else scored_as._persons
        total = max(len(counted), 1)
        own = len(counted) >= weights.own_counts_from
        shares = _prior_shares()
        unknown = weights.unknown_part_share
        persons_by_key = np.diff(postings.offsets).tolist()
        known: dict[str, float] = {} if scored_as is None else scored_as._weights
        self._weights: dict[str, float] = {
            key: known[key]
            if key in known
            else -math.log2(max(shares.get(key, unknown), count / total if own else 0.0))
            for key, count in zip(postings.keys, persons_by_key, strict=True)
        }
        self._default_weight = -math.log2(unknown)
        # a query's parts weigh what they weigh here, or else in the index patched
        self._query_weights: MutableMapping[str, float] = (
            self._weights
            if scored_as is None
            else ChainMap(self._weights, scored_as._query_weights)
        )
        self._retrieval = Retrieval(
            postings.as_map(),
            self._weights,
            (listed.birth_table, listed.births),
            (listed.nationality_table, listed.nationalities),
            (listed.sex_table, listed.sexes),
            weights,
        )
        bits, default = self._weights, self._default_weight
        # names repeat, and ``gather`` shares the parts of a name: share its items too
        # (by identity: hashing millions of tuples of parts costs more than it saves)
        ready: dict[int, tuple[NameItems, int]] = {}
        shared: dict[tuple[int, ...], Any] = {}
        for bearers in listed.bearer_table:
            for form in bearers.forms:
                items = ready.get(id(form))
                if items is None:
                    items = ready[id(form)] = (
                        name_items(form, bits, default, shared=shared),
                        len(form),
                    )
                bearers.items.append(items)

    @classmethod
    def build(
        cls,
        persons: Iterable[PersonLike],
        *,
        weights: NameWeights = DEFAULT_WEIGHTS,
        scored_as: ScreeningIndex | None = None,
    ) -> ScreeningIndex:
        """Index ``persons`` (store rows or ``ScreenedPerson``), to be screened by ``weights``.

        ``persons`` is read once, as a stream (:func:`~passerelle.names.columns.gather`):
        each person is kept as a few numbers; each distinct name is parsed once.
        ``scored_as``: a larger index these persons patch (``names.patched``); each of
        their name parts weighs what it weighs there, so a person scores the same in
        either.
        """
        listed, postings = gather(persons)
        return cls(listed, postings, weights=weights, scored_as=scored_as)

    def __len__(self) -> int:
        return len(self._persons)

    @property
    def weights(self) -> NameWeights:
        """The weights this index scores by."""
        return self._w

    def key_counts(self) -> Counter[str]:
        """Persons per key (for benchmarks and reports)."""
        return self._retrieval.key_counts()

    def screen(
        self,
        query: NameQuery,
        *,
        top: int = 10,
        threshold: float = 0.0,
        exhaustive: bool = False,
        dropped: npt.NDArray[np.int32] | None = None,
    ) -> list[NameMatch]:
        """The persons ``query`` may be, best first: at most ``top``, scores ≥ ``threshold``.

        ``exhaustive`` compares every person instead of the retrieved candidates:
        for tests that check retrieval loses nothing, far too slow for a border.
        ``dropped``: numbers (:meth:`numbers_of`) of persons this index must not answer
        for (withdrawn or changed since it was built), left out before retrieval ranks
        and keeps its candidates, as if they were not listed.
        """
        parts = parse_name(query.name)
        if not parts:
            return []
        items = name_items(parts, self._query_weights, self._default_weight)
        birth = BirthDate.parse(query.birth_date)
        numbers = (
            sorted(set(range(len(self._persons))).difference(() if dropped is None else dropped))
            if exhaustive
            else self._retrieval.candidates(parts, birth, query.nationality, query.sex, dropped)
        )
        similar: Similarity = {}
        scored = [
            found
            for number in numbers
            if (found := self._compare(items, len(parts), birth, query, number, similar))
            is not None
            and found.score >= threshold
        ]
        # best first, ties by id: the reasons are written for the few shown only
        best = heapq.nsmallest(top, scored, key=_rank) if top > 0 else []
        unweighed = unweighed_words(query.name) if best else ()
        return [self._match(found, unweighed) for found in best]

    def numbers_of(self, ids: Iterable[str]) -> npt.NDArray[np.int32]:
        """The numbers of the listed persons among ``ids``, ascending (others are not here)."""
        found = (self._persons.number_of(one) for one in ids)
        return np.unique(np.asarray([n for n in found if n is not None], dtype=np.int32))

    def explain(self, query: NameQuery, person_id: str) -> NameMatch | None:
        """How ``query`` scores against the listed person ``person_id``, whether or not
        retrieval would have compared them (reports and tuning: "why not this one?").
        ``None`` when the names share too little to be compared, or no such person."""
        number = self._persons.number_of(person_id)
        parts = parse_name(query.name)
        if number is None or not parts:
            return None
        items = name_items(parts, self._query_weights, self._default_weight)
        birth = BirthDate.parse(query.birth_date)
        found = self._compare(items, len(parts), birth, query, number, {})
        return None if found is None else self._match(found, unweighed_words(query.name))

    def candidates(self, query: NameQuery) -> list[str]:
        """Ids of the persons ``screen`` would compare in full (for reports and tuning)."""
        numbers = self._retrieval.candidates(
            parse_name(query.name), BirthDate.parse(query.birth_date), query.nationality, query.sex
        )
        return [self._persons.id_of(number) for number in numbers]

    def _compare(
        self,
        query_items: NameItems,
        query_parts: int,
        birth: BirthDate | None,
        query: NameQuery,
        number: int,
        similar: Similarity,
    ) -> _Scored | None:
        w = self._w
        persons = self._persons
        best: NameAlignment | None = None
        form_number = 0
        cover = w.min_coverage
        for at, (items, count) in enumerate(persons.named(number).items):
            alignment = align_names(
                query_items, items, query_parts, count, similar, weights=w, min_coverage=cover
            )
            if best is None or alignment.bits > best.bits:
                best, form_number = alignment, at
        if best is None or best.coverage < w.min_coverage:
            return None
        bits = best.bits
        contradicted = best.siblings
        evidence = (
            compare_birth_dates(birth, persons.birth(number), weights=w),
            compare_nationality(query.nationality, persons.nationalities_of(number), weights=w),
            compare_sex(query.sex, persons.sex(number), weights=w),
        )
        for one in evidence:
            bits += one.bits
            contradicted = contradicted or one.contradicts
        if contradicted:  # a namesake: never an alert, however close the names
            bits = min(bits, w.alert_bits - w.contradicted_margin_bits)
        return _Scored(
            calibrated(bits, weights=w), persons.id_of(number), number, form_number, best, evidence
        )

    def _match(self, found: _Scored, unweighed: tuple[str, ...] = ()) -> NameMatch:
        """The match of a scored person, with its reasons written out (and the query's
        titles and initials, which neither earned nor cost)."""
        reasons = alignment_wordings(found.alignment)
        reasons.extend(
            worded(N_("%(word)s: a title or initial, not weighed"), word=word) for word in unweighed
        )
        for one in found.evidence:
            reasons.extend(one.wordings)
        return NameMatch(
            found.id,
            found.score,
            tuple(reason.english for reason in reasons),
            self._persons.named(found.number).names[found.form],
            tuple(reasons),
        )


@dataclass(frozen=True, slots=True)
class _Scored:
    """A person compared with a query: the score, and what its reasons will be made of."""

    score: float
    id: str
    number: int
    form: int
    alignment: NameAlignment
    evidence: tuple[Evidence, ...]


def _rank(found: _Scored) -> tuple[float, str]:
    return -found.score, found.id
