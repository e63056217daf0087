"""The partner registry on SQLite and PostgreSQL: add, agreement, keys, enable/disable, audit."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import Result
from sqlalchemy import select
from typer.testing import CliRunner

from passerelle.cli import app
from passerelle.cli.common import node_for_cli
from passerelle.exc import InvalidInput, NotFound
from passerelle.federation import NodeIdentity
from passerelle.federation.peers.directory import Agreement, PeerDirectory
from passerelle.federation.transport.outbox import enqueue
from passerelle.federation.transport.outbox_status import outbox_status
from passerelle.store import AuditTrail, Database
from passerelle.store.tables import AuditPayload, AuditRecord, ExchangeFollowUp, PartnerAlert
from tests.conftest import Clock
from tests.federation.nodes import ADMIN

URL = "https://bel.example:8443"


@pytest.fixture
def directory(database: Database, audit: AuditTrail, clock: Clock) -> PeerDirectory:
    return PeerDirectory(database, audit, clock=clock)


def add_bel(directory: PeerDirectory, bel: NodeIdentity, **changes: object) -> None:
    values: dict[str, object] = {
        "url": URL + "/",
        "public_keys": [bel.peer_key.text],
        "actor": ADMIN,
        "name": "Belgium FPS",
        "agreement": Agreement.of(
            inbound_kinds=["document", "Person"],
            outbound_kinds=["face"],
            alert_categories=["stolen_document"],
        ),
    } | changes
    directory.add("bel", **values)  # type: ignore[arg-type]


def actions(database: Database) -> list[tuple[str, str, dict[str, object]]]:
    with database.read() as session:
        rows = session.execute(
            select(AuditRecord.action, AuditRecord.actor, AuditPayload.query)
            .join(AuditPayload, AuditPayload.seq == AuditRecord.seq)
            .order_by(AuditRecord.seq)
        )
        return [(action, actor, query) for action, actor, query in rows]


def test_added_partner_reads_back_with_its_agreement_and_keys(
    directory: PeerDirectory, bel: NodeIdentity, database: Database, clock: Clock
) -> None:
    add_bel(directory, bel)
    peer = directory.get("BEL")

    assert (peer.state, peer.name, peer.url, peer.enabled) == ("BEL", "Belgium FPS", URL, True)
    assert peer.messages_url == URL + "/federation/v1/messages"
    assert peer.keys == (bel.peer_key,)
    assert peer.agreement == Agreement(("document", "person"), ("face",), ("stolen_document",), 48)
    assert (peer.added_at, peer.added_by) == (clock.now, ADMIN.name)
    assert peer.may_ask("person")
    assert not peer.may_ask("face")
    assert peer.is_asked("face")
    assert not peer.is_asked("document")
    assert directory.keys_for("BEL") == (bel.peer_key,)
    assert directory.keys_for("MAR") == ()
    assert [p.state for p in directory.list()] == ["BEL"]
    assert [p.state for p in directory.asked_for("face")] == ["BEL"]
    assert actions(database) == [("peer.add", ADMIN.name, {"state": "BEL"})]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"url": "http://bel.example"}, "url"),
        ({"url": "https://"}, "url"),
        ({"url": "https://bel.example/?q=1"}, "url"),
        ({"public_keys": []}, "public_key"),
        ({"public_keys": ["ed25519 BEL notbase64!"]}, "public_key"),
        ({"name": "x" * 200}, "name"),
    ],
)
def test_bad_partner_values_are_refused_naming_the_field(
    directory: PeerDirectory, bel: NodeIdentity, changes: dict[str, object], field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        add_bel(directory, bel, **changes)
    assert refused.value.field == field
    assert directory.list() == []


def test_key_naming_another_state_is_refused(
    directory: PeerDirectory, bel: NodeIdentity, mar: NodeIdentity
) -> None:
    with pytest.raises(InvalidInput, match="names MAR, not the partner's state BEL") as refused:
        add_bel(directory, bel, public_keys=[mar.peer_key.text])
    assert refused.value.field == "public_key"


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"inbound_kinds": ["iris"]}, "inbound_kinds"),
        ({"outbound_kinds": ["vehicle"]}, "outbound_kinds"),
        ({"alert_categories": ["gossip"]}, "alert_categories"),
        ({"follow_up_hours": 0}, "follow_up_hours"),
    ],
)
def test_agreement_outside_the_known_kinds_is_refused(
    values: dict[str, object], field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        Agreement.of(**values)  # type: ignore[arg-type]
    assert refused.value.field == field


def test_a_state_is_registered_once(directory: PeerDirectory, bel: NodeIdentity) -> None:
    add_bel(directory, bel)
    with pytest.raises(InvalidInput, match="already a registered partner"):
        add_bel(directory, bel)


def test_agreement_update_and_disable_are_audited_and_disable_hides_the_keys(
    directory: PeerDirectory, bel: NodeIdentity, database: Database, clock: Clock
) -> None:
    add_bel(directory, bel)
    clock.advance(hours=1)
    updated = directory.update(
        "BEL", actor=ADMIN, agreement=Agreement.of(inbound_kinds=["face"], follow_up_hours=24)
    )
    assert updated.agreement == Agreement(("face",), (), (), 24)
    assert updated.updated_at == clock.now

    disabled = directory.disable("BEL", actor=ADMIN)
    assert not disabled.enabled
    assert not disabled.may_ask("face")
    assert directory.keys_for("BEL") == ()
    assert directory.list(enabled_only=True) == []
    assert directory.enable("BEL", actor=ADMIN).enabled
    assert directory.keys_for("BEL") == (bel.peer_key,)
    assert [a for a, _, _ in actions(database)] == [
        "peer.add",
        "peer.update",
        "peer.disable",
        "peer.enable",
    ]


def test_key_rotation_adds_then_removes_and_keeps_at_least_one(
    directory: PeerDirectory, bel: NodeIdentity, database: Database
) -> None:
    add_bel(directory, bel)
    new = NodeIdentity.generate("BEL")
    rotated = directory.add_key("BEL", new.peer_key.text, actor=ADMIN)
    assert rotated.keys == (bel.peer_key, new.peer_key)
    assert len(directory.keys_for("BEL")) == 2
    with pytest.raises(InvalidInput, match="already registered"):
        directory.add_key("BEL", new.peer_key.text, actor=ADMIN)

    after = directory.remove_key("BEL", bel.peer_key.text, actor=ADMIN)
    assert after.keys == (new.peer_key,)
    with pytest.raises(InvalidInput, match="only key"):
        directory.remove_key("BEL", new.key_id, actor=ADMIN)
    with pytest.raises(InvalidInput, match="not registered"):
        directory.remove_key("BEL", bel.key_id, actor=ADMIN)
    assert actions(database)[1:] == [
        ("peer.key_add", ADMIN.name, {"state": "BEL", "key_id": new.key_id}),
        ("peer.key_remove", ADMIN.name, {"state": "BEL", "key_id": bel.key_id}),
    ]


def test_unknown_partner_is_not_found(directory: PeerDirectory) -> None:
    with pytest.raises(NotFound) as missing:
        directory.disable("BEL", actor=ADMIN)
    assert missing.value.field == "state"
    assert directory.find("BEL") is None
    assert directory.find("XXZ") is None


def test_removed_partner_is_gone_and_audited(
    directory: PeerDirectory, bel: NodeIdentity, database: Database
) -> None:
    add_bel(directory, bel)
    directory.remove("BEL", actor=ADMIN)
    assert directory.list() == []
    assert actions(database)[-1][0] == "peer.remove"


# -- the command line ----------------------------------------------------------------------


def test_peer_commands_register_show_rotate_and_disable_a_partner(
    node_home: Callable[[], Path], bel: NodeIdentity
) -> None:
    runner = CliRunner()

    def run(*args: str) -> Result:
        return runner.invoke(app, list(args))

    assert run("db", "upgrade").exit_code == 0
    assert run("keys", "init").exit_code == 0
    added = run(
        "peer", "add", "bel", "--url", URL, "--key", bel.peer_key.text, "--name", "Belgium",
        "--inbound", "document,person", "--outbound", "face", "--alerts", "stolen_document",
    )  # fmt: skip
    assert added.exit_code == 0, added.stderr
    assert f"key {bel.key_id}" in added.stdout

    shown = json.loads(run("peer", "show", "BEL", "--json").stdout)
    assert (shown["inbound_kinds"], shown["outbound_kinds"]) == (["document", "person"], ["face"])
    assert shown["follow_up_hours"] == 48
    assert "BEL  on   https://bel.example:8443  in:document,person" in run("peer", "list").stdout

    new = NodeIdentity.generate("BEL")
    assert run("peer", "key-add", "BEL", new.peer_key.text).exit_code == 0
    assert run("peer", "key-remove", "BEL", bel.key_id).exit_code == 0
    assert run("peer", "update", "BEL", "--inbound", "face").exit_code == 0
    assert run("peer", "disable", "BEL").exit_code == 0
    listed = json.loads(run("peer", "list", "--json").stdout)
    assert [(p["enabled"], p["inbound_kinds"], p["outbound_kinds"]) for p in listed] == [
        (False, ["face"], ["face"])
    ]
    assert [k["key_id"] for k in listed[0]["keys"]] == [new.key_id]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--url", "http://bel.example"), "url: "),
        (("--url", URL, "--inbound", "iris"), "inbound_kinds: iris not among"),
        (("--url", URL, "--alerts", "gossip"), "alert_categories: gossip not among"),
    ],
)
def test_peer_add_names_the_field_at_fault(
    node_home: Callable[[], Path], bel: NodeIdentity, args: tuple[str, ...], message: str
) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    assert runner.invoke(app, ["keys", "init"]).exit_code == 0
    result = runner.invoke(app, ["peer", "add", "BEL", "--key", bel.peer_key.text, *args])
    assert result.exit_code == 2
    assert message in result.stderr


def _hold_for_bel(database: Database, clock: Clock) -> None:
    """BEL's active alert, its pending request, and one message waiting to go to it."""
    now = clock.now
    with database.write() as session:
        session.add(
            PartnerAlert(
                issuing_state="BEL", alert_id="BEL-A-1", category="stolen_document",
                subject={"document_number": "X1"}, subject_key="doc:X1", action="hold",
                action_code=None, contact="desk@bel", status="active", version=1,
                valid_from=date(2026, 1, 1), valid_until=None, issued_at=now,
                received_at=now, updated_at=now,
            )
        )  # fmt: skip
        session.add(
            ExchangeFollowUp(
                id="f-1", direction="incoming", peer="BEL", reference="MAR-R-1",
                justification="checking", requested_by="BEL:analyst", requested_at=now,
                deadline_at=now + timedelta(hours=48), status="pending", decided_by=None,
                decided_at=None, decision_note=None, released=None,
            )
        )  # fmt: skip
        enqueue(session, peer="BEL", kind="alert.issue", body={}, idempotency_key="a:1", now=now)


