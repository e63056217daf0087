"""The pattern rules over columns: the period's crossings in DuckDB, windows instead of a walk.

The period's crossings are fed to an in-process DuckDB as Arrow record batches read
from SQLAlchemy (:func:`crossing_columns`; the way :mod:`passerelle.networks.pairing`
feeds its pairing: no extension, no file), then each rule is a window query:

- **impossible travel**: ``LAG`` over each document's crossings by time gives each
  consecutive pair at two points; a pair is kept when it is within
  ``at_once_minutes`` or sooner than the rule's speed allows between the two points
  (a small table of the map's point pairs and the minutes each needs);
- **repeated entries**: each document's exits so far (a running ``SUM``) cut its
  crossings into runs; a run of entries is kept when ``LEAD(at, min_entries - 1)``
  of one of them is within the window;
- **sequential documents**: only a crossing with another of its series (state,
  letters, digit count) numbered at most ``max_number_gap`` away and within
  ``window_minutes`` can be in a burst (a hash join on number buckets as wide as
  the gap, as the pairing does on time): the Python pass runs on those alone.

Only the few crossings kept come back to Python, read again by id from the store,
and the findings are worded by :mod:`.patterns` on them, so that they are the same
findings as the Python pass over every crossing (:func:`.report.pattern_findings`,
the peer the tests compare with).
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations

import duckdb
import pyarrow as pa
from sqlalchemy import select
from sqlalchemy.orm import Session

from passerelle.analytics._sql import in_period
from passerelle.analytics.risk.events import CrossingEvent
from passerelle.analytics.risk.geo import CrossingMap, distance_km
from passerelle.analytics.risk.patterns import (
    PatternFinding,
    impossible_travel,
    repeated_entries,
    sequential_documents,
)
from passerelle.analytics.risk.query import RiskQuery
from passerelle.analytics.risk.rules import PatternRules
from passerelle.store.tables import Crossing

__all__ = ["BATCH", "columnar_findings", "crossing_columns"]

BATCH = 100_000
"""Crossings per Arrow record batch fed to DuckDB."""

_SCHEMA = pa.schema(
    [
        ("id", pa.int64()),
        ("state", pa.string()),
        ("number", pa.string()),
        ("nationality", pa.string()),
        ("point", pa.string()),
        ("direction", pa.string()),
        ("t", pa.int64()),  # UTC epoch microseconds
    ]
)
_US_PER_MINUTE = 60_000_000


def crossing_columns(session: Session, query: RiskQuery) -> Iterator[pa.RecordBatch]:
    """The period's crossings (every point: a double use needs both ends), batch by batch."""
    statement = select(
        Crossing.id,
        Crossing.issuing_state,
        Crossing.document_number,
        Crossing.nationality,
        Crossing.crossing_point,
        Crossing.direction,
        Crossing.at,
    ).where(*in_period(query.period, Crossing.at))

    result = session.execute(statement.execution_options(yield_per=BATCH))
    for rows in result.partitions():
        columns = list(zip(*rows, strict=True))
        at = pa.array(columns[6], pa.timestamp("us", tz="UTC")).cast(pa.int64())
        arrays = [pa.array(c, f.type) for c, f in zip(columns[:6], _SCHEMA, strict=False)]
        yield pa.RecordBatch.from_arrays([*arrays, at], schema=_SCHEMA)


def _load(connection: duckdb.DuckDBPyConnection, session: Session, query: RiskQuery) -> None:
    """Table ``c``: the period's crossings, each batch inserted once built (DuckDB never
    calls back into the store: the batches are read here, on the caller's thread)."""
    connection.register("batch", pa.Table.from_batches([], schema=_SCHEMA))
    connection.execute("CREATE TEMP TABLE c AS SELECT * FROM batch")
    for batch in crossing_columns(session, query):
        connection.unregister("batch")
        connection.register("batch", pa.Table.from_batches([batch]))
        connection.execute("INSERT INTO c SELECT * FROM batch")
    connection.unregister("batch")


def _documents(query: RiskQuery) -> str:
    """The documents the query keeps: crossing twice or more, there and of that nationality."""
    having = ["count(*) >= 2"]
    if query.period.crossing_point is not None:
        having.append("count(*) FILTER (WHERE point = $point) > 0")
    if query.nationality is not None:
        having.append("count(*) FILTER (WHERE nationality = $nationality) > 0")
    return (
        "CREATE TEMP TABLE doc AS SELECT c.* FROM c SEMI JOIN ("
        f" SELECT state, number FROM c GROUP BY state, number HAVING {' AND '.join(having)}"
        ") AS kept USING (state, number)"
    )


_TRAVEL = """
WITH ordered AS (
    SELECT id, point, t,
        lag(id) OVER w AS before_id, lag(point) OVER w AS before_point, lag(t) OVER w AS before_t
    FROM doc WINDOW w AS (PARTITION BY state, number ORDER BY t, id)
)
SELECT before_id, id FROM ordered LEFT JOIN needs
    ON needs.a = ordered.before_point AND needs.b = ordered.point
WHERE before_id IS NOT NULL AND before_point <> point
    AND (t - before_t <= $at_once OR t - before_t < needs.us)
"""

