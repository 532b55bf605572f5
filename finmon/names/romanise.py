"""Chinese, Korean and Japanese names: romanised from their own script, and compared across
romanisation systems (pinyin and Wade-Giles; Revised Romanization and McCune-Reischauer).

A name in Han characters or Hangul is read syllable by syllable with ICU's Han-Latin and
Hangul-Latin transforms, the family name (the first syllable) apart and the given name's syllables
joined as pinyin and most passports write them (毛泽东 mao zedong, 김정은 gim jeongeun); a run of
Japanese kana is read whole by ICU's Katakana-Latin and Hiragana-Latin (バラク baraku). A word so
read is compared with a Latin spelling made only of such syllables on a key that evens out what
the systems spell differently: aspiration marks, voicing (k/g t/d p/b), the dental affricates
(ts, tz, z, c) and the others (ch, j, zh, q), hs/x, sh/s, MR ŏ/ŭ and RR eo/eu, ung/ong, ien/ian,
ieh/ie.
"""

from __future__ import annotations

import re
from functools import lru_cache

import icu

from finmon.names.keys import CACHED_LENGTH, short_cached

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
_CJK_WORD = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]+")
LONGEST_NAME = 4
"""Syllables in the longest word read as one family name and a given name (Chinese and Korean
personal names have two to four); a longer run is left as separate syllables."""


@lru_cache(maxsize=1)
def _transforms() -> tuple[icu.Transliterator, icu.Transliterator]:
    return (
        icu.Transliterator.createInstance("Han-Latin; Latin-ASCII; Lower"),
        icu.Transliterator.createInstance("Hangul-Latin; Latin-ASCII; Lower"),
    )


@lru_cache(maxsize=20_000)
def _syllable(char: str) -> str:
    han, hangul = _transforms()
    if not _HANGUL.match(char):
        return str(han.transliterate(char)).strip()
    syllable = str(hangul.transliterate(char)).strip()
    # ICU writes ㄹ as l; starting a syllable it is r in RR and McCune-Reischauer (리 Ri).
    return f"r{syllable[1:]}" if syllable.startswith("l") else syllable


def has_cjk(text: str) -> bool:
    """Whether text has Han characters or Hangul syllables."""
    return _CJK_WORD.search(text) is not None


_KANA_RUN = re.compile(r"[\u3041-\u30fa\u30fc-\u30ff]+")
"""Hiragana and katakana, the middle dot (・) that separates the words of a name excepted."""


@lru_cache(maxsize=1)
def _kana() -> icu.Transliterator:
    return icu.Transliterator.createInstance("Katakana-Latin; Hiragana-Latin; Latin-ASCII; Lower")


def _romanise_kana(text: str) -> str:
    """Each run of Japanese kana as one romanised word (バラク・オバマ 'baraku obama'): read whole,
    as a kana's voicing mark would be lost letter by letter."""
    kana = _kana()
    return _KANA_RUN.sub(lambda m: f" {kana.transliterate(m.group())} ", text).replace("・", " ")


def has_kana(text: str) -> bool:
    """Whether text has Japanese kana."""
    return _KANA_RUN.search(text) is not None


def romanise_cjk(text: str) -> str:
    """text with its Han characters and Hangul romanised: a name written in one run of two to
    four syllables as family name and joined given name (毛泽东 'mao zedong'), a name written in
    several runs as one word per run (海燕 陈 'haiyan chen'), a longer run syllable by syllable;
    other characters are left as they are."""
    if _KANA_RUN.search(text):
        text = _romanise_kana(text)
    if not has_cjk(text):
        return text
    runs = _CJK_WORD.findall(text)
    return _CJK_WORD.sub(lambda match: _run(match.group(), len(runs) == 1), text)


def _run(run: str, alone: bool) -> str:
    syllables = [_syllable(char) for char in run]
    if len(syllables) > LONGEST_NAME:
        return f" {' '.join(syllables)} "
    if alone and len(syllables) >= 2:
        return f" {syllables[0]} {''.join(syllables[1:])} "
    return f" {''.join(syllables)} "