def test_a_partner_with_messages_waiting_is_removed_only_by_force_which_parks_them(
    directory: PeerDirectory, bel: NodeIdentity, database: Database, clock: Clock
) -> None:
    add_bel(directory, bel)
    _hold_for_bel(database, clock)

    with pytest.raises(InvalidInput) as refused:
        directory.remove("BEL", actor=ADMIN)
    assert refused.value.field == "state"
    assert "--force" in str(refused.value)
    assert [p.state for p in directory.list()] == ["BEL"]

    done = directory.remove("BEL", actor=ADMIN, force=True)

    assert done.as_json() == {"parked": 1, "alerts_withdrawn": 1, "followups_closed": 1}
    assert directory.list() == []
    (status,) = outbox_status(database)
    assert (status.waiting, status.parked) == (0, 1)
    with database.read() as session:
        alert = session.get(PartnerAlert, ("BEL", "BEL-A-1"))
        followup = session.get(ExchangeFollowUp, "f-1")
        assert alert is not None
        assert alert.status == "withdrawn"
        assert followup is not None
        assert (followup.status, followup.decided_by) == ("refused", ADMIN.name)
    assert actions(database)[-1] == (
        "peer.remove",
        ADMIN.name,
        {"state": "BEL", "parked": "1", "alerts_withdrawn": "1", "followups_closed": "1"},
    )


def test_peer_remove_command_refuses_while_messages_wait_and_force_parks_them(
    node_home: Callable[[], Path], bel: NodeIdentity, clock: Clock
) -> None:
    now = clock.now
    runner = CliRunner()
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    assert runner.invoke(app, ["keys", "init"]).exit_code == 0
    added = runner.invoke(app, ["peer", "add", "BEL", "--url", URL, "--key", bel.peer_key.text])
    assert added.exit_code == 0, added.stderr
    with node_for_cli() as node, node.database.write() as session:
        enqueue(session, peer="BEL", kind="alert.issue", body={}, idempotency_key="a:1", now=now)

    kept = runner.invoke(app, ["peer", "remove", "BEL"])
    assert kept.exit_code == 2
    assert "state: 1 message(s) to BEL are still waiting" in kept.stderr
    removed = runner.invoke(app, ["peer", "remove", "BEL", "--force"])
    assert removed.exit_code == 0, removed.stderr
    assert "1 queued message(s) parked" in removed.stdout
    assert runner.invoke(app, ["peer", "list", "--json"]).stdout.strip() == "[]"
