"""One entry point for transaction files: each format recognised and sent to its reader (the
readers themselves are tested in test_pacs008, test_mt103 and test_tabular)."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from finmon.errors import InputError
from finmon.transactions.model import COLUMNS, fingerprint, to_record
from finmon.transactions.reader import detect_format, read_transactions
from tests.conftest import shared_file, shared_spec

HERE = Path(__file__).parent
ROW = [
    "P-1",
    "2026-11-02T09:30:00",
    "KZ86125KZT5004100100",
    "Erlan Zhaksylykov",
    "",
    "KZ",
    "TJ12345678901234567",
    "Rustam Nazarov",
    "",
    "TJ",
    "1500.50",
    "EUR",
    "wire",
    "e2e-1",
]
MT103 = (
    ":20:REF2\n:32A:261103USD200,\n:50K:/KZ11125KZT0000000102\nSEITKALI AIGERIM\n"
    ":59:/UZ1234567890\nKARIMOV BAHODIR\n"
)


def test_each_format_is_recognised_and_read(tmp_path: Path) -> None:
    shared_spec("iso20022/pacs.008.001.09.xsd")  # pacs.008 files are validated against it
    csv_file = tmp_path / "payments.csv"
    csv_file.write_text(",".join(COLUMNS) + "\n" + ",".join(ROW) + "\n", encoding="utf-8")
    parquet = tmp_path / "payments.bin"  # recognised by its content, not its name
    pq.write_table(pa.table({c: [v] for c, v in zip(COLUMNS, ROW, strict=True)}), parquet)
    mt103 = tmp_path / "transfers.txt"
    mt103.write_text(MT103, encoding="utf-8")
    cases = [
        (HERE / "pacs008_two_transfers.xml", "pacs008", ["TX-1", "E2E-2"]),
        (mt103, "mt103", ["REF2"]),
        (csv_file, "csv", ["P-1"]),
        (parquet, "parquet", ["P-1"]),
    ]
    for path, kind, ids in cases:
        assert detect_format(path) == kind, path
        assert [t.id for t in read_transactions(path)] == ids, path
    amlsim = shared_file("tm/amlsim_20K_fanin200/transactions.csv")
    assert detect_format(amlsim) == "amlsim"


def test_an_unknown_format_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "notes.bin"
    path.write_bytes(b"\x00\x01 binary and nothing finmon reads")
    with pytest.raises(InputError, match="give --format"):
        read_transactions(path)
    with pytest.raises(InputError, match="unknown --format"):
        read_transactions(path, "swift-mx")
    with pytest.raises(InputError, match="no such file"):
        read_transactions(tmp_path / "missing.csv")


def test_a_fingerprint_from_the_record_made_once_is_the_same_and_leaves_the_record_whole() -> None:
    transactions = read_transactions(HERE / "pacs008_two_transfers.xml")
    assert transactions and all(t.message is not None for t in transactions)
    for transaction in transactions:
        record = to_record(transaction)
        assert fingerprint(transaction, record) == fingerprint(transaction)
        assert record == to_record(transaction) and "message" in record


def test_the_stored_form_reads_back_as_the_record_with_its_fingerprint(tmp_path: Path) -> None:
    import json

    from finmon.transactions.model import stored_form

    csv_file = tmp_path / "payments.csv"
    named = [*ROW[:3], "Ерлан Жақсылықов", *ROW[4:]]  # written as is, not escaped
    csv_file.write_text(",".join(COLUMNS) + "\n" + ",".join(named) + "\n", encoding="utf-8")
    transactions = [
        *read_transactions(HERE / "pacs008_two_transfers.xml"),
        *read_transactions(csv_file),
    ]
    assert len(transactions) == 3 and transactions[-1].message is None
    for transaction in transactions:
        text, print_ = stored_form(transaction)
        assert json.loads(text) == to_record(transaction)
        assert print_ == fingerprint(transaction)
