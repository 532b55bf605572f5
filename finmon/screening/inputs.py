"""Read the parties to screen (customers, counterparties) from CSV, XLSX, JSONL or Parquet files.

Columns are matched case-insensitively: id, name (or full_name, or first_name/middle_name/
last_name), and optionally birth_date (or date_of_birth), nationality, iin, schema and gender; a
customer registry adds accounts. Rows are streamed where the format allows, so a file of millions
of customers never sits in memory whole; every file is held to the bounds of filelimits (size,
unpacked size, rows, columns, cell and record length) before its data is materialised.

A file is refused whole (InputError) only when it cannot be read at all: its encoding, its CSV or
JSON syntax, no name column, or those bounds. A row's unreadable values are its own problems
(screening.rows): the row is screened on what can be read, or skipped when it has no name.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import itertools
import json
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from finmon.errors import InputError
from finmon.hygiene import loads
from finmon.model import Party
from finmon.names.limits import NameLimits
from finmon.screening.dates import parse_birth_date
from finmon.screening.filelimits import (
    TextBudget,
    check_cells,
    check_columns,
    check_rows,
    check_size,
    check_xlsx,
    file_limits,
    open_parquet,
    refused,
)
from finmon.screening.rows import ROW_SKIPPED, Problem, Report, Row, RowReader, cell_text, refuse
from finmon.settings import FileLimits

__all__ = ["CustomerRow", "Problem", "parse_birth_date", "read_customers", "read_parties"]

DEFAULT_ENCODING = "utf-8-sig"
SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xls", ".jsonl", ".ndjson", ".parquet")
"""The customer files finmon reads, by suffix."""

_ALIASES = {
    "name": (
        "name full_name fullname names customer_name client_name party_name person_name "
        "entity_name company_name organisation_name organization_name legal_name "
        "фио ф_и_о фамилия_имя_отчество фио_клиента полное_имя наименование полное_наименование "
        "наименование_клиента наименование_организации фио_наименование наименование_фио "
        "клиент контрагент наименование_контрагента "
        "аты_жөні толық_аты_жөні тегі_аты_әкесінің_аты атауы толық_атауы ұйымның_атауы"
    ),
    "first_name": "first_name given_name given_names firstname forename forenames имя аты",
    "middle_name": "middle_name patronymic middlename middle_names отчество әкесінің_аты",
    "last_name": "last_name surname family_name lastname фамилия тегі",
    "birth_date": (
        "birth_date date_of_birth dob birthdate birthday date_birth "
        "дата_рождения д_р др дата_рожд год_рождения "
        "туған_күні туылған_күні туған_жылы"
    ),
    "nationality": (
        "nationality citizenship country гражданство страна_гражданства страна азаматтығы азаматтық"
    ),
    "id": "id customer_id client_id customer_number client_number код_клиента номер_клиента",
    "iin": "iin bin iin_bin iinbin иин бин иин_бин жсн бсн жсн_бсн",
    "schema": (
        "schema type party_type customer_type client_type entity_type "
        "тип тип_клиента вид_лица тип_лица түрі тұлға_түрі"
    ),
    "gender": "gender sex пол жынысы",
    "accounts": (
        "accounts account account_number account_no iban "
        "счет номер_счета счета иик шот шот_нөмірі жск"
    ),
}
"""Each role's column headings as customer files write them, in English, Russian and Kazakh,
compared as `_heading` folds them (ИИН/БИН, Дата рождения, Ф.И.О., Аты-жөні); the first heading
of a role that the file has is the role's column."""
_DELIMITERS = (",", ";", "\t", "|")
_PIECE = 1 << 20
_SAVE_AS_UTF8 = "the file is not UTF-8 text: save it as UTF-8"
_PARQUET_BATCH = 10_000


@dataclass(slots=True)
class Table:
    """Rows of one input file, with the place of each row for error messages."""

    path: Path
    columns: list[str]
    rows: Iterator[tuple[str, Row]]
    """(place such as "line 7" or "row 7", row) pairs."""
    header: int = 1
    """The line or row the column headings were read from (a report's title may stand above)."""
    delimiter: str = ","
    """A CSV file's delimiter ("," for other files)."""
    headings: dict[str, str] = field(default_factory=dict)
    """Normalised column -> its heading as the file writes it, for problems to name."""


