"""The UN Security Council Consolidated List (XML, root CONSOLIDATED_LIST).

Structure is checked strictly (a record without a reference number or a name refuses the file);
values are read leniently: a birth date, nationality or document the parser cannot read is kept as
text in the designation's remarks rather than refusing a list that must be acted on within hours.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from finmon.countries import countries_in, is_country_name, to_iso2
from finmon.errors import InputError
from finmon.lists.dates import iso_day, written_date
from finmon.lists.reading import place
from finmon.lists.records import NameList, identifier_kind, join_remarks, unique, unique_dates
from finmon.lists.xmlsafe import check_xml_file, fields, iter_records, local_name, texts_of
from finmon.model import (
    Address,
    BirthDate,
    Designation,
    Gender,
    Identifier,
    NameQuality,
    ParsedList,
    Schema,
)

FORMAT = "un-xml"
SOURCE = "un"
ROOT = "CONSOLIDATED_LIST"
_RECORDS = frozenset({"INDIVIDUAL", "ENTITY"})
_NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
_ADDRESS_PARTS = ("STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY")
# Some documents carry their number only in the free text: "passport number L 191609 issued ...".
_NUMBER_AFTER_WORD = re.compile(
    r"\b(?i:number|no\.|code|SSN|card)\s*:?\s*([A-Z]{0,6}(?:-\s?|\s)?\d[\dA-Z/-]*)"
)
_LEADING_NUMBER = re.compile(r"^(\d[\dA-Z/-]{3,})\b")
_ALIAS_QUALITY = {
    "good": NameQuality.STRONG,
    "low": NameQuality.WEAK,
    "a.k.a.": NameQuality.STRONG,
    "f.k.a.": NameQuality.FORMER,
}


def parse_un(path: Path, source: str | None = None) -> ParsedList:
    """Read a UN Consolidated List XML file into a complete ParsedList."""
    digest = check_xml_file(path)
    records = iter_records(path, _RECORDS)
    root = next(records, None)
    if root is None or root.tag != ROOT:
        found = root.tag if root is not None else "nothing"
        raise InputError(f"{place(path, 1)}: expected a {ROOT} root element, found {found}")
    published = _generated(path, root)
    designations = [_designation(path, record, source or SOURCE) for record in records]
    return ParsedList(
        source=source or SOURCE,
        format=FORMAT,
        version=published.date().isoformat(),
        published_at=published,
        designations=designations,
        files=[(path.name, digest)],
    )


def _generated(path: Path, root: Any) -> dt.datetime:
    raw = root.get("dateGenerated") or ""
    try:
        stamp = dt.datetime.fromisoformat(raw.strip())
    except ValueError as exc:
        message = f"{place(path, root.sourceline)}: {ROOT} has no readable dateGenerated ({raw!r})"
        raise InputError(message) from exc
    # A stamp without an offset is taken as UTC so that every version compares on one clock.
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.UTC)


def _designation(path: Path, record: Any, source: str) -> Designation:
    person = local_name(record) == "INDIVIDUAL"
    values = fields(record)
    reference = values.get("REFERENCE_NUMBER", "")
    if not reference:
        kind = local_name(record)
        raise InputError(f"{place(path, record.sourceline)}: {kind} has no REFERENCE_NUMBER")
    names = _names(record, values, person)
    if not names.result():
        raise InputError(f"{place(path, record.sourceline)}: {reference} has no name")
    remarks: list[str] = [values.get("COMMENTS1", "")]
    designation = Designation(
        source=source,
        reference=reference,
        schema=Schema.PERSON if person else Schema.ORGANIZATION,
        names=names.result(),
        programmes=unique(texts_of(record, "UN_LIST_TYPE")),
        listed_on=_day(values, "LISTED_ON", remarks),
        delisted_on=_day(values, "DELISTED_ON", remarks),
        last_updated=max(_days(texts_of(record, "LAST_DAY_UPDATED/VALUE")), default=None),
        addresses=_addresses(record, "INDIVIDUAL_ADDRESS" if person else "ENTITY_ADDRESS"),
        source_id=values.get("DATAID") or None,
    )
    if person:
        designation.gender = Gender.parse(values.get("GENDER"))
        _add_person_details(designation, record, remarks)
    designation.remarks = join_remarks(remarks)
    return designation


def _names(record: Any, values: dict[str, str], person: bool) -> NameList:
    names = NameList()
    parts = [values.get(tag, "") for tag in _NAME_PARTS if person or tag == "FIRST_NAME"]
    # "na" is the schema's default for an absent name part, not a name.
    names.add(" ".join(p for p in parts if p and p != "na"), NameQuality.PRIMARY)
    names.add(values.get("NAME_ORIGINAL_SCRIPT"), NameQuality.STRONG, original_script=True)
    for alias in record.iterfind("INDIVIDUAL_ALIAS" if person else "ENTITY_ALIAS"):
        alias_values = fields(alias)
        quality = _ALIAS_QUALITY.get(alias_values.get("QUALITY", "").lower(), NameQuality.STRONG)
        names.add(alias_values.get("ALIAS_NAME"), quality)
    return names


def _add_person_details(designation: Designation, record: Any, remarks: list[str]) -> None:
    designation.nationalities = _nationalities(texts_of(record, "NATIONALITY/VALUE"), remarks)
    designation.birth_dates = unique_dates(
        _birth_date(fields(node), remarks) for node in record.iterfind("INDIVIDUAL_DATE_OF_BIRTH")
    )
    designation.birth_places = unique(
        _place_text(fields(node), ("STREET", "CITY", "STATE_PROVINCE", "COUNTRY"))
        for node in record.iterfind("INDIVIDUAL_PLACE_OF_BIRTH")
    )
    designation.identifiers = [
        found
        for node in record.iterfind("INDIVIDUAL_DOCUMENT")
        if (found := _document(fields(node), remarks)) is not None
    ]
    remarks.extend(f"Title: {t}" for t in texts_of(record, "TITLE/VALUE"))
    remarks.extend(f"Designation: {t}" for t in texts_of(record, "DESIGNATION/VALUE"))


def _nationalities(values: list[str], remarks: list[str]) -> list[str]:
    codes: list[str] = []
    for value in values:
        found = countries_in(value)
        codes.extend(c for c in found if c not in codes)
        if not found or not is_country_name(value):
            remarks.append(f"Nationality as listed: {value}")
    return codes


def _birth_date(node: dict[str, str], remarks: list[str]) -> BirthDate | None:
    note = node.get("NOTE", "")
    approximate = node.get("TYPE_OF_DATE", "").upper() == "APPROXIMATELY"
    found, note_used = _birth_date_value(node, note)
    if found is None or (note and not note_used):
        detail = " ".join(node.get(t, "") for t in ("DATE", "YEAR", "FROM_YEAR", "TO_YEAR", "NOTE"))
        if detail.strip():
            remarks.append(f"Date of birth as listed: {' '.join(detail.split())}")
    if found is None:
        return None
    return BirthDate(found.earliest, found.latest, approximate or found.approximate)


def _birth_date_value(node: dict[str, str], note: str) -> tuple[BirthDate | None, bool]:
    """The date the node holds, and whether its note was read as part of it."""
    day, year = node.get("DATE", ""), node.get("YEAR", "")
    first, last = node.get("FROM_YEAR", ""), node.get("TO_YEAR", "")
    if note.lower().startswith("approx"):
        found, _ = _birth_date_value(node, "")
        return (BirthDate(found.earliest, found.latest, True) if found else None), True
    if day:
        exact = iso_day(day)
        return (BirthDate.exact(exact) if exact else None), False
    if year.isdigit():
        in_month = written_date(f"{note} {year}") if note else None
        return (in_month or BirthDate.year(int(year))), in_month is not None
    if first.isdigit() and last.isdigit() and int(first) <= int(last):
        return BirthDate.years(int(first), int(last)), False
    from_note = written_date(note) if note else None
    return from_note, from_note is not None


def _document(node: dict[str, str], remarks: list[str]) -> Identifier | None:
    kind_text = node.get("TYPE_OF_DOCUMENT") or node.get("TYPE_OF_DOCUMENT2", "")
    detail = node.get("TYPE_OF_DOCUMENT2", "")
    country_text = node.get("ISSUING_COUNTRY") or node.get("COUNTRY_OF_ISSUE", "")
    country = to_iso2(country_text)
    notes = [
        detail if detail.lower() != kind_text.lower() else "",
        f"issued {node['DATE_OF_ISSUE']}" if node.get("DATE_OF_ISSUE") else "",
        f"in {node['CITY_OF_ISSUE']}" if node.get("CITY_OF_ISSUE") else "",
        country_text if country_text and not country else "",
        node.get("NOTE", ""),
    ]
    note = "; ".join(n for n in notes if n) or None
    number = node.get("NUMBER") or _number_in(f"{detail} {node.get('NOTE', '')}")
    if number:
        return Identifier(identifier_kind(kind_text), number, country, note)
    if kind_text or note:
        described = ", ".join(t for t in (kind_text, country_text, note) if t)
        remarks.append(f"Document without number: {described}")
    return None


def _number_in(text: str) -> str | None:
    match = _NUMBER_AFTER_WORD.search(text) or _LEADING_NUMBER.search(text.strip())
    return match.group(1) if match else None


def _addresses(record: Any, tag: str) -> list[Address]:
    addresses: list[Address] = []
    for node in record.iterfind(tag):
        values = fields(node)
        text = _place_text(values, _ADDRESS_PARTS)
        address = Address(text, to_iso2(values.get("COUNTRY")))
        if text and address not in addresses:
            addresses.append(address)
    return addresses


def _place_text(node: dict[str, str], parts: tuple[str, ...]) -> str:
    text = ", ".join(node[tag] for tag in parts if node.get(tag))
    note = node.get("NOTE", "")
    return f"{text} ({note})" if text and note else text or note


def _day(values: dict[str, str], tag: str, remarks: list[str]) -> dt.date | None:
    raw = values.get(tag, "")
    found = iso_day(raw) if raw else None
    if raw and found is None:
        remarks.append(f"{tag} as listed: {raw}")
    return found


def _days(values: list[str]) -> list[dt.date]:
    return [day for value in values if (day := iso_day(value)) is not None]
