"""The administrators' pages over HTTP: who may open them, CSRF, refusals naming the field,
the same audited services as the command line (tests/web/test_browser_admin.py drives them
in Chromium)."""

from __future__ import annotations

import json
import re

from sqlalchemy import select

from passerelle.federation.protocol.identity import NodeIdentity
from passerelle.store.tables import AuditRecord
from tests.api.conftest import PASSWORD, Api
from tests.conftest import Clock
from tests.web.test_pages import csrf, login


def as_admin(api: Api, path: str = "/admin/users") -> str:
    assert login(api.client, "admin.one") == 303
    answer = api.client.get(path)
    assert answer.status_code == 200
    text: str = answer.text
    return text


def actions(api: Api) -> list[tuple[str, str]]:
    with api.services.node.database.read() as session:
        rows = session.execute(select(AuditRecord.action, AuditRecord.actor)).all()
    return [(action, actor) for action, actor in rows]


def test_only_an_administrator_opens_the_admin_pages(api: Api) -> None:
    login(api.client, "officer.one")
    for path in ("/admin/users", "/admin/tokens", "/admin/partners", "/admin/catalogue"):
        assert api.client.get(path).status_code == 403, path
    api.client.cookies.clear()
    page = as_admin(api)
    assert 'href="/admin/partners"' in page  # in the menu
    assert 'id="user-officer.one"' in page


def test_a_weak_password_is_refused_naming_the_field_and_nothing_is_created(api: Api) -> None:
    page = as_admin(api)
    answer = api.client.post(
        "/admin/users",
        data={"csrf_token": csrf(page), "name": "officer.new", "role": "officer",
              "password": "password1234"},
    )  # fmt: skip
    assert answer.status_code == 422
    assert re.search(r'id="admin-error" data-field="password">Password: ', answer.text)
    assert (
        'id="new-password" type="password" required autocomplete="new-password" aria-invalid'
        in (answer.text)
    )
    assert api.services.access.user("officer.new") is None


def test_an_unknown_role_and_a_point_off_the_catalogue_are_named(api: Api) -> None:
    page = as_admin(api)
    role = api.client.post(
        "/admin/users",
        data={"csrf_token": csrf(page), "name": "x.new", "role": "captain", "password": "x"},
    )
    assert role.status_code == 422
    assert 'data-field="role">Role: ' in role.text


def test_an_administrator_creates_a_user_audited_as_the_command_would(api: Api) -> None:
    page = as_admin(api)
    answer = api.client.post(
        "/admin/users",
        data={"csrf_token": csrf(page), "name": "Officer.Saidi", "role": "officer",
              "password": PASSWORD + " again", "crossing_point": "tng-med", "booth": "b2"},
    )  # fmt: skip
    assert answer.status_code == 200
    assert "User officer.saidi created." in answer.text
    user = api.services.access.user("officer.saidi")
    assert user is not None
    assert (user.role, user.crossing_point, user.booth) == ("officer", "TNG-MED", "B2")
    assert ("user.add", "admin.one") in actions(api)


def test_a_form_without_its_csrf_token_changes_nothing(api: Api) -> None:
    as_admin(api)
    answer = api.client.post("/admin/users/officer.one/disable", data={"csrf_token": "forged"})
    assert answer.status_code == 403
    user = api.services.access.user("officer.one")
    assert user is not None
    assert user.enabled


def test_role_change_and_disabling_go_through_the_audited_service(api: Api) -> None:
    page = as_admin(api)
    changed = api.client.post(
        "/admin/users/analyst.one/role", data={"csrf_token": csrf(page), "role": "supervisor"}
    )
    assert changed.status_code == 200
    mine = api.client.post(
        "/admin/users/admin.one/disable", data={"csrf_token": csrf(page), "reason": ""}
    )
    assert mine.status_code == 422
    assert "you cannot disable your own account" in mine.text
    gone = api.client.post(
        "/admin/users/officer.one/disable", data={"csrf_token": csrf(page), "reason": "left"}
    )
    assert "is disabled" in gone.text
    assert [a for a, _ in actions(api) if a in ("user.role", "user.disable")] == [
        "user.role",
        "user.disable",
    ]


def test_a_token_is_shown_once_then_listed_by_state_and_revoked(api: Api) -> None:
    page = as_admin(api, "/admin/tokens")
    issued = api.client.post(
        "/admin/tokens",
        data={"csrf_token": csrf(page), "name": "officer.one", "days": "7", "label": "kiosk 3"},
    )
    token = re.search(r'id="issued-token" dir="ltr">(psr_[^<]+)<', issued.text)
    assert token is not None
    assert api.services.access.verify_token(token.group(1)).name == "officer.one"
    listed = api.client.get("/admin/tokens?user=officer.one").text
    assert token.group(1) not in listed
    token_id = api.services.access.tokens("officer.one")[-1].id
    assert f'id="token-{token_id}"' in listed
    revoked = api.client.post(
        f"/admin/tokens/{token_id}/revoke", data={"csrf_token": csrf(listed), "reason": "lost"}
    )
    assert f"Token {token_id} of officer.one is revoked." in revoked.text
    assert api.services.access.tokens("officer.one")[-1].revoked_at is not None
    assert [a for a, _ in actions(api) if a.startswith("token.")][-2:] == [
        "token.issue",
        "token.revoke",
    ]