def read_parties(
    path: Path,
    encoding: str | None = None,
    problems: Report | None = None,
    *,
    strict: bool = False,
) -> Iterator[Party]:
    """Stream the parties of a customer file, chosen by its extension.

    A value that cannot be read is left out of its row and a row with no name is skipped, each
    reported to problems (rows.Problem); strict refuses the file (InputError) at its first."""
    for record in read_records(path, encoding, problems, strict=strict):
        yield record.party


@dataclass(slots=True)
class CustomerRow:
    """One row of a customer file that can be screened: its party and accounts."""

    place: str
    party: Party
    accounts: list[str]


def read_customers(
    path: Path,
    encoding: str | None = None,
    problems: Report | None = None,
    *,
    strict: bool = False,
) -> Iterator[CustomerRow]:
    """Stream a customer registry: the rows of read_records, each with an id.

    A row with no id is skipped and reported, as a row with no name is; a file without an id
    column cannot tell a new customer from a changed one and is an InputError."""
    return read_records(path, encoding, problems, strict=strict, registry=True)


def read_records(
    path: Path,
    encoding: str | None = None,
    problems: Report | None = None,
    *,
    strict: bool = False,
    registry: bool = False,
) -> Iterator[CustomerRow]:
    """The rows of a customer file that can be screened, read by one RowReader whatever the
    caller; a file that cannot be read at all (encoding, no name column, limits) is an
    InputError at once, before any row."""
    table = read_table(path, encoding)
    columns = _roles(table, registry)
    report = refuse if strict else (problems or _ignore)
    limits = NameLimits.from_settings()
    reader = RowReader(str(table.path), columns, report, limits, table.headings)
    return _records(table, reader, registry)


def _roles(table: Table, registry: bool) -> dict[str, str]:
    """Role -> the table's column for it; a registry without an id column is an InputError."""
    columns = _resolve_columns(table)
    if registry and "id" not in columns:
        raise InputError(
            f"{table.path}: no id column: a customer registry needs one (id, customer_id or "
            "client_id) to tell a new customer from a changed one"
        )
    return columns


BLOCK_LINES = 1000
"""Lines of a CSV file in a block another process reads (more where a record spans the cut)."""
Block = tuple[int, int, str, bool]
"""Whole records of a CSV file: the number of its first line, the records above it after the
headings, its lines, and whether the file could not be read past it (read_block then reads the
records it completes and stops where the error is, which the reader of blocks raises)."""
T = TypeVar("T")
BlockRow = tuple[str, str, list[Problem], T | None]
"""A record of a block as read_block reads it (blank ones left out): its place, its id, the
problems of its values and its customer, made by the caller's make (None: no customer)."""
Read = tuple[list[BlockRow[T]], InputError | None]
"""A block's records, and the error that stopped its reading, if any."""


@dataclass(slots=True)
class CsvBlocks:
    """A CSV customer registry cut at its records' ends into blocks for other processes to read
    (read_block); first_rows takes their rows back in order. The rows, their places and their
    problems are read_customers's; the file's errors come where read_customers raises them."""

    table: Table
    """The file's columns and headings (no rows)."""
    roles: dict[str, str]
    blocks: Iterator[Block]


def csv_blocks(
    path: Path, encoding: str | None = None, size: int = BLOCK_LINES
) -> CsvBlocks | None:
    """A CSV customer registry cut into blocks of some size lines; None for other files.
    What cannot be read at all is an InputError at once, as read_customers's."""
    if path.suffix.lower() not in (".csv", ".tsv", ".txt"):
        return None
    table, reader, _fed, given = _csv_opened(path, encoding)
    roles = _roles(table, registry=True)
    first = table.header + reader.line_num
    limit = file_limits().max_record_chars
    return CsvBlocks(table, roles, _blocks(given, first, table.delimiter, (size, limit)))


