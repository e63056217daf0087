"""The unusual-pattern rules: pure passes over crossings in the order :mod:`.events` reads them.

Each rule yields :class:`PatternFinding` values: the rule's code, the crossings behind
it and a sentence saying why (a wording, written in the reader's language). A finding
is a lead for a person to look into, never a decision on its own.

- :func:`impossible_travel`: one document at two points sooner than the rule's speed
  allows between them (``used_at_once`` when within ``at_once_minutes``);
- :func:`repeated_entries`: ``min_entries`` entries in a row, no exit between, within
  ``window_days``;
- :func:`sequential_documents`: ``min_documents`` documents of one issuing state and
  series (same letters, same number of digits) whose numbers step by at most
  ``max_number_gap``, crossing within ``window_minutes``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import groupby
from typing import Any

from passerelle.analytics.risk.events import CrossingEvent
from passerelle.analytics.risk.geo import CrossingMap, distance_km
from passerelle.analytics.risk.rules import EntriesRule, SeriesRule, TravelRule
from passerelle.i18n import N_
from passerelle.i18n.wording import Wording, worded

__all__ = [
    "RULES",
    "PatternFinding",
    "impossible_travel",
    "repeated_entries",
    "sequential_documents",
    "series_of",
]

RULES = ("impossible_travel", "used_at_once", "repeated_entries", "sequential_documents")
_NUMBER = re.compile(r"^(.*?)(\d+)$")


@dataclass(frozen=True, slots=True)
class PatternFinding:
    """What a rule found: its code, the crossings behind it, and why, in a sentence."""

    rule: str
    records: tuple[CrossingEvent, ...]
    reason: Wording
    inspections: dict[int, str] = field(default_factory=dict, compare=False)
    """The inspection behind each crossing that has one (crossing id -> inspection id)."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "reason": self.reason.english,
            "records": [
                {**r.as_dict(), "inspection_id": self.inspections.get(r.id)} for r in self.records
            ],
        }


def _document(event: CrossingEvent) -> str:
    return f"{event.issuing_state} {event.document_number}"


def impossible_travel(
    events: Iterable[CrossingEvent], rule: TravelRule, places: CrossingMap
) -> Iterator[PatternFinding]:
    """Consecutive crossings of a document at two points closer in time than travel allows.

    Two points farther apart than ``max_speed_kmh`` covers in the time between are an
    impossible journey; two different points within ``at_once_minutes`` are a document
    used twice at once, whatever their distance (or when the map lacks one of them).
    The same point twice is never a finding (a rescan, a return).
    """
    for _, crossings in groupby(events, key=lambda e: e.document):
        previous: CrossingEvent | None = None
        for current in crossings:
            if previous is not None and previous.crossing_point != current.crossing_point:
                found = _travel_finding(previous, current, rule, places)
                if found is not None:
                    yield found
            previous = current


def _travel_finding(
    first: CrossingEvent, second: CrossingEvent, rule: TravelRule, places: CrossingMap
) -> PatternFinding | None:
    minutes = (second.at - first.at).total_seconds() / 60
    if minutes <= rule.at_once_minutes:
        said = worded(
            N_(
                "Document %(document)s was used at %(first)s and at %(second)s "
                "%(minutes)s minutes apart: one document used twice at once."
            ),
            document=_document(first),
            first=first.crossing_point,
            second=second.crossing_point,
            minutes=round(minutes),
        )
        return PatternFinding("used_at_once", (first, second), said)
    a, b = places.point(first.crossing_point), places.point(second.crossing_point)
    if a is None or b is None:
        return None
    km = distance_km(a, b)
    needed = km / rule.max_speed_kmh * 60
    if minutes >= needed:
        return None
    said = worded(
        N_(
            "Document %(document)s crossed at %(first)s, then at %(second)s %(minutes)s "
            "minutes later; the points are %(km)s km apart, at least %(needed)s minutes at "
            "%(speed)s km/h."
        ),
        document=_document(first),
        first=first.crossing_point,
        second=second.crossing_point,
        minutes=round(minutes),
        km=round(km),
        needed=round(needed),
        speed=round(rule.max_speed_kmh),
    )
    return PatternFinding("impossible_travel", (first, second), said)


