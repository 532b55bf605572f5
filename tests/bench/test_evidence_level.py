from __future__ import annotations

import datetime as dt
import re

import pytest

from bench.evidence_level import evidence_bits, level_rule
from finmon.model import BirthDate, Designation, DesignationName, Party, Schema
from finmon.names import analyse_name
from finmon.screening import Screener, features
from finmon.screening import screener as screener_module
from finmon.screening.namescore import match_names


def _ivanov(*dates: BirthDate) -> Designation:
    return Designation(
        "un", "QDi.998", Schema.PERSON, [DesignationName("Viktor IVANOV")], birth_dates=list(dates)
    )


def _born(text: str) -> Party:
    born = BirthDate.exact(dt.date.fromisoformat(text))
    return Party("c1", ["Viktor Ivanov"], Schema.PERSON, birth_dates=[born])


def _commonness(listed: Designation, party: Party) -> features.Evidence | None:
    match = match_names(analyse_name("Viktor Ivanov"), analyse_name("Viktor IVANOV"))
    seen = features.collect_evidence(party, listed)
    return features.name_commonness(
        match, listed, features.NameFrequency([]), seen, query_dates=party.birth_dates
    )


def test_the_bits_read_back_from_the_effect_are_those_the_detail_gives() -> None:
    found = _commonness(_ivanov(BirthDate.year(1952)), _born("1952-04-05"))
    assert found is not None and features.COMMON_NAME < found.effect < 0
    told = re.search(r"(\d+) bits", found.detail)
    assert told is not None and round(evidence_bits(found.effect)) == int(told.group(1))


def test_a_level_sinks_only_a_date_within_a_listed_year_below_it() -> None:
    listed, party = _ivanov(BirthDate.year(1952)), _born("1952-04-05")
    match = match_names(analyse_name("Viktor Ivanov"), analyse_name("Viktor IVANOV"))
    seen = features.collect_evidence(party, listed)
    frequency = features.NameFrequency([])
    as_is = _commonness(listed, party)
    assert as_is is not None
    bits = evidence_bits(as_is.effect)
    below = level_rule(bits + 1)(match, listed, frequency, seen, query_dates=party.birth_dates)
    above = level_rule(bits - 1)(match, listed, frequency, seen, query_dates=party.birth_dates)
    assert below is not None and below.effect < features.COMMON_NAME
    assert above == as_is
    # The same day is not a range: no level touches it.
    same = _ivanov(BirthDate.exact(dt.date(1952, 4, 5)))
    seen_same = features.collect_evidence(party, same)
    assert level_rule(40)(match, same, frequency, seen_same, query_dates=party.birth_dates) is None


def test_a_screener_under_a_level_clears_the_namesake_born_in_the_listed_year(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    screener = Screener([_ivanov(BirthDate.year(1952))])
    party = _born("1952-04-05")
    assert screener.screen(party)  # finmon as it is alerts the namesake
    monkeypatch.setattr(screener_module, "name_commonness", level_rule(28))
    assert not screener.screen(party)
    monkeypatch.setattr(screener_module, "name_commonness", level_rule(None))
    assert screener.screen(party)
