"""Small builders every parser shares: de-duplicated names, remarks, identifier kinds."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from finmon.model import BirthDate, DesignationName, NameQuality

_PASSPORT = re.compile(r"passport|pasaporte|passeport|паспорт", re.I)
_NATIONAL_ID = re.compile(
    r"national (?:identification|identity|id)|^national_id$|^cedula|^d\.?n\.?i\.?$", re.I
)
_SNAKE = re.compile(r"[^\w]+")


def clean(text: str | None) -> str:
    """Text with runs of whitespace (newlines too) collapsed to one space."""
    return " ".join(text.split()) if text else ""


class NameList:
    """The names of one designation in list order, each distinct text kept once."""

    def __init__(self) -> None:
        self._names: list[DesignationName] = []
        self._seen: set[str] = set()

    def add(self, text: str | None, quality: NameQuality, original_script: bool = False) -> None:
        """Add a name unless it is empty or already there."""
        full = clean(text)
        if not full or full in self._seen:
            return
        self._seen.add(full)
        self._names.append(DesignationName(full, quality, original_script))

    def result(self) -> list[DesignationName]:
        """The names, the first promoted to PRIMARY when the list gave no primary name."""
        names = list(self._names)
        if names and not any(n.quality is NameQuality.PRIMARY for n in names):
            first = names[0]
            names[0] = DesignationName(first.full, NameQuality.PRIMARY, first.original_script)
        return names


def join_remarks(parts: Iterable[str | None]) -> str | None:
    """Non-empty remark parts one per line, or None."""
    kept = [p.strip() for p in parts if p and p.strip()]
    return "\n".join(kept) if kept else None


def identifier_kind(text: str | None) -> str:
    """A document type as a short kind: "passport", "national_id", else a lowercase snake form."""
    label = clean(text)
    if _PASSPORT.search(label):
        return "passport"
    if _NATIONAL_ID.search(label):
        return "national_id"
    folded = unicodedata.normalize("NFKD", label.casefold())
    ascii_ish = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return _SNAKE.sub("_", ascii_ish).strip("_") or "other"


def unique(values: Iterable[str]) -> list[str]:
    """Values in first-seen order with repeats dropped."""
    return list(dict.fromkeys(v for v in values if v))


def unique_dates(dates: Iterable[BirthDate | None]) -> list[BirthDate]:
    """Birth dates in first-seen order, absent and repeated ones dropped."""
    return list(dict.fromkeys(d for d in dates if d is not None))
