"""A node with identity records written as the node writes them (inspections with their
MRZ's names, watchlist persons), over a background population from the seeded sample."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from passerelle.identities.sample import sample_records
from passerelle.node import Node
from passerelle.settings import Settings
from passerelle.store import Actor, AuditTrail, Database
from passerelle.store.tables import Inspection, WatchlistPerson
from tests.conftest import Clock, with_biometric_key

ANALYST = Actor("analyst.idrissi", "user", "analyst")
AT = datetime(2026, 11, 1, 9, tzinfo=UTC)


@pytest.fixture
def node(database: Database, audit: AuditTrail, clock: Clock, tmp_path: Path) -> Node:
    settings = Settings(home=tmp_path / "home", database_url=database.url)
    return Node(settings=with_biometric_key(settings), database=database, audit=audit, clock=clock)


def inspection(
    inspection_id: str,
    *,
    given: str,
    surname: str,
    born: str,
    document: str,
    state: str = "MAR",
    sex: str = "M",
    point: str = "TNG-MED",
    at: datetime = AT,
) -> Inspection:
    """An inspection row as the inspector stores it: the MRZ's fields in ``result``."""
    read: dict[str, Any] = {
        "surname": surname,
        "given_names": given,
        "birth_date": born,
        "sex": sex,
        "issuing_state": state,
        "nationality": state,
        "document_number": document,
    }
    return Inspection(
        id=inspection_id,
        at=at,
        recorded_at=at,
        officer="officer.benali",
        crossing_point=point,
        direction="entry",
        purpose="border check",
        issuing_state=state,
        document_number=document,
        nationality=state,
        decision="clear",
        result={"inspection_id": inspection_id, "document": read},
    )


def watchlisted(person_id: str, names: list[str], born: str, state: str = "MAR") -> WatchlistPerson:
    return WatchlistPerson(
        id=person_id,
        names=names,
        birth_date=born,
        birth_year=int(born[:4]),
        nationalities=[state],
        sex="M",
        category="wanted",
        issued_by="MAR",
        status="active",
        content_hash=person_id.ljust(64, "0")[:64],
        created_at=AT,
        updated_at=AT,
    )


def background(persons: int = 300) -> list[Inspection]:
    """Inspections of ``persons`` ordinary travellers (the sample's first identities), so the
    model has a population to learn what chance agreement looks like."""
    table = sample_records(persons, planted=0.0, namesakes=0, face_share=0.0)
    rows = []
    for n, record in enumerate(table.to_pylist()):
        given, _, surname = record["name"].partition(" ")
        rows.append(
            inspection(
                f"B-{n:05d}",
                given=given,
                surname=surname,
                born=record["birth_date"],
                document=f"BG{n:07d}",
                state=record["nationality"],
                sex=record["sex"],
                at=AT - timedelta(days=n % 30),
            )
        )
    return rows
