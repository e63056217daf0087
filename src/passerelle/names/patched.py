"""A large screening index patched with what changed since it was built.

Building the index of millions of persons takes minutes; a person listed or
withdrawn meanwhile must be screened so at once. A :class:`PatchedIndex` answers
as one index over the list as it stands: the *base* (built from the whole list
at some watermark), a small *delta* index of the persons added or changed since
(built from just those, each name part weighed as the base weighs it:
``ScreeningIndex.build(..., scored_as=base)``), and the ids the base must no longer
answer for (withdrawn, expired, or changed: a changed person answers from the
delta). A screen asks both, the base leaving those ids out before its retrieval
ranks its candidates, and keeps the best by score, ties by id: the ranking one
index of the same persons gives.

>>> from passerelle.names import ScreenedPerson, NameQuery
>>> base = ScreeningIndex.build([ScreenedPerson("P1", ("Youssef Zerhouni",), "1979")])
>>> delta = ScreeningIndex.build([ScreenedPerson("P2", ("Youssef Zerhouny",), "1979")],
...                              scored_as=base)
>>> patched = PatchedIndex(base, delta, gone=frozenset({"P1"}))
>>> [m.id for m in patched.screen(NameQuery("ZERHOUNI<<YOUSSEF", "1979"), threshold=0.5)]
['P2']
"""

from __future__ import annotations

import heapq

from passerelle.names.index import NameMatch, NameQuery, ScreeningIndex

__all__ = ["PatchedIndex"]


class PatchedIndex:
    """``base`` less the persons ``gone`` (ids) and those of ``delta``, plus ``delta``."""

    def __init__(
        self, base: ScreeningIndex, delta: ScreeningIndex | None, gone: frozenset[str]
    ) -> None:
        self.base = base
        self.delta = delta
        self.gone = gone
        """Ids the base no longer answers for (the delta's persons among them)."""
        self._dropped = base.numbers_of(gone)

    def __len__(self) -> int:
        """Persons in the delta (the base's count is ``len(base)``)."""
        return 0 if self.delta is None else len(self.delta)

    def screen(self, query: NameQuery, *, top: int = 10, threshold: float = 0.0) -> list[NameMatch]:
        """The persons ``query`` may be, best first: at most ``top``, scores ≥ ``threshold``."""
        found = self.base.screen(query, top=top, threshold=threshold, dropped=self._dropped)
        if self.delta is None:
            return found
        patched = self.delta.screen(query, top=top, threshold=threshold)
        if not patched:
            return found
        return heapq.nsmallest(top, [*found, *patched], key=lambda m: (-m.score, m.id))
