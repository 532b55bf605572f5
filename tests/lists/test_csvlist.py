"""The plain CSV list: the documented columns, clear refusals, and no surprise exceptions."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from finmon.errors import InputError
from finmon.lists import FIXTURE_DIR, parse_files
from finmon.lists.csvlist import COLUMNS, parse_csv_list
from finmon.model import BirthDate, Gender, Identifier, NameQuality, ParsedList, Schema

FIXTURE = FIXTURE_DIR / "internal_list_fixture.csv"
DOC = Path(__file__).resolve().parents[2] / "docs" / "list-csv-format.md"


@pytest.fixture(scope="module")
def internal() -> ParsedList:
    return parse_csv_list(FIXTURE)


def _write(tmp_path: Path, rows: list[list[str]], delimiter: str = ",") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    path = tmp_path / "list.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def test_fixture(internal: ParsedList) -> None:
    assert (internal.source, internal.format, internal.published_at) == ("internal", "csv", None)
    assert [d.reference for d in internal.designations] == [f"INT-000{i}" for i in range(1, 7)]
    first = internal.designations[0]
    assert first.schema is Schema.PERSON
    assert first.names[1].original_script and first.names[1].full == "Жанабаев Болат Серікұлы"
    assert [n.quality for n in first.names] == [NameQuality.PRIMARY] + [NameQuality.STRONG] * 3
    assert first.identifiers == [
        Identifier("iin", "830417301008", "KZ"),
        Identifier("passport", "N10000001"),
    ]
    assert first.gender is Gender.MALE
    assert first.listed_on == dt.date(2024, 2, 1)


def test_fixture_values(internal: ParsedList) -> None:
    second, third, fourth, fifth = internal.designations[1:5]
    assert second.birth_dates == [BirthDate.year(1992)]
    assert second.nationalities == ["KZ"]
    assert third.birth_dates == [BirthDate.years(1970, 1974)]
    assert third.nationalities == ["UZ", "RU"]
    assert third.listed_on == dt.date(2023, 6, 5)
    assert third.identifiers == [Identifier("kz_residence_permit", "RP000123", "KZ")]
    assert fourth.delisted_on == dt.date(2025, 1, 10)
    assert fourth.identifiers[0].note is not None
    assert fifth.schema is Schema.ORGANIZATION
    assert fifth.identifiers == [Identifier("bin", "050340112653", "KZ")]


def test_every_column_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    for column in COLUMNS:
        assert f"| `{column}` |" in text


def test_semicolon_separated_file_with_bom_and_any_case(tmp_path: Path) -> None:
    path = _write(
        tmp_path, [["Reference", "NAME", "Birth_Date"], ["R1", "Ақжол Нұрланов", "1979"]], ";"
    )
    path.write_bytes(codecs.BOM_UTF8 + path.read_bytes())
    parsed = parse_files([path])
    assert parsed.designations[0].caption == "Ақжол Нұрланов"
    assert parsed.designations[0].schema is Schema.PERSON


def test_empty_schema_without_person_hints_is_unknown(tmp_path: Path) -> None:
    parsed = parse_csv_list(_write(tmp_path, [["reference", "name"], ["R1", "Steppe Trade"]]))
    assert parsed.designations[0].schema is Schema.UNKNOWN


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([["reference", "nam"], ["R1", "A"]], r"list\.csv:1: the header must name"),
        (
            [["reference", "name", "birthdate"], ["R1", "A", "1970"]],
            r":1: unknown column\(s\) birthdate",
        ),
        ([["reference", "name", "name"], ["R1", "A", "B"]], "named twice: name"),
        ([["reference", "name"]], "header but no rows"),
        (
            [["reference", "name"], ["R1", "A"], ["R2"]],
            r"list\.csv:3: 1 fields where the header has 2",
        ),
        ([["reference", "name"], ["R1", ""]], r"list\.csv:2: column name: a value is required"),
        ([["reference", "name"], ["R1", "A"], ["R1", "B"]], "reference R1 appears twice"),
        (
            [["reference", "name", "birth_date"], ["R1", "A", "1975-13-40"]],
            r":2: column birth_date",
        ),
        ([["reference", "name", "birth_date"], ["R1", "A", "1975..1970"]], "column birth_date"),
        ([["reference", "name", "birth_date"], ["R1", "A", "1975-01-01x"]], "column birth_date"),
        ([["reference", "name", "nationality"], ["R1", "A", "Atlantis"]], "column nationality"),
        ([["reference", "name", "gender"], ["R1", "A", "x"]], "column gender"),
        ([["reference", "name", "schema"], ["R1", "A", "robot"]], "column schema"),
        ([["reference", "name", "listed_on"], ["R1", "A", "yesterday"]], "column listed_on"),
        ([["reference", "name", "identifiers"], ["R1", "A", "passport"]], "column identifiers"),
    ],
)
def test_refusals_name_the_place(tmp_path: Path, rows: list[list[str]], message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_csv_list(_write(tmp_path, rows))


def test_non_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes("reference,name\nR1,Жанар\n".encode("cp1251"))
    with pytest.raises(InputError, match=r"list\.csv:2: byte offset 18"):
        parse_csv_list(path)


CELL = st.text(alphabet=st.characters(codec="utf-8"), max_size=12) | st.sampled_from(
    [
        "",
        "1970",
        "1970..1975",
        "2001-02-03",
        "KZ",
        "Россия",
        "male",
        "ж",
        "iin:1",
        "a;b",
        '"',
        "\r\n",
    ]
)
HEADER = st.lists(st.sampled_from([*COLUMNS, "extra"]), min_size=0, max_size=8)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(header=HEADER, rows=st.lists(st.lists(CELL, max_size=9), max_size=6))
def test_random_rows_parse_or_are_refused(
    tmp_path: Path, header: list[str], rows: list[list[str]]
) -> None:
    path = _write(tmp_path, [header, *rows])
    try:
        parsed = parse_csv_list(path)
    except InputError as error:
        assert str(path) in str(error)
        return
    assert len(parsed.designations) == sum(1 for r in rows if any(c.strip() for c in r))


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=300))
def test_random_bytes_parse_or_are_refused(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes(b"reference,name,birth_date\n" + data)
    try:
        parsed = parse_csv_list(path)
    except InputError as error:
        assert str(path) in str(error)
        return
    assert parsed.designations and all(d.names for d in parsed.designations)
