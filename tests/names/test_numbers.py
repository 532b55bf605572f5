"""Numbers in names: digits, ordinals, number words and Roman numerals share one key."""

from __future__ import annotations

from finmon.model import Schema
from finmon.names import TokenKind, analyse_name
from finmon.names.numbers import read_numbers, roman_value
from finmon.screening import DEFAULT_THRESHOLD, compare_names


def numbers(name: str, schema: Schema = Schema.ORGANIZATION) -> list[str]:
    return [t.key for t in analyse_name(name, schema).tokens if t.kind is TokenKind.NUMBER]


def test_words_ordinals_and_digits_read_as_one_number() -> None:
    assert numbers("Brigade Forty-Four") == numbers("Brigade 44") == ["44"]
    assert numbers("First Bank") == numbers("1st Bank") == ["1"]
    assert numbers("Twenty-third Battalion") == numbers("23rd Battalion") == ["23"]


def test_russian_number_words_read_in_cyrillic_names_in_every_gender() -> None:
    assert numbers("Первая строительная компания") == ["1"]
    assert numbers("Сорок четвёртый отряд") == ["44"]
    # Transliterated, Russian number words are names: Sem (7) and Tri (3) stay names in Latin.
    assert numbers("Sem Tri", Schema.PERSON) == []


def test_roman_numerals_read_only_where_they_stand_for_a_number() -> None:
    assert numbers("Henry VIII", Schema.PERSON) == ["8"]
    assert numbers("Blackstone Capital Partners VII L.P.") == ["7"]
    assert read_numbers(["civic", "mix"]) == ["civic", "mix"]
    # Xi is a name in first place and in a two-word name; a long name's last XI is a number.
    assert read_numbers(["xi", "jinping"]) == ["xi", "jinping"]
    assert read_numbers(["jinping", "xi"]) == ["jinping", "xi"]
    assert read_numbers(["louis", "philippe", "xi"]) == ["louis", "philippe", "11"]
    assert roman_value("xiv") == 14 and roman_value("iiii") is None and roman_value("vx") is None


def test_names_that_differ_only_in_how_the_number_is_written_match() -> None:
    for a, b in [
        ("Brigade Forty-Four", "Brigade 44"),
        ("First Bank", "1st Bank"),
        ("Henry the Eighth", "Henry VIII"),
    ]:
        assert compare_names(a, b, Schema.ORGANIZATION).score >= DEFAULT_THRESHOLD, (a, b)
    # Different numbers stay different.
    assert compare_names("Brigade 44", "Brigade Forty-Five", Schema.ORGANIZATION).score < 0.8


def test_tens_in_words_and_units_in_digits_are_one_number() -> None:
    assert numbers("Brigade Forty 4") == ["44"]
    assert numbers("Brigade Forty Four") == ["44"]
    assert numbers("Brigade Forty 44") == ["40", "44"]


def test_scale_words_carry_a_number_past_one_hundred() -> None:
    assert numbers("Battalion Three Hundred") == numbers("Battalion 300") == ["300"]
    assert numbers("Unit Three Hundred and Six") == ["306"]
    assert numbers("Unit Twelve Thousand Five Hundred") == ["12500"]
    assert numbers("Unit Two Thousand Twenty") == ["2020"]
    # An ordinal is not scaled, and a scale word alone is a word.
    assert read_numbers(["first", "hundred"]) == ["1", "hundred"]
    assert read_numbers(["the", "hundred", "days"]) == ["the", "hundred", "days"]
    assert compare_names("Battalion Three Hundred", "Battalion 301", Schema.ORGANIZATION).score < (
        DEFAULT_THRESHOLD
    )
