"""Cutting a laid-out MRZ into its fields (ICAO Doc 9303 Parts 4-7).

Parsing only reads; judging what was read is ``check.py``'s job. The one
subtle rule here is the **long document number** (Part 5 §4.2.2, note j; also
applied to TD2): when a number has more than nine characters, the first nine
fill the number field, its check digit position holds ``<``, and the rest of
the number, then the check digit of the whole number, then a ``<``, open the
optional data field. ``I<UTOD23145890<7349<<<<<<<<<<<`` holds the number
``D23145890734`` with check digit 9. Some issuers (Belgium, Portugal) compute
that check digit over the number *with* the ``<`` at the check digit position
counted; ``filler_counted`` gives the checks of that reading, and ``check.py``
decides when to accept it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from dataclasses import field as dataclass_field
from functools import cache
from operator import itemgetter

from passerelle.documents.checksum import WEIGHTED_VALUES, WEIGHTS
from passerelle.documents.layouts import LAYOUTS, Layout, MrzFormat

__all__ = [
    "DigitCheck",
    "ParsedFields",
    "filler_counted",
    "parse_fields",
    "split_name",
    "weighted_values",
]


@dataclass(frozen=True, slots=True)
class DigitCheck:
    """One check digit: the field it protects, the data it covers, and where it stands.

    ``size`` is the length of the joined MRZ; the derived ``weights`` (offset → 7-3-1
    weight), ``coverage`` (every offset the digit sees, itself included) and the
    gatherer behind ``total`` are computed once, when the check is made.
    """

    field: str
    data: tuple[slice, ...]
    digit: int
    size: int
    empty_may_be_zero: bool = False
    weights: dict[int, int] = dataclass_field(init=False, compare=False, repr=False)
    coverage: frozenset[int] = dataclass_field(init=False, compare=False, repr=False)
    places: list[int] = dataclass_field(init=False, compare=False, repr=False)
    """Where each covered character stands in ``weighted_values`` (its weight's third)."""

    def __post_init__(self) -> None:
        offsets = self.offsets()
        weights = {off: WEIGHTS[i] for i, off in enumerate(offsets)}
        object.__setattr__(self, "weights", weights)
        object.__setattr__(self, "coverage", frozenset([*offsets, self.digit]))
        # weighted_values() lays out the MRZ times 7, then times 3, then times 1.
        places = [(i % 3) * self.size + off for i, off in enumerate(offsets)]
        object.__setattr__(self, "places", places)

    def total(self, weighted: bytes) -> int:
        """A number congruent (mod 10) to the weighted sum, from ``weighted_values(mrz)``."""
        return sum([weighted[place] for place in self.places])

    def offsets(self) -> list[int]:
        return [i for span in self.data for i in range(span.start, span.stop)]

    def read(self, mrz: str) -> str:
        """The characters this check digit covers, in order."""
        data = self.data
        if len(data) == 1:
            return mrz[data[0]]
        return "".join([mrz[span] for span in data])


@dataclass(slots=True)
class ParsedFields:
    """The raw and read values of one MRZ, before any judgement."""

    layout: Layout
    mrz: str
    valid_characters: bool
    """True when the MRZ holds only A-Z, 0-9 and '<'."""
    document_code: str
    issuing_state_raw: str
    number_raw: str
    document_number: str
    number_overflows: bool
    nationality_raw: str
    name_raw: str
    surname: str
    given_names: str
    birth_raw: str
    sex: str
    expiry_raw: str
    optional_data: tuple[str, ...]
    checks: tuple[DigitCheck, ...]
    totals: Callable[[bytes], list[int]]
    """``totals(weighted_values(raw))``: every check's weighted sum (mod 10), in order."""
    number_extra: int = 0
    """How many characters of a long document number spill into the optional data."""


def weighted_values(raw: bytes) -> bytes:
    """The MRZ's character values times 7, then times 3, then times 1 (each mod 10).

    Three C-level translations; a check digit then gathers its characters from
    the right third with one ``itemgetter`` call and sums them, so the five check
    digits of a passport cost a few microseconds.
    """
    t7, t3, t1 = WEIGHTED_VALUES
    return raw.translate(t7) + raw.translate(t3) + raw.translate(t1)


def split_name(name_raw: str) -> tuple[str, str]:
    """Surname and given names of an MRZ name field: ``<<`` separates, ``<`` is a space.

    >>> split_name("ERIKSSON<<ANNA<MARIA<<<<<<<<<<")
    ('ERIKSSON', 'ANNA MARIA')
    """
    primary, _, secondary = name_raw.rstrip("<").partition("<<")
    return primary.replace("<", " ").strip(), secondary.replace("<", " ").strip()


def split_given_names(given_raw: str) -> str:
    """The given names of a field of their own, where ``<<`` or ``<`` separates them.

    >>> split_given_names("HERVE<<DJAMEL<")
    'HERVE DJAMEL'
    """
    return " ".join(given_raw.replace("<", " ").split())


def _standard_checks(layout: Layout, number_check: DigitCheck) -> tuple[DigitCheck, ...]:
    checks = [
        number_check,
        DigitCheck("birth_date", (layout.birth_date,), layout.birth_date_cd, layout.size),
    ]
    if layout.expiry_date is not None and layout.expiry_date_cd is not None:
        checks.append(
            DigitCheck("expiry_date", (layout.expiry_date,), layout.expiry_date_cd, layout.size)
        )
    if layout.optional_data_cd is not None:
        checks.append(
            DigitCheck(
                "optional_data",
                layout.optional_data[:1],
                layout.optional_data_cd,
                layout.size,
                empty_may_be_zero=True,
            )
        )
    if layout.composite_cd is not None:
        checks.append(DigitCheck("composite", layout.composite, layout.composite_cd, layout.size))
    return tuple(checks)


_MRZ_TEXT = re.compile("[A-Z0-9<]*")


def _number_check(layout: Layout) -> DigitCheck:
    return DigitCheck(
        "document_number", (layout.document_number,), layout.document_number_cd, layout.size
    )


def _totals_function(checks: tuple[DigitCheck, ...]) -> Callable[[bytes], list[int]]:
    """One C-level gather for every check digit of a document, then one sum per check."""
    places: list[int] = []
    bounds: list[tuple[int, int]] = []
    for check in checks:
        start = len(places)
        places += check.places
        bounds.append((start, len(places)))
    gather = itemgetter(*places)

    def totals(weighted: bytes) -> list[int]:
        values = gather(weighted)
        return [sum(values[start:stop]) for start, stop in bounds]

    return totals


STANDARD_CHECKS: dict[MrzFormat, tuple[DigitCheck, ...]] = {
    fmt: _standard_checks(layout, _number_check(layout)) for fmt, layout in LAYOUTS.items()
}
_STANDARD_TOTALS = {fmt: _totals_function(checks) for fmt, checks in STANDARD_CHECKS.items()}
"""The check digits of each format when the document number does not overflow."""


def parse_fields(mrz: str, layout: Layout) -> ParsedFields:
    """Read every field of ``mrz`` (lines joined, exact size for ``layout``)."""
    number_span = layout.document_number
    number_raw = mrz[number_span]
    checks = STANDARD_CHECKS[layout.format]
    totals = _STANDARD_TOTALS[layout.format]
    optional = [mrz[span] for span in layout.optional_data]
    overflows = False
    extra = 0
    document_number = number_raw.rstrip("<")
    if (
        layout.number_may_overflow
        and mrz[layout.document_number_cd] == "<"
        and number_raw[-1] != "<"
    ):
        spill = optional[0]
        run = spill.find("<")
        run = len(spill) if run < 0 else run
        if run >= 2:
            overflows = True
            extra = run - 1
            document_number = number_raw + spill[:extra]
            checks, totals = _overflow_checks(layout.format, run - 1)
            optional[0] = spill[run + 1 :]
    name_raw = mrz[layout.name]
    if layout.given_names is None:
        surname, given_names = split_name(name_raw)
    else:
        surname = name_raw.rstrip("<").replace("<", " ").strip()
        given_names = split_given_names(mrz[layout.given_names])
    return ParsedFields(
        layout,
        mrz,
        _MRZ_TEXT.fullmatch(mrz) is not None,
        mrz[0:2],
        mrz[layout.issuing_state],
        number_raw,
        document_number,
        overflows,
        mrz[layout.nationality],
        name_raw,
        surname,
        given_names,
        mrz[layout.birth_date],
        mrz[layout.sex],
        "" if layout.expiry_date is None else mrz[layout.expiry_date],
        tuple([o.strip("<") for o in optional]),
        checks,
        totals,
        extra,
    )


def filler_counted(parsed: ParsedFields) -> ParsedFields:
    """``parsed`` with its long document number's check digit read over the number and the
    ``<`` at the check digit position (the Belgian and Portuguese issuers' computation)."""
    checks, totals = _filler_checks(parsed.layout.format, parsed.number_extra)
    return replace(parsed, checks=checks, totals=totals)


@cache
def _overflow_checks(
    fmt: MrzFormat, extra: int
) -> tuple[tuple[DigitCheck, ...], Callable[[bytes], list[int]]]:
    """The check digits of a document whose number spills ``extra`` characters over."""
    layout = LAYOUTS[fmt]
    first = layout.optional_data[0].start
    number_check = DigitCheck(
        "document_number",
        (layout.document_number, slice(first, first + extra)),
        first + extra,
        layout.size,
    )
    checks = _standard_checks(layout, number_check)
    return checks, _totals_function(checks)


@cache
def _filler_checks(
    fmt: MrzFormat, extra: int
) -> tuple[tuple[DigitCheck, ...], Callable[[bytes], list[int]]]:
    """The check digits of a long number whose check digit counts the filler before the spill."""
    layout = LAYOUTS[fmt]
    first = layout.optional_data[0].start
    cd = layout.document_number_cd
    number_check = DigitCheck(
        "document_number",
        (layout.document_number, slice(cd, cd + 1), slice(first, first + extra)),
        first + extra,
        layout.size,
    )
    checks = _standard_checks(layout, number_check)
    return checks, _totals_function(checks)
