"""Bulk writes inside the caller's transaction, at the speed the database itself allows.

SQLAlchemy's executemany of a compiled insert spends most of its time per row in Python (binding
dicts, type processors looked up per statement); a customer import or a transfer load writes
hundreds of thousands of rows. Here the values are converted once per column with the same type
processors SQLAlchemy would use, then handed to the driver in one go: PostgreSQL's COPY (psycopg's
copy on the session's own connection, so the rows are part of the same transaction and the same
write lock), SQLite's executemany of one prepared statement. Either way the rows read back as the
ones a Core insert writes (tests/store/test_bulk.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import JSON, Column, Table, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from finmon.store.models import Base, UtcDateTime, core_table

COPY_ROWS = 50_000
"""Rows written by one COPY or one executemany: bounds the memory of the converted values."""

Convert = Callable[[Any], Any]


def bulk_insert(
    session: Session,
    model: type[Base],
    rows: Sequence[dict[str, Any]],
    serialised: Collection[str] = (),
) -> int:
    """Insert plain rows (each with the same keys, column names of the model's table) in the
    session's transaction: COPY on PostgreSQL, one prepared executemany on SQLite; returns how
    many were written. A JSON column named in serialised comes as its text (see insert_rows)."""
    if not rows:
        return 0
    keys = list(rows[0])
    columns = _Columns([[row[key] for row in rows] for key in keys])
    return _insert(session, model, keys, columns, None, serialised)


def insert_rows(
    session: Session,
    model: type[Base],
    names: Sequence[str],
    rows: Sequence[tuple[Any, ...]],
    constant: Mapping[str, Any] | None = None,
    serialised: Collection[str] = (),
    ready: Collection[str] = (),
) -> int:
    """bulk_insert of rows given as tuples of the named columns, plus the constant columns (one
    value for every row, converted once). A JSON column named in serialised comes as its text
    already (json.dumps of the value, as the JSON type binds it): a writer that has the text, or
    made it in another process, is spared serialising it again. A column named in ready comes
    as both drivers take it unconverted (a Boolean column's bool, a Float column's float): rows
    of no column to convert are passed on as they are, not turned into columns and back."""
    return _insert(session, model, names, _Rows(rows), constant, {*serialised, *ready})


def _insert(
    session: Session,
    model: type[Base],
    names: Sequence[str],
    given: _Rows | _Columns,
    constant: Mapping[str, Any] | None = None,
    serialised: Collection[str] = (),
) -> int:
    """Write the given values (rows or columns of the named columns) and the constant ones."""
    count = len(given)
    if not count:
        return 0
    constant = constant or {}
    table = core_table(model)
    connection = session.connection()
    dialect = connection.dialect
    postgres = dialect.name == "postgresql"
    every = [*names, *constant]
    columns = [table.columns[name] for name in every]
    converters = [
        None if name in serialised else _converter(column, dialect, postgres)
        for name, column in zip(every, columns, strict=True)
    ]
    extra = tuple(
        value if convert is None else convert(value)
        for value, convert in zip(constant.values(), converters[len(names) :], strict=True)
    )
    if not postgres:
        extra = tuple(_adapted(value, dialect.loaded_dbapi) for value in extra)
    listed = ", ".join(dialect.identifier_preparer.quote(c.name) for c in columns)
    raw: Any = connection.connection.dbapi_connection
    try:
        for start in range(0, count, COPY_ROWS):
            values = given.values(start, start + COPY_ROWS, converters[: len(names)], extra)
            if postgres:
                _copy(raw, _quoted(table, dialect), listed, values)
            else:
                marks = ", ".join("?" for _ in columns)
                raw.executemany(
                    f"INSERT INTO {_quoted(table, dialect)} ({listed}) VALUES ({marks})", values
                )
    except dialect.loaded_dbapi.Error as exc:
        # As SQLAlchemy would raise it, so the store maps it as any other database error.
        raise DBAPIError.instance(
            f"bulk insert into {table.name}", None, exc, dialect.loaded_dbapi.Error
        ) from exc
    return count


class _Columns:
    """Values given column by column (bulk_insert's, made from dict rows): each column is
    converted as a whole (map), then the rows zipped once."""

    def __init__(self, columns: list[list[Any]]) -> None:
        self.columns = columns

    def __len__(self) -> int:
        return len(self.columns[0]) if self.columns else 0

    def values(
        self, start: int, end: int, converters: list[Convert | None], extra: tuple[Any, ...]
    ) -> Sequence[tuple[Any, ...]]:
        """Rows start to end with their values converted, the constant values after them."""
        columns = [
            column[start:end] if convert is None else list(map(convert, column[start:end]))
            for column, convert in zip(self.columns, converters, strict=True)
        ]
        rows = list(zip(*columns, strict=True))
        return [row + extra for row in rows] if extra else rows


class _Rows:
    """Values given row by row, as tuples (insert_rows's): turned into columns only when a
    column needs converting (per value, a generator's step and a None check cost more than the
    conversion; measured: 17 s of a 100,000-customer import's 64 s of writing)."""

    def __init__(self, rows: Sequence[tuple[Any, ...]]) -> None:
        self.rows = rows

    def __len__(self) -> int:
        return len(self.rows)

    def values(
        self, start: int, end: int, converters: list[Convert | None], extra: tuple[Any, ...]
    ) -> Sequence[tuple[Any, ...]]:
        """Rows start to end with their values converted, the constant values after them."""
        rows = self.rows[start:end]
        if any(convert is not None for convert in converters):
            columns = [list(column) for column in zip(*rows, strict=True)]
            return _Columns(columns).values(0, len(rows), converters, extra)
        return [row + extra for row in rows] if extra else rows


LOOKUP = 5_000
"""Values looked up by one select_in query."""


def select_in(
    session: Session,
    model: type[Base],
    columns: Sequence[str],
    key: str,
    values: Sequence[Any],
) -> Iterator[Any]:
    """The rows (named columns, typed as the model's: JSON decoded) of the model whose key is
    one of the values, LOOKUP values a query, each query one bound parameter: a JSON array read
    by json_each on SQLite, an array (= ANY) on PostgreSQL. A Core IN (...) renders a parameter
    per value each time it runs (rendering them took some 4% of a 100,000-row customer import,
    under cProfile)."""
    table = core_table(model)
    sqlite = session.connection().dialect.name == "sqlite"
    wanted = "IN (SELECT value FROM json_each(:wanted))" if sqlite else "= ANY(:wanted)"
    query = text(f"SELECT {', '.join(columns)} FROM {table.name} WHERE {key} {wanted}").columns(
        *(table.columns[name] for name in columns)
    )
    for start in range(0, len(values), LOOKUP):
        chunk = list(values[start : start + LOOKUP])
        yield from session.execute(query, {"wanted": json.dumps(chunk) if sqlite else chunk})


def _copy(raw: Any, table: str, names: str, values: Sequence[tuple[Any, ...]]) -> None:
    with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for row in values:
            copy.write_row(row)


def _quoted(table: Table, dialect: Any) -> str:
    return str(dialect.identifier_preparer.format_table(table))


def _converter(column: Column[Any], dialect: Any, postgres: bool) -> Convert | None:
    """What turns a Python value into what the driver is given for this column."""
    kind = column.type
    if postgres:
        # COPY takes text: JSON as its serialised text, a timestamp as naive UTC (UtcDateTime);
        # psycopg writes the rest (str, int, float, bool, None) as PostgreSQL reads them.
        if isinstance(kind, JSON):
            return _json
        if isinstance(kind, UtcDateTime):
            return lambda value: kind.process_bind_param(value, dialect)
        return None
    processor: Convert | None = kind.bind_processor(dialect)
    return processor


def _adapted(value: Any, driver: Any) -> Any:
    """A constant value as the sqlite3 driver adapts it (a datetime to its text), adapted once
    where the driver would adapt it again for every row."""
    adapt = driver.adapters.get((type(value), driver.PrepareProtocol))
    return value if adapt is None else adapt(value)


def _json(value: Any) -> str:
    # As SQLAlchemy's JSON type binds it (none_as_null off: None is stored as JSON null).
    return json.dumps(value)
