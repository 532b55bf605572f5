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

LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "@": "a", "$": "s"}
"""Characters written for letters. 1 stands for I or L: both readings are made."""
_LEET_L = {**LEET, "1": "l"}
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
    if _WORD.search(joined) and any(c in LEET for c in joined):
        found.extend(unleet(joined, table) for table in (LEET, _LEET_L))
    return tuple(r for r in dict.fromkeys(found) if r != text)


def join_spaced(text: str) -> str:
    """Runs of single characters joined into one word each, when the name has a run of three or
    more (two of them letters at least): then it is written spaced out, and two-letter words
    (E L, I.L) are joined too. A name with no such run is returned as it is (A B Smith)."""
    runs = [m.group() for m in _SPACED.finditer(text)]
    if not any(len(run) >= 5 and _letters(run) >= 2 for run in runs):
        return text
    return _SPACED.sub(lambda m: m.group()[::2] if _letters(m.group()) else m.group(), text)


def _letters(run: str) -> int:
    return sum(1 for unit in run[::2] if unit.isalpha())


def unleet(text: str, table: dict[str, str] = LEET) -> str:
    """Digits and symbols read as letters in each word that mixes them with Latin letters (two at
    least, and nothing else: 7th, 3M, B52, Cyrillic words are left as they are)."""
    return _WORD.sub(lambda m: _unleet_word(m.group(), table), text)


def _unleet_word(word: str, table: dict[str, str]) -> str:
    letters = len(_ASCII_LETTER.findall(word))
    standing_in = sum(1 for c in word if c in table)
    if letters < 2 or not standing_in or letters + standing_in != len(word):
        return word
    if _ORDINAL.fullmatch(word):
        return word
    return "".join(table.get(c, c) for c in word)


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
