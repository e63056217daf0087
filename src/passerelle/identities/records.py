"""The node's identity records as one columnar table (DuckDB), read in batches from the store.

One row per identity record, keyed ``kind:ref`` (:class:`~passerelle.records.identity_links.
LinkEnd`):

- **inspections**: the names, birth date and sex the document's MRZ gave (the
  inspection's ``result["document"]``), its issuing state, number and nationality.
  Many inspections of one document under one name and birth date are *one*
  identity occurrence: they collapse into the first inspection's row, which keeps
  how many there were, the first and last time and the crossing points;
- **watchlist** persons (active), their first name and birth date;
- person **alerts** (active) and **partner alerts** (active) on a person.

Each row also gets the travels of its document (``crossings``: entries and exits
recorded for it) and, where the node holds a face for the record, its
``face_group`` (:mod:`passerelle.identities.faces`).

Rows are read with server-side cursors (``yield_per``) and written to DuckDB in
Arrow batches of :data:`BATCH` rows: nothing holds the whole store in Python objects.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import duckdb
import pyarrow as pa
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from passerelle.identities.faces import FACE_SCHEMA
from passerelle.identities.features import birth_parts, name_features
from passerelle.store.tables import Alert, Crossing, Inspection, PartnerAlert, WatchlistPerson

__all__ = ["BATCH", "RECORD_SCHEMA", "identity_frame", "load_records"]

BATCH = 20_000
RAW_SCHEMA = pa.schema(
    [
        ("kind", pa.string()),
        ("ref", pa.string()),
        ("name", pa.string()),
        ("name_latin", pa.string()),
        ("name_key", pa.string()),
        ("given_key", pa.string()),
        ("family_key", pa.string()),
        ("birth_date", pa.string()),
        ("birth_year", pa.int32()),
        ("sex", pa.string()),
        ("nationality", pa.string()),
        ("document", pa.string()),
        ("seen_at", pa.timestamp("us")),
        ("point", pa.string()),
    ]
)
_CROSSINGS = pa.schema([("document", pa.string()), ("crossings", pa.int64())])
RECORD_SCHEMA = [
    "record_key",
    "kind",
    "ref",
    "name",
    "name_latin",
    "name_key",
    "given_key",
    "family_key",
    "birth_date",
    "birth_year",
    "sex",
    "nationality",
    "document",
    "face_group",
    "occurrences",
    "first_seen",
    "last_seen",
    "points",
    "crossings",
]
"""The columns of the identity table, in order."""

Row = tuple[Any, ...]


def _row(
    kind: str,
    ref: str,
    name: str | None,
    birth: str | None,
    sex: str | None,
    nationality: str | None,
    document: str | None,
    seen_at: Any = None,
    point: str | None = None,
) -> Row:
    features = name_features(name) if name else name_features("")
    birth_date, year = birth_parts(birth)
    sex = sex if sex in ("M", "F") else None
    known = (birth_date, year, sex, nationality, document, seen_at, point)
    return (kind, ref, name, *features, *known)


def _document(state: str | None, number: str | None) -> str | None:
    return f"{state}:{number}" if state and number else None


def _inspections(session: Session) -> Iterator[Row]:
    query = select(
        Inspection.id,
        Inspection.at,
        Inspection.crossing_point,
        Inspection.issuing_state,
        Inspection.document_number,
        Inspection.nationality,
        Inspection.result,
    ).execution_options(yield_per=BATCH)
    for row_id, at, point, state, number, nationality, result in session.execute(query):
        document = (result or {}).get("document") or {}
        given, surname = document.get("given_names") or "", document.get("surname") or ""
        name = " ".join(f"{given} {surname}".split()) or None
        yield _row(
            "inspection",
            row_id,
            name,
            document.get("birth_date"),
            document.get("sex"),
            nationality or document.get("nationality"),
            _document(state or document.get("issuing_state"), number),
            at,
            point,
        )


def _watchlist(session: Session) -> Iterator[Row]:
    query = (
        select(
            WatchlistPerson.id,
            WatchlistPerson.names,
            WatchlistPerson.birth_date,
            WatchlistPerson.birth_year,
            WatchlistPerson.sex,
            WatchlistPerson.nationalities,
        )
        .where(WatchlistPerson.status == "active")
        .execution_options(yield_per=BATCH)
    )
    for person_id, names, birth, year, sex, nationalities in session.execute(query):
        yield _row(
            "watchlist",
            person_id,
            (names or [""])[0] or None,
            birth or (str(year) if year else None),
            sex,
            (nationalities or [""])[0] or None,
            None,
        )


def _person_alerts(session: Session) -> Iterator[Row]:
    query = (
        select(Alert.id, Alert.subject)
        .where(Alert.kind == "person", Alert.status == "active")
        .execution_options(yield_per=BATCH)
    )
    for alert_id, subject in session.execute(query):
        names = (subject or {}).get("names") or [None]
        yield _row("alert", alert_id, names[0], subject.get("birth_date"), None, None, None)
    partner = (
        select(PartnerAlert.issuing_state, PartnerAlert.alert_id, PartnerAlert.subject)
        .where(PartnerAlert.status == "active")
        .execution_options(yield_per=BATCH)
    )
    for state, alert_id, subject in session.execute(partner):
        if (subject or {}).get("kind") != "person":
            continue
        names = subject.get("names") or [None]
        ref = f"{state}:{alert_id}"
        yield _row("partner_alert", ref, names[0], subject.get("birth_date"), None, None, None)


def _batches(rows: Iterable[Row]) -> Iterator[pa.RecordBatch]:
    chunk: list[Row] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == BATCH:
            yield pa.RecordBatch.from_arrays(_columns(chunk), schema=RAW_SCHEMA)
            chunk = []
    if chunk:
        yield pa.RecordBatch.from_arrays(_columns(chunk), schema=RAW_SCHEMA)


def _columns(chunk: list[Row]) -> list[pa.Array]:
    return [
        pa.array([row[i] for row in chunk], type=field.type) for i, field in enumerate(RAW_SCHEMA)
    ]


def _crossings(session: Session) -> Iterator[pa.RecordBatch]:
    query = (
        select(Crossing.issuing_state, Crossing.document_number, func.count())
        .group_by(Crossing.issuing_state, Crossing.document_number)
        .execution_options(yield_per=BATCH)
    )
    documents: list[str] = []
    counts: list[int] = []
    for state, number, count in session.execute(query):
        documents.append(f"{state}:{number}")
        counts.append(int(count))
        if len(documents) == BATCH:
            yield pa.RecordBatch.from_arrays([documents, counts], schema=_CROSSINGS)
            documents, counts = [], []
    yield pa.RecordBatch.from_arrays([documents, counts], schema=_CROSSINGS)


def load_records(
    con: duckdb.DuckDBPyConnection, session: Session, faces: pa.Table | None = None
) -> int:
    """Read the store's identity records into ``con``'s table ``identity_records``;
    ``faces`` (``kind``, ``ref``, ``face_group``) marks the records the node holds a face
    for. Returns how many identity records there are."""

    def rows() -> Iterator[Row]:
        yield from _inspections(session)
        yield from _watchlist(session)
        yield from _person_alerts(session)

    con.register("raw_reader", pa.RecordBatchReader.from_batches(RAW_SCHEMA, _batches(rows())))
    con.execute("CREATE OR REPLACE TABLE raw_identities AS SELECT * FROM raw_reader")
    con.register(
        "crossing_reader", pa.RecordBatchReader.from_batches(_CROSSINGS, _crossings(session))
    )
    con.execute("CREATE OR REPLACE TABLE document_crossings AS SELECT * FROM crossing_reader")
    face_table = faces if faces is not None else FACE_SCHEMA.empty_table()
    con.register("face_groups", face_table)
    return identity_frame(con)


def identity_frame(con: duckdb.DuckDBPyConnection) -> int:
    """Collapse ``raw_identities`` into ``identity_records`` (one row per occurrence: same
    kind, document, name key, birth date and sex) joined with ``document_crossings`` and
    ``face_groups``; how many rows it holds."""
    con.execute(
        """
        CREATE OR REPLACE TABLE identity_records AS
        WITH occurrences AS (
            SELECT kind,
                   CASE WHEN kind = 'inspection' AND document IS NOT NULL
                        THEN min(ref) ELSE any_value(ref) END AS ref,
                   any_value(name) AS name, any_value(name_latin) AS name_latin,
                   name_key, any_value(given_key) AS given_key,
                   any_value(family_key) AS family_key, birth_date,
                   any_value(birth_year) AS birth_year, sex,
                   any_value(nationality) AS nationality, document,
                   count(*) AS occurrences, min(seen_at) AS first_seen,
                   max(seen_at) AS last_seen,
                   string_agg(DISTINCT point, ' ' ORDER BY point) AS points
            FROM raw_identities
            GROUP BY kind, name_key, birth_date, sex, document,
                     CASE WHEN kind = 'inspection' AND document IS NOT NULL
                          THEN NULL ELSE ref END
        )
        SELECT o.kind || ':' || o.ref AS record_key, o.kind, o.ref, o.name, o.name_latin,
               o.name_key, o.given_key, o.family_key, o.birth_date, o.birth_year, o.sex,
               o.nationality, o.document, f.face_group, o.occurrences, o.first_seen,
               o.last_seen, o.points, coalesce(c.crossings, 0) AS crossings
        FROM occurrences o
        LEFT JOIN document_crossings c ON c.document = o.document
        LEFT JOIN (SELECT kind, ref, min(face_group) AS face_group FROM face_groups
                   GROUP BY kind, ref) f
               ON f.kind = o.kind AND f.ref = o.ref
        ORDER BY record_key
        """
    )
    ((count,),) = con.execute("SELECT count(*) FROM identity_records").fetchall()
    return int(count)
