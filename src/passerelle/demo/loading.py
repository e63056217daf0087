"""Loading a demo world into a node, through the node's own loaders, audited and idempotent.

The world is written as the files an operator would load (``HOME/demo`` unless
told): ``sltd.jsonl``, ``watchlist.jsonl``, ``crossings.jsonl``, one
``alerts/ID.json`` per alert, ``passports.txt`` (every traveller's MRZ, a blank
line between documents) and ``portrait.jpg``. Then:

* the three JSON Lines files go through ``store.loading.load_file`` with the
  registries ``passerelle sltd load``, ``watchlist load`` and ``crossing load``
  use (committed per batch, each batch audited);
* each alert is issued by ``AlertRegistry.issue`` as ``passerelle alert issue``
  does (audited), unless an alert with its id exists;
* the demo portrait (scikit-image's public-domain ``astronaut``) is enrolled in
  the alerts gallery under the wanted person's alert id with the node's
  ``FaceGalleries``, as ``passerelle face enrol`` does (audited), unless that
  identity already has a face there. Without scikit-image, no face is enrolled
  and the report says so.

The node's catalogue file (``HOME/config/catalogues.json``, or the one
``PASSERELLE_CATALOGUES_FILE`` names) gets the demo's crossing points
(``demo.catalogues``) when it does not exist; one already there is kept.

Seeding twice stores nothing the second time: loads count every line as
unchanged, existing alerts and faces are left alone.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from passerelle.demo.catalogues import DEMO_CATALOGUES
from passerelle.demo.chips import issue_demo_chips
from passerelle.demo.model import DemoWorld
from passerelle.exc import InvalidInput
from passerelle.node import Node
from passerelle.records.alerts import PersonSubject
from passerelle.records.catalogues import catalogues_json
from passerelle.store.alerts import UnknownAlert, parse_alert
from passerelle.store.audit import Actor
from passerelle.store.crossings import CrossingRegistry
from passerelle.store.loading import LoadReport, Registry, load_file
from passerelle.store.sltd import SltdRegistry
from passerelle.store.tables import BiometricTemplate
from passerelle.store.watchlist import WatchlistRegistry
from passerelle.wiring import alert_registry, face_desk

__all__ = [
    "LoadCount",
    "SeedReport",
    "WorldFiles",
    "demo_portrait",
    "seed_node",
    "write_catalogues",
    "write_world",
]


PORTRAIT_SIZE = 800
"""The portrait is enlarged to this many pixels a side: more than 60 px between the eyes."""


@dataclass(frozen=True, slots=True)
class LoadCount:
    """What one part of the seeding stored, found already there, or refused."""

    stored: int
    unchanged: int
    rejected: int = 0


@dataclass(frozen=True, slots=True)
class SeedReport:
    """What ``seed_node`` did, part by part."""

    folder: Path
    sltd: LoadCount
    watchlist: LoadCount
    crossings: LoadCount
    alerts: LoadCount
    faces: LoadCount
    portrait: Path | None
    """The demo portrait written for the face scenario (``None`` without scikit-image)."""
    notes: tuple[str, ...] = ()
    rejections: tuple[str, ...] = ()
    """``FILE line N: FIELD: REASON`` for each refused line (none for a generated world)."""
    catalogues: Path | None = None
    """The catalogue file written (``None`` when the node had one already)."""
    chips: LoadCount = LoadCount(0, 0)
    """The scenarios' chip files (``HOME/demo/chips``) and the trust store filled for them
    (``demo.chips``): written, or already there."""

    @property
    def stored(self) -> int:
        """Records stored by this seeding (0 when the world was already there)."""
        parts = (self.sltd, self.watchlist, self.crossings, self.alerts, self.faces)
        return sum(part.stored for part in parts)


def demo_portrait() -> bytes | None:
    """The demo face as JPEG: scikit-image's ``astronaut`` (NASA, public domain), enlarged.

    ``None`` when scikit-image (a development dependency) is not installed.
    """
    try:
        from skimage import data
    except ImportError:
        return None
    from PIL import Image

    pixels = data.astronaut()  # type: ignore[no-untyped-call]
    image = Image.fromarray(pixels).resize((PORTRAIT_SIZE, PORTRAIT_SIZE), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=92)
    return buffer.getvalue()


def _json_lines(path: Path, records: Iterable[dict[str, Any]]) -> Path:
    path.write_text(
        "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records),
        encoding="utf-8",
    )
    return path


@dataclass(frozen=True, slots=True)
class WorldFiles:
    """Where ``write_world`` put the files the loaders read."""

    sltd: Path
    watchlist: Path
    crossings: Path
    alerts: tuple[Path, ...]


def write_world(world: DemoWorld, folder: Path) -> WorldFiles:
    """Write the world's files into ``folder`` (created if needed); the same world, same bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    alerts = folder / "alerts"
    alerts.mkdir(exist_ok=True)
    alert_files = []
    for alert in world.alerts:
        path = alerts / f"{alert.id}.json"
        path.write_text(json.dumps(alert.as_json(), ensure_ascii=False, indent=2) + "\n", "utf-8")
        alert_files.append(path)
    (folder / "passports.txt").write_text(
        "\n\n".join(t.mrz for t in world.travellers) + "\n", encoding="ascii"
    )
    return WorldFiles(
        sltd=_json_lines(folder / "sltd.jsonl", (d.as_json() for d in world.sltd)),
        watchlist=_json_lines(folder / "watchlist.jsonl", (p.as_json() for p in world.watchlist)),
        crossings=_json_lines(folder / "crossings.jsonl", (c.as_json() for c in world.crossings)),
        alerts=tuple(alert_files),
    )


