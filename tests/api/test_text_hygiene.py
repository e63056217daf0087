"""Control characters are refused in every stored text, and direction or zero-width
characters in names, at every door: the API's bodies and queries, the pages' forms and the
bulk loads, with 422 (or a rejected line) naming the field and the character."""

from __future__ import annotations

from pathlib import Path

import pytest

from passerelle.exc import InvalidInput
from passerelle.federation.followups.values import parse_justification, parse_note
from passerelle.node import Node
from passerelle.store import Actor
from passerelle.store.loading import load_file
from passerelle.store.watchlist import WatchlistRegistry
from tests.api.conftest import Api
from tests.api.test_cases import queued_hit
from tests.screening.conftest import write_lines
from tests.web.test_pages import csrf, login

ALERT = {
    "category": "wanted",
    "subject": {"kind": "person", "names": ["Youssef El Amrani"], "birth_date": "1980-02-03"},
    "issuing_authority": "DGSN Rabat",
    "action": "Hold the traveller and call the issuing authority.",
}
ESC = "\x1b[2J\x1b[31mCLEARED\x1b[0m"


def _alert(**change: object) -> dict[str, object]:
    return {**ALERT, **change}


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        (_alert(action="Hold " + ESC), "action", "U+001B ESCAPE"),
        (_alert(issuing_authority="DGSN\x00"), "issuing_authority", "U+0000 NULL"),
        (_alert(issuing_authority="DGSN\x85Rabat"), "issuing_authority", "U+0085"),
        (_alert(issuing_authority="DGSN\u2028Rabat"), "issuing_authority", "U+2028"),
        (
            _alert(subject={"kind": "person", "names": ["\u202einarmA lE"]}),
            "subject.names",
            "direction control (U+202E RIGHT-TO-LEFT OVERRIDE)",
        ),
        (
            _alert(subject={"kind": "person", "names": ["Youssef\u200b El Amrani"]}),
            "subject.names",
            "zero-width character (U+200B ZERO WIDTH SPACE)",
        ),
        (
            _alert(subject={"kind": "person", "names": ["يوسف\u2067 العمراني"]}),
            "subject.names",
            "U+2067",
        ),
    ],
)
def test_an_alert_with_a_control_or_hidden_character_is_refused_naming_the_field(
    api: Api, body: dict[str, object], field: str, words: str
) -> None:
    answer = api.client.post("/api/v1/alerts", json=body, headers=api.as_role("analyst"))
    assert answer.status_code == 422, answer.text
    assert answer.json()["field"] == field
    assert words in answer.json()["detail"]


def test_free_text_keeps_its_lines_and_a_persian_name_its_non_joiner(api: Api) -> None:
    analyst = api.as_role("analyst")
    persian = "محمد\u200cرضا کریمی"
    issued = api.client.post(
        "/api/v1/alerts",
        json=_alert(
            action="Hold the traveller.\nCall the duty officer:\t+212 5 37",
            subject={"kind": "person", "names": [persian]},
        ),
        headers=analyst,
    )
    assert issued.status_code == 201, issued.text
    assert issued.json()["subject"]["names"] == [persian]
    review_id = queued_hit(api)
    noted = api.client.post(
        f"/api/v1/hits/{review_id}/notes", json={"text": "line one\nline two"}, headers=analyst
    )
    assert noted.status_code == 201, noted.text


