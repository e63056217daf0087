"""The restore drill of docs/deployment.md: back up a node, restore it elsewhere, check it.

A node on PostgreSQL with an inspection is backed up as the guide says (``pg_dump`` of
its database, a copy of its key directory); the dump is restored into a new database
and the keys into a new HOME; the restored node's audit chain verifies intact and the
node's app over them shows the inspection. Without the key directory the chain
cannot be verified: the key copy is half of the backup.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from passerelle.server import create_app
from passerelle.settings import Settings
from tests.conftest import fresh_postgres_database
from tests.deploy.hosts import (
    NODE_STATE,
    host_environment,
    passerelle,
    set_up_first_host,
)
from tests.screening.conftest import passport


def libpq(url: str) -> str:
    """The database URL as ``pg_dump`` and ``pg_restore`` take it (no driver name)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def server_major(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            number = connection.exec_driver_sql("SHOW server_version_num").scalar_one()
    finally:
        engine.dispose()
    return int(number) // 10000


def client_tool(name: str, major: int) -> str:
    """The server's major version's ``pg_dump``/``pg_restore`` (Debian keeps each version's
    in /usr/lib/postgresql/N/bin), else the one on PATH."""
    versioned = Path(f"/usr/lib/postgresql/{major}/bin/{name}")
    found = str(versioned) if versioned.exists() else shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed (Debian: postgresql-client-{major})")
    return found


def tool_major(tool: str) -> int:
    said = subprocess.run([tool, "--version"], capture_output=True, text=True, check=True).stdout
    match = re.search(r"(\d+)\.\d+", said)
    assert match is not None, said
    return int(match.group(1))


def inspect_one(home: Path, url: str, token: str) -> dict[str, object]:
    """One border check through the node's real app (in this process), as stored."""
    settings = Settings(home=home, database_url=url, node=NODE_STATE)
    app = create_app(settings, checkpoints=False)
    with TestClient(app) as client:
        answer = client.post(
            "/api/v1/inspections",
            json={
                "mrz": passport(),
                "purpose": "border control",
                "crossing_point": "TNG-MED",
                "direction": "entry",
                "request_id": "drill-0001-inspection",
            },
            headers={"authorization": f"Bearer {token}"},
        )
    assert answer.status_code == 201, answer.text
    found: dict[str, object] = answer.json()
    return found


def test_a_node_restored_from_its_dump_and_key_copy_verifies_and_shows_its_inspections(
    tmp_path: Path,
) -> None:
    backup = tmp_path / "backup"
    with fresh_postgres_database("drill") as source:
        home = tmp_path / "node"
        env = host_environment(home, source)
        token = set_up_first_host(env)
        inspection = inspect_one(home, source, token)
        major = server_major(source)
        pg_dump, pg_restore = client_tool("pg_dump", major), client_tool("pg_restore", major)
        assert tool_major(pg_dump) == tool_major(pg_restore) == major
        # the backup: the database's dump and the key directory's copy
        backup.mkdir()
        subprocess.run(
            [pg_dump, "--format=custom", "--file", f"{backup}/passerelle.dump", libpq(source)],
            check=True,
        )
        shutil.copytree(home / "keys", backup / "keys")

    dump = str(backup / "passerelle.dump")
    with fresh_postgres_database("restored") as restored:
        subprocess.run(
            [pg_restore, "--no-owner", "--exit-on-error", "--dbname", libpq(restored), dump],
            check=True,
        )
        keyless = host_environment(tmp_path / "no-keys", restored)
        refused = passerelle(keyless, "audit", "verify", check=False)
        assert refused.exit_code == 4, refused.output  # the audit key is missing

        new_home = tmp_path / "restored"
        new_home.mkdir(mode=0o700)
        shutil.copytree(backup / "keys", new_home / "keys")
        env = host_environment(new_home, restored)
        verified = passerelle(env, "audit", "verify", check=False)
        assert verified.exit_code == 0, verified.output
        assert "intact" in verified.output

        restored_node = Settings(home=new_home, database_url=restored, node=NODE_STATE)
        with TestClient(create_app(restored_node, checkpoints=False)) as client:
            answer = client.get(
                f"/api/v1/inspections/{inspection['inspection_id']}",
                params={"purpose": "restore drill"},
                headers={"authorization": f"Bearer {token}"},
            )
        assert answer.status_code == 200, answer.text
        shown = answer.json()
        assert shown["decision"] == inspection["decision"] == "clear"
        assert shown["document"]["document_number"] == "ZX9876543"
