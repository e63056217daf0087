"""Three persons with two identities each, for the multiple-identity links at demo start.

Each person is on the watchlist twice, under two identities issued separately:

- **Driss Zerouali** (Moroccan, wanted) is also *Idriss Zeroual* (Algerian, travel ban),
  listed with his name in Arabic script (إدريس الزروالي): the name engine's keys meet
  across spellings and scripts, and the birth date is the same;
- **Anouar Skalli** (Moroccan) is also *Anwar Sqalli* (Tunisian), born 1979-11-05 on one
  and 1979-05-11 on the other (day and month transposed);
- **Rachid Filali** (Moroccan) is also *Samir Bouzidi* (Senegalese): nothing in the names
  agrees, but the same face is filed under both identities (the photo each passport's
  chip gave, as the ``travellers`` gallery keeps it). Only the face links them: with
  ``--no-faces`` no face is filed and this pair is not found; the other two still are.
  Each identity's face is filed with its reference photo (scikit-image's public-domain
  ``camera`` portrait, when scikit-image is installed), so the analyst compares the
  two photos side by side on the link's page.

:func:`plant_identities` puts them in the world's watchlist in place of the last six
"other" persons (the list keeps its size); :func:`enrol_planted_faces` files the face
(a seeded template, the same vector twice: the photo is shown, not read); :func:`link_planted`
runs the linkage once (DuckDB), so the analyst sees the yellow links at start.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import replace

import numpy as np

from passerelle.demo.model import DemoWorld, WatchlistRecord
from passerelle.identities import LinkageReport, link_identities
from passerelle.node import Node
from passerelle.store.audit import Actor
from passerelle.store.tables import BiometricTemplate

__all__ = [
    "FACE_GALLERY",
    "PLANTED",
    "enrol_planted_faces",
    "link_planted",
    "plant_identities",
    "plant_links",
    "planted_pairs",
    "planted_portrait",
]

FACE_GALLERY = "travellers"
"""The gallery of the faces read from travellers' passport chips (not searched 1:N at a
border check: ``wiring.ALERT_GALLERIES``)."""

PLANTED: tuple[tuple[WatchlistRecord, WatchlistRecord], ...] = (
    (
        WatchlistRecord("", ("Driss Zerouali",), "1986-08-23", ("MAR",), "M", "wanted", "MAR"),
        WatchlistRecord(
            "", ("Idriss Zeroual", "إدريس الزروالي"), "1986-08-23", ("DZA",), "M",
            "travel_ban", "MAR",
        ),
    ),
    (
        WatchlistRecord("", ("Anouar Skalli",), "1979-11-05", ("MAR",), "M", "alert", "MAR"),
        WatchlistRecord("", ("Anwar Sqalli",), "1979-05-11", ("TUN",), "M", "alert", "MAR"),
    ),
    (
        WatchlistRecord("", ("Rachid Filali",), "1991-02-17", ("MAR",), "M", "wanted", "MAR"),
        WatchlistRecord("", ("Samir Bouzidi",), "1991-02-17", ("SEN",), "M", "wanted", "MAR"),
    ),
)  # fmt: skip
"""The three persons' two identities (ids given when planted)."""
_FACE_PERSON = 2


def plant_identities(persons: tuple[WatchlistRecord, ...]) -> tuple[WatchlistRecord, ...]:
    """``persons`` with its last six entries (others who do not travel) replaced by the
    planted identities, which take their ids; fewer than six persons: unchanged."""
    count = sum(len(pair) for pair in PLANTED)
    if len(persons) < count + 1:
        return persons
    kept, replaced = persons[:-count], persons[-count:]
    planted = [record for pair in PLANTED for record in pair]
    return (
        *kept,
        *(replace(record, id=old.id) for record, old in zip(planted, replaced, strict=True)),
    )


def planted_pairs(world: DemoWorld) -> list[tuple[str, str]]:
    """The watchlist ids of each planted person's two identities."""
    by_names = {person.names: person.id for person in world.watchlist}
    return [(by_names[one.names], by_names[other.names]) for one, other in PLANTED]


def planted_portrait() -> bytes | None:
    """The face person's photo as JPEG: scikit-image's ``camera`` (public domain), or
    ``None`` when scikit-image (a development dependency) is not installed."""
    try:
        from skimage import data
    except ImportError:
        return None
    from PIL import Image

    pixels = data.camera()  # type: ignore[no-untyped-call]
    buffer = io.BytesIO()
    Image.fromarray(pixels).convert("RGB").save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


def enrol_planted_faces(node: Node, world: DemoWorld, actor: Actor) -> int:
    """File the same face under the face person's two identities, with the planted
    portrait as each one's reference photo when there is one, unless a face is already
    there; how many templates were filed."""
    from passerelle.biometrics.face import FACE_MODEL, FACE_MODEL_VERSION
    from passerelle.biometrics.templates import FaceTemplate
    from passerelle.wiring import face_galleries

    vector = np.random.default_rng(world.seed).normal(size=128).astype(np.float32)
    template = FaceTemplate(FACE_MODEL, FACE_MODEL_VERSION, vector)
    galleries = face_galleries(node)
    portrait = planted_portrait()
    digest = hashlib.sha256(portrait).hexdigest() if portrait is not None else "0" * 64
    names = {person.id: person.names[0] for person in world.watchlist}
    filed = 0
    for identity in planted_pairs(world)[_FACE_PERSON]:
        with node.database.read() as session:
            there = (
                session.query(BiometricTemplate.id)
                .filter_by(gallery=FACE_GALLERY, identity=identity, modality="face")
                .first()
            )
        if there is None:
            now = node.clock()
            row = galleries.enrol(
                FACE_GALLERY,
                identity,
                template,
                source_sha256=digest,
                at=now,
                by=actor.name,
                image=portrait,
                name=names.get(identity),
            )
            with node.database.write() as session:
                node.audit.record(
                    session,
                    actor=actor,
                    action="face.enrol",
                    at=now,
                    query={"gallery": FACE_GALLERY, "identity": identity, "planted": True},
                    result={"template": row},
                )
            filed += 1
    return filed


def link_planted(node: Node, actor: Actor) -> LinkageReport:
    """Run the multiple-identity linkage once on DuckDB (audited ``identity_link.run``)."""
    from passerelle.wiring import face_threshold

    return link_identities(
        node, by=actor, face_threshold=face_threshold(node.settings), engine="duckdb"
    )


def plant_links(node: Node, world: DemoWorld, actor: Actor, *, faces: bool) -> LinkageReport:
    """After seeding: file the planted face (unless ``faces`` is false), then link once."""
    if faces:
        enrol_planted_faces(node, world, actor)
    return link_planted(node, actor)
