"""Security headers, size limits, and no stack trace to a client."""

from __future__ import annotations

from passerelle.http.middleware import SECURITY_HEADERS
from tests.api.conftest import Api
from tests.screening.conftest import passport


def test_every_answer_carries_the_security_headers(api: Api) -> None:
    for answer in (
        api.client.get("/api/v1/hits"),
        api.client.get("/login"),
        api.client.get("/api/v1/audit", headers=api.as_role("auditor")),
    ):
        for name, value in SECURITY_HEADERS:
            assert answer.headers[name] == value, name
        assert answer.headers["x-request-id"]


def test_a_request_over_the_size_limit_is_refused_before_it_is_read(api: Api) -> None:
    limit = api.services.node.settings.max_request_bytes
    huge = "A" * (limit + 1)
    answer = api.client.post(
        "/api/v1/inspections",
        content=huge,
        headers={**api.as_role("officer"), "content-type": "application/json"},
    )
    assert answer.status_code == 413
    assert "larger than" in answer.json()["detail"]


def test_an_unexpected_failure_answers_500_without_a_traceback(api: Api) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret internal detail /srv/passerelle/x.py line 12")

    api.services.inspector.record_decision = broken  # type: ignore[method-assign]
    officer = api.as_role("officer")
    result = api.client.post(
        "/api/v1/inspections",
        json={
            "mrz": passport(),
            "purpose": "border control",
            "crossing_point": "TNG-MED",
            "direction": "entry",
        },
        headers=officer,
    ).json()
    answer = api.client.post(
        f"/api/v1/inspections/{result['inspection_id']}/decision",
        json={"action": "admit", "reason_code": "cleared"},
        headers=officer,
    )
    assert answer.status_code == 500
    assert "secret" not in answer.text
    assert "Traceback" not in answer.text
    assert answer.json()["detail"].startswith("internal error (reference ")


def test_openapi_describes_the_inspection_endpoint(api: Api) -> None:
    schema = api.client.get("/openapi.json").json()
    assert "/api/v1/inspections" in schema["paths"]
