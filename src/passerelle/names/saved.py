"""Value objects a saved screening index holds: pickled as their fields, in order.

A saved index of a million persons holds millions of name parts, items, dates and
persons. A frozen dataclass with slots is pickled through dataclasses' generic
``__setstate__``, which looks its fields up again for every object: most of the
time a node took to load a saved index. :class:`SavedAsFields` pickles an object as
its class and its field values, and loads it by calling the class, three times
as fast.
"""

from __future__ import annotations

from typing import Any

__all__ = ["SavedAsFields"]


class SavedAsFields:
    """Base of a ``@dataclass(frozen=True, slots=True)`` whose fields are all ``__init__``
    arguments: pickled as ``(class, field values)``."""

    __slots__ = ()

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        fields: tuple[str, ...] = type(self).__slots__  # the dataclass's: its fields, in order
        return type(self), tuple(getattr(self, name) for name in fields)
