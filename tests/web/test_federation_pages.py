"""The analysts' ``/federation`` page and the partners' light on the booth's verdict."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from passerelle.federation.sharing.legal_basis import Refusal, record_refused_share
from passerelle.federation.transport.delivery import PARKED_UNTIL
from passerelle.store.tables import ExchangeFollowUp, ExchangeOutbox
from tests.api.conftest import Api
from tests.screening.conftest import passport
from tests.web.test_pages import csrf, login

FOLLOWUP = "8d3e0f1a-1b2c-4d5e-8f90-a1b2c3d4e5f6"


def incoming_request(api: Api) -> None:
    node = api.services.node
    now = node.clock()
    with node.database.write() as session:
        session.add(
            ExchangeFollowUp(
                id=FOLLOWUP,
                direction="incoming",
                peer="BEL",
                reference="UTO-AAAQEAYEAUDAOCAJBIFQYDIOB4",
                justification="Traveller held at Brussels airport with this passport.",
                requested_by="BEL:analyst.bel",
                requested_at=now,
                deadline_at=now + timedelta(hours=48),
                status="pending",
                decided_by=None,
                decided_at=None,
                decision_note=None,
                released=None,
            )
        )


def test_an_analyst_sees_a_partners_request_with_its_countdown_and_refuses_it(api: Api) -> None:
    incoming_request(api)
    login(api.client, "analyst.one")
    listed = api.client.get("/federation")
    assert listed.status_code == 200
    assert f'id="followup-{FOLLOWUP}"' in listed.text
    assert "48 h 00 min left" in listed.text or "47 h 59 min left" in listed.text
    assert 'href="/federation"' in listed.text
    refused = api.client.post(
        f"/federation/followups/{FOLLOWUP}/refuse",
        data={"csrf_token": csrf(listed.text), "note": "Investigation under way."},
        follow_redirects=False,
    )
    assert refused.status_code == 303
    after = api.client.get("/federation").text
    assert "Investigation under way." in after
    with api.services.node.database.read() as session:
        (queued,) = session.query(ExchangeOutbox).all()
    assert queued.body["status"] == "refused"
    assert "Investigation" not in str(queued.body)


def test_a_form_without_the_csrf_token_is_refused(api: Api) -> None:
    incoming_request(api)
    login(api.client, "analyst.one")
    answer = api.client.post(
        f"/federation/followups/{FOLLOWUP}/approve", data={"csrf_token": "forged"}
    )
    assert answer.status_code == 403


def test_a_bad_reference_comes_back_with_the_reason(api: Api) -> None:
    login(api.client, "analyst.one")
    page = api.client.get("/federation?reference=BEL:x").text
    answer = api.client.post(
        "/federation/followups",
        data={"csrf_token": csrf(page), "reference": "BEL:x", "justification": "Held at the booth"},
    )
    assert answer.status_code == 200
    assert 'id="error"' in answer.text
    assert "reference: must be STATE:REFERENCE" in answer.text


def test_officers_do_not_see_the_federation_page(api: Api) -> None:
    login(api.client, "officer.one")
    assert api.client.get("/federation").status_code == 403


def test_the_verdict_shows_the_partners_light_when_they_were_asked(api: Api) -> None:
    body = {
        "mrz": passport(),
        "purpose": "border control",
        "crossing_point": "TNG-MED",
        "direction": "entry",
        "federation": True,
    }
    result = api.client.post("/api/v1/inspections", json=body, headers=api.as_role("officer"))
    login(api.client, "officer.one")
    verdict = api.client.get(f"/check/{result.json()['inspection_id']}").text
    assert 'id="light-federation"' in verdict
    assert "not configured" in verdict
    assert "The partners were not asked" in verdict


def test_the_analyst_sees_what_was_kept_from_a_partner_and_why(api: Api) -> None:
    node = api.services.node
    with node.database.write() as session:
        record_refused_share(
            session,
            node.audit,
            peer=_Partner("BEL"),
            kind="query.person",
            message_id="0f0e8c52-5a3a-4c61-9a55-5d1b1bd0a001",
            record_type="alert",
            record_id="MAR-A-0042",
            refusal=Refusal("restricted_matter", "alert MAR-A-0042 concerns a political matter"),
            at=node.clock(),
        )
    login(api.client, "analyst.one")
    page = api.client.get("/federation").text
    assert "Kept from partners" in page
    assert "MAR-A-0042" in page
    assert "restricted_matter" in page
    assert "political matter" in page


@dataclass(frozen=True)
class _Partner:
    state: str


def test_the_analyst_sees_what_waits_for_each_partner_and_what_is_parked(api: Api) -> None:
    node = api.services.node
    now = node.clock()
    with node.database.write() as session:
        for number, (delivered, due) in enumerate(
            [(now, now), (None, now), (None, PARKED_UNTIL)], start=1
        ):
            session.add(
                ExchangeOutbox(
                    peer="BEL",
                    kind="alert.issue",
                    idempotency_key=f"alert:A-{number}:1",
                    body={"version": 1},
                    created_at=now,
                    attempts=1,
                    next_attempt_at=due,
                    delivered_at=delivered,
                    last_error=None,
                )
            )
    login(api.client, "analyst.one")
    page = api.client.get("/federation").text
    assert "Messages to partners" in page
    assert 'id="outbox-BEL"' in page
    assert "1 parked" in page
    answer = api.client.get("/api/v1/federation/outbox", headers=api.as_role("analyst"))
    assert answer.status_code == 200, answer.text
    (bel,) = answer.json()["outbox"]
    assert (bel["peer"], bel["waiting"], bel["parked"], bel["delivered"]) == ("BEL", 1, 1, 1)
