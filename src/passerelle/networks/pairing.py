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

    def table(self) -> pa.Table:
        return pa.table(
            {
                "person": pa.array(self.persons, pa.string()),
                "grp": pa.array(self.groups, pa.string()),
                "t": pa.array(self.times, pa.int64()),
                "rid": pa.array(self.ids, pa.string()),
            }
        )


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
met AS (
    SELECT
        CASE WHEN a.person < b.person THEN a.person ELSE b.person END AS p1,
        CASE WHEN a.person < b.person THEN b.person ELSE a.person END AS p2,
        CASE WHEN a.person < b.person THEN a.rid ELSE b.rid END AS r1,
        CASE WHEN a.person < b.person THEN b.rid ELSE a.rid END AS r2,
        least(a.t, b.t) AS t
    FROM r AS a JOIN shifted AS b ON a.grp = b.grp AND a.bucket = b.bucket
    WHERE a.person <> b.person AND abs(a.t - b.t) <= {window} AND a.rid < b.rid
)
SELECT p1, p2, count(DISTINCT r1) AS occasions,
       list_slice(list([r1, r2] ORDER BY t, r1), 1, {keep})
FROM met
GROUP BY p1, p2
HAVING count(DISTINCT r1) >= {at_least}
ORDER BY p1, p2
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
    connection = duckdb.connect()
    try:
        connection.register("records", records.table())
        query = _QUERY.format(window=int(window_s), at_least=int(at_least), keep=int(keep))
        for first, second, occasions, pairs in connection.execute(query).fetchall():
            yield PairedRecords(first, second, int(occasions), tuple((p[0], p[1]) for p in pairs))
    finally:
        connection.close()
