"""Birth dates as people, banking systems and spreadsheets write them, never guessed.

A date whose order is ambiguous (05/06/1970) or that does not exist (1974-01-32) is None: the
reader of a file leaves it out of that row and reports it, rather than screen on a guess.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Any

from finmon.model import BirthDate

_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_YEAR_FIRST = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
"""1969-7-16, 1969/07/16: a year first is always followed by the month, however the parts are
written (banking systems and spreadsheets drop leading zeros)."""
_DAY_FIRST = re.compile(r"(\d{1,2})[/-](\d{1,2})[/-](\d{4})")
"""16/06/1969 or 16-06-1969: read only when the first part can only be a day (over 12), since
06/07/1969 may be either order."""
_MONTH = re.compile(r"(\d{4})[-/.](\d{1,2})|(\d{1,2})[./](\d{4})")
"""1969-07, 1969/7 or 07.1969: only the month is known."""
_YEARS = (1800, 2200)
"""A bare number in this range is a year (a spreadsheet keeps 1969 as the number 1969.0)."""
_EXCEL_EPOCH = dt.date(1899, 12, 30)
"""Day 0 of Excel's serial dates (day 60 is its phantom 1900-02-29, so the epoch is the 30th)."""
_EXCEL_DAYS = (_YEARS[1] - _YEARS[0] + 1, 73_415)
"""Serial numbers read as dates: above the years (from 1906-01-09), up to 2100-12-31."""


def parse_birth_date(value: Any) -> BirthDate | None:
    """A cell as a BirthDate: a date, YYYY-MM-DD (also 1969-7-16, 1969/07/16), DD.MM.YYYY (also
    16.6.1969), DD/MM/YYYY when the day is over 12, a month (1969-07, 07.1969), a bare year, or
    a spreadsheet's serial day number; None if unreadable, ambiguous or impossible."""
    if isinstance(value, dt.datetime):
        return BirthDate.exact(value.date())
    if isinstance(value, dt.date):
        return BirthDate.exact(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _number(value)
    text = str(value).strip() if value is not None else ""
    try:
        return _text_date(text)
    except ValueError:
        return None


def _number(value: float) -> BirthDate | None:
    if not float(value).is_integer():
        return None
    number = int(value)
    if _YEARS[0] <= number <= _YEARS[1]:
        return BirthDate.year(number)
    if _EXCEL_DAYS[0] <= number <= _EXCEL_DAYS[1]:
        return BirthDate.exact(_EXCEL_EPOCH + dt.timedelta(days=number))
    return None


def _text_date(text: str) -> BirthDate | None:
    if re.fullmatch(r"\d{4}", text):
        year = int(text)
        return BirthDate.year(year) if _YEARS[0] <= year <= _YEARS[1] else None
    if dotted := _DOTTED.fullmatch(text):
        day, month, year = (int(part) for part in dotted.groups())
        return BirthDate.exact(dt.date(year, month, day))
    if year_first := _YEAR_FIRST.fullmatch(text) or _YEAR_FIRST.fullmatch(text[:10]):
        year, month, day = (int(part) for part in year_first.groups())
        return BirthDate.exact(dt.date(year, month, day))
    day_first = _DAY_FIRST.fullmatch(text)
    if day_first and int(day_first.group(1)) > 12:
        day, month, year = (int(part) for part in day_first.groups())
        return BirthDate.exact(dt.date(year, month, day))
    if day_first:
        return None  # 05/06/1970: either order
    if only_month := _MONTH.fullmatch(text):
        year = int(only_month.group(1) or only_month.group(4))
        month = int(only_month.group(2) or only_month.group(3))
        last = calendar.monthrange(year, month)[1]
        return BirthDate(dt.date(year, month, 1), dt.date(year, month, last))
    return BirthDate.exact(dt.date.fromisoformat(text[:10]))
