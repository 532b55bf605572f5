"""The customer registry: imports upsert by id with history, reject bad rows by file, row and
column, change nothing for a broken file, and screen exactly the new and changed customers."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import text

from finmon.errors import InputError, NotFound, StoreError
from finmon.model import BirthDate, DesignationName, NameQuality
from finmon.screening.rows import Problem
from finmon.store import customers as store_customers
from finmon.store import load_list, verify_audit
from finmon.store.alerts import list_alerts
from finmon.store.customers import customer_count, customer_history, import_customers
from finmon.store.freezes import sla
from tests.conftest import ON_SERVER, direct_sql
from tests.store.workflow_data import (
    CUSTOMER_COUNT,
    CUSTOMERS,
    LISTED_ACCOUNTS,
    LISTED_ID,
    LISTED_REF,
    audit_rows,
    changed,
    designation,
    fixture_designations,
    fixture_rows,
    table_counts,
    un_version,
    write_csv,
)


def _load_fixture_list() -> None:
    assert load_list(un_version("2026-01-15", fixture_designations()), actor="loader").loaded


def _xlsx(path: Path, rows: list[dict[str, str]]) -> Path:
    """The rows as a workbook, dates and years as Excel keeps them (date and number cells)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    columns = list(rows[0])
    sheet.append(columns)
    for row in rows:
        sheet.append([_cell(column, row[column]) for column in columns])
    book.save(path)
    return path


def _cell(column: str, value: str) -> object:
    if column != "birth_date" or not value:
        return value or None
    if value.isdigit():
        return int(value)
    if "." in value:
        return dt.datetime.strptime(value, "%d.%m.%Y")
    return dt.datetime.fromisoformat(value)


