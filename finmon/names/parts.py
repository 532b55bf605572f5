"""Split a name into weighted tokens: given names and surnames, patronymics, particles, legal forms."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from finmon.model import Schema
from finmon.names.keys import fold, skeleton
from finmon.names.translit import Script, script_of, to_latin
from finmon.names.words import (
    COMMON_NAMES,
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


WEIGHTS = {
    TokenKind.NAME: 1.0,
    TokenKind.PATRONYMIC: 0.7,
    TokenKind.LEGAL: 0.1,
    TokenKind.GENERIC: 0.35,
    TokenKind.INITIAL: 0.25,
    TokenKind.NUMBER: 0.6,
}
COMMON_WEIGHT = 0.4

_ACRONYM = re.compile(r"\b(?:[a-z0-9]\.){2,}")
_QUOTES = re.compile(r"['`\u2018\u2019\u02bc\u02bb\"]")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_GENDER_FORM = re.compile(r"(ov|ev|in|sk|ik|enk)a$|(ski)a$")
_ENDINGS = sorted(PATRONYMIC_ENDINGS, key=len, reverse=True)
_ABD_WORDS = {
    fold(w): "abd" for w in ["abd", "abdul", "abdel", "abdal", "abdoul", "abdu", "abdool"]
}
_ABU_WORDS = {fold(w): "abu" for w in ["abu", "abou", "abo"]}
_LEGAL_KEYS = {fold(k): v for k, v in LEGAL_FORMS.items()}
_GENERIC_KEYS = frozenset(fold(w) for w in ORG_GENERIC)
_PARTICLE_KEYS = frozenset(fold(w) for w in PARTICLES)
_TITLE_KEYS = frozenset(fold(w) for w in TITLES)
_COMMON_SKELETONS = frozenset(skeleton(k) for k in COMMON_NAMES)
_PHRASES = [(re.compile(rf"\b{re.escape(p)}\b"), f" {a} ") for p, a in LEGAL_PHRASES.items()]


@dataclass(slots=True, frozen=True)
class NameToken:
    """One comparable part of a name."""

    text: str
    key: str
    skel: str
    kind: TokenKind
    weight: float
    arabic: bool
    stem: str
    """Patronymics: the father's name; gendered surnames: the masculine form; else the key."""


@dataclass(slots=True, frozen=True)
class AnalysedName:
    """A name ready to compare."""

    text: str
    script: Script
    latin: str
    tokens: tuple[NameToken, ...]


@lru_cache(maxsize=100_000)
def analyse_name(text: str, schema: Schema = Schema.UNKNOWN) -> AnalysedName:
    """Transliterate, clean and split a name into weighted tokens."""
    script = script_of(text)
    latin = to_latin(text)
    words = _words(latin, script is Script.ARABIC, schema)
    tokens = tuple(_token(w, i, len(words), script is Script.ARABIC, schema) for i, w in words)
    return AnalysedName(text, script, latin, tokens)


def _words(latin: str, arabic: bool, schema: Schema) -> list[tuple[int, str]]:
    cleaned = _QUOTES.sub("", _ACRONYM.sub(lambda m: m.group().replace(".", ""), latin))
    cleaned = " " + _NON_WORD.sub(" ", cleaned) + " "
    if schema is not Schema.PERSON:
        for pattern, abbreviation in _PHRASES:
            cleaned = pattern.sub(abbreviation, cleaned)
    raw = cleaned.split()
    if arabic:
        raw = _split_arabic_articles(raw)
    return list(enumerate(_merge(_drop_noise(raw))))


def _split_arabic_articles(words: list[str]) -> list[str]:
    out: list[str] = []
    for word in words:
        if word.startswith("bd"):
            word = "a" + word
        if word.startswith("al") and len(word) > 4:
            out.extend(("al", word[2:]))
        else:
            out.append(word)
    return out


def _drop_noise(words: list[str]) -> list[str]:
    keys = [fold(w) for w in words]
    content = [k not in _PARTICLE_KEYS and k not in _TITLE_KEYS for k in keys]
    if sum(content) < 1:
        return words
    return [w for w, keep in zip(words, content, strict=True) if keep]


def _merge(words: list[str]) -> list[str]:
    """Join 'Abd al-Rahman' into one token, and 'Abish uly' into one patronymic."""
    out: list[str] = []
    pending = ""
    for word in words:
        key = fold(word)
        if key in _ABD_WORDS or key in _ABU_WORDS:
            pending += _ABD_WORDS.get(key) or _ABU_WORDS[key]
            continue
        if key in PATRONYMIC_WORDS and out and not pending:
            out[-1] += word
            continue
        out.append(pending + word)
        pending = ""
    if pending:
        out.append(pending)
    return out


def _token(word: str, index: int, count: int, arabic: bool, schema: Schema) -> NameToken:
    key = fold(word)
    kind = _kind(key, index, count, schema)
    if kind is TokenKind.LEGAL:
        key = _LEGAL_KEYS[key]
    weight = WEIGHTS[kind]
    if kind is TokenKind.NAME and (
        key in COMMON_NAMES or (arabic and skeleton(key) in _COMMON_SKELETONS)
    ):
        weight = COMMON_WEIGHT
    return NameToken(word, key, skeleton(key), kind, weight, arabic, _stem(key, kind))


def _kind(key: str, index: int, count: int, schema: Schema) -> TokenKind:
    if key.isdigit():
        return TokenKind.NUMBER
    if len(key) == 1:
        return TokenKind.INITIAL
    if schema is not Schema.PERSON and count > 1:
        if key in _LEGAL_KEYS:
            return TokenKind.LEGAL
        if key in _GENERIC_KEYS:
            return TokenKind.GENERIC
    if schema in (Schema.PERSON, Schema.UNKNOWN) and count > 1 and index > 0 and _ending(key):
        return TokenKind.PATRONYMIC
    return TokenKind.NAME


def _ending(key: str) -> str:
    for ending in _ENDINGS:
        if key.endswith(ending) and len(key) >= len(ending) + 3:
            return ending
    return ""


def _stem(key: str, kind: TokenKind) -> str:
    if kind is TokenKind.PATRONYMIC:
        return key[: -len(_ending(key))]
    if kind is TokenKind.NAME:
        return _GENDER_FORM.sub(lambda m: m.group(1) or m.group(2), key)
    return key