def _blocks(
    given: Iterator[str], first: int, delimiter: str, bounds: tuple[int, int]
) -> Iterator[Block]:
    """Blocks of about size lines (bounds: size, the longest record); a record that goes on past
    the longest allowed (an unclosed quote) ends the last block, whose reader refuses it there,
    so no more than that of it is held."""
    size, longest = bounds
    lines: list[str] = []
    inside, records, before, record = False, 0, 0, 0
    try:
        for line in given:
            lines.append(line)
            record += len(line)
            if '"' in line:
                inside = _quoted_after(line, delimiter, inside)
            if not inside:
                records, record = records + 1, 0
                if len(lines) >= size:
                    yield first, before, "".join(lines), False
                    first, before, lines = first + len(lines), records, []
            elif record > longest:
                yield first, before, "".join(lines), True
                return
    except InputError:
        yield first, before, "".join(lines), True
        raise
    if lines:
        yield first, before, "".join(lines), False


def _quoted_after(line: str, delimiter: str, inside: bool) -> bool:
    """Whether the csv reader is inside a quoted cell at the end of this line (a record goes
    on), given whether it was at its start: a quote opens a cell only at the cell's start, and
    two quotes in a quoted cell are one."""
    at, end, start = 0, len(line), not inside
    while at < end:
        if inside:
            quote = line.find('"', at)
            if quote < 0:
                return True
            if line.startswith('"', quote + 1):
                at = quote + 2
                continue
            inside, start, at = False, False, quote + 1
        elif start and line.startswith('"', at):
            inside, at = True, at + 1
        else:
            cut = line.find(delimiter, at)
            if cut < 0:
                return False
            start, at = True, cut + 1
    return inside


class _Cut(Exception):
    """The end of a block the file could not be read past."""


def _cut() -> Iterator[str]:
    raise _Cut
    yield ""


def read_block(blocks: CsvBlocks, block: Block, make: Callable[[CustomerRow], T]) -> Read[T]:
    """The records of a block, in order, each with its customer made by make, and the error
    the block stops at, if any."""
    first, before, text, cut = block
    path, limits, fed = blocks.table.path, file_limits(), [0]
    _field_limit(limits)
    lines: Iterator[str] = io.StringIO(text, newline="\n")
    if cut:
        lines = itertools.chain(lines, _cut())
    counted = _counted(path, lines, limits.max_record_chars, fed, first)
    reader = csv.reader(counted, delimiter=blocks.table.delimiter, strict=True)
    rows = _csv_rows(path, reader, blocks.table.columns, fed, first - 1, before)
    problems: list[Problem] = []
    given = RowReader(
        str(path), blocks.roles, problems.append, NameLimits.from_settings(), blocks.table.headings
    )
    done: list[BlockRow[T]] = []
    try:
        for index, (place, row) in enumerate(rows, start=before + 1):
            if any(cell_text(value) for value in row.values()):
                done.append(_block_row(given, problems, (place, index, row), make))
    except _Cut:
        pass
    except InputError as exc:
        return done, exc
    return done, None


def _block_row(
    reader: RowReader,
    met: list[Problem],
    at: tuple[str, int, Row],
    make: Callable[[CustomerRow], T],
) -> BlockRow[T]:
    """A record of a block (at: its place, index and cells), with the problems it met."""
    place, index, row = at
    given = cell_text(row.get(reader.columns["id"]))
    made = None
    if _new_id(reader, place, given, {}):
        party = reader.party(place, index, row)
        if party is not None:
            accounts = _accounts(row.get(reader.columns.get("accounts", "")))
            made = make(CustomerRow(place, party, accounts))
    problems = met[:]
    met.clear()
    return place, given, problems, made


def first_rows(
    blocks: CsvBlocks, start: Callable[[Block], Callable[[], Read[T]]], report: Report, ahead: int
) -> Iterator[T]:
    """The rows of the blocks as read_customers gives them, in order, with each id's first row
    kept (a later one reported and skipped) and the problems reported in the same order. start
    begins reading a block (read_block, in another process) and gives what takes its rows;
    up to ahead blocks are read ahead."""
    table = blocks.table
    limits = NameLimits.from_settings()
    reader = RowReader(str(table.path), blocks.roles, report, limits, table.headings)
    seen: dict[str, str] = {}
    for rows in _in_order(blocks.blocks, start, ahead):
        for place, given, problems, made in rows:
            if given and not _new_id(reader, place, given, seen):
                continue
            for problem in problems:
                report(problem)
            if made is not None:
                seen[given] = place
                yield made


