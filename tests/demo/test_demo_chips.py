"""The demo world's chips: the scenarios' passports verify against the trust store the
seeding filled (a hand-imported CSCA, a master list, CRLs); the cloned chip is a hit."""

from __future__ import annotations

import json

from passerelle.demo import DemoWorld, SeedReport, seed_node
from passerelle.demo.chips import CLONED_CHIP
from passerelle.documents.chip.transfer import read_chip
from passerelle.node import Node
from passerelle.services.chip import ChipDesk
from passerelle.store.audit import Actor
from tests.conftest import AS_OF
from tests.demo.test_loading import SEEDER, node, seeded, world  # noqa: F401 (fixtures)

OFFICER = Actor("officer.demo", "user", "officer")


def verified(node: Node, report: SeedReport, name: str) -> tuple[bool, list[str]]:  # noqa: F811
    chip, mrz = read_chip(json.loads((report.folder / "chips" / f"{name}.json").read_text()))
    result = ChipDesk(node).verify(OFFICER, chip, printed_mrz=mrz, as_of=AS_OF)
    return result.verified, [f.code.value for f in result.findings]


def test_the_scenarios_chips_verify_and_the_cloned_one_is_named(
    node: Node,  # noqa: F811
    seeded: SeedReport,  # noqa: F811
    world: DemoWorld,  # noqa: F811
) -> None:
    written = {p.stem for p in (seeded.folder / "chips").glob("*.json")}
    assert "clear" in written
    assert CLONED_CHIP in written
    assert "bad_check_digit" not in written
    assert seeded.chips.stored == len(written)
    for name in sorted(written - {CLONED_CHIP}):
        assert verified(node, seeded, name) == (True, []), name
    assert verified(node, seeded, CLONED_CHIP) == (False, ["chip_mrz_mismatch"])
    kinds = [change["kind"] for change in ChipDesk(node).trust.history()]
    assert kinds[-2:] == ["masterlist", "csca"]
    assert kinds.count("crl") == len(ChipDesk(node).trust.cscas())


def test_seeding_again_makes_no_new_chips(
    node: Node,  # noqa: F811
    seeded: SeedReport,  # noqa: F811
    world: DemoWorld,  # noqa: F811
) -> None:
    again = seed_node(node, world, actor=SEEDER, faces=False)
    assert again.chips.stored == 0
    assert again.chips.unchanged == seeded.chips.stored
