"""Bulk writes: the rows bulk_insert writes (COPY on PostgreSQL, executemany on SQLite) read back
exactly as those of SQLAlchemy's Core insert, and a batch that fails leaves nothing of itself."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import insert, select

from finmon.errors import StoreError
from finmon.store.bulk import bulk_insert
from finmon.store.engine import default_database
from finmon.store.models import Customer, CustomerToken, NameTokenRow, core_table


def _customers(prefix: str, count: int) -> list[dict[str, Any]]:
    when = dt.datetime(2026, 12, 6, 11, 30, 15, 123456, tzinfo=dt.UTC)
    return [
        {
            "id": f"{prefix}{n}",
            "name": f"Ержан «{n}» O'Brien\ttab\\slash",
            "record": {"id": f"x{n}", "names": ["Ержан", 'quote "x"'], "n": n, "none": None},
            "accounts": [f"KZ{n:018d}", "line\nbreak"],
            "fingerprint": f"{n:064d}",
            "version": 1,
            "created_at": when,
            "updated_at": when + dt.timedelta(hours=n),
        }
        for n in range(count)
    ]


def _read(prefix: str) -> list[tuple[Any, ...]]:
    with default_database().read() as session:
        query = select(Customer).where(Customer.id.like(f"{prefix}%")).order_by(Customer.id)
        return [
            (
                c.id,
                c.name,
                c.record,
                c.accounts,
                c.fingerprint,
                c.version,
                c.created_at,
                c.updated_at,
            )
            for c in session.scalars(query)
        ]


def test_bulk_rows_read_back_as_core_inserted_ones() -> None:
    db = default_database()
    with db.write() as session:
        session.execute(insert(core_table(Customer)), _customers("core-", 30))
        assert bulk_insert(session, Customer, _customers("bulk-", 30)) == 30
    core, bulk = _read("core-"), _read("bulk-")
    assert len(bulk) == 30
    assert [row[1:] for row in bulk] == [row[1:] for row in core]
    assert bulk[0][6].tzinfo is not None


def test_bulk_booleans_floats_and_explicit_ids() -> None:
    db = default_database()
    with db.write() as session:
        bulk_insert(session, Customer, _customers("c", 1))
        bulk_insert(session, NameTokenRow, [{"id": 7, "sig": "abc", "data": {"k": [1, 2]}}])
        posting = {"token_id": 7, "customer_id": "c0", "short": True, "parts": 2, "owed": 0.25}
        bulk_insert(session, CustomerToken, [posting])
    with db.read() as session:
        stored = session.scalars(select(CustomerToken)).one()
        token = session.get(NameTokenRow, 7)
    assert (stored.short, stored.parts, stored.owed) == (True, 2, 0.25)
    assert token is not None and token.data == {"k": [1, 2]}


def test_a_failing_batch_leaves_earlier_batches_and_none_of_itself() -> None:
    db = default_database()
    with db.write() as session:
        bulk_insert(session, Customer, _customers("first-", 10))
    # The second batch repeats an id half-way: the database refuses it, and the whole
    # transaction goes, not the rows before the repeat.
    second = _customers("second-", 10)
    second[5]["id"] = "second-1"
    with pytest.raises(StoreError), db.write() as session:
        bulk_insert(session, Customer, second)
    assert len(_read("first-")) == 10
    assert _read("second-") == []
    with db.write() as session:
        assert bulk_insert(session, Customer, []) == 0
