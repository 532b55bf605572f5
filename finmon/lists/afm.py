"""Kazakhstan's AFM list of organisations and persons associated with financing terrorism (XML).

Layout (see the project's reference notes): category 1 holds `<person>` records (`fname`,
`mname` patronymic, `lname`, `birthdate` dd.mm.yyyy, `iin`, `note`, `correction`, `added_to_list`)
and `<org>` records (`org_name`, `org_name_en`, several names separated by "; "). Category 2
(persons taking part in terrorist activity) encodes people as `<org>` records with `org_name`,
`org_iin` and `note`.

What the export does not document, and how this parser decides:
- The root element's name is not documented: any root is accepted, and `<person>`/`<org>` records
  are read wherever they are. A file with neither is refused (an empty list must never replace one).
- The list date is not documented: if the root carries an attribute whose name contains "date" (or
  is "generated", "created" or "timestamp") holding an ISO or dd.mm.yyyy date, it becomes the
  version (YYYY-MM-DD) and published_at (a value without an offset is taken as Kazakhstan time,
  UTC+5). Otherwise the version is the first 12 hex digits of the file's sha256 and published_at
  is None.
- The export carries no record identifier: the reference is "iin:<IIN>" or "bin:<BIN>" when the
  record has a number, else "name:" and a digest of the name and birth date, so it stays stable
  from one version to the next. A repeated reference gets "#2", "#3" ... appended.
- An `<org>` is a person when its org_iin is laid out as an IIN, or when it has an org_iin element
  but no org_name_en (the category-2 layout); an org_iin laid out as a BIN makes it an organisation.
- A person's primary name is "lname fname mname", the surname-first order of Kazakhstan's official
  documents and of the category-2 records.
- An IIN or BIN whose check digit is wrong is kept (lists carry typos) and flagged in its note.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

from finmon.errors import InputError
from finmon.lists.dates import any_day
from finmon.lists.identifiers import (
    iin_birth_date,
    iin_gender,
    is_valid_iin_bin,
    kz_number_kind,
)
from finmon.lists.reading import place, short_version
from finmon.lists.records import NameList, join_remarks
from finmon.lists.xmlsafe import check_xml_file, fields, iter_records, local_name
from finmon.model import (
    BirthDate,
    Designation,
    DesignationName,
    Identifier,
    NameQuality,
    ParsedList,
    Schema,
)

FORMAT = "afm-xml"
SOURCE = "afm"
RECORD_TAGS = frozenset({"person", "org"})
KAZAKHSTAN_TIME = dt.timezone(dt.timedelta(hours=5))
_DATE_ATTRIBUTES = ("generated", "created", "timestamp")
_CATEGORY_1 = "AFM category 1"
_CATEGORY_2 = "AFM category 2"


def parse_afm(path: Path, source: str | None = None) -> ParsedList:
    """Read an AFM list XML export into a complete ParsedList."""
    digest = check_xml_file(path)
    records = iter_records(path, RECORD_TAGS)
    root = next(records, None)
    published = _published(root)
    designations = [_designation(path, record, source or SOURCE) for record in records]
    if not designations:
        raise InputError(f"{place(path, 1)}: no <person> or <org> records: not an AFM list export")
    _make_references_unique(designations)
    return ParsedList(
        source=source or SOURCE,
        format=FORMAT,
        version=published.date().isoformat() if published else short_version(digest),
        published_at=published,
        designations=designations,
        files=[(path.name, digest)],
    )


def _published(root: Any) -> dt.datetime | None:
    if root is None:
        return None
    for name, value in root.attrib.items():
        key = str(name).rsplit("}", 1)[-1].lower()
        if "date" in key or key in _DATE_ATTRIBUTES:
            stamp = _stamp(str(value))
            if stamp is not None:
                return stamp
    return None


def _stamp(text: str) -> dt.datetime | None:
    text = text.strip()
    try:
        stamp = dt.datetime.fromisoformat(text)
    except ValueError:
        day = any_day(text[:10])
        if day is None:
            return None
        stamp = dt.datetime(day.year, day.month, day.day)
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=KAZAKHSTAN_TIME)


def _designation(path: Path, record: Any, source: str) -> Designation:
    values = fields(record)
    where = place(path, record.sourceline)
    if local_name(record) == "person":
        return _person(values, source, where)
    number = values.get("org_iin", "")
    kind = kz_number_kind(number)
    category_2 = "org_iin" in values and "org_name_en" not in values
    if kind == "iin" or (kind is None and category_2):
        return _listed_person(values, source, _split(values.get("org_name")), number, where)
    return _organisation(values, source, number, where)


def _person(values: dict[str, str], source: str, where: str) -> Designation:
    parts = (values.get("lname"), values.get("fname"), values.get("mname"))
    full = " ".join(p for p in parts if p)
    designation = _listed_person(values, source, [full], values.get("iin", ""), where)
    designation.programmes = [_CATEGORY_1]
    return designation


def _listed_person(
    values: dict[str, str], source: str, names: list[str], number: str, where: str
) -> Designation:
    name_list = NameList()
    for index, name in enumerate(names):
        name_list.add(name, NameQuality.PRIMARY if index == 0 else NameQuality.STRONG)
    remarks = [values.get("note"), _prefixed("Correction", values.get("correction"))]
    birth = _birth_date(values.get("birthdate", ""), remarks)
    identifier = _kz_identifier(number, "iin") if number else None
    if identifier and identifier.note is None:
        birth = _check_birth(birth, number, remarks)
    return Designation(
        source=source,
        reference=_reference(number, names, birth),
        schema=Schema.PERSON,
        names=_named(name_list, where),
        programmes=[_CATEGORY_2],
        listed_on=_listed_on(values, remarks),
        birth_dates=[birth] if birth else [],
        identifiers=[identifier] if identifier else [],
        gender=iin_gender(number) if identifier and identifier.note is None else None,
        remarks=join_remarks(remarks),
    )


def _organisation(values: dict[str, str], source: str, number: str, where: str) -> Designation:
    names = NameList()
    for index, name in enumerate(_split(values.get("org_name"))):
        names.add(name, NameQuality.PRIMARY if index == 0 else NameQuality.STRONG)
    for name in _split(values.get("org_name_en")):
        names.add(name, NameQuality.STRONG)
    identifier = _kz_identifier(number, "bin") if number else None
    remarks = [values.get("note"), _prefixed("Correction", values.get("correction"))]
    return Designation(
        source=source,
        reference=_reference(number, [n.full for n in names.result()], None),
        schema=Schema.ORGANIZATION,
        names=_named(names, where),
        programmes=[_CATEGORY_2 if number else _CATEGORY_1],
        listed_on=_listed_on(values, remarks),
        identifiers=[identifier] if identifier else [],
        remarks=join_remarks(remarks),
    )


def _named(names: NameList, where: str) -> list[DesignationName]:
    result = names.result()
    if not result:
        raise InputError(f"{where}: AFM record without a name")
    return result


def _kz_identifier(number: str, expected: str) -> Identifier:
    kind = kz_number_kind(number) or expected
    note = (
        None if is_valid_iin_bin(number) else f"not a valid {kind.upper()} (check digit or layout)"
    )
    return Identifier(kind, number, "KZ", note)


def _birth_date(text: str, remarks: list[Any]) -> BirthDate | None:
    if not text:
        return None
    day = any_day(text)
    if day is None:
        remarks.append(f"Birth date as listed: {text}")
        return None
    return BirthDate.exact(day)


def _check_birth(birth: BirthDate | None, iin: str, remarks: list[Any]) -> BirthDate | None:
    """Take the birth date from a valid IIN when the record gives none; note any disagreement."""
    encoded = iin_birth_date(iin)
    if encoded is None:
        return birth
    if birth is None:
        return BirthDate.exact(encoded)
    if birth.earliest != encoded:
        remarks.append(f"The IIN encodes the birth date {encoded.isoformat()}")
    return birth


def _listed_on(values: dict[str, str], remarks: list[Any]) -> dt.date | None:
    text = values.get("added_to_list", "")
    day = any_day(text) if text else None
    if text and day is None:
        remarks.append(f"Added to list: {text}")
    return day


def _reference(number: str, names: list[str], birth: BirthDate | None) -> str:
    kind = kz_number_kind(number)
    if kind and is_valid_iin_bin(number):
        return f"{kind}:{number}"
    basis = "|".join([" ".join(names[:1]).casefold(), birth.label() if birth else ""])
    return "name:" + hashlib.sha256(basis.encode()).hexdigest()[:12]


def _make_references_unique(designations: list[Designation]) -> None:
    seen: dict[str, int] = {}
    for designation in designations:
        count = seen.get(designation.reference, 0) + 1
        seen[designation.reference] = count
        if count > 1:
            designation.reference = f"{designation.reference}#{count}"


def _split(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(";") if part.strip()]


def _prefixed(label: str, text: str | None) -> str | None:
    return f"{label}: {text}" if text else None
