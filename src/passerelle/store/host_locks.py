"""Jobs one host of the node runs at a time: PostgreSQL advisory locks, named.

Several API hosts share one PostgreSQL database. A job that must run on one of
them only (the audit checkpoints a serving node takes, a retention run) takes a
named advisory lock first:

* :class:`HostLock` is held across transactions, on a connection of its own, for
  as long as the host does the job (the checkpointer: the first host to take it
  keeps it; when that host stops or loses its connection, PostgreSQL frees the
  lock and the next host to try takes the job over);
* :func:`one_at_a_time` holds one for the rest of a transaction: a second host
  running the same job waits for the first to commit, then finds nothing left.

Names map to the two-key advisory lock space (a fixed class, ``hashtext(name)``),
which PostgreSQL keeps apart from the one-key locks the store takes elsewhere.
SQLite is one host's database (its writers already take turns): there, every lock
is granted at once.
"""

from __future__ import annotations

import contextlib
import logging
import threading

from sqlalchemy import Connection, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from passerelle.store.db import Database

__all__ = ["HostLock", "one_at_a_time"]

log = logging.getLogger(__name__)

_LOCK_CLASS = 0x7073  # "ps": passerelle's class of named host locks


def one_at_a_time(session: Session, name: str) -> None:
    """Wait for, then hold until ``session``'s transaction ends, the node-wide lock ``name``."""
    if session.get_bind().dialect.name != "postgresql":
        return
    session.execute(
        text("SELECT pg_advisory_xact_lock(:lock_class, hashtext(:name))"),
        {"lock_class": _LOCK_CLASS, "name": name},
    )


class HostLock:
    """A node-wide lock ``name`` that this host holds, once taken, until :meth:`release`."""

    def __init__(self, database: Database, name: str) -> None:
        self._database = database
        self.name = name
        self._connection: Connection | None = None
        self._mutex = threading.Lock()

    def try_hold(self) -> bool:
        """Whether this host holds the lock now: kept if held (its connection still alive),
        taken if free, False while another host holds it."""
        if self._database.is_sqlite:
            return True
        with self._mutex:
            if self._connection is not None:
                try:
                    self._connection.execute(text("SELECT 1"))
                    return True
                except SQLAlchemyError:  # the connection went, and the lock with it
                    log.warning("host_lock.lost", extra={"lock": self.name})
                    self._drop()
            try:
                connection = self._database.engine.connect().execution_options(
                    isolation_level="AUTOCOMMIT"
                )
            except SQLAlchemyError:
                return False
            held = connection.execute(
                text("SELECT pg_try_advisory_lock(:lock_class, hashtext(:name))"),
                {"lock_class": _LOCK_CLASS, "name": self.name},
            ).scalar_one()
            if not held:
                connection.close()
                return False
            self._connection = connection
            log.info("host_lock.taken", extra={"lock": self.name})
            return True

    def release(self) -> None:
        """Give the lock up (another host may take it at its next try)."""
        with self._mutex:
            if self._connection is None:
                return
            with contextlib.suppress(SQLAlchemyError):  # a connection gone took the lock along
                self._connection.execute(
                    text("SELECT pg_advisory_unlock(:lock_class, hashtext(:name))"),
                    {"lock_class": _LOCK_CLASS, "name": self.name},
                )
            self._drop()

    def _drop(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(SQLAlchemyError):
                self._connection.close()
            self._connection = None
