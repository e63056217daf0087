"""Every part of the package has its place in the declared layers (pyproject.toml)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import passerelle

SOURCE = Path(passerelle.__file__).parent
PYPROJECT = SOURCE.parents[1] / "pyproject.toml"


def _layered() -> set[str]:
    config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["importlinter"]
    (layers,) = [c["layers"] for c in config["contracts"] if c["type"] == "layers"]
    return {name.strip("() ") for layer in layers for name in re.split(r"[|:]", layer)}


def test_every_top_level_package_and_module_is_in_a_layer() -> None:
    parts = {
        f"passerelle.{path.stem if path.is_file() else path.name}"
        for path in SOURCE.iterdir()
        if (path.is_dir() and (path / "__init__.py").exists())
        or (path.suffix == ".py" and path.stem != "__init__")
    }
    assert parts - _layered() == set()
