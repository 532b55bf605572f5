"""Facts OFAC's legacy CSV keeps in its free-text remarks: "DOB 12 Jan 1960; POB Kabul, Afghanistan;
nationality Afghanistan; Gender Male; Passport A1234 (Afghanistan); a.k.a. 'ABU X'."
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from finmon.countries import countries_in, to_iso2
from finmon.lists.dates import written_date
from finmon.model import BirthDate, Gender, Identifier

# Remark keyword -> identifier kind. Longer keywords first so "National ID No." wins over shorter.
_IDENTIFIER_KINDS = (
    ("National ID No.", "national_id"),
    ("Identification Number", "national_id"),
    ("Cedula No.", "national_id"),
    ("D.N.I.", "national_id"),
    ("Passport", "passport"),
    ("Tax ID No.", "tax_id"),
    ("SSN", "ssn"),
    ("Registration Number", "registration_number"),
    ("Vessel Registration Identification", "vessel_registration"),
)
_ALIAS_MARKERS = {"a.k.a.": "weak", "f.k.a.": "former", "n.k.a.": "weak"}
_ALT = re.compile(r"^alt\.\s+", re.I)
_COUNTRY_IN_PARENS = re.compile(r"^(?P<number>.*?)\s*\((?P<country>[^)]*)\)\s*(?P<rest>.*)$")
_NUMBER_END = re.compile(r"\s+(?=issued\b|expires\b|valid\b|expir)", re.I)
_RANGE = re.compile(r"\s+to\s+|(?<=\d{4})-(?=\d{4})")


@dataclass(slots=True)
class RemarkFacts:
    """What could be read from one entry's remarks."""

    birth_dates: list[BirthDate] = field(default_factory=list)
    birth_places: list[str] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)
    gender: Gender | None = None
    identifiers: list[Identifier] = field(default_factory=list)
    weak_aliases: list[str] = field(default_factory=list)
    former_aliases: list[str] = field(default_factory=list)


def read_remarks(text: str) -> RemarkFacts:
    """Pick the birth dates, places, nationalities, gender, documents and aliases out of remarks."""
    facts = RemarkFacts()
    for item in text.split(";"):
        _read_item(_ALT.sub("", item.strip()).rstrip(".").strip(), facts)
    return facts


def remark_birth_date(value: str) -> BirthDate | None:
    """A DOB remark value: "12 Jan 1960", "circa 1955", "1960 to 1962", "Jan 1960", "1963-1965"."""
    approximate = value.lower().startswith("circa")
    value = value[5:].strip() if approximate else value.strip()
    sides = _RANGE.split(value, maxsplit=1)
    first = written_date(sides[0])
    last = written_date(sides[-1]) if len(sides) == 2 else first
    if first is None or last is None or first.earliest > last.latest:
        return None
    return BirthDate(first.earliest, last.latest, approximate)


def _read_item(item: str, facts: RemarkFacts) -> None:
    if item.startswith("DOB "):
        found = remark_birth_date(item[4:])
        if found is not None and found not in facts.birth_dates:
            facts.birth_dates.append(found)
    elif item.startswith("POB "):
        facts.birth_places.append(item[4:].strip())
    elif item.startswith(("nationality ", "citizen ")):
        for code in countries_in(item.split(" ", 1)[1]):
            if code not in facts.nationalities:
                facts.nationalities.append(code)
    elif item.startswith("Gender "):
        facts.gender = Gender.parse(item[7:])
    elif _read_alias(item, facts):
        return
    else:
        _read_identifier(item, facts)


def _read_alias(item: str, facts: RemarkFacts) -> bool:
    for marker, kind in _ALIAS_MARKERS.items():
        if item.startswith(marker):
            name = _unquote(item[len(marker) :])
            if name:
                (facts.former_aliases if kind == "former" else facts.weak_aliases).append(name)
            return True
    return False


def _read_identifier(item: str, facts: RemarkFacts) -> None:
    for keyword, kind in _IDENTIFIER_KINDS:
        if item.startswith(keyword + " "):
            found = _identifier(kind, item[len(keyword) :].strip())
            if found is not None:
                facts.identifiers.append(found)
            return


def _identifier(kind: str, value: str) -> Identifier | None:
    """ "A1234 (Country) issued 2001" -> number A1234, country, note "issued 2001"."""
    match = _COUNTRY_IN_PARENS.match(value)
    if match:
        number, country_text, rest = match.group("number", "country", "rest")
    else:
        number = _NUMBER_END.split(value, maxsplit=1)[0]
        rest, country_text = value[len(number) :], ""
    number = number.strip().lstrip("#").strip()
    if kind == "national_id" and number.startswith("IMO "):
        kind, number = "imo", number[4:].strip()
    if not number:
        return None
    country = to_iso2(country_text) if country_text else None
    note = " ".join(part for part in (rest.strip(), "" if country else country_text) if part)
    return Identifier(kind, number, country, note or None)


def _unquote(text: str) -> str:
    text = text.strip()
    start, end = text.find("'"), text.rfind("'")
    if start != -1 and end > start:
        text = text[start + 1 : end]
    return " ".join(text.split())
