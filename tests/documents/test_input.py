"""What a reader or an officer types is normalised; what the standard forbids is reported."""

import pytest

from passerelle.documents import FindingCode, MrzFormat, check_mrz, split_documents
from tests.conftest import AS_OF


def test_lower_case_stray_blanks_and_crlf_are_normalised(icao_specimens: dict[str, str]) -> None:
    line1, line2 = icao_specimens["td3"].split("\n")
    messy = f"  {line1.lower()[:20]} {line1.lower()[20:]}\t\r\n\r\n {line2[:10]}  {line2[10:]} \r\n"
    clean = check_mrz(icao_specimens["td3"], as_of=AS_OF)
    assert check_mrz(messy, as_of=AS_OF) == check_mrz(f"{line1}\n{line2}", as_of=AS_OF)
    assert clean.well_formed


def test_whole_mrz_on_one_line_is_split_by_its_length(icao_specimens: dict[str, str]) -> None:
    for name in ("td3", "td1", "td2"):
        joined = icao_specimens[name].replace("\n", "")
        result = check_mrz(joined, as_of=AS_OF)
        assert result.well_formed, name
        assert result == check_mrz(icao_specimens[name], as_of=AS_OF)


def test_empty_input_is_an_unknown_format() -> None:
    result = check_mrz("  \n\n", as_of=AS_OF)
    assert result.format is MrzFormat.UNKNOWN
    assert not result.well_formed
    assert [f.code for f in result.findings] == [FindingCode.UNKNOWN_FORMAT]


def test_unknown_shape_is_refused_with_the_shapes_that_exist() -> None:
    result = check_mrz("ABC\nDEF\nGHI\nJKL", as_of=AS_OF)
    assert result.format is MrzFormat.UNKNOWN
    (finding,) = result.findings
    assert finding.code is FindingCode.UNKNOWN_FORMAT
    assert "2 lines of 44" in finding.message


def test_line_one_character_short_is_a_bad_length_naming_the_line(
    icao_specimens: dict[str, str],
) -> None:
    line1, line2 = icao_specimens["td3"].split("\n")
    result = check_mrz(f"{line1}\n{line2[:-1]}", as_of=AS_OF)
    assert result.format is MrzFormat.TD3
    assert not result.well_formed
    (finding,) = result.findings
    assert (finding.code, finding.field) == (FindingCode.BAD_LENGTH, "line_2")
    assert "43" in finding.message


@pytest.mark.parametrize("char", ["«", "-", "É", ".", "٣"])
def test_non_mrz_character_is_reported_with_its_place(
    icao_specimens: dict[str, str], char: str
) -> None:
    line1, line2 = icao_specimens["td3"].split("\n")
    result = check_mrz(f"{line1}\n{line2[:3]}{char}{line2[4:]}", as_of=AS_OF)
    assert not result.well_formed
    bad = [f for f in result.findings if f.code is FindingCode.BAD_CHARACTER]
    assert bad[0].field == "document_number"
    assert "line 2 position 4" in bad[0].message


def test_digit_in_a_name_is_refused_and_the_lookalike_named(icao_specimens: dict[str, str]) -> None:
    line1, line2 = icao_specimens["td3"].split("\n")
    result = check_mrz(f"{line1.replace('ERIKSSON', 'ERIKSS0N')}\n{line2}", as_of=AS_OF)
    (bad,) = [f for f in result.findings if f.code is FindingCode.BAD_CHARACTER]
    assert bad.field == "surname"
    assert "'O'" in bad.message


def test_passport_layout_with_identity_card_code_is_refused(icao_specimens: dict[str, str]) -> None:
    text = "I" + icao_specimens["td3"][1:]
    result = check_mrz(text, as_of=AS_OF)
    assert not result.well_formed
    assert {(f.code, f.field) for f in result.errors} == {
        (FindingCode.BAD_CHARACTER, "document_code")
    }


@pytest.mark.parametrize(("sex", "says"), [("X", "printed page"), ("Q", "M, F or '<'")])
def test_sex_other_than_m_f_or_filler_is_refused(
    icao_specimens: dict[str, str], sex: str, says: str
) -> None:
    line1, line2 = icao_specimens["td3"].split("\n")
    result = check_mrz(f"{line1}\n{line2[:20]}{sex}{line2[21:]}", as_of=AS_OF)
    (finding,) = result.errors
    assert (finding.code, finding.field) == (FindingCode.BAD_SEX, "sex")
    assert says in finding.message


def test_unknown_state_code_is_refused(icao_specimens: dict[str, str]) -> None:
    line1, line2 = icao_specimens["td3"].split("\n")
    result = check_mrz(f"{line1.replace('UTO', 'UT0')}\n{line2}", as_of=AS_OF)
    (finding,) = result.errors
    assert (finding.code, finding.field) == (FindingCode.UNKNOWN_STATE, "issuing_state")


def test_several_documents_are_separated_by_blank_lines(icao_specimens: dict[str, str]) -> None:
    text = "\n\n".join(icao_specimens.values())
    assert split_documents(text) == list(icao_specimens.values())


def test_bad_character_outside_checked_fields_leaves_check_digits_verified(
    icao_specimens: dict[str, str],
) -> None:
    line1, line2 = icao_specimens["td3"].split("\n")
    result = check_mrz(f"{line1.replace('ANNA', 'AN-A')}\n{line2}", as_of=AS_OF)
    assert [(f.code, f.field) for f in result.errors] == [(FindingCode.BAD_CHARACTER, "name")]
