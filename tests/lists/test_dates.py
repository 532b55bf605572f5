"""Date forms lists use."""

from __future__ import annotations

import datetime as dt

import pytest

from finmon.lists.dates import any_day, partial_iso, written_date
from finmon.model import BirthDate


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2001-02-03", dt.date(2001, 2, 3)),
        ("2001-02-03T10:00:00Z", dt.date(2001, 2, 3)),
        ("03.02.2001", dt.date(2001, 2, 3)),
        ("3.2.2001", dt.date(2001, 2, 3)),
        ("31.02.2001", None),
        ("2001", None),
        ("", None),
    ],
)
def test_any_day(text: str, day: dt.date | None) -> None:
    assert any_day(text) == day


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1970", BirthDate.year(1970)),
        ("1970-05", BirthDate(dt.date(1970, 5, 1), dt.date(1970, 5, 31))),
        ("1972-02", BirthDate(dt.date(1972, 2, 1), dt.date(1972, 2, 29))),
        ("1970-05-12", BirthDate.exact(dt.date(1970, 5, 12))),
        ("1970-13", None),
        ("0000", None),
        ("x1970", None),
    ],
)
def test_partial_iso(text: str, expected: BirthDate | None) -> None:
    assert partial_iso(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nov. 1973", BirthDate(dt.date(1973, 11, 1), dt.date(1973, 11, 30))),
        ("12 January 1960", BirthDate.exact(dt.date(1960, 1, 12))),
        ("Between Aug. and Sep. 1977", BirthDate(dt.date(1977, 8, 1), dt.date(1977, 9, 30))),
        ("Between Sep. and Aug. 1977", None),
        ("30-35 years old", None),
    ],
)
def test_written_date(text: str, expected: BirthDate | None) -> None:
    assert written_date(text) == expected
