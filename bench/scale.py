"""National scale: ingestion rates, delta re-screening against millions of stored customers, and
the local engines against Apache Spark local[2].

    python bench/scale.py [--parts ingest,delta,spark] [--customers 100000] [--transfers 100000]
        [--delta-customers 1000000,2000000] [--delta-pool 200000] [--delta-change years,day]
        [--spark-customers 1000000] [--database-url URL] [--no-sqlite]

Each store is measured: SQLite in a temporary directory, and PostgreSQL when --database-url names
a server (an administrator's URL; the bench makes a database of its own there and drops it).

ingest_part: `import_customers` of a generated customer file (bench/customers.py) into an empty
store with no list loaded (indexing only: a bank's first migration), then with UN 2026-02-27
loaded (indexed and screened, alerts raised), then the same file again (nothing changed: a nightly
re-import); `load_transactions` of the first transfers of a simulated quarter (finmon simulate)
with UN 2026-02-27 loaded. Rates are rows per second of the whole call, workers = every core;
CPU seconds are this process's and its reaped workers' (a PostgreSQL server's not counted). Beside
them, the brute-force floor of screening the same names (bench/speed.py's run_floor: rapidfuzz
Jaro-Winkler cdist of every name against UN 2026-02-27's names, all cores).

delta_part: a store with a list loaded and N customers written by bench/fill.py (the rows an
import of the same customers writes, customers, first versions and the stored index, in large
transactions; an import would take most of the run): customers drawn from a pool of --delta-pool
generated customers, each pool row read and indexed once. With --delta-change years,day (the
default) UN 2020-11-30 is loaded first and `finmon lists load` of UN 2026-02-27 (a change of
years: 182 designations to screen) is timed before the next day's list (bench/delta.py
write_next_day: 3 listed, 2 amended); with day, UN 2026-02-27 is loaded first and only the day's
change is timed. Each load runs as a `finmon lists load` subprocess, timed end to end. The fill
screens nobody, so the store holds no alerts of the list loaded before it.

spark_part: bench/scale_spark.py, a registry of --spark-customers screened by the local engine and
on Spark local[2] in one process (same hits asserted), and AMLSim monitored by both; its own table.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import code_version, cpu_seconds, machine, shared_data  # noqa: E402

UN_2020 = "lists/un_consolidated_2020-11-30.xml"
UN_2026 = "lists/un_consolidated_2026-02-27.xml"
POOL = 200_000
"""Distinct generated customers the delta part's stores are drawn from (--delta-pool)."""
TARGET_RATE = 10_000
TARGET_DELTA = 60.0
ACTOR = "bench-scale"


@dataclass(slots=True)
class Store:
    """A fresh store to measure in: its URL and how to drop it."""

    kind: str
    url: str
    drop: Callable[[], None]


def stores(work: Path, server: str | None, tag: str, sqlite: bool = True) -> Iterator[Store]:
    """A new SQLite store (unless not sqlite), then (with a server URL) a new PostgreSQL
    database."""
    path = work / f"{tag}.db"
    if sqlite:
        yield Store("SQLite", f"sqlite:///{path}", lambda: _unlink(path))
    if server is None:
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"finmon_scale_{os.getpid()}_{tag}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        conn.execute(text(f"CREATE DATABASE {name} TEMPLATE template0"))
    url = make_url(server).set(database=name).render_as_string(hide_password=False)

    def drop() -> None:
        from finmon.store import engine

        for database in engine._databases.values():
            database.dispose()
        engine._databases.clear()
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))

    yield Store("PostgreSQL", url, drop)


def _unlink(path: Path) -> None:
    for extra in ("", "-wal", "-shm"):
        Path(f"{path}{extra}").unlink(missing_ok=True)


def _database(url: str) -> Any:
    from finmon.store.engine import Database

    return Database(url)


def _load(db: Any, relative: str | Path) -> Any:
    from finmon.lists import parse_files
    from finmon.store.lists import load_list

    path = relative if isinstance(relative, Path) else shared_data(relative)
    return load_list(parse_files([path]), actor=ACTOR, db=db, workers=_workers(), force=True)


def _workers() -> int:
    return os.cpu_count() or 1


def write_customers(path: Path, count: int, seed: int = 20261206) -> Path:
    """count generated customers (bench/customers.py's registry, none planted)."""
    from bench.customers import write_registry

    write_registry(path, path.with_suffix(".planted.csv"), count, [], seed=seed)
    return path


def write_transfers(work: Path, count: int) -> Path:
    """The first count transfers of a simulated quarter with enough customers to hold them."""
    folder = work / "simulated"
    customers = max(5000, count // 70)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "finmon",
            "simulate",
            "--output",
            str(folder),
            "--customers",
            str(customers),
        ],
        check=True,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    path = work / f"transfers-{count}.csv"
    with (folder / "transactions.csv").open(encoding="utf-8") as source, path.open("w") as out:
        for number, line in enumerate(source):
            if number > count:
                break
            out.write(line)
    return path


