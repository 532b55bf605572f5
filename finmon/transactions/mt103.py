"""SWIFT MT103 customer transfers and MT202 COV cover payments (REFERENCE.md section 6) as
canonical transactions.

A file holds one or more messages: full ones (`{1:...}{2:...}{3:...}{4:` ... `-}`, perhaps with
`{5:` and `{S:` trailers) or bare block-4 text, separated by `$` (RJE), framed by SOH/ETX with
space padding (DOS-PCC), or following one another (the next `{1:` or the next `:20:`). An
acknowledgement in front of a message (`{1:F21...}{4:{177:...}{451:0}}`) is read with it. Blocks
1 to 3 give the sender, receiver, output time and MUR/UETR, kept with the payment. A message that
cannot be read is skipped, named by its number and line, and the rest of the file is read. A field
starts with `:NN[A-Z]:` at the start of a line and runs until the next tag. Read: 20 (reference,
also the id), 32A (value date, currency, amount with a decimal comma), 50A/50F/50K (ordering
customer), 52A (ordering institution), 57A (account-with institution), 59/59A/59F (beneficiary),
70 (remittance information, else 72), 33B (instructed amount) and 71A (charges), kept with the
message; others (23B, 13C, 53A, ...) are not needed and not read.
A message says nothing of the time of day: the timestamp is the value date at 00:00 UTC.

Option F (50F, 59F) is what FATF R.16 asks for: an account or party identifier line, then
numbered lines 1/ name, 2/ address, 3/ country and town, 4/ birth date, 5/ place of birth, 6/
customer ID, 7/ national ID, 8/ continuation of the line before.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from finmon.countries import to_iso2
from finmon.errors import InputError
from finmon.screening.filelimits import check_size
from finmon.transactions.model import MessageInfo, PartyInfo, Reading, Skip, Transaction
from finmon.transactions.tabular import read_text

_TAG = re.compile(r":(\d{2}[A-Z]?):(.*)")
_TYPE = re.compile(r"\{2:[IO](\d{3})")
_AMOUNT = re.compile(r"\d+(?:,\d*)?")
_NUMBERED = re.compile(r"([1-8])/(.*)")
_NATIONAL_ID = "NIDN"
"""The 50F party identifier code of a national identity number."""
ORDERING = ("50F", "50K", "50A")
BENEFICIARY = ("59F", "59", "59A")


@dataclass(slots=True)
class _Field:
    """One field: its tag, and its value lines with their line numbers (the tag's line first)."""

    tag: str
    lines: list[tuple[int, str]]

    @property
    def line(self) -> int:
        return self.lines[0][0]

    def values(self) -> list[tuple[int, str]]:
        """The value lines that say something, trimmed."""
        return [(number, text.strip()) for number, text in self.lines if text.strip()]

    def text(self, separator: str) -> str:
        return separator.join(text for _number, text in self.values())


@dataclass(slots=True)
class _Message:
    """One message as read: where it starts, its header blocks, its fields, and the first fault
    that keeps it from being read (the rest of the file is still read)."""

    start: int | None = None
    kind: str | None = None
    fields: list[_Field] = field(default_factory=list)
    blocks: dict[str, str] = field(default_factory=dict)
    """Header blocks 1, 2, 3 and 5 as given ({3:{108:...}} kept whole)."""
    acknowledged: str | None = None
    """451:0 (accepted) or 451:1 (rejected) of an acknowledgement in front of the message."""
    fault: str | None = None

    def get(self, *tags: str) -> _Field | None:
        """The first field with one of the tags, in the order the message has them."""
        return next((found for found in self.fields if found.tag in tags), None)


_SEPARATORS = re.compile(r"[$\x01\x03]")
"""RJE separates messages with `$`; the DOS-PCC format frames each with SOH (0x01) and ETX (0x03)
and pads between them with spaces."""
_ACK = re.compile(r"\{1:F21[^{}]*\}\{4:((?:\{\d{3}:[^{}]*\})*)\}")
"""An acknowledgement (block 1 of service id 21, block 4 of {177:}{451:}...) put in front of the
message it acknowledges."""
_BLOCK = re.compile(r"\{([1235S]):((?:[^{}]|\{[^{}]*\})*)\}")


def read_mt103(path: Path) -> list[Transaction]:
    """Every MT103 (and MT202 COV) message of a file as a transaction, in file order.

    InputError names the file, the message number and the line of what is wrong: a missing :20:
    or :32A:, a bad value date, currency or amount, a 50F line that is not `n/value`; the first
    such fault refuses the file (read_mt103_file reads the other messages and names the skips)."""
    reading = read_mt103_file(path)
    if reading.skipped:
        raise InputError(str(reading.skipped[0]))
    return reading.transactions


def read_mt103_file(path: Path) -> Reading:
    """Every MT103 and MT202 COV message of a file that can be read; each that cannot is skipped,
    named by message number and line, and the rest of the file is still read."""
    check_size(path, whole=True)
    messages, framing = _messages(path)
    if not messages:
        raise InputError(f"{path}: no MT103 message (no :20: field)")
    reading = Reading()
    for number, message in enumerate(messages, 1):
        try:
            reading.transactions.append(_transaction(path, number, message, framing))
        except InputError as exc:
            reading.skipped.append(Skip("", str(exc)))
    kinds = sorted({t.message.format for t in reading.transactions if t.message})
    acks = sum(1 for m in messages if m.acknowledged)
    reading.notes.append(f"{', '.join(kinds) or 'no payment'} in {framing} framing")
    if acks:
        reading.notes.append(f"{acks} acknowledgements read with their messages")
    return reading


def _messages(path: Path) -> tuple[list[_Message], str]:
    """The messages of a file (those with fields), and the framing it used (FIN, RJE, DOS-PCC);
    a `{5:` trailer and other text outside block 4 that is not a field is skipped."""
    messages: list[_Message] = []
    current = _Message()
    inside = True
    text = read_text(path)
    framing = "DOS-PCC" if "\x01" in text else "RJE" if _SEPARATORS.search(text) else "FIN"
    ack: str | None = None
    for number, raw in enumerate(text.split("\n"), 1):
        pieces = _SEPARATORS.split(raw.rstrip("\r"))
        for position, piece in enumerate(pieces):
            if position:  # a separator between two pieces of the line
                current, inside = _Message(), True
            pending = [piece]
            while pending:
                line = pending.pop()
                acked = _ACK.search(line)
                if acked:
                    ack = "451:1" if "{451:1}" in acked.group(1) else "451:0"
                    line = line[: acked.start()] + line[acked.end() :]
                stripped = line.strip()
                if not stripped:
                    continue
                if stripped.startswith("{"):
                    current, inside, line = _blocks(current, number, stripped)
                    if ack:
                        current.acknowledged, ack = ack, None
                elif not inside and _TAG.fullmatch(line):  # bare text after a closed block 4
                    current, inside = _Message(), True
                ends = inside and "-}" in line
                if ends:
                    rest = line[line.index("-}") + 2 :]
                    line = line[: line.index("-}")]
                    current.blocks.update(dict(_BLOCK.findall(rest)))
                    if "{1:" in rest:  # the next message on the same line
                        pending.append(rest[rest.index("{1:") :])
                if inside and line.strip():
                    current = _add_line(messages, current, number, line)
                inside = inside and not ends
    return messages, framing


def _blocks(current: _Message, number: int, line: str) -> tuple[_Message, bool, str]:
    """A line of header blocks (`{1:...}{2:...}{3:...}{4:`): the message it belongs to (a new one
    at `{1:`, or after a message with fields), whether block 4 opens, and the text after `{4:`."""
    new = line.startswith("{1:") or (bool(current.fields) and ("{2:" in line or "{4:" in line))
    message = _Message(number) if new else current
    if message.start is None:
        message.start = number
    kind = _TYPE.search(line)
    if kind:
        message.kind = kind.group(1)
    head, opens, body = line.partition("{4:")
    message.blocks.update(dict(_BLOCK.findall(head)))
    return message, bool(opens), body


def _add_line(messages: list[_Message], current: _Message, number: int, line: str) -> _Message:
    """Add one line of block 4 to the message being read (a new message at a second :20:)."""
    tagged = _TAG.fullmatch(line)
    if tagged and tagged.group(1) == "20" and current.get("20"):
        current = _Message(number)
    if tagged:
        if not current.fields and not any(m is current for m in messages):
            messages.append(current)
        if current.start is None:
            current.start = number
        current.fields.append(_Field(tagged.group(1), [(number, tagged.group(2))]))
    elif current.fields:
        current.fields[-1].lines.append((number, line))
    elif current.fault is None:
        # Text before any field: the message cannot be trusted, but the next ones can be read.
        current.start = current.start or number
        current.fault = f"(line {number}): text outside any :NN: field: {line.strip()[:40]!r}"
        messages.append(current)
    return current


def _info(message: _Message, kind: str, framing: str) -> MessageInfo:
    """What the header blocks say: sender and receiver BICs, the MUR or UETR, the output time."""
    basic, application = message.blocks.get("1", ""), message.blocks.get("2", "")
    # Block 1: F, the service id, the logical terminal (12), the session (4) and sequence (6).
    local = _bic(basic[3:-10]) if basic.startswith("F") and len(basic) > 13 else None
    info = MessageInfo(format=kind, wrapper=framing, checked="structural checks of the fields read")
    info.header = "blocks " + ",".join(sorted(message.blocks)) if message.blocks else None
    if application.startswith("O") and len(application) >= 27:
        # Output: the sender is in the message input reference, the receiver in block 1.
        info.sender, info.receiver = _bic(application[14:26]), local
        day, time = application[-11:-5], application[-5:-1]
        if day.isdigit() and time.isdigit():
            info.created = f"20{day[:2]}-{day[2:4]}-{day[4:6]}T{time[:2]}:{time[2:]}"
    elif application.startswith("I") and len(application) >= 16:
        info.sender, info.receiver = local, _bic(application[4:16])
    user = message.blocks.get("3", "")
    found = re.search(r"\{121:([^}]*)\}", user) or re.search(r"\{108:([^}]*)\}", user)
    info.message_id = found.group(1) if found else None
    if message.acknowledged:
        info.wrapper += f", acknowledged {message.acknowledged}"
    return info


def _bic(address: str) -> str | None:
    """The BIC of a logical terminal address (BIC8, terminal letter, branch); an 8 or 11
    character address as it is."""
    if len(address) == 12:
        return address[:8] + address[9:12]
    return address if len(address) in (8, 11) else None


def _transaction(path: Path, number: int, message: _Message, framing: str) -> Transaction:
    where = f"{path}, message {number}"
    if message.fault:
        raise InputError(f"{where} {message.fault}")
    cover = "{119:COV}" in message.blocks.get("3", "") or bool(message.get(*ORDERING))
    if message.kind == "202" and cover:
        kind = "MT202COV"
    elif message.kind in (None, "103"):
        kind = "MT103"
    else:
        raise InputError(
            f"{where} (line {message.start}): an MT{message.kind}, not an MT103 or MT202 COV"
        )
    reference = message.get("20")
    if reference is None or not reference.text(""):
        raise InputError(f"{where}: no :20: reference (the message starts at line {message.start})")
    value = message.get("32A")
    if value is None:
        raise InputError(
            f"{where}: no :32A: value date, currency and amount (the message starts at line "
            f"{message.start})"
        )
    when, currency, amount = _value(f"{where} (line {value.line})", value.text(""))
    ordering = message.get(*ORDERING)
    beneficiary = message.get(*BENEFICIARY)
    originator = _party(where, ordering) if ordering else PartyInfo()
    target = _party(where, beneficiary) if beneficiary else PartyInfo()
    originator.bank = _agent(message.get("52A"))
    target.bank = _agent(message.get("57A"))
    remittance = message.get("70") or message.get("72")
    transaction = Transaction(
        id=reference.text(""),
        timestamp=when,
        amount=amount,
        currency=currency,
        originator=originator,
        beneficiary=target,
        channel="wire",
        reference=reference.text(""),
        purpose=remittance.text(" ") if remittance else None,
        source=where,
        message=_info(message, kind, framing),
    )
    instructed, charges = message.get("33B"), message.get("71A")
    if instructed is not None and transaction.message is not None:
        text = instructed.text("")
        amount_text = text[3:].replace(",", ".")
        shown = f"{text[:3]} {amount_text}" if _AMOUNT.fullmatch(text[3:]) else text
        transaction.message.instructed_amount = shown
    if charges is not None and transaction.message is not None:
        transaction.message.charges = charges.text("") or None
    return transaction


def _value(where: str, text: str) -> tuple[dt.datetime, str, Decimal]:
    """32A: the value date (YYMMDD) at 00:00 UTC, the currency and the amount (1234,56)."""
    day, currency, amount = text[:6], text[6:9], text[9:]
    if len(text) < 10:
        raise InputError(f"{where}: :32A: {text!r} is not YYMMDD, a currency and an amount")
    try:
        date = dt.datetime.strptime(day, "%y%m%d").replace(tzinfo=dt.UTC)
    except ValueError:
        raise InputError(f"{where}: :32A: {day!r} is not a date (YYMMDD)") from None
    if not (currency.isascii() and currency.isalpha() and currency.isupper()):
        raise InputError(f"{where}: :32A: currency {currency!r} is not a 3-letter code (ISO 4217)")
    if not _AMOUNT.fullmatch(amount):
        raise InputError(
            f"{where}: :32A: amount {amount!r} is not digits with a decimal comma (1234,56)"
        )
    return date, currency, Decimal(amount.replace(",", "."))


def _party(where: str, found: _Field) -> PartyInfo:
    """An ordering customer or beneficiary: option A (account, BIC), F (numbered lines) or
    K / no letter (account, then name, then address lines)."""
    lines = found.values()
    party = PartyInfo()
    if lines and lines[0][1].startswith("/"):
        party.account = lines.pop(0)[1][1:].strip() or None
    if found.tag.endswith("A"):
        party.id = lines[0][1] if lines else None
    elif found.tag.endswith("F"):
        _option_f(where, found, lines, party)
    else:
        party.name = lines[0][1] if lines else None
        party.address = ", ".join(text for _number, text in lines[1:]) or None
    return party


def _option_f(where: str, found: _Field, lines: list[tuple[int, str]], party: PartyInfo) -> None:
    """50F/59F: a party identifier line unless an account came first, then `n/value` lines."""
    ids: list[tuple[int, str]] = []
    if party.account is None and lines and not _NUMBERED.fullmatch(lines[0][1]):
        code, _, rest = lines.pop(0)[1].partition("/")
        identifier = rest.partition("/")[2] or rest or code
        ids.append((0 if code == _NATIONAL_ID else 1, identifier))
    parts: dict[str, list[str]] = {}
    last = ""
    for number, text in lines:
        numbered = _NUMBERED.fullmatch(text)
        if numbered is None:
            raise InputError(
                f"{where} (line {found.line}): :{found.tag}: {text!r} (line {number}) is not "
                "n/value (1/ name, 2/ address, 3/ country and town, ...)"
            )
        code, value = numbered.group(1), numbered.group(2).strip()
        if code == "8" and last:
            parts[last][-1] += ("" if last in "67" else " ") + value
            continue
        last = code
        parts.setdefault(code, []).append(value)
    place = f"{where} (line {found.line}): :{found.tag}:"
    _fill(place, parts, party)
    for code, rank in (("7", 0), ("6", 1)):
        ids += [(rank, value.partition("/")[2] or value) for value in parts.get(code, [])]
    party.id = min(ids, key=lambda ranked: ranked[0])[1] if ids else None


def _fill(place: str, parts: dict[str, list[str]], party: PartyInfo) -> None:
    """Name, address, country, birth date and place from 50F/59F lines 1/ to 5/."""
    address = parts.get("2", [])
    for value in parts.get("3", []):
        country, _, town = value.partition("/")
        party.country = party.country or _country(place, "3", value, country)
        address = [*address, town.strip()] if town.strip() else address
    party.name = " ".join(parts.get("1", [])) or None
    party.address = ", ".join(address) or None
    for value in parts.get("4", []):
        try:
            party.birth_date = dt.datetime.strptime(value, "%Y%m%d").date()
        except ValueError:
            raise InputError(f"{place} 4/{value!r} is not a date (YYYYMMDD)") from None
    for value in parts.get("5", []):
        country, _, town = value.partition("/")
        _country(place, "5", value, country)
        party.birth_place = ", ".join(p.strip() for p in (town, country) if p.strip()) or None


def _country(place: str, code: str, value: str, country: str) -> str:
    found = to_iso2(country.strip().upper())
    if found is None:
        raise InputError(f"{place} {code}/{value!r}: {country!r} is not a country code")
    return found


def _agent(found: _Field | None) -> str | None:
    """52A/57A: an optional `/party identifier` line, then the institution's BIC."""
    lines = [text for _number, text in found.values()] if found else []
    if lines and lines[0].startswith("/"):
        lines.pop(0)
    return lines[0] if lines else None
