"""Shared fixtures: ICAO specimen MRZs (ICAO Doc 9303 Parts 4-7) and the day of the checks."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from passerelle.documents import split_documents

FIXTURES = Path(__file__).parent / "fixtures"
AS_OF = date(2026, 11, 25)


@pytest.fixture(scope="session")
def icao_specimens() -> dict[str, str]:
    """The ICAO specimens by name: td3, td1, td2, mrva, mrvb, td1_long_number."""
    texts = split_documents((FIXTURES / "icao_specimens.txt").read_text())
    names = ("td3", "td1", "td2", "mrva", "mrvb", "td1_long_number")
    return dict(zip(names, texts, strict=True))
