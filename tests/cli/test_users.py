"""``passerelle user`` and ``passerelle token`` end to end on a node in a temporary home."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from passerelle.access import AccessControl, AuthenticationFailed
from passerelle.store import AuditTrail, Database
from passerelle.store.audit import load_key
from passerelle.store.tables import AuditPayload, AuditRecord
from tests.cli.conftest import Run

PASSWORD = "correct horse battery"


@pytest.fixture
def node_access(node_home: Callable[[], Path]) -> Iterator[Callable[[], AccessControl]]:
    """The node's access control as the API would build it (opened after the commands ran)."""
    databases: list[Database] = []

    def _open() -> AccessControl:
        home = node_home()
        database = Database(f"sqlite:///{home / 'passerelle.db'}")
        databases.append(database)
        return AccessControl(database, AuditTrail(load_key(home / "keys" / "audit.key")))

    yield _open
    for database in databases:
        database.dispose()


def audit_trail(home: Path) -> list[tuple[str, str, str]]:
    """(action, actor, payload as JSON text) of every audit record after the node's set-up
    (``keys init`` records the keys' fingerprints first)."""
    database = Database(f"sqlite:///{home / 'passerelle.db'}")
    try:
        with database.read() as session:
            rows = session.execute(
                select(
                    AuditRecord.action, AuditRecord.actor, AuditPayload.query, AuditPayload.result
                )
                .join(AuditPayload, AuditPayload.seq == AuditRecord.seq)
                .where(AuditRecord.action.not_like("node.keys%"))  # the node's set-up
                .order_by(AuditRecord.seq)
            ).all()
    finally:
        database.dispose()
    return [(action, actor, json.dumps([q, r])) for action, actor, q, r in rows]


def test_user_add_makes_a_supervisor(run: Run) -> None:
    added = run("user", "add", "chef.tahiri", "--role", "supervisor", stdin=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    assert added.stdout == "chef.tahiri: supervisor, enabled\n"


def test_user_add_reads_the_password_from_stdin_and_the_user_can_log_in(
    run: Run, node_access: Callable[[], AccessControl], node_home: Callable[[], Path]
) -> None:
    added = run("user", "add", "Officer.Benali", "--role", "officer", stdin=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    assert added.stdout == "officer.benali: officer, enabled\n"

    listed = run("user", "list", "--json")
    assert [(u["name"], u["role"], u["enabled"]) for u in json.loads(listed.stdout)] == [
        ("officer.benali", "officer", True)
    ]
    actor = node_access().authenticate("officer.benali", PASSWORD)
    assert (actor.name, actor.role) == ("officer.benali", "officer")
    trail = audit_trail(node_home())
    assert trail[0][0] == "user.add"
    assert trail[0][1].startswith("local:")
    assert all(PASSWORD not in payload for _, _, payload in trail)


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (("--role", "boss"), PASSWORD, "role: 'boss' is not a role"),
        (("--role", "officer"), "short\n", "password: is shorter than 12 characters"),
        (("--role", "officer"), "", "password: none given"),
        (("--role", "officer"), "   \n", "password: is blank"),
    ],
)
def test_user_add_refuses_bad_roles_and_passwords_with_exit_2(
    run: Run, args: tuple[str, ...], stdin: str, message: str
) -> None:
    refused = run("user", "add", "officer.benali", *args, stdin=stdin)
    assert refused.returncode == 2
    assert message in refused.stderr
    assert json.loads(run("user", "list", "--json").stdout) == []


def test_a_second_user_with_the_same_name_is_refused(run: Run) -> None:
    assert run("user", "add", "a.tazi", "--role", "admin", stdin=PASSWORD).returncode == 0
    again = run("user", "add", "A.Tazi", "--role", "auditor", stdin=PASSWORD)
    assert again.returncode == 2
    assert "name: a user named 'a.tazi' already exists" in again.stderr


