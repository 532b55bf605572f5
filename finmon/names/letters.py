"""How closely a Latin spelling renders a word written in Arabic script, letter by letter.

Arabic script writes consonants and long vowels and leaves short vowels and doubled consonants
out; a Latin spelling writes them all. cross_similarity is an edit distance over the letters the
Arabic spelling writes, with the costs Latin spellings of Arabic names call for: a short vowel
costs little, a consonant or a long vowel the other side lacks a whole letter or most of one.
"""

from __future__ import annotations

import re
from functools import lru_cache

from finmon.names.keys import CACHED_LENGTH

_VOWELS = "aeiou"

_NEAR = {
    **dict.fromkeys([("j", "g"), ("q", "g"), ("G", "g"), ("g", "G"), ("s", "%"), ("b", "p")], 0.3),
    **dict.fromkeys([("d", "z"), ("z", "d"), ("t", "d"), ("d", "t"), ("h", "a")], 0.4),
    **dict.fromkeys([("s", "z"), ("z", "s")], 0.5),
    ("q", "k"): 0.2, ("k", "g"): 0.6, ("h", "k"): 0.6, ("f", "v"): 0.3,
    # Long vowels and the weak letters as Latin spellings write them.
    ("u", "w"): 0.1, ("w", "u"): 0.1, ("i", "y"): 0.1, ("y", "i"): 0.1, ("w", "v"): 0.1,
    ("u", "v"): 0.2, ("u", "o"): 0.2, ("i", "e"): 0.2, ("e", "i"): 0.2, ("a", "e"): 0.3,
    ("e", "a"): 0.3, ("y", "e"): 0.3,
}  # fmt: skip
"""Arabic-script letters (as transliterated) and the Latin letters that render them: the cost of
the one for the other, below a full edit (a final H for the A of a feminine ending); some
digraphs are single units here (see _units), SH and KH are not: transliteration writes an A
inside S+H and K+H that are two letters (اسحاق as asahaq), which Latin spells Ishaq."""
SHORT_VOWEL = 0.1
"""Cost of a Latin vowel the Arabic-script spelling does not write (a short vowel)."""
FINAL_VOWEL = 0.6
"""Cost of a Latin word-final A, I, O or U the Arabic-script spelling does not write: Arabic
script writes a final vowel (the nisba's ی, ا, ة, و, or ه), so Rahimi renders رحیمی, not رحیم, as
within Latin Rahimi is not Rahim; less than a letter, as a local form may add one (Abdullahi,
عبدالله). A final E is the mute E of French spellings (Abderrahmane, عبد الرحمن): a short vowel."""
INITIAL_VOWEL = 0.8
"""Cost of a Latin word-initial vowel where the Arabic spelling starts with a consonant: an
initial vowel is written there (alif, or an ain: finmon.names.translit writes it A)."""
DOUBLED = 0.1
"""Cost of a Latin consonant doubled (the shadda is not written)."""
WEAK_LETTER = 0.4
"""Cost of a Latin H, W or Y the Arabic spelling lacks (a final H, a glide)."""
LONG_VOWEL = 0.6
"""Cost of a long vowel the Arabic spelling writes and the Latin one lacks."""
INITIAL_ALIF = 1.0
"""Cost of a word-initial alif the Latin spelling lacks: it carries the vowel every Latin
spelling writes (أمير Amir, not Mire; احمد Ahmed, not Hemed), a letter as in Latin itself."""
FINAL_LONG_VOWEL = 1.0
"""Cost of a final long vowel the Latin spelling lacks: a final ي, و or ا (the nisba's -i of
العمري, Omari) is always written in Latin too, so its absence is a letter's difference, as in
Latin (Omari, Amir). Measured on the arabic_latin set: no own name lost at 1.0."""
FINAL_YEH = 0.2
"""Cost of a final I for A or A for I: a final ى, ي or ی is read either way (alif maqsura: عیسی
Isa, حنفى Hanafi), as Persian, Egyptian and Gulf spellings write them."""
_FINAL_YEH = frozenset({("i", "a"), ("a", "i"), ("a", "y")})
_DIGRAPHS = (
    ("dzh", "j"), ("dj", "j"), ("ch", "%"), ("gh", "G"), ("th", "s"), ("dh", "d"), ("ph", "f"),
    ("ck", "k"),
)  # fmt: skip
_SOFT_C = re.compile(r"c(?=[eiy])")


