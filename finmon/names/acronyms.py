"""Acronyms against the names they stand for: IRGC for Islamic Revolutionary Guard Corps, PLA for
People's Liberation Army, U.S. for United States.

Strict on purpose: the acronym is one word of two to six letters that is an organisation's, or is
written as an acronym (dotted, or in capitals in a name that is not); its letters are the initials
of a whole run of the other name's words, one letter per word, in order; a word the analysis
leaves out (a particle such as al, of, the, e), a preposition (for, in) or a legal form read
inside the name gives its initial or nothing (AQAP, Al-Qaida in the Arabian Peninsula; ISIL,
Islamic State in Iraq and the Levant; LeT, Lashkar-e-Tayyiba). An abbreviated generic
organisation word (Int'l, Natl) meets the word by its first and last letters and letters of it in
order.
"""

from __future__ import annotations

import re
from functools import lru_cache

from finmon.model import Schema
from finmon.names.parts import AnalysedName, NameToken, TokenKind

ACRONYM = 0.9
"""Similarity of an acronym and the run of words whose initials it spells."""
TWO_LETTERS = 0.75
"""The same for an acronym of two letters, which many pairs of words spell: never enough alone."""
SHORTEST, LONGEST = 2, 6
_ORGANISATIONS = frozenset({Schema.ORGANIZATION, Schema.VESSEL, Schema.AIRCRAFT})
_KINDS = frozenset({TokenKind.NAME, TokenKind.GENERIC, TokenKind.PLACE})


def _written_as_acronym(name: AnalysedName, word: str) -> bool:
    """Whether the word is an organisation's, or is written dotted or in capitals among
    lowercase letters."""
    if name.schema in _ORGANISATIONS:
        return True
    if name.schema is Schema.PERSON:
        return False
    dotted = r"\.?".join(word.upper())
    capitals = re.search(rf"\b{dotted}\b", name.text) is not None
    return capitals and any(char.islower() for char in name.text)


def may_be_acronym(name: AnalysedName) -> bool:
    """Whether acronym_runs may find any acronym of this name, whatever the other name is: some
    token of it is a word of the acronyms' length and kinds, in a name that may write one (an
    organisation's, or one with lowercase letters beside the capitals)."""
    if name.schema is Schema.PERSON:
        return False
    # Not _written_as_acronym itself: it compiles a pattern per word, which cost more than the
    # acronym_runs calls this spares.
    if name.schema not in _ORGANISATIONS and not any(char.islower() for char in name.text):
        return False
    return any(
        SHORTEST <= len(token.text) <= LONGEST and token.kind in _KINDS and token.text.isalpha()
        for token in name.tokens
    )


def acronym_runs(
    short: AnalysedName, long: AnalysedName
) -> list[tuple[float, int, tuple[int, ...]]]:
    """Each acronym in `short` with the run of `long`'s tokens whose initials it spells, as
    (similarity, index in short, indexes in long)."""
    found: list[tuple[float, int, tuple[int, ...]]] = []
    tokens = long.tokens
    if short.schema is Schema.PERSON or long.schema is Schema.PERSON:
        return found
    initials = "".join(t.text[0] if len(t.text) > 1 else " " for t in tokens)
    spelled = _spelling(long.words, tuple(t.text for t in tokens), _optional_kinds(tokens))
    for i, token in enumerate(short.tokens):
        word = token.text
        size = len(word)
        if not (SHORTEST <= size <= LONGEST) or token.kind not in _KINDS or not word.isalpha():
            continue
        if word in initials:
            runs = _contiguous(word, initials)
        elif spelled and _subsequence(word, spelled[0]):
            runs = _runs_with_optional(word, spelled[1])
        else:
            continue
        if runs and _written_as_acronym(short, word):
            similarity = TWO_LETTERS if size == 2 else ACRONYM
            found.extend((similarity, i, run) for run in runs)
    return found


