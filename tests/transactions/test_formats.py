"""Transaction loaders: pacs.008 validated against the real schema, MT103, the canonical CSV and
Parquet layouts and AMLSim; every bad input refused whole, naming the file and the place."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from finmon.errors import InputError
from finmon.transactions.model import COLUMNS
from finmon.transactions.mt103 import read_mt103
from finmon.transactions.pacs008 import read_pacs008
from finmon.transactions.reader import detect_format, read_transactions
from finmon.transactions.tabular import read_amlsim, read_canonical
from tests.conftest import shared_file, shared_spec

HERE = Path(__file__).parent
PACS008 = HERE / "pacs008_two_transfers.xml"
"""Two transfers written for these tests; valid against pacs.008.001.09 (checked below)."""
MT103 = """{1:F01KCJBKZKXAXXX0000000000}{2:I103TJSBTJ22XXXXN}{4:
:20:KZ26110200001
:23B:CRED
:32A:261102EUR1500,50
:50F:/KZ86125KZT5004100100
1/ZHAKSYLYKOV ERLAN
2/ABAI AVENUE 10
3/KZ/ALMATY
4/19871008
5/KZ/SHYMKENT
7/KZ/871008300125
:52A:KCJBKZKX
:57A:TJSBTJ22
:59F:/TJ12345678901234567
1/RUSTAM NAZAROV
2/RUDAKI 5
3/TJ/DUSHANBE
:70:FAMILY SUPPORT
NOVEMBER
:71A:SHA
-}
$
:20:REF2
:32A:261103USD200,
:50K:/KZ11125KZT0000000102
SEITKALI AIGERIM
ASTANA
:59:/UZ1234567890
KARIMOV BAHODIR
"""


@pytest.fixture
def schema() -> Path:
    return shared_spec("iso20022/pacs.008.001.09.xsd")


def test_pacs008_maps_every_field_after_validating(schema: Path) -> None:
    first, second = read_pacs008(PACS008, schema)
    assert (first.id, first.reference) == ("TX-1", "1f0e8a3c-5b6d-4c2e-9f1a-2b3c4d5e6f70")
    assert (first.amount, first.currency) == (Decimal("1500.50"), "EUR")
    assert first.timestamp == dt.datetime(2026, 11, 2, 4, 30, tzinfo=dt.UTC)
    origin = first.originator
    assert origin.name == "Жақсылықов Ерлан Серікұлы"
    assert (origin.account, origin.id, origin.country) == (
        "KZ86125KZT5004100100",
        "871008300125",
        "KZ",
    )
    assert origin.address == "Abai avenue, 10, Almaty, KZ"
    assert (origin.birth_date, origin.birth_place) == (dt.date(1987, 10, 8), "Shymkent, KZ")
    assert origin.bank == "KCJBKZKX"
    target = first.beneficiary
    assert (target.name, target.account, target.country) == (
        "Rustam Nazarov",
        "TJ12345678901234567",
        "TJ",
    )
    assert first.purpose == "Family support November"
    assert (second.id, second.reference, second.currency) == ("E2E-2", "E2E-2", "USD")
    assert (second.originator.name, second.originator.address) == ("Aigerim Seitkali", None)
    assert second.beneficiary.account is None


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("<ChrgBr>DEBT</ChrgBr>", ""), "CdtTrfTxInf[2]"),
        (('Ccy="USD"', 'Ccy="DOLLARS"'), "IntrBkSttlmAmt"),
        (('<IntrBkSttlmAmt Ccy="USD">200<', '<IntrBkSttlmAmt Ccy="USD">2OO<'), "IntrBkSttlmAmt"),
        (("<BirthDt>1987-10-08</BirthDt>", "<BirthDt>08.10.1987</BirthDt>"), "BirthDt"),
    ],
)
def test_pacs008_that_does_not_validate_is_refused_with_the_element_path(
    schema: Path, tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    text = PACS008.read_text(encoding="utf-8")
    assert change[0] in text
    broken = tmp_path / "broken.xml"
    broken.write_text(text.replace(change[0], change[1], 1), encoding="utf-8")
    with pytest.raises(InputError) as refused:
        read_pacs008(broken, schema)
    message = str(refused.value)
    assert message.startswith(f"{broken}:")
    assert "does not validate against pacs.008.001.09" in message
    assert expected in message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]>'
            '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.09">&b;</Document>',
            "entity",
        ),
        ('<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"/>', "namespace"),
        ("<Document><unclosed></Document>", "malformed XML"),
    ],
)
def test_hostile_or_foreign_xml_is_refused(
    schema: Path, tmp_path: Path, content: str, expected: str
) -> None:
    path = tmp_path / "payments.xml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as refused:
        read_pacs008(path, schema)
    assert str(refused.value).startswith(str(path))
    assert expected in str(refused.value)


def test_mt103_reads_two_messages_with_50f_and_59f(tmp_path: Path) -> None:
    path = tmp_path / "mt103.txt"
    path.write_text(MT103, encoding="utf-8")
    assert detect_format(path) == "mt103"
    first, second = read_transactions(path)
    assert (first.id, first.amount, first.currency) == ("KZ26110200001", Decimal("1500.50"), "EUR")
    assert first.timestamp == dt.datetime(2026, 11, 2, tzinfo=dt.UTC)
    origin = first.originator
    assert (origin.name, origin.account, origin.id) == (
        "ZHAKSYLYKOV ERLAN",
        "KZ86125KZT5004100100",
        "871008300125",
    )
    assert (origin.country, origin.address) == ("KZ", "ABAI AVENUE 10, ALMATY")
    assert (origin.birth_date, origin.birth_place) == (dt.date(1987, 10, 8), "SHYMKENT, KZ")
    assert (origin.bank, first.beneficiary.bank) == ("KCJBKZKX", "TJSBTJ22")
    assert (first.beneficiary.name, first.beneficiary.country) == ("RUSTAM NAZAROV", "TJ")
    assert first.purpose == "FAMILY SUPPORT NOVEMBER"
    assert (second.id, second.amount) == ("REF2", Decimal(200))
    assert (second.originator.name, second.originator.address) == ("SEITKALI AIGERIM", "ASTANA")
    assert (second.beneficiary.name, second.beneficiary.account) == (
        "KARIMOV BAHODIR",
        "UZ1234567890",
    )


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ((":32A:261103USD200,", ":32A:261303USD200,"), "message 2 (line 24): :32A: '261303'"),
        ((":32A:261103USD200,", ":32A:2611USD"), "message 2 (line 24): :32A:"),
        ((":20:REF2\n", ""), "message 2: no :20:"),
        (("4/19871008", "4/1987-10-08"), "message 1 (line 5): :50F: 4/'1987-10-08'"),
    ],
)
def test_a_broken_mt103_is_refused_naming_the_message_and_line(
    tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    path = tmp_path / "mt103.txt"
    assert change[0] in MT103
    path.write_text(MT103.replace(change[0], change[1], 1), encoding="utf-8")
    with pytest.raises(InputError) as refused:
        read_mt103(path)
    assert expected in str(refused.value)


ROW = {
    "id": "P-1",
    "timestamp": "2026-11-02T09:30:00",
    "originator_account": "KZ86125KZT5004100100",
    "originator_name": "Жақсылықов Ерлан",
    "originator_id": "871008300125",
    "originator_country": "Kazakhstan",
    "beneficiary_account": "TJ12345678901234567",
    "beneficiary_name": "Rustam Nazarov",
    "beneficiary_id": "",
    "beneficiary_country": "TJK",
    "amount": "1500,50",
    "currency": "eur",
    "channel": "wire",
    "reference": "e2e-1",
}


def _write_csv(path: Path, rows: list[dict[str, str]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _check_row(found: object) -> None:
    assert found.id == "P-1"  # type: ignore[attr-defined]
    assert found.timestamp == dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.UTC)  # type: ignore[attr-defined]
    assert (found.amount, found.currency) == (Decimal("1500.50"), "EUR")  # type: ignore[attr-defined]
    origin, target = found.originator, found.beneficiary  # type: ignore[attr-defined]
    assert (origin.name, origin.account, origin.id, origin.country) == (
        "Жақсылықов Ерлан",
        "KZ86125KZT5004100100",
        "871008300125",
        "KZ",
    )
    assert (target.name, target.account, target.id, target.country) == (
        "Rustam Nazarov",
        "TJ12345678901234567",
        None,
        "TJ",
    )
    assert (found.channel, found.reference) == ("wire", "e2e-1")  # type: ignore[attr-defined]


def test_the_canonical_csv_and_parquet_layouts_read_every_column(tmp_path: Path) -> None:
    assert list(ROW) == list(COLUMNS)
    path = _write_csv(tmp_path / "payments.csv", [ROW])
    assert detect_format(path) == "csv"
    (found,) = read_transactions(path)
    _check_row(found)
    parquet = tmp_path / "payments.parquet"
    pq.write_table(pa.table({k: [v] for k, v in ROW.items()}), parquet)
    assert detect_format(parquet) == "parquet"
    (found,) = read_canonical(parquet)
    _check_row(found)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"amount": "12,x"}, "line 2: amount '12,x' is not a number"),
        ({"amount": "-5"}, "line 2: amount '-5' must be"),
        ({"timestamp": "02/11/2026"}, "line 2: timestamp '02/11/2026' is not an ISO 8601"),
        ({"beneficiary_country": "Atlantis"}, "line 2: beneficiary_country 'Atlantis'"),
        ({"currency": "euro"}, "line 2: currency 'euro'"),
    ],
)
def test_a_bad_canonical_value_is_refused_naming_the_line(
    tmp_path: Path, change: dict[str, str], expected: str
) -> None:
    path = _write_csv(tmp_path / "payments.csv", [{**ROW, **change}])
    with pytest.raises(InputError) as refused:
        read_canonical(path)
    assert str(refused.value).startswith(str(path))
    assert expected in str(refused.value)


def test_a_missing_column_or_a_wrong_encoding_is_refused(tmp_path: Path) -> None:
    without = _write_csv(tmp_path / "a.csv", [{k: v for k, v in ROW.items() if k != "amount"}])
    with pytest.raises(InputError, match="missing column"):
        read_canonical(without)
    cp1251 = _write_csv(tmp_path / "b.csv", [ROW | {"originator_name": "Иванов"}], "cp1251")
    with pytest.raises(InputError, match="cp1251"):
        read_canonical(cp1251)


def test_amlsim_transfers_read_whole_with_their_sum() -> None:
    path = shared_file("tm/amlsim_20K_fanin200/transactions.csv")
    assert detect_format(path) == "amlsim"
    transactions = read_amlsim(path)
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(transactions) == len(rows) == 118_250
    assert sum(t.amount for t in transactions) == sum(Decimal(r["value"]) for r in rows)
    first = transactions[0]
    assert (first.originator.account, first.beneficiary.account) == (
        rows[0]["sourceNodeId"],
        rows[0]["targetNodeId"],
    )
    assert first.timestamp == dt.datetime(2020, 1, 1, tzinfo=dt.UTC) + dt.timedelta(
        days=int(rows[0]["time"])
    )
