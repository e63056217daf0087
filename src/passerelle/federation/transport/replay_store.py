"""The replay guard in the node's database (``exchange_seen_messages``), shared by its workers.

The primary key (sender, message id) is the check: the guard INSERTs the pair
in a short transaction of its own and a unique-key violation means the message
was seen. The database decides between two concurrent deliveries of one
message (SQLite queues writers with ``BEGIN IMMEDIATE``; on PostgreSQL the
second INSERT waits for the first to commit, then fails), so exactly one gets
``True``, whichever worker or process received it.

Rows are kept ``2 × max_skew`` (see ``replay``); :meth:`StoredReplayGuard.purge`
deletes older ones, and the guard calls it itself at most once per
``max_skew``.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from passerelle.federation.protocol.replay import DEFAULT_MAX_SKEW
from passerelle.store.db import Database
from passerelle.store.tables import SeenMessage

__all__ = ["StoredReplayGuard"]


class StoredReplayGuard:
    """A :class:`~passerelle.federation.protocol.replay.ReplayGuard` kept in its table.

    The table is ``exchange_seen_messages``.
    """

    def __init__(self, database: Database, *, max_skew: timedelta = DEFAULT_MAX_SKEW) -> None:
        if max_skew <= timedelta(0):
            raise ValueError("max_skew must be positive")
        self.database = database
        self.window = 2 * max_skew
        self._purge_every = max_skew
        self._last_purge: datetime | None = None
        self._lock = threading.Lock()

    def first_sight(self, sender: str, message_id: str, at: datetime) -> bool:
        """Insert the pair (its own transaction); False when it is already there."""
        self._purge_now_and_then(at)
        try:
            with self.database.write() as session:
                session.add(SeenMessage(sender=sender, message_id=message_id, seen_at=at))
                session.flush()
        except IntegrityError:
            return False
        return True

    def purge(self, before: datetime) -> int:
        """Forget the pairs received before ``before``; returns how many were deleted."""
        with self.database.write() as session:
            result = session.execute(delete(SeenMessage).where(SeenMessage.seen_at < before))
            return int(getattr(result, "rowcount", 0) or 0)

    def _purge_now_and_then(self, at: datetime) -> None:
        with self._lock:
            due = self._last_purge is None or at - self._last_purge >= self._purge_every
            if due:
                self._last_purge = at
        if due:
            self.purge(at - self.window)
