"""Evidence beyond the name: each feature supports, contradicts, or stays silent."""

from __future__ import annotations

import datetime as dt

from finmon.model import BirthDate, Designation, DesignationName, Gender, Identifier, Party, Schema
from finmon.names import analyse_name
from finmon.names.frequency import information
from finmon.screening.features import (
    BIRTH_DATE_IN_RANGE,
    COMMON_NAME,
    GUESSED_OTHER_SCHEMA,
    Evidence,
    NameFrequency,
    birth_date,
    date_bits,
    gender,
    guessed_schema,
    identifier,
    likely_kind,
    name_commonness,
    nationality,
    schema,
    spelling_information,
)
from finmon.screening.namescore import NameMatch, match_names


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


def _match(query: str, candidate: str, kind: Schema = Schema.PERSON) -> NameMatch:
    return match_names(analyse_name(query), analyse_name(candidate, kind))


def test_a_match_on_common_name_parts_costs_unless_the_birth_day_agrees() -> None:
    frequency = NameFrequency([])
    ivanov = listed(birth_dates=[day("1950-05-12")])
    common = name_commonness(_match("Ivanov Viktor", "Viktor Ivanov"), ivanov, frequency, [])
    rare = name_commonness(
        _match("Zhirinovskii Zebulon", "Zebulon Zhirinovskii"), ivanov, frequency, []
    )
    assert common is not None and common.effect == COMMON_NAME
    assert rare is None
    same_day = birth_date(party(birth_dates=[day("1950-05-12")]), ivanov)
    assert same_day is not None
    match = _match("Ivanov Viktor", "Viktor Ivanov")
    assert name_commonness(match, ivanov, frequency, [same_day]) is None
    in_range = Evidence("birth_date", BIRTH_DATE_IN_RANGE, "within")
    born = [day("1950-07-01")]
    in_month = name_commonness(
        match, listed(birth_dates=[month(1950, 7)]), frequency, [in_range], query_dates=born
    )
    in_year = name_commonness(
        match, listed(birth_dates=[BirthDate.year(1950)]), frequency, [in_range], query_dates=born
    )
    # A listed month agrees by chance for one person in 700, a listed year for one in sixty.
    assert in_month is not None and in_year is not None
    assert COMMON_NAME < in_year.effect < in_month.effect < 0


def test_a_shared_nationality_counts_beside_the_birth_year() -> None:
    frequency = NameFrequency([])
    match = _match("Ivanov Viktor", "Viktor Ivanov")
    ivanov = listed(birth_dates=[BirthDate.year(1950)], nationalities=["RU"])
    born = [day("1950-07-01")]
    in_range = Evidence("birth_date", BIRTH_DATE_IN_RANGE, "within")
    year_only = name_commonness(match, ivanov, frequency, [in_range], query_dates=born)
    shared = nationality(party(nationalities=["RU"]), ivanov)
    other = nationality(party(nationalities=["KZ"]), ivanov)
    assert shared is not None and other is not None
    both = name_commonness(match, ivanov, frequency, [in_range, shared], query_dates=born)
    not_shared = name_commonness(match, ivanov, frequency, [in_range, other], query_dates=born)
    assert year_only is not None and not_shared is not None
    assert not_shared.effect == year_only.effect
    assert both is None or both.effect > year_only.effect


