"""The canonical CSV and Parquet layouts and the AMLSim transfers CSV: every column read, every
bad value refused naming the file and the place, and the real AMLSim file read whole."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from finmon.errors import InputError
from finmon.transactions.model import COLUMNS, PartyInfo, Transaction
from finmon.transactions.reader import read_file, read_transactions
from finmon.transactions.tabular import AMLSIM_CHANNEL, read_amlsim, read_canonical
from tests.conftest import shared_file

FULL = {
    "id": "P-1",
    "timestamp": "2026-11-02T09:30:00",
    "originator_account": "KZ86125KZT5004100100",
    "originator_name": "Жақсылықов  Ерлан",
    "originator_id": "871008300125",
    "originator_country": "Kazakhstan",
    "beneficiary_account": "TJ12345678901234567",
    "beneficiary_name": "Rustam Nazarov",
    "beneficiary_id": "A1234567",
    "beneficiary_country": "tjk",
    "amount": "1 500,50",
    "currency": "eur",
    "channel": "wire",
    "reference": "e2e-1",
}
SPARSE = {column: "" for column in COLUMNS} | {
    "id": "P-2",
    "timestamp": "2026-11-03T10:00:00+05:00",
    "amount": "200",
    "currency": "KZT",
}


def _check_full(found: Transaction, source: str) -> None:
    assert found.id == "P-1"
    assert found.timestamp == dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.UTC)
    assert (found.amount, found.currency) == (Decimal("1500.50"), "EUR")
    assert found.originator == PartyInfo(
        name="Жақсылықов Ерлан", account="KZ86125KZT5004100100", id="871008300125", country="KZ"
    )
    assert found.beneficiary == PartyInfo(
        name="Rustam Nazarov", account="TJ12345678901234567", id="A1234567", country="TJ"
    )
    assert (found.channel, found.reference, found.purpose) == ("wire", "e2e-1", None)
    assert found.source == source


def _check_sparse(found: Transaction, source: str) -> None:
    assert found.id == "P-2"
    assert found.timestamp == dt.datetime(2026, 11, 3, 5, 0, tzinfo=dt.UTC)
    assert found.timestamp.utcoffset() == dt.timedelta(hours=5)
    assert (found.amount, found.currency) == (Decimal(200), "KZT")
    assert found.originator == PartyInfo()
    assert found.beneficiary == PartyInfo()
    assert (found.channel, found.reference) == (None, None)
    assert found.source == source


def _write_csv(
    path: Path, rows: list[dict[str, str]], encoding: str = "utf-8-sig", delimiter: str = ","
) -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_the_canonical_csv_reads_every_column(tmp_path: Path) -> None:
    assert list(FULL) == list(COLUMNS)
    path = _write_csv(tmp_path / "payments.csv", [FULL, SPARSE])
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    full, sparse = read_canonical(path)
    _check_full(full, f"{path}: line 2")
    _check_sparse(sparse, f"{path}: line 3")


def test_semicolons_any_column_order_and_case_blank_rows_and_cells_over_lines(
    tmp_path: Path,
) -> None:
    path = tmp_path / "payments.csv"
    header = ";".join(f" {column.upper()} " for column in reversed(COLUMNS))
    first = ";".join(reversed([f'"{value}"' for value in FULL.values()]))
    spanning = SPARSE | {"beneficiary_name": '" Rustam\n  Nazarov "'}
    multi = ";".join(reversed(list(spanning.values())))
    empty = ";" * (len(COLUMNS) - 1)
    path.write_text(f"{header}\n{first}\n\n{empty}\n{multi}\n", encoding="utf-8")
    full, sparse = read_canonical(path)
    _check_full(full, f"{path}: line 2")
    assert (sparse.id, sparse.beneficiary.name) == ("P-2", "Rustam Nazarov")
    assert sparse.source == f"{path}: line 5"


def test_the_canonical_parquet_reads_every_column_as_text_or_typed(tmp_path: Path) -> None:
    text = tmp_path / "text.parquet"
    pq.write_table(pa.table({k: [FULL[k], SPARSE[k]] for k in COLUMNS}), text)
    full, sparse = read_canonical(text)
    _check_full(full, f"{text}: row 1")
    _check_sparse(sparse, f"{text}: row 2")

    typed = tmp_path / "typed.parquet"
    columns = {k: pa.array([FULL[k], None]) for k in COLUMNS}
    columns["id"] = pa.array(["P-1", "P-2"])
    columns["currency"] = pa.array(["eur", "KZT"])
    columns["timestamp"] = pa.array(
        [dt.datetime(2026, 11, 2, 9, 30), dt.datetime(2026, 11, 3, 0, 0)], pa.timestamp("us")
    )
    columns["amount"] = pa.array([Decimal("1500.50"), Decimal("200.00")], pa.decimal128(12, 2))
    pq.write_table(pa.table(columns), typed)
    full, sparse = read_canonical(typed)
    _check_full(full, f"{typed}: row 1")
    assert (sparse.timestamp, sparse.amount) == (dt.datetime(2026, 11, 3, tzinfo=dt.UTC), 200)
    assert (sparse.originator, sparse.channel) == (PartyInfo(), None)


@pytest.mark.parametrize("column", ["id", "timestamp", "amount", "currency"])
def test_a_missing_required_column_is_named(tmp_path: Path, column: str) -> None:
    path = _write_csv(tmp_path / "a.csv", [{k: v for k, v in FULL.items() if k != column}])
    with pytest.raises(InputError) as refused:
        read_canonical(path)
    assert str(refused.value).startswith(f"{path}: missing column(s) {column};")


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("02.11.2026 09:30", dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.UTC)),
        ("2.11.2026 9:30:15", dt.datetime(2026, 11, 2, 9, 30, 15, tzinfo=dt.UTC)),
        ("02.11.2026", dt.datetime(2026, 11, 2, tzinfo=dt.UTC)),
        ("2026/11/02 09:30", dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.UTC)),
        ("1793611800", dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.UTC)),
        ("2026-11-02 09:30:00Z", dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.UTC)),
    ],
)
def test_times_as_spreadsheets_and_other_systems_write_them(
    tmp_path: Path, written: str, read: dt.datetime
) -> None:
    # The day first with dots (as in Kazakhstan), the year first with slashes, Unix seconds: all
    # UTC. A slashed date with the day or month first is ambiguous and refused (below).
    path = _write_csv(tmp_path / "payments.csv", [FULL | {"timestamp": written}])
    assert read_canonical(path)[0].timestamp == read


@pytest.mark.parametrize(
    ("written", "code"),
    [("KZT", "KZT"), ("kzt", "KZT"), ("₸", "KZT"), ("тг.", "KZT"), ("Тенге", "KZT"),
     ("руб.", "RUB"), ("₽", "RUB"), ("$", "USD"), ("€", "EUR"), ("сом", "KGS")],
)  # fmt: skip
def test_a_currency_written_as_a_sign_or_word_is_its_code(
    tmp_path: Path, written: str, code: str
) -> None:
    path = _write_csv(tmp_path / "payments.csv", [FULL | {"currency": written}])
    assert read_canonical(path)[0].currency == code


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"amount": "12,x"}, "line 3: amount '12,x' is not a number"),
        ({"amount": "-5"}, "line 3: amount '-5' must be a number of 0 or more"),
        ({"amount": "NaN"}, "line 3: amount 'NaN' must be a number of 0 or more"),
        ({"amount": ""}, "line 3: amount '' is not a number"),
        ({"timestamp": "02/11/2026"}, "line 3: timestamp '02/11/2026' is not an ISO 8601 time"),
        ({"timestamp": "31.02.2026"}, "line 3: timestamp '31.02.2026' is not an ISO 8601 time"),
        ({"timestamp": "2026/11/02 25:00"}, "timestamp '2026/11/02 25:00' is not an ISO 8601"),
        ({"beneficiary_country": "Atlantis"}, "line 3: beneficiary_country 'Atlantis' is not a"),
        ({"originator_country": "ZZ"}, "line 3: originator_country 'ZZ' is not a country"),
        ({"currency": "euro"}, "line 3: currency 'euro' is not a 3-letter code"),
        ({"id": ""}, "line 3: id is empty"),
    ],
)
def test_a_bad_value_is_refused_naming_the_file_line_and_column(
    tmp_path: Path, change: dict[str, str], expected: str
) -> None:
    path = _write_csv(tmp_path / "payments.csv", [FULL, FULL | change])
    with pytest.raises(InputError) as refused:
        read_canonical(path)
    assert str(refused.value).startswith(f"{path}: line 3: ")
    assert expected in str(refused.value)


def test_a_payment_file_is_lenient_a_bad_row_skipped_and_named_the_rest_read(
    tmp_path: Path,
) -> None:
    rows = [FULL, FULL | {"id": "P-2", "amount": "12,x"}, FULL | {"id": "P-3"}]
    path = _write_csv(tmp_path / "payments.csv", rows)
    reading = read_file(path)
    assert [t.id for t in reading.transactions] == ["P-1", "P-3"]
    assert [str(skip) for skip in reading.skipped] == [
        f"{path}: line 3: amount '12,x' is not a number"
    ]
    # read_transactions, for a caller that needs every transfer, refuses the file at the first skip.
    with pytest.raises(InputError, match="line 3: amount '12,x'"):
        read_transactions(path)


def test_an_amlsim_row_that_cannot_be_read_is_skipped_and_named(tmp_path: Path) -> None:
    path = tmp_path / "transactions.csv"
    path.write_text("sourceNodeId,targetNodeId,value,time\n1,2,10.5,3\n1,,4,3\n2,3,7,x\n")
    reading = read_file(path, "amlsim")
    assert [t.id for t in reading.transactions] == ["1"]
    assert [skip.reason.split(": ", 1)[1] for skip in reading.skipped] == [
        "line 3: a node id is empty",
        "line 4: time 'x' is not a whole number of steps",
    ]


def test_a_bad_value_in_parquet_names_the_row(tmp_path: Path) -> None:
    path = tmp_path / "payments.parquet"
    pq.write_table(pa.table({k: [FULL[k], FULL[k], "x"] for k in COLUMNS}), path)
    with pytest.raises(InputError) as refused:
        read_canonical(path)
    assert str(refused.value).startswith(f"{path}: row 3: timestamp 'x' is not an ISO 8601")


def test_a_cp1251_file_is_refused_naming_the_line_and_byte(tmp_path: Path) -> None:
    rows = [FULL | {"originator_name": "Erlan"}, FULL | {"originator_name": "Иванов"}]
    path = _write_csv(tmp_path / "payments.csv", rows, encoding="cp1251")
    offset = path.read_bytes().index("Иванов".encode("cp1251"))
    with pytest.raises(InputError) as refused:
        read_canonical(path)
    message = str(refused.value)
    assert message.startswith(f"{path}: line 3 (byte offset {offset}): byte 0xc8 is not valid UTF")
    assert "cp1251" in message


def test_a_utf16_file_is_read_and_a_malformed_one_refused(tmp_path: Path) -> None:
    path = _write_csv(tmp_path / "utf16.csv", [FULL], encoding="utf-16", delimiter="\t")
    (found,) = read_canonical(path)
    _check_full(found, f"{path}: line 2")
    ragged = tmp_path / "ragged.csv"
    ragged.write_text("id,timestamp,amount,currency\nP-1,2026-11-02,1,EUR\nP-2,2026\n")
    with pytest.raises(InputError, match=r"ragged.csv: line 3: 2 cells where the header has 4"):
        read_canonical(ragged)


def test_amlsim_transfers_read_whole_with_their_sum() -> None:
    path = shared_file("tm/amlsim_20K_fanin200/transactions.csv")
    transactions = read_amlsim(path)
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(transactions) == len(rows) == 118_250
    assert sum(t.amount for t in transactions) == sum(Decimal(r["value"]) for r in rows)
    for index in (0, 1, len(rows) - 1):
        found, row = transactions[index], rows[index]
        assert found.id == str(index + 1)
        assert found.originator == PartyInfo(account=row["sourceNodeId"])
        assert found.beneficiary == PartyInfo(account=row["targetNodeId"])
        assert (found.amount, found.currency) == (Decimal(row["value"]), "USD")
        start = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
        assert found.timestamp == start + dt.timedelta(days=int(row["time"]))
        assert (found.channel, found.source) == (AMLSIM_CHANNEL, f"{path}: line {index + 2}")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("sourceNodeId,targetNodeId,value\n1,2,3\n", "missing AMLSim column(s) time"),
        ("sourceNodeId,targetNodeId,value,time\n1,2,3,0\n1,2,x,0\n", "line 3: amount 'x' is not"),
        ("sourceNodeId,targetNodeId,value,time\n1,2,3,1.5\n", "line 2: time '1.5' is not a whole"),
        ("sourceNodeId,targetNodeId,value,time\n1,,3,1\n", "line 2: a node id is empty"),
    ],
)
def test_a_bad_amlsim_file_is_refused_naming_the_line(
    tmp_path: Path, content: str, expected: str
) -> None:
    path = tmp_path / "transactions.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as refused:
        read_amlsim(path)
    assert str(refused.value).startswith(str(path))
    assert expected in str(refused.value)


def test_other_columns_are_ignored_and_a_doubled_one_refused(tmp_path: Path) -> None:
    extra = _write_csv(tmp_path / "extra.csv", [FULL | {"note": "x", "": "y", " ": "z"}])
    (found,) = read_canonical(extra)
    _check_full(found, f"{extra}: line 2")
    doubled = tmp_path / "doubled.csv"
    doubled.write_text("id,timestamp,Amount,amount,currency\nP-1,2026-11-02,1,2,EUR\n")
    with pytest.raises(InputError, match=r"doubled.csv: column 'amount' appears twice"):
        read_canonical(doubled)


def test_parquet_text_columns_of_other_types(tmp_path: Path) -> None:
    numbers = tmp_path / "numbers.parquet"
    table = {"id": [17], "timestamp": ["2026-11-02"], "amount": [12.5], "currency": ["USD"]}
    pq.write_table(pa.table(table | {"originator_account": [7001]}), numbers)
    (found,) = read_canonical(numbers)
    assert (found.id, found.originator.account) == ("17", "7001")
    assert (found.amount, found.timestamp) == (
        Decimal("12.5"),
        dt.datetime(2026, 11, 2, tzinfo=dt.UTC),
    )
    nested = tmp_path / "nested.parquet"
    pq.write_table(pa.table(table | {"reference": [["a", "b"]]}), nested)
    with pytest.raises(InputError, match=r"nested.parquet: column 'reference' holds list"):
        read_canonical(nested)
