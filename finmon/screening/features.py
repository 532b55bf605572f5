"""Evidence beyond the name: birth date, nationality, gender, kind of party, identifiers.

Each feature is a small pure function that returns an Evidence (what it saw on both sides and the
effect on the score) or None when one side says nothing. An exact identifier hit is decisive.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from finmon.countries import to_iso2
from finmon.model import BirthDate, Designation, Party, Schema

SAME_BIRTH_DAY = 0.12
BIRTH_DATE_IN_RANGE = 0.06
BIRTH_DATE_NEAR = -0.08
BIRTH_DATE_CONFLICT = -0.2
DAY_MONTH_SWAPPED = -0.02
SAME_NATIONALITY = 0.03
OTHER_NATIONALITY = -0.05
OTHER_GENDER = -0.12
OTHER_SCHEMA = -0.25
OTHER_NATIONAL_ID = -0.3
MAX_SUPPORT = SAME_BIRTH_DAY + SAME_NATIONALITY
"""The most that evidence other than an identifier can add to a name score."""


def most_support(party: Party, listed: Designation) -> float:
    """The most that evidence other than an identifier can add to a name score for this pair:
    a feature adds only where both sides say something (see MAX_SUPPORT)."""
    found = SAME_BIRTH_DAY if party.birth_dates and listed.birth_dates else 0.0
    if party.nationalities and listed.nationalities:
        found += SAME_NATIONALITY
    return found


_APPROXIMATE_SLACK = dt.timedelta(days=366)
_ALNUM = re.compile(r"[^0-9A-Z]")
_NATIONAL_KINDS = frozenset({"iin", "bin", "national_id"})


@dataclass(slots=True, frozen=True)
class Evidence:
    """What one feature saw, and how it moved the score."""

    feature: str
    effect: float
    detail: str
    query: str | None = None
    candidate: str | None = None
    decisive: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        data: dict[str, Any] = {
            "feature": self.feature,
            "effect": round(self.effect, 4),
            "detail": self.detail,
            "query": self.query,
            "candidate": self.candidate,
        }
        if self.decisive:
            data["decisive"] = True
        return data


def birth_date(party: Party, listed: Designation) -> Evidence | None:
    """Support when birth dates overlap; a penalty growing with the gap when they do not."""
    if not party.birth_dates or not listed.birth_dates:
        return None
    query = ", ".join(b.label() for b in party.birth_dates)
    candidate = ", ".join(b.label() for b in listed.birth_dates)
    best = max(
        (_date_effect(q, c) for q in party.birth_dates for c in listed.birth_dates),
        key=lambda pair: pair[0],
    )
    return Evidence("birth_date", best[0], best[1], query, candidate)


def _date_effect(query: BirthDate, listed: BirthDate) -> tuple[float, str]:
    if query.is_exact and listed.is_exact and query.earliest == listed.earliest:
        return SAME_BIRTH_DAY, "same birth date"
    low, high = _widened(listed)
    if query.earliest <= high and low <= query.latest:
        return BIRTH_DATE_IN_RANGE, "birth date within the listed date or range"
    if query.is_exact and listed.is_exact and _swapped(query.earliest, listed.earliest):
        return DAY_MONTH_SWAPPED, "day and month swapped"
    gap = min(abs((query.earliest - high).days), abs((low - query.latest).days))
    if gap <= 366:
        return BIRTH_DATE_NEAR, f"birth dates {gap} days apart"
    return BIRTH_DATE_CONFLICT, f"birth dates {gap // 365} years apart"


def _widened(date: BirthDate) -> tuple[dt.date, dt.date]:
    if not date.approximate:
        return date.earliest, date.latest
    return date.earliest - _APPROXIMATE_SLACK, date.latest + _APPROXIMATE_SLACK


def _swapped(a: dt.date, b: dt.date) -> bool:
    return a.year == b.year and a.month == b.day and a.day == b.month


def nationality(party: Party, listed: Designation) -> Evidence | None:
    """Small support for a shared nationality, a small penalty for none shared."""
    ours = {code for code in map(_country, party.nationalities) if code}
    if not ours or not listed.nationalities:
        return None
    query, candidate = ", ".join(sorted(ours)), ", ".join(listed.nationalities)
    if ours & set(listed.nationalities):
        return Evidence("nationality", SAME_NATIONALITY, "nationality shared", query, candidate)
    return Evidence("nationality", OTHER_NATIONALITY, "no nationality shared", query, candidate)


def _country(text: str) -> str | None:
    """A party's nationality as ISO alpha-2; short values are read as codes in any case."""
    text = text.strip()
    return to_iso2(text.upper() if len(text) in (2, 3) else text)


def gender(party: Party, listed: Designation) -> Evidence | None:
    """A penalty when both sides state different genders."""
    if party.gender is None or listed.gender is None or party.gender is listed.gender:
        return None
    return Evidence("gender", OTHER_GENDER, "different gender", party.gender, listed.gender)


def schema(party: Party, listed: Designation) -> Evidence | None:
    """A penalty when a person is compared with an organisation, vessel or aircraft."""
    if Schema.UNKNOWN in (party.schema, listed.schema) or party.schema is listed.schema:
        return None
    return Evidence("schema", OTHER_SCHEMA, "different kind of party", party.schema, listed.schema)


def identifier(party: Party, listed: Designation) -> Evidence | None:
    """Decisive when a document or registry number is the same; a penalty when IINs differ."""
    listed_numbers = {
        _number(i.number): i for i in listed.identifiers if len(_number(i.number)) >= 5
    }
    for ident in party.identifiers:
        number = _number(ident.number)
        if number in listed_numbers:
            hit = listed_numbers[number]
            detail = f"same {hit.kind} number"
            return Evidence("identifier", 1.0, detail, ident.number, hit.number, decisive=True)
    return _national_id_conflict(party, listed)


def _national_id_conflict(party: Party, listed: Designation) -> Evidence | None:
    ours = {(i.kind, _number(i.number)) for i in party.identifiers if i.kind in _NATIONAL_KINDS}
    theirs = {(i.kind, _number(i.number)) for i in listed.identifiers if i.kind in _NATIONAL_KINDS}
    kinds = {k for k, _ in ours} & {k for k, _ in theirs}
    if not kinds:
        return None
    query = ", ".join(n for _, n in sorted(ours))
    candidate = ", ".join(n for _, n in sorted(theirs))
    return Evidence("identifier", OTHER_NATIONAL_ID, "different national ID", query, candidate)


def _number(text: str) -> str:
    return _ALNUM.sub("", text.upper())


FEATURES: Sequence[Callable[[Party, Designation], Evidence | None]] = (
    identifier,
    birth_date,
    nationality,
    gender,
    schema,
)


def collect_evidence(party: Party, listed: Designation) -> list[Evidence]:
    """Every feature that has something to say about this pair."""
    return [e for e in (feature(party, listed) for feature in FEATURES) if e is not None]
