"""Watchlist name screening across Arabic script and its Latin spellings.

>>> index = ScreeningIndex.build([
...     ScreenedPerson("MAR-W-1", ("Mohamed Ben Ali", "محمد بن علي"), "1985-03-02", ("MAR",), "M"),
...     ScreenedPerson("MAR-W-2", ("Youssef Zerhouni",), "1979", ("MAR",), "M"),
... ])
>>> [m.id for m in index.screen(NameQuery("BENALI<<MOHAMED", birth_date="1985-03-02"))]
['MAR-W-1']

Every weight of the engine (bits of evidence, spelling similarities, retrieval
limits) is a field of :class:`NameWeights`; ``ScreeningIndex.build(persons,
weights=...)`` takes another set, by default :data:`DEFAULT_WEIGHTS`.
"""

from passerelle.names.compare import DEFAULT_THRESHOLD
from passerelle.names.index import NameMatch, NameQuery, ScreenedPerson, ScreeningIndex
from passerelle.names.parse import NamePart, parse_name
from passerelle.names.weights import DEFAULT_WEIGHTS, NameWeights

__all__ = [
    "DEFAULT_THRESHOLD",
    "DEFAULT_WEIGHTS",
    "NameMatch",
    "NamePart",
    "NameQuery",
    "NameWeights",
    "ScreenedPerson",
    "ScreeningIndex",
    "parse_name",
]
