"""Russian names as German, Dutch, French, Hungarian, Polish and Baltic writers spell them, and as
Russian banks write them in SWIFT messages."""

from __future__ import annotations

from finmon.model import Schema
from finmon.names.keys import cross_key
from finmon.names.renderings import (
    RENDERED_LETTERS,
    RENDERING,
    arabic_rendering_similarity,
    rendering_similarity,
)
from finmon.names.translit import to_latin
from finmon.screening import DEFAULT_THRESHOLD, compare_names
from finmon.screening.namescore import MIN_SIMILARITY


def score(a: str, b: str) -> float:
    return compare_names(a, b, Schema.PERSON).score


def test_each_languages_spelling_reads_back_to_the_russian_name() -> None:
    for a, b in [
        ("poetin", "putin"),  # Dutch
        ("poutine", "putin"),  # French
        ("chruschtschow", "khrushchev"),  # German
        ("chruszczow", "khrushchev"),  # Polish
        ("khrouchtchev", "khrushchev"),  # French
        ("putinas", "putin"),  # Lithuanian
        ("lavrovs", "lavrov"),  # Latvian
        ("sergejs", "sergey"),
        ("kuznecov", "kuznetsov"),  # a Russian bank's SWIFT message
        ("prigoschin", "prigozhin"),  # German sch for ж
        ("schukow", "zhukov"),
        ("szergej", "sergey"),  # Hungarian
    ]:
        assert rendering_similarity(a, b) > 0, (a, b)
    # A short name keeps its -s (Thomas is not Thom), and unrelated names stay apart.
    assert rendering_similarity("thomas", "thom") == 0
    assert rendering_similarity("poetin", "patin") == 0


def test_renderings_of_one_person_match_and_other_people_do_not() -> None:
    for a in ["Vladimiras Putinas", "Vladimir Putins", "Wladimir Poetin", "Vladimir Poutine"]:
        assert score(a, "Vladimir Putin") >= DEFAULT_THRESHOLD, a
    assert score("Nikita Chruschtschow", "Nikita Khrushchev") >= DEFAULT_THRESHOLD
    assert score("Jewgeni Prigoschin", "Yevgeniy PRIGOZHIN") >= DEFAULT_THRESHOLD
    assert score("Jewgeni Prigoschin", "Yevgeniy PRIGOZHEV") < DEFAULT_THRESHOLD
    assert score("Sergejs Lavrovs", "Sergey Viktorovich LAVROV") >= DEFAULT_THRESHOLD
    assert score("KUZNECOV ALEKSANDR", "Кузнецов Александр") >= DEFAULT_THRESHOLD
    assert score("CARENKO OLEG", "Oleg Tsarenko") >= DEFAULT_THRESHOLD
    assert score("CARENKO OLEG", "Oleg Tsarev") < DEFAULT_THRESHOLD
    assert score("Wladimir Poetin", "Vladimir Pavlov") < DEFAULT_THRESHOLD
    assert score("Dana Putins", "Dina Putin") < DEFAULT_THRESHOLD


def test_arabic_script_renderings_of_russian_names_with_patronymics_match() -> None:
    for arabic, latin in [
        ("فلاديمير فلاديميروفيتش بوتين", "Vladimir Vladimirovich Putin"),
        ("سيرغي فيكتوروفيتش لافروف", "Sergey Viktorovich Lavrov"),
        ("نور سلطان أبيشيفيتش نزارباييف", "Nursultan Abishevich Nazarbayev"),
        ("ميخائيل غورباتشوف", "Mikhail Gorbachev"),
    ]:
        assert score(arabic, latin) >= DEFAULT_THRESHOLD, latin
    assert score("فلاديمير فلاديميروفيتش بوتين", "Vladimir Vladimirovich Pavlov") < 0.8
    assert score("ميخائيل غورباتشوف", "Mikhail Gorbunov") < DEFAULT_THRESHOLD


def test_one_wrong_letter_in_a_surname_is_a_slip_but_given_names_stay_apart() -> None:
    assert score("Vladimir Pulin", "Vladimir Putin") >= DEFAULT_THRESHOLD
    assert score("Гүлнара Жақыпова", "Гульнара Жакупова") >= DEFAULT_THRESHOLD
    # Two letters, or a stem of another length, is another family; Dana is not Dina.
    assert score("Ivan Volkov", "Ivan Volynov") < DEFAULT_THRESHOLD
    assert score("Ivan Sokolov", "Ivan Sokol") < DEFAULT_THRESHOLD
    assert score("Dana Petrova", "Dina Petrova") < DEFAULT_THRESHOLD
    assert score("Dana Petrova", "Dina Pefrova") < DEFAULT_THRESHOLD


def test_a_slip_is_one_letter_as_written_even_where_the_keys_differ_more() -> None:
    assert score("Sergei Kuzhetsov", "Sergei Kuznetsov") >= DEFAULT_THRESHOLD


def test_one_chinese_or_korean_syllable_is_no_russian_rendering_of_another() -> None:
    for a, b in [("shin", "chin"), ("yang", "jiang"), ("yong", "jong"), ("cheng", "hieng")]:
        assert rendering_similarity(a, b) == 0, (a, b)


def test_renderings_do_not_merge_what_other_names_keep_apart() -> None:
    # A Latin w is Arabic script's و, not a Russian в (Wali is not الفيلي); s is not sh.
    assert score("السماء محمود الفيلي", "Mohammad Wali") < DEFAULT_THRESHOLD
    assert rendering_similarity("nishan", "nisan") == 0


def test_long_words_are_read_and_never_meet() -> None:
    from finmon.names.keys import CACHED_LENGTH

    # What is remembered of words: tests/names/test_word_memory.py.
    assert rendering_similarity("chruschtschow", "khrushchev") == RENDERING
    long = "w" + "a" * CACHED_LENGTH
    assert rendering_similarity(long, "putin") == rendering_similarity("putin", long) == 0
    # Words no rule reads (a space, one romanised syllable, a short key) never meet.
    assert rendering_similarity("shin", "chin") == 0
    assert rendering_similarity("put in", "putin") == 0


def test_an_arabic_script_rendering_needs_the_letters_as_well_as_the_consonants() -> None:
    def rendered(arabic: str, latin: str) -> float:
        return arabic_rendering_similarity(to_latin(arabic), cross_key(to_latin(arabic)), latin)

    assert rendered("فلاديمير", "vladimir") == RENDERING
    assert rendered("فلاديميروفيتش", "vladimirovich") == RENDERING
    # SAFAVI spelled with ف has the consonant key of یوسفی (sf), not its letters.
    assert cross_key(to_latin("یوسفی")) == cross_key("safafi")
    assert rendered("یوسفی", "safavi") == 0.0
    assert RENDERED_LETTERS == MIN_SIMILARITY