def _in_order(
    blocks: Iterator[Block], start: Callable[[Block], Callable[[], Read[T]]], ahead: int
) -> Iterator[list[BlockRow[T]]]:
    """Each block's rows, in order; the file's errors where reading it in order meets them."""
    window: deque[Callable[[], Read[T]]] = deque()
    error: InputError | None = None
    more = True
    while True:
        while more and len(window) < ahead:
            try:
                block = next(blocks, None)
            except InputError as exc:
                block, error = None, exc
            more = block is not None
            if block is not None:
                window.append(start(block))
        if not window:
            break
        rows, failed = window.popleft()()
        yield rows
        if failed is not None:
            raise failed
    if error is not None:
        raise error


@dataclass(frozen=True, slots=True)
class Layout:
    """How a customer file is laid out, for an engine that reads its rows itself (Spark)."""

    columns: list[str]
    """Its columns, normalised, in file order."""
    roles: dict[str, str]
    """Role (name, birth_date, id ...) -> the column for it, as RowReader takes them."""
    delimiter: str
    """A CSV file's delimiter, as finmon reads it ("," for other files)."""


def layout(path: Path, encoding: str | None = None) -> Layout:
    """The columns, roles and delimiter finmon reads a customer file with; InputError when it
    cannot be read at all (as read_records), or when its headings are not on its first line,
    which an engine reading the file itself would take for them."""
    table = read_table(path, encoding)
    roles = _resolve_columns(table)
    if table.header != 1:
        raise InputError(
            f"{path}: the column headings are on line {table.header}: remove the lines above "
            "them for this engine"
        )
    return Layout(table.columns, roles, table.delimiter)


def _records(table: Table, reader: RowReader, registry: bool) -> Iterator[CustomerRow]:
    accounts = reader.columns.get("accounts", "")
    seen: dict[str, str] = {}
    for index, (place, row) in enumerate(table.rows, start=1):
        if not any(cell_text(value) for value in row.values()):
            continue
        if registry and not _first_id(reader, place, row, seen):
            continue
        party = reader.party(place, index, row)
        if party is not None:
            seen[party.id] = place
            yield CustomerRow(place, party, _accounts(row.get(accounts)))


def _first_id(reader: RowReader, place: str, row: Row, seen: dict[str, str]) -> bool:
    """A registry row needs an id not given before in the file; else it is skipped."""
    return _new_id(reader, place, cell_text(row.get(reader.columns["id"])), seen)


def _new_id(reader: RowReader, place: str, given: str, seen: dict[str, str]) -> bool:
    if not given:
        reader.problem(place, "id", "", "the id is empty", ROW_SKIPPED)
        return False
    if given in seen:
        what = f"is already given at {seen[given]} of this file"
        reader.problem(place, "id", given, what, ROW_SKIPPED)
        return False
    return True


def _ignore(_problem: Problem) -> None:
    """Drop a problem nobody asked for."""


def _accounts(value: Any) -> list[str]:
    parts = re.split(r"[;,\s]+", cell_text(value)) if not isinstance(value, list) else value
    return list(dict.fromkeys(str(part).strip() for part in parts if str(part).strip()))


def read_table(path: Path, encoding: str | None = None) -> Table:
    """Open a CSV/XLSX/JSONL/Parquet file as a stream of rows with normalised column names."""
    readers: dict[str, Callable[[Path, str | None], Table]] = {
        ".csv": _csv_table,
        ".tsv": _csv_table,
        ".txt": _csv_table,
        ".xlsx": _xlsx_table,
        ".xls": _xls_table,
        ".jsonl": _jsonl_table,
        ".ndjson": _jsonl_table,
        ".parquet": _parquet_table,
    }
    reader = readers.get(path.suffix.lower())
    if reader is None:
        raise InputError(f"{path}: unknown file type {path.suffix!r}; use one of {SUFFIXES}")
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    return reader(path, encoding)