def test_passwd_disable_and_enable_change_who_can_log_in(
    run: Run, node_access: Callable[[], AccessControl], node_home: Callable[[], Path]
) -> None:
    run("user", "add", "analyst.idrissi", "--role", "analyst", stdin=PASSWORD)
    changed = run("user", "passwd", "analyst.idrissi", stdin="a brand new passphrase\n")
    assert changed.returncode == 0, changed.stderr
    access = node_access()
    with pytest.raises(AuthenticationFailed):
        access.authenticate("analyst.idrissi", PASSWORD)
    access.authenticate("analyst.idrissi", "a brand new passphrase")

    disabled = run("user", "disable", "analyst.idrissi", "--reason", "left", "--json")
    assert disabled.returncode == 0, disabled.stderr
    assert json.loads(disabled.stdout)["enabled"] is False
    with pytest.raises(AuthenticationFailed, match="disabled"):
        access.authenticate("analyst.idrissi", "a brand new passphrase")
    assert run("user", "list").stdout.startswith("analyst.idrissi: analyst, disabled since ")

    assert run("user", "enable", "analyst.idrissi").stdout == "analyst.idrissi: analyst, enabled\n"
    access.authenticate("analyst.idrissi", "a brand new passphrase")
    actions = [action for action, _, _ in audit_trail(node_home())]
    assert actions == [
        "user.add",
        "user.passwd",
        "auth.login",
        "user.disable",
        "user.enable",
        "auth.login",
    ]
    assert run("audit", "verify").returncode == 0


def test_unknown_users_exit_1_naming_them(run: Run) -> None:
    for args in (
        ("user", "disable", "nobody"),
        ("user", "enable", "nobody"),
        ("token", "issue", "nobody"),
    ):
        refused = run(*args)
        assert refused.returncode == 1, args
        assert "name: no user is named 'nobody'" in refused.stderr
    passwd = run("user", "passwd", "nobody", stdin=PASSWORD)
    assert passwd.returncode == 1
    assert "no user is named 'nobody'" in passwd.stderr


def test_token_issue_prints_the_token_once_and_revoke_stops_it(
    run: Run, node_access: Callable[[], AccessControl], node_home: Callable[[], Path]
) -> None:
    run("user", "add", "officer.benali", "--role", "officer", stdin=PASSWORD)
    issued = run("token", "issue", "officer.benali", "--days", "7", "--label", "kiosk 3")
    assert issued.returncode == 0, issued.stderr
    token = issued.stdout.strip()
    assert token.startswith("psr_")
    assert issued.stdout.count("\n") == 1
    assert "token 1 for officer.benali, valid until" in issued.stderr
    assert node_access().verify_token(token).name == "officer.benali"

    listed = json.loads(run("token", "list", "officer.benali", "--json").stdout)
    assert [(t["id"], t["label"], t["state"]) for t in listed] == [(1, "kiosk 3", "active")]
    assert token not in json.dumps(listed)

    revoked = run("token", "revoke", "1", "--reason", "kiosk stolen")
    assert revoked.returncode == 0, revoked.stderr
    assert revoked.stdout == "token 1 of officer.benali: revoked\n"
    with pytest.raises(AuthenticationFailed, match="revoked"):
        node_access().verify_token(token)
    assert run("token", "list").stdout.startswith("1: officer.benali (kiosk 3), revoked, expires ")

    unknown = run("token", "revoke", "42")
    assert unknown.returncode == 1
    assert "id: no API token has id 42" in unknown.stderr
    trail = audit_trail(node_home())
    assert [action for action, _, _ in trail] == ["user.add", "token.issue", "token.revoke"]
    assert all(token not in payload for _, _, payload in trail)
    database = (node_home() / "passerelle.db").read_bytes()
    assert token.encode() not in database
    assert PASSWORD.encode() not in database


def test_token_issue_json_and_bad_lifetimes(run: Run) -> None:
    run("user", "add", "node.mar", "--role", "partner", stdin=PASSWORD)
    issued = json.loads(run("token", "issue", "node.mar", "--json").stdout)
    assert issued["token"].startswith("psr_")
    assert issued["user"] == "node.mar"
    assert issued["state"] == "active"
    refused = run("token", "issue", "node.mar", "--days", "0")
    assert refused.returncode == 2
    assert "days: must be from 1 to 366" in refused.stderr


def test_console_script_reads_one_line_from_a_pipe(run: Run) -> None:
    added = run(
        "user", "add", "auditor.alami", "--role", "auditor", stdin=PASSWORD + "\n", script=True
    )
    assert added.returncode == 0, added.stderr
    issued = run("token", "issue", "auditor.alami", script=True)
    assert issued.returncode == 0
    assert issued.stdout.startswith("psr_")


