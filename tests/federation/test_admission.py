"""The buckets of clients without a certificate, on their own: what a summary holds."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from passerelle.federation.transport.admission import (
    MAX_SOURCES_IN_SUMMARY,
    RefusalSummary,
    UnauthenticatedGate,
    UnauthenticatedLimit,
)


def test_one_summary_per_interval_counts_every_refusal_and_names_the_busiest_addresses() -> None:
    summaries: list[RefusalSummary] = []
    written = threading.Event()

    def keep(summary: RefusalSummary) -> None:
        summaries.append(summary)
        written.set()

    now = [0.0]
    limit = UnauthenticatedLimit(per_second=1, burst=1, summary_interval_s=0.2)
    gate = UnauthenticatedGate(limit, on_summary=keep, clock=lambda: now[0])
    addresses = [f"198.51.100.{i}" for i in range(MAX_SOURCES_IN_SUMMARY + 5)]
    admitted = [gate.admit(a) for a in addresses for _ in range(3)]
    admitted += [gate.admit(addresses[0]) for _ in range(10)]

    assert admitted.count(True) == len(addresses)  # each address's one token
    assert written.wait(5)
    gate.close()
    (summary,) = summaries
    assert summary.refused == 2 * len(addresses) + 10
    assert summary.source_count == len(addresses)
    assert len(summary.sources) == MAX_SOURCES_IN_SUMMARY
    assert summary.sources[addresses[0]] == 12
    assert summary.since <= summary.until <= datetime.now(UTC)


def test_closing_summarises_what_is_pending_and_nothing_twice() -> None:
    summaries: list[RefusalSummary] = []
    limit = UnauthenticatedLimit(per_second=1, burst=1, summary_interval_s=3600)
    gate = UnauthenticatedGate(limit, on_summary=summaries.append, clock=lambda: 0.0)
    assert [gate.admit("192.0.2.7") for _ in range(4)] == [True, False, False, False]
    gate.close()
    gate.close()
    assert [s.refused for s in summaries] == [3]
    assert gate.pending() == 0
