"""One linkage run over the node's records: read, group faces, train, predict, propose.

:func:`link_identities` reads the identity table (:mod:`.records`) and the face groups
(:mod:`.faces`) in one read transaction, runs the model on the engine asked for
(:mod:`.engine`), then stores the proposals in one write transaction through
:class:`~passerelle.store.identity_links.IdentityLinkRepository`: ``start_run``,
``propose`` (a new pair yellow, a yellow pair rescored, a resolved pair left as the
analyst decided) and ``finish_run`` (audited ``identity_link.run`` with the counts).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb

from passerelle.identities.engine import checked_engine, predict_links, proposals
from passerelle.identities.faces import face_groups
from passerelle.identities.model import LinkageModel, load_model
from passerelle.identities.records import load_records
from passerelle.node import Node
from passerelle.records.identity_links import ProposalOutcome
from passerelle.store.audit import Actor
from passerelle.store.identity_links import IdentityLinkRepository

__all__ = ["LinkageReport", "link_identities"]


@dataclass(frozen=True, slots=True)
class LinkageReport:
    """What a run read, proposed and changed."""

    run_id: int
    engine: str
    records: int
    pairs: int
    outcome: ProposalOutcome
    threshold: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "run": self.run_id,
            "engine": self.engine,
            "records": self.records,
            "pairs": self.pairs,
            "threshold": self.threshold,
            **self.outcome.as_dict(),
        }


def link_identities(
    node: Node,
    *,
    by: Actor,
    face_threshold: float,
    engine: str = "duckdb",
    model: LinkageModel | None = None,
    spark: Any = None,
) -> LinkageReport:
    """Run the linkage model over the node's identity records and store its proposals."""
    engine = checked_engine(engine)
    model = model or load_model()
    con = duckdb.connect()
    try:
        with node.database.read() as session:
            faces = face_groups(session, node.template_vault(), threshold=face_threshold)
            count = load_records(con, session, faces)
        records = con.sql("SELECT * FROM identity_records").to_arrow_table()
    finally:
        con.close()
    predictions = predict_links(records, model, engine=engine, spark=spark)
    found = list(proposals(predictions, model))
    repository = IdentityLinkRepository(node.audit)
    with node.database.write() as session:
        now = node.clock()
        run_id = repository.start_run(session, engine=engine, by=by, now=now)
        outcome = repository.propose(session, found, run_id=run_id, now=now)
        repository.finish_run(
            session,
            run_id,
            records=count,
            pairs=len(found),
            outcome=outcome,
            model={"threshold": model.threshold, "parameters": predictions.parameters},
            by=by,
            now=node.clock(),
        )
    return LinkageReport(run_id, engine, count, len(found), outcome, model.threshold)
