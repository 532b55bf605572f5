"""Russian names as other European languages write them: German (Wladimir, Chruschtschow,
Prigoschin), Dutch (Poetin, Sjostakovitsj), French (Poutine, Khrouchtchev), Hungarian (Putyin,
Vlagyimir, Szergej), Polish and Czech (Chruszczow, Medvěděv), and the Baltic languages, which add
a case ending to every name (Putins, Putinas, Lavrovs, Vladimiras); and as Russian banks write
them in SWIFT payment messages (Kuznecov).

Each language's spelling of a Russian sound is written back as the English/ICAO spelling, and the
result is folded (finmon.names.keys.fold); two words meet when one's rendering is the other's key
or their renderings share a key. Arabic script writes в as ف and ч as تش (فلاديمير فلاديميروفيتش),
which arabic_rendering_similarity reads back; surname_slip tells a mistyped letter in a Slavic
surname's stem (Putin, Pulin) from another family (Volkov, Volynov).
"""

from __future__ import annotations

import re

from finmon.names.keys import CACHED_LENGTH, cross_key, fold, short_cached
from finmon.names.letters import cross_similarity
from finmon.names.romanise import one_syllable

_Rules = tuple[re.Pattern[str], tuple[str, ...]]


def _rules(*pairs: tuple[str, str]) -> _Rules:
    """One pass over a word, so that a replacement is not replaced again (tsch -> ch stays)."""
    pattern = re.compile("|".join(f"({old})" for old, _ in pairs))
    return pattern, tuple(new for _, new in pairs)


_LANGUAGES: tuple[_Rules, ...] = (
    # German: tsch, sch, ch for ч, ш, х; j for й; w for в; and sch for ж too (Prigoschin,
    # Schukow), which German has no other letters for.
    _rules(("tsch", "ch"), ("sch", "sh"), ("ch", "kh"), ("j(?=[aeiou])", "y"), ("j", "i")),
    _rules(("tsch", "ch"), ("sch", "zh"), ("ch", "kh"), ("j(?=[aeiou])", "y"), ("j", "i")),
    # Dutch: oe for у, sj and tsj for ш and ч, ch for х, j for й.
    _rules(
        ("tsj", "ch"), ("sj", "sh"), ("oe", "u"), ("ch", "kh"), ("j(?=[aeiou])", "y"), ("j", "i")
    ),
    # French: ou for у (the fold reads it), tch and ch for ч and ш, j for ж, a mute final -e.
    _rules(("tch", "ch"), ("ch", "sh"), ("j", "zh"), ("(?<=[^aeiou][aeiou]n)e$", "")),
    # Hungarian: gy, ty, ny for palatal д, т, н; cs, zs, sz for ч, ж, с; j for й (Szergej,
    # Sojgu). Its s for ш is left out: it would make every s an sh, Nisan Nishan.
    _rules(
        ("gy", "d"),
        ("ty", "t"),
        ("ny", "n"),
        ("cs", "ch"),
        ("zs", "zh"),
        ("sz", "s"),
        ("j(?=[aeiou])", "y"),
        ("j", "i"),
    ),
    # Polish and Czech: szcz, cz, sz, rz, ch, w; j for й.
    _rules(
        ("szcz", "shch"),
        ("cz", "ch"),
        ("sz", "sh"),
        ("rz", "zh"),
        ("ch", "kh"),
        ("j(?=[aeiou])", "y"),
        ("j", "i"),
    ),
    # Russian banks' payment messages, in SWIFT's Latin letters: c for ц (Kuznecov, Carenko; their
    # j for ж is the fold's own key for zh).
    _rules(
        ("c(?![hkz])", "ts"),
    ),
)
_HUSHING_O = re.compile(r"(?<=sh|ch|.j)o(?=v$)")
"""ё after a hushing letter, written o (Chruschtschow, Gorbachov) where English writes e; on a
folded key, where zh is j."""
_BALTIC_ENDING = re.compile(r"(?<=[a-z]{4}[^aeious])(?:as|is|us|ys|s)$")
"""Latvian and Lithuanian case endings on a name of five letters or more ending in a consonant
(Putins, Putinas, Lavrovs, Vladimiras, Sergejs)."""
SHORTEST_KEY = 4
"""Keys shorter than this are syllables that the rules make of other syllables (Yijun, Yun)."""
RENDERING = 0.9
"""Similarity of a Russian name and its spelling in another European language: high, but below
one spelling, as the rules merge sounds that a language keeps apart."""


