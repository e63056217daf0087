"""Reading each ICAO 9303 format: the published specimens and documents composed like them."""

from datetime import date

import pytest

from passerelle.documents import FindingCode, MrzFormat, check_mrz
from passerelle.documents.compose import compose_mrz
from tests.conftest import AS_OF


def codes(result: object) -> set[str]:
    return {f.code.value for f in result.findings}  # type: ignore[attr-defined]


def test_td3_specimen_reads_every_field(icao_specimens: dict[str, str]) -> None:
    result = check_mrz(icao_specimens["td3"], as_of=AS_OF)
    assert result.as_dict() | {"findings": None} == {
        "format": "TD3",
        "well_formed": True,
        "document_code": "P",
        "issuing_state": "UTO",
        "document_number": "L898902C3",
        "nationality": "UTO",
        "surname": "ERIKSSON",
        "given_names": "ANNA MARIA",
        "birth_date": "1974-08-12",
        "sex": "F",
        "expiry_date": "2012-04-15",
        "optional_data": "ZE184226B",
        "expired": True,
        "findings": None,
    }
    assert codes(result) == {"expired", "suspicious"}


def test_td1_specimen_has_two_optional_data_fields(icao_specimens: dict[str, str]) -> None:
    data = check_mrz(icao_specimens["td1"], as_of=AS_OF).as_dict()
    assert data["format"] == "TD1"
    assert data["well_formed"] is True
    assert data["document_number"] == "D23145890"
    assert (data["optional_data_1"], data["optional_data_2"]) == ("", "")
    assert "optional_data" not in data


def test_td2_specimen_reads(icao_specimens: dict[str, str]) -> None:
    result = check_mrz(icao_specimens["td2"], as_of=AS_OF)
    assert (result.format, result.well_formed, result.document_number) == (
        MrzFormat.TD2,
        True,
        "D23145890",
    )
    assert result.birth_date == date(1974, 8, 12)


@pytest.mark.parametrize(("name", "fmt"), [("mrva", MrzFormat.MRVA), ("mrvb", MrzFormat.MRVB)])
def test_visa_specimens_read_without_composite(
    icao_specimens: dict[str, str], name: str, fmt: MrzFormat
) -> None:
    result = check_mrz(icao_specimens[name], as_of=AS_OF)
    assert result.format is fmt
    assert result.well_formed
    assert result.nationality == "XXX"
    assert result.birth_date == date(1940, 9, 7)
    assert result.expiry_date == date(1996, 12, 10)


def test_td1_long_document_number_is_reported_whole(icao_specimens: dict[str, str]) -> None:
    result = check_mrz(icao_specimens["td1_long_number"], as_of=AS_OF)
    assert result.well_formed
    assert result.document_number == "D23145890734"
    assert result.optional_data_1 == ""


@pytest.mark.parametrize("extra", ["7", "73", "734", "7342", "73421"])
@pytest.mark.parametrize("fmt", [MrzFormat.TD1, MrzFormat.TD2])
def test_long_document_numbers_of_ten_to_fourteen_characters_read(
    fmt: MrzFormat, extra: str
) -> None:
    number = "BE1234567" + extra
    mrz = compose_mrz(
        fmt,
        document_number=number,
        birth_date="900101",
        expiry_date="300101",
        surname="PEETERS",
        given_names="JAN",
        issuing_state="BEL",
        sex="M",
    )
    result = check_mrz(mrz, as_of=AS_OF)
    assert result.well_formed, result.findings
    assert result.document_number == number


def test_long_number_with_wrong_check_digit_is_caught() -> None:
    text = (
        "I<UTOD23145890<7348<<<<<<<<<<<\n"
        "3407127M9507122UTO<<<<<<<<<<<2\n"
        "STEVENSON<<PETER<JOHN<<<<<<<<<"
    )
    result = check_mrz(text, as_of=AS_OF)
    assert not result.well_formed
    assert {(f.code, f.field) for f in result.errors} >= {
        (FindingCode.CHECK_DIGIT, "document_number")
    }


def test_optional_data_after_an_overflowing_number_is_kept() -> None:
    mrz = compose_mrz(
        MrzFormat.TD1,
        document_number="PT12345678AB",
        optional_data="XYZ",
        birth_date="900101",
        expiry_date="300101",
        surname="SILVA",
        issuing_state="PRT",
    )
    result = check_mrz(mrz, as_of=AS_OF)
    assert result.well_formed
    assert (result.document_number, result.optional_data_1) == ("PT12345678AB", "XYZ")


