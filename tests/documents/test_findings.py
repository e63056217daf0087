"""Telling misreads from forgeries, and the indicators a second-line examiner acts on."""

from datetime import date

from passerelle.documents import DocumentCheck, FindingCode, MrzFormat, check_digit, check_mrz
from passerelle.documents.compose import compose_mrz
from tests.conftest import AS_OF


def passport(**fields: str) -> str:
    values = {
        "document_number": "UM4731285",
        "birth_date": "850302",
        "expiry_date": "310714",
        "surname": "BENALI",
        "given_names": "MOHAMED",
        "issuing_state": "MAR",
        "sex": "M",
    } | fields
    return compose_mrz(MrzFormat.TD3, **values)


def replace_at(text: str, line: int, position: int, char: str) -> str:
    lines = text.split("\n")
    row = lines[line - 1]
    lines[line - 1] = row[: position - 1] + char + row[position:]
    return "\n".join(lines)


def suspicious(result: DocumentCheck) -> dict[str, str]:
    return {f.field: f.message for f in result.findings if f.code is FindingCode.SUSPICIOUS}


def repairs(result: DocumentCheck) -> list[tuple[int, int, str, str]]:
    return [
        (f.repair.line, f.repair.position, f.repair.read, f.repair.proposed)
        for f in result.findings
        if f.repair is not None
    ]


def test_genuine_looking_passport_has_no_findings() -> None:
    result = check_mrz(passport(), as_of=AS_OF)
    assert result.well_formed
    assert result.findings == ()


def test_o_read_for_zero_in_a_number_is_proposed_as_a_misread_not_applied() -> None:
    misread = replace_at(passport(document_number="UM4701285"), 2, 5, "O")
    result = check_mrz(misread, as_of=AS_OF)
    assert not result.well_formed
    assert result.document_number == "UM47O1285"
    assert repairs(result) == [(2, 5, "O", "0")]
    (finding,) = [f for f in result.findings if f.code is FindingCode.OCR_MISREAD]
    assert finding.field == "document_number"
    assert "rescan" in finding.message


def test_i_read_for_one_in_a_check_digit_is_proposed() -> None:
    number = next(f"UM47312{n:02d}" for n in range(100) if check_digit(f"UM47312{n:02d}") == 1)
    text = passport(document_number=number)
    line2 = text.split("\n")[1]
    assert line2[9] == "1"
    result = check_mrz(replace_at(text, 2, 10, "I"), as_of=AS_OF)
    assert repairs(result) == [(2, 10, "I", "1")]


def test_altered_number_gets_no_misread_explanation() -> None:
    forged = replace_at(passport(), 2, 4, "9")
    result = check_mrz(forged, as_of=AS_OF)
    assert not result.well_formed
    assert repairs(result) == []
    number = next(f for f in result.errors if f.field == "document_number")
    assert "no single reader misread explains it" in number.message


def test_recomputed_field_digits_with_stale_composite_are_a_forgery_indicator() -> None:
    genuine = passport()
    line1, line2 = genuine.split("\n")
    other = passport(document_number="UM4731286").split("\n")[1]
    edited = f"{line1}\n{other[:10]}{line2[10:]}"
    result = check_mrz(edited, as_of=AS_OF)
    assert [(f.code, f.field) for f in result.errors] == [(FindingCode.CHECK_DIGIT, "composite")]
    assert "composite" in suspicious(result)


def test_specimens_are_flagged(icao_specimens: dict[str, str]) -> None:
    found = suspicious(check_mrz(icao_specimens["td3"], as_of=AS_OF))
    assert {"document_number", "issuing_state", "nationality"} <= set(found)
    assert "specimen" in found["document_number"]
    assert "surname" in suspicious(check_mrz(passport(surname="MUSTERMANN"), as_of=AS_OF))


def test_birth_after_expiry_is_flagged() -> None:
    result = check_mrz(passport(birth_date="240101", expiry_date="200101"), as_of=AS_OF)
    assert result.well_formed
    assert "birth_date" in suspicious(result)


def test_expiry_further_ahead_than_any_passport_is_issued_for_is_flagged() -> None:
    far = check_mrz(passport(expiry_date="400101"), as_of=AS_OF)
    assert "expiry_date" in suspicious(far)
    assert "10 years" in suspicious(far)["expiry_date"]
    assert "expiry_date" not in suspicious(check_mrz(passport(expiry_date="361125"), as_of=AS_OF))


def test_filler_inside_a_document_number_is_flagged() -> None:
    result = check_mrz(passport(document_number="UM47<1285"), as_of=AS_OF)
    assert result.well_formed
    assert "document_number" in suspicious(result)
    assert "document_number" not in suspicious(
        check_mrz(passport(document_number="UM47"), as_of=AS_OF)
    )


def test_second_name_separator_and_leading_filler_are_flagged() -> None:
    text = passport()
    line1, line2 = text.split("\n")
    double = line1.replace("<<MOHAMED<<", "<<MOH<<AMED")
    assert "given_names" in suspicious(check_mrz(f"{double}\n{line2}", as_of=AS_OF))
    leading = line1[:5] + "<" + line1[5:-1]
    assert "surname" in suspicious(check_mrz(f"{leading}\n{line2}", as_of=AS_OF))


def test_state_combinations_no_issuer_produces_are_flagged() -> None:
    stateless_issuer = check_mrz(passport(issuing_state="XXA", nationality="SYR"), as_of=AS_OF)
    assert "issuing_state" in suspicious(stateless_issuer)
    british = check_mrz(passport(issuing_state="MAR", nationality="GBN"), as_of=AS_OF)
    assert "nationality" in suspicious(british)
    genuine_bno = check_mrz(passport(issuing_state="GBR", nationality="GBN"), as_of=AS_OF)
    assert suspicious(genuine_bno) == {}
    deu = check_mrz(passport(issuing_state="DEU", nationality="DEU"), as_of=AS_OF)
    assert "issuing_state" in suspicious(deu)
    assert deu.well_formed


def test_stateless_holder_and_refugee_nationalities_are_accepted() -> None:
    for code in ("XXA", "XXB", "XXC", "XXX"):
        result = check_mrz(passport(issuing_state="FRA", nationality=code), as_of=AS_OF)
        assert result.well_formed
        assert suspicious(result) == {}


def test_repeated_and_counting_numbers_are_flagged() -> None:
    assert "document_number" in suspicious(
        check_mrz(passport(document_number="111111111"), as_of=AS_OF)
    )
    assert "document_number" in suspicious(
        check_mrz(passport(document_number="123456789"), as_of=AS_OF)
    )


def test_expired_document_is_a_warning_not_an_error() -> None:
    result = check_mrz(passport(expiry_date="200101"), as_of=date(2026, 1, 1))
    assert result.well_formed
    assert result.expired is True
    assert [f.code for f in result.findings] == [FindingCode.EXPIRED]
