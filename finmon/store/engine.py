"""Engine and session set-up: the one place that knows how finmon talks to its database.

SQLite (the embedded default) gets WAL journaling, so readers never wait for a writer, and write
transactions that start with BEGIN IMMEDIATE, so a second writer waits for the first (up to the busy
timeout) instead of failing half-way when it tries to upgrade a read lock.

Opening a Database brings its schema to the newest migration (finmon.store.migrations) under that
same write lock, so two processes starting at once do not both try to create the tables.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DataError, DBAPIError, OperationalError
from sqlalchemy.orm import Session

from finmon.errors import InputError, NotFound, StoreBusy, StoreError
from finmon.settings import load_settings
from finmon.store import migrations

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

_BEGIN_OPTION = "finmon_begin"
SQLITE_CACHE_KIB = 131_072
"""Page cache of each SQLite connection, in KiB (128 MiB, taken only as pages are read)."""

_Row = TypeVar("_Row")
_Record = TypeVar("_Record", bound="DataclassInstance")


class Database:
    """A database finmon stores into: an engine plus read and write sessions."""

    def __init__(self, url: str, busy_timeout: float = 30.0) -> None:
        self.url = url
        self.busy_timeout = busy_timeout
        self.engine = _create_engine(url, busy_timeout)
        try:
            self._upgrade_schema()
        except StoreError:
            self.engine.dispose()  # a database that cannot be opened keeps no connection open
            raise

    @property
    def is_sqlite(self) -> bool:
        """True for the embedded SQLite store."""
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; nothing it does is committed."""
        with _translate_errors(self), Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def read_rows(self) -> Iterator[Connection]:
        """A plain connection for small hot reads (Core statements, no ORM): an API request's
        key and list-version checks."""
        with _translate_errors(self), self.engine.connect() as conn:
            yield conn

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session holding the database's write lock; commits at the end, rolls back on error."""
        with (
            _translate_errors(self),
            self.engine.connect() as conn,
            Session(bind=conn.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"})) as session,
            session.begin(),
        ):
            _lock_for_write(session.connection(), self.busy_timeout)
            yield session

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()

    def _upgrade_schema(self) -> None:
        with _translate_errors(self):
            with self.engine.connect() as conn:
                if migrations.current_revision(conn) == migrations.head_revision():
                    return
            with self.engine.connect() as conn, _sqlite_foreign_keys_off(conn):
                conn.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"})
                with conn.begin():
                    _lock_for_write(conn, self.busy_timeout)
                    migrations.upgrade(conn)
                    _check_foreign_keys(conn)


_databases: dict[str, Database] = {}


def default_database() -> Database:
    """The database named by the settings (FINMON_DATABASE_URL, else $FINMON_HOME/finmon.db)."""
    settings = load_settings()
    key = f"{settings.database_url}|{settings.db_busy_timeout}"
    if key not in _databases:
        _databases[key] = Database(settings.database_url, settings.db_busy_timeout)
    return _databases[key]


def close_databases() -> None:
    """Close every pooled connection of the databases `default_database` opened."""
    for database in _databases.values():
        database.dispose()


def get_row(session: Session, model: type[_Row], row_id: int, what: str) -> _Row:
    """The row of `model` with this primary key; NotFound naming `what` and the id if none."""
    row = session.get(model, row_id)
    if row is None:
        raise NotFound(f"no {what} {row_id}")
    return row


def record_of(cls: type[_Record], row: object, **given: Any) -> _Record:
    """The record `cls` holding the row's attributes of its fields' names, but for those given."""
    values = {
        field.name: getattr(row, field.name) for field in fields(cls) if field.name not in given
    }
    return cls(**values, **given)


def _create_engine(url: str, busy_timeout: float) -> Engine:
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": busy_timeout})
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    # pysqlite's own implicit BEGIN is switched off so that _sqlite_begin decides the lock mode.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    _set_wal(cursor)
    cursor.execute("PRAGMA foreign_keys=ON")
    # The default page cache (2 MB) is far smaller than the customer index an import adds to;
    # its B-trees then go to the file for nearly every insert. The cache only holds pages.
    cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    cursor.close()


def _set_wal(cursor: sqlite3.Cursor, attempts: int = 200) -> None:
    # Switching a new file to WAL needs a moment alone with it, and SQLite answers "locked" at
    # once instead of waiting when several processes open the same new file together.
    for attempt in range(attempts):
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == attempts - 1:
                raise
            time.sleep(0.05)


def _sqlite_begin(conn: Connection) -> None:
    mode = conn.get_execution_options().get(_BEGIN_OPTION, "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {mode}")


def _lock_for_write(conn: Connection, busy_timeout: float) -> None:
    # SQLite is locked by BEGIN IMMEDIATE; other servers serialise finmon's writers with a
    # transaction-scoped advisory lock so that hash chains and "current version" flags stay linear.
    # The wait for it is bounded by the same busy timeout, then the lock timeout is lifted again so
    # that the writer's own statements are not cut short.
    if conn.dialect.name == "postgresql":
        conn.execute(text(f"SET LOCAL lock_timeout = {max(1, round(busy_timeout * 1000))}"))
        conn.execute(text("SELECT pg_advisory_xact_lock(4242)"))
        conn.execute(text("SET LOCAL lock_timeout = 0"))


@contextmanager
def _sqlite_foreign_keys_off(conn: Connection) -> Iterator[None]:
    # A migration alters a SQLite table by copying it and dropping the original; with foreign keys
    # on, that drop would cascade-delete the rows that refer to it. SQLite ignores the pragma inside
    # a transaction, so it is set on the driver's connection before BEGIN and restored after.
    if conn.dialect.name != "sqlite":
        yield
        return
    conn.connection.cursor().execute("PRAGMA foreign_keys=OFF")
    try:
        yield
    finally:
        conn.connection.cursor().execute("PRAGMA foreign_keys=ON")


def _check_foreign_keys(conn: Connection) -> None:
    if conn.dialect.name != "sqlite":
        return
    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").first()
    if broken is not None:
        raise StoreError(
            f"migrating {_safe_url(str(conn.engine.url))} left rows of {broken[0]} that point to "
            f"missing rows of {broken[2]}; nothing was changed"
        )


@contextmanager
def _translate_errors(db: Database) -> Iterator[None]:
    # The messages name no database URL or path: they reach API clients and web pages.
    try:
        yield
    except OperationalError as exc:
        raise _operational_error(db, exc) from exc
    except DataError as exc:
        # A value the database will not hold (a NUL character in text on PostgreSQL, a number
        # out of range, text too long): bad input, and the transaction has changed nothing.
        raise InputError(f"a value the database cannot store: {_first_line(exc.orig)}") from exc
    except DBAPIError as exc:
        raise StoreError(f"database error: {_first_line(exc.orig)}") from exc


def _operational_error(db: Database, exc: OperationalError) -> StoreError:
    reason = _first_line(exc.orig)
    if "locked" in reason or "busy" in reason or "lock timeout" in reason:
        return StoreBusy(
            f"the database is busy: another writer kept it locked for more than "
            f"{db.busy_timeout:g} s; try again in a few seconds"
        )
    return StoreError(f"the database is unusable: {reason}")


def _first_line(error: object) -> str:
    """A driver's message without the SQL and parameters some drivers append on later lines."""
    return str(error).strip().split("\n", 1)[0]


def _safe_url(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)
