"""What the risk page is asked: a period and point (a dashboard query), a nationality, a step.

>>> q = RiskQuery.from_params(start="2026-11-01", end="2026-11-30", crossing_point="",
...                           nationality="mar", granularity="week", today=date(2026, 12, 1))
>>> q.nationality, q.granularity, q.period.days
('MAR', 'week', 30)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal, get_args

from passerelle.analytics.query import DashboardQuery
from passerelle.exc import InvalidInput

__all__ = ["GRANULARITIES", "Granularity", "RiskQuery", "bucket_of"]

Granularity = Literal["day", "week", "month"]
GRANULARITIES: tuple[Granularity, ...] = get_args(Granularity)
_STATE = re.compile(r"[A-Z<]{1,3}")


def bucket_of(day: date, granularity: Granularity) -> date:
    """The first day of the bucket ``day`` falls in: itself, its ISO week's Monday, its month's 1st.

    >>> bucket_of(date(2026, 11, 5), "week"), bucket_of(date(2026, 11, 5), "month")
    (datetime.date(2026, 11, 2), datetime.date(2026, 11, 1))
    """
    if granularity == "week":
        return day - timedelta(days=day.weekday())
    if granularity == "month":
        return day.replace(day=1)
    return day


@dataclass(frozen=True, slots=True)
class RiskQuery:
    """The period and optional crossing point (``period``), nationality and bucket size."""

    period: DashboardQuery
    nationality: str | None = None
    granularity: Granularity = "day"

    def __post_init__(self) -> None:
        if self.nationality is not None:
            code = self.nationality.strip().upper()
            if not _STATE.fullmatch(code):
                raise InvalidInput("nationality", f"{self.nationality!r} is not a state code")
            object.__setattr__(self, "nationality", code)
        if self.granularity not in GRANULARITIES:
            raise InvalidInput(
                "granularity",
                f"must be one of {', '.join(GRANULARITIES)}, not {self.granularity!r}",
            )

    @classmethod
    def from_params(
        cls,
        *,
        start: str | None,
        end: str | None,
        crossing_point: str | None,
        nationality: str | None,
        granularity: str | None,
        today: date,
    ) -> RiskQuery:
        """The query as a page or a request gives it (text; blank = not given)."""
        period = DashboardQuery.from_params(
            start=start, end=end, crossing_point=crossing_point, today=today
        )
        step = (granularity or "day").strip() or "day"
        if step not in GRANULARITIES:
            raise InvalidInput("granularity", f"must be one of {', '.join(GRANULARITIES)}")
        wanted = nationality.strip() if nationality and nationality.strip() else None
        return cls(period, wanted, step)

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.period.as_dict(),
            "nationality": self.nationality,
            "granularity": self.granularity,
        }
