"""Plain records shared by every part of finmon. No I/O here."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Schema(StrEnum):
    """What kind of party a name belongs to."""

    PERSON = "person"
    ORGANIZATION = "organization"
    VESSEL = "vessel"
    AIRCRAFT = "aircraft"
    UNKNOWN = "unknown"

    @classmethod
    def parse(cls, text: str | None) -> Schema:
        """Read a schema from loose input such as 'Person', 'individual', 'Company', 'entity',
        'Физ. лицо', 'ЮЛ', 'заңды тұлға'."""
        key = " ".join((text or "").lower().replace(".", " ").replace("-", " ").split())
        return _SCHEMA_WORDS.get(key, cls.UNKNOWN)


_SCHEMA_WORDS = {
    "person": Schema.PERSON,
    "individual": Schema.PERSON,
    "natural person": Schema.PERSON,
    "organization": Schema.ORGANIZATION,
    "organisation": Schema.ORGANIZATION,
    "company": Schema.ORGANIZATION,
    "entity": Schema.ORGANIZATION,
    "legalentity": Schema.ORGANIZATION,
    "legal entity": Schema.ORGANIZATION,
    "vessel": Schema.VESSEL,
    "aircraft": Schema.AIRCRAFT,
    # Russian and Kazakh, as Kazakhstan's banking systems write them: a sole proprietor (ИП,
    # ЖК) is a person doing business under the person's own name.
    **dict.fromkeys(
        [
            "физическое лицо",
            "физ лицо",
            "физлицо",
            "фл",
            "индивидуальный предприниматель",
            "ип",
            "жеке тұлға",
            "жеке кәсіпкер",
            "жк",
            "natural",
            "sole proprietor",
        ],
        Schema.PERSON,
    ),
    **dict.fromkeys(
        [
            "юридическое лицо",
            "юр лицо",
            "юрлицо",
            "юл",
            "организация",
            "компания",
            "заңды тұлға",
            "ұйым",
            "legal person",
            "corporate",
            # legal forms written where the kind is asked: ТОО/ЖШС (LLP), АО/АҚ (JSC), ООО ...
            "тоо",
            "жшс",
            "ао",
            "ақ",
            "ооо",
            "зао",
            "оао",
            "пао",
            "llp",
            "llc",
            "jsc",
            "ltd",
        ],
        Schema.ORGANIZATION,
    ),
}


class NameQuality(StrEnum):
    """How much a list trusts a name: primary, good alias, weak alias, former name."""

    PRIMARY = "primary"
    STRONG = "strong"
    WEAK = "weak"
    FORMER = "former"


class Gender(StrEnum):
    MALE = "male"
    FEMALE = "female"

    @classmethod
    def parse(cls, text: str | None) -> Gender | None:
        """Read 'M', 'male', 'Female', 'ж', 'м', 'жен.', Kazakh 'Е' (ер) and 'Ә' (әйел) as an
        identity card prints them ...; None when unknown."""
        key = (text or "").strip().lower().rstrip(".")
        if key in {"m", "male", "man", "м", "муж", "мужской", "мужчина", "ер", "е"}:
            return cls.MALE
        if key in {"f", "female", "woman", "ж", "жен", "женский", "женщина", "әйел", "ә"}:
            return cls.FEMALE
        return None


@dataclass(slots=True, frozen=True)
class BirthDate:
    """A birth date as the interval of days it may fall on: exact, year and range compare alike."""

    earliest: dt.date
    latest: dt.date
    approximate: bool = False

    @classmethod
    def exact(cls, day: dt.date) -> BirthDate:
        return cls(day, day)

    @classmethod
    def year(cls, year: int, approximate: bool = False) -> BirthDate:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31), approximate)

    @classmethod
    def years(cls, first: int, last: int) -> BirthDate:
        return cls(dt.date(first, 1, 1), dt.date(last, 12, 31))

    @property
    def is_exact(self) -> bool:
        return self.earliest == self.latest and not self.approximate

    def label(self) -> str:
        """Readable form: 1971-05-03, 1971, 1960..1965, ~1958."""
        if self.earliest == self.latest:
            text = self.earliest.isoformat()
        elif self.earliest.timetuple()[1:3] == (1, 1) and self.latest.timetuple()[1:3] == (12, 31):
            first, last = self.earliest.year, self.latest.year
            text = str(first) if first == last else f"{first}..{last}"
        else:
            text = f"{self.earliest.isoformat()}..{self.latest.isoformat()}"
        return ("~" if self.approximate else "") + text


@dataclass(slots=True, frozen=True)
class DesignationName:
    """One name a designation is known by."""

    full: str
    quality: NameQuality = NameQuality.PRIMARY
    original_script: bool = False


@dataclass(slots=True, frozen=True)
class Identifier:
    """A document or registry number: passport, national ID, IIN, BIN, tax number ..."""

    kind: str
    number: str
    country: str | None = None
    note: str | None = None


@dataclass(slots=True, frozen=True)
class Address:
    text: str
    country: str | None = None


@dataclass(slots=True)
class Designation:
    """One listed person, organisation, vessel or aircraft, with its provenance."""

    source: str
    reference: str
    schema: Schema
    names: list[DesignationName]
    programmes: list[str] = field(default_factory=list)
    listed_on: dt.date | None = None
    delisted_on: dt.date | None = None
    last_updated: dt.date | None = None
    birth_dates: list[BirthDate] = field(default_factory=list)
    birth_places: list[str] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)
    identifiers: list[Identifier] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    gender: Gender | None = None
    remarks: str | None = None
    source_id: str | None = None

    @property
    def caption(self) -> str:
        """The primary name."""
        return self.names[0].full if self.names else self.reference

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict; dates as ISO strings (written out: asdict took 0.25 ms a
        designation, a fifth of loading a list version into the store)."""
        return {
            "source": self.source,
            "reference": self.reference,
            "schema": self.schema.value,
            "names": [
                {"full": n.full, "quality": n.quality.value, "original_script": n.original_script}
                for n in self.names
            ],
            "programmes": list(self.programmes),
            "listed_on": _iso(self.listed_on),
            "delisted_on": _iso(self.delisted_on),
            "last_updated": _iso(self.last_updated),
            "birth_dates": [
                {
                    "earliest": b.earliest.isoformat(),
                    "latest": b.latest.isoformat(),
                    "approximate": b.approximate,
                }
                for b in self.birth_dates
            ],
            "birth_places": list(self.birth_places),
            "nationalities": list(self.nationalities),
            "identifiers": [
                {"kind": i.kind, "number": i.number, "country": i.country, "note": i.note}
                for i in self.identifiers
            ],
            "addresses": [{"text": a.text, "country": a.country} for a in self.addresses],
            "gender": self.gender.value if self.gender else None,
            "remarks": self.remarks,
            "source_id": self.source_id,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Designation:
        """Inverse of to_dict."""
        return cls(
            source=data["source"],
            reference=data["reference"],
            schema=Schema(data["schema"]),
            names=[
                DesignationName(n["full"], NameQuality(n["quality"]), n["original_script"])
                for n in data["names"]
            ],
            programmes=list(data.get("programmes", [])),
            listed_on=_date(data.get("listed_on")),
            delisted_on=_date(data.get("delisted_on")),
            last_updated=_date(data.get("last_updated")),
            birth_dates=[
                BirthDate(_day(b["earliest"]), _day(b["latest"]), b["approximate"])
                for b in data.get("birth_dates", [])
            ],
            birth_places=list(data.get("birth_places", [])),
            nationalities=list(data.get("nationalities", [])),
            identifiers=[Identifier(**i) for i in data.get("identifiers", [])],
            addresses=[Address(**a) for a in data.get("addresses", [])],
            gender=Gender(data["gender"]) if data.get("gender") else None,
            remarks=data.get("remarks"),
            source_id=data.get("source_id"),
        )


@dataclass(slots=True)
class ParsedList:
    """What a parser returns: one version of one source's list."""

    source: str
    format: str
    version: str
    published_at: dt.datetime | None
    designations: list[Designation]
    files: list[tuple[str, str]] = field(default_factory=list)
    """(file name, sha256) of every file the version was read from."""


@dataclass(slots=True)
class Party:
    """Someone to screen: a customer, a payment party, a traveller."""

    id: str
    names: list[str]
    schema: Schema = Schema.UNKNOWN
    birth_dates: list[BirthDate] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)
    identifiers: list[Identifier] = field(default_factory=list)
    gender: Gender | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict; dates as ISO strings (written out: asdict is slow for millions)."""
        return {
            "id": self.id,
            "names": list(self.names),
            "schema": self.schema.value,
            "birth_dates": [
                {
                    "earliest": b.earliest.isoformat(),
                    "latest": b.latest.isoformat(),
                    "approximate": b.approximate,
                }
                for b in self.birth_dates
            ],
            "nationalities": list(self.nationalities),
            "identifiers": [
                {"kind": i.kind, "number": i.number, "country": i.country, "note": i.note}
                for i in self.identifiers
            ],
            "gender": self.gender.value if self.gender else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Party:
        """Inverse of to_dict."""
        return cls(
            id=data["id"],
            names=list(data["names"]),
            schema=Schema(data.get("schema", Schema.UNKNOWN)),
            birth_dates=[
                BirthDate(_day(b["earliest"]), _day(b["latest"]), b["approximate"])
                for b in data.get("birth_dates", [])
            ],
            nationalities=list(data.get("nationalities", [])),
            identifiers=[Identifier(**i) for i in data.get("identifiers", [])],
            gender=Gender(data["gender"]) if data.get("gender") else None,
        )


MATCHING_FIELDS = ("schema", "names", "birth_dates", "nationalities", "identifiers", "gender")
"""What screening reads of a party or a designation: a change to any of these can change a hit."""


def matching_fingerprint(record: Party | Designation, data: dict[str, Any] | None = None) -> str:
    """sha256 of the fields screening reads, so "has the matching data changed?" is one compare.

    A remembered false positive stands while neither side's fingerprint changes. data, when
    given, is record.to_dict() already made."""
    data = dict(data) if data is not None else record.to_dict()
    names = data["names"]
    data["names"] = sorted(n if isinstance(n, str) else n["full"] for n in names)
    canonical = json.dumps(
        {key: data.get(key) for key in MATCHING_FIELDS},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _day(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None
