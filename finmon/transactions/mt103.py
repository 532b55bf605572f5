"""SWIFT MT103 customer transfers (REFERENCE.md section 6) as canonical transactions.

A file holds one or more messages: full ones (`{1:...}{2:...}{4:` ... `-}`) or bare text blocks,
separated by `$` or by the next `{1:`. Fields start with `:NN[A-Z]:` at the start of a line and
run until the next tag. Read: 20 (reference), 32A (value date, currency, amount with a decimal
comma), 50A/50F/50K (ordering customer; 50F's numbered lines 1/ name, 2/ address, 3/ country and
town, 4/ birth date, 5/ place of birth, 6/ customer ID, 7/ national ID, 8/ continuation), 52A
(ordering institution), 57A (account-with institution), 59/59A/59F (beneficiary), 70 (remittance
information).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from finmon.countries import to_iso2
from finmon.errors import InputError
from finmon.screening.inputs import decoded_lines
from finmon.transactions.model import PartyInfo, Transaction

_TAG = re.compile(r"^:(\d{2}[A-Z]?):(.*)$")
_32A = re.compile(r"^(\d{6})([A-Z]{3})(\d+(?:,\d*)?)$")
_NUMBERED = re.compile(r"^([1-8])/(.*)$")


@dataclass(slots=True)
class _Field:
    tag: str
    line: int
    lines: list[str]


def read_mt103(path: Path) -> list[Transaction]:
    """Every MT103 message of a file, in order; InputError naming the message and line."""
    return [_transaction(path, n, fields) for n, fields in enumerate(_messages(path), 1)]


def _messages(path: Path) -> list[list[_Field]]:
    """The fields of each message: (tag, line of the tag, value lines)."""
    messages: list[list[_Field]] = []
    current: list[_Field] = []
    for number, raw in enumerate(decoded_lines(path), 1):
        line = raw.rstrip("\r\n")
        starts_message = line.startswith("{1:") or line.strip() == "$"
        if starts_message and current:
            messages.append(current)
            current = []
        if line.strip() in ("$", "-}", "-") or line.startswith("{"):
            line = line.split("{4:", 1)[1] if "{4:" in line else ""
            if not line:
                continue
        tagged = _TAG.match(line)
        if tagged:
            current.append(_Field(tagged.group(1), number, [tagged.group(2)]))
        elif current and line.strip():
            current[-1].lines.append(line.rstrip("-}").rstrip())
        elif line.strip():
            raise InputError(f"{path}: line {number}: text outside any :NN: field: {line[:40]!r}")
    if current:
        messages.append(current)
    if not messages:
        raise InputError(f"{path}: no MT103 message (no :20: field)")
    return messages


def _transaction(path: Path, number: int, fields: list[_Field]) -> Transaction:
    where = f"{path}, message {number}"
    found = {f.tag: f for f in fields}
    reference = found.get("20")
    value = found.get("32A")
    if reference is None or not reference.lines[0].strip():
        raise InputError(f"{where}: no :20: reference")
    if value is None:
        raise InputError(f"{where} (line {reference.line}): no :32A: value date and amount")
    when, currency, amount = _value(where, value)
    originator = next((found[t] for t in ("50F", "50K", "50A") if t in found), None)
    beneficiary = next((found[t] for t in ("59F", "59A", "59") if t in found), None)
    origin = _party(where, originator) if originator else PartyInfo()
    target = _party(where, beneficiary) if beneficiary else PartyInfo()
    origin.bank = _first(found.get("52A"))
    target.bank = _first(found.get("57A"))
    remittance = found.get("70")
    return Transaction(
        id=reference.lines[0].strip(),
        timestamp=when,
        amount=amount,
        currency=currency,
        originator=origin,
        beneficiary=target,
        channel="wire",
        reference=reference.lines[0].strip(),
        purpose=" ".join(remittance.lines).strip() if remittance else None,
        source=where,
    )


def _value(where: str, field: _Field) -> tuple[dt.datetime, str, Decimal]:
    text = "".join(field.lines).strip()
    matched = _32A.match(text)
    place = f"{where} (line {field.line})"
    if matched is None:
        raise InputError(f"{place}: :32A: {text!r} is not YYMMDD, currency and amount")
    day, currency, amount = matched.groups()
    try:
        date = dt.datetime.strptime(day, "%y%m%d").replace(tzinfo=dt.UTC)
    except ValueError:
        raise InputError(f"{place}: :32A: {day!r} is not a date (YYMMDD)") from None
    try:
        value = Decimal(amount.replace(",", "."))
    except InvalidOperation:
        raise InputError(f"{place}: :32A: amount {amount!r} is not a number") from None
    return date, currency, value


def _party(where: str, field: _Field) -> PartyInfo:
    lines = [line.strip() for line in field.lines if line.strip()]
    party = PartyInfo()
    if field.tag.endswith("A"):
        if lines and lines[0].startswith("/"):
            party.account = lines.pop(0)[1:].strip() or None
        party.bank = lines[0] if lines else None
        return party
    if lines and lines[0].startswith("/"):
        party.account = lines.pop(0)[1:].strip() or None
    elif field.tag.endswith("F") and lines and not _NUMBERED.match(lines[0]):
        party.id = lines.pop(0)
    if field.tag.endswith("F"):
        _numbered(where, field, lines, party)
    else:
        party.name = lines[0] if lines else None
        party.address = ", ".join(lines[1:]) or None
    return party


def _numbered(where: str, field: _Field, lines: list[str], party: PartyInfo) -> None:
    """50F/59F lines `n/value`: 1 name, 2 address, 3 country/town, 4 birth date, 5 birth
    place, 6 customer ID, 7 national ID, 8 continuation of the line before."""
    names: list[str] = []
    address: list[str] = []
    last = ""
    for line in lines:
        matched = _NUMBERED.match(line)
        if matched is None:
            raise InputError(f"{where} (line {field.line}): :{field.tag}: {line!r} is not n/value")
        code, value = matched.group(1), matched.group(2).strip()
        if code == "8":
            code = last
        last = code
        if code == "1":
            names.append(value)
        elif code == "2":
            address.append(value)
        elif code == "3":
            country, _, town = value.partition("/")
            party.country = to_iso2(country) or party.country
            if town:
                address.append(town)
        elif code == "4":
            try:
                party.birth_date = dt.datetime.strptime(value, "%Y%m%d").date()
            except ValueError:
                raise InputError(
                    f"{where} (line {field.line}): :{field.tag}: 4/{value!r} is not YYYYMMDD"
                ) from None
        elif code == "5":
            country, _, town = value.partition("/")
            party.birth_place = ", ".join(p for p in (town, country) if p) or None
        elif code in ("6", "7"):
            party.id = party.id or value.split("/", 1)[-1] or None
    party.name = " ".join(names) or None
    party.address = ", ".join(address) or None


def _first(field: _Field | None) -> str | None:
    if field is None:
        return None
    lines = [line.strip() for line in field.lines if line.strip()]
    if lines and lines[0].startswith("/"):
        lines.pop(0)
    return lines[0] if lines else None
