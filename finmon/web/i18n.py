"""The web interface's texts in English and Russian, and the Kazakh welcome every page opens with.

The texts are a table, texts.csv (key, English, Russian). A page asks `text(lang, key)`; a key
missing from a language falls back to English, and a key missing altogether is an error (tests
render every page in both languages).
"""

from __future__ import annotations

import csv
import io
from importlib import resources

LANGUAGES = ("en", "ru")
WELCOME_KK = "Қош келдіңіз!"
"""Kazakh: "Welcome!", shown on the sign-in page and the home page whatever the language."""


def _read_texts() -> dict[str, tuple[str, str]]:
    """The texts of texts.csv (key, English, Russian, Kazakh), a table translators edit."""
    texts: dict[str, tuple[str, str]] = {}
    table = resources.files("finmon.web").joinpath("texts.csv").read_text(encoding="utf-8")
    rows = csv.reader(io.StringIO(table, newline=""))
    next(rows)  # the header: key, en, ru, kk
    for key, english, russian, _kazakh in rows:
        if key in texts:
            raise ValueError(f"finmon/web/texts.csv: the key {key} stands twice")
        texts[key] = (english, russian)
    return texts


TEXTS = _read_texts()


def text(lang: str, key: str) -> str:
    """The text for a key in a language (English where the language has none)."""
    english, russian = TEXTS[key]
    return russian if lang == "ru" and russian else english


def status_text(lang: str, status: str) -> str:
    """A stored status in the reader's language (the status itself if unknown)."""
    key = f"status_{status}"
    return text(lang, key) if key in TEXTS else status
