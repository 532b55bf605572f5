"""Bounds on the record files finmon reads, checked before their data is materialised.

The limits are settings.FileLimits (FINMON_MAX_* variables). A file that breaks one is refused
with an InputError naming the file, the place (row, column or member), the limit and its variable.
An XLSX is checked with zipfile before openpyxl opens it: what its members declare they unpack to,
their compression ratio, the size of the shared-strings table (which openpyxl holds whole), and,
streaming each XML member once, that none unpacks to more than it declares and that no text run
is longer than the longest cell allowed. A Parquet file is checked by its metadata before any
column is read, and the text its columns decode to is measured from lengths before it becomes
Python strings (a dictionary-encoded column can hold one long value repeated on every row).
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from finmon.errors import InputError
from finmon.settings import FileLimits, load_settings

RATIO_FLOOR = 1 << 20
"""Members and column chunks smaller than this are not held to the compression ratio: a small
part of a workbook may compress well, and unpacked it is harmless."""
SLICE_CHARS = 64 << 20
"""Characters of Parquet text turned into Python strings at a time."""
_CHUNK = 1 << 20
_XML_BYTES_PER_CHAR = 10
"""The most bytes one character of XML text can take (a reference such as &#x10FFFF;): a text
run longer than max_cell_chars times this surely holds a cell over the limit."""
_PROLOG = 4096

Place = Callable[[int], str]
"""The place of the nth row (from 0) for messages: "line 7" or "row 6"."""


def file_limits() -> FileLimits:
    """The limits as the environment sets them now."""
    return load_settings().files


def refused(path: Path, where: str, what: str, setting: str, limit: int | str) -> InputError:
    """The error for a file over a limit: the file, the place, what was found, the limit and the
    variable that sets it."""
    shown = f"{limit:,}" if isinstance(limit, int) else limit
    place = f"{path}: {where}: " if where else f"{path}: "
    return InputError(
        f"{place}{what}: over the limit of {shown} set by FINMON_{setting.upper()}; file refused"
    )


def check_size(path: Path, *, whole: bool = False) -> None:
    """Refuse a file larger than max_file_bytes, or max_document_bytes for one read whole."""
    setting = "max_document_bytes" if whole else "max_file_bytes"
    limit = getattr(file_limits(), setting)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if size > limit:
        raise refused(path, "", f"the file has {size:,} bytes", setting, limit)


def check_columns(path: Path, where: str, count: int, limits: FileLimits) -> None:
    """Refuse a header or record with more columns than max_columns."""
    if count > limits.max_columns:
        raise refused(path, where, f"{count:,} columns", "max_columns", limits.max_columns)


def check_rows(path: Path, where: str, count: int, limits: FileLimits) -> None:
    """Refuse a file once its rows pass max_rows."""
    if count > limits.max_rows:
        limit = limits.max_rows
        raise refused(path, where, f"more than {limit:,} rows", "max_rows", limit)


def check_cells(
    path: Path, where: str, columns: Sequence[str], cells: Sequence[Any], limits: FileLimits
) -> None:
    """Refuse a row with a text cell longer than max_cell_chars, naming its column."""
    limit = limits.max_cell_chars
    for position, value in enumerate(cells):
        if isinstance(value, str) and len(value) > limit:
            name = columns[position] if position < len(columns) and columns[position] else None
            column = name or f"#{position + 1}"
            raise refused(
                path,
                f"{where}, column {column}",
                f"a cell of {len(value):,} characters",
                "max_cell_chars",
                limit,
            )


def check_xlsx(path: Path) -> None:
    """Refuse a workbook that would unpack to more than the limits allow, before openpyxl opens
    it (a damaged one is left for openpyxl to report)."""
    limits = file_limits()
    check_size(path)
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            _check_declared(path, members, limits)
            for member in members:
                if not member.is_dir():
                    _scan_member(path, archive, member, limits)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as exc:
        raise InputError(f"{path}: not a readable Excel workbook ({exc})") from None


def _check_declared(path: Path, members: list[zipfile.ZipInfo], limits: FileLimits) -> None:
    total = sum(member.file_size for member in members)
    if total > limits.max_unpacked_bytes:
        what = f"its members unpack to {total:,} bytes"
        raise refused(path, "", what, "max_unpacked_bytes", limits.max_unpacked_bytes)
    for member in members:
        where = f"member {member.filename}"
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_FLOOR and ratio > limits.max_compression_ratio:
            raise refused(
                path,
                where,
                f"unpacks {member.compress_size:,} bytes to {member.file_size:,} ({ratio:,.0f}:1)",
                "max_compression_ratio",
                f"{limits.max_compression_ratio}:1",
            )
        strings = limits.max_xlsx_strings_bytes
        if member.filename.lower().endswith("sharedstrings.xml") and member.file_size > strings:
            what = f"a shared-strings table of {member.file_size:,} bytes"
            raise refused(path, where, what, "max_xlsx_strings_bytes", strings)


def _scan_member(
    path: Path, archive: zipfile.ZipFile, member: zipfile.ZipInfo, limits: FileLimits
) -> None:
    """Stream one member: it must not unpack to more than it declares, hold a DOCTYPE (no part
    of a workbook has one) or a text run longer than a cell may be."""
    where = f"member {member.filename}"
    longest = limits.max_cell_chars * _XML_BYTES_PER_CHAR
    seen, run = 0, 0
    with archive.open(member) as stream:
        while chunk := stream.read(_CHUNK):
            if seen == 0 and b"<!DOCTYPE" in chunk[:_PROLOG]:
                raise InputError(f"{path}: {where}: declares a DOCTYPE, which no workbook part has")
            seen += len(chunk)
            if seen > member.file_size:
                what = f"unpacks to more than the {member.file_size:,} bytes it declares"
                raise InputError(f"{path}: {where}: {what}; file refused")
            run = _longest_run(chunk, run, longest)
            if run > longest:
                break
    if run > longest:
        what = f"holds a text of more than {longest:,} bytes (a cell too long)"
        raise refused(path, where, what, "max_cell_chars", limits.max_cell_chars)


def _longest_run(chunk: bytes, run: int, longest: int) -> int:
    """The length of the run of bytes without a "<" at the chunk's end (the text between two
    "<" is at most one cell's text or one tag; a run carries over into the next chunk), or a
    longer run inside the chunk if it is over `longest`."""
    import numpy as np

    marks = np.flatnonzero(np.frombuffer(chunk, dtype=np.uint8) == ord("<"))
    if marks.size == 0:
        return run + len(chunk)
    inside = int(np.diff(marks).max()) - 1 if marks.size > 1 else 0
    first = run + int(marks[0])
    if max(first, inside) > longest:
        return max(first, inside)
    return len(chunk) - int(marks[-1]) - 1


def check_parquet(path: Path, metadata: Any, limits: FileLimits) -> None:
    """Refuse a Parquet file whose metadata declares too many rows or columns, too much data, or
    a column chunk compressed beyond the ratio, before any column is read."""
    check_rows(path, "", metadata.num_rows, limits)
    check_columns(path, "", metadata.num_columns, limits)
    total = 0
    for group in range(metadata.num_row_groups):
        row_group = metadata.row_group(group)
        total += row_group.total_byte_size
        for position in range(row_group.num_columns):
            chunk = row_group.column(position)
            unpacked, packed = chunk.total_uncompressed_size, max(chunk.total_compressed_size, 1)
            if unpacked > RATIO_FLOOR and unpacked / packed > limits.max_compression_ratio:
                raise refused(
                    path,
                    f"row group {group + 1}, column {chunk.path_in_schema}",
                    f"unpacks {packed:,} bytes to {unpacked:,} ({unpacked / packed:,.0f}:1)",
                    "max_compression_ratio",
                    f"{limits.max_compression_ratio}:1",
                )
    if total > limits.max_unpacked_bytes:
        what = f"its row groups unpack to {total:,} bytes"
        raise refused(path, "", what, "max_unpacked_bytes", limits.max_unpacked_bytes)


@contextmanager
def readable_parquet(path: Path) -> Iterator[None]:
    """Refuse, naming the file, what pyarrow cannot read."""
    try:
        yield
    except InputError:
        raise
    except Exception as exc:  # pyarrow raises ArrowInvalid and OSError for damaged files
        raise InputError(f"{path}: not a readable Parquet file ({exc})") from None


def open_parquet(path: Path, limits: FileLimits) -> Any:
    """A Parquet file checked by its metadata, its text columns to be read dictionary-encoded."""
    import pyarrow.parquet as pq

    with readable_parquet(path):
        parquet = pq.ParquetFile(path)
        check_parquet(path, parquet.metadata, limits)
        # Text columns stay dictionary-encoded until their decoded size has been measured.
        return pq.ParquetFile(path, read_dictionary=text_columns(parquet.schema_arrow))


def text_columns(schema: Any) -> list[str]:
    """The names of a Parquet schema's text columns, to be read dictionary-encoded so that their
    decoded size can be measured before it is materialised."""
    import pyarrow as pa

    return [
        field.name
        for field in schema
        if pa.types.is_string(field.type)
        or pa.types.is_large_string(field.type)
        or pa.types.is_binary(field.type)
        or pa.types.is_large_binary(field.type)
    ]


class TextBudget:
    """Measures the text of Arrow record batches from their lengths, before any becomes Python
    strings: each cell, each row and the whole file against the limits."""

    def __init__(self, path: Path, place: Place, limits: FileLimits) -> None:
        self.path = path
        self.place = place
        self.limits = limits
        self.decoded = 0

    def slices(self, batch: Any, first: int) -> Iterator[Any]:
        """The batch (whose first row is row `first` of the file, from 0) checked and decoded,
        in slices of at most about SLICE_CHARS characters of text."""
        import numpy as np

        total = self.check(batch, first)
        if total <= SLICE_CHARS:
            yield _decoded(batch)
            return
        ends = np.cumsum(_row_sizes(batch))
        cuts = np.searchsorted(ends, np.arange(SLICE_CHARS, total, SLICE_CHARS), side="right")
        start = 0
        for cut in [*map(int, cuts), batch.num_rows]:
            if cut > start:
                yield _decoded(batch.slice(start, cut - start))
                start = cut

    def check_table(self, table: Any) -> None:
        """Check every batch of an Arrow table."""
        first = 0
        for batch in table.to_batches():
            self.check(batch, first)
            first += batch.num_rows

    def check(self, batch: Any, first: int) -> int:
        """The characters of text in the batch, after checking each cell, each row and the
        file's text so far."""
        import pyarrow.compute as pc

        longest = total = 0
        for name, lengths in _text_lengths(batch):
            most = pc.max(lengths).as_py() or 0
            if most > self.limits.max_cell_chars:
                self._refuse_cell(name, first + pc.index(lengths, most).as_py(), most)
            longest += most
            total += pc.sum(lengths).as_py() or 0
        if longest > self.limits.max_record_chars:  # only then can a row be too long
            self._check_rows(batch, first)
        self.decoded += total
        limit = self.limits.max_unpacked_bytes
        if self.decoded > limit:
            what = f"its text columns decode to more than {limit:,} characters"
            where = self.place(first + batch.num_rows - 1)
            raise refused(self.path, where, what, "max_unpacked_bytes", limit)
        return total

    def _check_rows(self, batch: Any, first: int) -> None:
        sizes = _row_sizes(batch)
        index = int(sizes.argmax())
        limit = self.limits.max_record_chars
        if sizes[index] > limit:
            what = f"a record of {int(sizes[index]):,} characters"
            raise refused(self.path, self.place(first + index), what, "max_record_chars", limit)

    def _refuse_cell(self, name: str, index: int, length: int) -> None:
        raise refused(
            self.path,
            f"{self.place(index)}, column {name}",
            f"a cell of {length:,} characters",
            "max_cell_chars",
            self.limits.max_cell_chars,
        )


def _text_lengths(batch: Any) -> Iterator[tuple[str, Any]]:
    """Each text column's name and per-row lengths (0 for a null)."""
    import pyarrow.compute as pc

    for position, name in enumerate(batch.schema.names):
        lengths = _lengths(batch.column(position))
        if lengths is not None:
            yield name, pc.fill_null(lengths, 0)


def _row_sizes(batch: Any) -> Any:
    """The characters of text in each row of the batch, as a numpy array."""
    import numpy as np

    sizes = np.zeros(batch.num_rows, dtype=np.int64)
    for _name, lengths in _text_lengths(batch):
        sizes += lengths.to_numpy(zero_copy_only=False)
    return sizes


def _decoded(batch: Any) -> Any:
    """The batch with its dictionary columns decoded (in Arrow: far quicker than turning a
    dictionary column into Python values directly)."""
    import pyarrow as pa

    columns = [
        column.cast(column.type.value_type) if pa.types.is_dictionary(column.type) else column
        for column in batch.columns
    ]
    return pa.RecordBatch.from_arrays(columns, schema=None, names=batch.schema.names)


def _lengths(column: Any) -> Any:
    """Per-row lengths of a text column (characters; bytes for binary), None for another type;
    a dictionary column's from its dictionary, without decoding it."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_dictionary(column.type):
        inner = _lengths(column.dictionary)
        return None if inner is None else pc.take(inner, column.indices)
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        return pc.utf8_length(column)
    if pa.types.is_binary(column.type) or pa.types.is_large_binary(column.type):
        return pc.binary_length(column)
    return None