def decoded_lines(
    path: Path, encoding: str | None = None, max_line: int | None = None, hint: str | None = None
) -> Iterator[str]:
    """The file's lines, decoded; a byte that is not valid in the encoding (its message ending
    with hint, if given), or a line longer than max_line characters, is an InputError."""
    codec = _codec(path, encoding)
    decoder = codecs.getincrementaldecoder(codec)()
    offset, line, pending = 0, 1, ""
    with path.open("rb") as handle:
        # Read in bounded pieces: a file with no line break must not be read as one line.
        for chunk in iter(functools.partial(handle.readline, _PIECE), b""):
            try:
                pending += decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                raise _decode_error(path, encoding, codec, exc, offset, line, hint) from None
            offset += len(chunk)
            # A piece ends at the first line break, so what is pending is the current line.
            if max_line is not None and len(pending) > max_line:
                _check_line(path, line, pending.rstrip("\r\n"), max_line)
            *complete, pending = pending.split("\n")
            for text in complete:
                line += 1
                yield text + "\n"
        try:
            pending += decoder.decode(b"", final=True)
        except UnicodeDecodeError as exc:  # the file ends inside a character
            raise _decode_error(path, encoding, codec, exc, offset, line, hint) from None
    if pending:
        yield pending


def _check_line(path: Path, line: int, text: str, limit: int | None) -> None:
    if limit is not None and len(text) > limit:
        what = f"a line of more than {limit:,} characters"
        raise refused(path, f"line {line}", what, "max_record_chars", limit)


def normalise_column(name: object) -> str:
    """Column names compare case-, space- and dash-insensitively: 'Full Name' -> 'full_name'."""
    return re.sub(r"[\s\-]+", "_", str(name if name is not None else "").strip().lower())


def headings_of(header: Sequence[object]) -> dict[str, str]:
    """Each normalised column's heading as written, where the two differ (the first of a name)."""
    written: dict[str, str] = {}
    for name in header:
        text = " ".join(str(name if name is not None else "").split())
        written.setdefault(normalise_column(name), text)
    return {column: text for column, text in written.items() if column != text}


def text_codec(path: Path, encoding: str | None) -> str:
    """The codec a text file is read in: the encoding given, else UTF-16 after its BOM, else
    UTF-8 (its BOM skipped)."""
    return _codec(path, encoding)


def _codec(path: Path, encoding: str | None) -> str:
    if encoding is None:
        with path.open("rb") as handle:
            head = handle.read(4)
        utf16 = head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
        return "utf-16" if utf16 else DEFAULT_ENCODING
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r} for {path}") from None


def _decode_error(
    path: Path,
    given: str | None,
    codec: str,
    exc: UnicodeDecodeError,
    offset: int,
    line: int,
    hint: str | None = None,
) -> InputError:
    bad = exc.object[exc.start : exc.start + 1].hex()
    label = "UTF-8" if codec.startswith("utf-8") or codec == "utf_8" else codec
    hint = hint or (
        "try --encoding cp1251 (Windows Cyrillic, as Excel and 1C often save)"
        if given is None or "utf" in codec.replace("-", "").replace("_", "")
        else "check the --encoding"
    )
    return InputError(
        f"{path}: line {line} (byte offset {offset + exc.start}): "
        f"byte 0x{bad} is not valid {label}; {hint}"
    )


def _csv_table(path: Path, encoding: str | None) -> Table:
    table, reader, fed, _given = _csv_opened(path, encoding)
    table.rows = _csv_rows(path, reader, table.columns, fed, table.header - 1)
    return table


def _csv_opened(path: Path, encoding: str | None) -> tuple[Table, Any, list[int], Iterator[str]]:
    """A CSV file read up to its headings: the table (no rows yet), the csv reader its rows come
    from, the characters fed to it and the decoded lines after the headings' record."""
    limits = file_limits()
    check_size(path)
    _field_limit(limits)
    fed = [0]
    decoded = decoded_lines(path, encoding, limits.max_record_chars)
    head = _head(decoded, limits.max_record_chars)
    skipped, delimiter = _heading_line(head)
    given = itertools.chain(head[skipped:], decoded)
    lines = _counted(path, given, limits.max_record_chars, fed, skipped + 1)
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    try:
        header = next(reader, [])
    except csv.Error as exc:
        raise _csv_error(path, skipped + 1, exc, limits) from None
    check_columns(path, f"line {skipped + 1}", len(header), limits)
    columns = [normalise_column(name) for name in header]
    table = Table(path, columns, iter(()), skipped + 1, delimiter, headings_of(header))
    return table, reader, fed, given


