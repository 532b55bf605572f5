"""Other readings of a name written to slip past screening, and re-spacing a glued word.

Three ways of hiding a listed name keep its letters but break its words: letters spaced out
(U S A M A, B.I.N L.A.D.E.N), digits and symbols for letters (0SAMA B1N L4D3N, U$AMA) and the
spaces removed (USAMABINLADEN). The first two are undone from the name alone (`readings`); the
third needs the words of the name it hides, so a glued word is split into the words of each
candidate name (`segment`). A reading is an alternative: the name is compared as written too, and
the better comparison counts, so a reading can add a match but never lose one.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from itertools import product

LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "@": "a", "$": "s"}
"""Characters written for letters. 1 stands for I or L: both readings are made."""
_LEET_L = {**LEET, "1": "l"}
_LEET_CHAR = re.compile("[" + re.escape("".join(LEET)) + "]")
_SEPARATORS = " .-_*\u00b7"
# A run of single characters one separator apart, the same one throughout: U S A M A, B.I.N. Two
# separators in a row, or another one, end a run: 'U S A M A  B I N' and 'K.I.M I.L' read as two
# words each.
_SPACED = re.compile(r"(?<![\w@$])[\w@$]([ .\-_*\u00b7])[\w@$](?:\1[\w@$])*(?![\w@$])")
_WORD = re.compile(r"[\w@$]+")
_ORDINAL = re.compile(r"\d+(?:st|nd|rd|th)", re.IGNORECASE)
_ASCII_LETTER = re.compile(r"[A-Za-z]")
MAX_READING = 1000
"""Longest name given readings: longer ones are refused at the doors (settings.max_name_length)."""


def readings(text: str) -> tuple[str, ...]:
    """The name with spaced-out letters joined and digits or symbols inside words read as letters;
    empty when neither applies (nearly every name)."""
    if len(text) > MAX_READING:
        return ()
    joined = join_spaced(text)
    found = [joined] if joined != text else []
    if _LEET_CHAR.search(joined):
        found.extend(_unleet_all(joined))
    return tuple(r for r in dict.fromkeys(found) if r != text)


ONES = 4
"""A name with this many 1s in words read at most has each read as I and as L in every
combination (D11SHOD as dilshod); beyond, all of them as I, or all as L."""


def _unleet_all(text: str) -> list[str]:
    """unleet with each 1 read as I and as L: KH41ID M4ZRUQ1 as khalid mazruqi."""
    words = [m for m in _WORD.finditer(text) if "1" in m.group() and _readable(m.group())]
    places = [m.start() + i for m in words for i, c in enumerate(m.group()) if c == "1"]
    read = unleet(text)
    if not places or len(places) > ONES:
        return [read, unleet(text, _LEET_L)]
    found = []
    for choice in product("il", repeat=len(places)):
        letters = list(read)
        for place, letter in zip(places, choice, strict=True):
            letters[place] = letter
        found.append("".join(letters))
    return found


_CUT = re.compile(r"[A-Za-z][@$]|[@$][A-Za-z]")


def garbled(text: str) -> bool:
    """Whether the name as written is no fair version of itself: spaced out (a row of initials)
    or cut by symbols inside words (ELL@ $MITH: ell, mith). Digits leave words whole (AHL1, 7th),
    so a name with digits is fair as written too."""
    return bool(_CUT.search(text)) or join_spaced(text) != text


def join_spaced(text: str) -> str:
    """Runs of single characters joined into one word each, when the name has a run of three or
    more (two of them letters at least): then it is written spaced out, and two-letter words
    (E L, I.L) are joined too. A name with no such run is returned as it is (A B Smith)."""
    runs = [m.group() for m in _SPACED.finditer(text)]
    if not any(len(run) >= 5 and _letters(run) >= 2 for run in runs):
        return text
    return _SPACED.sub(lambda m: m.group()[::2] if _letters(m.group()) else m.group(), text)


def _letters(run: str) -> int:
    """Letters in a run; none when it holds an ideograph or a syllable (Chinese, Japanese and
    Korean names are written a syllable to a character, often spaced: 磊 琳 张)."""
    if _SYLLABIC.search(run):
        return 0
    return sum(1 for unit in run[::2] if unit.isalpha())


_SYLLABIC = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def unleet(text: str, table: dict[str, str] = LEET) -> str:
    """Digits and symbols read as letters in each word that mixes them with Latin letters (two at
    least, and nothing else: 7th, 3M, B52, Cyrillic words are left as they are)."""
    return _WORD.sub(lambda m: _unleet_word(m.group(), table), text)


def _unleet_word(word: str, table: dict[str, str]) -> str:
    return "".join(table.get(c, c) for c in word) if _readable(word) else word


def _readable(word: str) -> bool:
    """Latin letters (two at least) mixed with characters that stand for letters, nothing else,
    and no ordinal (7th)."""
    letters = len(_ASCII_LETTER.findall(word))
    standing_in = sum(1 for c in word if c in LEET)
    return (
        letters >= 2
        and standing_in > 0
        and letters + standing_in == len(word)
        and not _ORDINAL.fullmatch(word)
    )


MIN_GLUED = 6
"""Shortest word that is split: shorter ones are too easily made of two short words by chance."""
MAX_GLUED = 64
"""Longest word that is split (and longest run of listed words filed run together): no one
writes a longer name as one word, and the work stays bounded whatever a query holds."""


def segment(word: str, words: Collection[str]) -> list[str] | None:
    """The word (MIN_GLUED to MAX_GLUED letters) split into as few of these words as possible,
    two at least and one of three letters or more, or None when it cannot be: USAMABINLADEN into
    usama, bin, laden; RIJAEIL into ri, jae, il. Work is linear in the word's length times the
    number of words."""
    usable = set(words)
    if not MIN_GLUED <= len(word) <= MAX_GLUED or len(usable) < 2:
        return None
    # fewest[i]: the fewest pieces that make word[:i], and the piece that ends there.
    fewest: list[tuple[int, str] | None] = [None] * (len(word) + 1)
    fewest[0] = (0, "")
    for end in range(1, len(word) + 1):
        best = None
        for piece in usable:
            start = end - len(piece)
            before = fewest[start] if start >= 0 else None
            if before is None or not word.startswith(piece, start):
                continue
            if best is None or before[0] + 1 < best[0]:
                best = (before[0] + 1, piece)
        fewest[end] = best
    if fewest[-1] is None:
        return None
    pieces: list[str] = []
    end = len(word)
    while end:
        step = fewest[end]
        assert step is not None
        pieces.append(step[1])
        end -= len(step[1])
    pieces.reverse()
    if len(pieces) < 2 or max(map(len, pieces)) < 3:
        return None
    return pieces
