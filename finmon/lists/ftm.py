"""FollowTheMoney entities as JSON lines (OpenSanctions exports and anything else that speaks FtM).

Each line is one entity: {"id", "schema", "properties": {name: [values]}, "datasets", ...}. Parties
are Person, Organization, Company, LegalEntity, Vessel and Airplane; Sanction entities
(properties entity, program, programId, listingDate, startDate, endDate) lend their programme and
listing and delisting dates to the party they name; every other schema is skipped and counted.
Nationality is a person's nationality and citizenship, and for other parties their country,
jurisdiction and flag. The files carry no list date: the version is the first 12 hex digits of the
file's sha256 and published_at is None.

Each party is filed under its own dataset(s) (the entity's `datasets`): a file mixing datasets (an
OpenSanctions collection export) is one list version per dataset, so that loading it changes each
dataset's list exactly as that dataset changed, and re-screening sees only those changes; a party
on several datasets is a designation on each. A party naming no dataset is filed under the source
given, or "ftm"; a source given files every party under it. A party marked `target: false` (an
OpenSanctions registry record: an address owner, a company director, not a sanctioned party) is
not a designation unless non-targets are asked for.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from finmon.countries import given_country
from finmon.errors import InputError
from finmon.hygiene import loads
from finmon.lists.dates import iso_day, partial_iso
from finmon.lists.reading import checked_digest, place, short_version
from finmon.lists.records import NameList, join_remarks, unique, unique_dates
from finmon.model import Address, Designation, Gender, Identifier, NameQuality, ParsedList, Schema

FORMAT = "ftm-json"
SOURCE = "ftm"
PARTY_SCHEMAS = {
    "Person": Schema.PERSON,
    "Organization": Schema.ORGANIZATION,
    "Company": Schema.ORGANIZATION,
    "LegalEntity": Schema.ORGANIZATION,
    "Vessel": Schema.VESSEL,
    "Airplane": Schema.AIRCRAFT,
}
_NAME_QUALITIES = (
    ("name", NameQuality.STRONG),
    ("alias", NameQuality.STRONG),
    ("weakAlias", NameQuality.WEAK),
    ("previousName", NameQuality.FORMER),
)
IDENTIFIER_PROPS = {
    "idNumber": "national_id",
    "passportNumber": "passport",
    "innCode": "inn",
    "taxNumber": "tax_number",
    "registrationNumber": "registration_number",
    "ogrnCode": "ogrn",
    "vatCode": "vat",
    "leiCode": "lei",
    "swiftBic": "swift_bic",
    "imoNumber": "imo",
    "mmsi": "mmsi",
    "callSign": "call_sign",
}
"""FollowTheMoney identifier properties and the Identifier kind each becomes."""
_NAME_PARTS = ("firstName", "secondName", "middleName", "fatherName", "lastName")


@dataclass(slots=True)
class _Sanctions:
    programmes: list[str] = field(default_factory=list)
    starts: list[dt.date] = field(default_factory=list)
    ends: list[dt.date | None] = field(default_factory=list)


@dataclass(slots=True)
class FtmRead:
    """What a FollowTheMoney file held: one list version per dataset, and what was skipped."""

    lists: list[ParsedList]
    entities: int = 0
    """Entities read (every line that is one)."""
    sanctions: int = 0
    """Sanction entities, lending their programme and dates to the parties they name."""
    not_targets: int = 0
    """Parties marked target: false, skipped (unless non-targets were asked for)."""
    without_target: int = 0
    """Parties with no target flag (plain FtM rather than an OpenSanctions export): filed."""
    other_schemas: Counter[str] = field(default_factory=Counter)
    """Entities of schemas that are not parties (Address, Payment, ...), skipped, by schema."""

    def summary(self) -> str:
        """One line: read, filed, skipped and why."""
        filed = ", ".join(f"{p.source} {len(p.designations)}" for p in self.lists)
        designations = sum(len(p.designations) for p in self.lists)
        kinds = ", ".join(f"{name} {count}" for name, count in sorted(self.other_schemas.items()))
        others = sum(self.other_schemas.values())
        return (
            f"{self.entities} entities read: {designations} designations in "
            f"{len(self.lists)} list(s) ({filed})"
            + (
                f", {self.without_target} of them with no target flag"
                if self.without_target
                else ""
            )
            + f"; {self.sanctions} sanction records applied; "
            f"skipped {self.not_targets} not targets (target: false), "
            f"{others} of schemas that are not parties" + (f" ({kinds})" if kinds else "")
        )


def parse_ftm(
    path: Path, source: str | None = None, include_non_targets: bool = False
) -> ParsedList:
    """Read a FollowTheMoney JSON-lines file of one dataset (or all under `source`) into a
    complete ParsedList; a file of several datasets is refused (read_ftm reads it)."""
    read = read_ftm(path, source, include_non_targets)
    filled = [parsed for parsed in read.lists if parsed.designations]
    if len(filled) > 1:
        names = ", ".join(parsed.source for parsed in filled)
        raise InputError(
            f"{path}: holds several datasets ({names}): each is its own list "
            "(finmon lists load files each under its own), or give one source for all"
        )
    return filled[0] if filled else read.lists[0]


def read_ftm(path: Path, source: str | None = None, include_non_targets: bool = False) -> FtmRead:
    """Read a FollowTheMoney JSON-lines file: one complete ParsedList per dataset its parties
    name (all under `source` when given), in order of first appearance, and the counts of what
    was skipped."""
    digest = checked_digest(path)
    read = FtmRead([])
    parties: list[tuple[Designation, list[str]]] = []
    sanctions: dict[str, _Sanctions] = {}
    named: list[str] = []
    for line, entity in _entities(path):
        read.entities += 1
        named.extend(d for d in _datasets(entity) if d not in named)
        schema = entity["schema"]
        if schema == "Sanction":
            read.sanctions += 1
            _collect_sanction(entity, sanctions)
        elif schema not in PARTY_SCHEMAS:
            read.other_schemas[schema] += 1
        elif entity.get("target") is False and not include_non_targets:
            read.not_targets += 1
        else:
            read.without_target += "target" not in entity
            datasets = _datasets(entity)
            names = [source] if source else (datasets or [SOURCE])
            parties.append((entity_designation(entity, place(path, line)), names))
    _check_unique(path, [party for party, _ in parties])
    by_list: dict[str, list[Designation]] = {}
    for party, names in parties:
        if party.reference in sanctions:
            _apply_sanctions(party, sanctions[party.reference])
        for name in names:
            copy = Designation.from_dict(party.to_dict()) if len(names) > 1 else party
            copy.source = name
            by_list.setdefault(name, []).append(copy)
    if not source:
        # A dataset the file names with none of its parties left (its parties gone, or skipped
        # as non-targets): an empty version, which the store refuses for a dataset it holds
        # (unless forced) and skips for one it never loaded.
        for name in named:
            by_list.setdefault(name, [])
    if not by_list:
        by_list[source or SOURCE] = []
    version = short_version(digest)
    read.lists = [
        ParsedList(name, FORMAT, version, None, designations, [(path.name, digest)])
        for name, designations in by_list.items()
    ]
    return read


def _datasets(entity: dict[str, Any]) -> list[str]:
    raw = entity.get("datasets")
    items = raw if isinstance(raw, list) else []
    return unique([item.strip() for item in items if isinstance(item, str) and item.strip()])


def _entities(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    with path.open(encoding="utf-8-sig") as handle:
        for number, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            try:
                entity = loads(text, place(path, number))
            except json.JSONDecodeError as exc:
                raise InputError(f"{place(path, number, exc.colno)}: not JSON: {exc.msg}") from exc
            except (ValueError, RecursionError) as exc:
                raise InputError(f"{place(path, number)}: unreadable JSON: {exc}") from exc
            if not isinstance(entity, dict) or not isinstance(entity.get("schema"), str):
                raise InputError(f"{place(path, number)}: not a FollowTheMoney entity")
            if not isinstance(entity.get("id"), str) or not entity["id"]:
                raise InputError(f"{place(path, number)}: entity without an id")
            if not isinstance(entity.get("properties", {}), dict):
                raise InputError(f"{place(path, number)}: properties is not an object")
            yield number, entity


def _values(entity: dict[str, Any], prop: str) -> list[str]:
    raw = entity.get("properties", {}).get(prop, [])
    items = raw if isinstance(raw, list) else [raw]
    texts = (" ".join(str(v).split()) for v in items if v is not None and not isinstance(v, dict))
    return [t for t in texts if t]


def _first(value: Any) -> str | None:
    if isinstance(value, list) and value and isinstance(value[0], str):
        return str(value[0])
    return None


def entity_designation(entity: dict[str, Any], where: str) -> Designation:
    """A FollowTheMoney party entity (schema in PARTY_SCHEMAS, with an id) as a Designation of
    this format's source; `where` names the entity's place in errors."""
    schema = PARTY_SCHEMAS[entity["schema"]]
    names = _names(entity)
    if not names.result():
        raise InputError(f"{where}: {entity['schema']} {entity['id']} has no name")
    remarks = [*_values(entity, "notes"), *_values(entity, "summary")]
    topics = _values(entity, "topics")
    if topics:
        remarks.append("Topics: " + ", ".join(topics))
    return Designation(
        source=SOURCE,
        reference=entity["id"],
        schema=schema,
        names=names.result(),
        programmes=unique(_values(entity, "programId")),
        listed_on=_earliest(_values(entity, "createdAt")),
        last_updated=_latest(_values(entity, "modifiedAt")) or _day(entity.get("last_change")),
        birth_dates=unique_dates(partial_iso(v) for v in _values(entity, "birthDate")),
        birth_places=unique(_values(entity, "birthPlace")),
        nationalities=_countries(entity, schema, remarks),
        identifiers=_identifiers(entity),
        addresses=[Address(text) for text in unique(_values(entity, "address"))],
        gender=Gender.parse(_first(_values(entity, "gender"))),
        remarks=join_remarks(remarks),
        source_id=entity["id"],
    )


def _names(entity: dict[str, Any]) -> NameList:
    names = NameList()
    given = _values(entity, "name")
    if not given:
        parts = [_first(_values(entity, part)) for part in _NAME_PARTS]
        given = [" ".join(p for p in parts if p)]
    names.add(given[0], NameQuality.PRIMARY)
    for prop, quality in _NAME_QUALITIES:
        for value in _values(entity, prop):
            names.add(value, quality)
    return names


def _countries(entity: dict[str, Any], schema: Schema, remarks: list[str]) -> list[str]:
    props: tuple[str, ...] = ("nationality", "citizenship")
    if schema is not Schema.PERSON:
        props = ("country", "jurisdiction", "flag")
    codes: list[str] = []
    for prop in props:
        for value in _values(entity, prop):
            code = given_country(value)
            if code is None:
                remarks.append(f"{prop} as listed: {value}")
            elif code not in codes:
                codes.append(code)
    return codes


def _identifiers(entity: dict[str, Any]) -> list[Identifier]:
    found: list[Identifier] = []
    for prop, kind in IDENTIFIER_PROPS.items():
        for number in unique(_values(entity, prop)):
            found.append(Identifier(kind, number))
    return found


def _collect_sanction(entity: dict[str, Any], sanctions: dict[str, _Sanctions]) -> None:
    programmes = _values(entity, "programId") or _values(entity, "program")
    start = _earliest(_values(entity, "listingDate") + _values(entity, "startDate"))
    end = _latest(_values(entity, "endDate"))
    for party_id in _values(entity, "entity"):
        record = sanctions.setdefault(party_id, _Sanctions())
        record.programmes.extend(programmes)
        if start:
            record.starts.append(start)
        record.ends.append(end)


def _apply_sanctions(party: Designation, sanctions: _Sanctions) -> None:
    party.programmes = unique([*party.programmes, *sanctions.programmes])
    if sanctions.starts:
        party.listed_on = min(sanctions.starts)
    ends = sanctions.ends
    # A party stays listed while any one of its sanctions is open.
    if ends and all(end is not None for end in ends):
        party.delisted_on = max(end for end in ends if end is not None)


def _check_unique(path: Path, parties: list[Designation]) -> None:
    seen: set[str] = set()
    for party in parties:
        if party.reference in seen:
            raise InputError(f"{path}: entity {party.reference} appears twice")
        seen.add(party.reference)


def _day(value: Any) -> dt.date | None:
    return iso_day(value) if isinstance(value, str) else None


def _earliest(values: list[str]) -> dt.date | None:
    return min((d for v in values if (d := iso_day(v))), default=None)


def _latest(values: list[str]) -> dt.date | None:
    return max((d for v in values if (d := iso_day(v))), default=None)
