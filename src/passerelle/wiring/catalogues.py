"""The node's catalogues (crossing points, decision reasons): saved in the database, or a file.

A catalogue saved from the administrators' page (``save_catalogues``) is kept in
the node's database (``passerelle.store.saved_catalogues``) and written to this
host's file too. A :class:`CatalogueBook` gives the running services the
catalogue in force: the latest saved one, else the file's. It asks the database
for the latest saved id (one indexed read) at most every ``check_s`` seconds, so
a catalogue saved through any host of the node applies on every host within
that time, without a restart. (The stay rule's exemptions are the inspector's
configuration: they still apply from the next start.)

``load_catalogues(settings)`` reads ``PASSERELLE_CATALOGUES_FILE`` (default
``HOME/config/catalogues.json``) and parses it
(``passerelle.records.catalogues``). A node without the file at the default place
runs on the defaults: no fixed crossing points, state-neutral decision reasons.
A file named by the setting must exist; a file that cannot be read or used
stops the start with :class:`~passerelle.records.catalogues.InvalidCatalogue`
(a ``ConfigurationError``) naming the file, the field and the reason.
``save_catalogues`` writes it from the administrators' page, checked the same way.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time

from passerelle.node import Node
from passerelle.records.catalogues import (
    DEFAULT_CATALOGUES,
    Catalogues,
    InvalidCatalogue,
    catalogues_json,
    parse_catalogues,
)
from passerelle.settings import Settings
from passerelle.store.audit import Actor
from passerelle.store.saved_catalogues import (
    latest_catalogue,
    latest_catalogue_id,
    store_catalogue,
)

__all__ = ["CatalogueBook", "load_catalogues", "save_catalogues", "saved_catalogues"]

log = logging.getLogger(__name__)


def load_catalogues(settings: Settings) -> Catalogues:
    """The node's catalogues, from its catalogue file or the defaults when there is none."""
    path = settings.effective_catalogues_file
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        if settings.catalogues_file is None:
            return DEFAULT_CATALOGUES
        raise InvalidCatalogue(
            str(path), "(file)", "does not exist (PASSERELLE_CATALOGUES_FILE names it)"
        ) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidCatalogue(str(path), "(file)", f"cannot be read: {exc}") from exc
    return parse_catalogues(text, source=str(path))


def saved_catalogues(node: Node) -> Catalogues:
    """The catalogue saved for the node (through any host), else this host's file's: what
    the administrators' page shows and edits."""
    with node.database.read() as session:
        stored = latest_catalogue(session)
    if stored is None:
        return load_catalogues(node.settings)
    return parse_catalogues(stored.text, source="the catalogue saved in the node's database")


def save_catalogues(node: Node, text: str, *, by: Actor) -> Catalogues:
    """Check ``text`` as the catalogue file is checked at start and, when it passes, write it
    as read (codes upper-cased: ``catalogues_json``) in the node's database (in force on
    every host: :class:`CatalogueBook`) and in place of this host's catalogue file (whole:
    a temporary file renamed over it), audited as ``catalogue.save`` in the same
    transaction (the file's SHA-256, its points and reasons counted).
    :class:`InvalidCatalogue` names the field."""
    path = node.settings.effective_catalogues_file
    saved = parse_catalogues(text, source=str(path))
    text = catalogues_json(saved)
    with node.database.write() as session:
        node.audit.record(
            session,
            actor=by,
            action="catalogue.save",
            at=node.clock(),
            query={"file": str(path)},
            result={
                "sha256": hashlib.sha256(text.encode()).hexdigest(),
                "crossing_points": len(saved.crossing_points),
                "reasons": sum(len(g.reasons) for g in saved.reasons.groups),
            },
        )
        store_catalogue(session, text, at=node.clock(), by=by.name)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".saving")
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)
    return saved


class CatalogueBook:
    """The catalogue in force on this host, kept in step with the one saved for the node.

    Opening it reads the latest saved catalogue, else the host's file (a bad one stops the
    start: :class:`InvalidCatalogue`). :meth:`current` asks the database for the latest
    saved id at most every ``check_s`` seconds and reads the new catalogue when it moved.
    """

    def __init__(self, node: Node, *, check_s: float = 1.0) -> None:
        self._node = node
        self._check_s = check_s
        self._lock = threading.Lock()
        with node.database.read() as session:
            stored = latest_catalogue(session)
        if stored is None:
            self._id, self._catalogues = 0, load_catalogues(node.settings)
        else:
            self._id, self._catalogues = stored.id, self._parse(stored.text)
        self._checked_at = time.monotonic()

    def _parse(self, text: str) -> Catalogues:
        return parse_catalogues(text, source="the catalogue saved in the node's database")

    def current(self) -> Catalogues:
        """The catalogue in force (the latest saved for the node, checked every ``check_s``)."""
        if time.monotonic() - self._checked_at >= self._check_s:
            self.refresh()
        return self._catalogues

    def refresh(self) -> None:
        """Read the latest saved catalogue now, if it is not the one applied."""
        with self._lock:
            self._checked_at = time.monotonic()
            with self._node.database.read() as session:
                if latest_catalogue_id(session) == self._id:
                    return
                stored = latest_catalogue(session)
            if stored is None:
                return
            try:
                catalogues = self._parse(stored.text)
            except InvalidCatalogue as exc:  # checked when saved: only a hand-edited row
                log.error("catalogue.unusable", extra={"id": stored.id, "field": exc.field})
                self._id = stored.id  # the one applied stays; not read again
                return
            self._id, self._catalogues = stored.id, catalogues
            log.info("catalogue.applied", extra={"id": stored.id})
