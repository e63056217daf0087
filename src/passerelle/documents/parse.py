"""Cutting a laid-out MRZ into its fields (ICAO Doc 9303 Parts 4-7).

Parsing only reads; judging what was read is ``check.py``'s job. The one
subtle rule here is the **long document number** (Part 5 §4.2.2, note j; also
applied to TD2): when a number has more than nine characters, the first nine
fill the number field, its check digit position holds ``<``, and the rest of
the number, then the check digit of the whole number, then a ``<``, open the
optional data field. ``I<UTOD23145890<7349<<<<<<<<<<<`` holds the number
``D23145890734`` with check digit 9.
"""

from __future__ import annotations

from dataclasses import dataclass

from passerelle.documents.layouts import Layout, MrzFormat

__all__ = ["DigitCheck", "ParsedFields", "parse_fields", "split_name"]


@dataclass(frozen=True, slots=True)
class DigitCheck:
    """One check digit: the field it protects, the data it covers, and where it stands."""

    field: str
    data: tuple[slice, ...]
    digit: int
    empty_may_be_zero: bool = False

    def offsets(self) -> list[int]:
        return [i for span in self.data for i in range(span.start, span.stop)]


@dataclass(frozen=True, slots=True)
class ParsedFields:
    """The raw and read values of one MRZ, before any judgement."""

    layout: Layout
    mrz: str
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


def split_name(name_raw: str) -> tuple[str, str]:
    """Surname and given names of an MRZ name field: ``<<`` separates, ``<`` is a space.

    >>> split_name("ERIKSSON<<ANNA<MARIA<<<<<<<<<<")
    ('ERIKSSON', 'ANNA MARIA')
    """
    primary, _, secondary = name_raw.rstrip("<").partition("<<")
    return primary.replace("<", " ").strip(), secondary.replace("<", " ").strip()


def _standard_checks(layout: Layout, number_check: DigitCheck) -> tuple[DigitCheck, ...]:
    checks = [
        number_check,
        DigitCheck("birth_date", (layout.birth_date,), layout.birth_date_cd),
        DigitCheck("expiry_date", (layout.expiry_date,), layout.expiry_date_cd),
    ]
    if layout.optional_data_cd is not None:
        checks.append(
            DigitCheck(
                "optional_data",
                layout.optional_data[:1],
                layout.optional_data_cd,
                empty_may_be_zero=True,
            )
        )
    if layout.composite_cd is not None:
        checks.append(DigitCheck("composite", layout.composite, layout.composite_cd))
    return tuple(checks)


def parse_fields(mrz: str, layout: Layout) -> ParsedFields:
    """Read every field of ``mrz`` (lines joined, exact size for ``layout``)."""
    number_span = layout.document_number
    number_raw = mrz[number_span]
    number_check = DigitCheck("document_number", (number_span,), layout.document_number_cd)
    optional = [mrz[span] for span in layout.optional_data]
    overflows = False
    document_number = number_raw.rstrip("<")
    if (
        layout.number_may_overflow
        and mrz[layout.document_number_cd] == "<"
        and "<" not in number_raw
    ):
        first = layout.optional_data[0]
        spill = optional[0]
        run = spill.find("<")
        run = len(spill) if run < 0 else run
        if run >= 2:
            overflows = True
            document_number = number_raw + spill[: run - 1]
            number_check = DigitCheck(
                "document_number",
                (number_span, slice(first.start, first.start + run - 1)),
                first.start + run - 1,
            )
            optional[0] = spill[run + 1 :]
    surname, given_names = split_name(mrz[layout.name])
    return ParsedFields(
        layout=layout,
        mrz=mrz,
        document_code=mrz[0:2],
        issuing_state_raw=mrz[layout.issuing_state],
        number_raw=number_raw,
        document_number=document_number,
        number_overflows=overflows,
        nationality_raw=mrz[layout.nationality],
        name_raw=mrz[layout.name],
        surname=surname,
        given_names=given_names,
        birth_raw=mrz[layout.birth_date],
        sex=mrz[layout.sex],
        expiry_raw=mrz[layout.expiry_date],
        optional_data=tuple(o.strip("<") for o in optional),
        checks=_standard_checks(layout, number_check),
    )


def is_td1(layout: Layout) -> bool:
    return layout.format is MrzFormat.TD1
