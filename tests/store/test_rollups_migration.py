"""Migration 0023 (issue 20, item 4): the daily counts, filled from the rows already stored."""

from __future__ import annotations

from sqlalchemy import inspect, text

from passerelle.store import Database
from passerelle.store.rollups import verify_rollups

# (at, point, direction, nationality)
CROSSINGS = [
    ("2026-11-03 09:00:00", "TNG-MED", "entry", "MAR"),
    ("2026-11-03 10:00:00", "TNG-MED", "entry", "MAR"),
    ("2026-11-03 23:30:00", "TNG-MED", "entry", None),  # still the 3rd in UTC
    ("2026-11-04 00:10:00", "NDR", "exit", "ESP"),
]
# (id, at, point, decision)
INSPECTIONS = [
    ("i1", "2026-11-03 09:00:00", "TNG-MED", "clear"),
    ("i2", "2026-11-03 23:59:59", "TNG-MED", "clear"),
    ("i3", "2026-11-04 00:00:00", "NDR", "hit"),
]


def test_the_counts_are_filled_from_the_rows_and_dropped_on_downgrade(
    blank_database: Database,
) -> None:
    blank_database.upgrade("0022")
    # The instants in UTC on both backends (PostgreSQL would read a bare time in its zone).
    utc = "+00:00" if blank_database.engine.dialect.name == "postgresql" else ""
    with blank_database.engine.begin() as connection:
        for number, (at, point, direction, nationality) in enumerate(CROSSINGS):
            connection.execute(
                text(
                    "INSERT INTO crossings (issuing_state, document_number, nationality,"
                    " crossing_point, direction, at, officer, recorded_at) VALUES ('MAR',"
                    " :number, :nationality, :point, :direction, :at, 'officer.benali', :at)"
                ),
                {
                    "number": f"UM{number:07d}",
                    "nationality": nationality,
                    "point": point,
                    "direction": direction,
                    "at": at + utc,
                },
            )
        for inspection_id, at, point, decision in INSPECTIONS:
            connection.execute(
                text(
                    "INSERT INTO inspections (id, at, recorded_at, officer, crossing_point,"
                    " direction, purpose, decision, result) VALUES (:id, :at, :at,"
                    " 'officer.benali', :point, 'entry', 'border control', :decision, '{}')"
                ),
                {"id": inspection_id, "at": at + utc, "point": point, "decision": decision},
            )

    assert blank_database.upgrade("0023") == ("0022", "0023")
    with blank_database.engine.connect() as connection:
        crossings = connection.execute(
            text(
                "SELECT day, crossing_point, direction, nationality, n FROM daily_crossings"
                " ORDER BY day, crossing_point, nationality"
            )
        ).all()
        inspections = connection.execute(
            text(
                "SELECT day, crossing_point, decision, n FROM daily_inspections"
                " ORDER BY day, crossing_point"
            )
        ).all()
    assert [(str(row[0]), *row[1:]) for row in crossings] == [
        ("2026-11-03", "TNG-MED", "entry", "", 1),
        ("2026-11-03", "TNG-MED", "entry", "MAR", 2),
        ("2026-11-04", "NDR", "exit", "ESP", 1),
    ]
    assert [(str(row[0]), *row[1:]) for row in inspections] == [
        ("2026-11-03", "TNG-MED", "clear", 2),
        ("2026-11-04", "NDR", "hit", 1),
    ]
    assert blank_database.downgrade("0022") == ("0023", "0022")
    tables = set(inspect(blank_database.engine).get_table_names())
    assert not {"daily_crossings", "daily_inspections"} & tables
    with blank_database.engine.connect() as connection:
        assert connection.execute(text("SELECT COUNT(*) FROM crossings")).scalar_one() == 4
        assert connection.execute(text("SELECT COUNT(*) FROM inspections")).scalar_one() == 3
    assert blank_database.upgrade()[1] == blank_database.head_revision()
    with blank_database.read() as session:  # the store's own scan finds the same, at head
        assert verify_rollups(session, since=None) == []
