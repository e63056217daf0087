"""Building a period's links, kind by kind, from what the store holds.

- ``co_travel_time``: the same crossing point, the same way, within the window,
  at least ``time_min_occasions`` times (once is chance): crossings paired in DuckDB
  (``pairing``);
- ``co_travel_vehicle``: declared in the same vehicle at the same point, the same way,
  within the vehicle window (the same crossing): inspections paired the same way;
- ``shared_document``: the same holder (name and birth date as the document reads)
  on two documents, two persons an identity link may merge;
- ``shared_address``, ``shared_phone``, ``same_party``: the same value given with
  the inspections of both;
- ``same_alert``: hit reviews of the same alert; ``same_case``: hit reviews linked to
  the same case (``store.cases``).

A value shared by more than ``max_group_size`` persons draws no link (a hotel's
address, a coach's booking) and is counted in ``left_out``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from itertools import combinations

from sqlalchemy.orm import Session

from passerelle.exc import InvalidInput
from passerelle.i18n import N_
from passerelle.i18n.wording import Wording, worded
from passerelle.networks import sources
from passerelle.networks.model import Evidence, LeftOut, Link
from passerelle.networks.pairing import TimedRecords, pair_within
from passerelle.networks.parameters import EDGE_KINDS, NetworkParameters

__all__ = ["build_links", "checked_kinds"]


def checked_kinds(kinds: Iterable[str] | None) -> tuple[str, ...]:
    """The link kinds asked, in the canonical order (all when none is named)."""
    if kinds is None:
        return EDGE_KINDS
    asked = set(kinds)
    unknown = asked - set(EDGE_KINDS)
    if unknown:
        raise InvalidInput(
            "kinds",
            worded(
                N_("%(given)s: not one of %(kinds)s"),
                given=", ".join(sorted(unknown)),
                kinds=", ".join(EDGE_KINDS),
            ),
        )
    return tuple(kind for kind in EDGE_KINDS if kind in asked) or EDGE_KINDS


@dataclass
class _Links:
    """The links found so far, keyed by kind and pair, and the values left out."""

    keep: int
    links: dict[tuple[str, str, str], Link] = field(default_factory=dict)
    left_out: list[LeftOut] = field(default_factory=list)

    def add(self, link: Link) -> None:
        key = (link.kind, link.source, link.target)
        old = self.links.get(key)
        if old is not None:  # the same pair by two values of one kind: one link
            records = tuple(sorted({*old.records, *link.records}, key=_record_order))
            link = Link(
                old.source,
                old.target,
                old.kind,
                old.occasions + link.occasions,
                records[: self.keep],
                old.reason,
            )
        self.links[key] = link


class _Lazy(dict[str, Evidence]):
    """Evidence made from a record's row when a link first needs it (not for every row)."""

    def __init__(self, make: Callable[[str], Evidence]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, rid: str) -> Evidence:
        made = self[rid] = self.make(rid)
        return made


def _record_order(record: Evidence) -> tuple[str, str]:
    return (record.at.isoformat() if record.at else "", record.id)


def _seconds(at: datetime) -> int:
    return int(at.timestamp())


def _points(records: Iterable[Evidence]) -> str:
    return ", ".join(sorted({r.point for r in records if r.point}))


def _co_travel(
    found: _Links,
    *,
    kind: str,
    records: TimedRecords,
    evidence: Mapping[str, Evidence],
    window_minutes: int,
    at_least: int,
    reason: Callable[[int, tuple[Evidence, ...]], Wording],
) -> None:
    for paired in pair_within(
        records, window_s=window_minutes * 60, at_least=at_least, keep=found.keep
    ):
        behind = tuple(evidence[rid] for pair in paired.pairs for rid in pair)[: found.keep]
        found.add(
            Link(
                paired.first,
                paired.second,
                kind,
                paired.occasions,
                behind,
                reason(paired.occasions, behind),
            )
        )


def _co_travel_time(
    session: Session, since: datetime, until: datetime, found: _Links, parameters: NetworkParameters
) -> None:
    records = TimedRecords()
    rows: dict[str, sources.CrossingRow] = {}
    for row in sources.crossings(session, since, until):
        rid = f"crossing:{row.id}"
        records.add(
            person=row.person, group=f"{row.point}|{row.direction}", at=_seconds(row.at), id=rid
        )
        rows[rid] = row
    evidence = _Lazy(
        lambda rid: Evidence(
            "crossing",
            str(rows[rid].id),
            rows[rid].person,
            rows[rid].at,
            rows[rid].point,
            rows[rid].direction,
        )
    )
    minutes = parameters.time_window_minutes
    _co_travel(
        found,
        kind="co_travel_time",
        records=records,
        evidence=evidence,
        window_minutes=minutes,
        at_least=parameters.time_min_occasions,
        reason=lambda count, behind: worded(
            N_(
                "Crossed at the same point, the same way, within %(minutes)s minutes of each "
                "other; occasions: %(count)s (%(points)s)"
            ),
            minutes=minutes,
            count=count,
            points=_points(behind),
        ),
    )