# One romanised syllable of Chinese or Korean: an initial, a vowel group and a final consonant.
_INITIAL = r"(?:tsz|ts|tz|ch|zh|sh|hs|ss|jj|kk|tt|pp|[bcdfghjklmnpqrstwxyz])?"
_VOWELS = (
    r"(?:iao|uai|yae|yeo|wae|ae|ai|ao|ei|eo|eu|ia|ie|io|iu|oe|ou|ua|ue|ui|uo|ya|ye|yo|yu|wa|we"
    r"|wi|wo|ih|[aeiou])"
)
_FINAL = r"(?:ng|[nmlkptgbdr])?"
_SYLLABLES = re.compile(rf"(?:{_INITIAL}{_VOWELS}{_FINAL})+")
_SYLLABLE = re.compile(rf"{_INITIAL}{_VOWELS}{_FINAL}")


def one_syllable(word: str) -> bool:
    """Whether a lowercase word is one romanised Chinese or Korean syllable (shin, jiang)."""
    return _SYLLABLE.fullmatch(word) is not None


_MARKS = str.maketrans("", "", "'\u2018\u2019\u02bc")
_NAME_WORD = re.compile(r"[a-z'\u2018\u2019\u02bc-]+")
_ASPIRATED = re.compile(r"(?<![a-z])(?:ch|ts|tz|[ckpt])['\u2018\u2019\u02bc][aeiouy]")


def syllabic_romanisation(latin: str) -> bool:
    """Whether a Latin name reads as a Chinese or Korean name in Wade-Giles or McCune-Reischauer:
    made only of syllable strings, with a one-syllable word (the family name), and marked so by
    an aspiration mark (T'ieh) or a given name of one-syllable parts joined by hyphens, the first
    starting with a consonant (Hsi Chin-ping, Pak To-ch'un; not Nur ad-Din, Muhammad Ja-far).
    Such a name is compared with spellings in the other systems too, as a name read from Han or
    Hangul is."""
    lowered = latin.lower()
    words = [word.translate(_MARKS).strip("-") for word in _NAME_WORD.findall(lowered)]
    if len(words) < 2 or not all(_syllable_string(word.replace("-", "")) for word in words):
        return False
    if not any(_reads_as(_SYLLABLE, word) for word in words):
        return False
    if _ASPIRATED.search(lowered):
        return True
    return any(
        "-" in word
        and word[0] not in "aeiou"
        and all(_SYLLABLE.fullmatch(part) for part in word.split("-"))
        for word in words
    )


@short_cached
def _syllable_string(word: str) -> bool:
    """Whether a word is romanised syllables (_reads_as): the word's alone, so read once each."""
    return _reads_as(_SYLLABLES, word)


def _reads_as(syllables: re.Pattern[str], word: str) -> bool:
    """Whether a word is such syllables as written or read back from a Korean family name's
    English spelling (Lee as i, Park as pak, Rhee as ri: _ENGLISH_SPELLING)."""
    return (
        syllables.fullmatch(word) is not None or syllables.fullmatch(english_read(word)) is not None
    )


