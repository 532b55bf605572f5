"""Transactions from tables: the canonical CSV/Parquet layout, and the AMLSim transfers CSV.

The canonical layout is `model.COLUMNS`. Files of hundreds of thousands of rows are usual, so both
layouts are read column-wise with pyarrow (every CSV cell as text, so an account "007" keeps its
zeros), cleaned column-wise (trimmed; in names, runs of white space made one space), and the
transactions built in one pass over the columns. The checks are those of customer files
(screening/inputs.py): strict UTF-8 (a BOM allowed) with the line and byte of a bad one and the
cp1251 hint, any of , ; tab | as delimiter, column names matched case-insensitively; a bad value
is refused naming the file, the line (CSV) or row (Parquet) and the column. A file is read whole,
so it is held to max_document_bytes, and to the row, column, cell and record bounds of
screening/filelimits.py (a Parquet file by its metadata before any column is read).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from finmon.countries import given_country
from finmon.errors import InputError
from finmon.screening.filelimits import (
    TextBudget,
    check_columns,
    check_rows,
    check_size,
    file_limits,
    open_parquet,
    readable_parquet,
)
from finmon.screening.inputs import normalise_column
from finmon.screening.screener import collection_paused
from finmon.transactions.model import COLUMNS, PartyInfo, Skip, Transaction

REQUIRED = ("id", "timestamp", "amount", "currency")
AMLSIM_COLUMNS = ("sourcenodeid", "targetnodeid", "value", "time")
AMLSIM_START = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
"""AMLSim counts time in steps from its start; a step is taken as a day from this date."""
AMLSIM_CURRENCY = "USD"
"""AMLSim amounts carry no currency; USD is assumed."""
AMLSIM_CHANNEL = "amlsim"
"""Simulated transfers with no party information: outside the R.16 check (wire.py)."""

Columns = dict[str, list[Any]]
"""Normalised column name -> the column's cells, in file order."""
Places = Callable[[int], str]
"""The place of the nth record (from 0) for messages: "line 7" or "row 6"."""
_TEXT = (
    "id",
    "originator_account",
    "originator_name",
    "originator_id",
    "beneficiary_account",
    "beneficiary_name",
    "beneficiary_id",
    "channel",
    "reference",
)
"""Columns read as text whatever type a Parquet file gives them."""
_USED = frozenset((*COLUMNS, *AMLSIM_COLUMNS))
"""The columns read; others a file may have are left alone."""
_NAMES = ("originator_name", "beneficiary_name")
"""Columns whose runs of white space are made one space, as names are compared."""
_DELIMITERS = (",", ";", "\t", "|")
_UTF16 = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_GROUPING = (" ", "\u00a0", "\u202f")
"""Thousands separators a spreadsheet may leave in an amount ("1 500,50")."""
_SPACES = r"[\s\x{a0}\x{202f}]+"


def read_canonical(path: Path, skipped: list[Skip] | None = None) -> list[Transaction]:
    """Every transaction of a canonical CSV or Parquet file, in file order; rows with every cell
    empty are passed over. A row with a value that cannot be read (its message naming the file,
    the line or row and the column) is added to skipped, the rest read; without skipped it is an
    InputError. A file that cannot be read at all (columns, encoding, limits) is one always."""
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    check_size(path, whole=True)
    if path.suffix.lower() == ".parquet" or read_bytes(path, 4) == b"PAR1":
        columns, places = _parquet_columns(path)
    else:
        columns, places = _csv_columns(path)
    missing = [column for column in REQUIRED if column not in columns]
    if missing:
        raise InputError(
            f"{path}: missing column(s) {', '.join(missing)}; the layout is {', '.join(COLUMNS)}"
        )
    return _Builder(path, columns, places).build(skipped)


def read_amlsim(path: Path, skipped: list[Skip] | None = None) -> list[Transaction]:
    """Every transfer of an AMLSim transactions.csv (`sourceNodeId,targetNodeId,value,time`).

    The id is the row number (1 for the first transfer), the accounts are the node ids as text
    and the time is AMLSIM_START plus `time` days (AMLSim counts in steps; a step is a day).
    AMLSim amounts carry no currency: they are taken as USD (AMLSIM_CURRENCY)."""
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    check_size(path, whole=True)
    columns, places = _csv_columns(path)
    missing = [column for column in AMLSIM_COLUMNS if column not in columns]
    if missing:
        raise InputError(f"{path}: missing AMLSim column(s) {', '.join(missing)}")
    rows = zip(*(columns[column] for column in AMLSIM_COLUMNS), strict=True)
    stamps: dict[str, dt.datetime] = {}

    def transfer(index: int, row: tuple[str, str, str, str]) -> Transaction:
        return _amlsim(f"{path}: {places(index)}", index, row, stamps)

    return _each_row(transfer, enumerate(rows), skipped)


