"""The chip in the border check: a verified chip clears, a tampered one is a hit, an
untrusted one refers; its verified portrait stands in for the document photo."""

from __future__ import annotations

import io
from dataclasses import replace
from functools import cache

from cryptography.hazmat.primitives.serialization import Encoding
from PIL import Image
from sqlalchemy import select

from passerelle.documents.chip import ChipData
from passerelle.documents.chip.specimen import DocumentSigner, SpecimenPki
from passerelle.node import Node
from passerelle.screening import DlibFaceEngine, InspectionResult, Inspector
from passerelle.store.audit import Actor
from passerelle.store.chip_trust import ChipTrustStore
from passerelle.store.tables import HitReview
from tests.conftest import Clock
from tests.documents.chip.chip_pki import with_group
from tests.screening.conftest import passport, request
from tests.screening.test_faces import astronaut  # noqa: F401 (a fixture)

ADMIN = Actor("admin.rahmani", "user", "admin")


@cache
def morocco() -> tuple[SpecimenPki, DocumentSigner]:
    state = SpecimenPki.create("MA", algorithm="ecdsa-p256")
    return state, state.document_signer()


def trust_morocco(node: Node) -> None:
    state, _ = morocco()
    store = ChipTrustStore(node.database, node.audit, node.clock)
    store.import_csca(state.certificate.public_bytes(Encoding.DER), actor=ADMIN, source="hand")
    store.import_crl(state.crl().public_bytes(Encoding.DER), actor=ADMIN, source="crl")


def chip_of(mrz: str, face: bytes | None = None) -> ChipData:
    return morocco()[1].chip(mrz.splitlines(), face=face)


def inspect(
    node: Node, clock: Clock, mrz: str, chip: ChipData, **photos: bytes
) -> InspectionResult:
    return Inspector(node).inspect(replace(request(mrz, clock, **photos), chip=chip))


def chip_codes(result: InspectionResult) -> list[tuple[str, str]]:
    return [(f.code, f.severity) for f in result.findings if f.source == "chip"]


def test_a_genuine_chip_of_a_trusted_state_clears_with_its_chip_line(
    node: Node, clock: Clock
) -> None:
    trust_morocco(node)
    mrz = passport()
    result = inspect(node, clock, mrz, chip_of(mrz))
    assert result.decision == "clear"
    assert chip_codes(result) == [("chip_verified", "info")]
    assert result.light("chip") == "green"
    line = result.findings[[f.source for f in result.findings].index("chip")].message
    assert line.startswith("Chip verified by the CSCA of MA (CN=CSCA MA")


def test_a_cloned_chip_is_a_hit_queued_for_review(node: Node, clock: Clock) -> None:
    trust_morocco(node)
    cloned = chip_of(passport(surname="BERRADA", number="QX1111111"))
    result = inspect(node, clock, passport(), cloned)
    assert result.decision == "hit"
    assert chip_codes(result) == [("chip_mrz_mismatch", "hit")]
    assert result.light("chip") == "red"
    with node.database.read() as session:
        rows = session.execute(select(HitReview.source, HitReview.reference)).all()
    assert [tuple(r) for r in rows] == [("chip", "chip_mrz_mismatch")]


def test_a_chip_that_disagrees_with_a_misread_page_refers_until_it_is_rescanned(
    node: Node, clock: Clock
) -> None:
    trust_morocco(node)
    mrz = passport()
    line1, line2 = mrz.split("\n")
    misread = f"{line1}\n{line2[:2]}8{line2[3:]}"  # ZX9... read ZX8...: its check digit fails
    result = inspect(node, clock, misread, chip_of(mrz))
    assert result.decision == "refer"
    assert chip_codes(result) == [("chip_mrz_mismatch", "refer")]


def test_a_data_group_changed_after_issue_is_a_hit(node: Node, clock: Clock) -> None:
    trust_morocco(node)
    mrz = passport()
    chip = chip_of(mrz)
    dg2 = bytearray(chip.data_groups[2])
    dg2[-30] ^= 0x10
    result = inspect(node, clock, mrz, with_group(chip, 2, bytes(dg2)))
    assert result.decision == "hit"
    assert chip_codes(result) == [("chip_hash", "hit")]


def test_a_chip_of_a_state_the_node_does_not_trust_refers(node: Node, clock: Clock) -> None:
    mrz = passport()
    result = inspect(node, clock, mrz, chip_of(mrz))
    assert result.decision == "refer"
    assert chip_codes(result) == [("csca_unknown", "refer")]
    assert "no trusted CSCA of MA" in " ".join(result.reasons)


def test_without_a_chip_the_chip_light_is_not_shown(node: Node, clock: Clock) -> None:
    result = Inspector(node).inspect(request(passport(), clock))
    assert "chip" not in result.as_dict()["sources"]  # type: ignore[operator]


def test_the_verified_chip_portrait_is_compared_with_the_live_photo(
    node: Node,
    clock: Clock,
    astronaut: bytes,  # noqa: F811
) -> None:
    trust_morocco(node)
    portrait = io.BytesIO()
    image = Image.open(io.BytesIO(astronaut))  # JPEG 2000, as many chips store it
    image.save(portrait, "JPEG2000", quality_mode="rates", quality_layers=[20])
    mrz = passport()
    result = Inspector(node, faces=DlibFaceEngine()).inspect(
        replace(
            request(mrz, clock, live_photo=astronaut),
            chip=chip_of(mrz, face=portrait.getvalue()),
        )
    )
    assert result.matches.face_verification is not None, result.findings
    assert result.matches.face_verification.match
    assert result.decision == "clear"
