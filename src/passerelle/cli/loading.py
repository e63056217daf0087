"""Running a bulk load from the CLI: progress bar, every rejection listed, exit codes.

Exit code 0 when every line was stored or already present, 1 when any line was
rejected (each printed with its line number, field and reason), 2 on usage
errors, 3 when the database is not ready, or failed under the load (unreachable,
disk full): the message says how far the load got; loading the file again
completes it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

from passerelle.access import Permission, local_operator
from passerelle.cli.common import fail, node_for_cli, print_json, say
from passerelle.records.text import visible
from passerelle.store.loading import LoadReport, LoadStopped, Registry, load_file

__all__ = ["run_load"]


def run_load(
    registry: Registry[Any],
    path: Path,
    *,
    permission: Permission,
    as_json: bool,
    quiet: bool = False,
) -> None:
    """Load ``path`` into ``registry`` as the local operator holding ``permission``, and report;
    exits with the load's exit code."""
    err = Console(stderr=True, highlight=False)
    with node_for_cli() as node:
        size = path.stat().st_size if path.is_file() else 0
        show = not (quiet or as_json) and err.is_terminal
        with Progress(
            TextColumn(f"loading {path.name}"),
            BarColumn(),
            TextColumn("{task.fields[lines]:,} lines"),
            TimeRemainingColumn(),
            console=err,
            disable=not show,
            transient=True,
        ) as bar:
            task = bar.add_task("load", total=size or None, lines=0)
            try:
                report = load_file(
                    node.database,
                    node.audit,
                    registry,
                    path,
                    actor=local_operator(permission),
                    clock=node.clock,
                    batch_size=node.settings.load_batch_size,
                    parallel={"auto": None, "on": True, "off": False}[node.settings.load_parallel],
                    progress=lambda lines, done: bar.update(task, completed=done, lines=lines),
                )
            except LoadStopped as stopped:  # the database failed: say how far the load got
                bar.stop()
                fail(str(stopped), code=3)
    _report(report, as_json=as_json, err=err)
    raise typer.Exit(1 if report.rejections else 0)


def _report(report: LoadReport, *, as_json: bool, err: Console) -> None:
    if as_json:
        print_json(
            {
                "run": report.run_id,
                "file": report.file_name,
                "lines": report.lines,
                "accepted": report.accepted,
                "unchanged": report.unchanged,
                "rejected": report.rejected,
                "rejections": [
                    {"line": r.line_no, "field": r.field, "reason": r.reason}
                    for r in report.rejections
                ],
                "interrupted_before": report.interrupted_before,
                "names_cleaned": report.names_cleaned,
            }
        )
        return
    if report.interrupted_before is not None:
        err.print(
            f"an earlier load of this file stopped after line {report.interrupted_before:,}; "
            "it has now been loaded in full"
        )
    for rejection in report.rejections:
        line = f"line {rejection.line_no}: {rejection.field}: {rejection.reason}"
        err.print(visible(line), markup=False)
    if report.names_cleaned:
        err.print(
            f"{report.names_cleaned:,} lines stored with direction or zero-width characters "
            "removed from a name (see docs/names.md)"
        )
    say(
        f"{report.file_name}: {report.lines:,} lines, {report.accepted:,} stored, "
        f"{report.unchanged:,} already present, {report.rejected:,} rejected (run {report.run_id})"
    )
