"""Split a name into weighted tokens: names, patronymics, particles, legal forms."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, replace
from enum import StrEnum
from functools import lru_cache
from itertools import pairwise

from rigour.names.org_types import extract_org_types, replace_org_types_compare

from finmon.countries import to_iso2
from finmon.model import Schema
from finmon.names.evasion import readings
from finmon.names.frequency import information, rendered_information
from finmon.names.initials import split_initials
from finmon.names.keys import CACHED_LENGTH, cross_key, fold, skeleton
from finmon.names.numbers import read_numbers
from finmon.names.romanise import has_cjk, has_kana, romanise_cjk, syllabic_romanisation
from finmon.names.translit import Script, script_of, to_latin
from finmon.names.words import (
    LEGAL_FORM_EXTRAS,
    LEGAL_FORMS,
    LEGAL_PHRASES,
    ORG_GENERIC,
    PARTICLES,
    PATRONYMIC_ENDINGS,
    PATRONYMIC_WORDS,
    TITLES,
)


class TokenKind(StrEnum):
    NAME = "name"
    PATRONYMIC = "patronymic"
    LEGAL = "legal_form"
    GENERIC = "generic"
    INITIAL = "initial"
    NUMBER = "number"
    PLACE = "place"
    """A country or region in an organisation's name: Deutsche Bank (Schweiz), Faberlic Europe."""
    NISBA = "nisba"
    """An Arabic family or origin name introduced by the article: al-Tikriti, al-Masri."""


STRUCTURAL = frozenset({TokenKind.NAME, TokenKind.PATRONYMIC, TokenKind.NUMBER, TokenKind.NISBA})
"""Kinds that make up who a party is; particles, legal forms, generic words and initials do not."""


def structural_count(tokens: tuple[NameToken, ...]) -> int:
    """How many of a name's tokens are structural parts."""
    return sum(1 for t in tokens if t.kind in STRUCTURAL)


WEIGHTS = {
    TokenKind.NAME: 1.0,
    TokenKind.PATRONYMIC: 0.7,
    TokenKind.LEGAL: 0.1,
    TokenKind.GENERIC: 0.35,
    TokenKind.INITIAL: 0.25,
    TokenKind.NUMBER: 0.3,
    TokenKind.NISBA: 1.0,
    TokenKind.PLACE: 0.3,
}
COMMON_WEIGHT = 0.4
"""Least weight of a name part however common it is (Muhammad, Ivanov, Chen: 3 to 4 bits)."""
FULL_WEIGHT_BITS = 9.0
"""Information (finmon.names.frequency) at which a name part has its full weight: about one
person in 500 of the country where it is commonest. Below, the weight is bits / this. Chosen on
kz_ru_variants (9 bits: recall 100% on both halves; 11 bits: 99.2% / 98.4%); name_pairs_dev is
the same at 9, 10 and 11 bits (F1 0.869 tuning half, 0.851 checking half)."""

