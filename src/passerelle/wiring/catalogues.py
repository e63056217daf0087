"""The node's catalogues (crossing points, decision reasons), read once from their file.

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
import os

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

__all__ = ["load_catalogues", "save_catalogues"]


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


def save_catalogues(node: Node, text: str, *, by: Actor) -> Catalogues:
    """Check ``text`` as the catalogue file is checked at start and, when it passes, write it
    as read (codes upper-cased: ``catalogues_json``) in place of the node's catalogue file
    (whole: a temporary file renamed over it), audited
    as ``catalogue.save`` in the same transaction (the file's SHA-256, its points and
    reasons counted). The running services keep the catalogue they were started with: the
    node's next start reads the new one. :class:`InvalidCatalogue` names the field."""
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
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".saving")
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)
    return saved
