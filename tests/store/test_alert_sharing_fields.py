"""Alerts say whether they may leave the node: ``shareable`` and ``restricted_matter``."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text

from passerelle.exc import InvalidInput
from passerelle.store import Actor, AuditTrail, Database
from passerelle.store.alerts import AlertDraft, AlertRegistry, PersonSubject, parse_alert
from tests.conftest import Clock

ANALYST = Actor("analyst.idrissi", "user", "analyst")
RECORD: dict[str, Any] = {
    "category": "wanted",
    "subject": {"kind": "person", "names": ["Karim Haddad"], "birth_date": "1980-06-15"},
    "issuing_authority": "DGSN Rabat",
    "action": "Arrest for surrender.",
}


def test_an_alert_is_shareable_and_concerns_no_restricted_matter_unless_told() -> None:
    draft = parse_alert(RECORD)
    assert (draft.shareable, draft.restricted_matter) == (True, None)
    assert parse_alert(draft.as_json()) == draft


def test_an_alert_file_can_keep_an_alert_home() -> None:
    draft = parse_alert(RECORD | {"shareable": False, "restricted_matter": "military"})
    assert (draft.shareable, draft.restricted_matter) == (False, "military")
    assert parse_alert(draft.as_json()) == draft


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"shareable": "no"}, "shareable"),
        ({"shareable": 0}, "shareable"),
        ({"restricted_matter": "sports"}, "restricted_matter"),
        ({"restricted_matter": ""}, "restricted_matter"),
    ],
)
def test_bad_sharing_values_are_refused_naming_the_field(
    changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_alert(RECORD | changes)
    assert refused.value.field == field


def test_the_registry_stores_and_shows_the_sharing_fields(
    database: Database, audit: AuditTrail, clock: Clock
) -> None:
    registry = AlertRegistry(audit)
    kept = AlertDraft(
        category="wanted",
        subject=PersonSubject(("Youssef Tazi",), "1975"),
        issuing_authority="DGSN Rabat",
        action="Refer.",
        id="MAR-A-1",
        shareable=False,
        restricted_matter="religious",
    )
    with database.write() as session:
        issued = registry.issue(session, kept, actor=ANALYST, now=clock())
        plain = registry.issue(session, parse_alert(RECORD), actor=ANALYST, now=clock())
    with database.read() as session:
        stored = registry.get(session, "MAR-A-1")
        default = registry.get(session, plain.id)
    assert (stored.shareable, stored.restricted_matter) == (False, "religious")
    assert stored == issued
    assert stored.as_dict()["shareable"] is False
    assert stored.as_dict()["restricted_matter"] == "religious"
    assert (default.shareable, default.restricted_matter) == (True, None)


def test_alerts_issued_before_the_migration_become_shareable(blank_database: Database) -> None:
    blank_database.upgrade("0007")
    with blank_database.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO alerts (id, kind, category, subject, subject_key, issuing_authority,"
                " action, valid_from, valid_until, status, created_at, updated_at) VALUES"
                " ('OLD-1', 'person', 'wanted', :subject, :key, 'DGSN', 'Refer.',"
                " '2026-01-01', NULL, 'active', '2026-01-01 12:00:00', '2026-01-01 12:00:00')"
            ),
            {
                "subject": '{"kind": "person", "names": ["Ali"], "birth_date": null}',
                "key": "person:-:ali",
            },
        )
    blank_database.upgrade()
    with blank_database.engine.connect() as connection:
        row = connection.execute(
            text("SELECT shareable, restricted_matter FROM alerts WHERE id = 'OLD-1'")
        ).one()
    assert (bool(row.shareable), row.restricted_matter) == (True, None)
    blank_database.downgrade("0007")
    with blank_database.engine.connect() as connection:
        columns = connection.execute(text("SELECT * FROM alerts")).keys()
    assert "shareable" not in columns
    assert "restricted_matter" not in columns
