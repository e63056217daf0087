"""``passerelle face``: faces from images, compared 1:1.

``passerelle face verify A B`` says whether two photos (a live capture and the
document's portrait) show the same person: ``{"match", "score", "faces"}``.
Exit codes: 0 same person, 1 different persons, 2 an image the comparison
cannot stand on (no face, two faces, too small, blurred, badly exposed; the
reason and the image are named) or another usage error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from passerelle.biometrics.face import MATCH_THRESHOLD, capture_face, read_image_file, verify_faces
from passerelle.cli.common import fail, print_json
from passerelle.exc import InvalidInput

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
