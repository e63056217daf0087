"""``/openapi.json`` is the contract: every route's answer, its security and its errors.

Read from the real app (the ``api`` fixture), so a route added without a response
model, without the bearer requirement, or with FastAPI's default error shape fails
here rather than reaching a client.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.routing import APIRoute

from passerelle.api.models import ErrorBody
from passerelle.api.routers import (
    alert_reports,
    alerts,
    audit,
    cases,
    federation,
    forgeries,
    hits,
    identity_links,
    inspections,
    networks,
    paperwork,
    registries,
    risk,
    second_line,
)
from tests.api.conftest import Api

API = "/api/v1"
OPERATIONS = 51
"""Every method of every route under /api/v1 (inspections 4, paperwork 4, second line 3, hits 5,
cases 6, identity links 5, alerts 4, alert reports 3, forgeries 2, registries 5, audit 2, risk 1,
networks 1, federation 6): a route added or removed changes this count."""
PDF = "application/pdf"
"""The printed notices' routes answer a PDF, documented as such, not a JSON model."""
PUBLIC: dict[tuple[str, str], str] = {}
"""Operations in the document that need no caller, with why. None today: the public
things (``/login``, ``/docs``, ``/redoc``, ``/openapi.json`` itself, the static files)
are pages and files kept out of the document; every ``/api/v1`` route needs an actor."""
ERROR_REF = "#/components/schemas/ErrorBody"


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
    ]


@pytest.fixture
def document(api: Api) -> dict[str, Any]:
    answer = api.client.get("/openapi.json")
    assert answer.status_code == 200
    found: dict[str, Any] = answer.json()
    return found


def test_the_document_lists_every_api_route_and_only_them(document: dict[str, Any]) -> None:
    resources = (
        alert_reports,
        alerts,
        audit,
        cases,
        federation,
        forgeries,
        hits,
        identity_links,
        inspections,
        networks,
        paperwork,
        registries,
        risk,
        second_line,
    )
    routes = {
        (method, API + route.path)
        for resource in resources
        for route in resource.router.routes
        if isinstance(route, APIRoute)
        for method in route.methods
    }
    listed = {(method, path) for method, path, _ in operations(document)}
    assert listed == routes
    assert len(listed) == OPERATIONS


def test_every_route_documents_its_answer_with_a_model(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    for method, path, operation in operations(document):
        success = [status for status in operation["responses"] if status.startswith("2")]
        assert len(success) == 1, (method, path)
        content = operation["responses"][success[0]].get("content", {})
        if path.endswith(".pdf"):
            assert set(content) == {PDF}, (method, path)
            continue
        schema = content.get("application/json", {}).get("schema", {})
        assert "$ref" in schema, (method, path, "answers an untyped body")
        name = schema["$ref"].removeprefix("#/components/schemas/")
        model = schemas[name]
        assert model["type"] == "object", (method, path)
        assert model["properties"], (method, path)
        assert model.get("additionalProperties") is False, (method, path, name)


def test_every_body_is_a_model(document: dict[str, Any]) -> None:
    for method, path, operation in operations(document):
        if "requestBody" in operation:
            schema = operation["requestBody"]["content"]["application/json"]["schema"]
            assert "$ref" in schema, (method, path)
    (issue,) = [op for m, p, op in operations(document) if (m, p) == ("POST", f"{API}/alerts")]
    assert issue["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/AlertIn"
    }


def test_every_route_but_the_public_ones_requires_the_bearer_token(
    document: dict[str, Any],
) -> None:
    schemes = document["components"]["securitySchemes"]
    assert schemes["bearer"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "psr_...",
        "description": schemes["bearer"]["description"],
    }
    assert schemes["session"]["in"] == "cookie"
    assert schemes["session"]["name"] == "passerelle_session"
    checked = 0
    for method, path, operation in operations(document):
        if (method, path) in PUBLIC:
            assert "security" not in operation, (method, path)
            continue
        # either way: a bearer token, or the web pages' session cookie
        assert operation.get("security") == [{"bearer": []}, {"session": []}], (method, path)
        assert {"401", "403"} <= set(operation["responses"]), (method, path)
        checked += 1
    assert checked == OPERATIONS - len(PUBLIC)


def test_the_documented_error_is_the_error_the_node_sends(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    assert "HTTPValidationError" not in schemas
    assert "ValidationError" not in schemas
    error = schemas["ErrorBody"]
    assert set(error["properties"]) == {"detail", "status", "field"}
    assert sorted(error["required"]) == ["detail", "status"]
    for method, path, operation in operations(document):
        if operation.get("parameters") or "requestBody" in operation:
            assert "422" in operation["responses"], (method, path)
        for status, response in operation["responses"].items():
            if status.startswith(("4", "5")):
                schema = response["content"]["application/json"]["schema"]
                assert schema == {"$ref": ERROR_REF}, (method, path, status)


def test_real_refusals_have_the_documented_shape(api: Api) -> None:
    refusals = {
        401: api.client.get(f"{API}/hits"),
        403: api.client.get(f"{API}/hits", headers=api.as_role("officer")),
        404: api.client.get(f"{API}/cases/CASE-2026-9999", headers=api.as_role("analyst")),
        422: api.client.get(f"{API}/sltd/MAR/AB1234567", headers=api.as_role("officer")),
    }
    for status, answer in refusals.items():
        assert answer.status_code == status, answer.text
        body = ErrorBody.model_validate(answer.json())  # no key the document leaves out
        assert body.status == status
    assert refusals[422].json()["field"] == "query.purpose"
    assert refusals[404].json()["field"] == "case_id"
    assert "field" not in refusals[401].json()