@short_cached
def renderings(word: str) -> frozenset[str]:
    """Folded keys of a lowercase Latin word read back from each language's spelling of Russian
    sounds, with and without a Baltic case ending."""
    if len(word) > CACHED_LENGTH or len(word) < 4:
        return frozenset()
    bases = {word}
    if stripped := _BALTIC_ENDING.sub("", word):
        bases.add(stripped)
    keys: set[str] = set()
    for base in bases:
        keys.add(_HUSHING_O.sub("e", fold(base)))
        for pattern, replacements in _LANGUAGES:
            spelled = pattern.sub(lambda m, r=replacements: r[m.lastindex - 1], base)  # type: ignore[misc]
            keys.add(_HUSHING_O.sub("e", fold(spelled)))
    keys.discard(fold(word))
    return frozenset(keys)


def rendering_similarity(a: str, b: str) -> float:
    """RENDERING when two lowercase Latin words are one Russian name in two languages' spellings,
    else 0."""
    side_a = _side(a)
    if side_a is None:
        return 0.0
    side_b = _side(b)
    if side_b is None:
        return 0.0
    (key_a, found_a), (key_b, found_b) = side_a, side_b
    if key_a == key_b:
        return 0.0
    if key_b in found_a or key_a in found_b or not found_a.isdisjoint(found_b):
        return RENDERING
    return 0.0


def rendering_keys(word: str) -> frozenset[str]:
    """A lowercase Latin word's folded key with its renderings, or nothing when it never meets
    another word by rendering: rendering_similarity(a, b) is 0 unless the two sets share a key."""
    side = _side(word)
    return frozenset() if side is None else frozenset((side[0], *side[1]))


def _read_side(word: str) -> tuple[str, frozenset[str]] | None:
    """A word's folded key and renderings, or None when it never meets another by rendering."""
    # One Chinese or Korean syllable is another's under these rules (Chin, Shin; Jiang, Yang).
    if " " in word or one_syllable(word):
        return None
    key = fold(word)
    if len(key) < SHORTEST_KEY:
        return None
    return key, renderings(word)


# Worked out once per word rather than once per pair of words: most pairs a batch compares are new,
# their words are not.
_side = short_cached(_read_side)


SLIP_LENGTH = 5
"""Shortest surname key in which one wrong letter is read as a slip rather than another family."""
_SLAVIC_ENDING = re.compile(r"(?:ov|ev|in|ova|eva|ina|skii|skaia)$")


def surname_slip(a: str, b: str) -> bool:
    """Whether two folded Slavic surnames are one surname with one letter mistyped inside its
    stem (Putin, Pulin): same length of five letters or more, same first letter, same ending,
    one letter apart. Two stems of different lengths or two letters apart stay two families
    (Volkov, Volynov; Sokolov, Sokol)."""
    if len(a) != len(b) or len(a) < SLIP_LENGTH or a[0] != b[0]:
        return False
    ending_a, ending_b = _SLAVIC_ENDING.search(a), _SLAVIC_ENDING.search(b)
    if ending_a is None or ending_b is None or ending_a.group() != ending_b.group():
        return False
    return sum(x != y for x, y in zip(a, b, strict=True)) == 1


_AS_ARABIC = re.compile(r"ch|v")
_ARABIC_SPELLING = {"ch": "tsh", "v": "f"}
"""How Arabic script writes Russian sounds it lacks: в as ف (f), ч as تش (t, sh)."""


RENDERED_LETTERS = 0.7
"""Least letter similarity (finmon.names.letters.cross_similarity) of an Arabic-script word and a
Latin word spelled as Arabic script writes Russian sounds, for the two to be one name: the least
similarity at which screening pairs two words at all (namescore's MIN_SIMILARITY)."""


def arabic_rendering_similarity(arabic: str, arabic_cross: str, latin: str) -> float:
    """RENDERING when a Latin word spelled as Arabic script writes Russian sounds (Vladimir as
    فلاديمير, -ovich as -وفيتش) has the consonant key (arabic_cross) of the Arabic-script word
    (transliterated: arabic) and its letters too, else 0. The key alone is not enough: یوسفی is
    not SAFAVI, whose key sf it shares once V is read as ف."""
    if not arabic_cross or arabic_spelling_key(latin) != arabic_cross:
        return 0.0
    letters = cross_similarity(arabic, arabic_spelling(latin))
    return RENDERING if letters >= RENDERED_LETTERS else 0.0


def arabic_spelling_key(latin: str) -> str | None:
    """The consonant key of a Latin word spelled as Arabic script writes Russian sounds, or None
    when that changes nothing or the word is too short (see arabic_rendering_similarity)."""
    spelled = arabic_spelling(latin)
    if spelled == latin or len(latin) < SHORTEST_KEY + 1:
        return None
    return cross_key(spelled)


def arabic_spelling(latin: str) -> str:
    """A Latin word with the Russian sounds Arabic script lacks spelled as it writes them:
    Vladimirovich as fladimiroftshitsh's letters (v as f, ch as tsh)."""
    # Only v, never w: a Latin w is Arabic script's و (Wali, وali), not a Russian в.
    return _AS_ARABIC.sub(lambda m: _ARABIC_SPELLING[m.group()], latin)
