"""Analysts' reads with a replica that is not there: the pages fall back to the primary and
say so, or (``PASSERELLE_REPLICA_FALLBACK=refuse``) refuse while officers keep inspecting.

The quick variant of ``tests/faults/test_analyst_replica.py`` (a real streaming standby):
here the replica's URL names a loopback port nothing listens on, so every connection is
refused at once, over the real app and database.
"""

from __future__ import annotations

import pytest

from passerelle.server.ports import free_port
from passerelle.store import Database
from passerelle.store.replica import AnalysisReads, ReplicaFallback
from tests.api.conftest import Api
from tests.api.test_identity_links import audited, inspected, proposed
from tests.web.test_pages import login


def without_replica(api: Api, fallback: ReplicaFallback) -> None:
    """Name a replica for the node that cannot be reached (nothing listens on its port)."""
    node = api.services.node
    url = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/passerelle"
    node.reads = AnalysisReads(node.database, Database(url), fallback=fallback, retry_s=60)


def test_without_a_replica_pages_read_the_primary_and_say_nothing_of_it(api: Api) -> None:
    login(api.client, "analyst.one")
    page = api.client.get("/dashboard")
    assert page.status_code == 200
    assert 'id="data-as-of"' not in page.text
    assert "passerelle-read-from" not in page.headers


def test_an_unreachable_replica_sends_analysts_to_the_primary_and_the_page_says_so(
    api: Api,
) -> None:
    link_id = proposed(api, inspected(api, number="ZX9876543"), inspected(api, number="QA1234567"))
    without_replica(api, "primary")
    login(api.client, "analyst.one")

    page = api.client.get("/dashboard")
    assert page.status_code == 200
    assert 'data-source="primary"' in page.text
    assert "the analysts' replica cannot be reached" in page.text
    assert page.headers["passerelle-read-from"] == "primary"

    listed = api.client.get("/analysis/identities")
    assert listed.status_code == 200
    assert f'id="link-{link_id}"' in listed.text
    answer = api.client.get("/api/v1/identity-links", headers=api.as_role("analyst"))
    assert answer.status_code == 200
    assert answer.headers["passerelle-read-from"] == "primary"
    assert "passerelle-data-as-of" not in answer.headers
    assert [r["ids"] for r in audited(api, "identity_link.list")] == [[link_id], [link_id]]


def test_a_node_that_refuses_without_its_replica_answers_503_and_officers_still_inspect(
    api: Api,
) -> None:
    proposed(api, inspected(api, number="ZX9876543"), inspected(api, number="QA1234567"))
    without_replica(api, "refuse")
    analyst = api.as_role("analyst")

    refused = api.client.get("/api/v1/identity-links", headers=analyst)
    assert refused.status_code == 503
    assert "the analysts' replica could not be reached" in refused.json()["detail"]
    assert "officers' inspections are not affected" in refused.json()["detail"]
    networks = api.client.get("/api/v1/analysis/networks?purpose=network", headers=analyst)
    assert networks.status_code == 503
    assert audited(api, "identity_link.list") == []  # nothing was read, nothing disclosed

    login(api.client, "analyst.one")
    assert api.client.get("/dashboard").status_code == 503
    assert inspected(api, number="LM5551234")  # the booth reads the primary only


@pytest.mark.parametrize("value", ["sqlite:///elsewhere.db", "mysql://db/passerelle"])
def test_a_replica_url_that_is_not_postgresql_is_refused_naming_the_setting(
    value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from passerelle.exc import ConfigurationError
    from passerelle.settings import load_settings

    monkeypatch.setenv("PASSERELLE_REPLICA_DATABASE_URL", value)
    with pytest.raises(ConfigurationError, match=r"PASSERELLE_REPLICA_DATABASE_URL: .*PostgreSQL"):
        load_settings()
    monkeypatch.setenv("PASSERELLE_REPLICA_DATABASE_URL", "postgresql://replica/passerelle")
    monkeypatch.delenv("PASSERELLE_DATABASE_URL", raising=False)
    with pytest.raises(ConfigurationError, match="needs PASSERELLE_DATABASE_URL"):
        load_settings()
