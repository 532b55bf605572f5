"""A plain CSV list for national or internal designations (columns: docs/list-csv-format.md).

Unlike the official lists, these files are written by the people who load them, so every value is
checked and the first bad one refuses the file with its line and column.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

from finmon.countries import to_iso2
from finmon.errors import InputError
from finmon.lists.dates import any_day, partial_iso
from finmon.lists.identifiers import is_valid_iin_bin, kz_number_kind
from finmon.lists.reading import checked_digest, place, short_version
from finmon.lists.records import NameList, join_remarks, unique
from finmon.model import (
    BirthDate,
    Designation,
    DesignationName,
    Gender,
    Identifier,
    NameQuality,
    ParsedList,
    Schema,
)

FORMAT = "csv"
SOURCE = "internal"
REQUIRED = ("reference", "name")
COLUMNS = (
    *REQUIRED,
    "schema",
    "aliases",
    "original_script_name",
    "birth_date",
    "nationality",
    "gender",
    "iin",
    "passport",
    "identifiers",
    "programme",
    "listed_on",
    "delisted_on",
    "remarks",
)
DELIMITERS = (",", ";", "\t")
_PERSON_HINTS = ("birth_date", "gender", "iin", "passport", "original_script_name")


class _Row:
    """One data row, with the place to name when one of its values is bad."""

    def __init__(self, path: Path, line: int, values: dict[str, str]) -> None:
        self.path, self.line, self.values = path, line, values

    def get(self, column: str) -> str:
        """The stripped value of a column, '' when absent."""
        return self.values.get(column, "").strip()

    def items(self, column: str) -> list[str]:
        """The column's ";"-separated values, stripped, empty and repeated ones dropped."""
        return unique(part.strip() for part in self.get(column).split(";"))

    def fail(self, column: str, problem: str) -> InputError:
        """An error naming the file, line and column."""
        return InputError(f"{place(self.path, self.line)}: column {column}: {problem}")


def header_columns(first_line: str) -> tuple[str, list[str]] | None:
    """The delimiter and column names of a list CSV header line; None when it is not one."""
    for delimiter in DELIMITERS:
        try:
            cells = next(csv.reader([first_line], delimiter=delimiter), [])
        except csv.Error:
            return None
        names = [cell.strip().lower() for cell in cells]
        if all(required in names for required in REQUIRED):
            return delimiter, names
    return None


def parse_csv_list(path: Path, source: str | None = None) -> ParsedList:
    """Read a plain CSV list into a complete ParsedList."""
    digest = checked_digest(path)
    name = source or SOURCE
    designations = [_designation(row, name) for row in _rows(path)]
    if not designations:
        raise InputError(f"{place(path, 2)}: the list has a header but no rows")
    seen: set[str] = set()
    for designation in designations:
        if designation.reference in seen:
            raise InputError(f"{path}: reference {designation.reference} appears twice")
        seen.add(designation.reference)
    return ParsedList(
        name, FORMAT, short_version(digest), None, designations, [(path.name, digest)]
    )


def _rows(path: Path) -> Iterator[_Row]:
    text = path.read_text(encoding="utf-8-sig")
    header = header_columns(text.split("\n", 1)[0].rstrip("\r")) if text else None
    if header is None:
        raise InputError(f"{place(path, 1)}: the header must name the columns reference and name")
    delimiter, columns = header
    _check_columns(path, columns)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 1
    try:
        next(reader)
        for values in reader:
            start, line = reader.line_num - _newlines(values), reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(columns):
                raise InputError(
                    f"{place(path, start)}: {len(values)} fields where the header has "
                    f"{len(columns)}"
                )
            yield _Row(path, start, dict(zip(columns, values, strict=True)))
    except csv.Error as exc:
        raise InputError(f"{place(path, line + 1)}: unreadable CSV: {exc}") from exc


def _newlines(values: list[str]) -> int:
    return sum(v.count("\n") for v in values)


