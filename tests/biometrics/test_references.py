"""A face identity's reference photo and name: downscaled, sealed at rest like the templates,
and gone when the templates go (removal, retention)."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select
from typer.testing import CliRunner

from passerelle.biometrics.enrolment import FaceGalleries
from passerelle.biometrics.reference import REFERENCE_SIDE
from passerelle.cli import app
from passerelle.exc import InvalidInput
from passerelle.node import open_node
from passerelle.settings import load_settings
from passerelle.store import Actor, AuditTrail, Database
from passerelle.store.retention import RetentionPolicy, apply_retention
from passerelle.store.tables import BiometricTemplate, FaceReference, WatchlistPerson
from passerelle.wiring import face_desk
from tests.biometrics.test_enrolment import VAULT, capture
from tests.biometrics.test_face import astronaut, photos  # noqa: F401  (fixtures)
from tests.conftest import Clock

SYSTEM = Actor("retention", "system", "admin")


def photo(width: int = 1200, height: int = 900) -> bytes:
    """A JPEG with some detail (a gradient), as a camera or a file would give."""
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=95)
    return out.getvalue()


@pytest.fixture
def galleries(database: Database, tmp_path: Path) -> FaceGalleries:
    return FaceGalleries(database, VAULT, tmp_path / "galleries")


def enrol(galleries: FaceGalleries, clock: Clock, identity: str, **given: object) -> int:
    return galleries.enrol(
        "wanted",
        identity,
        capture(7),
        source_sha256="0" * 64,
        at=clock(),
        by="analyst.idrissi",
        **given,  # type: ignore[arg-type]
    )


def test_the_reference_photo_is_downscaled_and_sealed_at_rest(
    galleries: FaceGalleries, database: Database, clock: Clock
) -> None:
    image = photo()
    enrol(galleries, clock, "MAR-W-0001", image=image, name="  Nadia   Berrada ")

    with database.read() as session:
        row = session.scalars(select(FaceReference)).one()
    assert row.display_name == "Nadia Berrada"
    assert row.sealed_image is not None
    assert not row.sealed_image.startswith(b"\xff\xd8")  # not a JPEG at rest
    assert b"JFIF" not in row.sealed_image
    assert image[:64] not in row.sealed_image
    reference = galleries.reference("wanted", "MAR-W-0001")
    assert reference is not None
    assert reference.name == "Nadia Berrada"
    assert reference.jpeg is not None
    assert reference.jpeg.startswith(b"\xff\xd8")
    opened = Image.open(io.BytesIO(reference.jpeg))
    assert (opened.format, max(opened.size)) == ("JPEG", REFERENCE_SIDE)
    assert opened.size == (480, 360)


def test_a_sealed_photo_moved_to_another_identity_no_longer_opens(
    galleries: FaceGalleries, database: Database, clock: Clock
) -> None:
    enrol(galleries, clock, "MAR-W-0001", image=photo(), name="Nadia Berrada")
    enrol(galleries, clock, "MAR-W-0002", image=photo(600, 600))
    with database.write() as session:
        first, second = session.scalars(select(FaceReference).order_by(FaceReference.id)).all()
        second.sealed_image = first.sealed_image
    with pytest.raises(InvalidInput, match="does not open"):
        galleries.reference("wanted", "MAR-W-0002")


def test_a_new_enrolment_keeps_the_name_unless_it_gives_one(
    galleries: FaceGalleries, clock: Clock
) -> None:
    enrol(galleries, clock, "MAR-W-0001", image=photo(), name="Nadia Berrada")
    enrol(galleries, clock, "MAR-W-0001", image=photo(300, 400))
    reference = galleries.reference("wanted", "MAR-W-0001")
    assert reference is not None
    assert reference.jpeg is not None
    assert reference.name == "Nadia Berrada"
    assert Image.open(io.BytesIO(reference.jpeg)).size == (300, 400)  # never enlarged
    assert galleries.reference("wanted", "MAR-W-0404") is None


def test_removing_the_identity_removes_its_photo_and_name(
    galleries: FaceGalleries, database: Database, clock: Clock
) -> None:
    enrol(galleries, clock, "MAR-W-0001", image=photo(), name="Nadia Berrada")
    enrol(galleries, clock, "MAR-W-0002", image=photo(), name="Someone Else")

    assert galleries.remove("wanted", "MAR-W-0001") == 1
    assert galleries.reference("wanted", "MAR-W-0001") is None
    assert galleries.reference("wanted", "MAR-W-0002") is not None


def test_bad_names_and_images_are_refused_naming_the_field(
    galleries: FaceGalleries, database: Database, clock: Clock
) -> None:
    with pytest.raises(InvalidInput, match="name: is longer than 200"):
        enrol(galleries, clock, "MAR-W-0001", image=photo(), name="N" * 201)
    with pytest.raises(InvalidInput, match="name: holds control characters"):
        enrol(galleries, clock, "MAR-W-0001", image=photo(), name="Nadia\x00")
    with pytest.raises(InvalidInput, match="image: is not an image"):
        enrol(galleries, clock, "MAR-W-0001", image=b"not a photo", name="Nadia")
    with database.read() as session:  # nothing was stored
        assert session.scalar(select(func.count()).select_from(BiometricTemplate)) == 0
        assert session.scalar(select(func.count()).select_from(FaceReference)) == 0


def test_retention_purges_the_photo_with_the_templates(
    galleries: FaceGalleries, database: Database, audit: AuditTrail, clock: Clock
) -> None:
    with database.write() as session:
        for person, status in (("MAR-W-0001", "withdrawn"), ("MAR-W-0002", "active")):
            session.add(
                WatchlistPerson(
                    id=person,
                    names=["Nadia Berrada"],
                    birth_date="1968-12-03",
                    birth_year=1968,
                    nationalities=["MAR"],
                    sex="F",
                    category="wanted",
                    issued_by="MAR",
                    valid_until=date(2030, 1, 1),
                    status=status,
                    content_hash="0" * 64,
                    created_at=clock() - timedelta(days=800),
                    updated_at=clock() - timedelta(days=800),
                    withdrawn_at=clock() - timedelta(days=400) if status == "withdrawn" else None,
                )
            )
    enrol(galleries, clock, "MAR-W-0001", image=photo(), name="Nadia Berrada")
    enrol(galleries, clock, "MAR-W-0002", image=photo(), name="Still Wanted")

    with database.write() as session:
        report = apply_retention(session, audit, RetentionPolicy(), actor=SYSTEM, now=clock())

    assert (report.biometric_templates, report.face_references) == (1, 1)
    assert galleries.reference("wanted", "MAR-W-0001") is None
    assert galleries.reference("wanted", "MAR-W-0002") is not None


def test_the_cli_files_the_photo_and_name_and_removes_them_with_the_face(
    photos: Callable[[str], Path],  # noqa: F811
    node_home: Callable[[], Path],
) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    assert runner.invoke(app, ["keys", "init"]).exit_code == 0
    document = photos("document.png")
    enrolled = runner.invoke(
        app, ["face", "enrol", "wanted", "MAR-W-1", str(document), "--name", "Nadia Berrada"]
    )
    assert enrolled.exit_code == 0, enrolled.output
    with open_node(load_settings()) as node:
        reference = face_desk(node).galleries.reference("wanted", "MAR-W-1")
        with node.database.read() as session:
            (row,) = session.scalars(select(FaceReference)).all()
            digest = session.scalars(select(BiometricTemplate.source_sha256)).one()
    assert reference is not None
    assert reference.name == "Nadia Berrada"
    assert reference.jpeg is not None
    assert Image.open(io.BytesIO(reference.jpeg)).size == (480, 480)
    assert row.image_sha256 == digest == hashlib.sha256(document.read_bytes()).hexdigest()

    bad = runner.invoke(
        app, ["face", "enrol", "wanted", "MAR-W-2", str(document), "--name", "x" * 201]
    )
    assert bad.exit_code == 2
    assert "name: is longer than 200 characters" in bad.stderr
    gone = runner.invoke(app, ["face", "remove", "wanted", "MAR-W-1", "--reason", "arrested"])
    assert gone.exit_code == 0, gone.output
    with open_node(load_settings()) as node, node.database.read() as session:
        assert session.scalars(select(FaceReference)).all() == []
