"""``passerelle finger``: fingerprints from images or ISO templates, 1:1 and 1:N.

Every command that takes a fingerprint accepts a 500 ppi image (PNG, JPEG,
BMP, PNM) or an ISO/IEC 19794-2:2005 minutiae record (a file starting with
``FMR``); an ISO record is taken as made by this node's extractor (NBIS
MINDTCT) unless ``--extractor NAME:VERSION`` says otherwise, and another
extractor's templates are refused rather than compared.

``finger synth SEED --impression N --out FILE`` draws a synthetic 500 ppi
impression (tests, demos: another impression number is another press of the
same finger); ``finger extract IMAGE --out FILE`` writes the ISO record; ``finger verify A
B`` says whether two prints are one finger (exit 0 yes, 1 no, 2 unusable);
``finger enrol GALLERY ID PRINT``, ``finger search GALLERY PRINT`` (exit 1
on a hit) and ``finger remove GALLERY ID --reason`` keep a list's 1:N
gallery, sealed in the database and audited like faces.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Annotated

import typer

from passerelle.access import Permission, local_operator
from passerelle.biometrics.enrolment import FingerprintGalleries
from passerelle.biometrics.fingerprint import (
    EXTRACTOR,
    EXTRACTOR_VERSION,
    MATCH_THRESHOLD,
    FingerprintTemplate,
    extract_template,
    verify,
)
from passerelle.cli.common import PurposeOption, fail, node_for_cli, print_json, say
from passerelle.exc import InvalidInput
from passerelle.node import Node
from passerelle.wiring import finger_desk

__all__ = ["finger_app"]

finger_app = typer.Typer(
    help="Fingerprints (NBIS): ISO templates, 1:1 verification, 1:N galleries per list.",
    no_args_is_help=True,
)

GalleryArgument = Annotated[str, typer.Argument(help="The list's gallery, e.g. wanted.")]
IdentityArgument = Annotated[
    str, typer.Argument(metavar="ID", help="The finger's store id, e.g. MAR-W-0001/R2.")
]
PrintArgument = Annotated[
    Path, typer.Argument(metavar="PRINT", help="A 500 ppi image or an ISO 19794-2 record.")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]
ExtractorOption = Annotated[
    str | None,
    typer.Option(
        "--extractor",
        metavar="NAME:VERSION",
        help=f"Who made ISO records given as input (default {EXTRACTOR}:{EXTRACTOR_VERSION}).",
    ),
]


def _print(path: Path, label: str, extractor: str | None) -> tuple[FingerprintTemplate, str]:
    """The template of ``path`` (an image to extract, or an ISO record) and the file's SHA-256."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        fail(f"{label} ({path}): cannot read it: {exc.strerror}")
    digest = hashlib.sha256(data).hexdigest()
    try:
        if data[:4] == b"FMR\x00":
            name, _, release = (extractor or f"{EXTRACTOR}:{EXTRACTOR_VERSION}").partition(":")
            if not name or not release:
                fail("--extractor: give NAME:VERSION, e.g. nbis-mindtct:0.1.3")
            return FingerprintTemplate.from_iso(
                data, extractor=name, extractor_version=release
            ), digest
        return extract_template(data), digest
    except InvalidInput as exc:
        fail(f"{label} ({path}): {exc.field}: {exc.reason}")


def _galleries(node: Node) -> FingerprintGalleries:
    return finger_desk(node).galleries


@finger_app.command("synth")
def synth(
    seed: Annotated[int, typer.Argument(min=0, help="The synthetic finger: one seed, one finger.")],
    out: Annotated[Path, typer.Option("--out", help="Where to write the PNG image.")],
    impression: Annotated[
        int, typer.Option("--impression", min=0, help="Which press of the finger (0, 1, ...).")
    ] = 0,
) -> None:
    """Draw a synthetic fingerprint impression as a 500 ppi PNG (never a real person's)."""
    from PIL import Image

    from passerelle.biometrics.fingerprint.synthetic import generate_master, render_impression

    image = io.BytesIO()
    Image.fromarray(render_impression(generate_master(seed), impression)).save(image, "PNG")
    try:
        out.write_bytes(image.getvalue())
    except OSError as exc:
        fail(f"--out ({out}): cannot write it: {exc.strerror}")
    say(f"{out}: synthetic finger {seed}, impression {impression}")


