"""``passerelle demo``: a Moroccan demo node set up from nothing, with users that can sign in.

The command runs as a user runs it (the installed console script, a fresh
home); the node it leaves is then opened and used through the real app: the
printed logins work and the scenarios answer as the demo says they will.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from passerelle.access import AccessControl
from passerelle.demo import DEFAULT_SEED, generate_world
from passerelle.demo.accounts import DEMO_ROLES
from passerelle.node import open_node
from passerelle.server import create_app
from passerelle.settings import Settings
from passerelle.store import Actor

TRAVELLERS = "200"


def run_demo(home: Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("passerelle", path=str(Path(sys.executable).parent))
    assert exe, "the passerelle console script is installed beside the interpreter"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PASSERELLE_")}
    return subprocess.run(
        [exe, "demo", "--no-serve", "--no-faces", "--travellers", TRAVELLERS, "--home", str(home)],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        env={**env, "COLUMNS": "200"},
    )


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    home = tmp_path_factory.mktemp("demo-node")
    first = run_demo(home)
    assert first.returncode == 0, first.stderr
    second = run_demo(home)
    assert second.returncode == 0, second.stderr
    return home, first.stdout, second.stdout


def test_the_demo_prints_where_to_sign_in_and_a_login_per_role(
    demo_home: tuple[Path, str, str],
) -> None:
    home, printed, _ = demo_home
    assert "http://127.0.0.1:8000/" in printed
    logins = json.loads((home / "demo-logins.json").read_text())
    assert sorted(logins) == sorted(DEMO_ROLES)
    for name, password in logins.items():
        assert re.search(rf"{name}\s+{name}\s+{re.escape(password)}", printed)
    assert stat.S_IMODE((home / "demo-logins.json").stat().st_mode) == 0o600


def test_running_the_demo_again_stores_nothing_new_and_keeps_the_logins(
    demo_home: tuple[Path, str, str],
) -> None:
    _, first, second = demo_home
    assert re.search(r"stolen/lost documents\s+0 stored\s+\d[\d,]* already there", second)
    passwords = re.findall(r"^  officer\s+officer\s+(\S+)$", first + second, re.MULTILINE)
    assert len(passwords) == 2
    assert passwords[0] == passwords[1]


def test_the_printed_logins_sign_in_and_the_stolen_passport_is_a_hit(
    demo_home: tuple[Path, str, str],
) -> None:
    home, printed, _ = demo_home
    as_of = date.fromisoformat(re.search(r"as of (\d{4}-\d\d-\d\d)", printed)[1])  # type: ignore[index]
    logins = json.loads((home / "demo-logins.json").read_text())
    settings = Settings(home=home, node="MAR")
    with open_node(settings) as node:
        access = AccessControl.for_node(node)
        for name, password in logins.items():
            assert access.authenticate(name, password).role == name
        token = access.issue_token("officer", by=Actor("test", "user", "admin")).token
        world = generate_world(DEFAULT_SEED, as_of=as_of, travellers=int(TRAVELLERS))
        with TestClient(create_app(node=node)) as client:
            for scenario in world.scenarios:  # each gives what demo/guide.py promises
                if scenario.live_photo:
                    continue  # the face scenario needs the portrait (tests/demo)
                key = scenario.key
                answer = client.post(
                    "/api/v1/inspections",
                    headers={"authorization": f"Bearer {token}"},
                    json={
                        "mrz": "\n".join(scenario.mrz_lines),
                        "purpose": "demo check",
                        "crossing_point": scenario.crossing_point,
                        "direction": scenario.direction,
                    },
                )
                assert answer.status_code == 201, answer.text
                assert answer.json()["decision"] == scenario.expected, (key, answer.json())
