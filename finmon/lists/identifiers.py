"""Kazakhstan's 12-digit identifiers: IIN (individuals) and BIN (businesses).

IIN: YYMMDD birth date, a century-and-sex digit (1/2 = 1800s male/female, 3/4 = 1900s, 5/6 = 2000s),
four serial digits, a check digit. BIN: YYMM registration, a type digit (4 resident legal entity,
5 non-resident, 6 individual entrepreneur), an attribute digit (0-3), five serial digits, a check
digit. The fifth digit tells them apart: it is the first digit of the day (0-3) in an IIN and the
type digit (4-6) in a BIN.
"""

from __future__ import annotations

import datetime as dt

from finmon.model import Gender

_FIRST_WEIGHTS = tuple(range(1, 12))
_SECOND_WEIGHTS = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
_CENTURY = {"1": 1800, "2": 1800, "3": 1900, "4": 1900, "5": 2000, "6": 2000}


def is_valid_iin_bin(number: str) -> bool:
    """True when the number is 12 digits whose last digit is the right check digit."""
    if len(number) != 12 or not number.isascii() or not number.isdigit():
        return False
    return iin_check_digit(number[:11]) == int(number[11])


def iin_check_digit(first11: str) -> int | None:
    """The IIN/BIN check digit of its first eleven digits; None when no digit is valid."""
    digits = [int(ch) for ch in first11]
    check = _weighted(digits, _FIRST_WEIGHTS)
    if check == 10:
        check = _weighted(digits, _SECOND_WEIGHTS)
    return None if check == 10 else check


def iin_head(born: dt.date, female: bool) -> str:
    """An IIN's first seven digits: the birth date and the century-and-sex digit."""
    century = {18: 1, 19: 3, 20: 5}[born.year // 100] + int(female)
    return f"{born:%y%m%d}{century}"


def iin_birth_date(iin: str) -> dt.date | None:
    """The birth date an IIN encodes; None when the number does not encode one."""
    if len(iin) != 12 or not iin.isascii() or not iin.isdigit() or iin[6] not in _CENTURY:
        return None
    try:
        return dt.date(_CENTURY[iin[6]] + int(iin[0:2]), int(iin[2:4]), int(iin[4:6]))
    except ValueError:
        return None


def iin_gender(iin: str) -> Gender | None:
    """The sex an IIN encodes (odd century digit male, even female); None when it encodes none."""
    if iin_birth_date(iin) is None:
        return None
    return Gender.MALE if int(iin[6]) % 2 else Gender.FEMALE


def is_bin_shaped(number: str) -> bool:
    """True when a 12-digit number is laid out as a BIN (valid month, type 4-6, attribute 0-3)."""
    return (
        len(number) == 12
        and number.isascii()
        and number.isdigit()
        and 1 <= int(number[2:4]) <= 12
        and number[4] in "456"
        and number[5] in "0123"
    )


def kz_number_kind(number: str) -> str | None:
    """ "iin" or "bin" by the number's layout (check digit not considered); None for neither."""
    if iin_birth_date(number) is not None:
        return "iin"
    if is_bin_shaped(number):
        return "bin"
    return None


def _weighted(digits: list[int], weights: tuple[int, ...]) -> int:
    return sum(d * w for d, w in zip(digits, weights, strict=False)) % 11