_ENTRIES = """
WITH runs AS (
    SELECT state, number, id, direction, t,
        sum(CASE WHEN direction = 'exit' THEN 1 ELSE 0 END)
            OVER (PARTITION BY state, number ORDER BY t, id ROWS UNBOUNDED PRECEDING) AS run
    FROM doc
), entries AS (
    SELECT state, number, run, id, t,
        lead(t, $least - 1) OVER (PARTITION BY state, number, run ORDER BY t, id) AS later
    FROM runs WHERE direction = 'entry'
)
SELECT list(id ORDER BY t, id) FROM entries GROUP BY state, number, run
HAVING count(*) >= $least AND bool_or(later - t <= $window)
"""

_SERIES = """
WITH numbered AS (
    SELECT id, state, t, regexp_extract(number, '^(.*?)(\\d+)$', 1) AS letters,
        length(regexp_extract(number, '^(.*?)(\\d+)$', 2)) AS digits,
        TRY_CAST(regexp_extract(number, '^(.*?)(\\d+)$', 2) AS HUGEINT) AS value
    FROM c WHERE regexp_matches(number, '\\d$') {nationality}
), bucketed AS (
    SELECT *, value // ($gap + 1) AS bucket FROM numbered WHERE value IS NOT NULL
), shifted AS (
    SELECT id, state, letters, digits, value, t, bucket + d AS bucket
    FROM bucketed CROSS JOIN (VALUES (-1), (0), (1)) AS offsets(d)
)
SELECT DISTINCT a.id FROM bucketed AS a JOIN shifted AS b
    ON a.state = b.state AND a.letters = b.letters AND a.digits = b.digits
    AND a.bucket = b.bucket
WHERE a.id <> b.id AND abs(a.value - b.value) <= $gap AND abs(a.t - b.t) <= $window
"""


def _needs(connection: duckdb.DuckDBPyConnection, places: CrossingMap, speed: float) -> None:
    """Each pair of mapped points and the microseconds travel between them needs (+1 minute:
    the exact test is the Python rule's, on the pairs kept)."""
    rows: list[tuple[str, str, int]] = []
    for a, b in combinations(places.points, 2):
        us = int((distance_km(a, b) / speed * 60 + 1) * _US_PER_MINUTE)
        rows += [(a.code, b.code, us), (b.code, a.code, us)]
    table = pa.table(
        {
            "a": pa.array([r[0] for r in rows], pa.string()),
            "b": pa.array([r[1] for r in rows], pa.string()),
            "us": pa.array([r[2] for r in rows], pa.int64()),
        }
    )
    connection.register("needs_arrow", table)
    connection.execute("CREATE TEMP TABLE needs AS SELECT * FROM needs_arrow")


def _events(session: Session, ids: set[int]) -> dict[int, CrossingEvent]:
    """The kept crossings, read again from the store (as the Python pass reads them)."""
    wanted = sorted(ids)
    found: dict[int, CrossingEvent] = {}
    columns = (
        Crossing.id,
        Crossing.issuing_state,
        Crossing.document_number,
        Crossing.nationality,
        Crossing.crossing_point,
        Crossing.direction,
        Crossing.at,
    )
    for start in range(0, len(wanted), 500):
        rows = session.execute(select(*columns).where(Crossing.id.in_(wanted[start : start + 500])))
        found.update({int(row[0]): CrossingEvent(*row) for row in rows})
    return found


def columnar_findings(
    session: Session, query: RiskQuery, rules: PatternRules, places: CrossingMap
) -> list[PatternFinding]:
    """Every enabled rule's findings over the query's period, found in DuckDB."""
    if not (rules.travel.enabled or rules.entries.enabled or rules.series.enabled):
        return []
    connection = duckdb.connect()
    try:
        _load(connection, session, query)
        params: dict[str, object] = {}
        if query.period.crossing_point is not None:
            params["point"] = query.period.crossing_point
        if query.nationality is not None:
            params["nationality"] = query.nationality
        connection.execute(_documents(query), params)
        pairs: list[tuple[int, int]] = []
        runs: list[list[int]] = []
        series: list[int] = []
        if rules.travel.enabled:
            _needs(connection, places, rules.travel.max_speed_kmh)
            at_once = (rules.travel.at_once_minutes + 1) * _US_PER_MINUTE
            pairs = connection.execute(_TRAVEL, {"at_once": at_once}).fetchall()
        if rules.entries.enabled:
            window = rules.entries.window_days * 24 * 60 * _US_PER_MINUTE
            found = connection.execute(
                _ENTRIES, {"least": rules.entries.min_entries, "window": window}
            ).fetchall()
            runs = [list(row[0]) for row in found]
        if rules.series.enabled:
            wanted = "" if query.nationality is None else "AND nationality = $nationality"
            series_params: dict[str, object] = {
                "gap": rules.series.max_number_gap,
                "window": rules.series.window_minutes * _US_PER_MINUTE,
            }
            if query.nationality is not None:
                series_params["nationality"] = query.nationality
            rows = connection.execute(_SERIES.format(nationality=wanted), series_params)
            series = [int(row[0]) for row in rows.fetchall()]
    finally:
        connection.close()
    events = _events(
        session, {i for p in pairs for i in p} | {i for r in runs for i in r} | set(series)
    )
    out: list[PatternFinding] = []
    for first, second in sorted(
        pairs, key=lambda p: (events[p[1]].document, events[p[1]].at, p[1])
    ):
        out += impossible_travel([events[first], events[second]], rules.travel, places)
    for run in sorted(runs, key=lambda r: (events[r[0]].document, events[r[0]].at, r[0])):
        out += repeated_entries([events[i] for i in run], rules.entries)
    kept = sorted((events[i] for i in series), key=lambda e: (e.issuing_state, e.at, e.id))
    out += sequential_documents(kept, rules.series)
    return out
