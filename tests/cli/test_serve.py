"""``passerelle serve``: the options it gives uvicorn."""

from __future__ import annotations

from typing import Any

import pytest
import uvicorn

from passerelle.cli.serve import WORKER_HEALTHCHECK_TIMEOUT_S, run_server


def test_a_busy_worker_is_given_time_to_answer_the_health_check(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: dict[str, Any] = {}

    def fake_run(app: str, **options: Any) -> None:
        seen.update(options, app=app)

    monkeypatch.setattr(uvicorn, "run", fake_run)
    run_server("127.0.0.1", 8123, workers=2)
    assert seen["app"] == "passerelle.server.asgi:app"
    assert seen["workers"] == 2
    assert seen["timeout_worker_healthcheck"] == WORKER_HEALTHCHECK_TIMEOUT_S >= 60