def repeated_entries(
    events: Iterable[CrossingEvent], rule: EntriesRule
) -> Iterator[PatternFinding]:
    """Runs of entries of one document with no exit between: ``min_entries`` within the window.

    An entry then an exit, then an entry again, is ordinary: the exit ends the run.
    """
    window = timedelta(days=rule.window_days)
    for _, crossings in groupby(events, key=lambda e: e.document):
        run: list[CrossingEvent] = []
        for event in crossings:
            if event.direction == "entry":
                run.append(event)
                continue
            yield from _entries_finding(run, rule.min_entries, window)
            run = []
        yield from _entries_finding(run, rule.min_entries, window)


def _entries_finding(
    run: list[CrossingEvent], least: int, window: timedelta
) -> Iterator[PatternFinding]:
    if len(run) < least:
        return
    if not any(run[n + least - 1].at - run[n].at <= window for n in range(len(run) - least + 1)):
        return
    said = worded(
        N_(
            "Document %(document)s entered %(count)s times in a row with no exit recorded "
            "between, from %(first)s to %(last)s."
        ),
        document=_document(run[0]),
        count=len(run),
        first=run[0].at.strftime("%Y-%m-%d %H:%M"),
        last=run[-1].at.strftime("%Y-%m-%d %H:%M"),
    )
    yield PatternFinding("repeated_entries", tuple(run), said)


def series_of(number: str) -> tuple[str, int, int] | None:
    """A document number's series (its letters before the final digits), digits count and value.

    >>> series_of("AB1234567"), series_of("X"), series_of("123")
    (('AB', 7, 1234567), None, ('', 3, 123))
    """
    match = _NUMBER.match(number)
    if match is None:
        return None
    return (match.group(1), len(match.group(2)), int(match.group(2)))


def sequential_documents(
    events: Iterable[CrossingEvent], rule: SeriesRule
) -> Iterator[PatternFinding]:
    """Bursts of documents with close numbers in one series, crossing close in time.

    Reads the crossings by issuing state then time; keeps, per series, those within
    ``window_minutes`` of the oldest kept; each time the window moves on, the documents
    in it are sorted by number and cut where two step by more than ``max_number_gap``:
    a chain of ``min_documents`` or more is a burst. A chain sharing a document with a
    burst already found grows that burst, so a burst is one finding, whole.
    """
    window = timedelta(minutes=rule.window_minutes)
    for _, crossings in groupby(events, key=lambda e: e.issuing_state):
        open_windows: dict[tuple[str, int], list[tuple[int, CrossingEvent]]] = {}
        bursts: list[dict[str, CrossingEvent]] = []
        owner: dict[str, int] = {}
        for event in crossings:
            series = series_of(event.document_number)
            if series is None:
                continue
            letters, digits, value = series
            kept = open_windows.setdefault((letters, digits), [])
            while kept and event.at - kept[0][1].at > window:
                kept.pop(0)
            kept.append((value, event))
            for chain in _chains(kept, rule):
                known = next(
                    (owner[e.document_number] for e in chain if e.document_number in owner), None
                )
                if known is None:
                    known = len(bursts)
                    bursts.append({})
                for member in chain:
                    bursts[known].setdefault(member.document_number, member)
                    owner[member.document_number] = known
        for burst in bursts:
            yield _series_finding(sorted(burst.values(), key=lambda r: (r.at, r.id)))


def _chains(kept: list[tuple[int, CrossingEvent]], rule: SeriesRule) -> list[list[CrossingEvent]]:
    """The chains of ``min_documents`` or more close numbers among the kept crossings."""
    if len(kept) < rule.min_documents:
        return []
    first: dict[int, CrossingEvent] = {}
    for value, event in kept:
        first.setdefault(value, event)
    numbers = sorted(first)
    chains: list[list[int]] = [[numbers[0]]]
    for number in numbers[1:]:
        if number - chains[-1][-1] <= rule.max_number_gap:
            chains[-1].append(number)
        else:
            chains.append([number])
    return [[first[v] for v in chain] for chain in chains if len(chain) >= rule.min_documents]


def _series_finding(records: list[CrossingEvent]) -> PatternFinding:
    numbers = sorted(r.document_number for r in records)
    minutes = (records[-1].at - records[0].at).total_seconds() / 60
    said = worded(
        N_(
            "%(count)s documents of %(state)s with close numbers (%(first)s to %(last)s) "
            "crossed within %(minutes)s minutes."
        ),
        count=len(records),
        state=records[0].issuing_state,
        first=numbers[0],
        last=numbers[-1],
        minutes=round(minutes),
    )
    return PatternFinding("sequential_documents", tuple(records), said)
