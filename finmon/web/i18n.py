"""The web pages' texts: the table finmon.common.texts reads (texts.csv beside this module)."""

from __future__ import annotations

from finmon.common.texts import (
    LANGUAGE_NAMES,
    LANGUAGES,
    TEXTS,
    WELCOME_KK,
    accepted_language,
    enum_text,
    has_text,
    missing_texts,
    status_text,
    text,
)

__all__ = [
    "LANGUAGES",
    "LANGUAGE_NAMES",
    "TEXTS",
    "WELCOME_KK",
    "accepted_language",
    "enum_text",
    "has_text",
    "missing_texts",
    "status_text",
    "text",
]