def _load(node: Node, registry: Registry[Any], path: Path, actor: Actor) -> LoadReport:
    return load_file(
        node.database,
        node.audit,
        registry,
        path,
        actor=actor,
        clock=node.clock,
        batch_size=node.settings.load_batch_size,
        parallel={"auto": None, "on": True, "off": False}[node.settings.load_parallel],
    )


def _count(report: LoadReport) -> LoadCount:
    return LoadCount(report.accepted, report.unchanged, report.rejected)


def _issue_alerts(node: Node, world: DemoWorld, actor: Actor) -> LoadCount:
    """Issue the world's alerts in one transaction; an id already there is left as it is."""
    registry = alert_registry(node)
    issued = unchanged = 0
    with node.database.write() as session:
        now = node.clock()
        for alert in world.alerts:
            try:
                registry.get(session, alert.id)
            except UnknownAlert:
                registry.issue(session, parse_alert(alert.as_json()), actor=actor, now=now)
                issued += 1
            else:
                unchanged += 1
    return LoadCount(issued, unchanged)


def _enrol_face(
    node: Node, world: DemoWorld, portrait: bytes, actor: Actor
) -> tuple[LoadCount, str | None]:
    """Enrol the portrait under the face identity unless it has a face in the gallery."""
    gallery, identity = world.face.gallery, world.face.identity
    with node.database.read() as session:
        present = session.scalars(
            select(BiometricTemplate.id).where(
                BiometricTemplate.gallery == gallery,
                BiometricTemplate.identity == identity,
                BiometricTemplate.modality == "face",
            )
        ).first()
    if present is not None:
        return LoadCount(0, 1), None
    from passerelle.biometrics.face import capture_face, read_image

    try:
        capture = capture_face(read_image(portrait, field="portrait"), field="portrait")
    except InvalidInput as exc:
        return LoadCount(0, 0, 1), f"the demo portrait was not enrolled: {exc.reason}"
    digest = hashlib.sha256(portrait).hexdigest()
    face_desk(node).enrol(
        actor,
        gallery,
        identity,
        capture,
        digest=digest,
        image=portrait,
        name=_face_name(world, identity),
    )
    return LoadCount(1, 0), None


