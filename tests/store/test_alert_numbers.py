"""The node's alert numbers: the year's highest plus one, other years, other nodes and
identifiers out of the format ignored (SQLite and PostgreSQL)."""

from __future__ import annotations

from passerelle.store import Actor, AuditTrail, Database
from passerelle.store.alert_numbers import next_alert_id
from passerelle.store.alerts import AlertRegistry
from tests.conftest import Clock
from tests.store.test_alerts import document_alert, issue


def test_the_next_alert_number_follows_the_years_highest_of_this_node(
    database: Database, audit: AuditTrail, officer: Actor, clock: Clock
) -> None:
    alerts = AlertRegistry(audit)
    with database.read() as session:
        assert next_alert_id(session, "MAR", 2026) == "MAR-A-2026-0001"
    for alert_id in (
        "MAR-A-2026-0009",
        "MAR-A-2026-0002",
        "MAR-A-2026-00X7",  # not in the format
        "MAR-A-2025-0042",  # another year
        "BEL-A-2026-0100",  # another node's
        "MAR_A-2026-0500",  # "_" is not a wildcard
    ):
        issue(database, alerts, officer, clock, document_alert(id=alert_id))
    with database.read() as session:
        assert next_alert_id(session, "MAR", 2026) == "MAR-A-2026-0010"
        assert next_alert_id(session, "MAR", 2025) == "MAR-A-2025-0043"
        assert next_alert_id(session, "TUN", 2026) == "TUN-A-2026-0001"
