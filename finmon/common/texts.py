"""finmon's texts in English, Russian and Kazakh, and how a reader's language is chosen.

The texts are one table, finmon/web/texts.csv (key, en, ru, kk), which translators edit without
code; it stays beside the web pages that use most of it, and is read here, beside the layers, so
that the CLI's readable output (through services) speaks the same words as the pages. A page asks
`text(lang, key)`. Every key has a text in every language (`missing_texts`, checked by a test:
no silent fall back to English), and a key missing altogether is a KeyError (tests render every
page in every language).
"""

from __future__ import annotations

import csv
import io
from importlib import resources

LANGUAGES = ("kk", "ru", "en")
"""Kazakh (the state language), Russian, English: the order the language switch offers them."""
LANGUAGE_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}
"""Each language named in itself, as a language switch names them."""
WELCOME_KK = "Қош келдіңіз!"
"""Kazakh: "Welcome!", shown on the sign-in page and the home page whatever the language."""


def _read_texts() -> dict[str, tuple[str, str, str]]:
    """The texts of texts.csv (key, English, Russian, Kazakh)."""
    texts: dict[str, tuple[str, str, str]] = {}
    table = resources.files("finmon").joinpath("web", "texts.csv").read_text(encoding="utf-8")
    rows = csv.reader(io.StringIO(table, newline=""))
    header = next(rows)
    if header != ["key", "en", "ru", "kk"]:
        raise ValueError(f"finmon/web/texts.csv: the header is {header}, not key,en,ru,kk")
    for number, row in enumerate(rows, start=2):
        if len(row) != 4:
            raise ValueError(f"finmon/web/texts.csv line {number}: {len(row)} columns, not 4")
        key, english, russian, kazakh = row
        if key in texts:
            raise ValueError(f"finmon/web/texts.csv: the key {key} stands twice")
        texts[key] = (english, russian, kazakh)
    return texts


TEXTS = _read_texts()
_COLUMN = {"en": 0, "ru": 1, "kk": 2}


def missing_texts() -> list[tuple[str, str]]:
    """Every (key, language) of the table with no text: none in a complete table."""
    return [
        (key, lang)
        for key, values in TEXTS.items()
        for lang, column in _COLUMN.items()
        if not values[column].strip()
    ]


def text(lang: str, key: str, *values: object) -> str:
    """The text for a key in a language (English for a language finmon does not speak), with
    `values` put in its {0}, {1} ... places."""
    found = TEXTS[key][_COLUMN.get(lang, 0)]
    return found.format(*values) if values else found


def has_text(key: str) -> bool:
    """Whether the table has a key."""
    return key in TEXTS


def status_text(lang: str, status: str) -> str:
    """A stored status in the reader's language (the status itself if unknown)."""
    key = f"status_{status}"
    return text(lang, key) if key in TEXTS else status


def enum_text(lang: str, group: str, value: object) -> str:
    """A stored value of a closed set (a gender, a match method, a feature) in the reader's
    language: the key `group_value`, or the value itself when the table has none (a value
    added to the code before the table is caught by the page-walking tests)."""
    key = f"{group}_{value}"
    return text(lang, key) if key in TEXTS else str(value)


def accepted_language(header: str) -> str | None:
    """The first of Kazakh, Russian and English an Accept-Language header prefers (RFC 9110:
    by q weight, then order), None when it names none of them."""
    best: tuple[float, int, str] | None = None
    for order, item in enumerate(header.split(",")):
        tag, _, params = item.strip().partition(";")
        weight = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in _COLUMN and weight > 0:
            candidate = (-weight, order, primary)
            if best is None or candidate < best:
                best = candidate
    return best[2] if best else None
