"""The stay rules per nationality: *max_days in any window_days*, with ``*`` as the node's
default and 90 in 180 (Schengen) when no default is set. Setting one is audited
(``stay_rule.set``, with the previous values); every inspection's stay check reads one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from passerelle.records.fields import state_code
from passerelle.stay import SCHENGEN_SHORT_STAY, StayLimit
from passerelle.store.audit import Actor, AuditTrail
from passerelle.store.tables import StayRule

__all__ = ["DEFAULT_NATIONALITY", "RuleInForce", "list_rules", "rule_for", "set_rule"]

DEFAULT_NATIONALITY = "*"


@dataclass(frozen=True, slots=True)
class RuleInForce:
    """The stay limit that applies to a nationality, and which row it came from."""

    limit: StayLimit
    applies_to: str
    """The nationality of the rule row, ``*`` for the node default, ``built-in`` for 90/180."""


_RULES = select(StayRule).where(StayRule.nationality.in_(bindparam("codes", expanding=True)))
"""Built once: every inspection's stay check runs both."""


def _rule_nationality(value: str) -> str:
    code = value.strip().upper()
    return code if code == DEFAULT_NATIONALITY else state_code({"nationality": code}, "nationality")


def set_rule(
    session: Session,
    audit: AuditTrail,
    nationality: str,
    max_days: int,
    window_days: int,
    *,
    actor: Actor,
    now: datetime,
) -> RuleInForce:
    """Set the stay limit for a nationality (``*`` for the node default), audited.

    ``max_days`` must be at least 1 and less than ``window_days`` (see ``StayLimit``);
    the previous values go into the audit record.
    """
    code = _rule_nationality(nationality)
    limit = StayLimit(max_days, window_days)
    row = session.get(StayRule, code, with_for_update=True)
    previous = None if row is None else [row.max_days, row.window_days]
    if row is None:
        session.add(
            StayRule(nationality=code, max_days=max_days, window_days=window_days, updated_at=now)
        )
    else:
        row.max_days, row.window_days, row.updated_at = max_days, window_days, now
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="stay_rule.set",
        at=now,
        query={"nationality": code, "max_days": max_days, "window_days": window_days},
        result={"previous": previous},
    )
    return RuleInForce(limit, code)


def rule_for(session: Session, nationality: str | None) -> RuleInForce:
    """The stay limit for a nationality: its own rule, else the node default ``*``, else 90/180."""
    wanted = [DEFAULT_NATIONALITY]
    if nationality:
        wanted.insert(0, nationality.strip().upper())
    rows = {row.nationality: row for row in session.scalars(_RULES, {"codes": wanted})}
    for code in wanted:
        if code in rows:
            return RuleInForce(StayLimit(rows[code].max_days, rows[code].window_days), code)
    return RuleInForce(SCHENGEN_SHORT_STAY, "built-in")


def list_rules(session: Session) -> list[RuleInForce]:
    """Every stay rule set on this node, the default ``*`` first."""
    rows = session.scalars(select(StayRule).order_by(StayRule.nationality))
    return [RuleInForce(StayLimit(r.max_days, r.window_days), r.nationality) for r in rows]