def _each_row(
    read: Callable[[int, Any], Transaction | None],
    rows: Iterable[tuple[int, Any]],
    skipped: list[Skip] | None,
) -> list[Transaction]:
    """Every row read, in order; a row that cannot be read added to skipped (raised without)."""
    found: list[Transaction] = []
    with collection_paused():
        for index, row in rows:
            try:
                transaction = read(index, row)
            except InputError as exc:
                if skipped is None:
                    raise
                skipped.append(Skip("", str(exc)))
                continue
            if transaction is not None:
                found.append(transaction)
    return found


def _amlsim(
    where: str, index: int, row: tuple[str, str, str, str], stamps: dict[str, dt.datetime]
) -> Transaction:
    source, target, value, step = row
    if not source or not target:
        raise InputError(f"{where}: a node id is empty")
    stamp = stamps.get(step)
    if stamp is None:
        stamp = stamps[step] = _step(where, step)
    return Transaction(
        id=str(index + 1),
        timestamp=stamp,
        amount=_amount(where, value),
        currency=AMLSIM_CURRENCY,
        originator=PartyInfo(account=source),
        beneficiary=PartyInfo(account=target),
        channel=AMLSIM_CHANNEL,
        source=where,
    )


def _step(where: str, step: str) -> dt.datetime:
    try:
        days = int(step)
    except ValueError:
        raise InputError(f"{where}: time {step!r} is not a whole number of steps") from None
    if not 0 <= days <= 100_000:
        raise InputError(f"{where}: time {step!r} is outside 0..100000 steps")
    return AMLSIM_START + dt.timedelta(days=days)


class _Builder:
    """Turns the columns of a canonical file into transactions, row by row in one pass.

    Text cells arrive cleaned (None or trimmed text); currencies and countries repeat across
    rows, so each distinct value is checked once."""

    def __init__(self, path: Path, columns: Columns, places: Places) -> None:
        self.prefix = f"{path}: "
        self.columns = columns
        self.places = places
        self.currencies: dict[Any, str] = {}
        self.countries: dict[Any, str] = {}

    def build(self, skipped: list[Skip] | None) -> list[Transaction]:
        empty = [None] * len(self.columns["id"])
        cells = zip(*(self.columns.get(name, empty) for name in COLUMNS), strict=True)
        return _each_row(self.transaction, enumerate(cells), skipped)

    def transaction(self, index: int, row: tuple[Any, ...]) -> Transaction | None:
        identifier, when = row[:2]
        amount, currency, channel, reference = row[10:]
        where = self.prefix + self.places(index)
        if not identifier:
            if all(cell is None or cell == "" for cell in row):
                return None
            raise InputError(f"{where}: id is empty")
        return Transaction(
            id=identifier,
            timestamp=_timestamp(where, when),
            amount=_amount(where, amount),
            currency=self.currencies.get(currency) or self.currency(where, currency),
            originator=self.party(where, "originator", row[2:6]),
            beneficiary=self.party(where, "beneficiary", row[6:10]),
            channel=channel or None,
            reference=reference or None,
            source=where,
        )

    def party(self, where: str, side: str, cells: tuple[Any, ...]) -> PartyInfo:
        """One side's account, name, id and country cells, in COLUMNS order, as a party."""
        account, name, identifier, country = cells
        return PartyInfo(
            name=name or None,
            account=account or None,
            id=identifier or None,
            country=self.countries.get(country) or self.country(where, f"{side}_country", country),
        )

    def currency(self, where: str, value: Any) -> str:
        """The currency code of a cell not seen before (then remembered): an ISO 4217 code, or a
        sign or word of the currencies a Kazakhstan bank's exports write (₸, тенге, ₽, руб., $)."""
        text = str(value or "").strip().upper()
        text = _CURRENCY_SIGNS.get(text.rstrip(".").lower(), text)
        if len(text) != 3 or not text.isascii() or not text.isalpha():
            raise InputError(f"{where}: currency {value!r} is not a 3-letter code (ISO 4217)")
        self.currencies[value] = text
        return text

    def country(self, where: str, column: str, value: Any) -> str | None:
        """The ISO code of a country cell not seen before (then remembered); None if empty."""
        if value is None or value == "":
            return None
        text = str(value)
        code = given_country(text)
        if code is None:
            raise InputError(f"{where}: {column} {value!r} is not a country finmon knows")
        self.countries[value] = code
        return code


_CURRENCY_SIGNS = {
    **dict.fromkeys(("₸", "тг", "тенге", "теңге"), "KZT"),
    **dict.fromkeys(("₽", "руб", "рубль", "рублей"), "RUB"),
    **dict.fromkeys(("$", "us$", "долл", "доллар"), "USD"),
    **dict.fromkeys(("€", "евро"), "EUR"),
    **dict.fromkeys(("сом",), "KGS"),
    **dict.fromkeys(("юань",), "CNY"),
}
"""Currency signs and words as exports write them (compared in lower case, a final dot left
out), and their ISO 4217 codes; сом is Kyrgyzstan's (Uzbekistan's so'm is written UZS)."""