_CPU = [0.0]
"""CPU seconds of the last _timed step: this process and the workers it reaped."""


def _timed(step: Callable[[], Any]) -> tuple[float, Any]:
    before, start = cpu_seconds(), time.perf_counter()
    result = step()
    seconds = time.perf_counter() - start
    _CPU[0] = cpu_seconds() - before
    return seconds, result


def ingest_part(args: argparse.Namespace, work: Path) -> Iterator[str]:
    """Customer import and transfer load rates on each store."""
    from finmon.store.customers import import_customers
    from finmon.store.transactions import load_transactions

    customers = write_customers(work / f"customers-{args.customers}.csv", args.customers)
    transfers = write_transfers(work, args.transfers)

    def run(db: Any) -> Any:
        return import_customers(customers, actor=ACTOR, db=db, workers=_workers())

    yield floor_row(work, customers, args.customers)
    for tag, listed in (("nolist", False), ("listed", True)):
        for store in stores(work, args.database_url, f"ingest_{tag}", not args.no_sqlite):
            db = _database(store.url)
            if listed:
                _load(db, UN_2026)
            seconds, result = _timed(lambda db=db: run(db))
            assert result.inserted == args.customers, result
            what = "indexed and screened" if listed else "indexed, no list loaded"
            row = _rate(store.kind, f"import customers, {what}", args.customers, seconds)
            yield row + (f"; {result.alerts} alerts |" if listed else " |")
            if listed:
                seconds, again = _timed(lambda db=db: run(db))
                assert again.unchanged == args.customers, again
                yield _rate(store.kind, "import again, unchanged", args.customers, seconds) + " |"
                seconds, loaded = _timed(
                    lambda db=db: load_transactions(
                        transfers, actor=ACTOR, db=db, workers=_workers()
                    )
                )
                assert loaded.inserted == args.transfers, loaded
                alerts = sum(loaded.alerts.values())
                row = _rate(store.kind, "load transfers, screened", args.transfers, seconds)
                yield row + f"; {alerts} alerts |"
            db.dispose()
            store.drop()


def floor_row(work: Path, customers: Path, count: int) -> str:
    """The brute-force floor of screening the same customer names against UN 2026-02-27's names:
    bench/speed.py's run_floor (rapidfuzz Jaro-Winkler cdist, all cores), what a screened
    import's rate compares with."""
    import csv
    import json

    sys.path.insert(0, str(ROOT / "bench"))  # speed.py imports its neighbours as top-level
    from bench.common import load_un
    from bench.speed import run_floor

    names = [name.full for item in load_un() for name in item.names]
    with customers.open(encoding="utf-8", newline="") as handle:
        queries = [row["name"] for row in csv.DictReader(handle)]
    floor = {"list_names": names, "queries": queries}
    (work / "floor-input.json").write_text(json.dumps(floor), encoding="utf-8")
    found = run_floor(work, argparse.Namespace(quick=False))
    seconds = found["seconds"]
    return (
        f"| - | floor: the same names against UN 2026's {len(names):,} names, rapidfuzz "
        f"Jaro-Winkler cdist, all cores (bench/speed.py) | {count:,} | {seconds:.1f} "
        f"| {count / seconds:,.0f} | {found['over_cutoff']:,} names over its cutoff; no "
        "reading, indexing or writing |"
    )


def _rate(kind: str, step: str, count: int, seconds: float) -> str:
    rate = count / seconds
    met = "met" if rate >= TARGET_RATE else "MISSED"
    return (
        f"| {kind} | {step} | {count:,} | {seconds:.1f} | {rate:,.0f} | >= {TARGET_RATE:,}/s: {met}"
        f"; CPU {_CPU[0]:.1f} s (bench and its workers), load {os.getloadavg()[0]:.1f}"
    )


