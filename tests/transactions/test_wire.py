"""The FATF R.16 wire-transfer information check: what a transfer lacks, and on what basis."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from finmon.errors import InputError
from finmon.transactions import PartyInfo, Transaction
from finmon.transactions.model import channel_kind
from finmon.transactions.wire import Rates, check_wire, r16_applies

WHEN = dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.UTC)
FULL_ORIGINATOR = PartyInfo(
    name="Жақсылықов Ерлан Серікұлы",
    account="KZ86125KZT5004100100",
    id="871008300125",
    country="KZ",
)
BENEFICIARY = PartyInfo(name="Rustam Nazarov", account="TJ12345678901234567", country="TJ")


def transfer(
    amount: str = "1500",
    currency: str = "EUR",
    originator: PartyInfo = FULL_ORIGINATOR,
    beneficiary: PartyInfo = BENEFICIARY,
    reference: str | None = None,
) -> Transaction:
    return Transaction(
        id="T1",
        timestamp=WHEN,
        amount=Decimal(amount),
        currency=currency,
        originator=originator,
        beneficiary=beneficiary,
        reference=reference,
    )


def _missing(check: object) -> set[tuple[str, str]]:
    return {(m.side, m.what) for m in check.missing}  # type: ignore[attr-defined]


def test_a_complete_cross_border_transfer_above_the_threshold_passes() -> None:
    check = check_wire(transfer())
    assert check.complete
    assert (check.cross_border, check.above_threshold) == (True, True)
    assert "cross-border (KZ -> TJ)" in check.basis


def test_above_the_threshold_the_originator_must_be_identifiable() -> None:
    bare = PartyInfo(name="Erlan Zhaksylykov", account="KZ86125KZT5004100100", country="KZ")
    check = check_wire(transfer(originator=bare))
    assert _missing(check) == {("originator", "identification")}
    assert "no address, national ID, customer ID, or date and place of birth" in check.message()
    # Any one of them will do; a birth date alone will not.
    for enough in (
        PartyInfo(bare.name, bare.account, country="KZ", address="Abai 10, Almaty"),
        PartyInfo(bare.name, bare.account, id="C-000123", country="KZ"),
        PartyInfo(
            bare.name,
            bare.account,
            country="KZ",
            birth_date=dt.date(1987, 10, 8),
            birth_place="Shymkent",
        ),
    ):
        assert check_wire(transfer(originator=enough)).complete, enough
    half = PartyInfo(bare.name, bare.account, country="KZ", birth_date=dt.date(1987, 10, 8))
    assert _missing(check_wire(transfer(originator=half))) == {("originator", "identification")}


def test_below_the_threshold_names_and_accounts_are_enough() -> None:
    bare = PartyInfo(name="Erlan Zhaksylykov", account="KZ86125KZT5004100100", country="KZ")
    check = check_wire(transfer(amount="999.99", originator=bare))
    assert check.complete
    assert check.above_threshold is False
    assert "999.99 EUR < 1,000 EUR" in check.basis


def test_placeholders_are_missing_information_and_say_so() -> None:
    originator = PartyInfo(name="UNKNOWN", account="-", country="KZ", address="n/a")
    beneficiary = PartyInfo(name="12345", account="KZ1", country="TJ")
    check = check_wire(transfer(originator=originator, beneficiary=beneficiary))
    assert _missing(check) == {
        ("originator", "name"),
        ("originator", "account"),
        ("originator", "identification"),
        ("beneficiary", "name"),
        ("beneficiary", "account"),
    }
    assert "name 'UNKNOWN' says nothing" in check.message()
    # A unique transaction reference stands in for the accounts.
    check = check_wire(
        transfer(originator=originator, beneficiary=beneficiary, reference="e2e-2026-11-02-0001")
    )
    assert ("originator", "account") not in _missing(check)
    assert ("beneficiary", "account") not in _missing(check)


def test_other_currencies_convert_with_the_rates_table_or_count_as_above(tmp_path: Path) -> None:
    bare = PartyInfo(name="Erlan Zhaksylykov", account="KZ86125KZT5004100100", country="KZ")
    small = transfer(amount="400000", currency="KZT", originator=bare)
    unknown = check_wire(small)
    assert unknown.above_threshold and "no rate for KZT" in unknown.basis
    assert _missing(unknown) == {("originator", "identification")}
    table = tmp_path / "rates.csv"
    table.write_text("currency,USD,as_of\nKZT,0.0020,2026-11-01\nEUR,1.08\n", encoding="utf-8")
    rates = Rates.read(table)
    converted = check_wire(small, rates)
    assert converted.complete and not converted.above_threshold
    assert "= 800.00 USD < 1,000" in converted.basis and "2026-11-01" in converted.basis
    assert check_wire(transfer(amount="600000", currency="KZT", originator=bare), rates).missing


def test_unknown_countries_are_checked_as_cross_border_and_domestic_is_lighter() -> None:
    bare = PartyInfo(name="Erlan Zhaksylykov", account="KZ86125KZT5004100100")
    unknown = check_wire(transfer(originator=bare, beneficiary=PartyInfo("Aigerim", "KZ123456")))
    assert unknown.cross_border and _missing(unknown) == {("originator", "identification")}
    domestic = check_wire(
        transfer(
            originator=PartyInfo(bare.name, bare.account, country="KZ"),
            beneficiary=PartyInfo("Aigerim Seitkali", "KZ11125KZT0000000102", country="KZ"),
        )
    )
    assert domestic.complete and not domestic.cross_border


@pytest.mark.parametrize(
    ("content", "place"),
    [
        ("currency\nKZT\n", ":1:"),
        ("currency,usd\nKZT,-1\n", ":2:"),
        ("currency,usd\nKZT,abc\n", ":2:"),
        ("currency,usd\nтенге,0.002\n", ":2:"),
        ("валюта,usd\n", ":1:"),
    ],
)
def test_a_bad_rates_table_is_refused_naming_the_line(
    tmp_path: Path, content: str, place: str
) -> None:
    table = tmp_path / "rates.csv"
    table.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as refused:
        Rates.read(table)
    assert f"rates.csv{place}" in str(refused.value)


@pytest.mark.parametrize(
    ("channel", "kind", "covered"),
    [
        ("cash", "cash", False),
        ("ATM", "cash", False),
        ("Cash Withdrawal", "cash", False),
        ("cash-out", "cash", False),
        ("POS", "card", False),
        ("E-Commerce", "card", False),
        ("own account", "internal", False),
        ("SWIFT", "swift", True),
        ("Wire Transfer", "wire_transfer", True),
        (None, "", True),
        # Channels as banks' exports describe them in full, in Russian, Kazakh and English.
        ("Снятие наличных в банкомате", "cash", False),
        ("Взнос наличных через терминал", "cash", False),
        ("Пополнение наличными", "cash", False),
        ("Қолма-қол ақша алу", "cash", False),
        ("Оплата картой", "card", False),
        ("Покупка", "card", False),
        ("POS-терминал", "card", False),
        ("Перевод между своими счетами", "internal", False),
        # A transfer stays one, by card or not; words that only hold the letters do not count.
        ("Перевод с карты на карту", "перевод_с_карты_на_карту", True),
        ("Card to card transfer", "card_to_card_transfer", True),
        ("position", "position", True),
        ("cashback", "cashback", True),
        ("deposit", "deposit", True),
    ],
)
def test_channels_as_other_files_name_them(channel: str | None, kind: str, covered: bool) -> None:
    assert channel_kind(channel) == kind
    transfer = Transaction("T", dt.datetime(2026, 3, 2, tzinfo=dt.UTC), Decimal(5), "USD")
    assert r16_applies(dataclasses.replace(transfer, channel=channel)) is covered