_ACRONYM = re.compile(r"\b(?:[a-z0-9]\.){2,}")
_QUOTES = re.compile(r"['`\u2018\u2019\u02bc\u02bb\"]")
_NON_WORD = re.compile(r"[^a-z0-9]+")
# Gendered forms of one name: Petrov/Petrova, Aliev/Alieva, Mario/Maria.
_GENDER_FORM = re.compile(r"(ov|ev|in|sk|ik|enk)a$|(ski)a$|(?<=[bcdfgjklmnprstvz])o$")
_ENDINGS = sorted(PATRONYMIC_ENDINGS, key=len, reverse=True)
_ABD_WORDS = {
    fold(w): "abd"
    for w in "abd abdul abdel abdal abdoul abdu abdou abdool abdur abdar abder abdor abdus".split()
}
_ABU_WORDS = {fold(w): "abu" for w in ["abu", "abou", "abo"]}
# Servant-of and father-of names written as one word: Abdurrahman, Abdelkader, Abubakar.
_COMPOUND_PREFIX = re.compile(
    r"^(abd)(?:oul|ul|el|al|ol|ur|ar|ir|er|us|as|ou|u|i|e)?(?=[a-z]{3,}$)|^(abu)(?=[a-z]{4,}$)"
)
# Keyed by the word as written, not by its fold: folds of two forms can coincide (LLP, LP).
_LEGAL_KEYS = {
    **{form: replace_org_types_compare(form, generic=True) for form in LEGAL_FORMS},
    **LEGAL_FORM_EXTRAS,
}
_GENERIC_KEYS = frozenset(fold(w) for w in ORG_GENERIC)
_PARTICLE_KEYS = frozenset(fold(w) for w in PARTICLES)
_TITLE_KEYS = frozenset(fold(w) for w in TITLES)
_PHRASES = [(re.compile(rf"\b{re.escape(p)}\b"), f" {a} ") for p, a in LEGAL_PHRASES.items()]
_FILIATION = frozenset(fold(w) for w in "bin ibn ben bint binti bn bnt ould wld".split())
_ARTICLES = frozenset(fold(w) for w in "al el ad ar as at an az ash ud ul ed er es et ut".split())
# Particles as they come out of Arabic script: ibn/bin (بن), bint (بنت), the article (ال), and
# walad (ولد), son of, which Latin spellings write Ould and drop as a particle.
_ARABIC_PARTICLES = frozenset({"bn", "bnt", "al", "va", "vld"})
# Titles as they come out of Arabic script: haji (حاجي), mulla (ملا), shaikh (شيخ), mawlawi, qari.
_ARABIC_TITLES = frozenset({"hji", "haj", "haji", "mla", "mula", "shih", "mulvi", "mlvi", "kari"})
_NOISE = {
    Script.LATIN: (_PARTICLE_KEYS, _TITLE_KEYS),
    Script.CYRILLIC: (_PARTICLE_KEYS, _TITLE_KEYS),
    Script.ARABIC: (_ARABIC_PARTICLES, _ARABIC_TITLES),
}
"""Particles and titles per script; romanised ideographs ('bin', 'li') are never particles."""
_ARTICLE_COMPOUNDS = frozenset(fold(w) for w in "din deen dine dawla daula".split())
_ROMAN = {r: str(n) for n, r in enumerate("i ii iii iv v vi vii viii ix x xi xii".split(), 1)}
_ROMAN_WORD = re.compile(r"\b(?:ii|iii|iv|vi|vii|viii|ix|xi|xii)\b", re.IGNORECASE)
_ORGANISATIONS = (Schema.ORGANIZATION, Schema.VESSEL, Schema.AIRCRAFT)
_REGIONS = frozenset(
    fold(w)
    for w in "europe asia africa america americas eurasia caucasus gulf schweiz suisse "
    "deutschland rossiia qazaqstan kazakstan".split()
)
_GLUED_LEGAL = re.compile(r"(?<=[a-z]{3})(GmbH|[A-Z]{2,4})\b")
"""A legal form in capitals glued to the lowercase end of a name (SiemensAG, AcmeLLC)."""
_IDEOGRAPHIC = re.compile(r"([\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff])")


@dataclass(slots=True)
class _Word:
    text: str
    hint: TokenKind | None = None


@dataclass(slots=True, frozen=True, eq=False)
class NameToken:
    """One comparable part of a name; tokens with the same sig are equal."""

    text: str
    key: str
    skel: str
    kind: TokenKind
    weight: float
    arabic: bool
    stem: str
    """Patronymics: the father's name; gendered surnames: the masculine form; else the key."""
    cross: str
    """Consonant key for comparison across scripts (see finmon.names.keys.cross_key)."""

    romanised: bool = False
    """Read from Han, Hangul or kana (finmon.names.romanise): compared with Latin spellings in
    other romanisation systems too."""

    sig: str = field(default="", compare=False)
    """Identity for hashing: what the comparison of two tokens depends on (set on creation): the
    key, and the spelling as written where it differs (Maaxim and Maksim share a key)."""

    def __post_init__(self) -> None:
        written = f":{self.text}" if self.text != self.key else ""
        script = "a" if self.arabic else "r" if self.romanised else "l"
        object.__setattr__(
            self, "sig", f"{self.kind.value}:{script}:{self.key}:{self.cross}{written}"
        )

    def __hash__(self) -> int:
        return hash(self.sig)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NameToken) and self.sig == other.sig

    def __setstate__(self, state: list[object]) -> None:
        _restore(self, _TOKEN_FIELDS, state)


@dataclass(slots=True, frozen=True)
class AnalysedName:
    """A name ready to compare."""

    text: str
    script: Script
    latin: str
    tokens: tuple[NameToken, ...]
    joined: tuple[NameToken, ...]
    """Each token joined with the next one ('abdul aziz' as 'abdulaziz'), position by position."""
    schema: Schema = Schema.UNKNOWN
    readings: tuple[AnalysedName, ...] = ()
    """The name read another way: letters spaced out joined, digits for letters read as letters
    (finmon.names.evasion.readings); compared besides the name as written."""

    @property
    def words(self) -> tuple[str, ...]:
        """The words of the transliteration, particles included ('usama', 'bin', 'laden')."""
        return latin_words(self.latin)

    def __setstate__(self, state: list[object]) -> None:
        _restore(self, _NAME_FIELDS, state)


