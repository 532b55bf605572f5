"""Comparison keys for one name token: a phonetic fold and a consonant skeleton.

The fold merges the spellings that the romanisations of REFERENCE.md section 5 give the same
sound: ICAO passports (ZH, KH, IU, IA, II), the Kazakh 2021 Latin alphabet (J, Q, Ş), and older or
informal forms (Y, YE, YU, YA, DZH, J, H, -YEV). Two spellings of one name usually fold to the same
key or to keys one edit apart. The skeleton keeps consonants only: it is how a name written in Arabic
script (short vowels unwritten) is compared with a Latin or Cyrillic spelling.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Order matters: longer sequences first, so "shch" is not read as "sh" + "ch".
_DIGRAPHS = (
    ("shch", "sh"), ("sch", "sh"), ("tch", "ch"), ("dzh", "j"), ("dj", "j"), ("zh", "j"),
    ("kh", "h"), ("gh", "g"), ("ph", "f"), ("th", "t"), ("dh", "d"), ("ck", "k"), ("q", "k"),
    ("x", "ks"), ("w", "v"), ("tz", "ts"),
)  # fmt: skip
_VOWELS = "aeiou"
_Y_BEFORE_E = re.compile(r"(^|[aeiou])ie")
_DOUBLE = re.compile(r"(.)\1+")
_FINAL_H = re.compile(r"(?<=[aeiou])h$")
_ABD = re.compile(r"^abd(?:oul|ul|el|al|ol|ur|ar|ir|er|us|as|u|i|e)(?=[a-z]{3,}$)")
_VOWEL_RUN = re.compile(r"[aeiou]+")
# Arabic script has no P, V or hard C: Latin spellings of Arabic names, and Arabic spellings of
# foreign names, swap them for B, F and K.
_SKELETON_LETTERS = str.maketrans("pvc", "bfk")


@lru_cache(maxsize=200_000)
def fold(token: str) -> str:
    """Phonetic key of a lowercase ASCII token: romanisation variants of one name fold together."""
    key = _ABD.sub("abd", token)
    for old, new in _DIGRAPHS:
        if old in key:
            key = key.replace(old, new)
    key = key.replace("y", "i").replace("ou", "u").replace("oo", "u")
    key = _Y_BEFORE_E.sub(r"\1e", key)
    key = _DOUBLE.sub(r"\1", key)
    return _FINAL_H.sub("", key) or key


@lru_cache(maxsize=200_000)
def skeleton(key: str) -> str:
    """Consonant skeleton of a folded key (vowels dropped, doubles collapsed)."""
    return _DOUBLE.sub(r"\1", _VOWEL_RUN.sub("", key).translate(_SKELETON_LETTERS))
