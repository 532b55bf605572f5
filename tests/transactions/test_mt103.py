"""SWIFT MT103: messages written for these tests, every field read, and broken ones refused naming
the file, the message and the line."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from finmon.errors import InputError
from finmon.transactions.model import PartyInfo
from finmon.transactions.mt103 import read_mt103

TWO = """{1:F01KCJBKZKXAXXX0000000000}{2:I103TJSBTJ22XXXXN}{3:{108:MT103 001}}{4:
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
-}{5:{CHK:0123456789AB}}
$
:20:REF2
:32A:261103USD200,
:50K:/KZ11125KZT0000000102
SEITKALI AIGERIM
KENESARY 4
ASTANA
:59:/UZ1234567890
KARIMOV BAHODIR
NAVOI 12, TASHKENT
:70:/INV/2026-17
:71A:OUR
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mt103.txt"
    path.write_text(text, encoding="utf-8")
    return path


def _line(text: str, needle: str) -> int:
    """The line number of the first line of text that starts with needle."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith(needle))


def test_two_messages_read_with_every_field(tmp_path: Path) -> None:
    path = _write(tmp_path, TWO)
    first, second = read_mt103(path)

    assert (first.id, first.reference) == ("KZ26110200001", "KZ26110200001")
    assert first.timestamp == dt.datetime(2026, 11, 2, tzinfo=dt.UTC)
    assert (first.amount, first.currency) == (Decimal("1500.50"), "EUR")
    assert (first.channel, first.source) == ("wire", f"{path}, message 1")
    assert first.purpose == "FAMILY SUPPORT NOVEMBER"
    assert first.originator == PartyInfo(
        name="ZHAKSYLYKOV ERLAN",
        account="KZ86125KZT5004100100",
        id="871008300125",
        country="KZ",
        address="ABAI AVENUE 10, ALMATY",
        birth_date=dt.date(1987, 10, 8),
        birth_place="SHYMKENT, KZ",
        bank="KCJBKZKX",
    )
    assert first.beneficiary == PartyInfo(
        name="RUSTAM NAZAROV",
        account="TJ12345678901234567",
        country="TJ",
        address="RUDAKI 5, DUSHANBE",
        bank="TJSBTJ22",
    )

    assert (second.id, second.reference) == ("REF2", "REF2")
    assert second.timestamp == dt.datetime(2026, 11, 3, tzinfo=dt.UTC)
    assert (second.amount, second.currency) == (Decimal(200), "USD")
    assert (second.channel, second.source) == ("wire", f"{path}, message 2")
    assert second.purpose == "/INV/2026-17"
    assert second.originator == PartyInfo(
        name="SEITKALI AIGERIM",
        account="KZ11125KZT0000000102",
        address="KENESARY 4, ASTANA",
    )
    assert second.beneficiary == PartyInfo(
        name="KARIMOV BAHODIR", account="UZ1234567890", address="NAVOI 12, TASHKENT"
    )


def test_messages_split_at_a_dollar_a_new_header_a_closed_block_or_a_second_20(
    tmp_path: Path,
) -> None:
    header = "{1:F01KCJBKZKXAXXX0000000000}{2:I103TJSBTJ22XXXXN}{4:\n"
    body = ":20:R{n}\n:32A:260101KZT{n}0,\n-}}\n"
    bare = ":20:R3\n:32A:260103KZT30,\n:20:R4\n:32A:260104KZT40,\n"
    text = header + body.format(n=1) + "$\n" + header + body.format(n=2) + bare
    path = _write(tmp_path, text)
    found = read_mt103(path)
    assert [(t.id, t.amount) for t in found] == [
        ("R1", Decimal(10)),
        ("R2", Decimal(20)),
        ("R3", Decimal(30)),
        ("R4", Decimal(40)),
    ]
    assert [t.source for t in found] == [f"{path}, message {n}" for n in (1, 2, 3, 4)]


def test_50f_with_a_party_identifier_and_continuations_and_option_a(tmp_path: Path) -> None:
    text = """:20:REF9
