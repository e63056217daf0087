"""The node's catalogues (crossing points, decision reasons), read once from their file.

``load_catalogues(settings)`` reads ``PASSERELLE_CATALOGUES_FILE`` (default
``HOME/config/catalogues.json``) and parses it
(``passerelle.records.catalogues``). A node without the file at the default place
runs on the defaults: no fixed crossing points, state-neutral decision reasons.
A file named by the setting must exist; a file that cannot be read or used
stops the start with :class:`~passerelle.records.catalogues.InvalidCatalogue`
(a ``ConfigurationError``) naming the file, the field and the reason.
"""

from __future__ import annotations

from passerelle.records.catalogues import (
    DEFAULT_CATALOGUES,
    Catalogues,
    InvalidCatalogue,
    parse_catalogues,
)
from passerelle.settings import Settings

__all__ = ["load_catalogues"]


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
