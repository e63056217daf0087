"""Writing an MRZ from its fields, with every check digit computed (ICAO Doc 9303).

Used for specimens, test corpora and training material; a genuine document's
MRZ comes from its issuer. Values are written as given (upper-case MRZ
characters); names are joined with ``<<`` and padded or cut to the field.
"""

from __future__ import annotations

from passerelle.documents.checksum import check_digit
from passerelle.documents.layouts import LAYOUTS, MrzFormat
from passerelle.exc import InvalidInput

__all__ = ["compose_french_id", "compose_mrz"]


def _pad(value: str, width: int) -> str:
    return value[:width].ljust(width, "<")


def _cd(value: str) -> str:
    return str(check_digit(value))


def compose_mrz(
    fmt: MrzFormat,
    *,
    document_number: str,
    birth_date: str,
    expiry_date: str,
    surname: str,
    given_names: str = "",
    issuing_state: str = "UTO",
    nationality: str | None = None,
    sex: str = "<",
    document_code: str | None = None,
    optional_data: str = "",
    optional_data_2: str = "",
) -> str:
    """The MRZ text (lines joined by newlines) of a document with these fields.

    Dates are ``YYMMDD`` as they stand in the MRZ. A TD1 or TD2 document number
    longer than nine characters overflows into the optional data (Part 5 §4.2.2).

    >>> print(compose_mrz(MrzFormat.TD3, document_number="L898902C3", birth_date="740812",
    ...     expiry_date="120415", surname="ERIKSSON", given_names="ANNA MARIA",
    ...     sex="F", optional_data="ZE184226B"))
    P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<
    L898902C36UTO7408122F1204159ZE184226B<<<<<10
    """
    if fmt not in LAYOUTS or fmt is MrzFormat.FRA_ID:
        raise InvalidInput(
            "format", "choose TD1, TD2, TD3, MRVA or MRVB (compose_french_id writes FRA-ID)"
        )
    layout = LAYOUTS[fmt]
    code = _pad(document_code or layout.first_letters[0], 2)
    state = _pad(issuing_state, 3)
    nation = _pad(nationality if nationality is not None else issuing_state, 3)
    name = surname.replace(" ", "<").replace("-", "<")
    if given_names:
        name += "<<" + given_names.replace(" ", "<").replace("-", "<")
    number_field = _pad(document_number, 9) + _cd(_pad(document_number, 9))
    if len(document_number) > 9:
        if not layout.number_may_overflow:
            raise InvalidInput("document_number", f"a {fmt.value} number has at most 9 characters")
        spill = document_number[9:] + _cd(document_number) + "<"
        number_field = document_number[:9] + "<"
        optional_data = spill + optional_data
    dob = birth_date + _cd(birth_date)
    exp = expiry_date + _cd(expiry_date)
    if fmt is MrzFormat.TD1:
        line1 = code + state + number_field + _pad(optional_data, 15)
        line2 = dob + sex + exp + nation + _pad(optional_data_2, 11)
        line2 += _cd(line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29])
        return "\n".join((line1, line2, _pad(name, 30)))
    width = layout.width
    line1 = code + state + _pad(name, width - 5)
    head = number_field + nation + dob + sex + exp
    if fmt is MrzFormat.TD3:
        personal = _pad(optional_data, 14)
        personal += _cd(personal) if optional_data else "<"
        line2 = head + personal
        line2 += _cd(line2[0:10] + line2[13:20] + line2[21:43])
    elif fmt is MrzFormat.TD2:
        line2 = head + _pad(optional_data, 7)
        line2 += _cd(line2[0:10] + line2[13:20] + line2[21:35])
    else:
        line2 = head + _pad(optional_data, width - 28)
    return f"{line1}\n{line2}"


def compose_french_id(
    *,
    document_number: str,
    birth_date: str,
    surname: str,
    given_names: str = "",
    sex: str = "<",
    office: str = "",
) -> str:
    """The MRZ of France's 1988-2021 national identity card (format ``FRA-ID``).

    ``document_number`` has 12 characters (year and month of issue, department,
    sequence); ``office`` the 6 characters of line 1's department and office.
    Given names are separated by ``<<`` as on the card.

    >>> print(compose_french_id(document_number="940992310285", birth_date="651206",
    ...     surname="BERTHIER", given_names="CORINNE", sex="F"))
    IDFRABERTHIER<<<<<<<<<<<<<<<<<<<<<<<
    9409923102854CORINNE<<<<<<<6512068F4
    """
    if len(document_number) != 12:
        raise InvalidInput("document_number", "a French national card number has 12 characters")
    line1 = "IDFRA" + _pad(surname.replace(" ", "<").replace("-", "<"), 25) + _pad(office, 6)
    given = "<<".join(given_names.replace("-", "<").split())
    line2 = document_number + _cd(document_number) + _pad(given, 14)
    line2 += birth_date + _cd(birth_date) + sex
    return f"{line1}\n{line2}{_cd(line1 + line2)}"
