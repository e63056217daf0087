"""The fuzzing budget: how many examples each property and each API operation gets.

``make test`` runs a short, fixed, reproducible campaign: the examples are derived
from the test itself (``derandomize``), so a failure in CI fails the same way on a
laptop, and no database of past examples is kept between runs.

A longer campaign, locally::

    PASSERELLE_FUZZ_EXAMPLES=5000 PASSERELLE_FUZZ_API_EXAMPLES=200 \\
    PASSERELLE_FUZZ_API_SECONDS=3600 PASSERELLE_FUZZ_RANDOM=1 .venv/bin/pytest -q tests/fuzzing

``PASSERELLE_FUZZ_EXAMPLES`` is the number of examples per property,
``PASSERELLE_FUZZ_API_EXAMPLES`` the requests per API operation and mode,
``PASSERELLE_FUZZ_API_SECONDS`` the API run's wall-time budget;
``PASSERELLE_FUZZ_RANDOM=1`` draws new examples each run instead of the fixed ones (and
keeps hypothesis' example database, so a failure found once is tried first next time).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

__all__ = ["API_EXAMPLES", "API_TIME_BUDGET_S", "EXAMPLES", "FUZZ", "RANDOM"]

EXAMPLES = int(os.environ.get("PASSERELLE_FUZZ_EXAMPLES", "150"))
"""Examples per property of a parser or loader in one run."""

RANDOM = os.environ.get("PASSERELLE_FUZZ_RANDOM", "") == "1"
"""Draw new examples each run (a local campaign) instead of CI's fixed ones."""

API_EXAMPLES = int(os.environ.get("PASSERELLE_FUZZ_API_EXAMPLES", "8"))
"""Requests per API operation and generation mode (valid, then invalid requests), each sent
with one of the identities."""

API_TIME_BUDGET_S = float(os.environ.get("PASSERELLE_FUZZ_API_SECONDS", "75"))
"""Wall time the API campaign may take; operations not reached by then are reported."""

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not RANDOM,
    database=None if not RANDOM else settings.default.database,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    print_blob=True,
)
"""The settings of every fuzzing property (``@FUZZ`` over ``@given``)."""
