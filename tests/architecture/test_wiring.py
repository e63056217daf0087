"""The node is wired in one place: no import-time registration, no module-level registries."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import passerelle
from passerelle.federation.queries.handlers import PartnerServices
from passerelle.federation.transport.inbound import handler_table
from passerelle.wiring import federation_handlers

SOURCE = Path(passerelle.__file__).parent
MUTATORS = {"append", "extend", "add", "update", "setdefault", "pop", "popitem", "clear",
            "insert", "remove", "discard", "__setitem__"}  # fmt: skip
CONTAINERS = {"dict", "list", "set", "defaultdict", "OrderedDict", "Counter", "deque",
              "WeakValueDictionary", "WeakKeyDictionary"}  # fmt: skip


def _modules() -> list[Path]:
    return [p for p in sorted(SOURCE.rglob("*.py")) if "migrations" not in p.parts]


def _mutable_globals(tree: ast.Module) -> set[str]:
    """Module-level names bound to a mutable container (``__all__`` aside)."""
    names = set()
    for statement in tree.body:
        if isinstance(statement, ast.Assign):
            targets, value = statement.targets, statement.value
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            targets, value = [statement.target], statement.value
        else:
            continue
        literal = isinstance(value, ast.Dict | ast.List | ast.Set | ast.DictComp | ast.ListComp)
        called = (
            isinstance(value, ast.Call)
            and isinstance(value.func, ast.Name)
            and value.func.id in CONTAINERS
        )
        if literal or called or isinstance(value, ast.SetComp):
            names |= {t.id for t in targets if isinstance(t, ast.Name) and t.id != "__all__"}
    return names


def _mutations(tree: ast.Module, names: set[str]) -> list[str]:
    """Where a function changes one of ``names`` (item assignment, del, a mutating method)."""
    found = []
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            target = None
            if isinstance(node, ast.Assign | ast.AugAssign | ast.Delete):
                for item in getattr(node, "targets", None) or [node.target]:  # type: ignore[attr-defined]
                    if isinstance(item, ast.Subscript) and isinstance(item.value, ast.Name):
                        target = item.value.id
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in MUTATORS
                and isinstance(node.func.value, ast.Name)
            ):
                target = node.func.value.id
            elif isinstance(node, ast.Global):
                found += [f"{function.name}: global {name}" for name in node.names]
            if target in names:
                found.append(f"{function.name}:{node.lineno} changes {target}")
    return found


def test_no_module_keeps_a_registry_that_its_functions_change() -> None:
    offenders = {}
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        changed = _mutations(tree, _mutable_globals(tree))
        if changed:
            offenders[str(path.relative_to(SOURCE))] = changed
    assert offenders == {}


def test_no_module_wires_itself_when_imported() -> None:
    """Module bodies hold definitions and constants: no call that registers or installs."""
    offenders = []
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for statement in tree.body:
            if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
                offenders.append(f"{path.relative_to(SOURCE)}:{statement.lineno}")
            if isinstance(statement, ast.For):
                offenders.append(f"{path.relative_to(SOURCE)}:{statement.lineno} (a loop)")
    assert offenders == []


class _Engines:
    """Partner engines the handler table is built with (never called here)."""

    def screen(self, *args: object, **kwargs: object) -> list[object]:
        raise AssertionError("not called")


def test_the_handler_table_serves_every_message_kind_of_the_federation() -> None:
    engines = _Engines()
    table = federation_handlers(
        PartnerServices(engines, engines, fingers=engines)  # type: ignore[arg-type]
    )
    assert sorted(table) == [
        "alert.hit_report",
        "alert.issue",
        "alert.withdraw",
        "audit.checkpoint",
        "audit.checkpoints_held",
        "chip.cscas",
        "followup.answer",
        "followup.request",
        "key.announce",
        "key.retire",
        "query.document",
        "query.face",
        "query.fingerprint",
        "query.identity",
        "query.person",
    ]
    with pytest.raises(TypeError):
        table["query.extra"] = table["query.face"]  # type: ignore[index]


def test_a_kind_given_two_handlers_stops_the_start_naming_it() -> None:
    def first(message: object) -> dict[str, object]:
        return {}

    def second(message: object) -> dict[str, object]:
        return {}

    with pytest.raises(ValueError, match=r"'alert\.issue' is given two handlers \(.*first"):
        handler_table({"alert.issue": first}, {"alert.issue": second})
    with pytest.raises(ValueError, match="'reply' cannot be handled"):
        handler_table({"reply": first})
