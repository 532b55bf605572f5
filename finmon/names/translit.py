"""Transliteration of names to lowercase ASCII Latin, Kazakh- and Arabic-aware.

Cyrillic follows ICAO Doc 9303 (the passport romanisation) for the Russian letters and airline
practice for the nine Kazakh letters (Ә A, Ғ G, Қ K, Ң N, Ө O, Ұ U, Ү U, Һ H, І I), so a list name
in Kazakh Cyrillic lands on the same letters as the passport of the same person. Arabic script keeps
its consonants and long vowels (short vowels are not written, so they cannot be recovered); the
comparison of Arabic with Latin therefore happens on consonant skeletons (see finmon.names.keys).
Other scripts fall back to anyascii.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum
from functools import lru_cache

from anyascii import anyascii

from finmon.names.keys import short_cached


class Script(StrEnum):
    LATIN = "latin"
    CYRILLIC = "cyrillic"
    ARABIC = "arabic"
    OTHER = "other"


CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "ie", "ы": "y", "ь": "", "э": "e", "ю": "iu", "я": "ia",
    # Kazakh letters, as passports and airlines write them.
    "ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",
    # Neighbouring Cyrillic alphabets (Ukrainian, Belarusian, Kyrgyz, Tajik, Uzbek).
    "є": "ie", "ї": "i", "ґ": "g", "ў": "u", "ҳ": "h", "ҷ": "j", "ӣ": "i", "ӯ": "u", "ҙ": "z",
    "ӊ": "n", "ӈ": "n", "ҡ": "k", "ҫ": "s",
}  # fmt: skip

# Letters that may be a consonant (w, y) or a long vowel (u, i) in Arabic script: written as the
# vowel inside a word and as the consonant at its start.
_ARABIC_WEAK = {"و": ("w", "u"), "ي": ("y", "i"), "ی": ("y", "i"), "ى": ("a", "a")}

ARABIC = {
    "ا": "a", "أ": "a", "إ": "i", "آ": "a", "ٱ": "a", "ب": "b", "ت": "t", "ث": "th", "ج": "j",
    "ح": "h", "خ": "kh", "د": "d", "ذ": "dh", "ر": "r", "ز": "z", "س": "s", "ش": "sh", "ص": "s",
    "ض": "d", "ط": "t", "ظ": "z", "ع": "", "غ": "gh", "ف": "f", "ق": "q", "ك": "k", "ل": "l",
    "م": "m", "ن": "n", "ه": "h", "ة": "a", "ء": "", "ئ": "", "ؤ": "", "ـ": "",
    # Persian and Urdu letters.
    "پ": "p", "چ": "ch", "ژ": "zh", "گ": "g", "ک": "k", "ڤ": "v", "ٹ": "t", "ڈ": "d", "ڑ": "r",
    "ں": "n", "ھ": "h", "ہ": "h", "ۃ": "a", "ے": "e",
}  # fmt: skip

# Latin letters whose plain decomposition would lose a sound that other romanisations spell out.
LATIN_SPECIAL = {
    "ş": "sh", "ș": "sh", "ç": "ch", "ı": "i", "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o",
    "đ": "d", "ð": "d", "þ": "th", "ł": "l", "ħ": "h",
}  # fmt: skip

# The article and the servant-of/father-of words, written joined to the next word.
_ARABIC_PREFIXES = (
    ("عبدال", "abd al"), ("ابوال", "abu al"), ("أبوال", "abu al"), ("وال", "wa al"), ("ال", "al"),
)  # fmt: skip
# Whole words whose usual reading the letters alone would miss.
_ARABIC_WORDS = {"عبد": "abd", "الله": "allah", "ابو": "abu", "أبو": "abu"}
_DIGRAPH_HEADS = frozenset("zsktdgcp")
# The divine name is written without its long vowel: الله, عبدالله, سيف الله.
_ALLAH = re.compile(r"allh$")
_ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def script_of(text: str) -> Script:
    """The script most letters of text are written in."""
    if text.isascii():
        return Script.LATIN  # every ASCII letter is Latin (most names a batch screens)
    counts = {Script.LATIN: 0, Script.CYRILLIC: 0, Script.ARABIC: 0, Script.OTHER: 0}
    for word in text.split():
        for script, letters in _word_scripts(word):
            counts[script] += letters
    best = max(counts, key=lambda s: counts[s])
    return best if counts[best] else Script.LATIN


def _scripts(word: str) -> tuple[tuple[Script, int], ...]:
    """How many letters of a word each script has (those with any)."""
    counts: dict[Script, int] = {}
    for char in word:
        if char.isalpha():
            script = _letter_script(char)
            counts[script] = counts.get(script, 0) + 1
    return tuple(counts.items())


_word_scripts = short_cached(_scripts)
"""_scripts once per word: names repeat words."""


def _letter_script(char: str) -> Script:
    code = ord(char)
    if code < 0x250 or 0x1E00 <= code < 0x1F00:
        return Script.LATIN
    if 0x400 <= code < 0x530:
        return Script.CYRILLIC
    if 0x600 <= code < 0x700 or 0x750 <= code < 0x780 or 0xFB50 <= code < 0xFF00:
        return Script.ARABIC
    return Script.OTHER


def to_latin(text: str) -> str:
    """Lowercase ASCII transliteration of text, word by word."""
    text = unicodedata.normalize("NFKC", text).lower().translate(_ARABIC_DIGITS)
    return " ".join([_word_to_latin(word) for word in text.split()])


def _word_to_latin(word: str) -> str:
    # Names repeat words: each is transliterated once (real words are far shorter than this).
    return _cached_word(word) if len(word) <= 64 else _new_word(word)


def _new_word(word: str) -> str:
    if any(char in ARABIC or char in _ARABIC_WEAK for char in word):
        return _arabic_word(word)
    out = []
    for char in word:
        if char in CYRILLIC:
            out.append(CYRILLIC[char])
        elif char in LATIN_SPECIAL:
            out.append(LATIN_SPECIAL[char])
        elif char.isascii():
            out.append(char)
        else:
            out.append(_strip_marks(char))
    latin = "".join(out)
    return _ALLAH.sub("allah", latin)


_cached_word = lru_cache(maxsize=100_000)(_new_word)


def _strip_marks(char: str) -> str:
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    return base if base.isascii() else anyascii(base).lower()


def _arabic_word(word: str) -> str:
    if word in _ARABIC_WORDS:
        return _ARABIC_WORDS[word]
    for prefix, latin in _ARABIC_PREFIXES:
        if word.startswith(prefix) and len(word) > len(prefix) + 1:
            return f"{latin} {_arabic_letters(word[len(prefix) :])}"
    return _arabic_letters(word)


def _arabic_letters(word: str) -> str:
    out: list[str] = []
    for index, char in enumerate(word):
        if char in "حه" and out and out[-1][-1:] in _DIGRAPH_HEADS:
            # Keep Z+H (زه) from reading as the digraph ZH; the vowel is dropped again later.
            out.append("a")
        if char == "ع" and index == 0:
            # A word-initial ain is heard as a vowel: Latin spellings start Omar, Ali, Isam.
            out.append("a")
        elif char in _ARABIC_WEAK:
            consonant, vowel = _ARABIC_WEAK[char]
            out.append(consonant if index == 0 or word[index - 1] in "اأإآ" else vowel)
        elif char in ARABIC:
            out.append(ARABIC[char])
        elif unicodedata.combining(char) or unicodedata.category(char) == "Mn":
            continue
        elif char.isascii():
            out.append(char)
        else:
            out.append(anyascii(char).lower())
    latin = "".join(out)
    return _ALLAH.sub("allah", latin)