def test_user_add_and_modify_say_where_the_user_works(
    run: Run, node_home: Callable[[], Path]
) -> None:
    """``--point`` and ``--booth`` set whose inspections the user reads (issue 15, item 6)."""
    added = run(
        "user", "add", "officer.benali", "--role", "officer", "--point", "tng-med",
        "--booth", "b3", stdin=PASSWORD + "\n",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert added.stdout == "officer.benali: officer, enabled, at TNG-MED booth B3\n"

    moved = run("user", "modify", "officer.benali", "--booth", "B4", "--json")
    assert moved.returncode == 0, moved.stderr
    assert (json.loads(moved.stdout)["crossing_point"], json.loads(moved.stdout)["booth"]) == (
        "TNG-MED",
        "B4",
    )
    cleared = run("user", "modify", "officer.benali", "--point", "")
    assert cleared.stdout == "officer.benali: officer, enabled\n"
    action, actor, _ = audit_trail(node_home())[-1]
    assert (action, actor.startswith("local:")) == ("user.workplace", True)

    alone = run("user", "modify", "officer.benali", "--booth", "B4")
    assert alone.returncode == 2
    assert "booth: a booth is a booth of a crossing point" in alone.stderr
    unknown = run("user", "modify", "officer.nobody", "--point", "TNG-MED")
    assert unknown.returncode == 1
    nothing = run("user", "modify", "officer.benali")
    assert nothing.returncode == 2


def test_a_point_the_catalogue_does_not_list_is_refused(
    run: Run, node_home: Callable[[], Path]
) -> None:
    added = run("user", "add", "officer.benali", "--role", "officer", stdin=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    catalogue = node_home() / "config" / "catalogues.json"
    catalogue.parent.mkdir(parents=True, exist_ok=True)
    catalogue.write_text(json.dumps({"crossing_points": [{"code": "TNG-MED"}]}), "utf-8")

    refused = run("user", "modify", "officer.benali", "--point", "TNG-MDE")
    assert refused.returncode == 2
    assert "crossing_point" in refused.stderr
    assert run("user", "modify", "officer.benali", "--point", "tng-med").returncode == 0


def test_user_unlock_lets_a_locked_account_in_and_is_audited(
    run: Run, node_access: Callable[[], AccessControl], node_home: Callable[[], Path]
) -> None:
    run("user", "add", "officer.benali", "--role", "officer", stdin=PASSWORD)
    access = node_access()
    for _ in range(5):
        with pytest.raises(AuthenticationFailed):
            access.authenticate("officer.benali", "mistyped password", client="10.0.0.9")
    with pytest.raises(AuthenticationFailed, match="too many failed logins"):
        access.authenticate("officer.benali", PASSWORD, client="10.0.0.9")

    unlocked = run("user", "unlock", "officer.benali")
    assert unlocked.returncode == 0, unlocked.stderr
    assert unlocked.stdout == "officer.benali: unlocked (5 failed logins cleared)\n"
    assert access.authenticate("officer.benali", PASSWORD, client="10.0.0.9").name
    action, actor, payload = audit_trail(node_home())[-2]  # then the login
    assert action == "auth.unlock"
    assert actor.startswith("local:")
    assert '"name": "officer.benali"' in payload
    again = run("user", "unlock", "officer.benali")
    assert again.returncode == 2
    assert "name: officer.benali is not locked" in again.stderr
    assert run("user", "unlock", "--address", "10.0.0.9").returncode == 2  # not paced
    assert run("user", "unlock").returncode == 2


def test_user_role_gives_another_role_audited_with_the_old_one(
    run: Run, node_home: Callable[[], Path]
) -> None:
    run("user", "add", "analyst.idrissi", "--role", "analyst", stdin=PASSWORD)
    changed = run("user", "role", "analyst.idrissi", "supervisor")
    assert changed.stdout == "analyst.idrissi: supervisor, enabled\n"
    action, _, payload = audit_trail(node_home())[-1]
    assert action == "user.role"
    assert '"was": "analyst"' in payload
    assert run("user", "role", "analyst.idrissi", "captain").returncode == 2
