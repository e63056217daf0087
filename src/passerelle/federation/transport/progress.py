"""How far a request to a partner got on the wire: whether what it carries has left.

The asking node audits every query it sends (``queries.outbound_audit``) and says
whether the traveller's data left: httpx reports each step of a request through
its ``trace`` extension, and :class:`Progress` keeps the two that matter.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["Progress"]


class Progress:
    """How far one request got on the wire, from httpx's trace events."""

    __slots__ = ("body_sent", "started")

    def __init__(self) -> None:
        self.started = False
        self.body_sent = False

    async def trace(self, event: str, info: Mapping[str, Any]) -> None:
        """httpx's ``trace`` extension: note the request's headers starting and body ending."""
        if event.endswith("send_request_headers.started"):
            self.started = True
        elif event.endswith("send_request_body.complete"):
            self.body_sent = True

    @property
    def sent(self) -> bool | None:
        """True when written whole, False when nothing was written, None in between."""
        if self.body_sent:
            return True
        return None if self.started else False
