"""``passerelle chip``: trust a master list and a CRL, then verify chips from files."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

from cryptography.hazmat.primitives.serialization import Encoding

from passerelle.documents.chip.specimen import SpecimenPki, master_list
from passerelle.documents.chip.transfer import chip_as_json
from tests.documents.chip.chip_pki import ANNA, PETER, pki, signer, with_group

Run = Callable[..., subprocess.CompletedProcess[str]]


def trusted(run: Run, tmp_path: Path) -> None:
    """Utopia's CSCA by hand, then a master list it vouches for, then its CRL."""
    csca = tmp_path / "csca-ut.der"
    csca.write_bytes(pki().certificate.public_bytes(Encoding.DER))
    assert run("chip", "trust", "import-csca", str(csca)).returncode == 0
    crl = tmp_path / "ut.crl"
    crl.write_bytes(pki().crl().public_bytes(Encoding.DER))
    assert run("chip", "trust", "import-crl", str(crl)).returncode == 0


def chip_file(tmp_path: Path, chip: object, mrz: tuple[str, ...] = ANNA) -> str:
    path = tmp_path / "chip.json"
    path.write_text(json.dumps(chip_as_json(chip, mrz)))  # type: ignore[arg-type]
    return str(path)


def test_a_genuine_chip_verifies_and_exits_0(run: Run, tmp_path: Path) -> None:
    trusted(run, tmp_path)
    done = run("chip", "verify", chip_file(tmp_path, signer().chip(ANNA)), "--as-of", "2026-01-01")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("VERIFIED: verified by the CSCA of UT")


def test_a_cloned_chip_is_named_and_exits_1(run: Run, tmp_path: Path) -> None:
    trusted(run, tmp_path)
    path = chip_file(tmp_path, signer().chip(PETER), ANNA)
    done = run("chip", "verify", path, "--as-of", "2026-01-01", "--json")
    assert done.returncode == 1
    answer = json.loads(done.stdout)
    assert answer["verified"] is False
    assert [f["code"] for f in answer["findings"]] == ["chip_mrz_mismatch"]


def test_a_changed_data_group_is_named(run: Run, tmp_path: Path) -> None:
    trusted(run, tmp_path)
    chip = signer().chip(ANNA)
    dg2 = bytearray(chip.data_groups[2])
    dg2[-20] ^= 0xFF
    done = run("chip", "verify", chip_file(tmp_path, with_group(chip, 2, bytes(dg2))), "--json")
    assert done.returncode == 1
    assert json.loads(done.stdout)["findings"][0] == {
        "code": "chip_hash",
        "part": "dg2",
        "severity": "error",
        "message": "DG2 differs from what the issuer signed",
    }


def test_a_chip_file_with_bad_base64_is_a_usage_error_naming_the_part(
    run: Run, tmp_path: Path
) -> None:
    path = tmp_path / "chip.json"
    path.write_text(json.dumps({"sod": "AQI=", "data_groups": {"2": "not base64!"}}))
    done = run("chip", "verify", str(path))
    assert done.returncode == 2
    assert "chip.data_groups.2: is not base64" in done.stderr


def test_a_master_list_imports_its_cscas_and_lists_them(run: Run, tmp_path: Path) -> None:
    trusted(run, tmp_path)
    france = SpecimenPki.create("FR", algorithm="ecdsa-p256")
    ml = tmp_path / "ml.der"
    ml.write_bytes(master_list([france.certificate], pki().signer_of_master_list()))
    done = run("chip", "trust", "import-masterlist", str(ml), "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "version": 3, "kind": "masterlist", "added": 1, "removed": 0, "skipped": 0,
    }  # fmt: skip
    listed = run("chip", "trust", "list", "--json")
    assert sorted(json.loads(line)["country"] for line in listed.stdout.splitlines()) == [
        "FR",
        "UT",
    ]
    kinds = [
        json.loads(line)["kind"]
        for line in run("chip", "trust", "history", "--json").stdout.splitlines()
    ]
    assert kinds == ["masterlist", "crl", "csca"]


def test_a_master_list_of_an_untrusted_signer_is_refused_and_imports_nothing(
    run: Run, tmp_path: Path
) -> None:
    stranger = SpecimenPki.create("FR", algorithm="ecdsa-p256")
    ml = tmp_path / "ml.der"
    ml.write_bytes(master_list([stranger.certificate], stranger.signer_of_master_list()))
    done = run("chip", "trust", "import-masterlist", str(ml))
    assert done.returncode == 2
    assert "masterlist.signer: is not issued by a trusted CSCA" in done.stderr
    assert run("chip", "trust", "list").stdout == ""


def test_publishing_without_partners_queues_nothing_and_adopting_nothing_is_refused(
    run: Run, tmp_path: Path
) -> None:
    trusted(run, tmp_path)
    done = run("chip", "trust", "publish", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"version": 2, "partners": []}
    refused = run("chip", "trust", "adopt", "TUN")
    assert refused.returncode == 2
    assert "TUN has published no CSCAs" in refused.stderr
