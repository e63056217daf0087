"""``passerelle serve``: the options it gives uvicorn, and the catalogue checked before."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import typer
import uvicorn

from passerelle.cli.serve import WORKER_HEALTHCHECK_TIMEOUT_S, run_server
from passerelle.settings import Settings
from tests.conftest import provision_node


def test_a_busy_worker_is_given_time_to_answer_the_health_check(
    monkeypatch: pytest.MonkeyPatch, node_home: Callable[[], Path]
) -> None:
    provision_node(Settings(home=node_home()))
    seen: dict[str, Any] = {}

    def fake_run(app: str, **options: Any) -> None:
        seen.update(options, app=app)

    monkeypatch.setattr(uvicorn, "run", fake_run)
    run_server("127.0.0.1", 8123, workers=2)
    assert seen["app"] == "passerelle.server.asgi:app"
    assert seen["workers"] == 2
    assert seen["timeout_worker_healthcheck"] == WORKER_HEALTHCHECK_TIMEOUT_S >= 60


def test_a_bad_catalogue_stops_serve_with_the_file_and_field_named(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ran: list[str] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: ran.append(app))
    monkeypatch.setenv("PASSERELLE_HOME", str(tmp_path))
    path = tmp_path / "config" / "catalogues.json"
    path.parent.mkdir()
    path.write_text('{"decision_reasons": {"admit": {}}}', encoding="utf-8")
    with pytest.raises(typer.Exit) as stopped:
        run_server("127.0.0.1", 8123)
    assert stopped.value.exit_code == 3
    assert f"{path}: decision_reasons.admit.label: is required" in capsys.readouterr().err
    assert ran == []
