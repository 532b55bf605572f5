"""Transliteration and folding: every romanisation of one name lands on one key."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from finmon.names.keys import cross_key, fold
from finmon.names.translit import Script, script_of, to_latin

KAZAKH_ALPHABET = "АӘБВГҒДЕЁЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЩЪЫІЬЭЮЯ"


def keys(name: str) -> list[str]:
    return [fold(word) for word in to_latin(name).replace("-", " ").split()]


def test_kazakh_alphabet_has_42_letters_and_all_transliterate() -> None:
    assert len(KAZAKH_ALPHABET) == 42
    for letter in KAZAKH_ALPHABET:
        latin = to_latin(letter)
        assert latin.isascii()
        assert latin or letter in "ЪЬ", letter


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("Нұрсұлтан Назарбаев", "NURSULTAN NAZARBAEV"),  # ICAO passport
        ("Нұрсұлтан Назарбаев", "Nursultan Nazarbayev"),  # informal Y
        ("Жақсылық Әбдіқадыров", "Jaqsylyq Äbdiqadyrov"),  # Kazakh Latin 2021
        ("Жақсылық Әбдіқадыров", "ZHAKSYLYK ABDIKADYROV"),
        ("Евгений Сергеевич", "Yevgeniy Sergeyevich"),
        ("Евгений Сергеевич", "EVGENII SERGEEVICH"),
        ("Юлия Щербакова", "Yulia Shcherbakova"),
        ("Юлия Щербакова", "IULIIA SHCHERBAKOVA"),
        ("Хасанов Ғалымжан", "Khasanov Galymzhan"),
        ("Айгүл Шәріпова", "Aigül Şäripova"),
    ],
)
def test_romanisations_fold_to_the_same_keys(cyrillic: str, latin: str) -> None:
    assert keys(cyrillic) == keys(latin)


@pytest.mark.parametrize(
    ("one", "other"),
    [("Петров", "Петрова"), ("Dana", "Dina"), ("Serik", "Berik"), ("Ахмет", "Асхат")],
)
def test_different_names_keep_different_keys(one: str, other: str) -> None:
    assert keys(one) != keys(other)


@pytest.mark.parametrize(
    ("arabic", "latin"),
    [
        ("محمد", "Muhammad"),
        ("محمد", "Mohammed"),
        ("الزهراني", "Zahrani"),
        ("رمضان", "Ramzan"),
        ("قاسم", "Gasmi"),
        ("ثاقب", "Saqib"),
        ("مروان", "Marwan"),
    ],
)
def test_arabic_script_meets_latin_spellings_on_the_cross_key(arabic: str, latin: str) -> None:
    arabic_words = to_latin(arabic).split()
    assert cross_key(arabic_words[-1]) == cross_key(to_latin(latin))


def test_script_detection() -> None:
    assert script_of("Нұрлан") is Script.CYRILLIC
    assert script_of("محمد") is Script.ARABIC
    assert script_of("Nurlan") is Script.LATIN
    assert script_of("習近平") is Script.OTHER


@given(st.text(max_size=40))
def test_transliteration_is_always_ascii(text: str) -> None:
    assert to_latin(text).isascii()


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=20))
def test_fold_gives_plain_letters_without_doubles(token: str) -> None:
    key = fold(token)
    assert key and key.isalpha() and key.islower()
    assert all(a != b for a, b in pairwise(key))
