"""Multiple-identity linkage runs, started by a user (``passerelle identities link``).

``IdentityLinkage.run`` checks the user may review hits (an analyst's work), then runs
:func:`passerelle.identities.link_identities` on the engine asked for (default: the
node's ``PASSERELLE_LINKAGE_ENGINE``); the run is audited ``identity_link.run`` in the
transaction that stores its links.
"""

from __future__ import annotations

from typing import Any

from passerelle.access import Permission
from passerelle.identities import LinkageReport, checked_engine, link_identities, load_model
from passerelle.node import Node
from passerelle.services.common import permitted
from passerelle.store.audit import Actor

__all__ = ["IdentityLinkage"]


class IdentityLinkage:
    """Starts linkage runs over the node's identity records."""

    def __init__(
        self,
        node: Node,
        *,
        face_threshold: float,
        engine: str = "duckdb",
        spark_master: str = "local[2]",
    ) -> None:
        self.node = node
        self.face_threshold = face_threshold
        self.engine = checked_engine(engine)
        self.spark_master = spark_master

    def run(
        self,
        actor: Actor,
        *,
        engine: str | None = None,
        threshold: float | None = None,
        spark: Any = None,
    ) -> LinkageReport:
        """One run; ``InvalidInput`` naming ``engine`` or ``threshold`` for a bad option."""
        permitted(actor, Permission.REVIEW_HITS)
        chosen = checked_engine(engine) if engine is not None else self.engine
        model = load_model().with_threshold(threshold)
        if chosen == "spark" and spark is None:
            from passerelle.identities.engine import spark_session

            spark = spark_session(self.spark_master)
        return link_identities(
            self.node,
            by=actor,
            face_threshold=self.face_threshold,
            engine=chosen,
            model=model,
            spark=spark,
        )
