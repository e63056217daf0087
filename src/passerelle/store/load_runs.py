"""Reading a bulk load back: how far it got, what it kept, and each line it rejected.

A load commits its run's progress with each batch (``store.loading``), so a page can
follow a load that runs in another thread, or another process, by its run's id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from passerelle.i18n.wording import Wording
from passerelle.store.load_parsing import Rejection
from passerelle.store.tables import LoadRejection, LoadRun

__all__ = ["LoadRunView", "load_run"]

MAX_REJECTIONS_SHOWN = 1000
"""Rejections read back with a run (the count is always whole)."""


@dataclass(frozen=True, slots=True)
class LoadRunView:
    """One bulk load as stored: its progress and counts, and its first rejections."""

    id: int
    kind: str
    file_name: str
    actor: str
    started_at: datetime
    finished_at: datetime | None
    status: str
    """``running``, ``completed`` or ``interrupted``."""
    lines_done: int
    accepted: int
    unchanged: int
    rejected: int
    rejections: tuple[Rejection, ...]
    """In line order, :data:`MAX_REJECTIONS_SHOWN` at most."""

    @property
    def finished(self) -> bool:
        return self.status != "running"


def load_run(session: Session, run_id: int, *, with_rejections: bool = True) -> LoadRunView | None:
    """The load run ``run_id`` (None when there is none), with its first rejections."""
    run = session.get(LoadRun, run_id)
    if run is None:
        return None
    rejections: tuple[Rejection, ...] = ()
    if with_rejections and run.rejected:
        rows = session.execute(
            select(
                LoadRejection.line_no,
                LoadRejection.field,
                LoadRejection.reason,
                LoadRejection.wording,
            )
            .where(LoadRejection.run_id == run_id)
            .order_by(LoadRejection.line_no, LoadRejection.id)
            .limit(MAX_REJECTIONS_SHOWN)
        )
        rejections = tuple(
            Rejection(line, field, reason, Wording.from_dict(said) if said else None)
            for line, field, reason, said in rows
        )
    return LoadRunView(
        run.id,
        run.kind,
        run.file_name,
        run.actor,
        run.started_at,
        run.finished_at,
        run.status,
        run.lines_done,
        run.accepted,
        run.unchanged,
        run.rejected,
        rejections,
    )
