"""Human-readable output for officers: tables with the findings in colour."""

from __future__ import annotations

from datetime import date

from rich.console import Console
from rich.table import Table
from rich.text import Text

from passerelle.documents import DocumentCheck, FindingCode, Severity, state_name
from passerelle.records.text import visible

__all__ = ["render_document_check"]

_SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def _state(code: str | None) -> str:
    if not code:
        return "—"
    name = state_name(code)
    return f"{code} ({name})" if name else code


def _verdict(result: DocumentCheck) -> Text:
    if not result.well_formed:
        return Text("NOT WELL FORMED", style="bold white on red")
    if result.suspicious:
        return Text("WELL FORMED — SUSPICIOUS", style="bold black on yellow")
    if result.expired:
        return Text("WELL FORMED — EXPIRED", style="bold black on yellow")
    return Text("WELL FORMED", style="bold white on green")


def render_document_check(console: Console, result: DocumentCheck, *, as_of: date) -> None:
    """Print one document check: verdict, fields, then every finding with its reason."""
    title = Text.assemble(f"{result.format.value}  ", _verdict(result))
    fields = Table(title=title, title_justify="left", show_header=False, box=None, padding=(0, 2))
    fields.add_column("field", style="bold")
    fields.add_column("value")
    optional = (
        [("optional data 1", result.optional_data_1), ("optional data 2", result.optional_data_2)]
        if result.optional_data is None
        else [("optional data", result.optional_data)]
    )
    rows = [
        ("document code", result.document_code),
        ("issuing state", _state(result.issuing_state)),
        ("document number", result.document_number),
        ("surname", result.surname),
        ("given names", result.given_names),
        ("nationality", _state(result.nationality)),
        ("birth date", result.birth_date.isoformat() if result.birth_date else None),
        ("sex", result.sex),
        ("expiry date", result.expiry_date.isoformat() if result.expiry_date else None),
        *optional,
    ]
    for label, value in rows:
        fields.add_row(label, "—" if value is None or value == "" else visible(str(value)))
    console.print(fields)
    if not result.findings:
        console.print(Text(f"  no findings (as of {as_of.isoformat()})", style="green"))
        return
    table = Table(show_header=True, header_style="bold", box=None, padding=(0, 2))
    table.add_column("severity")
    table.add_column("finding")
    table.add_column("field")
    table.add_column("reason", overflow="fold")
    for finding in result.findings:
        style = _SEVERITY_STYLE[finding.severity]
        code = "forgery indicator" if finding.code is FindingCode.SUSPICIOUS else finding.code.value
        table.add_row(
            Text(finding.severity.value, style=style),
            Text(code, style=style),
            visible(finding.field),
            visible(finding.message),
        )
    console.print(table)
