"""``PUT /api/v1/watchlist/{id}/sharing``: analysts set a person's sharing flags, audited."""

from __future__ import annotations

import pytest

from tests.api.conftest import Api

PERSON = "/api/v1/watchlist/MAR-W-0001"
SHARING = PERSON + "/sharing"
KEEP_HOME = {
    "shareable": False,
    "restricted_matter": "political",
    "reason": "Opposition figure: Interpol article 3, never shared.",
}


def test_an_analyst_keeps_a_person_home_and_the_change_is_audited(api: Api) -> None:
    analyst = api.as_role("analyst")
    before = api.client.get(PERSON + "?purpose=check", headers=analyst).json()
    assert (before["shareable"], before["restricted_matter"]) == (True, None)

    changed = api.client.put(SHARING, json=KEEP_HOME, headers=analyst)

    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert (body["id"], body["shareable"], body["restricted_matter"]) == (
        "MAR-W-0001",
        False,
        "political",
    )
    assert body["content_hash"] != before["content_hash"]
    after = api.client.get(PERSON + "?purpose=check", headers=analyst).json()
    assert (after["shareable"], after["restricted_matter"]) == (False, "political")
    assert after["names"] == before["names"]
    (record,) = api.client.get(
        "/api/v1/audit?action=watchlist.sharing", headers=api.as_role("auditor")
    ).json()["records"]
    assert (record["actor"], record["purpose"]) == ("analyst.one", KEEP_HOME["reason"])
    assert record["result"]["before"] == {"shareable": True, "restricted_matter": None}
    assert record["result"]["after"] == {"shareable": False, "restricted_matter": "political"}

    shared_again = {"shareable": True, "restricted_matter": None, "reason": "Reviewed: share."}
    assert api.client.put(SHARING, json=shared_again, headers=analyst).json()["shareable"]


@pytest.mark.parametrize("role", ["officer", "auditor", "admin", "partner"])
def test_only_analysts_set_sharing_flags(api: Api, role: str) -> None:
    answer = api.client.put(SHARING, json=KEEP_HOME, headers=api.as_role(role))
    assert answer.status_code == 403, (role, answer.text)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**KEEP_HOME, "restricted_matter": "gossip"}, "restricted_matter"),
        ({**KEEP_HOME, "shareable": "no"}, "shareable"),
        ({"shareable": False}, "reason"),
        ({**KEEP_HOME, "reason": "  "}, "reason"),
        ({**KEEP_HOME, "category": "wanted"}, "category"),
    ],
)
def test_a_bad_sharing_body_is_refused_naming_the_field(
    api: Api, body: dict[str, object], field: str
) -> None:
    answer = api.client.put(SHARING, json=body, headers=api.as_role("analyst"))
    assert answer.status_code == 422, answer.text
    assert answer.json()["field"] == field


def test_sharing_flags_of_an_unknown_person_are_not_found(api: Api) -> None:
    answer = api.client.put(
        "/api/v1/watchlist/MAR-W-9999/sharing", json=KEEP_HOME, headers=api.as_role("analyst")
    )
    assert answer.status_code == 404
    assert answer.json()["field"] == "id"
