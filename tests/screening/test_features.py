"""Evidence beyond the name: each feature supports, contradicts, or stays silent."""

from __future__ import annotations

import datetime as dt

from finmon.model import BirthDate, Designation, DesignationName, Gender, Identifier, Party, Schema
from finmon.screening.features import birth_date, gender, identifier, nationality, schema


def listed(**fields: object) -> Designation:
    return Designation("un", "QDi.999", Schema.PERSON, [DesignationName("Test Person")], **fields)  # type: ignore[arg-type]


def party(**fields: object) -> Party:
    return Party("c1", ["Test Person"], Schema.PERSON, **fields)  # type: ignore[arg-type]


def day(text: str) -> BirthDate:
    return BirthDate.exact(dt.date.fromisoformat(text))


def test_same_birth_day_supports_most() -> None:
    same = birth_date(
        party(birth_dates=[day("1971-05-03")]), listed(birth_dates=[day("1971-05-03")])
    )
    within = birth_date(
        party(birth_dates=[day("1971-05-03")]), listed(birth_dates=[BirthDate.year(1971)])
    )
    assert same is not None and within is not None
    assert same.effect > within.effect > 0


def test_birth_dates_far_apart_contradict() -> None:
    near = birth_date(
        party(birth_dates=[day("1972-01-10")]), listed(birth_dates=[BirthDate.year(1971)])
    )
    far = birth_date(
        party(birth_dates=[day("1985-01-10")]), listed(birth_dates=[BirthDate.year(1971)])
    )
    assert near is not None and far is not None
    assert far.effect < near.effect < 0
    assert "years apart" in far.detail


def test_approximate_dates_get_a_year_of_slack() -> None:
    about = listed(birth_dates=[BirthDate.year(1960, approximate=True)])
    evidence = birth_date(party(birth_dates=[day("1961-06-01")]), about)
    assert evidence is not None and evidence.effect > 0


def test_range_overlap_and_swapped_day_month() -> None:
    ranged = listed(birth_dates=[BirthDate.years(1960, 1965)])
    assert birth_date(party(birth_dates=[BirthDate.year(1963)]), ranged).effect > 0  # type: ignore[union-attr]
    swapped = birth_date(
        party(birth_dates=[day("1971-03-05")]), listed(birth_dates=[day("1971-05-03")])
    )
    assert swapped is not None and swapped.detail == "day and month swapped"


def test_silent_when_one_side_has_no_date() -> None:
    assert birth_date(party(), listed(birth_dates=[BirthDate.year(1971)])) is None


def test_nationality_accepts_names_and_codes() -> None:
    shared = nationality(party(nationalities=["Kazakhstan"]), listed(nationalities=["KZ", "RU"]))
    other = nationality(party(nationalities=["fr"]), listed(nationalities=["KZ"]))
    assert shared is not None and shared.effect > 0
    assert other is not None and other.effect < 0


def test_gender_and_schema_mismatch_penalise() -> None:
    assert gender(party(gender=Gender.FEMALE), listed(gender=Gender.MALE)).effect < 0  # type: ignore[union-attr]
    assert gender(party(gender=Gender.MALE), listed(gender=Gender.MALE)) is None
    company = Party("c2", ["X"], Schema.ORGANIZATION)
    assert schema(company, listed()).effect < 0  # type: ignore[union-attr]


def test_same_document_number_is_decisive_in_any_format() -> None:
    doc = listed(identifiers=[Identifier("passport", "N 1234567", "KZ")])
    evidence = identifier(party(identifiers=[Identifier("passport", "n1234567")]), doc)
    assert evidence is not None and evidence.decisive


def test_different_iins_contradict_but_short_numbers_do_not_decide() -> None:
    ours = party(identifiers=[Identifier("iin", "871008401427")])
    theirs = listed(identifiers=[Identifier("iin", "760212350620")])
    evidence = identifier(ours, theirs)
    assert evidence is not None and evidence.effect < 0 and not evidence.decisive
    short = identifier(
        party(identifiers=[Identifier("passport", "123")]),
        listed(identifiers=[Identifier("passport", "123")]),
    )
    assert short is None
