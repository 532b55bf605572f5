"""Reading OFAC's free-text remarks."""

from __future__ import annotations

import datetime as dt

import pytest

from finmon.lists.ofac_remarks import read_remarks, remark_birth_date
from finmon.model import BirthDate, Gender, Identifier


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12 Jan 1960", BirthDate.exact(dt.date(1960, 1, 12))),
        ("1960", BirthDate.year(1960)),
        ("circa 1955", BirthDate.year(1955, approximate=True)),
        ("1960 to 1962", BirthDate.years(1960, 1962)),
        ("Jan 1960", BirthDate(dt.date(1960, 1, 1), dt.date(1960, 1, 31))),
        ("circa 1963-1965", BirthDate(dt.date(1963, 1, 1), dt.date(1965, 12, 31), True)),
        ("02 Feb 1970 to 05 Mar 1971", BirthDate(dt.date(1970, 2, 2), dt.date(1971, 3, 5))),
        ("Feb 1970 to Apr 1970", BirthDate(dt.date(1970, 2, 1), dt.date(1970, 4, 30))),
        ("Sept 1961", BirthDate(dt.date(1961, 9, 1), dt.date(1961, 9, 30))),
    ],
)
def test_birth_date_forms(text: str, expected: BirthDate) -> None:
    assert remark_birth_date(text) == expected


@pytest.mark.parametrize("text", ["", "unknown", "31 Feb 1960", "1965 to 1960", "12 Foo 1960"])
def test_unreadable_birth_dates(text: str) -> None:
    assert remark_birth_date(text) is None


def test_several_dobs_and_places() -> None:
    facts = read_remarks(
        "DOB 13 May 1965; alt. DOB 13 Apr 1968; alt. DOB 13 Apr 1968; POB Medellin, Colombia; "
        "alt. POB Marinilla, Antioquia, Colombia."
    )
    assert facts.birth_dates == [
        BirthDate.exact(dt.date(1965, 5, 13)),
        BirthDate.exact(dt.date(1968, 4, 13)),
    ]
    assert facts.birth_places == ["Medellin, Colombia", "Marinilla, Antioquia, Colombia"]


def test_nationality_citizenship_and_gender() -> None:
    facts = read_remarks("nationality Korea, North; alt. citizen Russia; Gender Female.")
    assert facts.nationalities == ["KP", "RU"]
    assert facts.gender is Gender.FEMALE


def test_documents() -> None:
    facts = read_remarks(
        "Passport A1234 (Pakistan) issued 19 Feb 2009 expires 18 Feb 2014; "
        "alt. Passport RL 522139 (Lebanon); Passport L289032 issued 22 Aug 2001; "
        "National ID No. 137-582394-9; Cedula No. 7548733 (Colombia); "
        "Identification Number 3194020675 (Ukraine); Identification Number IMO 6114235; "
        "Passport 99 (Narnia)."
    )
    assert facts.identifiers == [
        Identifier("passport", "A1234", "PK", "issued 19 Feb 2009 expires 18 Feb 2014"),
        Identifier("passport", "RL 522139", "LB"),
        Identifier("passport", "L289032", None, "issued 22 Aug 2001"),
        Identifier("national_id", "137-582394-9"),
        Identifier("national_id", "7548733", "CO"),
        Identifier("national_id", "3194020675", "UA"),
        Identifier("imo", "6114235"),
        Identifier("passport", "99", None, "Narnia"),
    ]


def test_aliases_in_remarks() -> None:
    facts = read_remarks("a.k.a. 'ABU HAJIR'; a.k.a. 'ABD-AL-QARIM, Abu'.; f.k.a. 'OSIS'.")
    assert facts.weak_aliases == ["ABU HAJIR", "ABD-AL-QARIM, Abu"]
    assert facts.former_aliases == ["OSIS"]


def test_other_remarks_are_ignored() -> None:
    facts = read_remarks("Linked To: LAZARUS GROUP.; Website http://example.org; -0-")
    assert facts == read_remarks("")
