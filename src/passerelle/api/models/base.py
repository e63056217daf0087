"""What every response model shares: frozen, no unknown key, timestamps as the strings sent.

The routes build their bodies from the domain's ``as_dict`` forms, which write
dates and times with ``isoformat()``; the models keep those strings as they are
(typed ``date-time`` or ``date`` in the document) rather than parse and write
them again, so the JSON a client gets is byte for byte the JSON it got before
the models existed (``+00:00``, not ``Z``).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, WithJsonSchema

__all__ = ["IsoDate", "IsoDateTime", "Out"]

IsoDateTime = Annotated[str, WithJsonSchema({"type": "string", "format": "date-time"})]
"""An ISO 8601 time with its UTC offset, as ``datetime.isoformat()`` writes it."""
IsoDate = Annotated[str, WithJsonSchema({"type": "string", "format": "date"})]
"""An ISO 8601 day, ``YYYY-MM-DD``."""


class Out(BaseModel):
    """A response body (or part of one): frozen, and refusing keys it does not declare, so a
    key added to a body without its model fails the tests instead of going undocumented."""

    model_config = ConfigDict(frozen=True, extra="forbid")
