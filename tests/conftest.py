"""Shared test fixtures: where the shared real data lives, and an isolated store per test.

By default each test stores into SQLite under its own FINMON_HOME. With FINMON_TEST_DATABASE_URL
set to an administrator's URL of a PostgreSQL server, each test gets its own new, empty database
on that server instead (FINMON_DATABASE_URL points at it), dropped when the test ends.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import make_url

from finmon.settings import load_settings
from finmon.store import engine as store_engine

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("FINMON_SHARED_DIR") or ROOT.parent / "shared")
CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
SERVER_URL = os.environ.get("FINMON_TEST_DATABASE_URL") or None
ON_SERVER = SERVER_URL is not None
"""True when the suite runs against a database server rather than SQLite."""

_database_numbers = itertools.count(1)


def shared_file(relative: str) -> Path:
    """A file under ../shared/data; skips locally when absent, fails under CI=true."""
    path = SHARED / "data" / relative
    if not path.exists():
        message = f"shared data file missing: {path}"
        if CI:
            pytest.fail(message)
        pytest.skip(message)
    return path


def shared_spec(relative: str) -> Path:
    """A file under ../shared/specs; same rule as shared_file."""
    path = SHARED / "specs" / relative
    if not path.exists():
        if CI:
            pytest.fail(f"shared spec missing: {path}")
        pytest.skip(f"shared spec missing: {path}")
    return path


@contextmanager
def direct_sql() -> Iterator[Connection]:
    """A plain connection to this test's store, outside finmon, committed at the end: for
    checking what finmon wrote and for tampering with it as someone with database access could."""
    engine = create_engine(load_settings().database_url)
    try:
        with engine.begin() as conn:
            yield conn
    finally:
        engine.dispose()


def drop_audit_guards(conn: Connection) -> None:
    """Drop the triggers that guard audit_log against edits, as someone with database access can."""
    if conn.dialect.name == "sqlite":
        found = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'"
        for name in conn.execute(text(found)).scalars():
            conn.execute(text(f'DROP TRIGGER "{name}"'))
        return
    found = (
        "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_log'::regclass AND NOT tgisinternal"
    )
    for name in conn.execute(text(found)).scalars():
        conn.execute(text(f'DROP TRIGGER "{name}" ON audit_log'))


@pytest.fixture(scope="session")
def _server() -> Iterator[Engine]:
    """An administrator's connection to the test database server (FINMON_TEST_DATABASE_URL)."""
    assert SERVER_URL is not None
    engine = create_engine(SERVER_URL, isolation_level="AUTOCOMMIT")
    yield engine
    engine.dispose()


@pytest.fixture
def server_database(request: pytest.FixtureRequest) -> Iterator[str | None]:
    """The URL of a new, empty database on the test server for this test; None on SQLite."""
    if SERVER_URL is None:
        yield None
        return
    server: Engine = request.getfixturevalue("_server")
    name = f"finmon_t_{os.getpid()}_{next(_database_numbers)}"
    with server.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name} TEMPLATE template0"))
    try:
        yield make_url(SERVER_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        _forget_databases()
        with server.connect() as conn:
            conn.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))


def _forget_databases() -> None:
    # finmon keeps one Database per URL; close their connections so the database can go.
    for database in store_engine._databases.values():
        database.dispose()
    store_engine._databases.clear()


@pytest.fixture(autouse=True)
def finmon_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, server_database: str | None
) -> Path:
    """Every test gets its own empty FINMON_HOME and store, so no test sees another's data."""
    home = tmp_path / "finmon-home"
    monkeypatch.setenv("FINMON_HOME", str(home))
    if server_database is None:
        monkeypatch.delenv("FINMON_DATABASE_URL", raising=False)
    else:
        monkeypatch.setenv("FINMON_DATABASE_URL", server_database)
    return home