_TOKEN_FIELDS = tuple(f.name for f in fields(NameToken))
_NAME_FIELDS = tuple(f.name for f in fields(AnalysedName))


def _restore(item: object, names: tuple[str, ...], state: list[object]) -> None:
    """A frozen slotted dataclass's fields set back from its pickled state (the values in field
    order), as dataclasses does it but without looking the fields up each time: list names are
    unpickled by the ten thousand as a batch meets them."""
    for name, value in zip(names, state, strict=True):
        object.__setattr__(item, name, value)


CACHED_NAME = 256
"""Longest name whose analysis is cached (real list names stay under 300 characters): a cache
of hostile names of 100,000 characters would hold gigabytes."""


def analyse_name(text: str, schema: Schema = Schema.UNKNOWN) -> AnalysedName:
    """Transliterate, clean and split a name into weighted tokens."""
    if len(text) > CACHED_NAME:
        return _analyse(text, schema)
    return _analyse_cached(text, schema)


def _analyse(text: str, schema: Schema, read: bool = True) -> AnalysedName:
    script = script_of(text)
    arabic = script is Script.ARABIC
    source = text
    if schema is not Schema.PERSON and _GLUED_LEGAL.search(text):
        source = _GLUED_LEGAL.sub(_unglued, text)
    source = _org_types(source) if schema in _ORGANISATIONS else source
    if schema is Schema.PERSON:
        source = split_initials(source)
    romanised = romanise_cjk(source)
    if _IDEOGRAPHIC.search(romanised):
        romanised = _IDEOGRAPHIC.sub(r" \1 ", romanised)
    latin = to_latin(romanised)
    words = _words(latin, script, schema)
    syllabic = has_cjk(source) or has_kana(source)
    if syllabic:
        # A Han or Hangul syllable read as one Latin letter (오 as O) is a name, never an initial.
        words = [
            replace(w, hint=TokenKind.NAME) if len(w.text) == 1 and not w.hint else w for w in words
        ]
    tokens = tuple(_token(w, i, len(words), arabic, schema) for i, w in enumerate(words))
    if syllabic or syllabic_romanisation(latin):
        tokens = tuple(replace(token, romanised=True) for token in tokens)
    found = tuple(_analyse(r, schema, False) for r in readings(text)) if read else ()
    return AnalysedName(text, script, latin, tokens, _joined(tokens), schema, found)


_analyse_cached = lru_cache(maxsize=100_000)(_analyse)


def _unglued(match: re.Match[str]) -> str:
    """A glued legal form set apart as its own word; other capitals (McDONALD) left as they are."""
    form = match.group()
    return f" {form}" if form.casefold() in _LEGAL_KEYS and len(form) >= 2 else form


@lru_cache(maxsize=100_000)
def latin_words(latin: str) -> tuple[str, ...]:
    """The words of a transliterated name, acronyms closed up (B.I.N as bin)."""
    cleaned = _QUOTES.sub("", _ACRONYM.sub(lambda m: m.group().replace(".", ""), latin))
    return tuple(_NON_WORD.sub(" ", cleaned).split())


def _joined(tokens: tuple[NameToken, ...]) -> tuple[NameToken, ...]:
    out = []
    for a, b in pairwise(tokens):
        # A pair's token is made of its parts' alone: made once per pair (given names and
        # patronymics, patronymics and surnames repeat together).
        if len(a.text) + len(b.text) > CACHED_LENGTH:
            out.append(_join(a, b))
            continue
        pair = (a.sig, b.sig, a.romanised, b.romanised)
        joined = _PAIRS.get(pair)
        if joined is None:
            if len(_PAIRS) > CACHED_TOKENS:
                _PAIRS.clear()
            joined = _PAIRS[pair] = _join(a, b)
        out.append(joined)
    return tuple(out)


def _join(a: NameToken, b: NameToken) -> NameToken:
    """Two adjacent tokens as one name part: their words run together, the larger weight.
    Every field of either token is given by its sig but romanised (which the sig says only when
    the token is not written in Arabic script), so the two sigs and those two flags say it."""
    text = f"{a.text} {b.text}"
    # fold(text) and skeleton of it, from the parts' (cached): both fold and skeleton merge
    # repeated letters, which can only meet across the join.
    first, second = fold(a.text), fold(b.text)
    key = _run_together(first, second)
    return NameToken(
        text,
        key,
        _run_together(skeleton(first), skeleton(second)),
        TokenKind.NAME,
        max(a.weight, b.weight),
        a.arabic,
        key,
        cross_key(text),
        a.romanised or b.romanised,
    )