def test_notes_titles_reasons_and_queries_refuse_control_characters(api: Api) -> None:
    analyst, officer = api.as_role("analyst"), api.as_role("officer")
    review_id = queued_hit(api)
    refused = [
        ("/api/v1/cases", {"review_ids": [review_id], "title": "Seized" + ESC}, "title"),
        (f"/api/v1/hits/{review_id}/notes", {"text": "ok\n\x07bell"}, "text"),
        (f"/api/v1/hits/{review_id}/dismiss", {"note": "\x1b]0;pwned\x07"}, "note"),
        ("/api/v1/alerts/MAR-A-0042/withdraw", {"reason": "done\r\nX"}, "reason"),
    ]
    for path, body, field in refused:
        answer = api.client.post(path, json=body, headers=analyst)
        assert answer.status_code == 422, (path, answer.text)
        assert answer.json()["field"] == field
        assert "control character" in answer.json()["detail"]
    inspection = api.client.post(
        "/api/v1/inspections",
        json={
            "purpose": "border\x1b[8m control",
            "crossing_point": "TNG-MED",
            "direction": "entry",
        },
        headers=officer,
    )
    assert (inspection.status_code, inspection.json()["field"]) == (422, "purpose")
    search = api.client.get(
        "/api/v1/watchlist/search",
        params={"name": "Ben Ali", "purpose": "visa\x1b[2J"},
        headers=analyst,
    )
    assert (search.status_code, search.json()["field"]) == (422, "query.purpose")
    assert api.client.get("/api/v1/cases", headers=analyst).json()["cases"] == []


def test_a_page_form_refuses_a_control_character_naming_the_field(api: Api) -> None:
    login(api.client, "analyst.one")
    page = api.client.get("/alerts").text
    answer = api.client.post(
        "/alerts",
        data={
            "csrf_token": csrf(page),
            "kind": "person",
            "category": "wanted",
            "names": "Youssef\u202e El Amrani",
            "issuing_authority": "DGSN Rabat",
            "action": "Hold",
        },
    )
    assert answer.status_code == 422
    assert "Names: holds an invisible direction control (U+202E" in answer.text
    withdrawn = api.client.post(
        "/alerts/MAR-A-0042/withdraw",
        data={"csrf_token": csrf(page), "reason": "done" + ESC},
    )
    assert withdrawn.status_code == 422
    assert "Reason: holds a control character (U+001B ESCAPE)" in withdrawn.text
    assert "MAR-A-0042" in api.client.get("/alerts").text  # still there, not withdrawn


@pytest.mark.parametrize("parallel", [False, True], ids=["one process", "parsing apart"])
def test_a_loaded_name_loses_its_hidden_characters_and_the_load_counts_the_lines(
    node: Node, tmp_path: Path, parallel: bool
) -> None:
    person = {
        "category": "wanted",
        "issued_by": "MAR",
        "birth_date": "1980-02-03",
        "nationalities": ["MAR"],
    }
    persian = "علی\u200cرضا حداد"
    report = load_file(
        node.database,
        node.audit,
        WatchlistRegistry(),
        write_lines(
            tmp_path / "hidden.jsonl",
            {**person, "id": "W-1", "names": ["Karim\u202e Haddad"]},
            {**person, "id": "W-2", "names": ["Karim Haddad", "\ufeff\u200fكريم حداد\u200b"]},
            {**person, "id": "W-3", "names": ["Karim\x1b[31m Haddad"]},
            {**person, "id": "W-4", "names": [persian]},
        ),
        actor=Actor("setup", "user", "admin"),
        clock=node.clock,
        parallel=parallel,
    )
    assert (report.accepted, report.names_cleaned) == (3, 2)
    assert [(r.line_no, r.field) for r in report.rejections] == [(3, "names")]
    assert "control characters" in report.rejections[0].reason
    with node.database.read() as session:
        found = {i: WatchlistRegistry().get(session, i) for i in ("W-1", "W-2", "W-4")}
    stored = {i: person.names for i, person in found.items() if person is not None}
    assert stored == {
        "W-1": ("Karim Haddad",),
        "W-2": ("Karim Haddad", "كريم حداد"),
        "W-4": (persian,),
    }


def test_a_partners_justification_or_note_with_a_control_character_is_refused() -> None:
    assert parse_justification("Hit at Tanger Med;\nneed the file") == (
        "Hit at Tanger Med;\nneed the file"
    )
    with pytest.raises(InvalidInput) as refused:
        parse_justification("Hit at Tanger Med \x1b[2J need the file")
    assert refused.value.field == "justification"
    assert "U+001B ESCAPE" in refused.value.reason
    with pytest.raises(InvalidInput, match="note: holds a control character"):
        parse_note("approved\x00", required=True)
