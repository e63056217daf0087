"""Errors raised by Passerelle.

Every error carries what went wrong in words an operator understands; errors
about input name the field and the reason::

    PasserelleError
    ├── InvalidInput(field, reason)          bad value given by a user or a file
    │   ├── InvalidDocument(field, reason)   a travel document that is not well formed
    │   └── NotFound(field, reason)          the id given names nothing on this node
    └── ConfigurationError                   settings that cannot be used
        └── InvalidCatalogue(source, field, reason)
                                             a catalogue file (crossing points, decision
                                             reasons) that cannot be used
                                             (``records.catalogues``)

A reason an officer's page shows (a photo the face check cannot use, a chip's part that
cannot be read) may be given worded (an ``i18n.wording.Wording``): its English is the
``reason``, and ``wording`` keeps it for a page to write in its reader's language.

Foreign errors (drivers, parsers) are translated at the boundary with
``raise X(...) from exc``. A field name the sender chose (an unknown key) is named
through :func:`shown_field_name`, never as given.
"""

from __future__ import annotations

import re
from typing import Any, Protocol

__all__ = [
    "ConfigurationError",
    "InvalidDocument",
    "InvalidInput",
    "NotFound",
    "PasserelleError",
    "Worded",
    "shown_field_name",
]


class Worded(Protocol):
    """A reason worded for the pages (``passerelle.i18n.wording.Wording``, which this
    module, below it, does not import): its English and its stored form."""

    @property
    def english(self) -> str: ...

    def as_dict(self) -> dict[str, Any]: ...


class PasserelleError(Exception):
    """Base for every error this package raises."""


class InvalidInput(PasserelleError):
    """A value given to Passerelle is unusable; ``field`` names it, ``reason`` says why."""

    def __init__(self, field: str, reason: str | Worded) -> None:
        text = reason if isinstance(reason, str) else reason.english
        super().__init__(f"{field}: {text}")
        self.field = field
        self.reason = text
        self.wording: Worded | None = None if isinstance(reason, str) else reason
        """The reason worded for a page, when the raiser worded it."""

    def named(self, field: str) -> InvalidInput:
        """The same refusal naming ``field`` (a worker's ``image`` is the request's
        ``fingerprints[1].image``), its wording kept."""
        return InvalidInput(field, self.wording if self.wording is not None else self.reason)


class InvalidDocument(InvalidInput):
    """A travel document's MRZ is not well formed (ICAO Doc 9303)."""


class NotFound(InvalidInput):
    """An id given (an alert's, an inspection's) names nothing on this node."""


class ConfigurationError(PasserelleError):
    """The node's settings cannot be used as given."""


_PLAIN_FIELD = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]{0,63}")


def shown_field_name(name: str) -> str:
    """A field name the sender chose, fit to name it in a refusal: as given when it is a
    plain name, else quoted, its invisible characters escaped, cut to 32 characters.

    >>> shown_field_name("birth_date"), shown_field_name("")
    ('birth_date', "''")
    >>> print(shown_field_name("x\\u202e"))
    'x\\u202e'
    """
    if _PLAIN_FIELD.fullmatch(name):
        return name
    escaped = ascii(name)[1:-1]
    return f"'{escaped[:32]}...'" if len(escaped) > 32 else f"'{escaped}'"
