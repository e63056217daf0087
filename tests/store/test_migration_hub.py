"""Migration 0017 (issue 16, item 7): a federation hub's columns and table, up and down."""

from __future__ import annotations

from sqlalchemy import inspect, text

from passerelle.store import Database

HUB_REVISION = "0017"
BEFORE_HUB = "0016"
"""The revision 0017 follows."""


def test_partners_start_direct_and_not_hubs_and_lose_the_columns_on_downgrade(
    blank_database: Database,
) -> None:
    blank_database.upgrade(BEFORE_HUB)
    with blank_database.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO exchange_peers (state, name, url, public_keys, inbound_kinds,"
                " outbound_kinds, alert_categories, follow_up_hours, enabled, added_at,"
                " added_by, updated_at) VALUES ('BEL', 'Belgium', 'https://bel:8443', '[]',"
                " '[]', '[]', '[]', 48, true, '2026-11-25 12:00:00', 'admin',"
                " '2026-11-25 12:00:00')"
            )
        )

    blank_database.upgrade(HUB_REVISION)
    with blank_database.engine.connect() as connection:
        row = connection.execute(
            text("SELECT sealing_key, via, relays FROM exchange_peers WHERE state = 'BEL'")
        ).one()
    assert (row.sealing_key, row.via, bool(row.relays)) == (None, None, False)
    assert "hub_agreements" in inspect(blank_database.engine).get_table_names()

    blank_database.downgrade(BEFORE_HUB)
    columns = {c["name"] for c in inspect(blank_database.engine).get_columns("exchange_peers")}
    assert not columns & {"sealing_key", "via", "relays"}
    assert "hub_agreements" not in inspect(blank_database.engine).get_table_names()
    with blank_database.engine.connect() as connection:
        count = connection.execute(text("SELECT count(*) FROM exchange_peers")).scalar_one()
    assert count == 1
    assert blank_database.upgrade()[1] == blank_database.head_revision()
