"""The wire-transfer information check of FATF Recommendation 16 (REFERENCE.md section 6).

Per transfer, what the originator and beneficiary information must hold depends on whether it
crosses a border and on its amount against a threshold (USD/EUR 1,000 by default):

- cross-border, at or above the threshold: the originator's name, account number (or a unique
  transaction reference) and one of address, national ID, customer ID, or date and place of
  birth; the beneficiary's name and account number (or reference);
- cross-border below it, and domestic: both names and both account numbers (or a reference).

A field is missing when empty and unusable when it says nothing ("UNKNOWN", "N/A", "-", a name
without a letter, an account without enough letters or digits). A transfer whose countries are
not both known is checked as cross-border, and one whose amount cannot be converted (no rate for
its currency) as above the threshold: missing information is never excused by missing data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from finmon.errors import InputError
from finmon.screening.inputs import csv_records
from finmon.transactions.model import PartyInfo, Transaction, channel_kind

THRESHOLD = Decimal(1000)
THRESHOLD_CURRENCIES = ("USD", "EUR")
"""FATF's de minimis threshold: USD/EUR 1,000; an amount in either is compared as it is."""
PLACEHOLDERS = frozenset(
    {
        "",
        "-",
        "--",
        ".",
        "?",
        "n/a",
        "na",
        "none",
        "null",
        "nil",
        "unknown",
        "not provided",
        "notprovided",
        "not available",
        "xxx",
        "неизвестно",
        "нет",
        "белгісіз",
    }
)
"""Values that say nothing, compared case-insensitively with spaces collapsed."""
EXEMPT_CHANNELS = frozenset({"card", "cash", "internal", "amlsim"})
"""Channels R.16 does not cover (as channel_kind reads them: ATM is cash, POS a card payment):
card payments, cash, transfers within the institution; and AMLSim's simulated transfers, which
carry no party information at all by design."""
MIN_ACCOUNT = 5
"""Letters and digits in the shortest usable account number or reference."""
_LETTER = re.compile(r"[^\W\d_]")
_ALNUM = re.compile(r"[^\W_]")


@dataclass(frozen=True, slots=True)
class Rates:
    """What one unit of each currency is worth in the threshold currency (USD by default)."""

    to: str = "USD"
    per_unit: dict[str, Decimal] = field(default_factory=dict)
    as_of: str | None = None

    @classmethod
    def read(cls, path: Path) -> Rates:
        """A rates table: CSV `currency,rate[,as_of]` with rate = units of `--to` currency per
        one unit (the header row's second column names it, e.g. `currency,usd`)."""
        if not path.is_file():
            raise InputError(f"{path}: cannot read the rates table: no such file")
        records = list(csv_records(path))
        rows = [row for _line, row in records]
        if not rows or len(rows[0]) < 2 or rows[0][0].strip().lower() != "currency":
            raise InputError(f"{path}:1: a rates table starts with 'currency,<target currency>'")
        target = rows[0][1].strip().upper()
        if not re.fullmatch(r"[A-Z]{3}", target):
            raise InputError(f"{path}:1: {rows[0][1]!r} is not a currency code")
        rates: dict[str, Decimal] = {target: Decimal(1)}
        as_of = None
        for number, row in records[1:]:
            if not row or not "".join(row).strip():
                continue
            code = row[0].strip().upper()
            if not re.fullmatch(r"[A-Z]{3}", code):
                raise InputError(f"{path}:{number}: {row[0]!r} is not a currency code")
            try:
                rate = Decimal(row[1].strip().replace(",", ".")) if len(row) > 1 else Decimal(0)
            except InvalidOperation:
                rate = Decimal(0)
            if not rate.is_finite() or rate <= 0:
                raise InputError(f"{path}:{number}: the rate of {code} must be a positive number")
            rates[code] = rate
            if len(row) > 2 and row[2].strip():
                as_of = row[2].strip()
        return cls(target, rates, as_of)

    def convert(self, amount: Decimal, currency: str) -> Decimal | None:
        """The amount in the target currency; None when there is no rate for the currency."""
        if currency == self.to:
            return amount
        rate = self.per_unit.get(currency)
        return amount * rate if rate is not None else None


@dataclass(frozen=True, slots=True)
class Missing:
    """One thing R.16 asks for that a transfer lacks."""

    side: str
    """originator or beneficiary"""
    what: str
    """name, account or identification"""
    detail: str

    def __str__(self) -> str:
        return f"{self.side}: {self.detail}"


