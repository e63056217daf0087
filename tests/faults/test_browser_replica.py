"""The analysts' replica as an analyst sees it, in a real browser: ``passerelle serve`` on a
private PostgreSQL primary and its streaming standby; the dashboard says its data comes
from the replica and as of when, and says so again when the replica is down and the
primary is read instead."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from passerelle.access import AccessControl
from passerelle.node import open_node
from passerelle.settings import Settings
from tests.conftest import provision_node
from tests.deploy.hosts import NODE_STATE, host_environment, serving
from tests.faults.private_postgres import PrivatePostgres
from tests.web.test_browser import PASSWORD, SETUP, Served, _login, browser

__all__ = ["browser"]  # the fixture, imported

DATABASE = "passerelle"


@pytest.fixture
def standby(running_postgres: PrivatePostgres) -> Iterator[PrivatePostgres]:
    running_postgres.create_database(DATABASE)
    replica = PrivatePostgres(standby_of=running_postgres)
    try:
        replica.start()
        yield replica
    finally:
        replica.remove()
        running_postgres.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')


@pytest.fixture
def served(
    running_postgres: PrivatePostgres, standby: PrivatePostgres, tmp_path: Path
) -> Iterator[Served]:
    home, primary = tmp_path / "home", running_postgres.url_of(DATABASE)
    settings = Settings(home=home, node=NODE_STATE, database_url=primary)
    provision_node(settings)
    with open_node(settings) as node:
        AccessControl.for_node(node).add_user("analyst.idrissi", "analyst", PASSWORD, by=SETUP)
    env = host_environment(home, primary) | {
        "PASSERELLE_REPLICA_DATABASE_URL": standby.url_of(DATABASE),
        "PASSERELLE_REPLICA_RETRY_S": "0",
    }
    with serving("api", env, tmp_path) as host:
        host.wait_healthy()
        yield Served(f"http://{host.address}", home)


@pytest.mark.slow  # two clusters, a base backup, a served node and a browser: ~60 s here
def test_the_dashboard_says_it_reads_the_replica_and_when_it_reads_the_primary(
    browser: Browser, served: Served, standby: PrivatePostgres
) -> None:
    page = browser.new_page()
    _login(page, served, "analyst.idrissi")
    expect(page.get_by_role("navigation")).to_be_visible()  # signed in
    page.goto(served.url + "/dashboard")
    line = page.locator("#data-as-of")
    expect(line).to_be_visible()
    expect(line).to_have_attribute("data-source", "replica")
    expect(line).to_contain_text("from the analysts' replica")

    standby.stop()
    page.reload()
    expect(line).to_have_attribute("data-source", "primary")
    expect(line).to_contain_text("the analysts' replica cannot be reached")
    expect(page.locator("#summary")).to_be_visible()  # the figures, from the primary
    page.close()