def _check_columns(path: Path, columns: list[str]) -> None:
    unknown = [c for c in columns if c not in COLUMNS]
    if unknown:
        raise InputError(
            f"{place(path, 1)}: unknown column(s) {', '.join(unknown)}; "
            f"known columns: {', '.join(COLUMNS)}"
        )
    repeated = sorted({c for c in columns if columns.count(c) > 1})
    if repeated:
        raise InputError(f"{place(path, 1)}: column(s) named twice: {', '.join(repeated)}")


def _designation(row: _Row, source: str) -> Designation:
    for column in REQUIRED:
        if not row.get(column):
            raise row.fail(column, "a value is required")
    return Designation(
        source=source,
        reference=row.get("reference"),
        schema=_schema(row),
        names=_names(row),
        programmes=row.items("programme"),
        listed_on=_day(row, "listed_on"),
        delisted_on=_day(row, "delisted_on"),
        birth_dates=[_birth_date(row, text) for text in row.items("birth_date")],
        nationalities=unique(_country(row, "nationality", t) for t in row.items("nationality")),
        identifiers=_identifiers(row),
        gender=_gender(row),
        remarks=join_remarks([row.get("remarks")]),
    )


def _names(row: _Row) -> list[DesignationName]:
    names = NameList()
    names.add(row.get("name"), NameQuality.PRIMARY)
    names.add(row.get("original_script_name"), NameQuality.STRONG, original_script=True)
    for alias in row.items("aliases"):
        names.add(alias, NameQuality.STRONG)
    return names.result()


def _schema(row: _Row) -> Schema:
    text = row.get("schema")
    if not text:
        return Schema.PERSON if any(row.get(c) for c in _PERSON_HINTS) else Schema.UNKNOWN
    schema = Schema.parse(text)
    if schema is Schema.UNKNOWN and text.lower() != "unknown":
        raise row.fail("schema", f"{text!r} is not person, organization, vessel or aircraft")
    return schema


def _gender(row: _Row) -> Gender | None:
    text = row.get("gender")
    gender = Gender.parse(text)
    if text and gender is None:
        raise row.fail("gender", f"{text!r} is neither male nor female")
    return gender


def _day(row: _Row, column: str) -> dt.date | None:
    text = row.get(column)
    day = any_day(text) if text else None
    if text and day is None:
        raise row.fail(column, f"{text!r} is not a date (YYYY-MM-DD or dd.mm.yyyy)")
    return day


def _birth_date(row: _Row, text: str) -> BirthDate:
    first, dots, last = text.partition("..")
    if dots:
        start, end = partial_iso(first), partial_iso(last)
        found = BirthDate(start.earliest, end.latest) if start and end else None
        if found and found.earliest > found.latest:
            found = None
    else:
        day = any_day(text)
        found = BirthDate.exact(day) if day else partial_iso(text)
    if found is None or not _is_whole(text):
        raise row.fail("birth_date", f"{text!r} is not YYYY-MM-DD, YYYY or YYYY..YYYY")
    return found


def _is_whole(text: str) -> bool:
    """True when a birth date text is only digits, dashes, dots (partial_iso reads prefixes)."""
    return all(ch.isdigit() or ch in "-." for ch in text) and text[:1].isdigit()


def _country(row: _Row, column: str, text: str) -> str:
    code = to_iso2(text)
    if code is None:
        raise row.fail(column, f"{text!r} is not a country name or ISO code")
    return code


def _identifiers(row: _Row) -> list[Identifier]:
    found = [_kz_number(row, number) for number in row.items("iin")]
    found += [Identifier("passport", number) for number in row.items("passport")]
    for item in row.items("identifiers"):
        kind, _, rest = item.partition(":")
        number, _, country = rest.partition(":")
        if not kind.strip() or not number.strip():
            raise row.fail("identifiers", f"{item!r} is not kind:number or kind:number:country")
        code = _country(row, "identifiers", country.strip()) if country.strip() else None
        found.append(Identifier(kind.strip().lower(), number.strip(), code))
    return found


def _kz_number(row: _Row, number: str) -> Identifier:
    kind = kz_number_kind(number) or "iin"
    note = (
        None if is_valid_iin_bin(number) else f"not a valid {kind.upper()} (check digit or layout)"
    )
    return Identifier(kind, number, "KZ", note)
