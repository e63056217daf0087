"""Schema migrations: the models match the newest revision, and each step keeps the data."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

import passerelle.store
from passerelle.store import Database
from passerelle.store.db import DatabaseNotReady
from passerelle.store.tables import Base

ARABIC = "محمد بن علي"


def test_the_newest_revision_builds_exactly_the_models(blank_database: Database) -> None:
    blank_database.upgrade()
    with blank_database.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []
    blank_database.require_migrated()


def test_a_node_refuses_a_database_one_revision_behind(blank_database: Database) -> None:
    blank_database.upgrade("0001")
    with pytest.raises(DatabaseNotReady, match=r"is at schema 0001.*passerelle db upgrade"):
        blank_database.require_migrated()


def test_names_move_into_the_person_row_and_back_on_downgrade(blank_database: Database) -> None:
    blank_database.upgrade("0001")
    with blank_database.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO watchlist_persons (id, names, birth_date, birth_year,"
                " nationalities, sex, category, issued_by, status, content_hash, created_at,"
                " updated_at) VALUES (:id, :names, '1985', 1985, '[\"MAR\"]', 'M', 'wanted',"
                " 'MAR', 'active', :hash, '2026-11-25 12:00:00', '2026-11-25 12:00:00')"
            ),
            {"id": "P1", "names": json.dumps(["Mohamed Ben Ali", ARABIC]), "hash": "0" * 64},
        )
        for position, name in enumerate(["Mohamed Ben Ali", ARABIC]):
            connection.execute(
                text(
                    "INSERT INTO watchlist_names (person_id, position, name)"
                    " VALUES ('P1', :position, :name)"
                ),
                {"position": position, "name": name},
            )

    assert blank_database.upgrade("0002") == ("0001", "0002")
    assert "watchlist_names" not in inspect(blank_database.engine).get_table_names()
    with blank_database.engine.connect() as connection:
        stored = connection.execute(text("SELECT names FROM watchlist_persons")).scalar_one()
    assert (json.loads(stored) if isinstance(stored, str) else stored) == [
        "Mohamed Ben Ali",
        ARABIC,
    ]

    assert blank_database.downgrade("0001") == ("0002", "0001")
    with blank_database.engine.connect() as connection:
        rebuilt = connection.execute(
            text("SELECT person_id, position, name FROM watchlist_names ORDER BY position")
        ).all()
    assert [tuple(row) for row in rebuilt] == [("P1", 0, "Mohamed Ben Ali"), ("P1", 1, ARABIC)]
    assert blank_database.upgrade() == ("0001", blank_database.head_revision())


def test_users_and_inspections_get_an_empty_workplace_and_lose_it_on_downgrade(
    blank_database: Database,
) -> None:
    """Migration 0015 (issue 15, item 6): where users work and at which booth a check was
    made; existing rows get none, and a downgrade keeps the rows."""
    blank_database.upgrade("0013")
    with blank_database.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO users (name, role, password_hash, created_at, created_by,"
                " password_changed_at) VALUES ('officer.benali', 'officer', 'x',"
                " '2026-11-25 12:00:00', 'setup', '2026-11-25 12:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO inspections (id, at, recorded_at, officer, crossing_point,"
                " direction, purpose, decision, result) VALUES ('i1', '2026-11-25 12:00:00',"
                " '2026-11-25 12:00:00', 'officer.benali', 'TNG-MED', 'entry',"
                " 'border control', 'clear', '{}')"
            )
        )

    blank_database.upgrade("0015")
    with blank_database.engine.begin() as connection:
        user = connection.execute(text("SELECT crossing_point, booth FROM users")).one()
        booth = connection.execute(text("SELECT booth FROM inspections")).scalar_one()
        connection.execute(text("UPDATE users SET crossing_point = 'TNG-MED', booth = 'B3'"))
        connection.execute(text("UPDATE inspections SET booth = 'B3'"))
    assert (tuple(user), booth) == ((None, None), None)

    blank_database.downgrade("0013")
    columns = {
        table: {c["name"] for c in inspect(blank_database.engine).get_columns(table)}
        for table in ("users", "inspections")
    }
    assert "booth" not in columns["users"] | columns["inspections"]
    assert "crossing_point" not in columns["users"]
    with blank_database.engine.connect() as connection:
        assert connection.execute(text("SELECT name FROM users")).scalar_one() == "officer.benali"
        assert connection.execute(text("SELECT id FROM inspections")).scalar_one() == "i1"
    assert blank_database.upgrade()[1] == blank_database.head_revision()


def test_partner_alerts_already_withdrawn_get_their_tombstone_and_lose_it_on_downgrade(
    blank_database: Database,
) -> None:
    """Migration 0016 (issue 16, item 1): a tombstone for each partner alert withdrawn
    before it, none for one still active; a downgrade drops the table, keeps the alerts."""
    blank_database.upgrade("0015")
    with blank_database.engine.begin() as connection:
        for alert_id, status, version in (("BEL-A-1", "withdrawn", 4), ("BEL-A-2", "active", 1)):
            connection.execute(
                text(
                    "INSERT INTO partner_alerts (issuing_state, alert_id, category, subject,"
                    " subject_key, action, contact, status, version, valid_from, issued_at,"
                    " received_at, updated_at) VALUES ('BEL', :id, 'wanted', '{}', 'k',"
                    " 'hold', 'call', :status, :version, '2026-11-01', '2026-11-01 12:00:00',"
                    " '2026-11-01 12:00:00', '2026-11-25 12:00:00')"
                ),
                {"id": alert_id, "status": status, "version": version},
            )

    blank_database.upgrade("0016")
    with blank_database.engine.connect() as connection:
        tombstones = connection.execute(
            text("SELECT issuing_state, alert_id, version FROM partner_alert_tombstones")
        ).all()
    assert [tuple(row) for row in tombstones] == [("BEL", "BEL-A-1", 4)]

    blank_database.downgrade("0015")
    assert "partner_alert_tombstones" not in inspect(blank_database.engine).get_table_names()
    with blank_database.engine.connect() as connection:
        count = connection.execute(text("SELECT count(*) FROM partner_alerts")).scalar_one()
    assert count == 2
    assert blank_database.upgrade()[1] == blank_database.head_revision()


def test_feedback_given_before_its_time_was_kept_gets_the_review_s_time(
    blank_database: Database,
) -> None:
    """Migration 0018 (issue 17): ``hit_reviews.feedback_at``, filled for feedback given
    before it with the review's time (reviewed, else created); none for no feedback."""
    blank_database.upgrade("0017")
    with blank_database.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO inspections (id, at, recorded_at, officer, crossing_point,"
                " direction, purpose, decision, result) VALUES ('i1', '2026-11-25 12:00:00',"
                " '2026-11-25 12:00:00', 'officer.benali', 'TNG-MED', 'entry',"
                " 'border control', 'hit', '{}')"
            )
        )
        for reference, feedback, reviewed in (
            ("MAR-W-1", "not_same_person", "2026-11-26 09:00:00"),
            ("MAR-W-2", "not_same_person", None),
            ("MAR-W-3", None, None),
        ):
            connection.execute(
                text(
                    "INSERT INTO hit_reviews (inspection_id, source, reference, status,"
                    " feedback, reviewed_at, created_at) VALUES ('i1', 'watchlist', :ref,"
                    " 'pending', :feedback, :reviewed, '2026-11-25 12:00:00')"
                ),
                {"ref": reference, "feedback": feedback, "reviewed": reviewed},
            )

    blank_database.upgrade("0018")
    with blank_database.engine.connect() as connection:
        times = connection.execute(
            text("SELECT reference, feedback_at FROM hit_reviews ORDER BY reference")
        ).all()
    assert [(ref, str(at)[:16] if at else None) for ref, at in times] == [
        ("MAR-W-1", "2026-11-26 09:00"),
        ("MAR-W-2", "2026-11-25 12:00"),
        ("MAR-W-3", None),
    ]

    blank_database.downgrade("0017")
    columns = {c["name"] for c in inspect(blank_database.engine).get_columns("hit_reviews")}
    assert "feedback_at" not in columns
    assert blank_database.upgrade()[1] == blank_database.head_revision()


