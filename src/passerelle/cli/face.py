"""``passerelle face``: faces from images, compared 1:1 or searched 1:N.

``passerelle face verify A B`` says whether two photos (a live capture and the
document's portrait) show the same person: ``{"match", "score", "faces"}``.
Exit codes: 0 same person, 1 different persons, 2 an image the comparison
cannot stand on (no face, two faces, too small, blurred, badly exposed; the
reason and the image are named) or another usage error.

``passerelle face enrol GALLERY ID IMAGE`` files a face under a store id in a
list's gallery (the template sealed in the database); ``face search GALLERY
IMAGE`` returns the nearest identities (exit 1 on a hit); ``face remove GALLERY
ID --reason`` takes an identity out. All three are audited; a search states
its purpose.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Annotated

import typer

from passerelle.biometrics.enrolment import FaceGalleries
from passerelle.biometrics.face import (
    MATCH_THRESHOLD,
    FaceCapture,
    capture_face,
    read_image,
    read_image_file,
    verify_faces,
)
from passerelle.cli.common import PurposeOption, fail, node_for_cli, print_json
from passerelle.exc import InvalidInput
from passerelle.node import Node, local_operator

__all__ = ["face_app"]

face_app = typer.Typer(help="Faces: capture quality and 1:1 verification.", no_args_is_help=True)


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
    verdict = verify_faces(captures[0], captures[1])
    if as_json:
        print_json(verdict.as_dict())
    else:
        said = "same person" if verdict.match else "different persons"
        typer.echo(f"{said}: score {verdict.score:.3f} (threshold {MATCH_THRESHOLD})")
    raise typer.Exit(0 if verdict.match else 1)


GalleryArgument = Annotated[str, typer.Argument(help="The list's gallery, e.g. wanted.")]
IdentityArgument = Annotated[str, typer.Argument(metavar="ID", help="The store id it belongs to.")]
ImageArgument = Annotated[Path, typer.Argument(metavar="IMAGE", help="A photo (JPEG, PNG).")]
JsonOption = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]


def _capture(path: Path) -> tuple[FaceCapture, str]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        fail(f"IMAGE ({path}): cannot read it: {exc.strerror}")
    try:
        pixels = read_image(data, field="IMAGE")
        return capture_face(pixels, field="IMAGE"), hashlib.sha256(data).hexdigest()
    except InvalidInput as exc:
        fail(f"{exc.field} ({path}): {exc.reason}")


def _galleries(node: Node) -> FaceGalleries:
    return FaceGalleries(node.database, node.template_vault(), node.settings.home / "galleries")


@face_app.command("enrol")
def enrol(gallery: GalleryArgument, identity: IdentityArgument, image: ImageArgument) -> None:
    """File a face under a store id in a gallery (the template is sealed in the database)."""
    capture, digest = _capture(image)
    with node_for_cli() as node:
        now = node.clock()
        row = _galleries(node).enrol(
            gallery, identity, capture, source_sha256=digest, at=now, by=local_operator().name
        )
        with node.database.write() as session:
            node.audit.record(
                session,
                actor=local_operator(),
                action="face.enrol",
                at=now,
                query={"gallery": gallery, "identity": identity, "image_sha256": digest},
                result={"template": row},
            )
    typer.echo(f"{gallery}: {identity} enrolled (template {row})")


@face_app.command("search")
def search(
    gallery: GalleryArgument,
    image: ImageArgument,
    top: Annotated[int, typer.Option("--top", min=1, max=100, help="Identities shown.")] = 5,
    as_json: JsonOption = False,
    purpose: PurposeOption = "border check",
) -> None:
    """The identities of a gallery nearest a photo's face; exit 1 when one is a hit."""
    capture, digest = _capture(image)
    with node_for_cli() as node:
        hits = _galleries(node).search(gallery, capture, top=top)
        with node.database.write() as session:
            node.audit.record(
                session,
                actor=local_operator(),
                action="face.search",
                purpose=purpose,
                at=node.clock(),
                query={"gallery": gallery, "image_sha256": digest, "top": top},
                result={"ids": [hit.identity for hit in hits if hit.is_hit]},
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
            typer.echo(f"{hit.score:.3f}  {hit.identity}{'  HIT' if hit.is_hit else ''}")
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
        removed = _galleries(node).remove(gallery, identity)
        with node.database.write() as session:
            node.audit.record(
                session,
                actor=local_operator(),
                action="face.remove",
                purpose=reason.strip(),
                at=node.clock(),
                query={"gallery": gallery, "identity": identity},
                result={"templates": removed},
            )
    if not removed:
        fail(f"identity: {identity!r} has no face in {gallery!r}", code=1)
    typer.echo(f"{gallery}: {identity} removed ({removed} template(s))")
