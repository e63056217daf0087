"""An analyst's watchlist search is a ranked list, not a border alert: the exact listed
name is found without a birth date, and ``would_alert`` marks only what the border
check would alert on (issue 17: "search without a birth date hides exact names")."""

from __future__ import annotations

from passerelle.names import DEFAULT_THRESHOLD
from tests.api.conftest import Api


def _search(api: Api, **params: str) -> dict[str, object]:
    answer = api.client.get(
        "/api/v1/watchlist/search",
        params={**params, "purpose": "second-line check"},
        headers=api.as_role("analyst"),
    )
    assert answer.status_code == 200, answer.text
    found: dict[str, object] = answer.json()
    return found


def test_the_exact_listed_name_without_a_birth_date_is_ranked_first(api: Api) -> None:
    found = _search(api, name="محمد بن علي")
    matches = found["matches"]
    assert isinstance(matches, list)
    assert matches[0]["id"] == "MAR-W-0001"
    assert found["alert_threshold"] == DEFAULT_THRESHOLD
    assert [m["would_alert"] for m in matches] == [m["score"] >= DEFAULT_THRESHOLD for m in matches]
    assert [m["score"] for m in matches] == sorted((m["score"] for m in matches), reverse=True)


def test_with_the_birth_date_the_listed_person_would_alert(api: Api) -> None:
    found = _search(api, name="Mohamed Ben Ali", birth_date="1985-03-02")
    matches = found["matches"]
    assert isinstance(matches, list)
    assert matches[0]["id"] == "MAR-W-0001"
    assert matches[0]["would_alert"] is True


def test_a_threshold_still_cuts_the_list_when_asked(api: Api) -> None:
    found = _search(api, name="محمد بن علي", threshold="0.99")
    assert found["matches"] == []
