"""The demo world's chips: a specimen PKI per issuing state, the chips of the scenarios'
passports, one cloned chip, and the node's trust store filled as an operator would.

Keys cannot come from the world's seed (``cryptography`` draws them), so the chips are
made when the world is loaded, not when it is generated: once per node. Morocco's
specimen CSCA is imported by hand; a master list signed under it brings the other
states' CSCAs; each CSCA's CRL follows (docs/chip.md). The chips are written to
``HOME/demo/chips/<scenario>.json`` in the chip file format (``passerelle chip verify``,
the booth's chip field), and ``clear-cloned-chip.json`` is another traveller's genuine
chip: presented with the clear scenario's passport it is a HIT (``chip_mrz_mismatch``).
"""

from __future__ import annotations

import json
from pathlib import Path

from cryptography.hazmat.primitives.serialization import Encoding

from passerelle.demo.model import DemoWorld, Traveller
from passerelle.documents.chip.countries import certificate_country
from passerelle.documents.chip.specimen import SpecimenPki, master_list
from passerelle.documents.chip.transfer import chip_as_json
from passerelle.node import Node
from passerelle.store.audit import Actor
from passerelle.store.chip_trust import ChipTrustStore

__all__ = ["CLONED_CHIP", "NO_CHIP", "issue_demo_chips"]

CLONED_CHIP = "clear-cloned-chip"
"""The file of the cloned chip: another traveller's chip behind the clear scenario's page."""
NO_CHIP = frozenset({"bad_check_digit"})
"""Scenarios whose printed MRZ is altered on purpose: their chip would say so first."""
PUBLISHER = "MAR"


def _write(folder: Path, name: str, content: dict[str, object]) -> None:
    (folder / f"{name}.json").write_text(json.dumps(content, indent=1) + "\n", encoding="ascii")


def issue_demo_chips(
    node: Node, world: DemoWorld, folder: Path, *, actor: Actor, portrait: bytes | None
) -> tuple[int, int]:
    """Make the scenarios' chips and trust their states' CSCAs; (chips written, chips
    already there). A node whose trust store already holds CSCAs gets nothing new."""
    target = folder / "chips"
    store = ChipTrustStore(node.database, node.audit, node.clock)
    if store.version() > 0 and target.exists():
        return 0, len(list(target.glob("*.json")))
    people: dict[str, Traveller] = {t.id: t for t in world.travellers}
    chosen = [
        (s, people[s.traveller_id])
        for s in world.scenarios
        if s.traveller_id in people and s.key not in NO_CHIP
    ]
    states = sorted({t.issuing_state for _s, t in chosen} | {PUBLISHER})
    pkis = {
        state: SpecimenPki.create(
            certificate_country(state) or "UT",
            algorithm="ecdsa-p256",
            common_name=f"CSCA {state} (demo)",
        )
        for state in states
    }
    signers = {state: pki.document_signer() for state, pki in pkis.items()}
    publisher = pkis[PUBLISHER]
    store.import_csca(
        publisher.certificate.public_bytes(Encoding.DER), actor=actor, source="demo: MAR CSCA"
    )
    others = [pki.certificate for state, pki in pkis.items() if state != PUBLISHER]
    if others:
        store.import_master_list(
            master_list(others, publisher.signer_of_master_list()),
            actor=actor,
            source="demo: master list published by MAR",
        )
    for pki in pkis.values():
        store.import_crl(pki.crl().public_bytes(Encoding.DER), actor=actor, source="demo: CRL")
    target.mkdir(parents=True, exist_ok=True)
    written = 0
    for scenario, traveller in chosen:
        face = portrait if scenario.live_photo else None
        lines = traveller.mrz.split("\n")
        chip = signers[traveller.issuing_state].chip(lines, face=face)
        _write(target, scenario.key, chip_as_json(chip, scenario.mrz_lines))
        written += 1
    clear = next(((s, t) for s, t in chosen if s.key == "clear"), None)
    donor = next(
        (
            t
            for t in world.travellers
            if clear and t.id != clear[1].id and t.issuing_state == clear[1].issuing_state
        ),
        None,
    )  # a genuine chip of the same state, another person's: only DG1 gives it away
    if clear is not None and donor is not None and donor.issuing_state in signers:
        cloned = signers[donor.issuing_state].chip(donor.mrz.split("\n"))
        _write(target, CLONED_CHIP, chip_as_json(cloned, clear[0].mrz_lines))
        written += 1
    return written, 0
