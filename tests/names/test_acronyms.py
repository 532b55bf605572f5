"""Acronyms against the names whose initials they spell."""

from __future__ import annotations

from finmon.model import Schema
from finmon.names import analyse_name
from finmon.names.acronyms import acronym_runs, may_be_acronym
from finmon.screening import DEFAULT_THRESHOLD, compare_names

ORG = Schema.ORGANIZATION


def score(a: str, b: str, schema: Schema = ORG) -> float:
    return compare_names(a, b, schema).score


def test_an_acronym_meets_the_whole_run_of_words_it_abbreviates() -> None:
    assert score("IRGC", "Islamic Revolutionary Guard Corps") >= DEFAULT_THRESHOLD
    assert score("U.S. Steel", "United States Steel") >= DEFAULT_THRESHOLD
    # Written as an acronym in a name of unknown kind: dotted, or capitals among lowercase.
    assert score("IRGC Navy", "Islamic Revolutionary Guard Corps Navy", Schema.UNKNOWN) >= 0.8


def test_acronyms_stay_strict() -> None:
    # Not the whole run, letters out of order, or a person's name: no acronym.
    assert score("IRG", "Islamic Revolutionary Guard Corps") < DEFAULT_THRESHOLD
    assert score("RIGC", "Islamic Revolutionary Guard Corps") < DEFAULT_THRESHOLD
    assert score("AB", "Anna Berg", Schema.PERSON) < DEFAULT_THRESHOLD
    # Many pairs of words share two initials: a two-letter acronym never matches alone.
    assert score("BP", "Bank Pekao") < DEFAULT_THRESHOLD


def test_a_left_out_word_gives_its_initial_or_nothing() -> None:
    # Particles and a legal form read inside the name may spell a letter of the acronym or none.
    assert score("AQAP", "Al-Qaida in the Arabian Peninsula") >= DEFAULT_THRESHOLD
    assert score("ISIL", "Islamic State in Iraq and the Levant") >= DEFAULT_THRESHOLD
    assert score("LeT", "Lashkar-e-Tayyiba") >= DEFAULT_THRESHOLD
    assert score("PFLP", "Popular Front for the Liberation of Palestine") >= DEFAULT_THRESHOLD
    # A word the analysis keeps must still give its letter, in order.
    assert score("ISL", "Islamic State in Iraq and the Levant") < DEFAULT_THRESHOLD
    assert score("QAAP", "Al-Qaida in the Arabian Peninsula") < DEFAULT_THRESHOLD
    long = analyse_name("Al-Qaida in the Arabian Peninsula", ORG)
    runs = acronym_runs(analyse_name("AQAP", ORG), long)
    assert [run for _, _, run in runs] == [tuple(range(len(long.tokens)))]


def test_an_abbreviated_organisation_word_meets_the_word() -> None:
    assert score("First Bank Int'l", "First International Bank") >= DEFAULT_THRESHOLD
    assert score("Acme Natl Trading", "Acme National Trading") >= DEFAULT_THRESHOLD
    # First and last letters must agree, and the word must be a generic organisation word.
    assert score("First Bank Inc", "First International Bank") < DEFAULT_THRESHOLD
    assert score("Intl Trading", "Intel Trading") < 1.0


def test_a_name_with_an_acronym_found_in_it_may_be_an_acronym() -> None:
    """may_be_acronym lets the score bound skip acronym_runs: it must hold wherever a run is
    found, and fail for a person's name and a name in capitals that is not an organisation's."""
    names = [
        ("PLA", Schema.ORGANIZATION),
        ("People's Liberation Army", Schema.ORGANIZATION),
        ("Bank of the PLA", Schema.UNKNOWN),
        ("U.S. Treasury", Schema.UNKNOWN),
        ("United States Treasury", Schema.UNKNOWN),
        ("IRGC", Schema.UNKNOWN),
        ("Islamic Revolutionary Guard Corps", Schema.UNKNOWN),
        ("Vladimir PUTIN", Schema.PERSON),
        ("Vladimir Putin", Schema.UNKNOWN),
    ]
    analysed = [analyse_name(text, schema) for text, schema in names]
    found = 0
    for short in analysed:
        for long in analysed:
            if acronym_runs(short, long):
                found += 1
                assert may_be_acronym(short), (short.text, long.text)
    assert found >= 3
    assert not may_be_acronym(analyse_name("Vladimir PUTIN", Schema.PERSON))
    assert not may_be_acronym(analyse_name("VLADIMIR PUTIN"))
    assert may_be_acronym(analyse_name("PLA", Schema.ORGANIZATION))