@finger_app.command("extract")
def extract(
    image: Annotated[Path, typer.Argument(metavar="IMAGE", help="A 500 ppi fingerprint image.")],
    out: Annotated[Path, typer.Option("--out", help="Where to write the ISO 19794-2 record.")],
    as_json: JsonOption = False,
) -> None:
    """Extract minutiae (MINDTCT) and NFIQ 2 quality into an ISO/IEC 19794-2 record."""
    template, _ = _print(image, "IMAGE", None)
    try:
        out.write_bytes(template.to_iso())
    except OSError as exc:
        fail(f"--out ({out}): cannot write it: {exc.strerror}")
    summary = {
        "minutiae": template.minutiae_count,
        "nfiq2": template.quality,
        "extractor": f"{template.extractor}:{template.extractor_version}",
        "bytes": len(template.iso),
    }
    if as_json:
        print_json(summary)
    else:
        quality = "not assessed" if template.quality is None else str(template.quality)
        say(f"{out}: {template.minutiae_count} minutiae, NFIQ 2 {quality}")


@finger_app.command("verify")
def verify_prints(
    first: Annotated[Path, typer.Argument(metavar="PRINT_A")],
    second: Annotated[Path, typer.Argument(metavar="PRINT_B")],
    as_json: JsonOption = False,
    extractor: ExtractorOption = None,
) -> None:
    """Whether two prints are of one finger (BOZORTH3 score against the node's threshold)."""
    probe, _ = _print(first, "PRINT_A", extractor)
    reference, _ = _print(second, "PRINT_B", extractor)
    try:
        verdict = verify(probe, reference)
    except InvalidInput as exc:
        fail(f"{exc.field}: {exc.reason}")
    if as_json:
        print_json(
            {"match": verdict.is_match, "score": verdict.score, "threshold": verdict.threshold}
        )
    else:
        said = "same finger" if verdict.is_match else "different fingers"
        say(f"{said}: BOZORTH3 score {verdict.score} (threshold {MATCH_THRESHOLD})")
    raise typer.Exit(0 if verdict.is_match else 1)


@finger_app.command("enrol")
def enrol(
    gallery: GalleryArgument,
    identity: IdentityArgument,
    print_file: PrintArgument,
    extractor: ExtractorOption = None,
) -> None:
    """File a finger under a store id in a gallery (the template is sealed in the database)."""
    template, digest = _print(print_file, "PRINT", extractor)
    with node_for_cli() as node:
        row = finger_desk(node).enrol(
            local_operator(Permission.MANAGE_WATCHLIST),
            gallery,
            identity,
            template,
            digest=digest,
        )
    say(f"{gallery}: {identity} enrolled (template {row})")


@finger_app.command("search")
def search(
    gallery: GalleryArgument,
    print_file: PrintArgument,
    purpose: PurposeOption,
    top: Annotated[int, typer.Option("--top", min=1, max=100, help="Fingers shown.")] = 5,
    as_json: JsonOption = False,
    extractor: ExtractorOption = None,
) -> None:
    """The fingers of a gallery nearest a print; exit 1 when one is a hit."""
    template, digest = _print(print_file, "PRINT", extractor)
    with node_for_cli() as node:
        found = finger_desk(node).search(
            local_operator(Permission.SEARCH_WATCHLIST),
            purpose,
            gallery,
            template,
            digest=digest,
            top=top,
        )
    if as_json:
        print_json(
            {
                "gallery": gallery,
                "matches": [{"id": c.id, "score": c.score, "hit": c.is_match} for c in found],
            }
        )
    else:
        for candidate in found:
            say(f"{candidate.score:5d}  {candidate.id}{'  HIT' if candidate.is_match else ''}")
    raise typer.Exit(1 if any(c.is_match for c in found) else 0)


@finger_app.command("remove")
def remove(
    gallery: GalleryArgument,
    identity: IdentityArgument,
    reason: Annotated[str, typer.Option("--reason", help="Why (recorded in the audit trail).")],
) -> None:
    """Take a finger out of a gallery (store and index)."""
    if not reason.strip():
        fail("reason: must say why the finger is removed")
    with node_for_cli() as node:
        removed = finger_desk(node).remove(
            local_operator(Permission.MANAGE_WATCHLIST), gallery, identity, reason
        )
    if not removed:
        fail(f"identity: {identity!r} has no finger in {gallery!r}", code=1)
    say(f"{gallery}: {identity} removed ({removed} template(s))")


@finger_app.command("outdated")
def outdated(gallery: GalleryArgument, as_json: JsonOption = False) -> None:
    """Fingers enrolled with another extractor series: re-enrol them (exit 1 if any)."""
    with node_for_cli() as node:
        stale = _galleries(node).outdated(gallery)
    if as_json:
        print_json({"gallery": gallery, "outdated": stale})
    else:
        for identity in stale:
            say(identity)
    raise typer.Exit(1 if stale else 0)
