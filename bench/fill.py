"""Fill a store with millions of customers fast, writing the rows `customers import` would write.

An import of 10 million customers takes most of an hour on two cores, nearly all of it analysing
names (and screening, with a list loaded). A bench that only needs the stored registry and its
index draws its customers from a pool of generated ones (bench/customers.py), read by the
import's own reader and indexed once each by the import's own index_entry, and writes the
customers, their first versions and the index in large transactions through the store's bulk
path. Customer n is pool row draw(n) under the id `S` + n (zero-padded to nine digits).

What is written is what an import of write_file's CSV would write into a store with no list
loaded, token ids and all (tests/bench/test_fill.py compares every table but the times); only
the audit differs: one `customers.bench_fill` row instead of the import's per-batch rows. No
customer is screened, so no alert is raised: loading a list afterwards screens them as usual.
"""

from __future__ import annotations

import csv
import json
import random
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CHUNK = 200_000
"""Customers written per transaction."""
ACTION = "customers.bench_fill"
_MARK = "\x00id\x00"
"""Stands for the id in a pool row's serialised record."""
CUSTOMER = ("id", "name", "record", "accounts", "fingerprint", "version")
VERSION = (
    "customer_id",
    "version",
    "record",
    "accounts",
    "fingerprint",
    "changed_by",
    "source_file",
)
SERIALISED = {"record", "accounts"}
"""Columns fill hands over as JSON text already (json.dumps, as the store's JSON type binds)."""


@dataclass(slots=True)
class Pooled:
    """One generated customer as the import reads it, with its CSV row and index entry."""

    row: list[str]
    record: dict[str, Any]
    accounts: list[str]
    fingerprint: str
    entry: Any
    """finmon.store.customer_index.Indexed of its names."""


def read_pool(path: Path, workers: int = 1) -> list[Pooled]:
    """A generated customer file read by the import's reader, each row indexed once."""
    from finmon.model import matching_fingerprint
    from finmon.screening.inputs import read_customers
    from finmon.store.customer_index import index_parties

    with path.open(encoding="utf-8", newline="") as handle:
        raw = list(csv.reader(handle))[1:]
    rows = list(read_customers(path))
    if len(rows) != len(raw):
        raise ValueError(f"{path}: {len(raw) - len(rows)} rows the import would not read")
    entries = index_parties([row.party for row in rows], workers)
    pooled = []
    for line, row, entry in zip(raw, rows, entries, strict=True):
        record = row.party.to_dict()
        fingerprint = matching_fingerprint(row.party, record)
        pooled.append(Pooled(line, record, row.accounts, fingerprint, entry))
    return pooled


def customer_id(number: int) -> str:
    """The id of the number-th customer written (from 0)."""
    return f"S{number:09d}"


def draws(pool_size: int, count: int, seed: int) -> list[int]:
    """Which pool row each of count customers is, drawn with replacement (fixed seed)."""
    rng = random.Random(seed)
    return [rng.randrange(pool_size) for _ in range(count)]


def write_file(path: Path, pool: Sequence[Pooled], count: int, seed: int) -> Path:
    """The customer file whose import writes what fill writes (for comparing the two)."""
    from bench.customers import COLUMNS

    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for number, drawn in enumerate(draws(len(pool), count, seed)):
            writer.writerow([customer_id(number), *pool[drawn].row[1:]])
    return path


def fill(
    db: Any,
    pool: Sequence[Pooled],
    count: int,
    *,
    seed: int,
    actor: str,
    source_file: str,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Write count customers drawn from the pool into an empty store, with their first versions
    and their index postings, as an import of write_file(..., seed)'s file named source_file."""
    from sqlalchemy import func, select, text

    from finmon.store.audit import append_audit
    from finmon.store.bulk import insert_rows
    from finmon.store.customer_index import POSTING, ensure_current, token_data
    from finmon.store.models import (
        Customer,
        CustomerToken,
        CustomerVersion,
        NameTokenKey,
        NameTokenRow,
        utc_now,
    )

    drawn = draws(len(pool), count, seed)
    with db.write() as session:
        if session.scalar(select(func.count()).select_from(Customer)):
            raise ValueError("fill writes into a store with no customers")
        ensure_current(session, actor=actor)
    # Token ids as the import gives them: in the order tokens first appear, customer by customer
    # (a pool row seen before brings no new token).
    token_ids: dict[str, int] = {}
    postings: dict[int, list[tuple[int, bool, int, float]]] = {}
    tokens: list[tuple[int, str, str]] = []
    keys: list[tuple[str, int]] = []
    for index in drawn:
        if index in postings:
            continue
        entry = pool[index].entry
        mine = []
        for token, parts in entry.tokens.values():
            token_id = token_ids.get(token.sig)
            if token_id is None:
                token_id = token_ids[token.sig] = len(token_ids) + 1
                stored, filed = token_data(token)
                tokens.append((token_id, token.sig, stored))
                keys.extend((key, token_id) for key in filed)
            mine.append((token_id, entry.short, parts, entry.owed))
        postings[index] = mine
    with db.write() as session:
        insert_rows(session, NameTokenRow, ("id", "sig", "data"), tokens, None, {"data"})
        insert_rows(session, NameTokenKey, ("key", "token_id"), keys)
    # Each pool row's record and accounts are serialised once, the id put in as text: at 10
    # million customers the JSON of every record, twice, was a third of the fill's time.
    texts: dict[int, tuple[str, str, str]] = {}
    for index in postings:
        pooled = pool[index]
        before, after = json.dumps({**pooled.record, "id": _MARK}).split(json.dumps(_MARK))
        texts[index] = (before, after, json.dumps(pooled.accounts))
    for start in range(0, count, CHUNK):
        customers, versions, posted = [], [], []
        for number in range(start, min(count, start + CHUNK)):
            index = drawn[number]
            pooled = pool[index]
            cid = customer_id(number)
            before, after, accounts = texts[index]
            record = f'{before}"{cid}"{after}'
            customers.append(
                (cid, pooled.record["names"][0], record, accounts, pooled.fingerprint, 1)
            )
            versions.append((cid, 1, record, accounts, pooled.fingerprint, actor, source_file))
            posted.extend((t, cid, s, p, o) for t, s, p, o in postings[index])
        now = utc_now()
        with db.write() as session:
            if session.connection().dialect.name == "sqlite":
                # The postings' primary key grows in token order, not in the order written: a
                # page cache of some 1 GB keeps its B-tree's pages off the file (this connection).
                session.execute(text("PRAGMA cache_size=-1000000"))
            times = {"updated_at": now, "created_at": now}
            insert_rows(session, Customer, CUSTOMER, customers, times, SERIALISED)
            insert_rows(
                session, CustomerVersion, VERSION, versions, {"valid_from": now}, SERIALISED
            )
            insert_rows(session, CustomerToken, POSTING, posted)
        if progress is not None:
            progress(min(count, start + CHUNK))
    with db.write() as session:
        append_audit(
            session,
            actor=actor,
            action=ACTION,
            object=f"file:{Path(source_file).name}",
            after={"file": source_file, "inserted": count, "pool": len(pool), "seed": seed},
        )
