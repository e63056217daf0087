"""The auditor's ``/audit`` page: one page of the trail at a time, the chain verified since
the last checkpoint, and a cut behind that checkpoint named."""

from __future__ import annotations

import re

from sqlalchemy import delete, select, update

from passerelle.store import Actor
from passerelle.store.tables import AuditHead, AuditPayload, AuditRecord
from passerelle.wiring.audit_anchoring import Checkpointer
from tests.api.conftest import Api
from tests.conftest import checkpoint_key
from tests.store.tampering import audited_searches
from tests.web.test_pages import login

ANALYST = Actor("analyst.idrissi", "user", "analyst")


def _seqs(page: str) -> list[int]:
    table = page.split('id="audit-records"', 1)[1].split("</table>", 1)[0]
    return [int(n) for n in re.findall(r"<tr><td>(\d+)</td>", table)]


def _link(page: str, name: str) -> str | None:
    found = re.search(rf'<a href="([^"]+)" id="{name}-page"', page)
    return found.group(1).replace("&amp;", "&") if found else None


def test_the_trail_pages_back_and_forth(api: Api) -> None:
    node = api.services.node
    audited_searches(node, 120)
    assert login(api.client, "auditor.one") == 303

    first = api.client.get("/audit").text
    newest = _seqs(first)
    older = _link(first, "older")
    assert len(newest) == node.settings.audit_page_size == 50
    assert newest == sorted(newest, reverse=True)
    assert _link(first, "newer") is None
    assert older is not None

    second = api.client.get(older).text
    page_two = _seqs(second)
    back = _link(second, "newer")
    assert page_two == list(range(newest[-1] - 1, newest[-1] - 51, -1))
    assert back is not None

    again = api.client.get(back).text
    assert _seqs(again) == newest  # the same fifty; the audit.read records since are newer


def test_the_page_verifies_since_the_checkpoint_and_names_a_cut_behind_it(api: Api) -> None:
    node = api.services.node
    audited_searches(node, 5)
    with node.database.read() as session:
        older = session.scalars(select(AuditHead)).one()
        saved = {"seq": older.seq, "hash": older.hash, "counter": older.counter, "seal": older.seal}
    audited_searches(node, 5)
    signer = checkpoint_key(node.settings)
    taken = Checkpointer(node, signer).take().checkpoint
    assert taken is not None
    audited_searches(node, 3)
    assert login(api.client, "auditor.one") == 303

    page = api.client.get("/audit").text
    assert "The chain holds" in page
    assert f"records {taken.seq + 1}–" in page  # only what was added since the checkpoint
    assert f"Latest checkpoint: record {taken.seq}" in page

    with node.database.write() as session:
        session.execute(delete(AuditPayload).where(AuditPayload.seq > older.seq))
        session.execute(delete(AuditRecord).where(AuditRecord.seq > older.seq))
        session.execute(update(AuditHead).where(AuditHead.id == 1).values(**saved))
    cut = api.client.get("/audit").text

    assert "The chain holds" not in cut
    assert f"CUT:</strong> the chain ends at record {older.seq} but the checkpoint" in cut
