"""Comparison keys for one name token: a phonetic fold and a consonant skeleton.

The fold merges the spellings that the romanisations of REFERENCE.md section 5 give the same
sound: ICAO passports (ZH, KH, IU, IA, II), the Kazakh 2021 Latin alphabet (J, Q, Ş), and older
or informal forms (Y, YE, YU, YA, DZH, J, H, -YEV). Two spellings of one name usually fold to the
same key or to keys one edit apart. The skeleton keeps consonants only; the cross key is how a name
written in Arabic script (short vowels unwritten) is compared with a Latin or Cyrillic spelling.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from operator import methodcaller
from typing import TypeVar

T = TypeVar("T")

CACHED_LENGTH = 64
"""Longest token whose keys are cached: real name tokens are far shorter, and a cache of a few
hostile tokens of 100,000 letters each would hold gigabytes."""


CACHED_KEYS = 200_000
"""Words each short_cached function remembers: the first met, which in names are the common
words (a full memory takes no more, rather than being emptied and filled again)."""


def short_cached(function: Callable[[str], T]) -> Callable[[str], T]:
    """Cache a function of one word for words up to CACHED_LENGTH letters; compute longer ones
    anew. A plain dict, read first: a name's analysis asks for its words' keys some twenty
    times, nearly always of words met before, and a hit costs one lookup."""
    cache: dict[str, T] = {}

    @wraps(function)
    def cached(text: str) -> T:
        try:
            return cache[text]
        except KeyError:
            pass
        value = function(text)
        if len(text) <= CACHED_LENGTH and len(cache) < CACHED_KEYS:
            cache[text] = value
        return value

    return cached


# Order matters: longer sequences first, so "shch" is not read as "sh" + "ch".
_DIGRAPHS = (
    ("shch", "sh"), ("sch", "sh"), ("tch", "ch"), ("dzh", "j"), ("dj", "j"), ("zh", "j"),
    ("kh", "h"), ("gh", "g"), ("ph", "f"), ("th", "t"), ("dh", "d"), ("ck", "k"), ("q", "k"),
    ("x", "ks"), ("w", "v"),
)  # fmt: skip
_DIGRAPH_MAP = dict(_DIGRAPHS)
# One pass, so a replacement never forms a new digraph (Shahidkhel: KH then DH).
_DIGRAPH = re.compile("|".join(old for old, _ in _DIGRAPHS))


def _digraph(match: re.Match[str]) -> str:
    return _DIGRAPH_MAP[match.group()]


# A C that is not part of CH sounds S before E, I, Y (Lounici, Faycal) and K elsewhere (Carlos).
_SOFT_C = re.compile(r"c(?=[eiy])")
_HARD_C = re.compile(r"c(?!h)")
_VOWELS = "aeiou"
# YE, IE and the soft sign before E (Юрьевна: IUREVNA, Yuryevna) all read as E.
_Y_BEFORE_E = re.compile(r"ie")
# Ё written YO/IO before a consonant (Fyodor, Korolyov, Pyotr) reads as the passports' E.
_YO = re.compile(r"(?<=[bcdfgjklmnprstvz])io(?=[bcdfgjklmnprstvz])")
_DOUBLE = re.compile(r"(.)\1+")
_ONCE = methodcaller("group", 1)
"""A repeated letter's run as the letter once: a C callable, where the template r"\1" has Python
expand each substitution (a new token's keys take some ten substitutions)."""
_FINAL_H = re.compile(r"(?<=[aeiou])h$")
_VOWEL_RUN = re.compile(r"[aeiou]+")
# Arabic script has no P or hard C: spellings swap them for B and K. W/V and a final H come and go
# between spellings (Marwan/مروان, Salah/صلاح), so the skeleton leaves them out.
_SKELETON_LETTERS = str.maketrans("pc", "bs", "v")


@short_cached
def fold(token: str) -> str:
    """Phonetic key of a lowercase ASCII token: romanisation variants of one name fold together.

    A token made of several words ('abd hanif') is folded word by word, so no digraph forms
    across the join.
    """
    if " " in token:
        return _DOUBLE.sub(_ONCE, "".join(_fold_word(part) for part in token.split()))
    return _fold_word(token)


def _fold_word(token: str) -> str:
    key = _DIGRAPH.sub(_digraph, token)
    if "c" in key:
        key = _HARD_C.sub("k", _SOFT_C.sub("s", key))
    key = key.replace("y", "i").replace("ou", "u")
    key = _YO.sub("e", _Y_BEFORE_E.sub("e", key))
    key = _DOUBLE.sub(_ONCE, key)
    return _FINAL_H.sub("", key) or key


@short_cached
def skeleton(key: str) -> str:
    """Consonant skeleton of a folded key (vowels dropped, doubles collapsed)."""
    return _DOUBLE.sub(_ONCE, _VOWEL_RUN.sub("", key).translate(_SKELETON_LETTERS))


SURNAME_ENDING = re.compile(r"(?<=[a-z]{3})(?:ov|ev|in|ova|eva|ina|skii|skaia)$")
"""Slavic and Kazakh surname endings on a folded key (Ermekov, Volkova, Petrovskii)."""
_CROSS_SOFT_C = re.compile(r"c(?=[eiyh])")
_CROSS_LETTERS = str.maketrans("qgjztp", "kkkddb", "aeiouywv")


@short_cached
def cross_key(text: str) -> str:
    """Consonant key for comparing a name across scripts (Arabic with Latin or Cyrillic).

    Built from the plain transliteration, not the fold, because Latin spellings of Arabic names
    use digraphs that Slavic romanisations read otherwise (Azhar is not Ажар). Letters that the
    two scripts confuse are merged: D/Z/T (ض ظ ذ ط: Ramadan/Ramzan), K/G/Q/J (ق ج: Qasim/Gasmi,
    Rajab/Ragab), S for TH (ث: Thaqib/Saqib) and for the CH of French spellings of ش; vowels,
    W/V/Y (long vowels or consonants in Arabic script) and a final H are left out. DJ, DZH and
    DH are single letters here (Djamel, Fadhil).
    """
    key = text.replace(" ", "").replace("dzh", "j").replace("dj", "j").replace("dh", "d")
    key = key.replace("th", "s").replace("ph", "f").replace("gh", "g")
    key = _CROSS_SOFT_C.sub("s", key.replace("x", "ks")).replace("c", "k")
    key = _DOUBLE.sub(_ONCE, key.translate(_CROSS_LETTERS))
    return key[:-1] if key.endswith("h") and len(key) > 1 else key
