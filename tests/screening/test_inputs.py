"""Reading customer files: formats, column names, encodings and the errors people will meet."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from finmon.errors import InputError
from finmon.model import BirthDate, Gender, Identifier, Schema
from finmon.screening.inputs import (
    Block,
    CustomerRow,
    Problem,
    Read,
    csv_blocks,
    csv_header,
    first_rows,
    layout,
    parse_birth_date,
    read_block,
    read_customers,
    read_parties,
)

HEADER = "ID,Full_Name,Date_Of_Birth,Nationality,IIN,Schema,Gender\n"
ROWS = (
    "c1,Жақсылықов Ерлан Серікұлы,1987-10-08,KAZ,871008401427,Person,М\n"
    "c2,Omarova Saule,1976,Kazakhstan,,individual,F\n"
    "c3,ТОО Береке Логистик,,KZ,,Company,\n"
)


ACCEPTANCE = (
    "id,name,birth_date,iin\n"
    "k1,Arman Bekov,1969-7-16,690716300123\n"
    "k2,Dana Omarova,1974-01-32,\n"
    "k3,Aigul Sarsenova,16.06.1969,871008300124\n"
    "k4,,1980-01-01,\n"
    "k5,Yerlan Nurlanov,05/06/1970,\n"
)
"""The acceptance case of lenient files: an odd date, an impossible date, a bad IIN, a row with
no name and an ambiguous date."""


RUSSIAN_GENITIVE = (
    "января февраля марта апреля мая июня июля августа сентября октября ноября декабря".split()
)
KAZAKH_MONTHS = (
    "қаңтар ақпан наурыз сәуір мамыр маусым шілде тамыз қыркүйек қазан қараша желтоқсан".split()
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


def test_russian_headings_as_a_bank_exports_them(tmp_path: Path) -> None:
    text = (
        "№;Код клиента;Ф.И.О.;Дата рождения (ДД.ММ.ГГГГ);ИИН/БИН;Гражданство;Тип клиента;Пол;Счёт\n"
        "1;K-001;Сейткалиев Ерлан Маратович;08.10.1987 г.;871008401427;Казахстан;ФЛ;муж;KZ01\n"
        "2;K-002;ТОО «Береке Логистик»;;;РК;юр. лицо;;KZ02\n"
    )
    path = _write(tmp_path / "клиенты.csv", text, "cp1251")
    first, second = read_parties(path, encoding="cp1251")
    assert first.names == ["Сейткалиев Ерлан Маратович"]
    assert first.birth_dates == [BirthDate.exact(dt.date(1987, 10, 8))]
    assert first.identifiers == [Identifier("iin", "871008401427", "KZ")]
    assert (first.nationalities, first.schema, first.gender) == (["KZ"], Schema.PERSON, Gender.MALE)
    assert second.schema is Schema.ORGANIZATION
    customer, _ = read_customers(path, encoding="cp1251")
    assert (customer.party.id, customer.accounts) == ("K-001", ["KZ01"])


def test_kazakh_headings_and_name_parts(tmp_path: Path) -> None:
    text = (
        "Тегі,Аты,Әкесінің аты,Туған күні,ЖСН,Азаматтығы,Жынысы\n"
        "Тулегенов,Арман,Нурланович,1969 жылғы 16 маусым,,Қазақстан,Ер\n"
    )
    (party,) = read_parties(_write(tmp_path / "тізім.csv", text))
    assert party.names == ["Арман Нурланович Тулегенов"]
    assert party.birth_dates == [BirthDate.exact(dt.date(1969, 6, 16))]
    assert (party.nationalities, party.gender) == (["KZ"], Gender.MALE)


def test_english_headings_with_notes_in_brackets(tmp_path: Path) -> None:
    text = (
        "Customer Name,Date of Birth (DD.MM.YYYY),Citizenship [ISO]\nDana Omarova,16.06.1969,KZ\n"
    )
    (party,) = read_parties(_write(tmp_path / "c.csv", text))
    assert party.names == ["Dana Omarova"]
    assert party.birth_dates == [BirthDate.exact(dt.date(1969, 6, 16))]
    assert party.nationalities == ["KZ"]


def test_kinds_of_party_as_kazakhstan_writes_them() -> None:
    people = ["ФЛ", "Физ. лицо", "физическое лицо", "ИП", "жеке тұлға", "Individual"]
    organisations = ["ЮЛ", "юр. лицо", "Юридическое  лицо", "заңды тұлға", "ТОО", "legal-entity"]
    assert {Schema.parse(kind) for kind in people} == {Schema.PERSON}
    assert {Schema.parse(kind) for kind in organisations} == {Schema.ORGANIZATION}
    assert Schema.parse("лицо") is Schema.UNKNOWN


def test_a_report_title_above_the_headings_is_read_past(tmp_path: Path) -> None:
    text = (
        "Список клиентов на 01.12.2026\n"
        "\n"
        "ФИО;Дата рождения\n"
        "Арман Беков;1980-01-01\n"
        "Дана Омарова;32.01.1974\n"
    )
    problems: list[Problem] = []
    path = _write(tmp_path / "report.csv", text)
    parties = list(read_parties(path, problems=problems.append))
    assert [p.names for p in parties] == [["Арман Беков"], ["Дана Омарова"]]
    # The problem names the column as the file heads it, not as finmon compares headings.
    assert [(p.row, p.column) for p in problems] == [("line 5", "Дата рождения")]
    with pytest.raises(InputError, match="headings are on line 3"):
        layout(path)


def test_a_workbook_with_a_title_row_is_read_from_its_headings(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Отчёт: клиенты банка"])
    sheet.append([])
    sheet.append(["№", "Фамилия", "Имя", "Дата рождения"])
    sheet.append([1, "Беков", "Арман", "not a date"])
    sheet.append([2, None, None, "1980"])
    book.save(tmp_path / "report.xlsx")
    problems: list[Problem] = []
    (party,) = read_parties(tmp_path / "report.xlsx", problems=problems.append)
    assert party.names == ["Арман Беков"]
    assert [(p.row, p.column, p.value) for p in problems] == [
        ("row 4", "Дата рождения", "not a date"),
        ("row 5", "Имя/Фамилия", ""),
    ]


def test_the_search_for_headings_does_not_add_up_the_first_records(tmp_path: Path) -> None:
    long = ",".join(["y" * 30_000] * 3)
    text = "name,a,b,c\n" + "".join(f"Person {n},{long}\n" for n in range(15))
    assert len(text) > 1 << 20  # more than a record may hold, in the first 20 lines
    assert len(list(read_parties(_write(tmp_path / "wide.csv", text)))) == 15


def test_no_headings_in_the_first_lines_is_refused_naming_the_first(tmp_path: Path) -> None:
    text = "Клиенты\n" + "x;y\n" * 25 + "ФИО;Дата рождения\nАрман Беков;1980\n"
    with pytest.raises(InputError, match=r"no name column.*found columns: клиенты"):
        list(read_parties(_write(tmp_path / "late.csv", text)))


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


def test_bad_date_is_left_out_and_reported_by_file_row_and_column(tmp_path: Path) -> None:
    text = "id,name,birth_date\n1,Arman Bekov,1980-01-01\n2,Dana Omarova,31/02/1990\n"
    problems: list[Problem] = []
    parties = list(read_parties(_write(tmp_path / "dates.csv", text), problems=problems.append))
    assert [p.birth_dates for p in parties] == [[BirthDate.exact(dt.date(1980, 1, 1))], []]
    (problem,) = problems
    assert (problem.row, problem.column, problem.value) == ("line 3", "birth_date", "31/02/1990")
    assert problem.action == "birth date left out" and not problem.skipped
    assert "dates.csv: line 3, column birth_date: '31/02/1990'" in str(problem)


def test_strict_refuses_the_file_at_its_first_problem(tmp_path: Path) -> None:
    text = "id,name,birth_date\n1,Arman Bekov,1980-01-01\n2,Dana Omarova,31/02/1990\n3,,\n"
    with pytest.raises(InputError) as caught:
        list(read_parties(_write(tmp_path / "dates.csv", text), strict=True))
    message = str(caught.value)
    assert "dates.csv: line 3, column birth_date: '31/02/1990'" in message
    assert "strict: the file is refused" in message and "left out" not in message
    assert "line 4" not in message


def test_unknown_country_is_dropped_with_a_problem(tmp_path: Path) -> None:
    text = 'id,name,nationality\n1,Arman Bekov,Atlantis\n2,Dana Omarova,"kaz; Korea, South"\n'
    problems: list[Problem] = []
    parties = list(read_parties(_write(tmp_path / "c.csv", text), problems=problems.append))
    assert [p.nationalities for p in parties] == [[], ["KZ", "KR"]]
    assert len(problems) == 1
    assert "c.csv: line 2, column nationality: 'Atlantis'" in str(problems[0])


def test_a_row_with_no_name_is_skipped_with_a_problem(tmp_path: Path) -> None:
    text = "id,name\n1,Arman Bekov\n2,\n\n3,Dana Omarova\n"
    problems: list[Problem] = []
    parties = list(read_parties(_write(tmp_path / "c.csv", text), problems=problems.append))
    assert [p.id for p in parties] == ["1", "3"]
    (problem,) = problems
    assert (problem.row, problem.column, problem.action) == ("line 3", "name", "row skipped")
    assert problem.skipped and "the name is empty" in str(problem)


def test_unknown_kind_gender_and_a_bad_iin_are_left_out(tmp_path: Path) -> None:
    text = (
        "id,name,iin,schema,gender\n"
        "1,Arman Bekov,871008300124,robot,Q\n"
        "2,Dana Omarova,871008300125,Person,F\n"
        "3,Aigul Sarsenova,,unknown,other\n"
    )
    problems: list[Problem] = []
    first, second, _third = read_parties(_write(tmp_path / "c.csv", text), problems=problems.append)
    assert (first.identifiers, first.schema, first.gender) == ([], Schema.UNKNOWN, None)
    assert second.identifiers == [Identifier("iin", "871008300125", "KZ")]
    assert [(p.column, p.value) for p in problems] == [
        ("schema", "robot"),
        ("iin", "871008300124"),
        ("gender", "Q"),
    ]


def test_an_iin_or_bin_says_what_the_row_does_not(tmp_path: Path) -> None:
    text = (
        "id,name,iin,birth_date\n"
        "1,Arman Bekov,690716300123,\n"  # an IIN: a man born 1969-07-16
        "2,Береке ТОО,040640000127,\n"  # a BIN of a legal entity
        "3,ИП Сапарова,040660000136,\n"  # a BIN of an individual entrepreneur: a person
        "4,Dana Omarova,690716400125,1970-01-02\n"  # the IIN says 1969-07-16: both kept
        "5,Aigul Sarsenova,690716400125,16.07.1969\n"  # agrees: nothing to add
        "6,Timur Akhmetov,691316300121,\n"  # a right check digit, but neither IIN nor BIN
    )
    problems: list[Problem] = []
    parties = list(read_parties(_write(tmp_path / "c.csv", text), problems=problems.append))
    man, firm, entrepreneur, stated, agreed, neither = parties
    born = BirthDate.exact(dt.date(1969, 7, 16))
    assert (man.schema, man.birth_dates, man.gender) == (Schema.PERSON, [born], Gender.MALE)
    assert (firm.schema, firm.birth_dates, firm.gender) == (Schema.ORGANIZATION, [], None)
    assert entrepreneur.schema is Schema.PERSON
    assert stated.birth_dates == [BirthDate.exact(dt.date(1970, 1, 2)), born]
    assert (agreed.birth_dates, agreed.gender) == ([born], Gender.FEMALE)
    assert (neither.schema, neither.birth_dates, neither.gender) == (Schema.UNKNOWN, [], None)
    (problem,) = problems
    assert (problem.row, problem.column, problem.value, problem.action) == (
        "line 5",
        "birth_date",
        "1970-01-02",
        "both kept",
    )
    assert "the IIN 690716400125 encodes (1969-07-16)" in problem.problem


def test_screen_and_import_read_the_same_row_the_same_way(tmp_path: Path) -> None:
    path = _write(tmp_path / "c.csv", ACCEPTANCE)
    screened: list[Problem] = []
    imported: list[Problem] = []
    parties = list(read_parties(path, problems=screened.append))
    rows = list(read_customers(path, problems=imported.append))
    assert [p for p in parties] == [row.party for row in rows]
    assert screened == imported


def test_registry_rows_without_an_id_or_with_one_given_twice_are_skipped(tmp_path: Path) -> None:
    text = "id,name\nA1,Arman Bekov\n,Dana Omarova\nA1,Someone Else\nA4,\nA4,Aigul Sarsen\n"
    problems: list[Problem] = []
    rows = list(read_customers(_write(tmp_path / "c.csv", text), problems=problems.append))
    assert [(row.place, row.party.id) for row in rows] == [("line 2", "A1"), ("line 6", "A4")]
    assert [(p.row, p.column, p.skipped) for p in problems] == [
        ("line 3", "id", True),
        ("line 4", "id", True),
        ("line 5", "name", True),
    ]
    assert "'A1' is already given at line 2" in str(problems[1])


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
        ("16.06.1969 г.", dt.date(1969, 6, 16)),
        ("16 июня 1969 г.", dt.date(1969, 6, 16)),
        ("16-Jun-1969", dt.date(1969, 6, 16)),
        ("June 16th, 1969", dt.date(1969, 6, 16)),
        ("16th of June 1969", dt.date(1969, 6, 16)),
        ("1969 ж. 16 маусым", dt.date(1969, 6, 16)),
        ("2 мая 1980", dt.date(1980, 5, 2)),
        # A date column exported with its midnight time.
        ("16.06.1969 0:00:00", dt.date(1969, 6, 16)),
        ("16.06.1969 00:00", dt.date(1969, 6, 16)),
        ("1969-06-16 00:00:00.000", dt.date(1969, 6, 16)),
        ("16/06/1969 00:00:00", dt.date(1969, 6, 16)),
    ],
)
def test_dates_as_people_write_them(written: str, day: dt.date) -> None:
    assert parse_birth_date(written) == BirthDate.exact(day)


def test_months_and_serial_day_numbers() -> None:
    july = BirthDate(dt.date(1969, 7, 1), dt.date(1969, 7, 31))
    assert parse_birth_date("1969-07") == july
    assert parse_birth_date("1969/7") == july
    assert parse_birth_date("07.1969") == july
    assert parse_birth_date("July 1969") == july
    assert parse_birth_date("июль 1969 г.") == july
    assert parse_birth_date("1969 г.") == BirthDate.year(1969)
    assert parse_birth_date(25400) == BirthDate.exact(dt.date(1969, 7, 16))
    assert parse_birth_date(25400.0) == BirthDate.exact(dt.date(1969, 7, 16))
    assert parse_birth_date(25400.5) is None
    assert parse_birth_date(True) is None


@pytest.mark.parametrize(
    "written",
    [
        "06/07/1969",
        "05/06/1970",
        "1974-01-32",
        "31/02/1990",
        "1969-13-01",
        "1969-13",
        "7/16",
        "16.6.69",
        "16 June 69",
        "31 June 1969",
        "16 июня",
        "16 17 June 1969",
        "June May 1969",
        "Mayor 1969",
        "16.06.1969 14:30",  # a time of day is not a birth date's
        "06/07/1969 00:00:00",
    ],
)
def test_ambiguous_or_impossible_dates_are_not_guessed(written: str) -> None:
    assert parse_birth_date(written) is None


def test_values_as_banking_systems_export_them(tmp_path: Path) -> None:
    # A numeric country code, Kazakh sex letters as an identity card prints them, a dotted
    # abbreviation, and an IIN whose leading zero a spreadsheet dropped before saving as CSV.
    text = (
        "ФИО;Гражданство;Пол;ИИН\n"
        "Әсел Нұрланқызы;398;Ә;50301650121\n"
        "Арман Беков;417;Е;\n"
        "Дана Омарова;Казахстан;жен.;50301650122\n"
    )
    problems: list[Problem] = []
    first, second, third = read_parties(_write(tmp_path / "c.csv", text), problems=problems.append)
    assert (first.nationalities, first.gender) == (["KZ"], Gender.FEMALE)
    assert first.identifiers == [Identifier("iin", "050301650121", "KZ")]
    assert first.birth_dates == [BirthDate.exact(dt.date(2005, 3, 1))]
    assert (second.nationalities, second.gender) == (["KG"], Gender.MALE)
    assert third.gender is Gender.FEMALE and third.identifiers == []
    # With a zero in front it is still no valid IIN: reported as written.
    assert [(p.column, p.value) for p in problems] == [("ИИН", "50301650122")]


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
    sheet.append(["x1", "Әсел Нұрланқызы", dt.datetime(2005, 3, 1), 50301650121])
    sheet.append(["x2", "Arman Bekov", 25400, None])  # a serial day number: 1969-07-16
    sheet.append(["x3", "Dana Omarova", 1969, 50301650122])
    sheet.append(["x4", "Aigul Sarsenova", "1974-01-32", None])
    book.save(tmp_path / "book.xlsx")
    problems: list[Problem] = []
    parties = list(read_parties(tmp_path / "book.xlsx", problems=problems.append))
    assert [p.id for p in parties] == ["x1", "x2", "x3", "x4"]
    assert [p.birth_dates for p in parties] == [
        [BirthDate.exact(dt.date(2005, 3, 1))],
        [BirthDate.exact(dt.date(1969, 7, 16))],
        [BirthDate.year(1969)],
        [],
    ]
    assert parties[0].identifiers == [Identifier("iin", "050301650121", "KZ")]
    assert [(p.row, p.column, p.value) for p in problems] == [
        ("row 4", "IIN", "50301650122"),
        ("row 5", "Birth Date", "1974-01-32"),
    ]


def test_xls_as_1c_saves_it_with_a_title_dates_and_numeric_iin(tmp_path: Path) -> None:
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("Клиенты")
    dated = xlwt.easyxf(num_format_str="DD.MM.YYYY")
    rows = [
        ["Выгрузка клиентов"],
        [],
        ["Код клиента", "ФИО", "Дата рождения", "ИИН", "Гражданство"],
        ["K-1", "Әсел Нұрланқызы", dt.datetime(2005, 3, 1), 50301650121, "Казахстан"],
        ["K-2", "Arman Bekov", "32.01.1974", None, "KZ"],
    ]
    for number, row in enumerate(rows):
        for column, value in enumerate(row):
            if value is not None:
                style = dated if isinstance(value, dt.datetime) else xlwt.Style.default_style
                sheet.write(number, column, value, style)
    book.save(str(tmp_path / "clients.xls"))
    problems: list[Problem] = []
    first, second = read_customers(tmp_path / "clients.xls", problems=problems.append)
    assert (first.party.id, first.party.names) == ("K-1", ["Әсел Нұрланқызы"])
    assert first.party.birth_dates == [BirthDate.exact(dt.date(2005, 3, 1))]
    assert first.party.identifiers == [Identifier("iin", "050301650121", "KZ")]
    assert second.party.nationalities == ["KZ"]
    assert [(p.row, p.column, p.value) for p in problems] == [
        ("row 5", "Дата рождения", "32.01.1974")
    ]


def test_a_web_page_saved_as_xls_is_refused_saying_what_it_is(tmp_path: Path) -> None:
    path = _write(tmp_path / "export.xls", "<html><table><tr><td>ФИО</td></tr></table></html>")
    with pytest.raises(InputError, match=r"export\.xls: not a readable Excel 97-2003.*web page"):
        list(read_parties(path))


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


@given(st.dates(min_value=dt.date(1906, 1, 9), max_value=dt.date(2100, 12, 31)))
def test_every_written_form_of_a_day_reads_as_that_day(day: dt.date) -> None:
    exact = BirthDate.exact(day)
    forms = [
        f"{day.year}-{day.month}-{day.day}",
        f"{day.day}.{day.month}.{day.year}",
        f"{day.day:02d}.{day.month:02d}.{day.year}",
        (day - dt.date(1899, 12, 30)).days,
        dt.datetime(day.year, day.month, day.day),
        day.strftime("%d %B %Y"),
        day.strftime("%b %d, %Y"),
        f"{day.day} {RUSSIAN_GENITIVE[day.month - 1]} {day.year} г.",
        f"{day.year} ж. {day.day} {KAZAKH_MONTHS[day.month - 1]}",
    ]
    assert all(parse_birth_date(form) == exact for form in forms)
    day_first = parse_birth_date(f"{day.day:02d}/{day.month:02d}/{day.year}")
    assert day_first == (exact if day.day > 12 else None)


@given(st.text(max_size=30))
def test_no_text_makes_the_date_reader_fail(text: str) -> None:
    parse_birth_date(text)


def test_a_name_of_parts_that_are_all_empty_names_its_columns(tmp_path: Path) -> None:
    text = "id,first_name,surname\n1,Arman,Bekov\n2,,\n"
    problems: list[Problem] = []
    parties = list(read_parties(_write(tmp_path / "c.csv", text), problems=problems.append))
    assert [p.names for p in parties] == [["Arman Bekov"]]
    assert [(p.row, p.column) for p in problems] == [("line 3", "first_name/surname")]


def test_csv_header_gives_the_columns_folded_and_the_records_after_them(tmp_path: Path) -> None:
    path = tmp_path / "bans.csv"
    path.write_text(" Name ,BIN\nАлтын,123\n", encoding="utf-8")
    columns, records = csv_header(path)
    assert columns == ["name", "bin"]
    assert list(records) == [(2, ["Алтын", "123"])]


def test_csv_header_refuses_an_empty_file_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("", encoding="utf-8")
    with pytest.raises(InputError, match=r"empty\.csv:1: empty, no header row"):
        csv_header(path)


TRICKY = (
    "Customers as of 2026-12-01\n"
    "id,name,birth_date,iin,accounts\n"
    'k1,"Bekov, Arman",1969-7-16,690716300123,"KZ01; KZ02"\n'
    'k2,"Omarova ""Dana""\nSaule",1974-01-32,,KZ03\n'
    "\n"
    'k3,Sar"sen,"16.06.1969\nsecond line",871008300124,\n'
    ",Nobody Named,,,\n"
    "k1,Someone Else,1980,,\n"
    "k4,,1980-01-01,,\n"
    'k4,"Aigul\n\nSarsen",05/06/1970,,KZ04\r\n'
    "k5,Yerlan Nurlanov,,,\n"
)
"""Quoted cells across lines, doubled quotes, a quote inside an unquoted cell before a quoted
cell that goes on, blank lines, ids empty or given twice, values that are problems."""


def _as_read(path: Path, size: int | None, encoding: str | None = None) -> tuple[Any, ...]:
    """The rows, problems and error of a file, read whole or in blocks of size lines."""
    rows: list[tuple[str, Any, list[str]]] = []
    problems: list[Problem] = []
    try:
        if size is None:
            for row in read_customers(path, encoding, problems.append):
                rows.append((row.place, row.party, row.accounts))
        else:
            blocks = csv_blocks(path, encoding, size)
            assert blocks is not None

            def start(block: Block) -> Callable[[], Read[CustomerRow]]:
                done = read_block(blocks, block, lambda row: row)
                return lambda: done

            for row in first_rows(blocks, start, problems.append, 3):
                rows.append((row.place, row.party, row.accounts))
    except InputError as exc:
        return rows, problems, str(exc)
    return rows, problems, None


@pytest.mark.parametrize(
    "tail",
    [
        "",
        'k6,"Never closed\nk7,Anyone,,,\n',
        'k6,"Closed"then,,,\nk7,Anyone,,,\n',
        "k6,Broken \xff byte,,,\nk7,Anyone,,,\n",
        'k6,"Spans a line\nwith a broken \xff byte",,,\nk7,Anyone,,,\n',
        "k6," + "x" * 300 + ",,,\n",
        'k6,"' + "y" * 150 + "\n" + "z" * 150 + '",,,\n',
        'k6,"Never closed\n' + "k7,Anyone,,,\n" * 40,
    ],
)
def test_a_registry_read_in_blocks_is_read_as_a_whole(
    tmp_path: Path, tail: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FINMON_MAX_RECORD_CHARS", "200")
    path = tmp_path / "c.csv"
    path.write_bytes((TRICKY + tail).encode("utf-8").replace(b"\xc3\xbf", b"\xff"))
    whole = _as_read(path, None)
    assert len(whole[0]) >= 4 and len(whole[1]) >= 5
    assert (whole[2] is None) == (tail == "")
    for size in (1, 2, 3, 5, 8, 1000):
        assert _as_read(path, size) == whole


def test_a_record_that_never_closes_is_not_held_past_the_longest_allowed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FINMON_MAX_RECORD_CHARS", "200")
    path = tmp_path / "c.csv"
    path.write_text(TRICKY + 'k6,"Never closed\n' + "k7,Anyone,,,\n" * 10_000, encoding="utf-8")
    blocks = csv_blocks(path, None, 1000)
    assert blocks is not None
    held = [len(text) for _first, _before, text, _cut in blocks.blocks]
    assert sum(held) < len(TRICKY) + 400
    whole = _as_read(path, None)
    assert "a record of more than 200 characters" in whole[2]
    assert _as_read(path, 1000) == whole