def _field_limit(limits: FileLimits) -> None:
    if csv.field_size_limit() < limits.max_cell_chars:
        # The csv module's own bound (process-wide) must not refuse what the settings allow.
        csv.field_size_limit(limits.max_cell_chars)


HEADER_SEARCH = 20
"""Lines or rows searched for the column headings when the first names no party: the title of a
report and blank rows that banking systems and spreadsheets put above the table."""


def _head(lines: Iterator[str], most: int) -> list[str]:
    """The first HEADER_SEARCH lines, fewer if they hold more than most characters."""
    head: list[str] = []
    held = 0
    for line in lines:
        head.append(line)
        held += len(line)
        if len(head) == HEADER_SEARCH or held > most:
            break
    return head


def _heading_line(lines: list[str]) -> tuple[int, str]:
    """The number of lines above the headings and the delimiter: the first line, split at its
    commonest delimiter, when it names a party's name; else the first line that does with some
    delimiter; else the first line as it is (the file is then refused for its columns)."""
    first = lines[0] if lines else ""
    commonest = max(_DELIMITERS, key=first.count)
    if _names_a_party(_split(first, commonest)):
        return 0, commonest
    for number, line in enumerate(lines):
        for delimiter in sorted(_DELIMITERS, key=line.count, reverse=True):
            if line.count(delimiter) and _names_a_party(_split(line, delimiter)):
                return number, delimiter
    return 0, commonest


