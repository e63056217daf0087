import pytest

from passerelle.documents import check_digit
from passerelle.documents.checksum import is_check_digit_ok
from passerelle.exc import InvalidInput


@pytest.mark.parametrize(
    ("data", "digit"),
    [("L898902C3", 6), ("740812", 2), ("120415", 9), ("D23145890734", 9), ("<<<<<<", 0)],
)
def test_icao_examples_give_their_published_check_digits(data: str, digit: int) -> None:
    assert check_digit(data) == digit


def test_filler_counts_as_zero_and_letters_count_from_ten() -> None:
    assert check_digit("<") == check_digit("0") == 0
    assert check_digit("A") == (10 * 7) % 10
    assert check_digit("Z") == (35 * 7) % 10


def test_non_mrz_character_is_refused_with_its_reason() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_digit("AB-12")
    assert caught.value.field == "data"
    assert "'-'" in caught.value.reason


def test_check_digit_character_must_be_a_digit() -> None:
    assert is_check_digit_ok("L898902C3", "6")
    assert not is_check_digit_ok("L898902C3", "<")
    assert not is_check_digit_ok("L898902C3", "G")
