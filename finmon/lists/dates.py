"""Dates as lists write them: ISO days, dd.mm.yyyy, "12 Jan 1960", "Nov. 1973", partial dates."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from finmon.model import BirthDate

MONTHS = {
    name.casefold(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
} | {"sept": 9}

_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_PARTIAL_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_MONTH = r"([A-Za-z]{3,9})\.?"
_DAY_MONTH_YEAR = re.compile(rf"^(\d{{1,2}}) {_MONTH} (\d{{4}})$")
_MONTH_YEAR = re.compile(rf"^{_MONTH},? (\d{{4}})$")
_BETWEEN_MONTHS = re.compile(rf"^between {_MONTH} and {_MONTH} (\d{{4}})$", re.I)


def iso_day(text: str) -> dt.date | None:
    """A YYYY-MM-DD day (a time part is ignored); None when the text is not one."""
    try:
        return dt.date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


def dotted_day(text: str) -> dt.date | None:
    """A dd.mm.yyyy day; None when the text is not one."""
    match = _DOTTED.match(text.strip())
    if not match:
        return None
    day, month, year = (int(g) for g in match.groups())
    return _day(year, month, day)


def any_day(text: str) -> dt.date | None:
    """A day written YYYY-MM-DD or dd.mm.yyyy."""
    return iso_day(text) or dotted_day(text)


def month_range(year: int, month: int) -> BirthDate:
    """Every day of one month."""
    last = calendar.monthrange(year, month)[1]
    return BirthDate(dt.date(year, month, 1), dt.date(year, month, last))


def partial_iso(text: str) -> BirthDate | None:
    """A birth date from "1970", "1970-05" or "1970-05-12" (FollowTheMoney's partial dates)."""
    match = _PARTIAL_ISO.match(text.strip())
    if not match:
        return None
    year = int(match.group(1))
    if match.group(2) is None:
        return _year(year)
    month = int(match.group(2))
    if not 1 <= month <= 12 or year < 1:
        return None
    if match.group(3) is None:
        return month_range(year, month)
    found = _day(year, month, int(match.group(3)))
    return BirthDate.exact(found) if found else None


def written_date(text: str) -> BirthDate | None:
    """A birth date written in words: "12 Jan 1960", "Jan 1960", "Nov. 1973", "1960"."""
    text = " ".join(text.strip().rstrip(".").split())
    if text.isdigit() and len(text) == 4:
        return _year(int(text))
    match = _DAY_MONTH_YEAR.match(text)
    if match:
        month = MONTHS.get(match.group(2).casefold())
        found = _day(int(match.group(3)), month, int(match.group(1))) if month else None
        return BirthDate.exact(found) if found else None
    match = _MONTH_YEAR.match(text)
    month = MONTHS.get(match.group(1).casefold()) if match else None
    if match and month:
        return month_range(int(match.group(2)), month)
    return _between_months(text)


def _between_months(text: str) -> BirthDate | None:
    match = _BETWEEN_MONTHS.match(text)
    if not match:
        return None
    first = MONTHS.get(match.group(1).casefold())
    last = MONTHS.get(match.group(2).casefold())
    if not first or not last or first > last:
        return None
    year = int(match.group(3))
    return BirthDate(month_range(year, first).earliest, month_range(year, last).latest)


def _year(year: int) -> BirthDate | None:
    return BirthDate.year(year) if 1 <= year <= 9999 else None


def _day(year: int, month: int | None, day: int) -> dt.date | None:
    if month is None:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