def _split(line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return []


def _names_a_party(headings: Iterable[object]) -> bool:
    """Whether these headings give a party's name (in full or in parts)."""
    found = {_heading(normalise_column(heading)) for heading in headings}
    roles = ("name", "first_name", "last_name")
    return any(alias in found for role in roles for alias in _ALIASES[role].split())


def _counted(
    path: Path, lines: Iterator[str], limit: int, fed: list[int], first: int = 1
) -> Iterator[str]:
    """The lines given to the csv reader (the first of them line first of the file), adding to
    fed[0] the characters of the record being read (the reader of rows sets it back to 0): a
    quoted cell may span lines, so a bound on lines alone does not bound a record."""
    for number, text in enumerate(lines, start=first):
        fed[0] += len(text)
        if fed[0] > limit:
            what = f"a record of more than {limit:,} characters"
            raise refused(path, f"line {number}", what, "max_record_chars", limit)
        yield text


def csv_records(path: Path) -> Iterator[tuple[int, list[str]]]:
    """The records of a UTF-8 CSV table (accounts, exchange rates), header first, with the line
    each starts on, split at the header's commonest delimiter (, ; tab |), held to the bounds of
    a customer file; InputError for anything else."""
    limits = file_limits()
    check_size(path)
    fed = [0]
    decoded = decoded_lines(path, DEFAULT_ENCODING, limits.max_record_chars, _SAVE_AS_UTF8)
    head = list(itertools.islice(decoded, 1))
    first = head[0] if head else ""
    # The header's commonest delimiter: spreadsheets saved in Russian settings write ';'.
    delimiter = max(_DELIMITERS, key=first.count) if any(map(first.count, _DELIMITERS)) else ","
    lines = _counted(path, itertools.chain(head, decoded), limits.max_record_chars, fed)
    reader = csv.reader(lines, delimiter=delimiter)
    start = 1
    try:
        for count, cells in enumerate(reader, start=1):
            where = f"line {start}"
            check_rows(path, where, count - 1, limits)
            check_columns(path, where, len(cells), limits)
            if max(map(len, cells), default=0) > limits.max_cell_chars:
                check_cells(path, where, [], cells, limits)
            fed[0] = 0
            yield start, cells
            start = reader.line_num + 1
    except csv.Error as exc:
        raise _csv_error(path, start, exc, limits) from None


def csv_header(path: Path) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """A CSV table's column names (stripped, in lower case) and its records after the header;
    InputError naming the file when it has no header."""
    records = csv_records(path)
    first = next(records, None)
    if first is None:
        raise InputError(f"{path}:1: empty, no header row")
    return [name.strip().lower() for name in first[1]], records


def _csv_rows(
    path: Path, reader: Any, columns: list[str], fed: list[int], skipped: int = 0, count: int = 0
) -> Iterator[tuple[str, Row]]:
    """The records after the headings, each with its line (skipped: lines above those the csv
    reader was given; count: records after the headings above them)."""
    limits = file_limits()
    most_rows, most_columns, longest = limits.max_rows, limits.max_columns, limits.max_cell_chars
    start = reader.line_num + 1 + skipped
    fed[0] = 0
    try:
        for cells in reader:
            count += 1
            where = f"line {start}"
            # One comparison each in the common case; the checks then say what is wrong.
            if count > most_rows or len(cells) > most_columns:
                check_rows(path, where, count, limits)
                check_columns(path, where, len(cells), limits)
            if fed[0] > longest and cells and max(map(len, cells)) > longest:
                check_cells(path, where, columns, cells, limits)
            fed[0] = 0
            yield where, dict(zip(columns, cells, strict=False))
            start = reader.line_num + 1 + skipped
    except csv.Error as exc:
        raise _csv_error(path, start, exc, limits) from None


def _csv_error(path: Path, line: int, exc: csv.Error, limits: FileLimits) -> InputError:
    if "field larger than field limit" in str(exc):
        # The csv module stops reading a cell at its own bound, set no lower than the setting's.
        what = f"a cell of more than {csv.field_size_limit():,} characters"
        return refused(path, f"line {line}", what, "max_cell_chars", limits.max_cell_chars)
    header = " header" if line == 1 else ""
    return InputError(f"{path}: line {line}: malformed CSV{header}: {exc}")


def _xlsx_table(path: Path, _encoding: str | None) -> Table:
    from openpyxl import load_workbook

    check_xlsx(path)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zip, XML and key errors for a damaged workbook
        raise InputError(f"{path}: not a readable Excel workbook ({exc})") from None
    sheet = book.active
    rows = sheet.iter_rows(values_only=True) if sheet is not None else iter(())
    return _sheet_table(path, rows, book.close)


def _xls_table(path: Path, _encoding: str | None) -> Table:
    """An Excel 97-2003 workbook (.xls, as 1C and older banking systems save): its first sheet.
    xlrd reads the file whole, so it is held to the bound of a file read whole."""
    import xlrd

    check_size(path, whole=True)
    try:
        book = xlrd.open_workbook(str(path), on_demand=True)
        sheet = book.sheet_by_index(0)
    except Exception as exc:  # xlrd raises its own, struct and index errors for a damaged file
        with path.open("rb") as handle:
            markup = handle.read(512).lstrip().startswith(b"<")
        hint = "; it is a web page or XML saved as .xls: save it as .xlsx or CSV" if markup else ""
        raise InputError(f"{path}: not a readable Excel 97-2003 workbook ({exc}){hint}") from None
    mode = book.datemode
    rows = (tuple(_xls_value(cell, mode) for cell in sheet.row(n)) for n in range(sheet.nrows))
    return _sheet_table(path, rows, book.release_resources)


def _xls_value(cell: Any, datemode: int) -> Any:
    """A cell of an .xls sheet as openpyxl gives one: text, number, bool, datetime or None."""
    import xlrd

    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate_as_datetime(cell.value, datemode)
        except (xlrd.xldate.XLDateError, OverflowError, ValueError):
            return cell.value
    if cell.ctype in (xlrd.XL_CELL_TEXT, xlrd.XL_CELL_NUMBER):
        return cell.value
    return bool(cell.value) if cell.ctype == xlrd.XL_CELL_BOOLEAN else None


def _sheet_table(path: Path, rows: Iterable[tuple[Any, ...]], close: Callable[[], object]) -> Table:
    """A workbook sheet's rows as a Table, from its headings (a title above them read past)."""
    numbered = _xlsx_checked(path, enumerate(rows, start=1), file_limits())
    head = list(itertools.islice(numbered, HEADER_SEARCH))
    filled = [place for place, (_, values) in enumerate(head) if any(v is not None for v in values)]
    named = [place for place in filled if _names_a_party(head[place][1])]
    at = (named or filled or [len(head)])[0]
    number, header = head[at] if at < len(head) else (1, ())
    columns = [normalise_column(name) for name in header]
    rest = itertools.chain(head[at + 1 :], numbered)
    rows = _xlsx_rows(path, close, rest, columns)
    return Table(path, columns, rows, number, headings=headings_of(header))


def _xlsx_checked(
    path: Path, numbered: Iterable[tuple[int, tuple[Any, ...]]], limits: FileLimits
) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """The sheet's rows, each held to the limits (blank rows count: a sheet may skip to row
    ten million)."""
    for number, values in numbered:
        where = f"row {number}"
        check_rows(path, where, number, limits)
        check_columns(path, where, len(values), limits)
        yield number, values


def _xlsx_rows(
    path: Path,
    close: Callable[[], object],
    numbered: Iterable[tuple[int, tuple[Any, ...]]],
    columns: list[str],
) -> Iterator[tuple[str, Row]]:
    limits = file_limits()
    try:
        for number, values in numbered:
            check_cells(path, f"row {number}", columns, values, limits)
            yield f"row {number}", dict(zip(columns, values, strict=False))
    finally:
        close()


def _jsonl_table(path: Path, encoding: str | None) -> Table:
    rows = _jsonl_rows(path, encoding)
    first = next(rows, None)
    columns = list(first[1]) if first else []
    return Table(path, columns, _chain_rows(first, rows))


def _jsonl_rows(path: Path, encoding: str | None) -> Iterator[tuple[str, Row]]:
    limits = file_limits()
    check_size(path)
    lines = decoded_lines(path, encoding, limits.max_record_chars)
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        where = f"line {number}"
        if number > limits.max_rows:
            check_rows(path, where, number, limits)
        try:
            value = loads(text, f"{path}: line {number}")
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}: {where}: not valid JSON ({exc.msg})") from None
        if not isinstance(value, dict):
            raise InputError(f"{path}: {where}: expected a JSON object per line")
        if len(value) > limits.max_columns:
            check_columns(path, where, len(value), limits)
        row = {normalise_column(k): v for k, v in value.items()}
        if len(text) > limits.max_cell_chars:  # else no cell can be too long
            check_cells(path, where, list(row), list(row.values()), limits)
        yield where, row


