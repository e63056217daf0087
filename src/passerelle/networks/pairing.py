"""Pairing timed records in DuckDB: who passed the same place within minutes of whom.

The records (a crossing, or an inspection with a vehicle) are fed to an in-process
DuckDB as an Arrow table (no extension, no file). Each record falls in a time
bucket as wide as the window; a record is joined only with the records of its own
group (a point and a direction, or a vehicle at a point and a direction) in its
bucket and the two beside it, then kept when the two are within the window. That
is a hash join on ``(group, bucket)``: the work grows with the records and how
crowded a window is, never with the square of a crossing point's traffic.

>>> records = TimedRecords()
>>> for person, at in (("a", 0), ("b", 60), ("c", 7200), ("a", 86400), ("b", 86500)):
...     records.add(person=person, group="NDR|exit", at=at, id=f"{person}{at}")
>>> [(p.first, p.second, p.occasions) for p in pair_within(records, window_s=600)]
[('a', 'b', 2)]
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import duckdb
import pyarrow as pa

__all__ = ["PairedRecords", "TimedRecords", "pair_within"]


@dataclass(slots=True)
class TimedRecords:
    """Records as columns: whose, which group, when (UTC epoch seconds), which record."""

    persons: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    times: list[int] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)

    def add(self, *, person: str, group: str, at: int, id: str) -> None:
        self.persons.append(person)
        self.groups.append(group)
        self.times.append(at)
        self.ids.append(id)

    def __len__(self) -> int:
        return len(self.ids)

    def table(self) -> tuple[pa.Table, list[str]]:
        """The records as an Arrow table of integers (persons and groups coded, each record
        by its position: DuckDB joins and groups integers far faster than text), and the
        persons by code."""
        persons: dict[str, int] = {}
        groups: dict[str, int] = {}
        table = pa.table(
            {
                "person": pa.array(
                    [persons.setdefault(p, len(persons)) for p in self.persons], pa.int32()
                ),
                "grp": pa.array(
                    [groups.setdefault(g, len(groups)) for g in self.groups], pa.int32()
                ),
                "t": pa.array(self.times, pa.int64()),
                "rid": pa.array(range(len(self.ids)), pa.int64()),
            }
        )
        return table, list(persons)


@dataclass(frozen=True, slots=True)
class PairedRecords:
    """Two persons (``first < second``) met ``occasions`` times; the first pairs of records."""

    first: str
    second: str
    occasions: int
    pairs: tuple[tuple[str, str], ...]
    """``(first's record, second's record)``, the earliest first."""


_QUERY = """
WITH r AS (
    SELECT person, grp, t, rid, CAST(floor(t / {window}) AS BIGINT) AS bucket FROM records
),
shifted AS (
    SELECT person, grp, t, rid, bucket + d AS bucket
    FROM r CROSS JOIN (VALUES (-1), (0), (1)) AS offsets(d)
),
met AS MATERIALIZED (
    SELECT
        least(a.person, b.person) AS p1,
        greatest(a.person, b.person) AS p2,
        CASE WHEN a.person < b.person THEN a.rid ELSE b.rid END AS r1,
        CASE WHEN a.person < b.person THEN b.rid ELSE a.rid END AS r2,
        least(a.t, b.t) AS t
    FROM r AS a JOIN shifted AS b ON a.grp = b.grp AND a.bucket = b.bucket
    WHERE a.person <> b.person AND abs(a.t - b.t) <= {window} AND a.rid < b.rid
),
kept AS (
    SELECT p1, p2 FROM met GROUP BY p1, p2 HAVING count(DISTINCT r1) >= {at_least}
)
SELECT met.p1, met.p2, count(DISTINCT met.r1) AS occasions,
       list_slice(list([met.r1, met.r2] ORDER BY met.t, met.r1), 1, {keep})
FROM met SEMI JOIN kept ON met.p1 = kept.p1 AND met.p2 = kept.p2
GROUP BY met.p1, met.p2
"""


def pair_within(
    records: TimedRecords, *, window_s: int, at_least: int = 1, keep: int = 20
) -> Iterator[PairedRecords]:
    """The pairs of persons whose records of one group fall within ``window_s`` seconds of
    each other on at least ``at_least`` occasions, with the first ``keep`` pairs of records."""
    if window_s < 1 or at_least < 1 or keep < 1:
        raise ValueError("window_s, at_least and keep must be positive")
    if not records:
        return
    table, persons = records.table()
    connection = duckdb.connect()
    try:
        connection.register("records", table)
        query = _QUERY.format(window=int(window_s), at_least=int(at_least), keep=int(keep))
        rows = connection.execute(query).fetchall()
    finally:
        connection.close()
    ids = records.ids
    found = []
    for first, second, occasions, pairs in rows:
        a, b = persons[first], persons[second]
        ordered = [(ids[x], ids[y]) for x, y in pairs]
        if b < a:  # coded in order of appearance: put the pair in key order
            a, b = b, a
            ordered = [(y, x) for x, y in ordered]
        found.append(PairedRecords(a, b, int(occasions), tuple(ordered)))
    yield from sorted(found, key=lambda paired: (paired.first, paired.second))
