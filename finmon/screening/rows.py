"""One row of a customer file as a party, read leniently: record files are lenient, lists strict.

A value that cannot be read (an ambiguous or impossible date, an IIN/BIN with a wrong check
digit, an unknown country, kind of party or gender) is left out of that row, which is screened on
what can be read; a row with no name (or a name over the limits) is skipped. Each is a Problem
naming the row, column and value as it came, and what was done. `finmon screen` and `finmon
customers import` read rows here, so the same row is treated the same way by both.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from finmon.countries import given_country
from finmon.errors import InputError
from finmon.lists.identifiers import iin_birth_date, iin_gender, is_valid_iin_bin, kz_number_kind
from finmon.model import BirthDate, Gender, Identifier, Party, Schema
from finmon.names.limits import NameLimits
from finmon.screening.dates import parse_birth_date

Row = dict[str, Any]
"""One input row: normalised column name -> cell value."""

PROBLEM_COLUMNS = ("row", "column", "value", "problem", "action")
"""The columns of a problems file, in order."""
ROW_SKIPPED = "row skipped"
_PART_ROLES = ("first_name", "middle_name", "last_name")
_UNSTATED = frozenset(
    {
        "unknown",
        "other",
        "u",
        "x",
        "n/a",
        "na",
        "none",
        "-",
        "?",
        "не указан",
        "неизвестно",
        "другой",
    }
)
"""Values that say the kind of party or the gender is not stated or neither: no evidence, read
as such without a problem (gender "other" is common in registries)."""
_SHOWN = 80
"""Characters of a value quoted in a one-line message (the problems file keeps it whole)."""


@dataclass(frozen=True, slots=True)
class Problem:
    """A value of one row that could not be used, and what was done instead."""

    file: str
    row: str
    """The row's place, as "line 7" (text files) or "row 7" (workbooks, Parquet)."""
    column: str
    value: str
    """The cell as it came."""
    problem: str
    action: str

    @property
    def skipped(self) -> bool:
        """The whole row was left out (no name, no id)."""
        return self.action == ROW_SKIPPED

    def to_dict(self) -> dict[str, str]:
        """The problem as a row of a problems file (PROBLEM_COLUMNS)."""
        return {name: getattr(self, name) for name in PROBLEM_COLUMNS}

    def __str__(self) -> str:
        return f"{self.fault()}; {self.action}"

    def fault(self) -> str:
        """The problem named by file, row, column and value, without what was done."""
        value = self.value if len(self.value) <= _SHOWN else self.value[:_SHOWN] + "..."
        shown = f"{value!r} " if self.value else ""
        return f"{self.file}: {self.row}, column {self.column}: {shown}{self.problem}"


Report = Callable[[Problem], None]
"""Where a reader sends each problem it meets."""


def refuse(problem: Problem) -> None:
    """The report of a strict reading: the first problem refuses the file."""
    raise InputError(f"{problem.fault()} (strict: the file is refused at its first problem)")