def _face_name(world: DemoWorld, identity: str) -> str | None:
    """The name the officer sees with the enrolled face: its alert's first name, if a person."""
    for alert in world.alerts:
        if alert.id == identity and isinstance(alert.subject, PersonSubject):
            return alert.subject.names[0] if alert.subject.names else None
    return None


def write_catalogues(node: Node) -> Path | None:
    """Write the demo's catalogues (Morocco's crossing points) into the node's catalogue
    file unless it exists; the file written, or None."""
    path = node.settings.effective_catalogues_file
    if path.exists():
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(catalogues_json(DEMO_CATALOGUES), encoding="utf-8")
    return path


CROSSING_MAP_FILE = Path(__file__).with_name("crossing_points_morocco.geojson")
"""Morocco's crossing points where they are (WGS 84), for the risk page's map."""


def write_crossing_map(node: Node) -> Path | None:
    """Write the demo's map of crossing points into the node's map file unless it exists."""
    path = node.settings.effective_crossing_points_geojson
    if path.exists():
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(CROSSING_MAP_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def seed_node(
    node: Node,
    world: DemoWorld,
    *,
    actor: Actor,
    folder: Path | None = None,
    faces: bool = True,
) -> SeedReport:
    """Load ``world`` into ``node`` with the node's loaders; a second run stores nothing.

    ``folder`` receives the world's files (default ``HOME/demo``). With ``faces``
    the demo portrait is enrolled (dlib, a few seconds) when scikit-image is
    installed; otherwise, or with ``faces=False``, the report notes why not.
    """
    target = folder or node.settings.home / "demo"
    catalogues = write_catalogues(node)
    write_crossing_map(node)
    files = write_world(world, target)
    reports = {
        "sltd": _load(node, SltdRegistry(), files.sltd, actor),
        "watchlist": _load(node, WatchlistRegistry(), files.watchlist, actor),
        "crossings": _load(
            node, CrossingRegistry(default_officer=actor.name), files.crossings, actor
        ),
    }
    rejections = tuple(
        f"{Path(report.file_name).name} line {r.line_no}: {r.field}: {r.reason}"
        for report in reports.values()
        for r in report.rejections
    )
    alerts = _issue_alerts(node, world, actor)
    notes: list[str] = []
    portrait_path: Path | None = None
    face_count = LoadCount(0, 0)
    portrait = demo_portrait() if faces else None
    if portrait is None:
        notes.append(
            "no face enrolled: "
            + ("faces were not asked for" if not faces else "scikit-image is not installed")
        )
    else:
        portrait_path = target / "portrait.jpg"
        portrait_path.write_bytes(portrait)
        face_count, problem = _enrol_face(node, world, portrait, actor)
        if problem:
            notes.append(problem)
    written, kept = issue_demo_chips(node, world, target, actor=actor, portrait=portrait)
    report = SeedReport(
        folder=target,
        sltd=_count(reports["sltd"]),
        watchlist=_count(reports["watchlist"]),
        crossings=_count(reports["crossings"]),
        alerts=alerts,
        faces=face_count,
        portrait=portrait_path,
        notes=tuple(notes),
        rejections=rejections,
        catalogues=catalogues,
        chips=LoadCount(written, kept),
    )
    with node.database.write() as session:
        node.audit.record(
            session,
            actor=actor,
            action="demo.seed",
            at=node.clock(),
            query={
                "seed": world.seed,
                "as_of": world.as_of.isoformat(),
                "travellers": len(world.travellers),
            },
            result={
                name: {"stored": part.stored, "unchanged": part.unchanged}
                for name, part in (
                    ("sltd", report.sltd),
                    ("watchlist", report.watchlist),
                    ("crossings", report.crossings),
                    ("alerts", report.alerts),
                    ("faces", report.faces),
                    ("chips", report.chips),
                )
            },
        )
    return report
