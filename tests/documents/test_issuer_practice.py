"""Issuers' practice where ICAO 9303 is silent or narrower: accepted, and named by a finding."""

from __future__ import annotations

from datetime import date

from passerelle.documents import (
    DocumentCheck,
    FindingCode,
    MrzFormat,
    Severity,
    check_digit,
    check_mrz,
)
from passerelle.documents.compose import compose_french_id

AS_OF = date(2025, 1, 1)

# PRADO BEL-BO-03003: a Belgian card whose long number's check digit counts the filler.
BELGIAN = (
    "IDBEL000590240<6013<<<<<<<<<<<\n8512017F1311048BEL851201002007\nREINARTZ<<ULRIKE<KATIA<E<<<<<<"
)


def codes(result: DocumentCheck) -> set[tuple[str, str, str]]:
    return {(f.code.value, f.field, f.severity.value) for f in result.findings}


def test_a_long_number_checked_with_the_filler_counted_is_accepted_and_named() -> None:
    result = check_mrz(BELGIAN, as_of=AS_OF)
    assert result.well_formed, result.findings
    assert result.document_number == "000590240601"
    (note,) = [f for f in result.findings if f.code is FindingCode.ISSUER_PRACTICE]
    assert (note.field, note.severity) == ("document_number", Severity.INFO)
    assert "filler" in note.message
    assert "9303" in note.message


def test_a_long_number_checked_the_icao_way_needs_no_note() -> None:
    # ICAO 9303 Part 5's own long-number specimen.
    result = check_mrz(
        "I<UTOD23145890<7349<<<<<<<<<<<\n3407127M9507122UTO<<<<<<<<<<<2\n"
        "STEVENSON<<PETER<JOHN<<<<<<<<<",
        as_of=AS_OF,
    )
    assert result.well_formed
    assert FindingCode.ISSUER_PRACTICE not in {f.code for f in result.findings}


def test_a_long_number_that_neither_reading_explains_is_still_refused() -> None:
    wrong = BELGIAN.replace("<6013<", "<6015<", 1)
    result = check_mrz(wrong, as_of=AS_OF)
    assert not result.well_formed
    assert ("check_digit", "document_number", "error") in codes(result)
    assert FindingCode.ISSUER_PRACTICE not in {f.code for f in result.findings}


def test_a_german_passport_in_the_td2_size_is_a_warning_not_an_error() -> None:
    result = check_mrz(
        "P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<\nC01X00T478D<<6408125F2702283<<<<<<<4", as_of=AS_OF
    )
    assert result.format is MrzFormat.TD2
    assert result.well_formed
    assert ("issuer_practice", "document_code", "warning") in codes(result)


def test_another_state_writing_p_in_the_td2_size_is_refused() -> None:
    result = check_mrz(
        "P<NLDDE<BRUIJN<<WILLEKE<LISELOTTE<<<\nSPECI20142NLD6503101F240309699999999", as_of=AS_OF
    )
    assert not result.well_formed
    assert ("bad_character", "document_code", "error") in codes(result)


def _french_card(surname: str, number: str, given: str, birth: str, sex: str, office: str) -> str:
    return compose_french_id(
        document_number=number,
        birth_date=birth,
        surname=surname,
        given_names=given,
        sex=sex,
        office=office,
    )


def test_the_french_national_card_is_its_own_format_with_its_own_check_digits() -> None:
    mrz = _french_card("DUPONT", "031275012345", "JEAN-PIERRE L", "800101", "M", "750123")
    result = check_mrz(mrz, as_of=AS_OF)
    assert result.format is MrzFormat.FRA_ID
    assert result.well_formed, result.findings
    assert result.document_code == "ID"
    assert (result.issuing_state, result.nationality) == ("FRA", "FRA")
    assert result.document_number == "031275012345"
    assert (result.surname, result.given_names) == ("DUPONT", "JEAN PIERRE L")
    assert result.birth_date == date(1980, 1, 1)
    assert result.optional_data == "750123"
    assert result.expiry_date is None
    assert result.expired is None
    (note,) = [f for f in result.findings if f.field == "expiry_date"]
    assert note.severity is Severity.INFO
    assert "2003-12" in note.message
    assert result.as_dict()["format"] == "FRA-ID"


def test_the_french_card_check_digits_catch_a_changed_line() -> None:
    mrz = _french_card("DUPONT", "031275012345", "JEAN", "800101", "M", "<<<<<<")
    changed = mrz.replace("DUPONT", "DUPONS", 1)
    result = check_mrz(changed, as_of=AS_OF)
    assert not result.well_formed
    assert ("check_digit", "composite", "error") in codes(result)
    born = check_mrz(mrz.replace("800101", "800102", 1), as_of=AS_OF)
    assert ("check_digit", "birth_date", "error") in codes(born)


def test_a_digit_in_a_french_given_name_gets_a_repair_that_keeps_the_composite() -> None:
    # The card was made with the letter: the digit is the reader's.
    good = _french_card("DUPONT", "031275012345", "JOSEPH", "800101", "M", "<<<<<<")
    read = good[:51] + "0" + good[52:]
    result = check_mrz(read, as_of=AS_OF)
    assert not result.well_formed
    assert ("bad_character", "given_names", "error") in codes(result)
    (misread,) = [f for f in result.findings if f.code is FindingCode.OCR_MISREAD]
    assert misread.field == "given_names"
    assert misread.repair is not None
    assert (misread.repair.line, misread.repair.position, misread.repair.proposed) == (2, 15, "O")


def test_an_unknown_state_one_look_alike_from_a_known_code_gets_a_repair() -> None:
    result = check_mrz(
        "IDBEL600001476<9355<<<<<<<<<<<\n1301014F2311207UT0130101987390\nSPECIMEN<<SPECIMEN<<<<<<<<<<<<",
        as_of=AS_OF,
    )
    assert not result.well_formed
    assert ("unknown_state", "nationality", "error") in codes(result)
    (misread,) = [f for f in result.findings if f.code is FindingCode.OCR_MISREAD]
    assert misread.field == "nationality"
    assert "UTO" in misread.message
    assert misread.repair is not None
    assert (misread.repair.line, misread.repair.position, misread.repair.read) == (2, 18, "0")


def test_a_digit_in_a_passport_name_gets_the_letter_it_resembles_as_a_repair() -> None:
    result = check_mrz(
        "P<UTOERIKSS0N<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10",
        as_of=AS_OF,
    )
    assert not result.well_formed
    (misread,) = [f for f in result.findings if f.code is FindingCode.OCR_MISREAD]
    assert misread.field == "surname"
    assert misread.repair is not None
    assert misread.repair.proposed == "O"


def test_two_digits_in_a_name_get_no_repair() -> None:
    result = check_mrz(
        "P<UTOER1KSS0N<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10",
        as_of=AS_OF,
    )
    assert FindingCode.OCR_MISREAD not in {f.code for f in result.findings}


def test_a_long_number_with_a_leading_filler_is_read_whole_and_flagged() -> None:
    head = "<AB123456"
    digit = check_digit(head + "<" + "78")
    line1 = f"IDBEL{head}<78{digit}<".ljust(30, "<")
    line2 = "8001014F3012316BEL<<<<<<<<<<<"
    line2 += str(check_digit(line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29]))
    result = check_mrz(f"{line1}\n{line2}\nDUPONT<<JEAN".ljust(90 + 2, "<"), as_of=AS_OF)
    assert result.well_formed, result.findings
    assert result.document_number == "<AB12345678"
    assert ("issuer_practice", "document_number", "info") in codes(result)
    assert ("suspicious", "document_number", "warning") in codes(result)