_KEY_RULES = (
    (re.compile(r"hs"), "x"),
    (re.compile(r"sh|ss"), "s"),
    (re.compile(r"tsz|ts|tz|dz|[zc](?!h)"), "z"),
    (re.compile(r"zh|ch|jj|[jq]"), "j"),
    (re.compile(r"eo"), "o"),
    (re.compile(r"eu"), "u"),
    (re.compile(r"ung"), "ong"),
    (re.compile(r"ien"), "ian"),
    (re.compile(r"eh"), "e"),
    (re.compile(r"ih\b|ih(?=[^aeiou])"), "i"),
    (re.compile(r"ee"), "i"),
    (re.compile(r"oo"), "u"),
)
_ENGLISH_SPELLING = (
    (re.compile(r"^rh"), "r"),
    (re.compile(r"(?<=[aeiou])h(?![aeiouy])"), ""),
    (re.compile(r"ar(?![aeiouy])"), "a"),
    (re.compile(r"ee"), "i"),
    (re.compile(r"^[rl](?=[iy])"), ""),
)
"""Family names as Koreans write them in English, read back as syllables: a silent h after a
vowel (Ahn, Roh, Oh), ar for a (Park), rh for r and ee for i (Rhee), and the r or l that South
Korean drops before i and y (Lee, Rhee, Lim, Ryu for 이, 임, 유)."""
_VOICING = str.maketrans("ktp", "gdb")
_DOUBLE = re.compile(r"(.)\1+")
ROMANISATION = 0.9
"""Similarity of two spellings of one Chinese or Korean name part in two romanisation systems:
below an exact match, as the systems merge sounds that one system keeps apart."""


@short_cached
def romanisation_key(word: str) -> str | None:
    """The system-neutral key of a lowercase word made only of Chinese or Korean syllables, or
    None when the word cannot be such a romanisation."""
    if len(word) > CACHED_LENGTH or not _SYLLABLES.fullmatch(word):
        return None
    key = word
    for pattern, replacement in _KEY_RULES:
        key = pattern.sub(replacement, key)
    return _DOUBLE.sub(r"\1", key.translate(_VOICING))


@short_cached
def spelling_key(word: str) -> str | None:
    """romanisation_key of a word read with English spellings too (Park as pak, Lee as i); what
    two spellings are compared and filed under, not what a name's frequency is read under (the
    table's Park is not the list's Pak)."""
    if len(word) > CACHED_LENGTH:
        return None
    return romanisation_key(english_read(word))


def english_read(word: str) -> str:
    """A lowercase word with the English spellings of Korean family names read back as the
    syllables they write (Lee as i, Park as pak, Ahn as an)."""
    for pattern, replacement in _ENGLISH_SPELLING:
        word = pattern.sub(replacement, word)
    return word


def romanisation_similarity(a: str, b: str) -> float:
    """ROMANISATION when two lowercase words (spaces ignored) are one syllable string in two
    romanisation systems, else 0. Only for a word read from Han, Hangul or kana (the caller's
    check): between two Latin words, voicing and vowel merges make other names meet (Farhad,
    Farhat; Temir, Demir)."""
    key_a = spelling_key(a.replace(" ", ""))
    if key_a is None or a.replace(" ", "") == b.replace(" ", ""):
        return 0.0
    return ROMANISATION if key_a == spelling_key(b.replace(" ", "")) else 0.0


SAME_SCRIPT_CAP = 0.75
"""Ceiling for two names written in Han or Hangul whose characters differ: in one script there is
no second spelling of a name, so a different character is a different name (高市早苗, 高石早苗)."""


@lru_cache(maxsize=1)
def _simplified() -> icu.Transliterator:
    return icu.Transliterator.createInstance("Traditional-Simplified")


def characters_differ(a: str, b: str) -> bool:
    """Whether two names written only in Han or Hangul (spaces aside) use different characters,
    in any order and with traditional characters read as simplified (習近平 is 习近平)."""
    runs_a, runs_b = _CJK_WORD.findall(a), _CJK_WORD.findall(b)
    if not runs_a or not runs_b or _CJK_WORD.sub("", a).strip() or _CJK_WORD.sub("", b).strip():
        return False
    simplified = _simplified()
    chars_a = sorted(str(simplified.transliterate("".join(runs_a))))
    return chars_a != sorted(str(simplified.transliterate("".join(runs_b))))


def romanisation_index_key(text: str) -> str | None:
    """The key under which a candidate index files a word for romanised lookups ('r:' and its
    romanisation key), or None when it cannot be a Chinese or Korean romanisation."""
    key = spelling_key(text.replace(" ", ""))
    return None if key is None else f"r:{key}"
