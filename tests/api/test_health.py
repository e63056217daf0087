"""``GET /healthz``: the load balancer's question, answered without a caller."""

from __future__ import annotations

from tests.api.conftest import Api


def test_a_serving_host_answers_ok_without_a_token(api: Api) -> None:
    answer = api.client.get("/healthz")
    assert answer.status_code == 200
    assert answer.text == "ok\n"


def test_the_health_check_is_kept_out_of_the_api_document(api: Api) -> None:
    assert "/healthz" not in api.client.get("/openapi.json").json()["paths"]
