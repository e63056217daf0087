"""What one host derives from the store follows what another host writes there.

Two hosts of one node (two HOMEs, one PostgreSQL database, the node's keys): a
person listed, an alert issued or withdrawn, a face enrolled or removed through
host B is what host A's next screening or search finds. Host B's clock is an
hour behind host A's: what each host derives must not depend on the time a row
says it was written.
"""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from pathlib import Path

from passerelle.biometrics.enrolment import FaceGalleries
from passerelle.lists.alert_names import AlertNames
from passerelle.lists.watchlist import StoreWatchlist
from passerelle.names import NameQuery
from passerelle.node import Node
from passerelle.store.alerts import AlertDraft, AlertRegistry, PersonSubject
from passerelle.store.watchlist import WatchlistRegistry
from tests.biometrics.test_enrolment import VAULT, capture
from tests.screening.conftest import ADMIN

TAZI = NameQuery("TAZI<<YOUSSEF", "1975-05-05", "MAR", "M")
LAMRANI = NameQuery("LAMRANI<<SALMA", "1990-04-21", "MAR", "F")


def _settled(watchlist: StoreWatchlist, query: NameQuery) -> list[str]:
    """Screen once the checks under way ended (so this one starts a check of the store as
    it is now), wait for that check, screen again."""
    for screen_first in (False, True):
        if screen_first:
            watchlist.screen(query, threshold=0.5)
        deadline = time.monotonic() + 30
        while any(t.name == "watchlist-index" for t in threading.enumerate()):
            assert time.monotonic() < deadline, "the check did not end"
            time.sleep(0.01)
    return [m.id for m in watchlist.screen(query, threshold=0.5)]


def test_a_person_listed_or_withdrawn_through_one_host_is_screened_so_by_the_other(
    hosts: tuple[Node, Node],
) -> None:
    a, b = hosts
    watchlist = StoreWatchlist(a, max_age_s=0.0)
    assert "MAR-W-0003" not in _settled(watchlist, LAMRANI)
    registry = WatchlistRegistry()
    entry = registry.parse(
        {
            "id": "MAR-W-0003",
            "names": ["Salma Lamrani"],
            "birth_date": "1990-04-21",
            "nationalities": ["MAR"],
            "sex": "F",
            "category": "missing",
            "issued_by": "MAR",
            "valid_until": None,
        }
    )
    with b.database.write() as session:
        registry.add(session, entry, b.clock())
    assert "MAR-W-0003" in _settled(watchlist, LAMRANI)

    with b.database.write() as session:  # written at a time older than the last change
        registry.withdraw(session, "MAR-W-0003", b.clock() - timedelta(hours=1), "found")
    assert "MAR-W-0003" not in _settled(watchlist, LAMRANI)


def test_an_alert_issued_or_withdrawn_through_one_host_is_screened_so_by_the_other_at_once(
    hosts: tuple[Node, Node],
) -> None:
    a, b = hosts
    names = AlertNames()

    def screened() -> list[str]:
        with a.database.read() as session:
            return [m.reference for m in names.screen(session, TAZI, threshold=0.8)]

    assert screened() == []

    def issue(host: Node, subject: PersonSubject) -> str:
        with host.database.write() as session:
            return (
                AlertRegistry(host.audit)
                .issue(
                    session,
                    AlertDraft(
                        category="wanted",
                        subject=subject,
                        issuing_authority="DGSN Rabat: +212 5 37 00 00 00",
                        action="Hold the traveller and call the duty officer.",
                    ),
                    actor=ADMIN,
                    now=host.clock(),
                )
                .id
            )

    issue(a, PersonSubject(("Karim Haddad",), "1980-06-15"))  # the latest change, by A's clock
    alert_id = issue(b, PersonSubject(("يوسف التازي",), "1975-05-05"))
    assert screened() == [alert_id]

    with b.database.write() as session:  # no row added, and stamped before A's latest change
        AlertRegistry(b.audit).withdraw(
            session, alert_id, actor=ADMIN, now=b.clock(), reason="arrested"
        )
    assert screened() == []


def test_a_face_enrolled_or_removed_through_one_host_is_searched_so_by_the_other(
    hosts: tuple[Node, Node], tmp_path: Path
) -> None:
    a, b = hosts
    at_a = FaceGalleries(a.database, VAULT, a.settings.galleries_dir)
    at_b = FaceGalleries(b.database, VAULT, b.settings.galleries_dir)
    at_a.enrol("wanted", "MAR-W-1", capture(1), source_sha256="0" * 64, at=a.clock(), by="a")
    assert [h.identity for h in at_a.search("wanted", capture(2, 0.05)) if h.is_hit] == []

    at_b.enrol("wanted", "MAR-W-2", capture(2), source_sha256="0" * 64, at=b.clock(), by="b")
    assert [h.identity for h in at_a.search("wanted", capture(2, 0.05)) if h.is_hit] == ["MAR-W-2"]

    assert at_b.remove("wanted", "MAR-W-2") == 1
    assert [h.identity for h in at_a.search("wanted", capture(2, 0.05)) if h.is_hit] == []
    assert [h.identity for h in at_a.search("wanted", capture(1, 0.05)) if h.is_hit] == ["MAR-W-1"]
