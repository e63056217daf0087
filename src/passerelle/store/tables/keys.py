"""The fingerprints of the node's keys, so that every host can tell whether it holds them.

==============  =====================================================================
``node_keys``   one row per key of the node (``audit``, ``biometric``, ``signing``): a
                keyed fingerprint of it (never the key), when and how it was recorded
==============  =====================================================================
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from passerelle.store.tables.base import Base

__all__ = ["NodeKey"]


class NodeKey(Base):
    """The fingerprint of one of the node's keys, as recorded at init (or adopted)."""

    __tablename__ = "node_keys"

    name: Mapped[str] = mapped_column(String(16), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime]
    how: Mapped[str] = mapped_column(String(16))
    """``init`` (``passerelle keys init``), ``adopted`` (a node set up before the
    fingerprints, or a key that came later) or ``rotated``."""