def _run_together(first: str, second: str) -> str:
    """Two keys without repeated letters joined as one: a letter ending the first and starting
    the second is written once."""
    if first and second and first[-1] == second[0]:
        return first + second[1:]
    return first + second


def _org_types(text: str) -> str:
    """Legal forms in any language (Aktiengesellschaft, ТОО, Sp. z o.o.) to one short form."""
    text = _ROMAN_WORD.sub(lambda m: _ROMAN[m.group().lower()], _QUOTES.sub("", text))
    return replace_org_types_compare(text.casefold(), generic=True)


def _words(latin: str, script: Script, schema: Schema) -> list[_Word]:
    # A person's dotted letters are initials (V.V. Putin), an organisation's an acronym (U.S.).
    initials = schema is Schema.PERSON or (schema is Schema.UNKNOWN and script is Script.CYRILLIC)
    closed = " " if initials else ""
    cleaned = _QUOTES.sub("", _ACRONYM.sub(lambda m: m.group().replace(".", closed), latin))
    cleaned = " " + _NON_WORD.sub(" ", cleaned) + " "
    legal: set[str] = set()
    if schema in _ORGANISATIONS:
        for pattern, abbreviation in _PHRASES:
            cleaned = pattern.sub(abbreviation, cleaned)
        legal = {fold(form) for _, form in extract_org_types(cleaned)}
    raw = read_numbers(cleaned.split(), script is Script.CYRILLIC)
    words = _merge(_drop_noise(raw, script))
    if legal:
        for word in words:
            if fold(word.text) in legal:
                word.hint = TokenKind.LEGAL
    return words


def _drop_noise(raw: list[str], script: Script) -> list[_Word]:
    """Drop particles and titles; mark the words that a particle introduced."""
    keys = [fold(w) for w in raw]
    particles, titles = _NOISE.get(script, (frozenset(), frozenset()))
    last = len(raw) - 1
    words: list[_Word] = []
    kept: list[str] = []
    hint: TokenKind | None = None
    for i, (text, key) in enumerate(zip(raw, keys, strict=True)):
        if key in particles and i < last and _reads_as_particle(raw, i, key, script):
            hint = _particle_hint(key) or hint
            continue
        words.append(_Word(text, hint))
        kept.append(key)
        hint = None
    if not words:
        return [_Word(text) for text in raw]
    content = [w for w, key in zip(words, kept, strict=True) if key not in titles]
    if len(content) >= 2:
        words = content
    if words[-1].hint is TokenKind.PATRONYMIC:
        words[-1].hint = None
    return words


def _reads_as_particle(raw: list[str], i: int, key: str, script: Script) -> bool:
    """Whether a word whose fold is a particle's is that particle: a Cyrillic letter alone, or a
    letter beside another letter alone, is an initial (Иванов И. И., Smirnova E. A.; a particle
    joins two names, Ortega y Gasset), and a Latin word that the fold shortens by two letters or
    more is another word that folds onto it (T'ieh as te, the fold of 'the'). A Latin word is a
    particle only as written: Wan, Lee, Yi and Ye, common names, fold onto van, le, y and e."""
    text = raw[i]
    before = len(raw[i - 1]) if i else 0
    if len(key) == 1 and (script is Script.CYRILLIC or 1 in (before, len(raw[i + 1]))):
        return False
    if script is Script.LATIN and text not in PARTICLES:
        return False
    return script is Script.ARABIC or len(text) - len(key) < 2


def is_particle(key: str) -> bool:
    """Whether a folded word is a particle in some script (bin, al-, ould, ولد): a word that
    says whose son a party is or introduces a family name, not a name of its own."""
    return key in _PARTICLE_KEYS or key in _ARABIC_PARTICLES or key in _FILIATION


def _particle_hint(key: str) -> TokenKind | None:
    if key in _FILIATION:
        return TokenKind.PATRONYMIC
    if key in _ARTICLES:
        return TokenKind.NISBA
    return None


