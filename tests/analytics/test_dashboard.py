"""The whole dashboard: its figures as the page gets them, alike on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from passerelle.analytics import DashboardQuery, dashboard, summary
from passerelle.store import AuditTrail, Database
from tests.analytics.scenario import END, EXPECTED_WEEK, START, WEEK, build_week
from tests.conftest import _empty_postgres


def test_dashboard_shows_the_week(database: Database, audit: AuditTrail) -> None:
    build_week(database, audit)
    with database.read() as session:
        figures = dashboard(session, WEEK)
    page = figures.as_dict()
    assert page == EXPECTED_WEEK
    assert json.loads(json.dumps(page)) == page  # JSON-ready as it is


def test_summary_agrees_with_the_figures(database: Database, audit: AuditTrail) -> None:
    build_week(database, audit)
    query = DashboardQuery(START, END, "TNG-MED")
    with database.read() as session:
        figures = dashboard(session, query)
        alone = summary(session, query)
    assert figures.summary == alone
    assert alone.crossings == figures.crossings_per_day.total() == 5
    assert (alone.entries, alone.exits) == (3, 2)
    assert alone.inspections == figures.inspections_per_day.total() == 4
    assert alone.hits == sum(h.count for h in figures.hits_by_source) == 4
    assert alone.pending_reviews == 1  # MAR-W-GONE's hit


def test_empty_node_gives_a_dashboard_of_zeros(database: Database) -> None:
    with database.read() as session:
        page = dashboard(session, DashboardQuery.last_days(END)).as_dict()
    assert set(page["summary"].values()) == {0}
    assert len(page["crossings_per_day"]["days"]) == 30
    assert page["crossings_per_point"] == page["top_nationalities"] == []


def test_figures_are_aggregated_by_the_database(database: Database, audit: AuditTrail) -> None:
    build_week(database, audit)
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(database.engine, "before_cursor_execute", seen)
    try:
        with database.read() as session:
            dashboard(session, WEEK)
    finally:
        event.remove(database.engine, "before_cursor_execute", seen)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 10
    assert all("count(" in s.lower() or "sum(" in s.lower() for s in selects)
    # Crossings and inspections are summed from the daily counts, never scanned.
    assert not [s for s in selects if re.search(r"\b(crossings|inspections)\b", s.lower())]


@pytest.fixture
def both_backends(tmp_path: Path, postgres_url: str) -> Iterator[tuple[Database, Database]]:
    sqlite = Database(f"sqlite:///{tmp_path / 'node.db'}")
    sqlite.upgrade()
    postgres = Database(postgres_url)
    _empty_postgres(postgres)
    yield sqlite, postgres
    sqlite.dispose()
    postgres.dispose()


@pytest.mark.parametrize(
    "query",
    [WEEK, DashboardQuery(START, END, "NDR"), DashboardQuery(START, START, "TNG-MED")],
    ids=["week", "ndr", "first-day-tanger"],
)
def test_sqlite_and_postgresql_show_the_same_dashboard(
    both_backends: tuple[Database, Database], audit: AuditTrail, query: DashboardQuery
) -> None:
    pages = []
    for database in both_backends:
        build_week(database, audit)
        with database.read() as session:
            pages.append(dashboard(session, query).as_dict())
    assert pages[0] == pages[1]