def _amount(where: str, value: Any) -> Decimal:
    """A cell as an amount of 0 or more: text with a decimal point or comma (and perhaps spaces
    between thousands), or a number as Parquet stores it."""
    try:
        amount = Decimal(value) if isinstance(value, str | int | Decimal) else _loose(value)
    except (InvalidOperation, TypeError):
        amount = _loose(value)
    if amount is None:
        raise InputError(f"{where}: amount {value!r} is not a number")
    if not amount.is_finite() or amount < 0:
        raise InputError(f"{where}: amount {value!r} must be a number of 0 or more")
    return amount


def _loose(value: Any) -> Decimal | None:
    """An amount Decimal() does not read as it is: a float, a decimal comma, spaces in it."""
    if isinstance(value, float):
        return Decimal(repr(value))
    if not isinstance(value, str):
        return None
    text = value.replace(",", ".")
    for space in _GROUPING:
        text = text.replace(space, "")
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _timestamp(where: str, value: Any) -> dt.datetime:
    """An ISO 8601 time (or a Parquet timestamp or date); one with no zone is UTC."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time(), dt.UTC)
    try:
        when = dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        other = _other_time(value)
        if other is None:
            raise InputError(
                f"{where}: timestamp {value!r} is not an ISO 8601 time (2026-11-02T09:30:00), "
                "DD.MM.YYYY HH:MM[:SS], YYYY/MM/DD HH:MM[:SS] or Unix seconds"
            ) from None
        return other
    if when.tzinfo:
        return when
    # Parsing again with the zone is several times quicker than datetime.replace; a date with
    # no time takes no zone (Python 3.11 ignores it there), so it is replaced.
    try:
        stamped = dt.datetime.fromisoformat(value + "+00:00")
    except ValueError:
        return when.replace(tzinfo=dt.UTC)
    return stamped if stamped.tzinfo else when.replace(tzinfo=dt.UTC)


_DAY_FIRST = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?")
_SLASHED = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?")


def _other_time(value: Any) -> dt.datetime | None:
    """A time as spreadsheets and other systems write it, in UTC: DD.MM.YYYY (the day first, as
    in Kazakhstan), YYYY/MM/DD, with HH:MM[:SS] or not; or Unix seconds (9-10 digits, or an
    integer cell). None for anything else."""
    if isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
    elif isinstance(value, str):
        text = value.strip()
    else:
        return None
    if text.isascii() and text.isdigit() and 9 <= len(text) <= 10:
        return dt.datetime.fromtimestamp(int(text), dt.UTC)
    for pattern, order in ((_DAY_FIRST, (2, 1, 0)), (_SLASHED, (0, 1, 2))):
        found = pattern.fullmatch(text)
        if found is not None:
            parts = [int(part or 0) for part in found.groups()]
            year, month, day = (parts[i] for i in order)
            hour, minute, second = parts[3:]
            try:
                return dt.datetime(year, month, day, hour, minute, second, tzinfo=dt.UTC)
            except ValueError:
                return None
    return None


def _parquet_columns(path: Path) -> tuple[Columns, Places]:
    """The columns of a Parquet file: text cleaned, amounts and times as the file types them."""
    limits = file_limits()
    parquet = open_parquet(path, limits)
    with readable_parquet(path):
        table = parquet.read()
    TextBudget(path, _row, limits).check_table(table)
    return _columns(path, table), _row


def _row(index: int) -> str:
    return f"row {index + 1}"


def _csv_columns(path: Path) -> tuple[Columns, Places]:
    """The columns of a CSV file, every cell as text, and the line where each record starts."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    limits = file_limits()
    data = _utf8(path, read_bytes(path))
    header, delimiter = _header(path, data)
    check_columns(path, "line 1", len(header), limits)
    try:  # pyarrow checks the UTF-8 (check_utf8) of every cell
        table = pcsv.read_csv(
            pa.py_buffer(data),
            parse_options=pcsv.ParseOptions(delimiter=delimiter, newlines_in_values=True),
            convert_options=pcsv.ConvertOptions(
                column_types=dict.fromkeys(header, pa.string()), strings_can_be_null=False
            ),
        )
    except pa.ArrowInvalid as exc:
        read_text(path, data)  # a byte that is not UTF-8 is refused with its place
        raise _csv_error(path, data, delimiter, len(header), exc) from None
    check_rows(path, "", table.num_rows, limits)
    lines = _record_lines(data, delimiter, table.num_rows)

    def places(index: int) -> str:
        return f"line {lines[index]}" if lines else _row(index)

    TextBudget(path, places, limits).check_table(table)
    return _columns(path, table), places


