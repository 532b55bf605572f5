"""Birth dates as travel documents write them: a two-digit year, and a day or month that may be
unknown (ICAO 9303 fills the unknown parts of a machine-readable zone with '<'; manifests write
them 00). Such a date is the interval of days it may fall on, which screening compares as it does
a list's "born in 1974"."""

from __future__ import annotations

import calendar
import datetime as dt

from finmon.model import BirthDate


def birth_interval(
    year: int, month: int | None, day: int | None, today: dt.date, two_digit: bool
) -> BirthDate:
    """The days a birth date with perhaps an unknown month (the whole year) or day (the whole
    month) may fall on. A two-digit year is in the latest century that does not put the first of
    those days after today. Raises ValueError when it names no calendar date; a day without a
    month is read as the whole year."""
    if two_digit:
        year += today.year // 100 * 100
        if _first(year, month, day) > today:
            year -= 100
    if month is None:
        return BirthDate.year(year)
    if day is None:
        last = calendar.monthrange(year, month)[1]  # ValueError for a month outside 1..12
        return BirthDate(dt.date(year, month, 1), dt.date(year, month, last))
    return BirthDate.exact(dt.date(year, month, day))


def _first(year: int, month: int | None, day: int | None) -> dt.date:
    """The first day the date may fall on, for the century: out-of-range parts clamp (the date is
    checked afterwards)."""
    month = min(max(month or 1, 1), 12)
    day = min(max(day or 1, 1), 28)
    return dt.date(year, month, day)


def yymmdd_form(born: BirthDate) -> str:
    """YYMMDD as a manifest writes a birth date: 00 for an unknown day or month."""
    first, last = born.earliest, born.latest
    if first == last:
        return f"{first:%y%m%d}"
    if (first.month, first.day, last.month, last.day) == (1, 1, 12, 31) and first.year == last.year:
        return f"{first:%y}0000"
    month_end = calendar.monthrange(first.year, first.month)[1]
    if first.day == 1 and (last.year, last.month, last.day) == (first.year, first.month, month_end):
        return f"{first:%y%m}00"
    raise ValueError(f"the birth date {born.label()} is no day, month or year")
