"""Migration 0025 (issue 20, item 3): an inspection's travel context, up and down."""

from __future__ import annotations

from sqlalchemy import inspect, text

from passerelle.store import Database

TRAVEL_REVISION = "0025"
BEFORE_TRAVEL = "0022"
COLUMNS = {"vehicle_plate", "party_reference", "address", "phone"}


def test_inspections_gain_indexed_travel_columns_empty_and_lose_them_on_downgrade(
    blank_database: Database,
) -> None:
    blank_database.upgrade(BEFORE_TRAVEL)
    with blank_database.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO inspections (id, at, recorded_at, officer, crossing_point,"
                " direction, purpose, decision, result) VALUES ('INS1', '2026-11-25 12:00:00',"
                " '2026-11-25 12:00:00', 'officer', 'NDR-BNI', 'exit', 'routine', 'clear', '{}')"
            )
        )

    blank_database.upgrade(TRAVEL_REVISION)
    with blank_database.engine.connect() as connection:
        row = connection.execute(
            text("SELECT vehicle_plate, party_reference, address, phone FROM inspections")
        ).one()
    assert tuple(row) == (None, None, None, None)
    indexes = {i["name"] for i in inspect(blank_database.engine).get_indexes("inspections")}
    assert {f"ix_inspections_{name}" for name in COLUMNS} <= indexes

    blank_database.downgrade(BEFORE_TRAVEL)
    columns = {c["name"] for c in inspect(blank_database.engine).get_columns("inspections")}
    assert not columns & COLUMNS
    with blank_database.engine.connect() as connection:
        count = connection.execute(text("SELECT count(*) FROM inspections")).scalar_one()
    assert count == 1
    assert blank_database.upgrade()[1] == blank_database.head_revision()
