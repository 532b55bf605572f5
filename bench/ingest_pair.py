"""Paired ingestion runs: this tree against another (an exported commit), alternated.

    git archive main | tar -x -C /tmp/before
    python bench/ingest_pair.py --before /tmp/before [--step import|transfers] [--rounds 2]
        [--customers 100000] [--transfers 100000] [--database-url URL]

Each run is one child process with PYTHONPATH set to its tree: a fresh store (SQLite in a
temporary directory, or a database of its own on the --database-url server), then one
`import_customers` of bench/scale.py's generated customer file with no list loaded, or (with
--step transfers) UN 2026-02-27 loaded and 20,000 customers imported, neither timed, then one
`load_transactions` of bench/scale.py's transfers. Printed a line a run: the tree, wall-clock rate,
CPU milliseconds a row of the child and its reaped workers, of which the workers' (a PostgreSQL
server's not counted), and the load average, since on a shared machine the CPU is the steadier
figure. On two cores the rate is bounded by the child's own CPU a row (one process writes) and by
half the whole.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def child(args: argparse.Namespace, work: Path) -> None:
    """One measured run in this process, with the tree its PYTHONPATH names."""
    import bench.scale as scale
    from finmon.store.customers import import_customers
    from finmon.store.transactions import load_transactions

    server = args.database_url
    store = next(iter(scale.stores(work, server, f"pair{os.getpid()}", server is None)))
    db = scale._database(store.url)
    customers = work / f"customers-{args.customers}.csv"
    if args.step == "transfers":
        scale._load(db, scale.UN_2026)
        import_customers(work / "customers-20000.csv", actor="bench", db=db, workers=2)
    before, start = os.times(), time.perf_counter()
    if args.step == "import":
        count = import_customers(customers, actor="bench", db=db, workers=2).inserted
    else:
        path = work / f"transfers-{args.transfers}.csv"
        count = load_transactions(path, actor="bench", db=db, workers=2).inserted
    wall, after = time.perf_counter() - start, os.times()
    own = sum(after[:2]) - sum(before[:2])
    cpu = sum(after[:4]) - sum(before[:4])
    figures = {
        "rows": count,
        "per_second": round(count / wall),
        "cpu_ms_a_row": round(cpu / count * 1000, 3),
        "of_which_workers": round((cpu - own) / count * 1000, 3),
    }
    print(json.dumps({**figures, "load": os.getloadavg()[0]}))
    db.dispose()
    store.drop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", required=True, help="the other tree (an exported commit)")
    parser.add_argument("--step", choices=("import", "transfers"), default="import")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--transfers", type=int, default=100_000)
    parser.add_argument("--database-url", help="an administrator's URL of a PostgreSQL server")
    parser.add_argument("--work", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.work:
        child(args, Path(args.work))
        return
    sys.path.insert(0, str(ROOT))
    from bench.scale import write_customers, write_transfers

    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        write_customers(work / f"customers-{args.customers}.csv", args.customers)
        write_customers(work / "customers-20000.csv", 20_000)
        write_transfers(work, args.transfers)
        for round_ in range(args.rounds):
            for tree in (Path(args.before).resolve(), ROOT):
                command = [sys.executable, __file__, *sys.argv[1:], "--work", folder]
                env = {**os.environ, "PYTHONPATH": str(tree), "FINMON_HOME": f"{folder}/home"}
                out = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
                print(f"round {round_ + 1} {tree}: {out.stdout.strip().splitlines()[-1]}")


if __name__ == "__main__":
    main()
