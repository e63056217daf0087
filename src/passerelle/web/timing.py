"""Times on the pages: the node's local time with its UTC offset, never a bare UTC clock.

Storage and the API keep UTC (ISO 8601 with its offset); the pages show the time of the
node's time zone (``PASSERELLE_TIME_ZONE``, Africa/Casablanca in the demo) followed by the
offset, so that a time read at the booth is the time on the wall and still unambiguous
("2026-12-07 13:05 +01:00"). A time printed on a right-to-left page is isolated
left-to-right (``<bdi dir="ltr">``) by the pages' value isolation.
"""

from __future__ import annotations

from contextvars import ContextVar
from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

__all__ = ["local_time", "node_zone", "page_time", "show_times_in"]

_ZONE: ContextVar[str] = ContextVar("passerelle_time_zone", default="UTC")

_PRECISION = {"day": "%Y-%m-%d", "minute": "%Y-%m-%d %H:%M", "second": "%Y-%m-%d %H:%M:%S"}


@lru_cache(maxsize=16)
def node_zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def local_time(value: datetime | date | str | None, zone: str, precision: str = "minute") -> str:
    """``value`` (UTC when naive, as the store keeps it) in ``zone``, with the offset.

    >>> local_time(datetime(2026, 12, 7, 12, 5, tzinfo=UTC), "Africa/Casablanca")
    '2026-12-07 13:05 +01:00'
    >>> local_time("2026-06-01T23:30:00+00:00", "Africa/Casablanca", "second")
    '2026-06-02 00:30:00 +01:00'
    >>> local_time("2026-03-01T23:30:00+00:00", "Africa/Casablanca")  # Ramadan: UTC+0
    '2026-03-01 23:30 +00:00'
    >>> local_time(None, "UTC"), local_time(date(2026, 1, 2), "UTC")
    ('', '2026-01-02')
    """
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return str(value)
    if not isinstance(value, datetime):
        return value.isoformat()
    moment = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    here = moment.astimezone(node_zone(zone))
    if precision == "day":
        return here.strftime(_PRECISION["day"])
    offset = here.strftime("%z")
    return f"{here.strftime(_PRECISION[precision])} {offset[:3]}:{offset[3:]}"


def show_times_in(zone: str) -> None:
    """Show the times of the page being written in ``zone`` (set for each page)."""
    _ZONE.set(zone)


def page_time(value: datetime | date | str | None, precision: str = "minute") -> str:
    """``value`` in the time zone of the page being written (the templates' ``local_time``)."""
    return local_time(value, _ZONE.get(), precision)