def test_the_chip_trust_store_comes_empty_and_goes_on_downgrade(blank_database: Database) -> None:
    """Migration 0019 (issue 18): the chip trust store's three tables, new and empty."""
    blank_database.upgrade("0019")
    tables = set(inspect(blank_database.engine).get_table_names())
    assert {"chip_trust_versions", "chip_cscas", "chip_crls", "chip_partner_cscas"} <= tables
    with blank_database.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO chip_trust_versions (version, kind, source, digest, added, removed,"
                " at, by) VALUES (1, 'csca', 'hand', 'ab', 1, 0, '2026-12-07 11:00:00', 'admin')"
            )
        )
    blank_database.downgrade("0018")
    tables = set(inspect(blank_database.engine).get_table_names())
    assert not {"chip_trust_versions", "chip_cscas", "chip_crls", "chip_partner_cscas"} & tables


def _revision_before(revision: str) -> str:
    """The revision ``revision`` is chained after, as its migration file says."""
    folder = Path(passerelle.store.__file__).parent / "migrations" / "versions"
    (path,) = folder.glob(f"{revision}_*.py")
    spec = importlib.util.spec_from_file_location(f"migration_{revision}", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return str(module.down_revision)


def test_forgery_images_columns_come_empty_and_forgery_alerts_go_on_downgrade(
    blank_database: Database,
) -> None:
    """Migration 0020 (issue 18, item 3): ``reference_images`` on the node's and the
    partners' alerts, null for the alerts already there; a downgrade drops the columns and
    the ``forged_document`` alerts, which the older code cannot read, and keeps the rest."""
    before = _revision_before("0020")
    blank_database.upgrade(before)
    insert_alert = text(
        "INSERT INTO alerts (id, kind, category, subject, subject_key, issuing_authority,"
        " action, valid_from, status, created_at, updated_at, shareable)"
        " VALUES (:id, :kind, :category, '{}', 'k', 'DGSN', 'refer', '2026-11-01', 'active',"
        " '2026-11-01 12:00:00', '2026-11-01 12:00:00', true)"
    )
    insert_partner = text(
        "INSERT INTO partner_alerts (issuing_state, alert_id, category, subject,"
        " subject_key, action, contact, status, version, valid_from, issued_at,"
        " received_at, updated_at) VALUES ('BEL', :id, :category, '{}', 'k',"
        " 'refer', 'call', 'active', 1, '2026-11-01', '2026-11-01 12:00:00',"
        " '2026-11-01 12:00:00', '2026-11-01 12:00:00')"
    )
    with blank_database.engine.begin() as connection:
        connection.execute(
            insert_alert, {"id": "MAR-S-1", "kind": "document", "category": "stolen_document"}
        )
        connection.execute(insert_partner, {"id": "BEL-S-1", "category": "stolen_document"})

    blank_database.upgrade("0020")
    with blank_database.engine.begin() as connection:
        images = connection.execute(text("SELECT reference_images FROM alerts")).all()
        assert [row[0] for row in images] == [None]
        connection.execute(
            insert_alert,
            {"id": "MAR-F-1", "kind": "document_series", "category": "forged_document"},
        )
        connection.execute(
            text("UPDATE alerts SET reference_images = :images WHERE id = 'MAR-F-1'"),
            {"images": json.dumps([{"media_type": "image/png", "data": "iVBO"}])},
        )
        connection.execute(
            text(
                "INSERT INTO alert_events (alert_id, at, to_status, actor)"
                " VALUES ('MAR-F-1', '2026-11-01 12:00:00', 'active', 'analyst')"
            )
        )
        connection.execute(insert_partner, {"id": "BEL-F-1", "category": "forged_document"})

    blank_database.downgrade(before)
    for table in ("alerts", "partner_alerts"):
        columns = {c["name"] for c in inspect(blank_database.engine).get_columns(table)}
        assert "reference_images" not in columns
    with blank_database.engine.connect() as connection:
        own = connection.execute(text("SELECT id FROM alerts")).scalars().all()
        shared = connection.execute(text("SELECT alert_id FROM partner_alerts")).scalars().all()
        events = connection.execute(text("SELECT count(*) FROM alert_events")).scalar_one()
    assert (own, shared, events) == (["MAR-S-1"], ["BEL-S-1"], 0)
    assert blank_database.upgrade()[1] == blank_database.head_revision()


def test_load_rejections_get_an_empty_wording_and_lose_it_on_downgrade(
    blank_database: Database,
) -> None:
    """Migration 0022 (issue 19): ``load_rejections.wording``, null for the lines rejected
    before (their English reason is shown); a downgrade drops it and keeps the lines."""
    before = _revision_before("0022")
    blank_database.upgrade(before)
    with blank_database.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO load_runs (id, kind, file_name, file_sha256, actor, started_at,"
                " status, lines_done, accepted, unchanged, rejected)"
                " VALUES (1, 'watchlist', 'p.jsonl', 'ab', 'analyst', '2026-12-07 12:00:00',"
                " 'completed', 1, 0, 0, 1)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO load_rejections (run_id, line_no, field, reason)"
                " VALUES (1, 1, 'birth_date', 'is not a real date')"
            )
        )
    blank_database.upgrade("0022")
    said = {"template": "%(value)s is not a real date", "parameters": {"value": "'1980-13-45'"}}
    with blank_database.engine.begin() as connection:
        rows = connection.execute(text("SELECT wording FROM load_rejections")).all()
        assert [row[0] for row in rows] == [None]
        connection.execute(
            text(
                "INSERT INTO load_rejections (run_id, line_no, field, reason, wording)"
                " VALUES (1, 2, 'birth_date', 'x', :said)"
            ),
            {"said": json.dumps(said)},
        )
    blank_database.downgrade(before)
    columns = {c["name"] for c in inspect(blank_database.engine).get_columns("load_rejections")}
    assert "wording" not in columns
    with blank_database.engine.connect() as connection:
        lines = connection.execute(text("SELECT line_no FROM load_rejections")).scalars().all()
    assert sorted(lines) == [1, 2]
    assert blank_database.upgrade()[1] == blank_database.head_revision()


def test_identity_links_come_empty_and_go_on_downgrade(blank_database: Database) -> None:
    """Migration 0026 (issue 20): ``linkage_runs`` and ``identity_links`` (a pair once:
    unique over both ends), dropped by a downgrade."""
    before = _revision_before("0026")
    blank_database.upgrade("0026")
    tables = set(inspect(blank_database.engine).get_table_names())
    assert {"linkage_runs", "identity_links"} <= tables
    pair = (
        "INSERT INTO identity_links (left_kind, left_ref, right_kind, right_ref, colour, origin,"
        " probability, evidence, created_at, updated_at, resolutions) VALUES ('inspection', 'I-1',"
        " 'inspection', 'I-2', 'yellow', 'linkage', 0.9, '{}', '2026-12-07 12:00:00',"
        " '2026-12-07 12:00:00', 0)"
    )
    with blank_database.engine.begin() as connection:
        connection.execute(text(pair))
    with pytest.raises(IntegrityError), blank_database.engine.begin() as connection:
        connection.execute(text(pair))
    blank_database.downgrade(before)
    tables = set(inspect(blank_database.engine).get_table_names())
    assert not {"linkage_runs", "identity_links"} & tables
    assert blank_database.upgrade()[1] == blank_database.head_revision()