def _contiguous(word: str, initials: str) -> list[tuple[int, ...]]:
    """The runs of tokens whose initials are the word's letters, one letter per token."""
    runs = []
    start = initials.find(word)
    while start >= 0:
        runs.append(tuple(range(start, start + len(word))))
        start = initials.find(word, start + 1)
    return runs


_FUNCTION_WORDS = frozenset("for in on at to by with from a an pour par sur para por fur".split())
"""Prepositions and articles that names keep as words but acronyms often leave out (Popular Front
for the Liberation of Palestine, PFLP)."""


def _optional_kinds(tokens: tuple[NameToken, ...]) -> tuple[bool, ...]:
    """Which tokens an acronym may leave out: legal forms (a word read as one inside a name) and
    prepositions."""
    return tuple(t.kind is TokenKind.LEGAL or t.text in _FUNCTION_WORDS for t in tokens)


_Entry = tuple[str, int, bool]
"""A word of a name as an acronym reads it: its initial, its token's index (-1 for a word the
analysis left out: a particle, a title), and whether an acronym may leave it out."""


@lru_cache(maxsize=20_000)
def _spelling(
    words: tuple[str, ...], texts: tuple[str, ...], optional: tuple[bool, ...]
) -> tuple[str, tuple[_Entry, ...]] | None:
    """Every word of the name in order with its token, particles included (al, of, the, e), and
    the initials of them all; None when the name has no word an acronym may leave out, or when
    its words do not meet its tokens one by one (merged or split words)."""
    entries: list[_Entry] = []
    index = 0
    for word in words:
        if index < len(texts) and word == texts[index]:
            entries.append((word[0] if len(texts[index]) > 1 else " ", index, optional[index]))
            index += 1
        else:
            entries.append((word[0], -1, True))
    if index < len(texts) or all(index >= 0 and not skip for _, index, skip in entries):
        return None
    return "".join(letter for letter, _, _ in entries), tuple(entries)


def _subsequence(word: str, letters: str) -> bool:
    remaining = iter(letters)
    return all(char in remaining for char in word)


def _runs_with_optional(word: str, entries: tuple[_Entry, ...]) -> list[tuple[int, ...]]:
    """The runs of tokens whose words spell the acronym: one letter for each token word, and for
    a word that may be left out one letter or none (Al-Qaida in the Arabian Peninsula, AQAP;
    Islamic State in Iraq and the Levant, ISIL; Lashkar-e-Tayyiba, LeT). A run is the tokens
    from the first word spelled to the last."""
    runs: set[tuple[int, ...]] = set()
    for start, (letter, _, _) in enumerate(entries):
        if letter != word[0]:
            continue
        for end in _ends(word, 1, entries, start + 1):
            indexes = [index for _, index, _ in entries[start:end] if index >= 0]
            if indexes:
                runs.add(tuple(range(indexes[0], indexes[-1] + 1)))
    return sorted(runs)


def _ends(word: str, spelled: int, entries: tuple[_Entry, ...], at: int) -> list[int]:
    """Where spelling the rest of the word from entry `at` on may end (one past the last entry
    spelled)."""
    if spelled == len(word):
        return [at]
    ends = []
    while at < len(entries):
        letter, _, optional = entries[at]
        if letter == word[spelled]:
            ends.extend(_ends(word, spelled + 1, entries, at + 1))
        if not optional:
            break
        at += 1
    return ends


ABBREVIATION = 0.85
"""Similarity of an abbreviation and the organisation word it shortens (Int'l, International)."""


def abbreviation_similarity(short: NameToken, long: NameToken) -> float:
    """ABBREVIATION when `short` abbreviates the generic organisation word `long` the usual way:
    its first and last letters, and letters of it in order between (Intl, Natl, Mfg, Govt)."""
    a, b = short.text, long.text
    if long.kind is not TokenKind.GENERIC or not (SHORTEST <= len(a) <= 5) or not a.isalpha():
        return 0.0
    if len(b) < len(a) + 3 or a[0] != b[0] or a[-1] != b[-1]:
        return 0.0
    letters = iter(b)
    return ABBREVIATION if all(char in letters for char in a) else 0.0