def cross_similarity(arabic: str, latin: str) -> float:
    """How closely a Latin spelling renders an Arabic-script word, judged by the letters the
    Arabic spelling writes: consonants and long vowels must be there, short vowels and doubled
    consonants the Arabic script leaves out cost little. An edit distance with those costs, over
    the longer of the two (a Latin vowel counting half). Words longer than CACHED_LENGTH (no
    real name's) score 0: the distance takes time in the product of the lengths."""
    if len(arabic) > CACHED_LENGTH or len(latin) > CACHED_LENGTH:
        return 0.0
    return _cross_similarity(arabic, latin)


@lru_cache(maxsize=200_000)
def _cross_similarity(arabic: str, latin: str) -> float:
    a, b = _units(arabic, latin=False), _units(latin, latin=True)
    if not a or not b:
        return 0.0
    # A final H (ه) is itself read as a vowel (طه Taha, فاطمه Fatemeh).
    final = SHORT_VOWEL if a[-1] == "h" else FINAL_VOWEL
    inserted = [_insert_cost(b, j, 1, final) for j in range(len(b))]
    deleted = [_delete_cost(a, i) for i in range(len(a))]
    previous = [0.0]
    for j in range(len(b)):
        previous.append(previous[j] + _insert_cost(b, j, 0, final))
    last_a, last_b = len(a) - 1, len(b) - 1
    for i, x in enumerate(a):
        drop = deleted[i]
        current = [previous[0] + drop]
        for j, y in enumerate(b):
            if x == y:
                change = 0.0
            elif i == 0 and x == "a" and y in _VOWELS:
                change = SHORT_VOWEL  # an initial alif carries any vowel (Islam, Eshaq)
            elif i == last_a and j == last_b and (x, y) in _FINAL_YEH:
                change = FINAL_YEH
            else:
                change = _NEAR.get((x, y), 1.0)
            current.append(
                min(previous[j] + change, previous[j + 1] + drop, current[j] + inserted[j])
            )
        previous = current
    vowels = sum(1 for y in b if y in _VOWELS)
    return max(0.0, 1.0 - previous[-1] / max(len(a), len(b) - vowels / 2))


def _units(text: str, latin: bool) -> str:
    """Letters as units: digraphs one letter each; a Latin C read as S or K, X as KS."""
    text = text.replace(" ", "")
    for old, new in _DIGRAPHS:
        text = text.replace(old, new)
    if latin:
        text = _SOFT_C.sub("s", text).replace("c", "k").replace("x", "ks")
    return text


def _insert_cost(b: str, j: int, i: int, final: float = SHORT_VOWEL) -> float:
    """Cost of the Latin letter b[j] where the Arabic spelling has nothing (after i letters);
    final is the cost of a word-final vowel."""
    y = b[j]
    if y == "i" and j > 0 and b[j - 1] in "aeo":
        return LONG_VOWEL  # the I of AI, EI, OI is a ي Arabic script writes (Hussein, حسين)
    if y in _VOWELS:
        if i == 0 and j == 0:
            return INITIAL_VOWEL
        return final if j == len(b) - 1 and y != "e" else SHORT_VOWEL
    if j > 0 and b[j - 1] == y:
        return DOUBLED
    if y in "wy" and 0 < j < len(b) - 1 and b[j - 1] in _VOWELS and b[j + 1] in _VOWELS:
        return 1.0  # a glide between vowels is a consonant Arabic script writes (Allawi, علاوي)
    return WEAK_LETTER if y in "hwy" else 1.0


def _delete_cost(a: str, i: int) -> float:
    """Cost of the Arabic letter a[i] where the Latin spelling has nothing."""
    if i > 0 and a[i - 1] == a[i]:
        return DOUBLED  # allah: the article's L before a sun letter or a doubled L
    if a[i] not in _VOWELS:
        return 1.0
    if i == 0 and a[i] == "a" and a[1:2] in ("i", "u"):
        # An initial ain before a long vowel, which transliteration writes A (عیسی as aisi):
        # Latin spellings drop the ain and write the vowel alone (Isa, Ussama).
        return SHORT_VOWEL
    article = a[i + 1 : i + 3] == "ll" or (i == 0 and a[1:2] == "l")
    if a[i] == "a" and (article or (i > 0 and a[i + 1 : i + 2] == "h")):
        # The article's alif, which compounds elide (Abdullah for عبد الله); and the A that
        # transliteration writes between a digraph head and H (زه as zah, not zh), never an
        # initial alif before H (احمد: Ahmed, not Hemed).
        return SHORT_VOWEL
    if i == 0:
        return INITIAL_ALIF
    return FINAL_LONG_VOWEL if i == len(a) - 1 else LONG_VOWEL
