"""bench/fill.py writes the very rows `customers import` writes for the same customers."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from bench import customers
from bench.fill import ACTION, draws, fill, read_pool, write_file
from finmon.store.customers import import_customers
from finmon.store.engine import Database, default_database
from tests.conftest import SERVER_URL

POOL = 300
COUNT = 1_200
SEED = 7
TABLES = {
    # table: (columns compared, order) - every column but the times of writing
    "customers": "id, name, record, accounts, fingerprint, version",
    "customer_versions": "id, customer_id, version, record, accounts, fingerprint, changed_by",
    "name_tokens": "id, sig, data",
    "name_token_keys": "key, token_id",
    "customer_tokens": "token_id, customer_id, short, parts, owed",
    "store_state": "name, value",
}


@pytest.fixture
def second_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A second empty store beside the test's own, of the same kind: a SQLite file, or a
    database on the test server."""
    if SERVER_URL is None:
        yield f"sqlite:///{tmp_path / 'filled.db'}"
        return
    server: Engine = request.getfixturevalue("_server")
    name = f"finmon_fill_{os.getpid()}"
    with server.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        conn.execute(text(f"CREATE DATABASE {name} TEMPLATE template0"))
    try:
        yield make_url(SERVER_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


def _tables(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    with db.engine.connect() as conn:
        return {
            table: sorted(
                (tuple(map(str, row)) for row in conn.execute(text(f"SELECT {cols} FROM {table}"))),
            )
            for table, cols in TABLES.items()
        }


@pytest.mark.parametrize("workers", [1, 2])
def test_fill_writes_what_an_import_writes(
    tmp_path: Path, second_url: str, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    """Indexed in this process or by forked workers (whose tokens' stored form reaches the
    writer once), the import writes the same rows."""
    generated = tmp_path / "pool.csv"
    customers.write_registry(generated, tmp_path / "planted.csv", POOL, [], seed=3)
    pool = read_pool(generated)
    # Fewer pool rows than customers: many are written more than once, as at 10 million.
    assert len(set(draws(POOL, COUNT, SEED))) < COUNT
    path = write_file(tmp_path / "drawn.csv", pool, COUNT, SEED)
    # Several batches, so the token ids run on from batch to batch as they do in a large import.
    monkeypatch.setenv("FINMON_IMPORT_BATCH", "500")
    imported = default_database()
    filled = Database(second_url)
    try:
        result = import_customers(path, actor="bench", db=imported, workers=workers)
        assert result.inserted == COUNT and result.problems == 0
        fill(filled, pool, COUNT, seed=SEED, actor="bench", source_file=str(path))
        ours, theirs = _tables(filled), _tables(imported)
        assert len(ours["customers"]) == COUNT
        assert len(ours["customer_tokens"]) > 3 * COUNT
        for table in TABLES:
            assert ours[table] == theirs[table], table
        with filled.engine.connect() as conn:
            actions = list(conn.execute(text("SELECT action FROM audit_log")).scalars())
        assert actions[-1] == ACTION
    finally:
        filled.dispose()