def _context_links(
    rows: list[sources.ContextRow],
    found: _Links,
    parameters: NetworkParameters,
    kinds: Collection[str],
) -> None:
    if "co_travel_vehicle" in kinds:
        records, evidence = TimedRecords(), {}
        plates: dict[str, str] = {}
        for row in rows:
            if row.vehicle_plate:
                rid = f"inspection:{row.id}"
                group = f"{row.vehicle_plate}|{row.point}|{row.direction}"
                records.add(person=row.person, group=group, at=_seconds(row.at), id=rid)
                evidence[rid] = Evidence(
                    "inspection", row.id, row.person, row.at, row.point, row.direction, row.id
                )
                plates[rid] = row.vehicle_plate
        _co_travel(
            found,
            kind="co_travel_vehicle",
            records=records,
            evidence=evidence,
            window_minutes=parameters.vehicle_window_minutes,
            at_least=parameters.vehicle_min_occasions,
            reason=lambda count, behind: worded(
                N_(
                    "Declared in the same vehicle (%(plate)s) at the same crossing; "
                    "occasions: %(count)s (%(points)s)"
                ),
                plate=", ".join(sorted({plates[f"inspection:{r.id}"] for r in behind})),
                count=count,
                points=_points(behind),
            ),
        )
    shared: tuple[tuple[str, Callable[[sources.ContextRow], str | None], str], ...] = (
        (
            "shared_document",
            lambda r: r.holder,
            N_(
                "The same holder (%(value)s) was read on both documents: one person with two "
                "documents, or one identity on two"
            ),
        ),
        (
            "shared_address",
            lambda r: r.address.casefold() if r.address else None,
            N_("Both gave the same address in the country (%(value)s)"),
        ),
        ("shared_phone", lambda r: r.phone, N_("Both gave the same phone number (%(value)s)")),
        (
            "same_party",
            lambda r: r.party_reference,
            N_("Both travelled under the same booking or group reference (%(value)s)"),
        ),
    )
    for kind, value_of, sentence in shared:
        if kind not in kinds:
            continue
        groups: dict[str, list[Evidence]] = defaultdict(list)
        shown: dict[str, str] = {}
        for row in rows:
            value = value_of(row)
            if value:
                groups[value].append(
                    Evidence(
                        "inspection", row.id, row.person, row.at, row.point, row.direction, row.id
                    )
                )
                shown.setdefault(
                    value, row.address if kind == "shared_address" and row.address else value
                )
        _group_links(found, kind, groups, shown, sentence, parameters)


def _group_links(
    found: _Links,
    kind: str,
    groups: dict[str, list[Evidence]],
    shown: dict[str, str],
    sentence: str,
    parameters: NetworkParameters,
) -> None:
    """A link between each two persons of a group sharing a value (small groups only)."""
    for value, records in groups.items():
        persons = sorted({r.person for r in records})
        if len(persons) < 2:
            continue
        if len(persons) > parameters.max_group_size:
            found.left_out.append(LeftOut(kind, len(persons)))
            continue
        for first, second in combinations(persons, 2):
            behind = tuple(
                sorted((r for r in records if r.person in (first, second)), key=_record_order)
            )
            found.add(
                Link(
                    first,
                    second,
                    kind,
                    len(behind),
                    behind[: found.keep],
                    worded(sentence, value=shown[value]),
                )
            )


def _review_links(
    rows: Iterable[sources.ReviewRow],
    found: _Links,
    kind: str,
    sentence: str,
    parameters: NetworkParameters,
) -> None:
    groups: dict[str, list[Evidence]] = defaultdict(list)
    for row in rows:
        groups[row.reference].append(
            Evidence("hit_review", str(row.id), row.person, row.at, None, None, row.inspection_id)
        )
    _group_links(found, kind, groups, {k: k for k in groups}, sentence, parameters)


def build_links(
    session: Session,
    since: datetime,
    until: datetime,
    parameters: NetworkParameters,
    kinds: Collection[str] = EDGE_KINDS,
) -> tuple[tuple[Link, ...], tuple[LeftOut, ...]]:
    """The links of the ``kinds`` asked among the records of ``since`` to ``until``.

    Links come sorted by kind (``EDGE_KINDS`` order), then by pair.
    """
    if until <= since:
        raise InvalidInput("until", worded(N_("must be after the start of the period")))
    found = _Links(keep=parameters.max_records_per_edge)
    if "co_travel_time" in kinds:
        _co_travel_time(session, since, until, found, parameters)
    if set(kinds) & {
        "co_travel_vehicle",
        "shared_document",
        "shared_address",
        "shared_phone",
        "same_party",
    }:
        rows = list(sources.inspections_with_context(session, since, until))
        _context_links(rows, found, parameters, kinds)
    if "same_alert" in kinds:
        _review_links(
            sources.reviews_of_alerts(session, since, until),
            found,
            "same_alert",
            N_("Both hit the same alert (%(value)s)"),
            parameters,
        )
    if "same_case" in kinds:
        _review_links(
            sources.case_reviews(session, since, until),
            found,
            "same_case",
            N_("Both are in the same case (%(value)s)"),
            parameters,
        )
    order = {kind: n for n, kind in enumerate(EDGE_KINDS)}
    links = sorted(
        found.links.values(), key=lambda link: (order[link.kind], link.source, link.target)
    )
    return tuple(links), tuple(found.left_out)
