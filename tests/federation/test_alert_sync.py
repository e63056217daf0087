"""Alerts reach the partners their sharing rules allow: queued with the alert, delivered over TLS.

MAR issues; BEL serves the real federation listener (mutual TLS, loopback) and
its agreement with MAR shares ``wanted`` and ``stolen_document`` alerts; TUN's
shares ``stolen_document`` only (TUN never answers: nothing should go to it).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from passerelle.access import AccessControl, HashingParameters, PasswordHashing
from passerelle.demo import generate_world, seed_node
from passerelle.federation import NodeIdentity, new_federation_ca
from passerelle.federation.alerts import outgoing as alert_sync
from passerelle.federation.peers.directory import Agreement
from passerelle.federation.transport.client import BlockingExchangeClient
from passerelle.federation.transport.delivery import Deliverer, DeliveryReport
from passerelle.server import create_app
from passerelle.server.ports import free_port
from passerelle.store.alerts import AlertView, parse_alert
from passerelle.store.tables import (
    ExchangeInbox,
    ExchangeOutbox,
    ExchangePeer,
    PartnerAlert,
)
from passerelle.wiring import alert_registry
from tests.federation.nodes import (
    ADMIN,
    FAST_DELIVERY,
    FederatedNode,
    home_env,
    listening,
    make_home_node,
    make_node,
    register,
    serve_partner,
)
from tests.records.test_forgeries import forgery_alert

FAST = FAST_DELIVERY
PASSERELLE = str(Path(sys.executable).parent / "passerelle")


@dataclass
class Federation:
    mar: FederatedNode
    bel: FederatedNode
    client: BlockingExchangeClient

    def deliver(self) -> DeliveryReport:
        return Deliverer(self.mar.node, self.client, policy=FAST).deliver_due()


@pytest.fixture(scope="module")
def federation(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Federation]:
    folder = tmp_path_factory.mktemp("alert-sync")
    ca = new_federation_ca("Test federation CA", now=datetime.now(UTC))
    mar = make_home_node(folder / "mar", ca, "MAR")
    bel = make_node(folder / "bel", ca, "BEL")
    with listening(serve_partner(bel), bel.tls) as port:
        register(bel, mar, 1, alert_categories=["wanted", "stolen_document", "travel_ban"])
        register(mar, bel, port, alert_categories=["wanted", "stolen_document"])
        register(
            mar, NodeIdentity.generate("TUN"), free_port(), alert_categories=["stolen_document"]
        )
        with BlockingExchangeClient(mar.identity, mar.tls) as client:
            yield Federation(mar, bel, client)
    for node in (mar, bel):
        node.close()


def wanted(alert_id: str, **marks: Any) -> dict[str, Any]:
    return {
        "id": alert_id,
        "category": "wanted",
        "subject": {"kind": "person", "names": ["Karim Benjelloun"], "birth_date": "1979-03-12"},
        "issuing_authority": "DGSN Rabat: +212 5 00 00 00 00",
        "action": "Hold the traveller and call the Moroccan liaison officer.",
        **marks,
    }


def issue(node: FederatedNode, record: dict[str, Any]) -> AlertView:
    with node.node.database.write() as session:
        return alert_registry(node.node).issue(
            session, parse_alert(record), actor=ADMIN, now=node.node.clock()
        )


def move(node: FederatedNode, alert_id: str, verb: str) -> AlertView:
    registry = alert_registry(node.node)
    with node.node.database.write() as session:
        step = getattr(registry, verb)
        result: AlertView = step(
            session, alert_id, actor=ADMIN, now=node.node.clock(), reason=f"{verb} in a test"
        )
        return result


def queued(node: FederatedNode, alert_id: str) -> list[tuple[str, str, int, bool]]:
    """(partner, kind, version, delivered) of the outbox messages about ``alert_id``."""
    with node.node.database.read() as session:
        rows = session.scalars(select(ExchangeOutbox).order_by(ExchangeOutbox.id)).all()
        return [
            (row.peer, row.kind, row.body["version"], row.delivered_at is not None)
            for row in rows
            if row.body.get("alert_id", (row.body.get("alert") or {}).get("id")) == alert_id
        ]


def received(node: FederatedNode, alert_id: str) -> list[tuple[str, str, int]]:
    with node.node.database.read() as session:
        rows = session.scalars(select(PartnerAlert).where(PartnerAlert.alert_id == alert_id))
        return [(row.issuing_state, row.status, row.version) for row in rows]


def refusals(node: FederatedNode, alert_id: str) -> list[tuple[str, str]]:
    return [
        (record["peer"], record["code"])
        for record in node.audit_records("exchange.share_refused")
        if record["record_id"] == alert_id
    ]


def test_an_alert_reaches_the_partner_whose_agreement_shares_it_and_is_kept_from_the_other(
    federation: Federation,
) -> None:
    mar, bel = federation.mar, federation.bel
    issue(mar, wanted("MAR-W-1"))

    assert queued(mar, "MAR-W-1") == [("BEL", "alert.issue", 1, False)]
    assert refusals(mar, "MAR-W-1") == [("TUN", "category_not_agreed")]

    assert federation.deliver().delivered >= 1
    assert queued(mar, "MAR-W-1") == [("BEL", "alert.issue", 1, True)]
    assert received(bel, "MAR-W-1") == [("MAR", "active", 1)]
    with bel.node.database.read() as session:
        keys = session.scalars(select(ExchangeInbox.idempotency_key)).all()
    assert keys.count("alert:MAR-W-1:1") == 1
    deliveries = mar.audit_records("exchange.deliver")
    (sent,) = [r for r in deliveries if r["idempotency_key"] == "alert:MAR-W-1:1"]
    assert (sent["peer"], sent["applied"]) == ("BEL", True)


@pytest.mark.parametrize(
    ("marks", "code"),
    [
        ({"shareable": False}, "not_shareable"),
        ({"restricted_matter": "political"}, "restricted_matter"),
    ],
)
def test_an_alert_that_may_not_leave_is_queued_for_nobody_and_each_refusal_is_audited(
    federation: Federation, marks: dict[str, Any], code: str
) -> None:
    alert_id = f"MAR-{code}"
    issue(federation.mar, wanted(alert_id, **marks))

    assert queued(federation.mar, alert_id) == []
    assert refusals(federation.mar, alert_id) == [("BEL", code), ("TUN", code)]


def test_a_withdrawal_reaches_the_partner_that_got_the_issue_though_the_agreement_changed(
    federation: Federation,
) -> None:
    mar, bel = federation.mar, federation.bel
    issue(mar, wanted("MAR-W-2"))
    federation.deliver()
    mar.directory.update(
        "BEL", actor=ADMIN, agreement=Agreement.of(alert_categories=["travel_ban"])
    )
    try:
        move(mar, "MAR-W-2", "withdraw")
    finally:
        mar.directory.update(
            "BEL",
            actor=ADMIN,
            agreement=Agreement.of(alert_categories=["wanted", "stolen_document"]),
        )

    assert queued(mar, "MAR-W-2") == [
        ("BEL", "alert.issue", 1, True),
        ("BEL", "alert.withdraw", 2, False),
    ]
    federation.deliver()
    assert received(bel, "MAR-W-2") == [("MAR", "withdrawn", 2)]


def test_hits_and_rearms_stay_home_and_count_in_the_withdrawal_version(
    federation: Federation,
) -> None:
    mar = federation.mar
    issue(mar, wanted("MAR-W-3"))
    move(mar, "MAR-W-3", "record_hit")
    move(mar, "MAR-W-3", "rearm")
    assert [kind for _, kind, _, _ in queued(mar, "MAR-W-3")] == ["alert.issue"]

    move(mar, "MAR-W-3", "withdraw")
    assert queued(mar, "MAR-W-3")[-1][1:3] == ("alert.withdraw", 4)
    federation.deliver()
    assert received(federation.bel, "MAR-W-3") == [("MAR", "withdrawn", 4)]


def test_an_alert_rolled_back_leaves_no_message(federation: Federation) -> None:
    mar = federation.mar

    def issue_then_fail() -> None:
        with mar.node.database.write() as session:
            alert_registry(mar.node).issue(
                session, parse_alert(wanted("MAR-W-4")), actor=ADMIN, now=mar.node.clock()
            )
            raise RuntimeError("the caller fails after the issue")

    with pytest.raises(RuntimeError):
        issue_then_fail()
    assert queued(mar, "MAR-W-4") == []


def test_alert_issue_and_withdraw_on_the_command_line_queue_the_messages(
    federation: Federation, tmp_path: Path
) -> None:
    mar = federation.mar
    path = tmp_path / "alert.json"
    path.write_text(json.dumps(wanted("MAR-CLI-1")), encoding="utf-8")

    def passerelle(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [PASSERELLE, *args], env=home_env(mar), capture_output=True, text=True, timeout=60
        )

    issued = passerelle("alert", "issue", "--file", str(path))
    assert issued.returncode == 0, issued.stderr
    withdrawn = passerelle("alert", "withdraw", "MAR-CLI-1", "--reason", "arrested")
    assert withdrawn.returncode == 0, withdrawn.stderr

    assert queued(mar, "MAR-CLI-1") == [
        ("BEL", "alert.issue", 1, False),
        ("BEL", "alert.withdraw", 2, False),
    ]
    federation.deliver()
    assert received(federation.bel, "MAR-CLI-1") == [("MAR", "withdrawn", 2)]


def test_alerts_issued_through_the_api_are_queued(federation: Federation) -> None:
    mar = federation.mar
    fast = PasswordHashing(HashingParameters(time_cost=1, memory_kib=8 * 1024, parallelism=1))
    access = AccessControl.for_node(mar.node, hashing=fast)
    access.add_user("analyst.api", "analyst", "correct horse battery", by=ADMIN)
    token = access.issue_token("analyst.api", by=ADMIN).token
    app = create_app(node=mar.node, web=False)
    with TestClient(app) as client:
        answer = client.post(
            "/api/v1/alerts",
            json=wanted("MAR-API-1"),
            headers={"authorization": f"Bearer {token}"},
        )
    assert answer.status_code == 201, answer.text
    assert queued(mar, "MAR-API-1") == [("BEL", "alert.issue", 1, False)]


def test_demo_seeding_queues_the_demo_alerts_for_partners(
    federation: Federation, tmp_path: Path
) -> None:
    world = generate_world(11, as_of=datetime.now(UTC).date(), travellers=100)
    seed_node(federation.mar.node, world, actor=ADMIN, folder=tmp_path / "demo", faces=False)

    agreements = {"BEL": {"wanted", "stolen_document"}, "TUN": {"stolen_document"}}
    for alert in world.alerts:  # demo alerts are all shareable
        partners = [state for state, shared in agreements.items() if alert.category in shared]
        expected = [(state, "alert.issue", 1, False) for state in partners]
        assert queued(federation.mar, alert.id) == expected, alert.category
    assert {alert.category for alert in world.alerts} & agreements["BEL"]


# -- partners that missed alerts: added later, agreement widened, enabled again ------------------


def banned(alert_id: str, **marks: Any) -> dict[str, Any]:
    return wanted(alert_id, category="travel_ban", **marks)


def test_a_widened_agreement_sends_the_partner_the_live_alerts_it_now_may_hold(
    federation: Federation,
) -> None:
    mar, bel = federation.mar, federation.bel
    later = (mar.node.clock() + timedelta(days=30)).date().isoformat()
    issue(mar, wanted("MAR-W-BF"))  # sent to BEL at its issue: not again
    issue(mar, banned("MAR-TB-1"))
    issue(mar, banned("MAR-TB-2", valid_until=later))
    issue(mar, banned("MAR-TB-3", restricted_matter="military"))
    issue(mar, banned("MAR-TB-4"))
    move(mar, "MAR-TB-4", "withdraw")
    assert queued(mar, "MAR-TB-1") == []  # BEL's agreement does not share travel bans yet

    widened = Agreement.of(alert_categories=["wanted", "stolen_document", "travel_ban"])
    try:
        mar.directory.update("BEL", actor=ADMIN, agreement=widened)
        backfill = mar.directory.last_backfill
        assert backfill is not None
        assert {"MAR-TB-1", "MAR-TB-2"} <= set(backfill.queued)  # (the demo's travel bans too)
        assert not {"MAR-TB-3", "MAR-TB-4"} & set(backfill.queued)
        assert backfill.queued.index("MAR-TB-1") < backfill.queued.index("MAR-TB-2")  # by age
        assert backfill.refused["restricted_matter"] >= 1
        assert backfill.already_queued >= 1  # MAR-W-BF, sent to BEL at its issue
        assert queued(mar, "MAR-W-BF") == [("BEL", "alert.issue", 1, False)]
        assert queued(mar, "MAR-TB-3") == queued(mar, "MAR-TB-4") == []
        (audited,) = [
            r for r in mar.audit_records(alert_sync.BACKFILL) if r["queued"] == len(backfill.queued)
        ]
        assert audited["state"] == "BEL"

        mar.directory.update("BEL", actor=ADMIN, agreement=widened)  # again: nothing new
        assert mar.directory.last_backfill is not None
        assert mar.directory.last_backfill.queued == ()
        assert queued(mar, "MAR-TB-1") == [("BEL", "alert.issue", 1, False)]

        federation.deliver()
        assert received(bel, "MAR-TB-1") == [("MAR", "active", 1)]
        assert received(bel, "MAR-TB-4") == []
        move(mar, "MAR-TB-1", "withdraw")  # a backfilled partner hears of the withdrawal
        federation.deliver()
        assert received(bel, "MAR-TB-1") == [("MAR", "withdrawn", 2)]
    finally:
        mar.directory.update(
            "BEL",
            actor=ADMIN,
            agreement=Agreement.of(alert_categories=["wanted", "stolen_document"]),
        )


def test_an_alert_past_its_end_is_not_backfilled(federation: Federation) -> None:
    mar = federation.mar
    issue(
        mar,
        banned("MAR-TB-9", valid_until=(mar.node.clock() + timedelta(days=2)).date().isoformat()),
    )
    after_its_end = mar.node.clock() + timedelta(days=5)
    widened = ["wanted", "stolen_document", "travel_ban"]
    with mar.node.database.write() as session:
        session.get_one(ExchangePeer, "TUN").alert_categories = widened
        session.flush()
        done = alert_sync.backfill_alerts(
            session, mar.node.audit, "TUN", actor=ADMIN, now=after_its_end
        )
        session.rollback()
    assert "MAR-TB-9" not in done.queued


def test_a_partner_enabled_again_receives_what_was_issued_while_it_was_off(
    federation: Federation,
) -> None:
    mar, bel = federation.mar, federation.bel
    mar.directory.disable("BEL", actor=ADMIN)
    try:
        issue(mar, wanted("MAR-W-OFF"))
        assert queued(mar, "MAR-W-OFF") == []
    finally:
        mar.directory.enable("BEL", actor=ADMIN)
    assert queued(mar, "MAR-W-OFF") == [("BEL", "alert.issue", 1, False)]
    federation.deliver()
    assert received(bel, "MAR-W-OFF") == [("MAR", "active", 1)]


def test_a_partner_added_on_the_command_line_is_told_what_alerts_were_queued_for_it(
    federation: Federation,
) -> None:
    mar = federation.mar
    issue(mar, wanted("MAR-W-NEW"))
    newcomer = NodeIdentity.generate("NLD")
    added = subprocess.run(
        [PASSERELLE, "peer", "add", "NLD", "--url", f"https://localhost:{free_port()}",
         "--key", newcomer.peer_key.text, "--alerts", "wanted"],
        env=home_env(mar), capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert "alerts issued before:" in added.stdout
    assert "queued for delivery" in added.stdout
    assert ("NLD", "alert.issue", 1, False) in queued(mar, "MAR-W-NEW")


def test_a_forgery_alert_goes_to_no_partner_whose_agreement_leaves_its_category_out(
    federation: Federation,
) -> None:
    """Neither BEL's agreement nor TUN's shares ``forged_document``: the alert and its
    images stay home, each refusal audited (the three-node test shares one that is agreed)."""
    mar = federation.mar
    issue(mar, forgery_alert("MAR-F-0002"))
    federation.deliver()
    assert queued(mar, "MAR-F-0002") == []
    refused = dict(refusals(mar, "MAR-F-0002"))  # partners an earlier test added too
    assert (refused["BEL"], refused["TUN"]) == ("category_not_agreed", "category_not_agreed")
    assert set(refused.values()) == {"category_not_agreed"}
    assert received(federation.bel, "MAR-F-0002") == []
