"""How much a query and a watchlist person agree, in bits of evidence, with the reasons.

The score is a likelihood ratio in the Fellegi–Sunter manner, summed in bits:
each name part that agrees adds ``log2(1 / share)`` where ``share`` is how
common the part is (a match on "Mohamed" adds 4 bits, on a rare family name
12 or more), scaled down for a looser spelling agreement; a part the passport
shows and the record lacks costs bits, one the record has and the passport
lacks costs fewer (records carry fuller names). The birth date, nationality
and sex then add or take evidence: a full date of birth agreeing is worth
about as much as a rare family name, a year agreeing much less, and a date that
contradicts costs more than a common name earns — so "Mohamed Ben Ali, born
1990" never looks like "Mohamed Ben Ali, born 1985".

:func:`calibrated` maps bits to a score in [0, 1] on which ``DEFAULT_THRESHOLD``
means "worth a second look".

Every number that weighs evidence is a field of :class:`~passerelle.names.weights.NameWeights`
(each function takes ``weights=``, default :data:`~passerelle.names.weights.DEFAULT_WEIGHTS`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from passerelle.i18n import N_
from passerelle.i18n.wording import Wording, worded
from passerelle.names.evidence import (
    BirthDate,
    Evidence,
    compare_birth_dates,
    compare_nationality,
    compare_sex,
)
from passerelle.names.parse import NamePart
from passerelle.names.saved import SavedAsFields
from passerelle.names.similarity import look_alike, part_similarity, similarity_bits
from passerelle.names.weights import DEFAULT_WEIGHTS, NameWeights

__all__ = [
    "DEFAULT_THRESHOLD",
    "BirthDate",
    "Evidence",
    "NameAlignment",
    "NameItems",
    "align_names",
    "alignment_reasons",
    "alignment_wordings",
    "calibrated",
    "compare_birth_dates",
    "compare_names",
    "compare_nationality",
    "compare_sex",
    "look_alike",
    "name_items",
    "part_similarity",
    "similarity_bits",
]
# BirthDate, Evidence and the compare_* of dates, nationality and sex live in
# passerelle.names.evidence, the part similarities in passerelle.names.similarity:
# re-exported here, where the scoring is read as a whole.

DEFAULT_THRESHOLD = 0.7
"""The score from which a match is worth a second look (an alert)."""
_LOGIT_AT_THRESHOLD = math.log(DEFAULT_THRESHOLD / (1 - DEFAULT_THRESHOLD))


def calibrated(bits: float, *, weights: NameWeights = DEFAULT_WEIGHTS) -> float:
    """The score of ``bits`` of evidence: ``DEFAULT_THRESHOLD`` at ``weights.alert_bits``.

    >>> round(calibrated(DEFAULT_WEIGHTS.alert_bits), 3) == DEFAULT_THRESHOLD
    True
    """
    logit = (bits - weights.alert_bits) / weights.spread_bits + _LOGIT_AT_THRESHOLD
    return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, logit))))


@dataclass(frozen=True, slots=True)
class _Item(SavedAsFields):
    """A part, or two adjacent parts read as one (Fatima Zahra / Fatimazahra), and its bits."""

    part: NamePart
    positions: tuple[int, ...]
    bits: float


NameItems = list[_Item]
"""A name ready for comparison: its parts and adjacent pairs, with their bits."""


def _items(
    parts: Sequence[NamePart],
    weight: Mapping[str, float],
    default: float,
    shared: dict[tuple[int, ...], _Item] | None,
) -> list[_Item]:
    if shared is None:
        items = [
            _Item(part, (i,), weight.get(part.skeleton, default)) for i, part in enumerate(parts)
        ]
    else:
        items = []
        for i, part in enumerate(parts):
            item = shared.get((id(part), i))
            if item is None:
                item = shared[id(part), i] = _Item(part, (i,), weight.get(part.skeleton, default))
            items.append(item)
    for i in range(len(parts) - 1):
        a, b = parts[i], parts[i + 1]
        if not a.skeleton or not b.skeleton or len(a.skeleton) + len(b.skeleton) < 3:
            continue  # two one-consonant parts joined would match too much
        pair = shared.get((id(a), id(b), i)) if shared is not None else None
        if pair is not None:
            items.append(pair)
            continue
        merged = NamePart(
            f"{a.shown} {b.shown}",
            a.latin + b.latin if a.latin and b.latin else "",
            a.skeleton + b.skeleton,
            arabic=a.arabic or b.arabic,
            truncated=b.truncated,
        )
        pair = _Item(merged, (i, i + 1), items[i].bits + items[i + 1].bits)
        if shared is not None:
            shared[id(a), id(b), i] = pair
        items.append(pair)
    return items


def name_items(
    parts: Sequence[NamePart],
    weight: Mapping[str, float],
    default_weight: float,
    *,
    shared: dict[tuple[int, ...], _Item] | None = None,
) -> NameItems:
    """A name's parts (and adjacent pairs) with their bits, ready for :func:`compare_names`.

    ``shared`` lends the items of single parts across names (by the part's identity
    and place: an index's names share their parts), for the caller to keep while
    ``parts`` are alive.
    """
    return _items(parts, weight, default_weight, shared)


Similarity = dict[tuple[int, int], tuple[float, str]]
"""Part similarities already worked out, by the two parts' identities (one query's)."""


@dataclass(slots=True)
class NameAlignment:
    """The best alignment of a query name with a record name: its bits, the share of the
    query's bits, or of the record's, it covers (the larger), and what the reasons are
    made of (rendered on demand by :func:`alignment_reasons`: most alignments are never
    shown)."""

    bits: float
    coverage: float
    matched: list[tuple[_Item, _Item, str, float]]
    """(query item, record item, how they agree, bits gained), in the order taken."""
    conflicts: list[tuple[_Item, _Item, float]]
    """(query part, record part, bits lost): a part each side has and the other lacks."""
    missing: list[_Item]
    """Query parts the record lacks (each costs ``missing_cost`` bits)."""
    missing_cost: float = DEFAULT_WEIGHTS.missing_in_record_bits
    """What each of ``missing`` cost (``NameWeights.missing_in_record_bits``)."""
    siblings: bool = False
    """The given names differ while the chain after them (father, grandfather, family
    name) agrees: brothers and sisters, never the same person (a contradiction)."""


def compare_names(
    query: Sequence[_Item],
    record: Sequence[_Item],
    query_parts: int,
    record_parts: int,
    *,
    weights: NameWeights = DEFAULT_WEIGHTS,
) -> tuple[float, float, list[str]]:
    """(bits, coverage, reasons) of the best alignment of a query name with a record name.

    Both names come as :func:`name_items` (``*_parts``: how many single parts each
    has); ``coverage`` is the share of the query's bits that found a counterpart.
    """
    alignment = align_names(query, record, query_parts, record_parts, weights=weights)
    return alignment.bits, alignment.coverage, alignment_reasons(alignment)


def align_names(
    query: Sequence[_Item],
    record: Sequence[_Item],
    query_parts: int,
    record_parts: int,
    similar: Similarity | None = None,
    *,
    weights: NameWeights = DEFAULT_WEIGHTS,
    min_coverage: float = 0.0,
) -> NameAlignment:
    """The best alignment of two names (as :func:`compare_names`, reasons not rendered).

    ``similar`` keeps the part similarities of one query across records: records
    share their parts (a million persons have a few hundred thousand distinct
    ones), so a query compares "Mohamed" with "Mohammed" once, not once a record.
    An alignment covering less than ``min_coverage`` is not worked out further: its
    bits are minus infinity (the person is not scored on it).
    """
    w = weights
    query_items = query
    # ``similarity_bits`` written out (one call a pair of parts: a query compares some
    # sixty records): the same arithmetic, so the same bits
    floor = w.similarity_floor
    span = 1.0 - floor
    pairs: list[tuple[float, _Item, _Item, str]] = []
    query_singles, query_merged = query_items[:query_parts], query_items[query_parts:]
    record_singles, record_merged = record[:record_parts], record[record_parts:]
    for q in query_singles:
        q_part = q.part
        q_id = id(q_part)
        for r in record_singles:
            if similar is None:
                similarity, how = part_similarity(q_part, r.part, weights=w)
            else:
                known = similar.get((q_id, id(r.part)))
                if known is None:
                    known = similar[q_id, id(r.part)] = part_similarity(q_part, r.part, weights=w)
                similarity, how = known
            if similarity > 0.0:
                share = max(0.0, min(1.0, (similarity - floor) / span))
                pairs.append((share * r.bits, q, r, how))
    # Two parts read as one (Fatima Zahra / Fatimazahra): only when they agree letter
    # for letter or consonant for consonant; worth the single part's bits.
    for singles, merged, single_is_query in (
        (query_singles, record_merged, True),
        (record_singles, query_merged, False),
    ):
        for one in singles:
            for two in merged:
                if one.part.skeleton != two.part.skeleton and one.part.latin != two.part.latin:
                    continue
                q, r = (one, two) if single_is_query else (two, one)
                if similar is None:
                    similarity, how = part_similarity(q.part, r.part, weights=w)
                else:
                    pair = (id(q.part), id(r.part))
                    known = similar.get(pair)
                    if known is None:
                        known = similar[pair] = part_similarity(q.part, r.part, weights=w)
                    similarity, how = known
                if similarity >= w.merged_min_similarity:
                    gained = similarity_bits(similarity, weights=w) * one.bits
                    pairs.append((gained - w.merged_pair_discount_bits, q, r, how))
    pairs.sort(key=_gain)
    used_q: set[int] = set()
    used_r: set[int] = set()
    bits = 0.0
    matched: list[tuple[_Item, _Item, str, float]] = []
    for gained, q, r, how in pairs:
        if used_q.intersection(q.positions) or used_r.intersection(r.positions):
            continue
        used_q.update(q.positions)
        used_r.update(r.positions)
        bits += gained
        matched.append((q, r, how, gained))
    singles = query_singles
    query_bits = sum(item.bits for item in singles) or 1.0
    matched_bits = sum(item.bits for item in singles if item.positions[0] in used_q)
    # coverage: the share of the shorter name that found a counterpart (a passport's
    # two names within a record's five, or a record's three within a query's five)
    coverage = matched_bits / query_bits
    if coverage < min_coverage:
        record_bits = sum(item.bits for item in record_singles) or 1.0
        coverage = sum(i.bits for i in record_singles if i.positions[0] in used_r) / record_bits
        if coverage < min_coverage:
            return NameAlignment(-math.inf, coverage, matched, [], [], w.missing_in_record_bits)
    unmatched_query = [item for item in singles if item.positions[0] not in used_q]
    unmatched_record = [item for item in record[:record_parts] if item.positions[0] not in used_r]
    conflicts: list[tuple[_Item, _Item, float]] = []
    lone = True
    unlike = list(zip(unmatched_query, unmatched_record, strict=False))
    if len(unlike) > 1:
        unlike.sort(key=_pair_bits)
    for q_item, r_item in unlike:
        # Each side has a part the other lacks: siblings and namesakes differ just so,
        # and the rarer the two parts, the surer it is that they are two people. The
        # first such pair costs in proportion to the share of the query's name it is:
        # one part of four unlike (a kunya, a patronymic, a spelling past recognition)
        # does not undo the three that agree. Not when either is a first part (a
        # given name, or a family name written first): siblings share all but those;
        # nor in names of three parts or fewer, where one part is a third of the name
        # (Jorge Diaz Gil and Jorge Moreno Gil: another father).
        first = q_item.positions == (0,) or r_item.positions == (0,)
        long_name = max(query_parts, record_parts) >= w.lone_conflict_min_parts
        share = q_item.bits / query_bits if lone and long_name and not first else 1.0
        cost = w.conflict_bits + share * (q_item.bits + r_item.bits) / 2
        lone = False
        bits -= cost
        conflicts.append((q_item, r_item, cost))
    nasab = _nasab(matched, used_q, used_r, singles, record[:record_parts], w)
    if nasab is not None:
        gained, cost, q_item, r_item = nasab
        bits -= gained + cost
        conflicts.append((q_item, r_item, gained + cost))
    count = min(len(unmatched_query), len(unmatched_record))
    missing = unmatched_query[count:]
    for _ in missing:
        bits -= w.missing_in_record_bits
    bits -= w.missing_in_query_bits * min(
        len(unmatched_record) - count, w.missing_in_query_max_parts
    )
    if coverage < 1.0 and min_coverage == 0.0:  # all is worked out: say the larger share
        record_bits = sum(item.bits for item in record_singles) or 1.0
        covered = sum(i.bits for i in record_singles if i.positions[0] in used_r) / record_bits
        coverage = max(coverage, covered)
    siblings = (
        query_parts >= 3
        and record_parts >= 3
        and any(q.positions == r.positions == (0,) for q, r, _ in conflicts)
        and len(matched) >= 2
    )
    return NameAlignment(
        bits, coverage, matched, conflicts, missing, w.missing_in_record_bits, siblings
    )


def _gain(pair: tuple[float, _Item, _Item, str]) -> float:
    return -pair[0]


def _pair_bits(pair: tuple[_Item, _Item]) -> float:
    return pair[0].bits + pair[1].bits


def _nasab(
    matched: list[tuple[_Item, _Item, str, float]],
    used_q: set[int],
    used_r: set[int],
    query: Sequence[_Item],
    record: Sequence[_Item],
    w: NameWeights,
) -> tuple[float, float, _Item, _Item] | None:
    """A nasab chain read one generation off: (bits the given name earned, the conflict
    cost, the two first parts), or None.

    An Arabic name is a chain, one's own name then the father's and the grandfather's
    (Qusay Saddam Hussein is Qusay, son of Saddam, son of Hussein). When one side's
    first part is unmatched and the other side's given name (its first part) met the
    first side's second part, the two are father and son: the father's name earns
    nothing as a given name and the son's own name conflicts with it. A first part as
    common as Mohamed (under ``nasab_min_bits``) more often opens a compound given
    name (Mohamed Amine) than a son's chain, and is left alone.
    """
    if len(query) < 2 or len(record) < 2 or (0 in used_q and 0 in used_r):
        return None
    if query[0].part.particle or record[0].part.particle:
        return None  # Abu Walid is a kunya, Ben Ali a nasab written out: not a bare chain
    by_record = {r.positions: (q, gained) for q, r, _, gained in matched}
    by_query = {q.positions: (r, gained) for q, r, _, gained in matched}
    cost = w.conflict_bits + (query[0].bits + record[0].bits) / 2
    if 0 not in used_q and query[0].bits >= w.nasab_min_bits:
        found = by_record.get((0,))
        if found is not None and found[0].positions == (1,):
            return found[1], cost, query[0], record[0]
    if 0 not in used_r and record[0].bits >= w.nasab_min_bits:
        found = by_query.get((0,))
        if found is not None and found[0].positions == (1,):
            return found[1], cost, query[0], record[0]
    return None


def alignment_reasons(alignment: NameAlignment) -> list[str]:
    """The reasons of an alignment, as an officer reads them: agreements, then conflicts,
    then the query's parts the record lacks."""
    return [reason.english for reason in alignment_wordings(alignment)]


def alignment_wordings(alignment: NameAlignment) -> list[Wording]:
    """:func:`alignment_reasons` as sentences to write in any language (``i18n.wording``)."""
    reasons = [
        worded(
            N_("%(query)s ~ %(record)s (%(how)s, %(bits)s bits)"),
            query=q.part.shown,
            record=r.part.shown,
            how=worded(how) if how else "",
            bits=f"{gained:+.1f}",
        )
        for q, r, how, gained in alignment.matched
    ]
    reasons += [
        worded(
            N_("%(query)s / %(record)s: different name parts (%(bits)s)"),
            query=q.part.shown,
            record=r.part.shown,
            bits=f"{-cost:+.1f}",
        )
        for q, r, cost in alignment.conflicts
    ]
    if alignment.siblings:
        reasons.append(
            worded(N_("another given name, the rest of the name chain shared: a sibling"))
        )
    reasons += [
        worded(
            N_("%(part)s: not in the record (%(bits)s)"),
            part=item.part.shown,
            bits=f"{-alignment.missing_cost:+.1f}",
        )
        for item in alignment.missing
    ]
    return reasons
