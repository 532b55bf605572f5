"""SQLite's cost of filing the stored customer index's rows: rowid tables against WITHOUT ROWID.

    python bench/index_rows.py [--customers 100000] [--runs 2]

The customers of bench/customers.py's registry are indexed once (index_entry, in this process),
then their keys (name_token_keys) and postings (customer_tokens) are written into a fresh SQLite
file, in the import's batch sizes, first into tables as finmon made them before revision 0022
(rowid tables: the primary key is a second b-tree beside the rows), then WITHOUT ROWID (the rows
are the primary key's b-tree), the two alternated --runs times. Printed: the CPU seconds of the
inserts and commits, with the load average beside them.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.scale import write_customers  # noqa: E402
from finmon.screening.index import filing_keys  # noqa: E402
from finmon.screening.inputs import read_parties  # noqa: E402
from finmon.store.customer_index import index_entry  # noqa: E402

BATCH = 5_000
"""Customers a batch, as FINMON_IMPORT_BATCH's default."""

Rows = tuple[list[list[tuple[str, int]]], list[list[tuple[int, str]]], list[str]]


def index_rows(path: Path) -> Rows:
    """Each batch's new key rows and postings, and the customer ids, as an import files them."""
    ids: dict[str, int] = {}
    keys: list[list[tuple[str, int]]] = []
    postings: list[list[tuple[int, str]]] = []
    customers: list[str] = []
    for n, party in enumerate(read_parties(path)):
        if n % BATCH == 0:
            keys.append([])
            postings.append([])
        customers.append(party.id)
        for sig, (token, _) in index_entry(party).tokens.items():
            if sig not in ids:
                ids[sig] = len(ids) + 1
                keys[-1].extend((key, ids[sig]) for key in set(filing_keys(token)))
            postings[-1].append((ids[sig], party.id))
    return keys, postings, customers


def write(rows: Rows, folder: Path, rowid: bool) -> tuple[float, float]:
    """CPU seconds writing the keys, and the postings, into a fresh file's tables."""
    keys, postings, customers = rows
    path = folder / ("rowid.db" if rowid else "without.db")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    db = sqlite3.connect(path)
    for pragma in ("journal_mode=WAL", "foreign_keys=ON", "cache_size=-65536"):
        db.execute(f"PRAGMA {pragma}")
    option = "" if rowid else " WITHOUT ROWID"
    token = "INTEGER NOT NULL REFERENCES name_tokens (id) ON DELETE CASCADE"
    db.execute("CREATE TABLE name_tokens (id INTEGER PRIMARY KEY)")
    db.execute("CREATE TABLE customers (id VARCHAR(200) PRIMARY KEY)")
    db.execute(
        f"CREATE TABLE name_token_keys (key VARCHAR(400) NOT NULL, token_id {token}, "
        f"PRIMARY KEY (key, token_id)){option}"
    )
    db.execute(
        f"CREATE TABLE customer_tokens (token_id {token}, customer_id VARCHAR(200) NOT NULL "
        "REFERENCES customers (id) ON DELETE CASCADE, short BOOLEAN NOT NULL, parts INTEGER "
        f"NOT NULL, owed FLOAT NOT NULL, PRIMARY KEY (token_id, customer_id)){option}"
    )
    db.execute("CREATE INDEX ix_customer_tokens_customer_id ON customer_tokens (customer_id)")
    count = max((i for batch in keys for _, i in batch), default=0)
    db.executemany("INSERT INTO name_tokens VALUES (?)", ((i,) for i in range(1, count + 1)))
    db.executemany("INSERT INTO customers VALUES (?)", ((c,) for c in customers))
    db.commit()
    spent = [0.0, 0.0]
    for batch_keys, batch_postings in zip(keys, postings, strict=True):
        start = time.process_time()
        db.executemany("INSERT INTO name_token_keys VALUES (?, ?)", batch_keys)
        middle = time.process_time()
        db.executemany("INSERT INTO customer_tokens VALUES (?, ?, 0, 1, 0.0)", batch_postings)
        db.commit()
        spent[0] += middle - start
        spent[1] += time.process_time() - middle
    db.close()
    return spent[0], spent[1]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        rows = index_rows(write_customers(folder / "customers.csv", args.customers))
        key_rows = sum(map(len, rows[0]))
        posting_rows = sum(map(len, rows[1]))
        print(f"{args.customers:,} customers: {key_rows:,} key rows, {posting_rows:,} postings")
        for run in range(1, args.runs + 1):
            for rowid in (True, False):
                keys, postings = write(rows, folder, rowid)
                table = "rowid" if rowid else "WITHOUT ROWID"
                print(
                    f"run {run}, {table}: keys {keys:.2f} s, postings and commits "
                    f"{postings:.2f} s CPU, {(keys + postings) / args.customers * 1000:.3f} ms "
                    f"a customer (load {os.getloadavg()[0]:.1f})",
                    flush=True,
                )


if __name__ == "__main__":
    main()
