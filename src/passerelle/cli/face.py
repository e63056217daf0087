"""``passerelle face``: faces from images, compared 1:1 or searched 1:N.

``passerelle face verify A B`` says whether two photos (a live capture and the
document's portrait) show the same person: ``{"match", "score", "faces"}``.
Exit codes: 0 same person, 1 different persons, 2 an image the comparison
cannot stand on (no face, two faces, too small, blurred, badly exposed; the
reason and the image are named) or another usage error.

``passerelle face enrol GALLERY ID IMAGE [--name NAME]`` files a face under a
store id in a list's gallery (the template sealed in the database, the photo
downscaled and sealed as the reference the officer sees on a hit, with the
name); ``face search GALLERY
IMAGE`` returns the nearest identities (exit 1 on a hit); ``face remove GALLERY
ID --reason`` takes an identity out. All three are audited; a search states
its purpose.
"""

from __future__ import annotations

import hashlib
import math
from pathlib import Path
from typing import Annotated

import typer

from passerelle.access import Permission, local_operator
from passerelle.biometrics.calibration import calibrate
from passerelle.biometrics.enrolment import FaceGalleries
from passerelle.biometrics.face import (
    FaceCapture,
    capture_face,
    read_image,
    read_image_file,
    verify_faces,
)
from passerelle.cli.common import PurposeOption, fail, node_for_cli, print_json, say
from passerelle.exc import ConfigurationError, InvalidInput
from passerelle.node import Node
from passerelle.settings import load_settings
from passerelle.store.audit import Actor
from passerelle.wiring import face_desk, face_threshold

__all__ = ["face_app"]

face_app = typer.Typer(
    help="Faces: capture quality, 1:1 verification, 1:N galleries per list, calibration.",
    no_args_is_help=True,
)


