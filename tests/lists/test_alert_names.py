"""Person alerts are found by the name engine at the border, in whatever script they were issued.

The node (``tests.screening.conftest``) holds a travel-ban alert on Karim Haddad
(1980-06-15), found by its key; the alerts here are issued in Arabic script, which
no key built from the passport's Latin MRZ can reach.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from passerelle.node import Node
from passerelle.screening import Inspector
from passerelle.store.alerts import AlertDraft, AlertRegistry, AlertView, PersonSubject
from tests.conftest import Clock
from tests.screening.conftest import ADMIN, passport, receive_partner_alert, request

TAZI = PersonSubject(("يوسف التازي",), "1975-05-05")
TAZI_PASSPORT = passport(surname="TAZI", given_names="YOUSSEF", birth_date="750505", sex="M")


def issue(node: Node, clock: Clock, subject: PersonSubject, **values: Any) -> AlertView:
    with node.database.write() as session:
        return AlertRegistry(node.audit).issue(
            session,
            AlertDraft(
                category=values.pop("category", "wanted"),
                subject=subject,
                issuing_authority="DGSN Rabat: +212 5 37 00 00 00",
                action="Hold the traveller and call the duty officer.",
                **values,
            ),
            actor=ADMIN,
            now=clock(),
        )


def alert_findings(result: Any) -> list[tuple[str, str, str | None]]:
    return [(f.code, f.severity, f.reference) for f in result.findings if f.source == "alerts"]


def test_an_alert_issued_in_arabic_script_stops_the_latin_mrz_of_its_person(
    node: Node, inspector: Inspector, clock: Clock
) -> None:
    before = inspector.inspect(request(TAZI_PASSPORT, clock))  # the index is built already
    assert before.light("alerts") == "green"
    alert = issue(node, clock, TAZI)

    result = inspector.inspect(request(TAZI_PASSPORT, clock))

    assert result.decision == "hit"
    assert result.light("alerts") == "red"
    assert alert_findings(result) == [("alert_person_name", "hit", alert.id)]
    (finding,) = [f for f in result.findings if f.source == "alerts"]
    assert "يوسف التازي" in finding.message
    assert "same date of birth" in finding.message
    assert finding.action == alert.action
    assert finding.contact == alert.issuing_authority
    assert result.matches.alerts == (alert.id,)
    with node.database.read() as session:
        pending = inspector.repository.pending(session)
    assert [(r.source, r.reference) for r in pending if r.source == "alerts"] == [
        ("alerts", alert.id)
    ]


def test_an_alert_withdrawn_or_not_yet_in_force_stops_nobody(
    node: Node, inspector: Inspector, clock: Clock
) -> None:
    alert = issue(node, clock, TAZI)
    with node.database.write() as session:
        AlertRegistry(node.audit).withdraw(
            session, alert.id, actor=ADMIN, now=clock(), reason="arrested"
        )
    issue(node, clock, TAZI, valid_from=clock().date() + timedelta(days=10))

    result = inspector.inspect(request(TAZI_PASSPORT, clock))

    assert alert_findings(result) == []
    assert result.light("alerts") == "green"


def test_a_namesake_born_another_year_is_no_alert_hit(
    node: Node, inspector: Inspector, clock: Clock
) -> None:
    issue(node, clock, TAZI)
    namesake = passport(surname="TAZI", given_names="YOUSSEF", birth_date="920101", sex="M")

    result = inspector.inspect(request(namesake, clock))

    assert all(severity != "hit" for _, severity, _ in alert_findings(result))


def test_a_partners_alert_in_arabic_script_is_found_by_name_and_names_the_partner(
    node: Node, inspector: Inspector, clock: Clock
) -> None:
    shared = receive_partner_alert(node, clock, TAZI)

    result = inspector.inspect(request(TAZI_PASSPORT, clock))

    assert alert_findings(result) == [("alert_person_name", "hit", "TUN:TUN-A-9")]
    (finding,) = [f for f in result.findings if f.source == "alerts"]
    assert "Tunisia" in finding.message
    assert finding.contact == shared.issuing_authority
