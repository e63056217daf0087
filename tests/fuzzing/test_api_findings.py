"""What the API fuzzing (``test_api_schema``) found, each held by one example.

Each test is the smallest request that broke the document before its fix.
"""

from __future__ import annotations

import pytest

from tests.api.conftest import Api, api  # noqa: F401  (fixture)
from tests.screening.conftest import node  # noqa: F401  (fixture)

NOT_UTF8 = b"\xff\xfe\x00"


@pytest.mark.parametrize(
    "path", ["/api/v1/inspections", "/api/v1/cases", "/api/v1/alerts", "/api/v1/hits/1/notes"]
)
def test_a_body_that_is_not_utf8_text_is_refused_422_naming_the_body(
    api: Api,  # noqa: F811
    path: str,
) -> None:
    answer = api.client.post(
        path,
        content=NOT_UTF8,
        headers={**api.as_role("admin"), "content-type": "application/json"},
    )
    assert answer.status_code == 422, answer.text
    assert answer.json() == {
        "detail": "body: not JSON text in UTF-8",
        "field": "body",
        "status": 422,
    }


def test_an_unknown_key_in_a_body_is_named_escaped_and_short(api: Api) -> None:  # noqa: F811
    key = "\u202e\u0007" * 50
    answer = api.client.post(
        "/api/v1/cases",
        json={"review_ids": [1], "title": "x", key: 1},
        headers=api.as_role("analyst"),
    )
    assert answer.status_code == 422, answer.text
    field = answer.json()["field"]
    assert field.isprintable()
    assert field.startswith("'\\u202e\\x07")
    assert len(field) < 40
