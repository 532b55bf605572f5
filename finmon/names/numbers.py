"""Numbers in names read as one key: digits, ordinals, English and Russian number words, Roman
numerals (Brigade Forty-Four, Brigade 44; First Bank, 1st Bank; Henry VIII, Henry 8).

The number words come from num2words (cardinals and ordinals 1 to 100, Russian ordinals in their
three genders), transliterated as names are; a Roman numeral counts only where it cannot be a word
or a name part: after the first word, and a two-letter one only at the end of a longer name.
"""

from __future__ import annotations

import re
from functools import lru_cache

from num2words import num2words

from finmon.names.translit import to_latin

LARGEST = 100
"""Number words are read up to this value; larger numbers in names are written in digits."""
_LONGEST_PHRASE = 3
"""Words in the longest number phrase read (one hundred and ... is not read)."""
_DIGIT_ORDINAL = re.compile(r"^(\d+)(?:st|nd|rd|th)$")
_TENS = frozenset(str(n) for n in range(20, 100, 10))
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
ROMAN_LARGEST = 39
"""Roman numerals are read up to XXXIX: regnal and series numbers, not words like MIX or CIVIC."""
_ROMAN_SHORT_ALWAYS = frozenset({"ii", "iv"})
_ROMAN_SHORT_LAST = frozenset({"ix", "vi", "xi", "xv", "xx"})
"""Two-letter numerals that are also syllables of names (Xi, Vi): read only as a long name's last
word, where series and regnal numbers stand."""
# Russian ordinal endings by gender (первый, первая, первое; второй, вторая, второе).
_RU_ORDINAL_FORMS = (("ый", ("ая", "ое")), ("ой", ("ая", "ое")), ("ий", ("ья", "ье", "яя", "ее")))


@lru_cache(maxsize=2)
def _starts(cyrillic: bool) -> frozenset[str]:
    """The words a number phrase starts with (a word that starts none is no phrase's)."""
    return frozenset(phrase[0] for phrase in _words(cyrillic))


@lru_cache(maxsize=2)
def _words(cyrillic: bool) -> dict[tuple[str, ...], str]:
    """Number phrases (as transliterated word tuples) to their digits: English, and Russian too
    for names written in Cyrillic (transliterated, Russian number words are names: Sem, Tri)."""
    table: dict[tuple[str, ...], str] = {}
    for n in range(1, LARGEST + 1):
        texts = [num2words(n, lang="en"), num2words(n, lang="en", to="ordinal")]
        if cyrillic:
            texts += [num2words(n, lang="ru"), num2words(n, lang="ru", to="ordinal")]
            ordinal = texts[-1]
            for ending, others in _RU_ORDINAL_FORMS:
                if ordinal.endswith(ending):
                    texts += [ordinal[: -len(ending)] + other for other in others]
        for text in texts:
            table.setdefault(tuple(to_latin(text.replace("-", " ")).split()), str(n))
    return table


_ROMAN_LETTERS = re.compile("[" + "".join(_ROMAN_VALUES) + "]+")


def roman_value(word: str) -> int | None:
    """The value of a lowercase Roman numeral written the standard way, or None."""
    if _ROMAN_LETTERS.fullmatch(word) is None:
        return None
    total = 0
    for index, char in enumerate(word):
        value = _ROMAN_VALUES[char]
        following = _ROMAN_VALUES[word[index + 1]] if index + 1 < len(word) else 0
        total += -value if value < following else value
    return total if total > 0 and _roman(total) == word else None


def _roman(value: int) -> str:
    out = []
    for number, numeral in (
        (100, "c"), (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"),
        (1, "i"),
    ):  # fmt: skip
        while value >= number:
            out.append(numeral)
            value -= number
    return "".join(out)


def _roman_number(word: str, index: int, count: int) -> str | None:
    """A Roman numeral's digits where the word's place says it is a numeral."""
    if index == 0 or len(word) < 2:
        return None
    last_of_long = index == count - 1 and count >= 3
    if len(word) == 2 and not (
        word in _ROMAN_SHORT_ALWAYS or (word in _ROMAN_SHORT_LAST and last_of_long)
    ):
        return None
    value = roman_value(word)
    return str(value) if value is not None and value <= ROMAN_LARGEST else None


_SCALES = {"hundred": 100, "thousand": 1000}
"""English scale words after a number phrase: three hundred, twelve thousand five hundred."""


def _scaled(
    words: list[str], index: int, digits: str, table: dict[tuple[str, ...], str]
) -> tuple[str, int]:
    """A number phrase's value carried on by the scale words and the smaller phrases after them
    (three hundred and six: 306; twelve thousand five hundred: 12500), with the index of the
    first word it leaves."""
    total, current, scaled = 0, int(digits), False
    # An ordinal is not scaled: the First Hundred is not 100.
    ordinal = words[index - 1].endswith(("st", "nd", "rd", "th"))
    while index < len(words) and not ordinal:
        scale = _SCALES.get(words[index])
        if scale is not None and 0 < current < scale:
            total, current = (
                (total, current * scale) if scale == 100 else (total + current * scale, 0)
            )
            index, scaled = index + 1, True
            continue
        if not scaled or current % 100:
            break
        rest = index + (words[index] == "and")
        found = _phrase(words, rest, table)
        if found is None:
            break
        current, index = current + found[0], rest + found[1]
    return str(total + current), index


def _phrase(
    words: list[str], start: int, table: dict[tuple[str, ...], str]
) -> tuple[int, int] | None:
    """The value (below 100) and length of the longest number phrase at start, or None."""
    for size in range(min(_LONGEST_PHRASE, len(words) - start), 0, -1):
        digits = table.get(tuple(words[start : start + size]))
        if digits is not None and int(digits) < 100:
            return int(digits), size
    return None


def read_numbers(words: list[str], cyrillic: bool = False) -> list[str]:
    """Lowercase transliterated words with each number phrase, ordinal or numeral as its digits
    (forty four -> 44, 1st -> 1, viii -> 8); other words unchanged. Russian number words are read
    in names written in Cyrillic."""
    table, starts = _words(cyrillic), _starts(cyrillic)
    out: list[str] = []
    index = 0
    count = len(words)
    while index < count:
        # A word that starts no phrase is read alone (nearly every word of a name).
        longest = min(_LONGEST_PHRASE, count - index) if words[index] in starts else 0
        for size in range(longest, 0, -1):
            digits = table.get(tuple(words[index : index + size]))
            if digits is not None:
                index += size
                # Tens in words and units in digits (Forty 4) are one number.
                unit = words[index] if index < count else ""
                if digits in _TENS and len(unit) == 1 and unit in "123456789":
                    digits = str(int(digits) + int(unit))
                    index += 1
                digits, index = _scaled(words, index, digits, table)
                out.append(digits)
                break
        else:
            word = words[index]
            ordinal = _DIGIT_ORDINAL.match(word)
            if ordinal:
                out.append(str(int(ordinal.group(1))))
            else:
                out.append(_roman_number(word, index, count) or word)
            index += 1
    return out