def _chain_rows(
    first: tuple[str, Row] | None, rest: Iterator[tuple[str, Row]]
) -> Iterator[tuple[str, Row]]:
    if first is not None:
        yield first
    yield from rest


def _parquet_table(path: Path, _encoding: str | None) -> Table:
    limits = file_limits()
    check_size(path)
    parquet = open_parquet(path, limits)
    names = list(parquet.schema_arrow.names)
    columns = [normalise_column(name) for name in names]
    budget = TextBudget(path, _parquet_place, limits)
    rows = _parquet_rows(parquet, names, columns, budget)
    return Table(path, columns, rows, headings=headings_of(names))


def _parquet_place(index: int) -> str:
    return f"row {index + 1}"


def _parquet_rows(
    parquet: Any, names: list[str], columns: list[str], budget: TextBudget
) -> Iterator[tuple[str, Row]]:
    number = 0
    for batch in parquet.iter_batches(batch_size=_PARQUET_BATCH):
        for piece in budget.slices(batch, number):
            for record in piece.to_pylist():
                number += 1
                yield (
                    f"row {number}",
                    {col: record[name] for col, name in zip(columns, names, strict=True)},
                )


def _resolve_columns(table: Table) -> dict[str, str]:
    present: dict[str, str] = {}
    for column in table.columns:
        present.setdefault(_heading(column), column)
    roles = {
        role: next((present[alias] for alias in aliases.split() if alias in present), "")
        for role, aliases in _ALIASES.items()
    }
    if not roles["name"] and not (roles["first_name"] or roles["last_name"]):
        found = ", ".join(name for name in table.columns if name) or "none"
        raise InputError(
            f"{table.path}: no name column: expected name, full_name or first_name/last_name "
            f"(or ФИО, Наименование, Фамилия/Имя, Аты-жөні ...); found columns: {found}"
        )
    return {role: column for role, column in roles.items() if column}


def _heading(column: str) -> str:
    """A column's heading as the role aliases are written: what is in brackets left out (Date of
    birth (DD.MM.YYYY)), ё as е, runs of anything but letters and digits one underscore."""
    bare = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", column).replace("ё", "е")
    return "_".join(re.findall(r"[^\W_]+", bare))