def _merge(words: list[_Word]) -> list[_Word]:
    """Split 'Abdurrahman' like 'Abd al-Rahman'; join 'Abish uly' and 'Saif al-Din' into one."""
    out: list[_Word] = []
    for word in words:
        key = fold(word.text)
        if key in _ABD_WORDS or key in _ABU_WORDS:
            out.append(_Word(_ABD_WORDS.get(key) or _ABU_WORDS[key], word.hint))
        elif out and out[-1].text in ("abd", "abu"):
            # The name after Abd or Abu is of the compound (its al- makes no family name) and
            # belongs where Abd stands: in bin Abdul Aziz, a father's name.
            out.append(_Word(word.text, out[-1].hint))
        elif out and (key in PATRONYMIC_WORDS or key in _ARTICLE_COMPOUNDS):
            out[-1].text += f" {word.text}"
        elif prefix := _COMPOUND_PREFIX.match(word.text):
            head = prefix.group(1) or prefix.group(2)
            out.extend((_Word(head, word.hint), _Word(word.text[prefix.end() :], word.hint)))
        else:
            out.append(word)
    return out


def _token(word: _Word, index: int, count: int, arabic: bool, schema: Schema) -> NameToken:
    # Tokens are immutable and a batch's names repeat words: made once per word and place.
    if len(word.text) > CACHED_LENGTH:
        return _new_token(word, index, count, arabic, schema)
    place = (word.text, word.hint, index > 0, count > 1, arabic, schema)
    token = _TOKENS.get(place)
    if token is None:
        if len(_TOKENS) > CACHED_TOKENS:
            _TOKENS.clear()
        token = _TOKENS[place] = _new_token(word, index, count, arabic, schema)
    return token


CACHED_TOKENS = 200_000
"""Words whose tokens are remembered before the memory is emptied (a long batch stays bounded)."""
_TOKENS: dict[tuple[str, TokenKind | None, bool, bool, bool, Schema], NameToken] = {}
_PAIRS: dict[tuple[str, str, bool, bool], NameToken] = {}
"""Joined tokens by their parts' sigs and romanised flags (_joined), as bounded as _TOKENS."""


def _new_token(word: _Word, index: int, count: int, arabic: bool, schema: Schema) -> NameToken:
    # A number is its digits: folding doubles would make 44 the 4 of another brigade.
    key = word.text if word.text.isdigit() else fold(word.text)
    kind = word.hint or _kind(word.text, key, index, count, schema)
    if kind is TokenKind.LEGAL:
        key = _LEGAL_KEYS.get(word.text, key)
    cross = cross_key(word.text)
    weight = (
        name_weight(key, cross if arabic else None) if kind is TokenKind.NAME else WEIGHTS[kind]
    )
    stem = _stem(key, kind)
    return NameToken(word.text, key, skeleton(key), kind, weight, arabic, stem, cross)


def name_weight(key: str, cross: str | None = None) -> float:
    """Weight of a name part by how common it is: its information over FULL_WEIGHT_BITS,
    bounded by COMMON_WEIGHT and 1 (a shared common name is weak evidence of identity). A part
    written in Arabic script (its consonant key given as cross) is as common as the Latin
    spellings that render it (finmon.names.frequency.rendered_information)."""
    bits = information(key) if cross is None else rendered_information(key, cross)
    return max(COMMON_WEIGHT, min(1.0, bits / FULL_WEIGHT_BITS))


def _kind(word: str, key: str, index: int, count: int, schema: Schema) -> TokenKind:
    if key.isdigit():
        return TokenKind.NUMBER
    if len(key) == 1 and len(word) == 1:
        # A word the fold leaves one letter of is a one-syllable name (Yi, Ye, Oh), not an initial.
        return TokenKind.INITIAL
    if schema is not Schema.PERSON and count > 1:
        # Unknown parties are often people: only unmistakable legal forms count there.
        if word in _LEGAL_KEYS and (schema in _ORGANISATIONS or len(word) >= 3):
            return TokenKind.LEGAL
        if key in _GENERIC_KEYS:
            return TokenKind.GENERIC
        if schema in _ORGANISATIONS and _is_place(key):
            return TokenKind.PLACE
    if schema in (Schema.PERSON, Schema.UNKNOWN) and count > 1 and index > 0 and _ending(key):
        return TokenKind.PATRONYMIC
    return TokenKind.NAME


def _is_place(key: str) -> bool:
    return key in _REGIONS or to_iso2(key.capitalize()) is not None


def _ending(key: str) -> str:
    for ending in _ENDINGS:
        if key.endswith(ending) and len(key) >= len(ending) + 3:
            return ending
    return ""


def _stem(key: str, kind: TokenKind) -> str:
    if kind is TokenKind.PATRONYMIC:
        return key[: -len(_ending(key))] if _ending(key) else key
    if kind is TokenKind.NAME:
        return _GENDER_FORM.sub(_base_form, key)
    return key


def _base_form(match: re.Match[str]) -> str:
    return match.group(1) or match.group(2) or "a"
