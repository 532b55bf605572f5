"""Kazakhstan IIN/BIN check digits, and what an IIN encodes."""

from __future__ import annotations

import datetime as dt

import pytest

from finmon.lists.identifiers import (
    iin_birth_date,
    iin_check_digit,
    iin_gender,
    iin_head,
    is_valid_iin_bin,
    kz_number_kind,
)
from finmon.model import Gender

VALID_IINS = ["871008401427", "760212350620", "800416300257", "680503450037"]
VALID_BINS = ["940140000385", "950341000052", "961141000023", "070941024691"]


def spec_check_digit(number: str) -> int | None:
    """The check digit as the reference notes state the rule, written out step by step."""
    first = 0
    for position in range(11):
        first += int(number[position]) * (position + 1)
    if first % 11 != 10:
        return first % 11
    second_weights = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]
    second = 0
    for position in range(11):
        second += int(number[position]) * second_weights[position]
    return None if second % 11 == 10 else second % 11


def alterations(number: str) -> list[str]:
    """Every number that differs from `number` in exactly one digit."""
    return [
        number[:i] + digit + number[i + 1 :]
        for i in range(12)
        for digit in "0123456789"
        if digit != number[i]
    ]


@pytest.mark.parametrize("number", VALID_IINS + VALID_BINS)
def test_reference_examples_are_valid(number: str) -> None:
    assert is_valid_iin_bin(number)


@pytest.mark.parametrize("number", VALID_IINS + VALID_BINS)
def test_every_single_digit_alteration_follows_the_rule(number: str) -> None:
    for altered in alterations(number):
        assert is_valid_iin_bin(altered) == (spec_check_digit(altered) == int(altered[11])), altered


@pytest.mark.parametrize("number", VALID_IINS + VALID_BINS)
def test_the_check_digit_is_the_rules(number: str) -> None:
    assert iin_check_digit(number[:11]) == spec_check_digit(number) == int(number[11])


@pytest.mark.parametrize(
    ("born", "female"),
    [(dt.date(1899, 12, 31), False), (dt.date(1969, 7, 16), True), (dt.date(2004, 2, 29), False)],
)
def test_an_iin_made_from_its_head_encodes_the_date_and_sex(born: dt.date, female: bool) -> None:
    made = []
    for serial in range(20):
        first11 = f"{iin_head(born, female)}{serial:04d}"
        check = iin_check_digit(first11)
        assert check == spec_check_digit(first11 + "0")
        if check is not None:
            made.append(first11 + str(check))
    assert len(made) >= 15
    for iin in made:
        assert is_valid_iin_bin(iin)
        assert iin_birth_date(iin) == born
        assert iin_gender(iin) == (Gender.FEMALE if female else Gender.MALE)


@pytest.mark.parametrize("number", VALID_IINS + VALID_BINS)
def test_a_changed_check_digit_is_always_refused(number: str) -> None:
    changed = [a for a in alterations(number) if a[:11] == number[:11]]
    assert len(changed) == 9
    assert not any(is_valid_iin_bin(a) for a in changed)


@pytest.mark.parametrize("number", VALID_IINS + VALID_BINS)
def test_most_alterations_are_refused(number: str) -> None:
    # The 11th digit has weight 11 (= 0 mod 11) in the first pass, so changing it alone goes
    # unnoticed whenever the first pass decides: a property of the national rule itself.
    others = [a for a in alterations(number) if a[10] == number[10]]
    accepted = [a for a in others if is_valid_iin_bin(a)]
    assert len(accepted) <= len(others) // 10


@pytest.mark.parametrize(
    "number",
    [
        "",
        "87100840142",
        "8710084014270",
        "87100840142a",
        "８７１００８４０１４２７",
        " 871008401427",
    ],
)
def test_malformed_numbers_are_invalid(number: str) -> None:
    assert not is_valid_iin_bin(number)


@pytest.mark.parametrize(
    ("iin", "born", "gender"),
    [
        ("871008401427", dt.date(1987, 10, 8), Gender.FEMALE),
        ("760212350620", dt.date(1976, 2, 12), Gender.MALE),
        ("800416300257", dt.date(1980, 4, 16), Gender.MALE),
        ("680503450037", dt.date(1968, 5, 3), Gender.FEMALE),
    ],
)
def test_iin_encodes_birth_date_and_sex(iin: str, born: dt.date, gender: Gender) -> None:
    assert iin_birth_date(iin) == born
    assert iin_gender(iin) is gender
    assert kz_number_kind(iin) == "iin"


def test_century_digits() -> None:
    assert iin_birth_date("000101100000") == dt.date(1800, 1, 1)
    assert iin_birth_date("000101600000") == dt.date(2000, 1, 1)
    assert iin_gender("000101600000") is Gender.FEMALE
    assert iin_birth_date("000101700000") is None


@pytest.mark.parametrize("number", VALID_BINS)
def test_bins_encode_no_birth_date(number: str) -> None:
    assert iin_birth_date(number) is None
    assert iin_gender(number) is None
    assert kz_number_kind(number) == "bin"


def test_impossible_dates_are_not_iins() -> None:
    assert iin_birth_date("870230400000") is None
    assert kz_number_kind("871340400000") is None