def delta_part(args: argparse.Namespace, work: Path) -> Iterator[str]:
    """Delta re-screen of a list change against stores of millions of customers."""
    from bench.delta import step_load, write_next_day
    from bench.fill import fill, read_pool

    size = min(args.delta_pool, max(args.delta_customers))
    generated = write_customers(work / f"pool-{size}.csv", size, seed=1)
    seconds, pool = _timed(lambda: read_pool(generated, _workers()))
    yield (
        f"| - | read and index a pool of {size:,} generated customers | {size:,} | {seconds:.1f} "
        f"| {size / seconds:,.0f} | setup; `customers import`'s reader and index_entry |"
    )
    next_day, _ = write_next_day(work)
    years = "years" in args.delta_change
    changes = [("UN 2020-11-30 -> 2026-02-27", UN_2026)] if years else []
    changes.append(("UN 2026-02-28, a day's change", next_day))
    for size in args.delta_customers:
        for store in stores(work, args.database_url, f"delta_{size}", not args.no_sqlite):
            db = _database(store.url)
            _load(db, UN_2020 if years else UN_2026)
            seconds, _ = _timed(
                lambda db=db, size=size, kind=store.kind: fill(
                    db,
                    pool,
                    size,
                    seed=size,
                    actor=ACTOR,
                    source_file=f"bench-fill-{size}.csv",
                    progress=lambda done: _say(f"{kind}: {done:,} customers written"),
                )
            )
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            yield (
                f"| {store.kind} | fill {size:,} customers, first versions and index "
                f"(bench/fill.py) | {size:,} | {seconds:.1f} | {size / seconds:,.0f} | setup, "
                f"{'UN 2020-11-30' if years else 'UN 2026-02-27'} loaded before; no alerts; "
                f"bench RSS peak {peak:,.0f} MB |"
            )
            db.dispose()
            os.environ["FINMON_DATABASE_URL"] = store.url
            try:
                for label, path in changes:
                    facts = step_load(work, path, label)
                    yield _delta_row(store.kind, label, size, facts)
            finally:
                del os.environ["FINMON_DATABASE_URL"]
            store.drop()


def _delta_row(kind: str, label: str, size: int, facts: dict[str, Any]) -> str:
    # Not getrusage's peak of the child: a child forked from this large process starts with its
    # resident size, which that peak keeps across exec.
    seconds = facts["seconds"]
    rescreen = facts["timings"].get("delta re-screen", float("nan"))
    candidates = facts["timings"].get("candidates", float("nan"))
    met = "met" if seconds < TARGET_DELTA else "MISSED"
    return (
        f"| {kind} | `finmon lists load` {label}, end to end | {size:,} | {seconds:.1f} "
        f"| {seconds / (size / 1_000_000):.2f} s per million | {facts.get('designations')} "
        f"designations, {facts.get('candidates', 0):,} candidates, {facts.get('alerts')} alerts; "
        f"delta re-screen {rescreen:.1f} s (candidate search {candidates:.1f} s); peak RSS "
        f"{facts['rss_tree'] / 2**20:,.0f} MB (it and its workers, sampled); "
        f"< {TARGET_DELTA:g} s: {met} |"
    )


def _say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def spark_part(args: argparse.Namespace, work: Path) -> Iterator[str]:
    """bench/scale_spark.py's part, printing its own table after this one's rows."""
    from bench.scale_spark import spark_part as on_spark

    folder = ROOT / "out" / "scale"
    folder.mkdir(parents=True, exist_ok=True)
    on_spark(argparse.Namespace(customers=args.spark_customers, work=str(folder)))
    yield f"\n(Spark part: `python bench/scale_spark.py --customers {args.spark_customers}` alone)"


def _sizes(text: str) -> list[int]:
    return [int(part.replace("_", "")) for part in text.split(",") if part]


def main(argv: Sequence[str] | None = None) -> None:
    """Run the parts asked for and print their rows and the command that reproduces them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", default="ingest,delta,spark")
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--transfers", type=int, default=100_000)
    parser.add_argument("--delta-customers", type=_sizes, default=[1_000_000])
    parser.add_argument("--delta-pool", type=int, default=POOL)
    parser.add_argument(
        "--delta-change",
        default="years,day",
        help="years: UN 2020 loaded before the fill, then UN 2026 timed; day: UN 2026-02-28",
    )
    parser.add_argument("--spark-customers", type=int, default=1_000_000)
    parser.add_argument("--database-url", help="PostgreSQL server (administrator's URL)")
    parser.add_argument("--no-sqlite", action="store_true", help="measure PostgreSQL only")
    args = parser.parse_args(argv)
    parts = {"ingest": ingest_part, "delta": delta_part, "spark": spark_part}
    wanted = [p.strip() for p in args.parts.split(",") if p.strip()]
    unknown = [p for p in wanted if p not in parts]
    if unknown:
        parser.error(f"unknown part(s) {', '.join(unknown)}; choose from {', '.join(parts)}")
    shown = " ".join(sys.argv[1:] if argv is None else argv)
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    print(f"finmon {code_version()} on {machine()}; {when}")
    print(f"reproduce: python bench/scale.py {shown}".rstrip())
    print("| store | step | rows | seconds | rate | notes |")
    print("|---|---|---:|---:|---:|---|")
    with tempfile.TemporaryDirectory(prefix="finmon-scale-") as folder:
        work = Path(folder)
        os.environ["FINMON_HOME"] = str(work / "home")
        for name in wanted:
            for line in parts[name](args, work):
                print(line, flush=True)


if __name__ == "__main__":
    main()
