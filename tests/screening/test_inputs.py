"""Reading customer files: formats, column names, encodings and the errors people will meet."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from finmon.errors import InputError
from finmon.model import BirthDate, Gender, Identifier, Schema
from finmon.screening.inputs import parse_birth_date, read_parties

HEADER = "ID,Full_Name,Date_Of_Birth,Nationality,IIN,Schema,Gender\n"
ROWS = (
    "c1,Жақсылықов Ерлан Серікұлы,1987-10-08,KAZ,871008401427,Person,М\n"
    "c2,Omarova Saule,1976,Kazakhstan,,individual,F\n"
    "c3,ТОО Береке Логистик,,KZ,,Company,\n"
)


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_csv_columns_are_case_insensitive_and_typed(tmp_path: Path) -> None:
    parties = list(read_parties(_write(tmp_path / "customers.csv", HEADER + ROWS)))
    assert [p.id for p in parties] == ["c1", "c2", "c3"]
    first = parties[0]
    assert first.names == ["Жақсылықов Ерлан Серікұлы"]
    assert first.birth_dates == [BirthDate.exact(dt.date(1987, 10, 8))]
    assert first.nationalities == ["KZ"]
    assert first.identifiers == [Identifier("iin", "871008401427", "KZ")]
    assert (first.schema, first.gender) == (Schema.PERSON, Gender.MALE)
    assert parties[1].birth_dates == [BirthDate.year(1976)]
    assert (parties[1].gender, parties[1].identifiers) == (Gender.FEMALE, [])
    assert parties[2].schema is Schema.ORGANIZATION


def test_name_parts_are_joined(tmp_path: Path) -> None:
    text = "id;LAST_NAME;First_Name;middle_name\nk1;Тулегенов;Арман;Нурланович\nk2;Bekov;Timur;\n"
    parties = list(read_parties(_write(tmp_path / "semicolons.csv", text)))
    assert [p.names for p in parties] == [["Арман Нурланович Тулегенов"], ["Timur Bekov"]]


def test_bom_is_tolerated(tmp_path: Path) -> None:
    path = _write(tmp_path / "bom.csv", "\ufeffid,name\n1,Айгерим Искакова\n")
    assert [p.id for p in read_parties(path)] == ["1"]


def test_cp1251_file_names_the_line_and_suggests_the_encoding(tmp_path: Path) -> None:
    path = _write(tmp_path / "from_1c.csv", "id,name\n1,Aibek Kassymov\n2,Дана Абенова\n", "cp1251")
    with pytest.raises(InputError) as caught:
        list(read_parties(path))
    message = str(caught.value)
    assert "from_1c.csv" in message
    assert "line 3" in message
    assert "byte offset 27" in message
    assert "--encoding cp1251" in message


def test_cp1251_file_reads_with_the_encoding_given(tmp_path: Path) -> None:
    path = _write(tmp_path / "from_1c.csv", "id,name\n1,Aibek Kassymov\n2,Дана Абенова\n", "cp1251")
    parties = list(read_parties(path, encoding="cp1251"))
    assert parties[1].names == ["Дана Абенова"]


def test_unknown_encoding_is_an_input_error(tmp_path: Path) -> None:
    path = _write(tmp_path / "a.csv", "id,name\n1,A B\n")
    with pytest.raises(InputError, match="unknown encoding"):
        list(read_parties(path, encoding="klingon-8"))


def test_missing_name_column_lists_the_columns_found(tmp_path: Path) -> None:
    path = _write(tmp_path / "no_names.csv", "id,birth_date,city\n1,1980-01-01,Almaty\n")
    with pytest.raises(InputError) as caught:
        list(read_parties(path))
    message = str(caught.value)
    assert "no_names.csv" in message
    assert "no name column" in message
    assert "id, birth_date, city" in message


def test_bad_date_names_file_row_and_column(tmp_path: Path) -> None:
    text = "id,name,birth_date\n1,Arman Bekov,1980-01-01\n2,Dana Omarova,31/02/1990\n"
    with pytest.raises(InputError) as caught:
        list(read_parties(_write(tmp_path / "dates.csv", text)))
    message = str(caught.value)
    assert "dates.csv" in message and "line 3" in message and "column birth_date" in message


def test_unknown_country_is_dropped_with_a_warning(tmp_path: Path) -> None:
    text = 'id,name,nationality\n1,Arman Bekov,Atlantis\n2,Dana Omarova,"kaz; Korea, South"\n'
    warnings: list[str] = []
    parties = list(read_parties(_write(tmp_path / "c.csv", text), warn=warnings.append))
    assert [p.nationalities for p in parties] == [[], ["KZ", "KR"]]
    assert len(warnings) == 1
    assert "c.csv: line 2, column nationality: 'Atlantis'" in warnings[0]


def test_empty_name_in_a_row_is_an_input_error(tmp_path: Path) -> None:
    text = "id,name\n1,Arman Bekov\n2,\n\n"
    with pytest.raises(InputError, match="line 3: the name is empty"):
        list(read_parties(_write(tmp_path / "c.csv", text)))


def test_dotted_dates_and_excel_years() -> None:
    assert parse_birth_date("08.10.1987") == BirthDate.exact(dt.date(1987, 10, 8))
    assert parse_birth_date(1987.0) == BirthDate.year(1987)
    assert parse_birth_date("87") is None


@pytest.mark.parametrize(
    ("written", "day"),
    [
        ("1969-7-16", dt.date(1969, 7, 16)),
        ("1969-07-16", dt.date(1969, 7, 16)),
        ("1969/7/6", dt.date(1969, 7, 6)),
        ("1969.07.16", dt.date(1969, 7, 16)),
        ("16.6.1969", dt.date(1969, 6, 16)),
        ("16/06/1969", dt.date(1969, 6, 16)),
        ("16-6-1969", dt.date(1969, 6, 16)),
        ("1969-07-16T00:00:00", dt.date(1969, 7, 16)),
    ],
)
def test_dates_as_people_write_them(written: str, day: dt.date) -> None:
    assert parse_birth_date(written) == BirthDate.exact(day)


@pytest.mark.parametrize(
    "written", ["06/07/1969", "1974-01-32", "31/02/1990", "1969-13-01", "7/16"]
)
def test_ambiguous_or_impossible_dates_are_not_guessed(written: str) -> None:
    assert parse_birth_date(written) is None


def test_jsonl(tmp_path: Path) -> None:
    lines = [
        {"ID": "j1", "name": "Nurlan Iskakov", "dob": "1990-05-01"},
        {"id": "j2", "name": "X Y"},
    ]
    path = _write(tmp_path / "p.jsonl", "\n".join(json.dumps(x) for x in lines) + "\n\n")
    parties = list(read_parties(path))
    assert [p.id for p in parties] == ["j1", "j2"]
    assert parties[0].birth_dates == [BirthDate.exact(dt.date(1990, 5, 1))]


def test_jsonl_bad_line_is_named(tmp_path: Path) -> None:
    path = _write(tmp_path / "p.jsonl", '{"id": "1", "name": "A B"}\n{"id": 2,\n')
    with pytest.raises(InputError, match=r"p\.jsonl: line 2: not valid JSON"):
        list(read_parties(path))


def test_xlsx_with_dates_and_numeric_iin(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Customer_ID", "Name", "Birth Date", "IIN"])
    sheet.append(["x1", "Әсел Нұрланқызы", dt.datetime(2005, 3, 1), 50301650123])
    book.save(tmp_path / "book.xlsx")
    (party,) = read_parties(tmp_path / "book.xlsx")
    assert party.id == "x1"
    assert party.birth_dates == [BirthDate.exact(dt.date(2005, 3, 1))]
    assert party.identifiers == [Identifier("iin", "050301650123", "KZ")]


def test_parquet(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({"id": ["p1", "p2"], "full_name": ["Aibek Zhaksylykov", "Madina Abenova"]})
    pq.write_table(table, tmp_path / "c.parquet")
    assert [p.names for p in read_parties(tmp_path / "c.parquet")] == [
        ["Aibek Zhaksylykov"],
        ["Madina Abenova"],
    ]


def test_unknown_extension_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unknown file type"):
        list(read_parties(_write(tmp_path / "c.docx", "x")))


def test_rows_are_streamed(tmp_path: Path) -> None:
    # The bad byte sits far below the first rows: they must come out before the error is met.
    good = "".join(f"{i},Name Number{i}\n" for i in range(1000))
    path = tmp_path / "big.csv"
    path.write_bytes(("id,name\n" + good).encode() + b"9,\xff\n")
    parties = read_parties(path)
    assert next(parties).id == "0"
    with pytest.raises(InputError, match="line 1002"):
        list(parties)
