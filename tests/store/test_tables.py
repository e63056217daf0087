"""The tables are defined in one place: ``passerelle.store.tables``, one module per area."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import passerelle
from passerelle.store import tables
from passerelle.store.tables import Base

SOURCE = Path(passerelle.__file__).parent
TABLES = SOURCE / "store" / "tables"


def _mapped_classes() -> dict[str, type]:
    """Each table of the metadata → the class mapped to it."""
    return {
        mapper.local_table.name: mapper.class_
        for mapper in Base.registry.mappers
        if mapper.local_table is not None
    }


def test_every_table_of_the_metadata_is_a_class_in_store_tables() -> None:
    mapped = _mapped_classes()
    assert set(Base.metadata.tables) == set(mapped), "a table without a class in store/tables"
    elsewhere = {
        name: cls.__module__
        for name, cls in mapped.items()
        if not cls.__module__.startswith("passerelle.store.tables.")
    }
    assert elsewhere == {}


def test_the_package_exports_every_table_and_the_base() -> None:
    assert set(tables.__all__) == {"Base", "BigId"} | {
        cls.__name__ for cls in _mapped_classes().values()
    }
    assert all(getattr(tables, name) is not None for name in tables.__all__)


def test_importing_any_table_module_registers_the_whole_metadata() -> None:
    """Alembic, the migration tests and the test truncation rely on it."""
    script = (
        "from passerelle.store.tables.base import Base; "
        "print(' '.join(sorted(Base.metadata.tables)))"
    )
    fresh = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert fresh.stdout.split() == sorted(Base.metadata.tables)


def _subclasses_outside_store_tables(path: Path) -> list[str]:
    """Classes of a module that derive from ``Base``, a table, or a second declarative base."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    table_names = set(tables.__all__)
    new_bases = {"DeclarativeBase", "DeclarativeBaseNoMeta"}  # a metadata of its own
    bound = set(new_bases)  # local names of Base, the tables, a declarative base
    modules = {"passerelle.store.tables"}  # local names of the package
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
            "passerelle.store.tables"
        ):
            bound |= {a.asname or a.name for a in node.names if a.name in table_names}
        elif isinstance(node, ast.ImportFrom) and node.module == "passerelle.store":
            modules |= {a.asname or a.name for a in node.names if a.name == "tables"}
        elif isinstance(node, ast.Import):
            modules |= {
                a.asname for a in node.names if a.name == "passerelle.store.tables" and a.asname
            }

    def is_table(base: ast.expr) -> bool:
        if isinstance(base, ast.Name):
            return base.id in bound
        if isinstance(base, ast.Attribute):
            owner = ast.unparse(base.value)
            return base.attr in new_bases or (base.attr in table_names and owner in modules)
        return False

    return [
        f"{node.name}({ast.unparse(base)}):{node.lineno}"
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
        for base in node.bases
        if is_table(base)
    ]


def test_no_module_outside_store_tables_defines_a_table() -> None:
    offenders = {
        str(path.relative_to(SOURCE)): found
        for path in sorted(SOURCE.rglob("*.py"))
        if TABLES not in path.parents and (found := _subclasses_outside_store_tables(path))
    }
    assert offenders == {}


def test_the_scan_finds_a_table_defined_elsewhere(tmp_path: Path) -> None:
    stray = tmp_path / "stray.py"
    stray.write_text(
        "from passerelle.store.tables import Alert, Base as B\n"
        "from passerelle.store import tables\n"
        "class Stray(B): ...\n"
        "class Special(Alert): ...\n"
        "class Other(tables.Base): ...\n"
        "class Fine(object): ...\n",
        encoding="utf-8",
    )
    assert _subclasses_outside_store_tables(stray) == [
        "Stray(B):3",
        "Special(Alert):4",
        "Other(tables.Base):5",
    ]