@dataclass(frozen=True, slots=True)
class WireCheck:
    """The outcome for one transfer: what it is taken to be, and what it lacks."""

    transaction_id: str
    cross_border: bool
    above_threshold: bool
    basis: str
    """Why it was checked as it was (countries, amount and conversion), for the reviewer."""
    missing: tuple[Missing, ...]

    @property
    def complete(self) -> bool:
        return not self.missing

    def message(self) -> str:
        """One line a reviewer reads: the basis, then every missing item."""
        if not self.missing:
            return f"{self.basis}: complete"
        return f"{self.basis}: " + "; ".join(str(m) for m in self.missing)


def r16_applies(transaction: Transaction) -> bool:
    """Whether R.16 covers a transfer: every channel but EXEMPT_CHANNELS (an unknown one too)."""
    return channel_kind(transaction.channel) not in EXEMPT_CHANNELS


def check_wire(transaction: Transaction, rates: Rates | None = None) -> WireCheck:
    """What R.16 information a transfer lacks, and on what basis it was judged."""
    rates = rates or Rates()
    cross_border, border_basis = _cross_border(transaction)
    above, amount_basis = _above_threshold(transaction, rates)
    missing: list[Missing] = []
    origin, beneficiary = transaction.originator, transaction.beneficiary
    if not _usable_name(origin.name):
        missing.append(Missing("originator", "name", _absent("name", origin.name)))
    if not (_usable_account(origin.account) or _usable_account(transaction.reference)):
        missing.append(
            Missing("originator", "account", "no account number or unique transaction reference")
        )
    if cross_border and above and not _identified(origin):
        missing.append(
            Missing(
                "originator",
                "identification",
                "no address, national ID, customer ID, or date and place of birth",
            )
        )
    if not _usable_name(beneficiary.name):
        missing.append(Missing("beneficiary", "name", _absent("name", beneficiary.name)))
    if not (_usable_account(beneficiary.account) or _usable_account(transaction.reference)):
        missing.append(
            Missing("beneficiary", "account", "no account number or unique transaction reference")
        )
    basis = f"{border_basis}, {amount_basis}"
    return WireCheck(transaction.id, cross_border, above, basis, tuple(missing))


def _cross_border(transaction: Transaction) -> tuple[bool, str]:
    ours, theirs = transaction.originator.country, transaction.beneficiary.country
    if ours and theirs:
        if ours.upper() == theirs.upper():
            return False, f"domestic ({ours.upper()})"
        return True, f"cross-border ({ours.upper()} -> {theirs.upper()})"
    return True, "checked as cross-border (the countries of both sides are not known)"


def _above_threshold(transaction: Transaction, rates: Rates) -> tuple[bool, str]:
    amount, currency = transaction.amount, transaction.currency.upper()
    shown = f"{amount:,.2f} {currency}"
    if currency in THRESHOLD_CURRENCIES:
        above = amount >= THRESHOLD
        sign = ">=" if above else "<"
        return above, f"{shown} {sign} {THRESHOLD:,.0f} {currency}"
    converted = rates.convert(amount, currency)
    if converted is None:
        return True, f"{shown}, checked as above the threshold (no rate for {currency})"
    above = converted >= THRESHOLD
    sign = ">=" if above else "<"
    when = f", rates of {rates.as_of}" if rates.as_of else ""
    return above, f"{shown} = {converted:,.2f} {rates.to} {sign} {THRESHOLD:,.0f}{when}"


def _identified(party: PartyInfo) -> bool:
    """Address, national or customer ID, or both date and place of birth."""
    if _usable_text(party.address) or _usable_account(party.id):
        return True
    return party.birth_date is not None and _usable_text(party.birth_place)


def _plain(value: str | None) -> str:
    return " ".join((value or "").split()).casefold()


def _usable_text(value: str | None) -> bool:
    return _plain(value) not in PLACEHOLDERS


def _usable_name(value: str | None) -> bool:
    return _usable_text(value) and bool(_LETTER.search(value or ""))


def _usable_account(value: str | None) -> bool:
    return _usable_text(value) and len(_ALNUM.findall(value or "")) >= MIN_ACCOUNT


def _absent(what: str, value: str | None) -> str:
    if not (value or "").strip():
        return f"no {what}"
    return f"{what} {value!r} says nothing"
