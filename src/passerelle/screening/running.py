"""The checks of one inspection run side by side, each held to the inspection's time-out.

A check that raises or has not answered within ``timeout_s`` is not lost: it
becomes its source's finding (``rules.failure_finding``, ``rules.timeout_finding``:
the traveller is referred), except the partners' (``federation``), whose
failure is information only (``screening.federation``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait

from passerelle.i18n import N_
from passerelle.i18n.wording import worded
from passerelle.screening.checks import SourceOutcome
from passerelle.screening.federation import federation_failure_finding, no_answer_within
from passerelle.screening.model import Source
from passerelle.screening.rules import failure_finding, timeout_finding
from passerelle.store.db import DatabaseFault

__all__ = ["run_checks"]

log = logging.getLogger("passerelle.screening.inspector")


def run_checks(
    pool: ThreadPoolExecutor,
    tasks: dict[Source, Callable[[], SourceOutcome]],
    timeout_s: float,
) -> list[SourceOutcome]:
    """Each check's outcome, in ``tasks``' order; a failure or a late answer as a finding."""
    futures: dict[Source, Future[SourceOutcome]] = {
        source: pool.submit(task) for source, task in tasks.items()
    }
    wait(futures.values(), timeout=timeout_s)
    outcomes: list[SourceOutcome] = []
    for source, future in futures.items():
        if not future.done():
            future.cancel()
            log.warning("inspection.source_timeout", extra={"source": source})
            late = (
                federation_failure_finding(no_answer_within(f"{timeout_s:g}"))
                if source == "federation"
                else timeout_finding(source, timeout_s)
            )
            outcomes.append(SourceOutcome(source, False, (late,)))
            continue
        exc = future.exception()
        if exc is not None:
            log.warning(
                "inspection.source_failed",
                extra={"source": source, "error": type(exc).__name__},
            )
            failed = (
                federation_failure_finding(
                    worded(N_("the check failed: %(error)s"), error=type(exc).__name__)
                )
                if source == "federation"
                else failure_finding(
                    source, exc, why=exc.what if isinstance(exc, DatabaseFault) else None
                )
            )
            outcomes.append(SourceOutcome(source, False, (failed,)))
            continue
        outcomes.append(future.result())
    return outcomes
