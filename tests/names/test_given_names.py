"""The given-name file: one line per name, every spelling on one line only, enough names."""

from __future__ import annotations

from collections import Counter
from functools import cache
from importlib.resources import files

import pytest

from finmon.names.dictionary import group_of
from finmon.names.keys import fold
from finmon.names.translit import Script, script_of, to_latin

ORIGIN_MARK = "# origin:"
MINIMUM = {"kazakh": 250, "russian": 150, "arabic": 150, "other": 100}

Group = tuple[int, str, list[str]]


@cache
def groups() -> tuple[Group, ...]:
    """(line number, origin section, spellings) of every name line in the file."""
    text = files("finmon.names").joinpath("data/given_names.txt").read_text(encoding="utf-8")
    origin = ""
    found: list[Group] = []
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith(ORIGIN_MARK):
            origin = line.removeprefix(ORIGIN_MARK).strip()
        body = line.split("#", 1)[0].strip()
        if body:
            found.append((number, origin, [part.strip() for part in body.split("|")]))
    return tuple(found)


@cache
def line_of() -> dict[str, int]:
    """Line number of each spelling, in lower case."""
    return {spelling.lower(): number for number, _, spellings in groups() for spelling in spellings}


def test_every_line_lists_distinct_non_empty_spellings_in_a_known_section() -> None:
    for number, origin, spellings in groups():
        assert origin in MINIMUM, number
        assert all(spellings), number
        assert len({s.lower() for s in spellings}) == len(spellings), number


def test_no_spelling_stands_for_two_names() -> None:
    seen: dict[str, int] = {}
    for number, _, spellings in groups():
        for spelling in spellings:
            first = seen.setdefault(spelling.lower(), number)
            assert first == number, f"{spelling!r} on lines {first} and {number}"


def test_every_name_has_a_latin_and_a_cyrillic_or_arabic_spelling() -> None:
    for number, _, spellings in groups():
        scripts = {script_of(spelling) for spelling in spellings}
        assert Script.LATIN in scripts, number
        assert scripts & {Script.CYRILLIC, Script.ARABIC}, number


def test_each_origin_has_its_minimum_number_of_names() -> None:
    counts = Counter(origin for _, origin, _ in groups())
    for origin, minimum in MINIMUM.items():
        assert counts[origin] >= minimum, (origin, counts[origin])


@pytest.mark.parametrize(
    "spellings",
    [
        ("Мұхаммед", "Мухаммед", "Muhammad", "Mohammed", "Mohamed", "Mehmet", "محمد"),
        ("Нұрсұлтан", "Нурсултан", "Nursultan", "Nūrsūltan"),
        ("Евгений", "Yevgeniy", "Evgenii", "Evgeny"),
        ("Omar", "Umar", "Омар", "Умар", "عمر"),
        ("Yusuf", "Yousef", "Yusup", "Юсуп", "Жүсіп", "Jüsıp", "يوسف"),
        ("Akhmet", "Ahmet", "Ahmad", "Ahmed", "Ахмет", "Ахмед", "أحمد"),
        ("Абдулла", "Abdullah", "عبد الله"),
        ("Абдурахман", "Abdurrahman", "Abd al-Rahman"),
        ("Әйгерім", "Айгерим", "Aigerim", "Aygerim", "Äigerım"),
        ("Жанар", "Zhanar", "Janar"),
    ],
)
def test_spellings_of_one_name_share_a_line(spellings: tuple[str, ...]) -> None:
    assert len({line_of().get(spelling.lower()) for spelling in spellings}) == 1
    assert spellings[0].lower() in line_of()


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Dana", "Dina"),
        ("Serik", "Berik"),
        ("Nurlan", "Nurzhan"),
        ("Ermek", "Ermen"),
        ("Alina", "Aliya"),
        ("Madina", "Marina"),
        ("Olga", "Oleg"),
        ("Ivan", "Ivanna"),
        ("Aleksandr", "Aleksandra"),
        ("Zhanar", "Zhanna"),
        ("Askar", "Askat"),
        ("Ruslan", "Ruslana"),
        ("Evgenii", "Evgeniia"),
        ("Jamil", "Jamila"),
    ],
)
def test_look_alike_names_are_on_different_lines(one: str, other: str) -> None:
    assert one.lower() in line_of()
    assert other.lower() in line_of()
    assert line_of()[one.lower()] != line_of()[other.lower()]


def test_the_dictionary_tells_every_name_apart() -> None:
    """Each line keeps keys of its own once finmon folds its Latin and Cyrillic spellings."""
    owner: dict[int, int] = {}
    for number, _, spellings in groups():
        found = {group_of(key) for key in folded_keys(spellings)}
        found.discard(None)
        assert len(found) == 1, (number, found)
        group = found.pop()
        assert group is not None
        assert owner.setdefault(group, number) == number, (number, owner[group])


def folded_keys(spellings: list[str]) -> set[str]:
    """The fold keys of the one-word Latin and Cyrillic spellings."""
    words = (s for s in spellings if " " not in s and script_of(s) is not Script.ARABIC)
    return {fold(to_latin(word)) for word in words}
