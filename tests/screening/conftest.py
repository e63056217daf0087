"""A node with its registries loaded, for border checks: SLTD, watchlist, alerts, crossings.

The node is a migrated SQLite file in a temporary folder; the data goes in through
the store's own loaders and registries, as an operator's would.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from passerelle.documents import DocumentCheck, MrzFormat
from passerelle.documents.compose import compose_mrz
from passerelle.federation.alerts.incoming import alert_issue_body, apply_alert_message
from passerelle.node import Node
from passerelle.screening import InspectionRequest, Inspector
from passerelle.settings import Settings
from passerelle.store import Actor, Database
from passerelle.store.alerts import AlertDraft, AlertRegistry, AlertView, PersonSubject
from passerelle.store.crossings import CrossingRegistry
from passerelle.store.loading import load_file
from passerelle.store.sltd import SltdRegistry
from passerelle.store.watchlist import WatchlistRegistry
from tests.conftest import Clock, provision_node

ADMIN = Actor("registry.admin", "user", "admin")
OFFICER = Actor("officer.benali", "user", "officer")
STOLEN_NUMBER = "AB1234567"
TRAVEL_BAN_ACTION = "Refuse entry; keep the passport and call the duty officer at once."
TRAVEL_BAN_AUTHORITY = "DGSN Rabat, duty desk +212 537 00 00 00"


def passport(
    *,
    surname: str = "LAMRANI",
    given_names: str = "SALMA",
    number: str = "ZX9876543",
    birth_date: str = "900421",
    sex: str = "F",
    state: str = "MAR",
    expiry: str = "310714",
) -> str:
    """A Moroccan passport's MRZ (TD3) with every check digit right."""
    return compose_mrz(
        MrzFormat.TD3,
        document_number=number,
        birth_date=birth_date,
        expiry_date=expiry,
        surname=surname,
        given_names=given_names,
        issuing_state=state,
        sex=sex,
    )


def write_lines(path: Path, *records: dict[str, Any]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path


@pytest.fixture
def node(tmp_path: Path, clock: Clock) -> Iterator[Node]:
    """A migrated node (SQLite in tmp_path) with SLTD, watchlist and alerts loaded."""
    settings = Settings(home=tmp_path / "home", database_url=f"sqlite:///{tmp_path / 'node.db'}")
    audit = provision_node(settings)  # the CLI reads its keys too
    database = Database(settings.effective_database_url)
    stolen = {
        "issuing_state": "MAR",
        "document_number": STOLEN_NUMBER,
        "document_code": "P",
        "status": "stolen",
        "reported_on": "2026-10-01",
        "reported_by": "MAR",
    }
    load_file(
        database,
        audit,
        SltdRegistry(),
        write_lines(tmp_path / "sltd.jsonl", stolen),
        actor=ADMIN,
        clock=clock,
    )
    persons = [
        {
            "id": "MAR-W-0001",
            "names": ["محمد بن علي"],
            "birth_date": "1985-03-02",
            "nationalities": ["MAR"],
            "sex": "M",
            "category": "wanted",
            "issued_by": "MAR",
            "valid_until": None,
        },
        {
            "id": "MAR-W-0002",
            "names": ["Mohamed Alaoui"],
            "birth_date": "1970-01-01",
            "nationalities": ["MAR"],
            "sex": "M",
            "category": "travel_ban",
            "issued_by": "MAR",
            "valid_until": None,
        },
    ]
    load_file(
        database,
        audit,
        WatchlistRegistry(),
        write_lines(tmp_path / "watchlist.jsonl", *persons),
        actor=ADMIN,
        clock=clock,
    )
    with database.write() as session:
        AlertRegistry(audit).issue(
            session,
            AlertDraft(
                category="travel_ban",
                subject=PersonSubject(("Karim Haddad",), "1980-06-15"),
                issuing_authority=TRAVEL_BAN_AUTHORITY,
                action=TRAVEL_BAN_ACTION,
                id="MAR-A-0042",
            ),
            actor=ADMIN,
            now=clock(),
        )
    yield Node(settings=settings, database=database, audit=audit, clock=clock)
    database.dispose()


def load_crossings(node: Node, tmp_path: Path, *crossings: dict[str, Any]) -> None:
    records = [
        {"issuing_state": "MAR", "nationality": "MAR", "crossing_point": "TNG-MED"} | c
        for c in crossings
    ]
    load_file(
        node.database,
        node.audit,
        CrossingRegistry(),
        write_lines(tmp_path / "crossings.jsonl", *records),
        actor=ADMIN,
        clock=node.clock,
    )


@pytest.fixture
def inspector(node: Node) -> Inspector:
    """The node's inspector with its default components (watchlist index from the store)."""
    return Inspector(node)


def request(
    mrz: str | DocumentCheck,
    clock: Clock,
    *,
    direction: str = "entry",
    document_photo: bytes | None = None,
    live_photo: bytes | None = None,
) -> InspectionRequest:
    return InspectionRequest(
        mrz=mrz,
        purpose="border control: entry check",
        crossing_point="TNG-MED",
        direction="entry" if direction == "entry" else "exit",
        officer=OFFICER,
        at=clock(),
        document_photo=document_photo,
        live_photo=live_photo,
    )


def receive_partner_alert(node: Node, clock: Clock, subject: PersonSubject) -> AlertView:
    """Alert TUN-A-9, a wanted person Tunisia shared with ``node``, applied as its listener
    would."""
    shared = AlertView(
        id="TUN-A-9",
        kind="person",
        category="wanted",
        subject=subject,
        subject_key="",
        issuing_authority="Garde nationale, Tunis: +216 71 000 000",
        action="Hold the traveller and call the Tunisian liaison officer.",
        valid_from=clock().date() - timedelta(days=1),
        valid_until=None,
        status="active",
        created_at=clock(),
        updated_at=clock(),
    )
    body = alert_issue_body(shared, version=1, idempotency_key="alert:TUN-A-9:1")
    with node.database.write() as session:
        apply_alert_message(
            session, node.audit, sender="TUN", kind="alert.issue", body=body, now=clock()
        )
    return shared
