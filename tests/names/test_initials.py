"""Initials against given names and patronymics, across scripts."""

from __future__ import annotations

from finmon.model import Schema
from finmon.names import TokenKind, analyse_name
from finmon.screening import DEFAULT_THRESHOLD, compare_names


def score(a: str, b: str) -> float:
    return compare_names(a, b, Schema.PERSON).score


def test_dotted_letters_of_a_person_are_initials() -> None:
    for name in ["Путин В.В.", "Путин В. В.", "V.V. Putin"]:
        kinds = [t.kind for t in analyse_name(name, Schema.PERSON).tokens]
        assert kinds.count(TokenKind.INITIAL) == 2, name
    # The Cyrillic initial И is not the particle y (Garcia y Lopez) that its fold spells.
    assert len(analyse_name("Иванов И. И.", Schema.PERSON).tokens) == 3
    # An organisation's dotted letters stay one acronym.
    assert analyse_name("U.S. Steel", Schema.ORGANIZATION).tokens[0].key == "us"


def test_a_surname_with_agreeing_initials_reaches_the_threshold() -> None:
    putin = "Vladimir Vladimirovich Putin"
    for short in ["Путин В.В.", "Путин В. В.", "V.V. Putin", "Путин В."]:
        assert score(short, putin) >= DEFAULT_THRESHOLD, short
    assert score("Назарбаев Н.А.", "Nursultan Abishevich Nazarbayev") >= DEFAULT_THRESHOLD


def test_an_initial_that_disagrees_does_not() -> None:
    assert score("Путин А. В.", "Vladimir Vladimirovich Putin") < DEFAULT_THRESHOLD
    assert score("Путин А.", "Vladimir Vladimirovich Putin") < DEFAULT_THRESHOLD
    assert score("Putin V. V.", "Vladimir Vladimirovich Pavlov") < DEFAULT_THRESHOLD


def test_an_initial_left_over_against_a_name_left_over_is_a_disagreement() -> None:
    agreeing = score("Абдуллаев Р. Т.", "Rustam Tursunovich Abdullaev")
    disagreeing = score("Абдуллаев Р. Т.", "Ravshan Bakhtiyorovich Abdullaev")
    assert agreeing >= DEFAULT_THRESHOLD > disagreeing


def test_capital_consonants_written_together_are_initials_in_a_mixed_case_name() -> None:
    assert score("JC Juncker", "Jean-Claude Juncker") >= DEFAULT_THRESHOLD
    assert score("JC Juncker", "Jean-Pierre Juncker") < DEFAULT_THRESHOLD
    # In capitals throughout, a short word may be a name part (NG, a family name).
    assert analyse_name("NG CHEE MENG", Schema.PERSON).tokens[0].key == "ng"