def test_germany_is_read_from_d_and_fillers() -> None:
    mrz = compose_mrz(
        MrzFormat.TD3,
        document_number="C01X01R71",
        birth_date="640812",
        expiry_date="300101",
        surname="SCHMIDT",
        given_names="ERIKA",
        issuing_state="D",
        sex="F",
        document_code="P",
    )
    result = check_mrz(mrz, as_of=AS_OF)
    assert result.well_formed
    assert (result.issuing_state, result.nationality) == ("D", "D")
    assert not result.findings


def test_names_split_at_double_filler_and_fillers_become_spaces() -> None:
    mrz = compose_mrz(
        MrzFormat.TD3,
        document_number="AB1234567",
        birth_date="850302",
        expiry_date="310714",
        surname="EL AMRANI",
        given_names="FATIMA ZAHRA",
        issuing_state="MAR",
        sex="F",
    )
    result = check_mrz(mrz, as_of=AS_OF)
    assert (result.surname, result.given_names) == ("EL AMRANI", "FATIMA ZAHRA")


def test_a_name_without_given_names_reads() -> None:
    mrz = compose_mrz(
        MrzFormat.TD3,
        document_number="AB1234567",
        birth_date="850302",
        expiry_date="310714",
        surname="SUKARNO",
        issuing_state="IDN",
    )
    result = check_mrz(mrz, as_of=AS_OF)
    assert (result.surname, result.given_names, result.well_formed) == ("SUKARNO", "", True)


def test_name_filling_its_whole_field_is_flagged_as_possibly_truncated() -> None:
    mrz = compose_mrz(
        MrzFormat.TD1,
        document_number="AB1234567",
        birth_date="850302",
        expiry_date="310714",
        surname="BENABDELJALIL",
        given_names="MOHAMED AMINE ABDERRAHMANE",
        issuing_state="MAR",
    )
    result = check_mrz(mrz, as_of=AS_OF)
    truncated = [f for f in result.findings if f.code is FindingCode.NAME_TRUNCATED]
    assert result.well_formed
    assert len(truncated) == 1
    assert truncated[0].field == "given_names"


def test_empty_personal_number_may_carry_filler_or_zero_check_digit(
    icao_specimens: dict[str, str],
) -> None:
    base = compose_mrz(
        MrzFormat.TD3,
        document_number="AB1234567",
        birth_date="850302",
        expiry_date="310714",
        surname="BENALI",
        issuing_state="MAR",
    )
    line1, line2 = base.split("\n")
    assert line2[42] == "<"
    with_zero = line2[:42] + "0" + line2[43:]
    assert check_mrz(base, as_of=AS_OF).well_formed
    assert check_mrz(f"{line1}\n{with_zero}", as_of=AS_OF).well_formed


def test_personal_number_check_digit_is_verified(icao_specimens: dict[str, str]) -> None:
    line1, line2 = icao_specimens["td3"].split("\n")
    bad = line2[:42] + "2" + line2[43:]
    result = check_mrz(f"{line1}\n{bad}", as_of=AS_OF)
    assert ("check_digit", "optional_data") in {(f.code.value, f.field) for f in result.errors}


def test_unknown_birth_date_is_well_formed_with_a_finding() -> None:
    mrz = compose_mrz(
        MrzFormat.TD3,
        document_number="AB1234567",
        birth_date="<<<<<<",
        expiry_date="310714",
        surname="DIALLO",
        issuing_state="MLI",
    )
    result = check_mrz(mrz, as_of=AS_OF)
    assert result.well_formed
    assert result.birth_date is None
    assert result.as_dict()["birth_date"] is None
    assert [f.code for f in result.findings] == [FindingCode.UNKNOWN_DATE]


def test_unknown_day_of_birth_gives_null_and_says_what_is_known() -> None:
    mrz = compose_mrz(
        MrzFormat.TD1,
        document_number="AB1234567",
        birth_date="85<<<<",
        expiry_date="310714",
        surname="DIALLO",
        issuing_state="SEN",
    )
    result = check_mrz(mrz, as_of=AS_OF)
    assert result.well_formed
    assert result.birth_date is None
    (finding,) = [f for f in result.findings if f.code is FindingCode.UNKNOWN_DATE]
    assert "1985" in finding.message


def test_expiry_is_judged_as_of_the_given_day(icao_specimens: dict[str, str]) -> None:
    assert check_mrz(icao_specimens["td3"], as_of=date(2012, 4, 15)).expired is False
    assert check_mrz(icao_specimens["td3"], as_of=date(2012, 4, 16)).expired is True
