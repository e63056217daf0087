"""``make sbom``: the installed environment as a CycloneDX SBOM naming what the node ships.

The generator (``cyclonedx-py environment``, as the Makefile runs it, without the
slow schema validation ``make sbom`` does) must list the node itself and each of
its direct dependencies with the version installed.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from importlib.metadata import version
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).parents[1]
GENERATOR = Path(sys.executable).with_name("cyclonedx-py")


def test_the_sbom_lists_the_node_and_every_direct_dependency_with_its_version(
    tmp_path: Path,
) -> None:
    sbom = tmp_path / "sbom.cdx.json"
    subprocess.run(
        [
            str(GENERATOR),
            "environment",
            "--pyproject",
            str(ROOT / "pyproject.toml"),
            "--mc-type",
            "application",
            "--output-reproducible",
            "--no-validate",
            "--of",
            "JSON",
            "-o",
            str(sbom),
            sys.executable,
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    document = json.loads(sbom.read_text("utf-8"))
    assert document["bomFormat"] == "CycloneDX"
    assert document["metadata"]["component"]["name"] == "passerelle"
    listed = {canonicalize_name(c["name"]): c.get("version") for c in document["components"]}
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    direct = [Requirement(text).name for text in project["dependencies"]]
    assert len(direct) > 20
    for name in direct:
        assert listed.get(canonicalize_name(name)) == version(name), name