def _columns(path: Path, table: Any) -> Columns:
    """A pyarrow table as Python lists by normalised name: text trimmed and names with runs of
    white space made one space (column-wise: per cell in Python it would be several times slower),
    the text columns of a Parquet file made text whatever their type."""
    import pyarrow as pa
    import pyarrow.compute as pc

    names = [normalise_column(name) for name in table.column_names]
    seen: set[str] = set()
    columns: Columns = {}
    for position, name in enumerate(names):
        if name not in _USED:
            continue
        if name in seen:
            raise InputError(f"{path}: column {name!r} appears twice")
        seen.add(name)
        column = table.column(position)
        if pa.types.is_dictionary(column.type):
            column = column.cast(column.type.value_type)
        if pa.types.is_nested(column.type) or pa.types.is_binary(column.type):
            raise InputError(f"{path}: column {name!r} holds {column.type}, not text")
        if name in _TEXT and not pa.types.is_string(column.type):
            column = column.cast(pa.string())
        if name in _NAMES:
            column = pc.replace_substring_regex(column, _SPACES, " ")
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            column = pc.utf8_trim_whitespace(column)
        columns[name] = column.to_pylist()
    return columns


def read_bytes(path: Path, size: int = -1) -> bytes:
    """A file's bytes (the first size of them), an unreadable file an InputError."""
    try:
        with path.open("rb") as handle:
            return handle.read(size)
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None


def read_text(path: Path, data: bytes | None = None) -> str:
    """A transaction file's text: UTF-8 (a BOM allowed) or UTF-16 with its BOM. A byte that does
    not decode is refused with its line and offset; the commands that read transaction files
    take no --encoding, so the message says to save the file as UTF-8."""
    data = read_bytes(path) if data is None else data
    codec = "utf-16" if data.startswith(_UTF16) else "utf-8-sig"
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise _undecodable(path, data, codec, exc) from None


def _undecodable(path: Path, data: bytes, codec: str, exc: UnicodeDecodeError) -> InputError:
    # utf-8-sig counts from after the BOM.
    start = exc.start + (3 if codec == "utf-8-sig" and data.startswith(codecs.BOM_UTF8) else 0)
    line = data[:start].decode(codec, "replace").count("\n") + 1
    problem = f"{path}: line {line} (byte offset {start}): byte 0x{data[start : start + 1].hex()}"
    if codec == "utf-16":
        return InputError(f"{problem} is not valid UTF-16; save the file as UTF-8")
    return InputError(
        f"{problem} is not valid UTF-8; save the file as UTF-8 (it may be cp1251, Windows "
        "Cyrillic, as Excel and 1C often save)"
    )


def _utf8(path: Path, data: bytes) -> bytes:
    """The file's bytes as UTF-8 for pyarrow, converted from UTF-16 if it starts with that BOM."""
    return read_text(path, data).encode("utf-8") if data.startswith(_UTF16) else data


def _header(path: Path, data: bytes) -> tuple[list[str], str]:
    """The header's column names as written and the delimiter: the one the header has most of."""
    first = data[: data.find(b"\n")] if b"\n" in data else data
    try:
        text = first.decode("utf-8-sig").rstrip("\r")
    except UnicodeDecodeError:
        read_text(path, first)
        raise
    if not text.strip():
        raise InputError(f"{path}: line 1: no header (the file is empty or starts with a blank)")
    delimiter = max(_DELIMITERS, key=text.count)
    return next(csv.reader([text], delimiter=delimiter)), delimiter


def _record_lines(data: bytes, delimiter: str, records: int) -> Sequence[int]:
    """The line each record starts on: line n + 2 for the nth, unless the file has blank lines
    or cells that span lines, when the csv module finds them (only then: it is slower)."""
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    if lines == records + 1:
        return range(2, records + 2)
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=delimiter)
    starts = []
    try:
        next(reader, None)
        start = reader.line_num + 1
        for cells in reader:
            if cells:
                starts.append(start)
            start = reader.line_num + 1
    except csv.Error:
        return ()
    return starts if len(starts) == records else ()


def _csv_error(path: Path, data: bytes, delimiter: str, width: int, exc: Exception) -> InputError:
    """Name the line pyarrow could not parse (it does not say), found with the csv module."""
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=delimiter)
    start = 1
    try:
        for cells in reader:
            if cells and len(cells) != width:
                return InputError(
                    f"{path}: line {start}: {len(cells)} cells where the header has {width}"
                )
            start = reader.line_num + 1
    except csv.Error as error:
        return InputError(f"{path}: line {start}: malformed CSV: {error}")
    return InputError(f"{path}: malformed CSV: {exc}")