@dataclass(slots=True)
class RowReader:
    """Reads the rows of one file into parties, reporting each problem it meets."""

    file: str
    columns: dict[str, str]
    """Role (name, birth_date, iin ...) -> the file's column for it."""
    report: Report
    limits: NameLimits
    headings: dict[str, str] = field(default_factory=dict)
    """A column -> its heading as the file writes it, where the two differ."""

    def party(self, place: str, index: int, row: Row) -> Party | None:
        """The row's party, or None (reported) when it has no name that can be screened."""
        names = self._names(place, row)
        if names is None:
            return None
        # Read in the order of the problems they report.
        schema, births = self._schema(place, row), self._birth_dates(place, row)
        nationalities, identifiers = self._nationalities(place, row), self._iin(place, row)
        stated = (schema, births, self._gender(place, row))
        schema, births, gender = self._encoded(place, row, identifiers, stated)
        return Party(
            id=cell_text(self._cell(row, "id")) or str(index),
            names=names,
            schema=schema,
            birth_dates=births,
            nationalities=nationalities,
            identifiers=identifiers,
            gender=gender,
        )

    def _encoded(
        self,
        place: str,
        row: Row,
        identifiers: list[Identifier],
        stated: tuple[Schema, list[BirthDate], Gender | None],
    ) -> tuple[Schema, list[BirthDate], Gender | None]:
        """What a valid IIN or BIN says of its holder where the row does not: an IIN a person
        with its birth date and sex, a BIN a business (an individual entrepreneur's a person).
        A stated birth date the IIN disagrees with is kept beside the IIN's, and reported."""
        schema, births, gender = stated
        number = identifiers[0].number if identifiers else ""
        kind = kz_number_kind(number)
        if schema is Schema.UNKNOWN and kind is not None:
            # A BIN's type digit 6 is an individual entrepreneur: a person.
            person = kind == "iin" or number[4] == "6"
            schema = Schema.PERSON if person else Schema.ORGANIZATION
        born = iin_birth_date(number) if kind == "iin" else None
        if born is None or any(b.earliest <= born <= b.latest for b in births):
            return schema, births, gender or iin_gender(number)
        if births:
            what = f"disagrees with the birth date the IIN {number} encodes ({born.isoformat()})"
            self.problem(place, "birth_date", self._cell(row, "birth_date"), what, "both kept")
        return schema, [*births, BirthDate.exact(born)], gender or iin_gender(number)

    def problem(self, place: str, role: str, value: Any, problem: str, action: str) -> None:
        """Report a problem of the row at place, in the column of role."""
        column = self._column(role)
        self.report(Problem(self.file, place, column, as_written(value), problem, action))

    def _column(self, role: str) -> str:
        """The file's column for a role; a name put together from parts names them all."""
        if role == "name" and "name" not in self.columns:
            parts = [self.columns[part] for part in _PART_ROLES if part in self.columns]
            return "/".join(self.headings.get(part, part) for part in parts)
        column = self.columns.get(role, role)
        return self.headings.get(column, column)

    def _cell(self, row: Row, role: str) -> Any:
        return row.get(self.columns.get(role, ""))

    def _names(self, place: str, row: Row) -> list[str] | None:
        names = []
        if "name" in self.columns:
            names.append(cell_text(row.get(self.columns["name"])))
        parts = [cell_text(self._cell(row, role)) for role in _PART_ROLES if role in self.columns]
        names.append(" ".join(part for part in parts if part))
        kept = list(dict.fromkeys(name for name in names if name))
        if not kept:
            self.problem(place, "name", "", "the name is empty", ROW_SKIPPED)
            return None
        for name in kept:
            try:
                self.limits.check(name, place)
            except InputError as exc:
                self.problem(place, "name", name, str(exc).removeprefix(f"{place}: "), ROW_SKIPPED)
                return None
        return kept

    def _schema(self, place: str, row: Row) -> Schema:
        value = self._cell(row, "schema")
        schema = Schema.parse(cell_text(value))
        if schema is Schema.UNKNOWN and _stated(value):
            what = "is not a kind of party finmon knows (person, company, organization ...)"
            self.problem(place, "schema", value, what, "kind of party left unknown")
        return schema

    def _gender(self, place: str, row: Row) -> Gender | None:
        value = self._cell(row, "gender")
        gender = Gender.parse(cell_text(value))
        if gender is None and _stated(value):
            self.problem(place, "gender", value, "is not a gender finmon knows", "gender left out")
        return gender

    def _birth_dates(self, place: str, row: Row) -> list[BirthDate]:
        value = self._cell(row, "birth_date")
        if value is None or cell_text(value) == "":
            return []
        parsed = parse_birth_date(value)
        if parsed is None:
            what = (
                "is not a date that can be read without guessing (write YYYY-MM-DD, DD.MM.YYYY, "
                "YYYY-MM or a year YYYY)"
            )
            self.problem(place, "birth_date", value, what, "birth date left out")
            return []
        return [parsed]

    def _nationalities(self, place: str, row: Row) -> list[str]:
        codes = []
        written = cell_text(self._cell(row, "nationality"))
        for part in (piece.strip() for piece in written.split(";")):
            if not part:
                continue
            # A short word is a code, whatever its case ("kz", "kaz"); 398 the numeric one.
            code = given_country(part)
            if code is None:
                what = "is not a country finmon knows"
                self.problem(place, "nationality", part, what, "country left out")
            else:
                codes.append(code)
        return list(dict.fromkeys(codes))

    def _iin(self, place: str, row: Row) -> list[Identifier]:
        value = self._cell(row, "iin")
        if isinstance(value, int | float) and not isinstance(value, bool):
            # Spreadsheets store an IIN as a number and drop its leading zero (births in the 2000s).
            number = str(int(value)).zfill(12) if float(value).is_integer() else str(value)
        else:
            number = re.sub(r"\s", "", cell_text(value))
            if len(number) == 11 and number.isdigit() and is_valid_iin_bin("0" + number):
                number = "0" + number  # the same zero lost in a CSV saved from a spreadsheet
        if not number:
            return []
        if not is_valid_iin_bin(number):
            what = "is not a valid IIN/BIN (12 digits ending in the right check digit)"
            self.problem(place, "iin", value, what, "IIN/BIN left out")
            return []
        return [Identifier("iin", number, "KZ")]


def _stated(value: Any) -> bool:
    text = cell_text(value)
    return bool(text) and text.lower() not in _UNSTATED


def as_written(value: Any) -> str:
    """A cell as it came, as text: a date cell in ISO form, a whole number without '.0'."""
    if type(value) is str:  # nearly every cell: one check, not four
        return value
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def cell_text(value: Any) -> str:
    """A cell as stripped text ("" for an empty one)."""
    return value.strip() if type(value) is str else as_written(value).strip()