def _jsonl(path: Path, rows: list[dict[str, str]]) -> Path:
    lines = [json.dumps({k: v for k, v in row.items() if v}, ensure_ascii=False) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_csv_import_keeps_every_script_and_the_accounts() -> None:
    result = import_customers(CUSTOMERS, actor="officer.a")
    assert (result.inserted, result.updated, result.unchanged) == (CUSTOMER_COUNT, 0, 0)
    assert (result.problems, result.screened, result.alerts) == (0, 0, 0)
    assert customer_count() == CUSTOMER_COUNT
    petrova = customer_history("K002")
    assert petrova["record"]["names"] == ["Петрова Елена Игоревна"]
    assert petrova["record"]["birth_dates"][0]["earliest"] == "1976-03-15"
    assert petrova["accounts"] == ["KZ12601A871001234567", "KZ12601A871001234568"]
    assert customer_history("K005")["record"]["names"] == ["أحمد محمود الكبيسي"]
    assert customer_history("K006")["record"]["schema"] == "organization"
    assert customer_history("K001")["record"]["identifiers"][0]["number"] == "871008300125"
    assert customer_history(LISTED_ID)["accounts"] == LISTED_ACCOUNTS
    assert audit_rows("customers.") == [
        ("officer.a", "customers.import.batch", f"file:{CUSTOMERS.name}"),
        ("officer.a", "customers.import", f"file:{CUSTOMERS.name}"),
    ]


@pytest.mark.parametrize(("suffix", "write"), [(".xlsx", _xlsx), (".jsonl", _jsonl)])
def test_xlsx_and_jsonl_give_the_same_customers_as_csv(
    tmp_path: Path, suffix: str, write: Callable[[Path, list[dict[str, str]]], Path]
) -> None:
    path = write(tmp_path / f"customers{suffix}", fixture_rows())
    first = import_customers(path, actor="officer.a")
    assert (first.inserted, first.problems) == (CUSTOMER_COUNT, 0)
    assert customer_history("K002")["accounts"] == ["KZ12601A871001234567", "KZ12601A871001234568"]
    same = import_customers(CUSTOMERS, actor="officer.a")
    assert (same.inserted, same.updated, same.unchanged) == (0, 0, CUSTOMER_COUNT)


def test_changed_row_becomes_version_two_and_the_old_record_is_kept(tmp_path: Path) -> None:
    import_customers(CUSTOMERS, actor="officer.a")
    old = customer_history("K003")["record"]
    rows = changed(fixture_rows(), "K003", full_name="Saule Omarova-Bekova")
    result = import_customers(write_csv(tmp_path / "second.csv", rows), actor="officer.b")
    assert (result.inserted, result.updated, result.unchanged) == (0, 1, CUSTOMER_COUNT - 1)
    history = customer_history("K003")
    assert history["version"] == 2
    assert history["record"]["names"] == ["Saule Omarova-Bekova"]
    assert [v["version"] for v in history["history"]] == [1, 2]
    assert history["history"][0]["record"] == old
    assert history["history"][1]["record"] == history["record"]
    assert [v["changed_by"] for v in history["history"]] == ["officer.a", "officer.b"]
    assert history["history"][1]["source_file"].endswith("second.csv")
    assert [v["version"] for v in customer_history("K002")["history"]] == [1]
    assert table_counts()["customer_versions"] == CUSTOMER_COUNT + 1


def test_unknown_customer_is_not_found() -> None:
    import_customers(CUSTOMERS, actor="officer.a")
    with pytest.raises(NotFound, match="K999"):
        customer_history("K999")


def test_rows_are_imported_on_what_can_be_read_and_each_problem_is_named(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_text(
        "id,name,birth_date,iin,accounts\n"
        "A1,Ерлан Жақсылықов,1987-10-08,871008300125,KZ01\n"
        "A2,Дана Абенова,1990-01-01,871008300124,KZ02\n"
        "A3,Нұрлан Бекұлы,1990-02-30,,KZ03\n"
        ",Арман Сейітов,1980,,KZ04\n"
        "A1,Someone Else,1970,,KZ05\n"
        "A6,Мадина Омарова,12.05.1993,,KZ06\n",
        encoding="utf-8",
    )
    problems: list[Problem] = []
    result = import_customers(path, actor="officer.a", problems=problems.append)
    assert (result.inserted, result.updated, result.skipped, result.problems) == (4, 0, 2, 4)
    assert customer_count() == 4
    assert customer_history("A1")["record"]["names"] == ["Ерлан Жақсылықов"]
    assert customer_history("A2")["record"]["identifiers"] == []
    assert customer_history("A2")["accounts"] == ["KZ02"]
    assert customer_history("A3")["record"]["birth_dates"] == []
    expected = [
        ("line 3", "iin", "871008300124", "IIN/BIN left out"),
        ("line 4", "birth_date", "1990-02-30", "birth date left out"),
        ("line 5", "id", "", "row skipped"),
        ("line 6", "id", "A1", "row skipped"),
    ]
    assert [(p.row, p.column, p.value, p.action) for p in problems] == expected
    assert all(p.file == str(path) for p in problems)
    assert result.first_problems == problems


def test_strict_import_refuses_the_file_at_its_first_problem_and_writes_nothing(
    tmp_path: Path,
) -> None:
    path = tmp_path / "mixed.csv"
    path.write_text(
        "id,name,birth_date\nA1,Ерлан Жақсылықов,1987-10-08\nA1,Дана Абенова,1990-01-01\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"line 3, column id: 'A1' is already given at line 2"):
        import_customers(path, actor="officer.a", strict=True)
    assert customer_count() == 0


def test_a_bad_iin_in_a_workbook_is_left_out_and_named_by_row(tmp_path: Path) -> None:
    rows = fixture_rows()
    rows[2] = {**rows[2], "iin": "900101400341"}
    path = _xlsx(tmp_path / "customers.xlsx", rows)
    problems: list[Problem] = []
    result = import_customers(path, actor="officer.a", problems=problems.append)
    assert (result.inserted, result.skipped) == (CUSTOMER_COUNT, 0)
    (problem,) = problems
    assert f"{path}: row 4, column iin: '900101400341'" in str(problem)
    assert customer_history("K003")["record"]["identifiers"] == []


BROKEN_FILES = {
    "oversized-field.csv": (
        "id,name\nB1,Ерлан Жақсылықов\nB2," + "x" * 200_000 + "\n",
        "line 3",
    ),
    "unterminated-quote.csv": (
        'id,name,birth_date\nB1,Ерлан Жақсылықов,1987\nB2,"Дана Абенова,1990\nB3,Сәуле,1991\n',
        "line 3",
    ),
    "no-id.csv": ("number,name,birth_date\n1,Ерлан Жақсылықов,1987\n", "no id column"),
    "broken.jsonl": ('{"id": "B1", "name": "Ерлан"}\n{"id": "B2", "name": \n', "line 2"),
}


@pytest.mark.parametrize("name", sorted(BROKEN_FILES))
def test_structurally_broken_file_changes_nothing(tmp_path: Path, name: str) -> None:
    _load_fixture_list()
    import_customers(CUSTOMERS, actor="officer.a")
    before = table_counts()
    content, where = BROKEN_FILES[name]
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=where) as raised:
        import_customers(path, actor="officer.a")
    assert name in str(raised.value)
    assert table_counts() == before
    assert verify_audit().ok


def test_badly_encoded_file_changes_nothing(tmp_path: Path) -> None:
    import_customers(CUSTOMERS, actor="officer.a")
    before = table_counts()
    path = tmp_path / "cp1251.csv"
    path.write_bytes(
        "id,name\nE1,Ерлан Жақсылықов\nE2,Omarova Saule\n".encode()
        + "E3,Дана Абенова\n".encode("cp1251")
    )
    with pytest.raises(InputError, match=r"cp1251.csv: line 4 .*--encoding cp1251"):
        import_customers(path, actor="officer.a")
    assert table_counts() == before
    with pytest.raises(NotFound):
        customer_history("E1")


def test_listed_newcomer_is_alerted_at_once_with_the_clock_starting_now() -> None:
    _load_fixture_list()
    result = import_customers(CUSTOMERS, actor="officer.a")
    assert (result.screened, result.alerts) == (CUSTOMER_COUNT, 1)
    [alert] = list_alerts("all")
    assert (alert.customer_id, alert.reference, alert.list) == (LISTED_ID, LISTED_REF, "un")
    assert (alert.trigger, alert.status) == ("customer", "open")
    [waiting] = sla()
    assert waiting.clock_start == alert.created_at
    assert audit_rows("alert.") == [("officer.a", "alert.raise", f"alert:{alert.alert_id}")]


def test_unchanged_reimport_screens_and_raises_nothing(tmp_path: Path) -> None:
    _load_fixture_list()
    import_customers(CUSTOMERS, actor="officer.a")
    before = table_counts()
    copy = write_csv(tmp_path / "same-again.csv", fixture_rows())
    again = import_customers(copy, actor="officer.a")
    assert (again.unchanged, again.updated, again.screened, again.alerts) == (8, 0, 0, 0)
    after = table_counts()
    assert after["audit_log"] == before["audit_log"] + 1
    assert {**after, "audit_log": 0} == {**before, "audit_log": 0}


def test_account_change_updates_without_screening(tmp_path: Path) -> None:
    _load_fixture_list()
    import_customers(CUSTOMERS, actor="officer.a")
    before = table_counts()
    rows = changed(fixture_rows(), LISTED_ID, accounts="KZ75125KZT2069100100;KZ99999KZT0000000001")
    result = import_customers(write_csv(tmp_path / "accounts.csv", rows), actor="officer.a")
    assert (result.updated, result.screened, result.alerts) == (1, 0, 0)
    assert customer_history(LISTED_ID)["accounts"][1] == "KZ99999KZT0000000001"
    after = table_counts()
    assert after["customer_versions"] == before["customer_versions"] + 1
    assert (after["alerts"], after["customer_tokens"]) == (
        before["alerts"],
        before["customer_tokens"],
    )


def test_name_change_screens_the_customer_again(tmp_path: Path) -> None:
    _load_fixture_list()
    import_customers(CUSTOMERS, actor="officer.a")
    rows = changed(fixture_rows(), "K001", full_name="Тимур Ахатович Карагулов", iin="")
    result = import_customers(write_csv(tmp_path / "renamed.csv", rows), actor="officer.a")
    assert (result.updated, result.screened, result.alerts) == (1, 1, 1)
    alerts = {(a.customer_id, a.reference, a.trigger) for a in list_alerts("all")}
    assert alerts == {(LISTED_ID, LISTED_REF, "customer"), ("K001", LISTED_REF, "customer")}


def test_renamed_customer_is_indexed_under_the_new_name_only(tmp_path: Path) -> None:
    designations = fixture_designations()
    old_name, new_name = designation(designations, "QDi.904"), designation(designations, "QDi.905")
    for listed, name in ((old_name, "Saule Omarova"), (new_name, "Aigerim Saparova")):
        listed.names = [DesignationName(name, NameQuality.PRIMARY)]
        listed.birth_dates, listed.nationalities, listed.identifiers = [], [], []
    # K003's birth day: common names alert when the birth date confirms them.
    new_name.birth_dates = [BirthDate.exact(dt.date(1990, 1, 1))]
    first = [d for d in designations if d.reference not in ("QDi.904", "QDi.905")]
    assert load_list(un_version("2026-01-15", first), actor="loader").loaded
    import_customers(CUSTOMERS, actor="officer.a")
    rows = changed(fixture_rows(), "K003", full_name="Aigerim Saparova", iin="")
    import_customers(write_csv(tmp_path / "renamed.csv", rows), actor="officer.a")
    result = load_list(un_version("2026-02-01", designations), actor="loader")
    assert result.rescreen is not None and result.rescreen.alerts == 1
    assert [(a.customer_id, a.reference) for a in list_alerts("all")] == [("K003", "QDi.905")]


def test_a_value_the_database_cannot_hold_is_bad_input() -> None:
    import_customers(CUSTOMERS, actor="officer.a")
    # PostgreSQL cannot hold a NUL character in text: that is the caller's bad input (exit 2,
    # HTTP 422), not a broken database; SQLite holds it and finds no such customer.
    with pytest.raises(InputError if ON_SERVER else NotFound):
        customer_history("K00\x001")


def test_a_batch_that_fails_leaves_the_batches_before_it_whole_and_nothing_of_itself(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _load_fixture_list()
    monkeypatch.setenv("FINMON_IMPORT_BATCH", "3")
    real_write = store_customers._write
    written: list[int] = []

    def write_then_fail_third(session: Any, work: Any, *args: Any) -> int:
        raised = real_write(session, work, *args)  # the batch's rows are in the transaction
        written.append(len(work.changes))
        if len(written) == 3:
            raise StoreError("the disk filled up")
        return raised

    monkeypatch.setattr(store_customers, "_write", write_then_fail_third)
    with pytest.raises(StoreError):
        import_customers(CUSTOMERS, actor="officer.a")
    assert written == [3, 3, 2]
    first_six = [row["id"] for row in fixture_rows()[:6]]
    assert customer_count() == 6
    for customer_id in first_six:
        assert customer_history(customer_id)["version"] == 1
    counts = table_counts()
    assert counts["customer_versions"] == 6
    assert (
        audit_rows("customers.import.batch")
        == [("officer.a", "customers.import.batch", "file:customers_fixture.csv")] * 2
    )

    monkeypatch.setattr(store_customers, "_write", real_write)
    again = import_customers(CUSTOMERS, actor="officer.a")
    assert (again.inserted, again.unchanged) == (2, 6)
    assert customer_count() == CUSTOMER_COUNT


def test_customers_sharing_their_matching_data_are_each_indexed_and_alerted(
    tmp_path: Path,
) -> None:
    _load_fixture_list()
    rows = fixture_rows()
    listed = next(row for row in rows if row["id"] == LISTED_ID)
    twins = [{**listed, "id": "K104"}, {**listed, "id": "K105", "accounts": ""}]
    result = import_customers(write_csv(tmp_path / "twins.csv", [*rows, *twins]), actor="a")
    assert (result.inserted, result.screened, result.alerts) == (CUSTOMER_COUNT + 2, 10, 3)
    alerted = {(a.customer_id, a.reference) for a in list_alerts("all")}
    assert alerted == {(c, LISTED_REF) for c in (LISTED_ID, "K104", "K105")}
    query = text("SELECT token_id, parts FROM customer_tokens WHERE customer_id = :c")
    with direct_sql() as conn:
        postings = {
            customer: sorted(tuple(row) for row in conn.execute(query, {"c": customer}))
            for customer in (LISTED_ID, "K104", "K105", "K001")
        }
    assert postings[LISTED_ID] and postings[LISTED_ID] == postings["K104"] == postings["K105"]
    assert postings["K001"] != postings[LISTED_ID]


def test_a_token_is_stored_as_the_first_customer_holding_it_gives_it_whatever_the_workers(
    tmp_path: Path,
) -> None:
    # The pair 'aisulu miraskyzy' has one sig in both names, but its weight is its parts' larger:
    # 1.0 where aisulu is a given name, 0.7 where both parts are patronymics.
    sig = "name:l:aisulumiraskizi:slmrskd:aisulu miraskyzy"
    fillers = [f"C{i:04d},Filler{chr(97 + i % 26)}{i} Person{i},1980-01-01" for i in range(2, 400)]
    lines = [
        "id,name,birth_date",
        "C0001,AISULU MIRASKYZY AZATOVA,1982-09-24",
        *fillers,
        "C0400,NURGISAEVA AISULU MIRASKYZY,1955-08-28",
    ]
    path = tmp_path / "pair.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # Two workers, each given one half (store_customers.CHUNK and PARALLEL_FROM allow it).
    assert store_customers.PARALLEL_FROM <= 400 and store_customers.CHUNK >= 200
    assert import_customers(path, actor="officer.a", workers=2).inserted == 400
    with direct_sql() as conn:
        data = conn.execute(text("SELECT data FROM name_tokens WHERE sig = :s"), {"s": sig})
        stored = data.scalar_one()  # JSON text on SQLite, decoded by PostgreSQL's driver
        assert (json.loads(stored) if isinstance(stored, str) else stored)["weight"] == 1.0
