"""The analyst keeps the lists from the pages, in a real browser (Chromium, uvicorn on
loopback): a watchlist file with bad lines loaded with its progress to 100 % and each
rejected line named with its field and reason; a watchlist person and a stolen document's
record changed by hand, their history shown, the changes in the audit trail."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from passerelle.access import AccessControl
from passerelle.node import open_node
from passerelle.settings import Settings
from passerelle.store.loading import load_file
from passerelle.store.sltd import SltdRegistry
from passerelle.store.tables import AuditPayload, AuditRecord, WatchlistPerson
from passerelle.store.watchlist import WatchlistRegistry
from tests.conftest import provision_node
from tests.screening.conftest import write_lines
from tests.web.test_browser import PASSWORD, SETUP, Served, browser, serving  # noqa: F401

PERSON = {
    "id": "MAR-W-0042",
    "names": ["Karim Haddad", "كريم حداد"],
    "birth_date": "1979-05-14",
    "nationalities": ["MAR"],
    "sex": "M",
    "category": "wanted",
    "issued_by": "MAR",
    "valid_until": None,
}
DOCUMENT = {
    "issuing_state": "MAR",
    "document_number": "LX4471230",
    "document_code": "P",
    "status": "lost",
    "reported_on": "2026-09-01",
    "reported_by": "MAR",
}


def _person(n: int, **changes: object) -> str:
    return json.dumps({**PERSON, "id": f"MAR-W-09{n:02d}", **changes}, ensure_ascii=False)


UPLOAD_LINES = [
    _person(1),
    _person(2, category="famous"),  # line 2: category
    "this is not JSON",  # line 3
    _person(4),
    _person(5, birth_date="1980-13-45"),  # line 5: birth_date
    _person(6, names=["يوسف العمراني"]),
]


MAX_BYTES = 2_000_000


@pytest.fixture(scope="module")
def keeping(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    tmp = tmp_path_factory.mktemp("lists-node")
    home = tmp / "home"
    settings = Settings(home=home, node="MAR")
    provision_node(settings)
    with open_node(settings) as node:
        for registry, name, line in (
            (WatchlistRegistry(), "watchlist.jsonl", PERSON),
            (SltdRegistry(), "sltd.jsonl", DOCUMENT),
        ):
            load_file(
                node.database,
                node.audit,
                registry,
                write_lines(tmp / name, line),
                actor=SETUP,
                clock=node.clock,
            )
        access = AccessControl.for_node(node)
        access.add_user("analyst.idrissi", "analyst", PASSWORD, by=SETUP)
        access.add_user("officer.amrani", "officer", PASSWORD, by=SETUP)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("PASSERELLE_MAX_REQUEST_BYTES", str(MAX_BYTES))
        with serving(home) as served:
            yield served


def _signed_in(browser: Browser, served: Served, name: str) -> Page:  # noqa: F811
    page = browser.new_context(locale="en").new_page()
    page.goto(served.url + "/login")
    page.locator("input[name=name]").fill(name)
    page.locator("input[name=password]").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/login" not in url)
    return page


def _audited(served: Served, action: str) -> list[tuple[str, dict[str, object], str | None]]:
    with open_node(Settings(home=served.home, node="MAR")) as node, node.database.read() as db:
        rows = db.execute(
            select(AuditRecord.actor, AuditPayload.query, AuditRecord.purpose)
            .join(AuditPayload, AuditPayload.seq == AuditRecord.seq)
            .where(AuditRecord.action == action)
            .order_by(AuditRecord.seq)
        )
        return [(actor, query, purpose) for actor, query, purpose in rows]


def test_a_watchlist_file_loads_to_100_percent_and_lists_its_rejected_lines(
    browser: Browser,  # noqa: F811
    keeping: Served,
    tmp_path: Path,
) -> None:
    upload = tmp_path / "persons.jsonl"
    upload.write_text("\n".join(UPLOAD_LINES) + "\n", encoding="utf-8")
    page = _signed_in(browser, keeping, "analyst.idrissi")
    page.get_by_role("link", name="Lists").click()
    form = page.locator("#load-watchlist")
    form.locator("input[type=file]").set_input_files(upload)
    form.locator("button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/lists/loads/\d+"))
    expect(page.locator("#load-percent")).to_have_text("100")
    expect(page.locator("#lines-done")).to_have_text("6")
    expect(page.locator("#lines-total")).to_have_text("6")
    bar = page.locator("#load-progress")
    assert bar.get_attribute("value") == bar.get_attribute("max") == "6"
    counts = page.locator("#load-counts")
    expect(counts).to_contain_text("Stored (new or changed)")
    expect(page.locator("#rejected-count")).to_have_text("3")
    rows = page.locator("#rejections tbody tr")
    expect(rows).to_have_count(3)
    cells = [[c.strip() for c in row.split("\t")] for row in rows.all_inner_texts()]
    assert [(c[0], c[1]) for c in cells] == [
        ("2", "Category category"),
        ("3", "Line line"),
        ("5", "Date of birth birth_date"),
    ]
    assert all(c[2] for c in cells)  # each with its reason
    assert "famous" in cells[0][2]

    with open_node(Settings(home=keeping.home, node="MAR")) as node, node.database.read() as db:
        stored = set(db.scalars(select(WatchlistPerson.id)))
    assert {"MAR-W-0901", "MAR-W-0904", "MAR-W-0906"} <= stored
    assert "MAR-W-0902" not in stored
    loads = _audited(keeping, "watchlist.load")
    assert loads[-1][0] == "analyst.idrissi"
    run = page.url.split("/lists/loads/")[1].split("?")[0]
    progress = page.request.get(f"{keeping.url}/lists/loads/{run}/progress").json()
    assert progress == {"lines": 6, "status": "completed", "finished": True, "rejected": 3}
    page.context.close()


def test_the_page_follows_a_longer_load_to_its_end(
    browser: Browser,  # noqa: F811
    keeping: Served,
    tmp_path: Path,
) -> None:
    lines = 6000  # a dozen batches: the page is shown while the load still runs
    upload = tmp_path / "many.jsonl"
    upload.write_text(
        "".join(
            json.dumps({**PERSON, "id": f"MAR-W-5{n:05d}"}, ensure_ascii=False) + "\n"
            for n in range(lines)
        ),
        encoding="utf-8",
    )
    page = _signed_in(browser, keeping, "analyst.idrissi")
    page.goto(keeping.url + "/lists")
    form = page.locator("#load-watchlist")
    form.locator("input[type=file]").set_input_files(upload)
    form.locator("button[type=submit]").click()

    expect(page.locator("#lines-total")).to_have_text(str(lines))
    expect(page.locator("#load-counts")).to_be_visible(timeout=120_000)
    expect(page.locator("#load-percent")).to_have_text("100")
    expect(page.locator("#lines-done")).to_have_text(str(lines))
    expect(page.locator("#rejected-count")).to_have_text("0")
    expect(page.locator("#rejections")).to_have_count(0)
    page.context.close()


def test_an_empty_file_is_refused_naming_the_field(
    browser: Browser,  # noqa: F811
    keeping: Served,
    tmp_path: Path,
) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    page = _signed_in(browser, keeping, "analyst.idrissi")
    page.goto(keeping.url + "/lists")
    form = page.locator("#load-sltd")
    form.locator("input[type=file]").set_input_files(empty)
    form.locator("button[type=submit]").click()
    expect(page.locator("#load-error")).to_have_text("File: is empty")
    page.context.close()


def test_a_file_over_the_nodes_limit_is_refused_before_it_is_sent(
    browser: Browser,  # noqa: F811
    keeping: Served,
    tmp_path: Path,
) -> None:
    large = tmp_path / "large.jsonl"
    large.write_text((UPLOAD_LINES[0] + "\n") * (MAX_BYTES // len(UPLOAD_LINES[0]) + 10))
    page = _signed_in(browser, keeping, "analyst.idrissi")
    page.goto(keeping.url + "/lists")
    form = page.locator("#load-watchlist")
    form.locator("input[type=file]").set_input_files(large)
    form.locator("button[type=submit]").click()
    expect(form.locator(".too-large")).to_be_visible()
    expect(form.locator(".too-large")).to_contain_text(str(MAX_BYTES))
    expect(page).to_have_url(re.compile(r"/lists$"))

    answer = page.request.post(  # sent anyway, the node refuses it unread
        keeping.url + "/lists/load",
        multipart={"kind": "watchlist", "csrf_token": "x", "file": large},
    )
    assert answer.status == 413
    page.context.close()


def test_the_analyst_edits_a_watchlist_person_and_its_history_shows_the_changes(
    browser: Browser,  # noqa: F811
    keeping: Served,
) -> None:
    page = _signed_in(browser, keeping, "analyst.idrissi")
    page.goto(keeping.url + "/lists")
    page.locator("#open-person input[name=id]").fill("MAR-W-0042")
    page.locator("#open-person button").click()
    expect(page.locator("h1")).to_contain_text("MAR-W-0042")
    form = page.locator("#person-form")
    names = form.locator("input[name=names]")
    expect(names).to_have_count(4)  # the two names, and two empty fields for more
    expect(names.nth(1)).to_have_value("كريم حداد")

    form.locator("input[name=birth_date]").fill("1979-13-40")
    form.locator("button[type=submit]").click()
    expect(page.locator("#record-error")).to_contain_text("Date of birth")

    form.locator("input[name=birth_date]").fill("1979-05-15")
    names.nth(2).fill("Karim Hadad")
    form.locator("button[type=submit]").click()
    expect(page.locator("#record-done")).to_contain_text("Saved")
    expect(form.locator("input[name=birth_date]")).to_have_value("1979-05-15")

    page.locator("#withdraw-form input[name=reason]").fill("arrested on 2026-12-01")
    page.locator("#withdraw-form button").click()
    expect(page.locator("#record-done")).to_contain_text("Withdrawn")
    expect(page.locator("#person-status")).to_contain_text("withdrawn")
    expect(page.locator("#withdraw-form")).to_have_count(0)

    history = page.locator("#person-history tbody tr")
    expect(history).to_have_count(2)
    expect(history.nth(0)).to_contain_text("watchlist.withdraw")
    expect(history.nth(0)).to_contain_text("arrested on 2026-12-01")
    expect(history.nth(1)).to_contain_text("watchlist.update")
    expect(history.nth(1)).to_contain_text("analyst.idrissi")

    assert _audited(keeping, "watchlist.update")[-1][:2] == (
        "analyst.idrissi",
        {"id": "MAR-W-0042"},
    )
    withdrawn = _audited(keeping, "watchlist.withdraw")[-1]
    assert withdrawn == ("analyst.idrissi", {"id": "MAR-W-0042"}, "arrested on 2026-12-01")
    page.context.close()


def test_the_analyst_changes_a_documents_status_as_a_new_version(
    browser: Browser,  # noqa: F811
    keeping: Served,
) -> None:
    page = _signed_in(browser, keeping, "analyst.idrissi")
    page.goto(keeping.url + "/search?issuing_state=MAR&document_number=LX4471230&purpose=check")
    page.locator("#sltd-result a.record-link").click()  # from the search's answer
    expect(page.locator("h1")).to_contain_text("MAR LX4471230")
    page.goto(keeping.url + "/lists")
    page.locator("#open-document input[name=issuing_state]").fill("mar")
    page.locator("#open-document input[name=document_number]").fill("LX4471230")
    page.locator("#open-document button").click()
    expect(page.locator("h1")).to_contain_text("MAR LX4471230")
    versions = page.locator("#document-versions tbody tr")
    expect(versions).to_have_count(1)

    form = page.locator("#document-form")
    form.locator("select[name=status]").select_option("stolen")
    form.locator("input[name=reported_on]").fill("2026-10-02")
    form.locator("button[type=submit]").click()
    expect(page.locator("#record-done")).to_contain_text("new version")
    expect(versions).to_have_count(2)
    expect(versions.nth(0)).to_contain_text("stolen")
    expect(versions.nth(0)).to_contain_text("current")
    expect(versions.nth(1)).to_contain_text("lost")

    form.locator("input[name=reported_by]").fill("XX")
    form.locator("button[type=submit]").click()
    expect(page.locator("#record-error")).to_contain_text("reported_by")
    expect(versions).to_have_count(2)

    updates = _audited(keeping, "sltd.update")
    assert updates[-1][:2] == (
        "analyst.idrissi",
        {"issuing_state": "MAR", "document_number": "LX4471230"},
    )
    page.context.close()


def test_an_officer_is_not_offered_the_lists(browser: Browser, keeping: Served) -> None:  # noqa: F811
    page = _signed_in(browser, keeping, "officer.amrani")
    expect(page.get_by_role("link", name="Lists")).to_have_count(0)
    answer = page.goto(keeping.url + "/lists")
    assert answer is not None
    assert answer.status == 403
    page.context.close()
