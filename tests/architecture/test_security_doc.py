"""docs/security.md promises each guarantee "with the test that holds it": every test it
(or a page under docs/security/) names must exist, so a renamed or deleted test cannot
leave a guarantee standing on nothing."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "docs" / "security.md", *sorted((ROOT / "docs" / "security").glob("*.md"))]


def cited_tests() -> list[tuple[str, str, str | None]]:
    """(page, test file or folder, test name or None) for each test a page names; a
    ``::name`` following a full reference on the same line belongs to the same file."""
    found: list[tuple[str, str, str | None]] = []
    for page in PAGES:
        for line in page.read_text(encoding="utf-8").splitlines():
            last: str | None = None
            for match in re.finditer(r"`(tests/[\w/.]+)(?:::(\w+))?`|`::(\w+)`", line):
                path, name, follower = match.groups()
                if path is not None:
                    last = path
                    found.append((page.name, path, name))
                elif last is not None:
                    found.append((page.name, last, follower))
    return found


def test_the_security_pages_name_tests() -> None:
    assert len(cited_tests()) > 60


def test_every_test_the_security_pages_name_exists() -> None:
    missing = []
    for page, path, name in cited_tests():
        target = ROOT / path
        if not target.exists():
            missing.append(f"{page}: {path}")
            continue
        if name is not None and not re.search(
            rf"^\s*(async )?def {name}\(", target.read_text(encoding="utf-8"), re.M
        ):
            missing.append(f"{page}: {path}::{name}")
    assert not missing, "tests named in the security pages but not found:\n" + "\n".join(missing)