def month(year: int, number: int) -> BirthDate:
    last = dt.date(year + number // 12, number % 12 + 1, 1) - dt.timedelta(days=1)
    return BirthDate(dt.date(year, number, 1), last)


def test_a_birth_date_within_a_wide_range_tells_less_than_within_a_narrow_one() -> None:
    born = [day("1965-06-13")]
    year = date_bits(born, [BirthDate.year(1965)])
    assert 5.5 < year < 6.5  # one person in about sixty
    assert date_bits(born, [BirthDate(dt.date(1965, 6, 1), dt.date(1965, 6, 30))]) > year + 3
    assert date_bits(born, [BirthDate.year(1965), BirthDate.year(1966)]) == year - 1
    assert date_bits(born, [BirthDate.year(1965, approximate=True)]) < year - 1
    # A party's year against a listed year agrees as often as a party's day does.
    assert date_bits([BirthDate.year(1965)], [BirthDate.year(1965)]) == year


def test_parts_common_among_the_list_names_count_as_common() -> None:
    token = analyse_name("Zebulon").tokens[0]
    assert NameFrequency([]).bits(token) > 12
    crowded = NameFrequency([analyse_name("Zebulon Ray")] * 20_000)
    assert crowded.bits(token) == 0.0


def test_the_kind_of_an_unknown_party_is_guessed_from_its_name() -> None:
    assert likely_kind(analyse_name("Ivanov Viktor Petrovich")) is Schema.PERSON
    assert likely_kind(analyse_name("Camille Martinez")) is Schema.PERSON
    assert likely_kind(analyse_name("ТОО «Аптека Байтерек»")) is Schema.ORGANIZATION
    assert likely_kind(analyse_name("CIA. MINERA DAPA S.A.")) is Schema.ORGANIZATION
    assert likely_kind(analyse_name("Global Trading")) is Schema.ORGANIZATION
    assert likely_kind(analyse_name("Maria ag Ahmed")) is not Schema.ORGANIZATION
    assert likely_kind(analyse_name("Anatolia")) is Schema.UNKNOWN


def test_a_person_like_name_of_unknown_kind_costs_against_a_company() -> None:
    company = Designation("ofac", "1", Schema.ORGANIZATION, [DesignationName("CAMILLE MARTINEZ")])
    unknown = Party("c1", ["Camille Martinez"], Schema.UNKNOWN)
    match = _match("Camille Martinez", "CAMILLE MARTINEZ", Schema.ORGANIZATION)
    found = guessed_schema(match, unknown, company)
    assert found is not None and found.effect == GUESSED_OTHER_SCHEMA
    assert guessed_schema(match, party(), company) is None  # a stated kind: schema() decides
    person = listed()
    assert guessed_schema(_match("Camille Martinez", "Camille Martinez"), unknown, person) is None


def test_a_birth_date_says_a_party_of_unknown_kind_is_a_person() -> None:
    # A customer file with no kind column: "Ann Smith", born 1984, against a firm listed as
    # SMOOTH costs what a stated person's kind costs, more than a kind guessed from the name.
    company = Designation("ofac", "1", Schema.ORGANIZATION, [DesignationName("SMOOTH")])
    dated = Party("c1", ["Ann Smith"], Schema.UNKNOWN, birth_dates=[day("1984-05-10")])
    found = schema(dated, company)
    assert found is not None and found.effect == schema(party(), company).effect  # type: ignore[union-attr]
    assert found.effect < GUESSED_OTHER_SCHEMA and "birth date" in found.detail
    assert guessed_schema(_match("Ann Smith", "SMOOTH"), dated, company) is None  # not twice
    # Without a birth date the kind is still unknown: only the guess from the name speaks.
    assert schema(Party("c1", ["Ann Smith"], Schema.UNKNOWN), company) is None
    assert schema(dated, listed()) is None  # a person against a person


def test_a_common_name_listed_without_a_birth_date_costs_whole_against_a_dated_party() -> None:
    # The party's birth date can neither confirm nor clear an undated listing: the name alone.
    match = _match("Ivanov Viktor", "Viktor Ivanov")
    found = name_commonness(match, listed(), NameFrequency([]), [])
    assert found is not None and found.effect == COMMON_NAME
    # Neither side dated: the name is all there is on both sides, and it alerts.
    assert name_commonness(match, listed(), NameFrequency([]), [], query_dated=False) is None
    rare = _match("Zhirinovskii Zebulon", "Zebulon Zhirinovskii")
    assert name_commonness(rare, listed(), NameFrequency([]), []) is None


def test_a_common_name_spelled_like_a_rare_one_is_still_common() -> None:
    # HEMED is rare, but the party's AHMED pairs with it (a consonant skeleton): as many people
    # are named Ahmed as before, so the pair tells what Ahmed tells.
    frequency = NameFrequency([])
    dated = listed(birth_dates=[day("1965-01-01")])
    rare_spelling = name_commonness(_match("Ahmed Ahmed", "Ahmed HEMED"), dated, frequency, [])
    assert rare_spelling is not None and rare_spelling.effect == COMMON_NAME
    rare = name_commonness(_match("Ahmed Hemed", "Ahmed HEMED"), dated, frequency, [])
    assert rare is None or rare.effect > COMMON_NAME


def test_a_given_name_in_arabic_script_is_as_common_as_in_latin() -> None:
    # The table carries fewer people under عثمان than under Usman: the spelling, not the name.
    arabic, latin = analyse_name("عثمان").tokens[0], analyse_name("Usman").tokens[0]
    assert spelling_information(arabic) <= spelling_information(latin)
    assert spelling_information(analyse_name("ابراهيم").tokens[0]) <= 4.0


def test_a_name_read_from_hangul_is_as_common_as_its_usual_romanisation() -> None:
    # 김 reads gim (Revised Romanization): as common as Kim, not as rare as the spelling gim.
    gim = analyse_name("김 민준").tokens[0]
    assert gim.romanised and information(gim.key) > 10
    assert spelling_information(gim) == information("kim")


def test_a_party_part_that_no_listed_name_carries_takes_bits_away_in_every_script() -> None:
    frequency = NameFrequency([])
    names = [analyse_name(n, Schema.PERSON) for n in ("Abdul Baqi BARI", "Abdul BAKI")]
    baqi = listed(birth_dates=[BirthDate.year(1952)])
    in_range = Evidence("birth_date", BIRTH_DATE_IN_RANGE, "within")
    born = [day("1952-06-22")]

    def effect(query: str) -> float:
        found = name_commonness(
            _match(query, "Abdul BAKI"), baqi, frequency, [in_range],
            query_dates=born, listed_names=names,
        )  # fmt: skip
        return 0.0 if found is None else found.effect

    alone = effect("Abdul Baqi")
    # Azimi, which none of the listing's names says, speaks against it in either script.
    for query in ("Abdul Baqi Azimi", "عبدالباقی عظیمی"):
        assert effect(query) < alone - 0.05
    # A part another listed name carries (Bari), or a slip of a listed word, takes nothing.
    assert effect("Abdul Baqi Bari") >= alone
    assert effect("Abzdul Baqi") == effect("Baqi")
    assert effect("Abdul Baqi Bin") == alone  # a particle left as a word names no one
