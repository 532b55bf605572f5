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
_YEAR_MARK = re.compile(r"\s*(?:г|гг|года|ж)\.?\s*$", re.IGNORECASE)
_MIDNIGHT = re.compile(r"(?<=\d)(?:T|\s+)0?0:00(?::00(?:\.0+)?)?(?:Z|[+-]00:?00)?$")
"""A time of midnight after a date, as spreadsheets and databases export a date column
(16.06.1969 0:00:00, 1969-06-16T00:00:00): the date. Any other time is not a birth date's."""
"""The word for year that Russian (16.06.1969 г.) and Kazakh (1969 ж.) put after a date."""
_WORD = re.compile(r"\d+|[^\W\d_]+")
_FILLERS = frozenset(
    {"г", "гг", "года", "год", "ж", "жыл", "жылы", "жылғы", "of", "st", "nd", "rd", "th"}
)
"""Words around a date with its month named that say nothing more (16th of June, 1969 жылғы)."""
_MONTH_NAMES = (
    "january february march april may june july august september october november december",
    "jan feb mar apr may jun jul aug sep oct nov dec",
    "январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь",
    "января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
    "янв фев мар апр мая июн июл авг сен окт ноя дек",
    "қаңтар ақпан наурыз сәуір мамыр маусым шілде тамыз қыркүйек қазан қараша желтоқсан",
)
_MONTHS = {
    name: number for names in _MONTH_NAMES for number, name in enumerate(names.split(), start=1)
} | {"sept": 9, "сент": 9}
"""Months by name in English, Russian (nominative, genitive, short) and Kazakh."""


def parse_birth_date(value: Any) -> BirthDate | None:
    """A cell as a BirthDate: a date, YYYY-MM-DD (also 1969-7-16, 1969/07/16), DD.MM.YYYY (also
    16.6.1969), DD/MM/YYYY when the day is over 12, a month (1969-07, 07.1969), a bare year, a
    month named in English, Russian or Kazakh with its year and day (16 June 1969, 16-Jun-1969,
    June 16, 1969, 16 июня 1969 г., 1969 ж. 16 маусым) or without a day, or a spreadsheet's
    serial day number; the word for year after a date (г., ж.) is read past. None if unreadable,
    ambiguous (a year of two digits) or impossible."""
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
    text = _YEAR_MARK.sub("", _MIDNIGHT.sub("", text))
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
    if re.search(r"[^\W\d_]", text):
        return _named_month(text)
    return BirthDate.exact(dt.date.fromisoformat(text[:10]))


def _named_month(text: str) -> BirthDate | None:
    """A date with its month named: one month, one year of four digits, at most one day, and no
    other word; in any order, since the name tells the month from the day."""
    months: list[int] = []
    years: list[int] = []
    days: list[int] = []
    for word in _WORD.findall(text.lower()):
        if word.isdigit():
            (years if len(word) == 4 else days).append(int(word))
        elif word in _MONTHS:
            months.append(_MONTHS[word])
        elif word not in _FILLERS:
            return None
    if len(months) != 1 or len(years) != 1 or len(days) > 1:
        return None
    (month,), (year,) = months, years
    if not _YEARS[0] <= year <= _YEARS[1]:
        return None
    if days:
        return BirthDate.exact(dt.date(year, month, days[0]))
    return BirthDate(
        dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
    )
