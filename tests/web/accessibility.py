"""The accessibility checker of the browser tests: axe-core (from npm) run inside a page.

``make`` installs axe-core, pinned by package-lock.json, into node_modules/ (``npm ci``).
:func:`serious_violations` injects it into a Playwright page, runs the WCAG 2.0 and 2.1
level A and AA rules (colour contrast included) and returns what axe rates ``serious`` or
``critical``; :func:`assert_accessible` fails naming each rule, its impact, the elements and
axe's help. Without node_modules/axe-core the tests skip, unless
PASSERELLE_REQUIRE_BROWSER=1 (set by ``.ci/run``) makes that a failure.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import pytest
from playwright.sync_api import Page

__all__ = ["AXE", "Violation", "assert_accessible", "require_axe", "serious_violations"]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = frozenset({"serious", "critical"})


@dataclass(frozen=True, slots=True)
class Violation:
    """One rule axe found broken on a page, with the elements that break it."""

    rule: str
    impact: str
    help: str
    targets: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.rule} ({self.impact}): {self.help} — {', '.join(self.targets)}"


def require_axe() -> None:
    """Skip the calling test when axe-core is not installed (fail under .ci/run)."""
    if AXE.exists():
        return
    message = f"{AXE} is missing: run `make` (npm ci) with nodejs and npm installed"
    if os.environ.get("PASSERELLE_REQUIRE_BROWSER") == "1":
        pytest.fail(message)
    pytest.skip(message)


def serious_violations(page: Page) -> list[Violation]:
    """The serious and critical WCAG 2.0/2.1 A and AA violations on ``page`` as it is now."""
    require_axe()
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated, not added as a <script>: the pages' Content-Security-Policy allows only
        # their own scripts, and the check must not loosen it.
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    results = page.evaluate(
        """async (tags) => {
            const found = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return found.violations.map(v => ({
                rule: v.id, impact: v.impact || '', help: v.help,
                targets: v.nodes.map(n => n.target.join(' ')),
            }));
        }""",
        WCAG_AA,
    )
    return [
        Violation(
            rule=str(found["rule"]),
            impact=str(found["impact"]),
            help=str(found["help"]),
            targets=tuple(str(t) for t in cast(list[object], found["targets"])),
        )
        for found in cast(list[dict[str, object]], results)
        if found["impact"] in BLOCKING
    ]


def assert_accessible(page: Page, what: str) -> None:
    """Fail naming every serious or critical violation axe finds on ``page`` (``what``)."""
    violations = serious_violations(page)
    assert not violations, f"{what} ({page.url}):\n" + "\n".join(map(str, violations))
