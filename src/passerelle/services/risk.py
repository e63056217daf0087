"""The analysts' risk reading and its exports, each audited: ``risk.read``, ``risk.export``.

The reading is the same whichever face asks (the page, the API): the indicators and
the pattern findings of :mod:`passerelle.analytics.risk` for a query, read in one
transaction (on the replica when the node has one: ``Node.analysis``), then recorded on
the primary with the query and how many findings it listed. An export
(CSV or PDF) is recorded with its format before the file leaves, so the trail says who
took which period away.
"""

from __future__ import annotations

from typing import Literal

from passerelle.access import Permission
from passerelle.analytics.risk import CrossingMap, PatternRules, RiskQuery, RiskReport, risk_report
from passerelle.node import Node
from passerelle.services.common import permitted
from passerelle.store.audit import Actor

__all__ = ["RISK_EXPORT", "RISK_READ", "ExportFormat", "RiskAnalysis"]

RISK_READ = "risk.read"
RISK_EXPORT = "risk.export"
ExportFormat = Literal["csv", "pdf"]
PURPOSE = "risk analysis"


class RiskAnalysis:
    """The risk indicators and pattern findings, for analysts and supervisors."""

    def __init__(self, node: Node, rules: PatternRules, places: CrossingMap) -> None:
        self.node, self.rules, self.places = node, rules, places

    def _read(self, actor: Actor, query: RiskQuery, action: str, **more: str) -> RiskReport:
        permitted(actor, Permission.ANALYSE_RISK)
        node = self.node
        with node.analysis.read() as session:  # the replica, when the node has one
            report = risk_report(session, query, self.rules, self.places)
        with node.database.write() as session:
            node.audit.record(
                session,
                actor=actor,
                action=action,
                purpose=PURPOSE,
                at=node.clock(),
                query={**query.as_dict(), **more},
                result={"findings": len(report.findings), "truncated": report.truncated},
            )
        return report

    def report(self, actor: Actor, query: RiskQuery) -> RiskReport:
        """The reading for ``query`` (``risk.read``)."""
        return self._read(actor, query, RISK_READ)

    def export(self, actor: Actor, query: RiskQuery, format: ExportFormat) -> RiskReport:
        """The reading to export as ``format`` (``risk.export``, recorded before it leaves)."""
        return self._read(actor, query, RISK_EXPORT, format=format)
