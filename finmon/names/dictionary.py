"""Known given names and their spellings: 'one name written two ways' versus 'two names'.

finmon/names/data/given_names.txt holds one group per line: the spellings of one given name in
Cyrillic, Latin and Arabic script, separated by ' | '. Two tokens whose keys fall in the same group
are the same name (Muhammad, Мухаммед, محمد); two tokens in different groups are different names
however alike they look (Dana and Dina, Serik and Berik). Surnames built on a given name (Ermekov
on Ermek) are judged different by that name, but never the same by it (Akhmetov and Akhmatov are
two families even though Akhmet and Akhmat are one name).
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from finmon.names.keys import SURNAME_ENDING, cross_key, fold, short_cached
from finmon.names.translit import Script, script_of, to_latin


@cache
def name_groups() -> tuple[dict[str, int], dict[str, int]]:
    """Group number by folded key (Latin and Cyrillic spellings) and by cross key (Arabic)."""
    by_key: dict[str, int] = {}
    by_cross: dict[str, int] = {}
    ambiguous: set[str] = set()
    text = files("finmon.names").joinpath("data/given_names.txt").read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines()):
        line = line.split("#", 1)[0].strip()
        for spelling in filter(None, (s.strip() for s in line.split("|"))):
            latin = to_latin(spelling).replace(" ", "")
            # Arabic spellings also go in by their fold, which keeps long vowels and W/Y and so
            # separates names that share consonants (محمد, محمود).
            _add(by_key, fold(latin), number, ambiguous)
            if script_of(spelling) is Script.ARABIC:
                _add(by_cross, cross_key(latin), number, ambiguous)
    for key in ambiguous:
        by_key.pop(key, None)
        by_cross.pop(key, None)
    return by_key, by_cross


def _add(table: dict[str, int], key: str, number: int, ambiguous: set[str]) -> None:
    if table.setdefault(key, number) != number:
        ambiguous.add(key)


def given_name_group(key: str) -> int | None:
    """The given-name group of a folded key, for given names only (no surname endings)."""
    return name_groups()[0].get(key)


def group_of(key: str) -> int | None:
    """The given-name group of a folded key, or of the given name a surname is built on."""
    return _group_of(key)


def _find_group(key: str) -> int | None:
    by_key = name_groups()[0]
    group = by_key.get(key)
    if group is None and len(key) > 5:
        group = by_key.get(SURNAME_ENDING.sub("", key))
    return group


_group_of = short_cached(_find_group)
"""group_of remembered for keys of real name length (a surname's is a regular expression away)."""


def group_of_arabic(key: str, cross: str) -> int | None:
    """The given-name group of a token written in Arabic script, by its fold or cross key."""
    by_key, by_cross = name_groups()
    group = by_key.get(key)
    return group if group is not None else by_cross.get(cross)