def test_a_token_lifetime_out_of_range_is_refused_naming_days(api: Api) -> None:
    page = as_admin(api, "/admin/tokens")
    for days in ("0", "many", "9999"):
        answer = api.client.post(
            "/admin/tokens", data={"csrf_token": csrf(page), "name": "officer.one", "days": days}
        )
        assert answer.status_code == 422
        assert 'data-field="days">Days valid: ' in answer.text


def test_a_locked_account_is_listed_and_unlocked_from_the_page(api: Api) -> None:
    for _ in range(5):
        login(api.client, "analyst.one", "wrong password!!")
    assert login(api.client, "analyst.one") == 429
    page = as_admin(api)
    assert 'action="/admin/users/analyst.one/unlock"' in page
    unlocked = api.client.post("/admin/users/analyst.one/unlock", data={"csrf_token": csrf(page)})
    assert "analyst.one is unlocked." in unlocked.text
    api.client.cookies.clear()
    assert login(api.client, "analyst.one") == 303
    assert ("auth.unlock", "admin.one") in actions(api)


def test_a_paced_address_lets_another_accounts_right_password_in_after_the_delay(
    api: Api, clock: Clock
) -> None:
    for number in range(20):
        login(api.client, f"nobody.{number}", "wrong password!!")
    assert login(api.client, "officer.one") == 429
    page = api.client.get("/login").text
    assert "wrong user name or password" not in page
    clock.advance(seconds=2)
    assert login(api.client, "officer.one") == 303


def test_the_login_page_words_a_throttled_login_in_the_readers_language(api: Api) -> None:
    for _ in range(5):
        login(api.client, "analyst.one", "wrong password!!")
    api.client.cookies.set("passerelle_lang", "fr")
    form = api.client.get("/login").text
    token = re.search(r'name="login_token" value="([^"]+)"', form)
    assert token is not None
    answer = api.client.post(
        "/login",
        data={"name": "analyst.one", "password": PASSWORD, "login_token": token.group(1)},
    )
    assert answer.status_code == 429
    error = re.search(r'id="login-error">(.*?)</p>', answer.text)
    assert error is not None
    assert "Trop de connexions" in error.group(1)
    assert "too many" not in error.group(1)


def test_a_partner_is_registered_from_its_key_line_and_a_bad_line_is_named(api: Api) -> None:
    page = as_admin(api, "/admin/partners")
    line = NodeIdentity.generate("BEL").peer_key.text
    bad = api.client.post(
        "/admin/partners",
        data={"csrf_token": csrf(page), "state": "BEL", "url": "https://bel.example:8443",
              "key": "ed25519 BEL not-a-key"},
    )  # fmt: skip
    assert bad.status_code == 422
    assert 'data-field="public_key">Key line: ' in bad.text
    good = api.client.post(
        "/admin/partners",
        data={"csrf_token": csrf(page), "state": "bel", "url": "https://bel.example:8443",
              "key": line, "alerts": ["wanted", "stolen_document"], "inbound": ["document"]},
    )  # fmt: skip
    assert good.status_code == 200, good.text
    assert "Partner BEL registered" in good.text
    assert 'id="partner-BEL"' in good.text
    disabled = api.client.post("/admin/partners/BEL/disable", data={"csrf_token": csrf(page)})
    assert "Partner BEL is disabled" in disabled.text
    assert [a for a, _ in actions(api) if a.startswith("peer.")] == ["peer.add", "peer.disable"]


def test_the_catalogue_is_saved_checked_as_at_start_audited_and_applied_at_once(api: Api) -> None:
    page = as_admin(api, "/admin/catalogue")
    bad = api.client.post(
        "/admin/catalogue/points",
        data={"csrf_token": csrf(page), "code": ["TNG-MED", "tng-med"], "name": ["a", "b"]},
    )
    assert bad.status_code == 422
    assert "crossing_points[1].code" in bad.text
    saved = api.client.post(
        "/admin/catalogue/points",
        data={"csrf_token": csrf(page), "code": ["TNG-MED", "", "CMN-T1"],
              "name": ["Tanger Med port", "", "Casablanca T1"]},
    )  # fmt: skip
    assert saved.status_code == 200
    assert 'id="pending"' not in saved.text  # in force at once, no restart
    assert [p.code for p in api.services.catalogues.crossing_points] == ["TNG-MED", "CMN-T1"]
    path = api.services.node.settings.effective_catalogues_file
    written = json.loads(path.read_text(encoding="utf-8"))
    assert [p["code"] for p in written["crossing_points"]] == ["TNG-MED", "CMN-T1"]
    assert ("catalogue.save", "admin.one") in actions(api)
    not_json = api.client.post(
        "/admin/catalogue/reasons", data={"csrf_token": csrf(page), "reasons": "{"}
    )
    assert not_json.status_code == 422
    assert "Decision reasons: is not JSON" in not_json.text