:32A:260105EUR1000,
:50F:NIDN/KZ/871008300125
1/ZHAKSYLYKOV
8/ERLAN SERIKULY
2/ABAI AVENUE 10
8/FLAT 5
3/KZ/ALMATY
6/KZ/KCJBKZKX/CUST77
:52A://KZ123
KCJBKZKX
:59A:/AE070331234567890123456
EBILAEAD
"""
    (transfer,) = read_mt103(_write(tmp_path, text))
    assert transfer.originator == PartyInfo(
        name="ZHAKSYLYKOV ERLAN SERIKULY",
        id="871008300125",
        country="KZ",
        address="ABAI AVENUE 10 FLAT 5, ALMATY",
        bank="KCJBKZKX",
    )
    assert transfer.beneficiary == PartyInfo(account="AE070331234567890123456", id="EBILAEAD")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (":20:REF2\n", "", "message 2: no :20: reference (the message starts at line 23)"),
        (":32A:261103USD200,\n", "", "message 2: no :32A: value date"),
        (":32A:261103", ":32A:261303", "message 2 (line 24): :32A: '261303' is not a date"),
        ("USD200,", "USD200.50", "message 2 (line 24): :32A: amount '200.50' is not digits"),
        ("USD200,", "USD2O0,", "message 2 (line 24): :32A: amount '2O0,' is not"),
        ("USD200,", "US1200,", "message 2 (line 24): :32A: currency 'US1' is not a 3-letter"),
        (":32A:261103USD200,", ":32A:2611USD", "message 2 (line 24): :32A: '2611USD' is not"),
        (
            "4/19871008",
            "4/1987-10-08",
            "message 1 (line 5): :50F: 4/'1987-10-08' is not a date (YYYYMMDD)",
        ),
        ("2/RUDAKI 5", "RUDAKI 5", "message 1 (line 14): :59F: 'RUDAKI 5' (line 16) is not n/v"),
        ("3/TJ/DUSHANBE", "3/XQ/DUSHANBE", "message 1 (line 14): :59F: 3/'XQ/DUSHANBE': 'XQ'"),
        ("{2:I103", "{2:I199", "message 1 (line 1): an MT199, not an MT103"),
        ("$\n", "$\nHELLO\n", "message 2 (line 23): text outside any :NN: field: 'HELLO'"),
    ],
)
def test_a_broken_message_is_refused_naming_the_message_and_line(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    assert old in TWO
    path = _write(tmp_path, TWO.replace(old, new, 1))
    with pytest.raises(InputError) as refused:
        read_mt103(path)
    assert str(refused.value).startswith(f"{path}, message ")
    assert expected in str(refused.value)


def test_line_numbers_in_the_expectations_are_those_of_the_text() -> None:
    assert _line(TWO, ":20:REF2") == 23
    assert _line(TWO, ":32A:261103") == 24
    assert _line(TWO, ":50F:") == 5
    assert _line(TWO, ":59F:") == 14
    assert _line(TWO, "2/RUDAKI") == 16


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "no MT103 message"),
        (b"{1:F01KCJBKZKXAXXX0000000000}{2:I103TJSBTJ22XXXXN}{4:\n-}\n", "no MT103 message"),
        (":20:R1\n:32A:260101KZT1,\n:70:ОПЛАТА\n".encode("cp1251"), "line 3 (byte offset 28)"),
    ],
)
def test_an_empty_or_undecodable_file_is_refused(
    tmp_path: Path, content: bytes, expected: str
) -> None:
    path = tmp_path / "mt103.txt"
    path.write_bytes(content)
    with pytest.raises(InputError) as refused:
        read_mt103(path)
    assert str(refused.value).startswith(str(path))
    assert expected in str(refused.value)
