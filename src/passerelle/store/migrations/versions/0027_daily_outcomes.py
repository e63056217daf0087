"""The risk page's daily counts of inspection outcomes, filled from the inspections stored.

- ``daily_outcomes``: inspections per UTC day, crossing point, direction, nationality
  (``''`` when none was read) and outcome (decision, officer's action, a refusal's
  reason, whether an overstay was found, the document and alert finding codes), with
  their count ``n``, and an index by point and day for the crossing-point filter.

The upgrade counts every inspection already stored, as the store counts them from
then on (``passerelle.store.outcomes``; this file keeps its own copy of the rule so
that a later change of the store does not change what this revision did). The
findings live in a JSON column read differently by each database, so the count is
made here in batches rather than in one ``INSERT ... SELECT``. A downgrade drops
the counts; the inspections are untouched.

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-07 17:30:00
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None

_KEY = (
    "day",
    "crossing_point",
    "direction",
    "nationality",
    "decision",
    "action",
    "reason_code",
    "overstay",
    "findings",
)


def _overstay(result: dict[str, Any]) -> bool:
    stay = result.get("stay")
    days = stay.get("overstay_days") if isinstance(stay, dict) else None
    try:
        return int(days or 0) > 0
    except (TypeError, ValueError):
        return False


def _key(row: Any) -> tuple[Any, ...]:
    at, point, direction, nationality, decision, action, reason, result = row
    if isinstance(at, str):
        at = datetime.fromisoformat(at)
    day: date = at.astimezone(UTC).date() if at.tzinfo else at.date()
    if isinstance(result, str):
        result = json.loads(result)
    result = result if isinstance(result, dict) else {}
    findings = result.get("findings")
    codes = sorted(
        {
            f"{f.get('source')}:{f.get('code')}"
            for f in (findings if isinstance(findings, list) else [])
            if isinstance(f, dict) and f.get("source") in ("document", "alerts")
        }
    )
    refused = action == "refuse"
    return (
        day,
        point,
        direction,
        nationality or "",
        decision,
        action or "",
        (reason or "") if refused else "",
        _overstay(result),
        " ".join(codes)[:255],
    )


def upgrade() -> None:
    table = op.create_table(
        "daily_outcomes",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("crossing_point", sa.String(length=64), nullable=False),
        sa.Column("direction", sa.String(length=5), nullable=False),
        sa.Column("nationality", sa.String(length=3), nullable=False),
        sa.Column("decision", sa.String(length=8), nullable=False),
        sa.Column("action", sa.String(length=8), nullable=False),
        sa.Column("reason_code", sa.String(length=64), nullable=False),
        sa.Column("overstay", sa.Boolean(), nullable=False),
        sa.Column("findings", sa.String(length=255), nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint(*_KEY),
    )
    op.create_index("ix_daily_outcomes_point", "daily_outcomes", ["crossing_point", "day"])
    bind = op.get_bind()
    counts: dict[tuple[Any, ...], int] = {}
    rows = bind.execute(
        sa.text(
            "SELECT at, crossing_point, direction, nationality, decision, action,"
            " reason_code, result FROM inspections"
        ).execution_options(yield_per=5000)
    )
    for row in rows:
        key = _key(tuple(row))
        counts[key] = counts.get(key, 0) + 1
    values = [dict(zip(_KEY, key, strict=True)) | {"n": n} for key, n in sorted(counts.items())]
    for start in range(0, len(values), 5000):
        op.bulk_insert(table, values[start : start + 5000])


def downgrade() -> None:
    op.drop_index("ix_daily_outcomes_point", table_name="daily_outcomes")
    op.drop_table("daily_outcomes")
