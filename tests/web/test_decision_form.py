"""The decision form without JavaScript: a decision the catalogue does not allow comes back
as the verdict page with the reason at the form, nothing recorded (tests/web/test_browser_keys.py
drives the same form from the keyboard in Chromium)."""

from __future__ import annotations

from httpx import Response
from sqlalchemy import select

from passerelle.store.tables import AuditRecord
from tests.api.conftest import Api
from tests.screening.conftest import STOLEN_NUMBER, passport
from tests.web.test_pages import csrf, login


def _verdict(api: Api, mrz: str) -> Response:
    login(api.client, "officer.one")
    form = api.client.get("/check").text
    verdict = api.client.post(
        "/check",
        data={
            "csrf_token": csrf(form),
            "mrz": mrz,
            "crossing_point": "TNG-MED",
            "direction": "entry",
            "purpose": "border control",
        },
    )
    assert verdict.status_code == 200
    return verdict


def _decisions(api: Api) -> list[str]:
    with api.services.node.database.read() as session:
        actions = session.scalars(select(AuditRecord.action).order_by(AuditRecord.seq))
        return [action for action in actions if action == "inspection.decide"]


def test_a_reason_of_another_action_keeps_the_verdict_and_says_which_field(api: Api) -> None:
    verdict = _verdict(api, passport(number=STOLEN_NUMBER))
    inspection_id = str(verdict.url).rsplit("/", 1)[1]

    answer = api.client.post(
        f"/check/{inspection_id}/decision",
        data={"csrf_token": csrf(verdict.text), "action": "refuse", "reason_code": "hit_to_handle"},
        follow_redirects=False,
    )

    assert answer.status_code == 422
    page = answer.text
    assert 'class="verdict verdict-hit"' in page  # the verdict is still on screen
    assert 'id="light-sltd"' in page
    assert STOLEN_NUMBER in page
    assert (
        '<p class="error" role="alert" id="decision-error" data-field="reason_code">'
        "Reason: choose a reason under &#34;refuse&#34; for this decision on entry</p>"
    ) in page
    assert 'aria-invalid="true" aria-describedby="decision-error"' in page
    assert '<option value="hit_to_handle" selected>' in page  # what the officer chose
    assert 'class="decision-form"' in page  # the form is there to decide again
    assert "Please check what was entered" not in page  # not the error page
    assert _decisions(api) == []
    assert api.services.inspector.get(inspection_id).officer_decision is None

    decided = api.client.post(
        f"/check/{inspection_id}/decision",
        data={"csrf_token": csrf(page), "action": "refuse", "reason_code": "false_document"},
    )
    assert decided.status_code == 200
    label = "False, counterfeit or forged document"
    assert f'Refused — <span id="decided-reason">{label}</span>' in decided.text
    assert _decisions(api) == ["inspection.decide"]


def test_an_unknown_action_keeps_the_verdict_too(api: Api) -> None:
    verdict = _verdict(api, passport())
    answer = api.client.post(
        str(verdict.url) + "/decision",
        data={"csrf_token": csrf(verdict.text), "action": "wave", "reason_code": "cleared"},
    )
    assert answer.status_code == 422
    assert 'class="verdict verdict-clear"' in answer.text
    assert "Action: &#39;wave&#39; is not one of admit, refer, refuse" in answer.text
    assert _decisions(api) == []


def test_the_reasons_are_grouped_by_the_action_they_belong_to(api: Api) -> None:
    page = _verdict(api, passport()).text
    assert '<optgroup label="Admit" data-action="admit">' in page
    assert '<optgroup label="Refer to second line" data-action="refer">' in page
    assert '<optgroup label="Refuse entry or exit" data-action="refuse">' in page
    assert '<option value="cleared" selected>' in page  # the verdict's reason, for A
    assert 'aria-keyshortcuts="X" id="refuse"' in page
