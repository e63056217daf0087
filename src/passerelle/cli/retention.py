"""``passerelle retention``: applying the node's data-retention limits."""

from __future__ import annotations

from typing import Annotated

import typer

from passerelle.access import Permission, local_operator
from passerelle.cli.common import node_for_cli, print_json
from passerelle.store.retention import apply_retention
from passerelle.wiring import retention_policy

__all__ = ["retention_app"]

retention_app = typer.Typer(help="Data-retention limits.", no_args_is_help=True)


@retention_app.command("apply")
def apply(
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable report.")] = False,
) -> None:
    """Delete personal data past its retention limit; the audit trail records what went."""
    with node_for_cli() as node:
        policy = retention_policy(node.settings)
        with node.database.write() as session:
            report = apply_retention(
                session,
                node.audit,
                policy,
                actor=local_operator(Permission.MANAGE_NODE),
                now=node.clock(),
            )
    if as_json:
        print_json(report.as_dict())
        return
    counts = report.as_dict()
    deleted = ", ".join(
        f"{counts[name]} {name.replace('_', ' ')}"
        for name in (
            "crossings",
            "audit_payloads",
            "watchlist_persons",
            "alerts",
            "sltd_versions",
            "load_rejections",
            "inspections",
            "hit_reviews",
            "login_attempts",
            "web_sessions",
            "partner_alerts",
            "alert_reports",
            "outbox_bodies",
            "followups",
        )
    )
    typer.echo(f"retention applied (audit record {report.audit_seq}): deleted {deleted}")


@retention_app.command("show")
def show() -> None:
    """Print the retention limits in force (days)."""
    with node_for_cli(migrated=False) as node:
        policy = retention_policy(node.settings)
    for name, days in (
        ("crossings", policy.crossings_days),
        ("audit payloads", policy.audit_payload_days),
        ("withdrawn or expired watchlist persons and alerts", policy.withdrawn_days),
        ("superseded SLTD versions", policy.sltd_history_days),
        ("load rejection reports", policy.load_rejections_days),
        ("inspections without a confirmed hit", policy.inspections_days),
        ("inspections with a confirmed hit", max(policy.inspections_days, policy.crossings_days)),
        ("sign-in attempts and ended sessions", policy.login_records_days),
        ("partners' alerts withdrawn or ended", policy.withdrawn_days),
        ("bodies of messages delivered to partners", policy.exchange_messages_days),
        ("follow-ups decided or past their deadline", policy.followups_days),
    ):
        typer.echo(f"{name}: {days} days")