@face_app.command("verify")
def verify(
    first: Annotated[Path, typer.Argument(metavar="IMAGE_A", help="A photo (JPEG, PNG).")],
    second: Annotated[Path, typer.Argument(metavar="IMAGE_B", help="The photo to compare.")],
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Whether two photos show the same person (dlib ResNet descriptor, 5-point landmarks)."""
    captures = []
    for label, path in (("IMAGE_A", first), ("IMAGE_B", second)):
        try:
            captures.append(capture_face(read_image_file(path, field=label), field=label))
        except InvalidInput as exc:
            fail(f"{exc.field} ({path}): {exc.reason}")
    threshold = _threshold()
    verdict = verify_faces(captures[0], captures[1], threshold=threshold)
    if as_json:
        print_json(verdict.as_dict())
    else:
        said = "same person" if verdict.match else "different persons"
        say(f"{said}: score {verdict.score:.3f} (threshold {threshold})")
    raise typer.Exit(0 if verdict.match else 1)


GalleryArgument = Annotated[str, typer.Argument(help="The list's gallery, e.g. wanted.")]
IdentityArgument = Annotated[str, typer.Argument(metavar="ID", help="The store id it belongs to.")]
ImageArgument = Annotated[Path, typer.Argument(metavar="IMAGE", help="A photo (JPEG, PNG).")]
JsonOption = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]


def _capture(path: Path) -> tuple[FaceCapture, str]:
    capture, digest, _ = _read_face(path)
    return capture, digest


def _read_face(path: Path) -> tuple[FaceCapture, str, bytes]:
    """The photo's face, the SHA-256 of the file, and the file's bytes."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        fail(f"IMAGE ({path}): cannot read it: {exc.strerror}")
    try:
        pixels = read_image(data, field="IMAGE")
        return capture_face(pixels, field="IMAGE"), hashlib.sha256(data).hexdigest(), data
    except InvalidInput as exc:
        fail(f"{exc.field} ({path}): {exc.reason}")


def _galleries(node: Node) -> FaceGalleries:
    return face_desk(node).galleries


def _threshold() -> float:
    """The node's calibrated face threshold (PASSERELLE_FACE_MATCH_THRESHOLD), else the default."""
    try:
        return face_threshold(load_settings())
    except ConfigurationError as exc:
        fail(str(exc), code=3)


@face_app.command("enrol")
def enrol(
    gallery: GalleryArgument,
    identity: IdentityArgument,
    image: ImageArgument,
    name: Annotated[
        str | None,
        typer.Option("--name", help="The name the officer sees with the photo on a hit."),
    ] = None,
) -> None:
    """File a face under a store id in a gallery (the template is sealed in the database,
    and the photo, downscaled and sealed, kept as the reference the officer sees on a hit)."""
    capture, digest, data = _read_face(image)
    with node_for_cli() as node:
        row = face_desk(node).enrol(
            _keeper(), gallery, identity, capture, digest=digest, image=data, name=name
        )
    say(f"{gallery}: {identity} enrolled (template {row})")


@face_app.command("search")
def search(
    gallery: GalleryArgument,
    image: ImageArgument,
    purpose: PurposeOption,
    top: Annotated[int, typer.Option("--top", min=1, max=100, help="Identities shown.")] = 5,
    as_json: JsonOption = False,
) -> None:
    """The identities of a gallery nearest a photo's face; exit 1 when one is a hit."""
    capture, digest = _capture(image)
    with node_for_cli() as node:
        hits = face_desk(node).search(
            local_operator(Permission.SEARCH_WATCHLIST),
            purpose,
            gallery,
            capture,
            digest=digest,
            top=top,
        )
    if as_json:
        print_json(
            {
                "gallery": gallery,
                "matches": [
                    {"id": h.identity, "score": round(h.score, 4), "hit": h.is_hit} for h in hits
                ],
            }
        )
    else:
        for hit in hits:
            say(f"{hit.score:.3f}  {hit.identity}{'  HIT' if hit.is_hit else ''}")
    raise typer.Exit(1 if any(hit.is_hit for hit in hits) else 0)


@face_app.command("remove")
def remove(
    gallery: GalleryArgument,
    identity: IdentityArgument,
    reason: Annotated[str, typer.Option("--reason", help="Why (recorded in the audit trail).")],
) -> None:
    """Take an identity's faces out of a gallery (store and index)."""
    if not reason.strip():
        fail("reason: must say why the faces are removed")
    with node_for_cli() as node:
        removed = face_desk(node).remove(_keeper(), gallery, identity, reason)
    if not removed:
        fail(f"identity: {identity!r} has no face in {gallery!r}", code=1)
    say(f"{gallery}: {identity} removed ({removed} template(s))")


def _keeper() -> Actor:
    """The local operator, as the analyst who keeps the galleries."""
    return local_operator(Permission.MANAGE_WATCHLIST)


@face_app.command("calibrate")
def calibrate_threshold(
    folder: Annotated[
        Path,
        typer.Argument(
            help="One sub-folder per person, holding that person's photos.", file_okay=False
        ),
    ],
    fmr: Annotated[float, typer.Option("--fmr", help="Target false match rate.")] = 0.001,
    as_json: JsonOption = False,
) -> None:
    """Measure genuine and impostor scores on labelled photos; print the threshold for an FMR."""
    if not folder.is_dir():
        fail(f"folder: {folder} is not a folder")
    people: dict[str, list[FaceCapture]] = {}
    refused: dict[str, int] = {}
    for person in sorted(p for p in folder.iterdir() if p.is_dir()):
        for image in sorted(p for p in person.iterdir() if p.is_file()):
            try:
                pixels = read_image(image.read_bytes(), field=image.name)
                people.setdefault(person.name, []).append(capture_face(pixels, field=image.name))
            except (InvalidInput, OSError) as exc:
                reason = exc.reason if isinstance(exc, InvalidInput) else "unreadable"
                key = reason.split(":")[0]
                refused[key] = refused.get(key, 0) + 1
    captures = [(name, c) for name, faces in people.items() for c in faces]
    genuine: list[float] = []
    impostor: list[float] = []
    for i, (name, first) in enumerate(captures):
        for other, second in captures[i + 1 :]:
            score = max(0.0, first.template.similarity(second.template))
            (genuine if other == name else impostor).append(score)
    try:
        result = calibrate(genuine, impostor, fmr)
    except InvalidInput as exc:
        fail(f"{exc.field}: {exc.reason} (persons {len(people)}, photos {len(captures)})")
    report = {
        "threshold": round(result.threshold, 6),
        "target_fmr": fmr,
        "fmr": result.fmr,
        "fnmr": result.fnmr,
        "genuine_pairs": result.genuine_pairs,
        "impostor_pairs": result.impostor_pairs,
        "supported": result.supported,
        "persons": len(people),
        "photos": len(captures),
        "refused": refused,
    }
    if as_json:
        print_json(report)
        return
    say(
        f"threshold {result.threshold:.4f}: FMR {result.fmr:.2e} on {result.impostor_pairs} "
        f"impostor pairs, FNMR {result.fnmr:.2%} on {result.genuine_pairs} genuine pairs"
    )
    if not result.supported:
        say(
            f"too few impostor pairs to observe an FMR of {fmr:g}: "
            f"need at least {math.ceil(3 / fmr)}; the figure is not a claim"
        )
    say(f"to use it: PASSERELLE_FACE_MATCH_THRESHOLD={result.threshold:.4f}")


@face_app.command("outdated")
def outdated(gallery: GalleryArgument, as_json: JsonOption = False) -> None:
    """Identities whose faces were enrolled with another model: re-enrol them (exit 1 if any)."""
    with node_for_cli() as node:
        stale = _galleries(node).outdated(gallery)
    if as_json:
        print_json({"gallery": gallery, "outdated": stale})
    else:
        for identity in stale:
            say(identity)
    raise typer.Exit(1 if stale else 0)
