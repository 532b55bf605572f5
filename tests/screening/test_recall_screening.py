"""Screening finds UN designations from names written in their own script (issue 17, recall)."""

from __future__ import annotations

import pytest

from finmon.lists import parse_files
from finmon.model import Party, Schema
from finmon.screening import DEFAULT_THRESHOLD, Screener
from tests.conftest import shared_file


@pytest.fixture(scope="module")
def un_screener() -> Screener:
    un = parse_files([shared_file("lists/un_consolidated_2026-02-27.xml")])
    return Screener(un.designations, {"un": un.version})


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("리제선", "RI JE-SON"),  # Hangul, family name first
        ("최춘식", "CHOE CHUN-SIK"),
        ("김동명", "KIM TONG MY’ONG"),  # McCune-Reischauer on the list
    ],
)
def test_a_korean_name_in_hangul_finds_its_listing(
    un_screener: Screener, query: str, listed: str
) -> None:
    # A customer's record carries a birth date: the listed one, as a customer who is the listed
    # person would have (a common name alone - Kim is one Korean in five - does not alert).
    listing = next(d for d in un_screener.designations if listed in {n.full for n in d.names})
    hits = un_screener.screen(Party("c1", [query], Schema.PERSON, listing.birth_dates))
    found = {name.full for hit in hits for name in hit.designation.names}
    assert listed in found, [h.matched_name for h in hits]
    assert all(hit.score >= DEFAULT_THRESHOLD for hit in hits)
