"""Acronyms against the names they stand for: IRGC for Islamic Revolutionary Guard Corps, PLA for
People's Liberation Army, U.S. for United States.

Strict on purpose: the acronym is one word of two to six letters that is an organisation's, or is
written as an acronym (dotted, or in capitals in a name that is not); its letters are the initials
of a whole run of the other name's words, one letter per word, in order (particles such as of, and,
the are already left out of the run when names are analysed). An abbreviated generic organisation
word (Int'l, Natl) meets the word by its first and last letters and letters of it in order.
"""

from __future__ import annotations

import re

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
    for i, token in enumerate(short.tokens):
        word = token.text
        size = len(word)
        if not (SHORTEST <= size <= LONGEST) or token.kind not in _KINDS or word not in initials:
            continue
        if not word.isalpha() or not _written_as_acronym(short, word):
            continue
        similarity = TWO_LETTERS if size == 2 else ACRONYM
        start = initials.find(word)
        while start >= 0:
            found.append((similarity, i, tuple(range(start, start + size))))
            start = initials.find(word, start + 1)
    return found


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
