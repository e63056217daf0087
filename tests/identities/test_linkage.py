"""A linkage run over a real node (SQLite and PostgreSQL): what it links and what it must not."""

from __future__ import annotations

from datetime import timedelta

import duckdb
import numpy as np
import pytest
from sqlalchemy import select

from passerelle.biometrics.enrolment import FaceGalleries
from passerelle.biometrics.face import FACE_MODEL, FACE_MODEL_VERSION
from passerelle.biometrics.templates import FaceTemplate
from passerelle.exc import InvalidInput
from passerelle.identities import link_identities
from passerelle.identities.faces import face_groups
from passerelle.identities.records import load_records
from passerelle.node import Node
from passerelle.records.identity_links import LinkEnd
from passerelle.store.identity_links import IdentityLinkRepository
from passerelle.store.tables import AuditRecord
from tests.identities.conftest import ANALYST, AT, background, inspection, watchlisted

THRESHOLD = 0.9


def _links(node: Node) -> dict[frozenset[str], str]:
    with node.database.read() as session:
        found = IdentityLinkRepository(node.audit).links(session, limit=500)
    return {frozenset((link.left.key, link.right.key)): link.colour for link in found}


def _run(node: Node) -> dict[frozenset[str], str]:
    link_identities(node, by=ANALYST, face_threshold=0.6)
    return _links(node)


def test_repeated_inspections_of_one_document_are_one_identity_occurrence(node: Node) -> None:
    with node.database.write() as session:
        for n, point in enumerate(("TNG-MED", "CMN-T1", "TNG-MED")):
            session.add(
                inspection(
                    f"I-{n}",
                    given="Youssef",
                    surname="Amrani",
                    born="1983-04-12",
                    document="AB123456",
                    point=point,
                    at=AT + timedelta(days=n),
                )
            )
        session.add(
            inspection("I-9", given="Youssef", surname="Amrani", born="1983-04-12", document="ZZ1")
        )
    con = duckdb.connect()
    with node.database.read() as session:
        assert load_records(con, session) == 2
    rows = con.execute(
        "SELECT ref, occurrences, points, first_seen < last_seen, name_key "
        "FROM identity_records ORDER BY ref"
    ).fetchall()
    assert rows == [
        ("I-0", 3, "CMN-T1 TNG-MED", True, "mrn ysf"),
        ("I-9", 1, "TNG-MED", False, "mrn ysf"),
    ]


def test_an_arabic_script_record_links_to_its_latin_spelling_and_namesakes_do_not(
    node: Node,
) -> None:
    with node.database.write() as session:
        session.add_all(background())
        session.add(watchlisted("MAR-W-1", ["يوسف العمراني"], "1983-04-12"))
        session.add(
            inspection("I-1", given="Youcef", surname="El Amrani", born="1983-04-12",
                       document="DZ998877", state="DZA")
        )  # fmt: skip
        for n, born in enumerate(("1983-09-30", "1983-01-05", "1983-06-20")):  # namesakes
            session.add(
                inspection(f"N-{n}", given="Youssef", surname="Amrani", born=born,
                           document=f"NS{n}")
            )  # fmt: skip
    links = _run(node)
    assert links.get(frozenset({"watchlist:MAR-W-1", "inspection:I-1"})) == "yellow"
    namesakes = {"inspection:N-0", "inspection:N-1", "inspection:N-2"}
    assert not [pair for pair in links if len(pair & namesakes) == 2]
    with node.database.read() as session:
        (link,) = IdentityLinkRepository(node.audit).links(
            session, record=LinkEnd("inspection", "I-1")
        )
    weights = {c["field"]: c["weight"] for c in link.evidence["comparisons"]}
    assert weights["name"] > 0  # each level's own weight, shown on the link's page
    assert weights["birth_date"] > 0
    assert weights["nationality"] < 0  # DZA against MAR speaks against the link


def test_a_face_matching_across_two_documents_links_them(node: Node) -> None:
    with node.database.write() as session:
        session.add_all(background())
        session.add(inspection("F-1", given="Rachid", surname="Bennani", born="1979-11-05",
                               document="RB111"))  # fmt: skip
        session.add(inspection("F-2", given="Samir", surname="Filali", born="1979-11-05",
                               document="SF222", state="TUN"))  # fmt: skip
    face = np.random.default_rng(1).normal(size=128).astype(np.float32)
    galleries = FaceGalleries(node.database, node.template_vault(), node.settings.galleries_dir)
    template = FaceTemplate(FACE_MODEL, FACE_MODEL_VERSION, face)
    for identity in ("F-1", "F-2"):
        galleries.enrol_template(
            "travellers", identity, template, source_sha256="0" * 64, at=AT, by="officer.benali"
        )
    with node.database.read() as session:
        groups = face_groups(session, node.template_vault(), threshold=0.6)
    assert len(set(groups.column("face_group").to_pylist())) == 1
    links = _run(node)
    assert links.get(frozenset({"inspection:F-1", "inspection:F-2"})) == "yellow"


def test_a_resolved_link_keeps_its_colour_when_the_next_run_finds_it_again(node: Node) -> None:
    with node.database.write() as session:
        session.add_all(background())
        session.add(watchlisted("MAR-W-2", ["Hicham Tazi"], "1979-11-05"))
        session.add(inspection("T-1", given="Hisham", surname="Al-Tazi", born="1979-05-11",
                               document="TN5544", state="TUN"))  # fmt: skip
    pair = frozenset({"watchlist:MAR-W-2", "inspection:T-1"})
    assert _run(node)[pair] == "yellow"
    repository = IdentityLinkRepository(node.audit)
    with node.database.write() as session:
        (link,) = repository.links(session, record=LinkEnd("inspection", "T-1"))
        repository.resolve(session, link.id, colour="green", note="two brothers", by=ANALYST,
                           now=node.clock())  # fmt: skip
    report = link_identities(node, by=ANALYST, face_threshold=0.6)
    assert _links(node)[pair] == "green"
    assert report.outcome.kept_resolved >= 1
    with node.database.read() as session:
        actions = session.scalars(select(AuditRecord.action)).all()
    assert actions.count("identity_link.run") == 2


def test_a_bad_engine_is_refused_naming_the_option(node: Node) -> None:
    with pytest.raises(InvalidInput) as refused:
        link_identities(node, by=ANALYST, face_threshold=0.6, engine="hadoop")
    assert refused.value.field == "engine"
