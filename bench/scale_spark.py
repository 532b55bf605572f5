"""National scale: finmon's engines on this machine against the same code on Apache Spark.

    python bench/scale_spark.py [--customers 1000000] [--work DIR]
    python bench/scale.py --parts spark [--spark-customers 1000000]   (the same, beside the rest)

The Spark part screens a generated registry (bench/customers.py:
background customers with the designations of the UN list's 2020-2026 change planted among them)
against the UN list of 2026-02-27 twice in one process: with finmon's local engine in
FINMON_WORKERS forked processes (default: one per core), and on Spark local[2] (one executor
thread per core, the screener broadcast pickled). It asserts that both give the same hits, in
the same order, and prints the times and their ratio. It then does the same for monitoring on
the AMLSim sample (batch engine against the batch engine per bucket of accounts on Spark).
Figures are printed with the command that reproduces them; the run's report goes to out/.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import cpu_seconds, shared_data  # noqa: E402

CUSTOMERS = 1_000_000
AMLSIM = "tm/amlsim_20K_fanin200/transactions.csv"


def spark_part(args: argparse.Namespace) -> dict[str, Any]:
    """Local engine against Spark local[2]: screening a registry, monitoring AMLSim."""
    from finmon.scale.spark import session

    registry = _registry(args)
    report: dict[str, Any] = {"customers": args.customers}
    started = time.perf_counter()
    spark = session("local[2]", partitions=4)
    report["spark_start_seconds"] = time.perf_counter() - started
    report["screening"] = _screening(registry, args)
    report["monitoring"] = _monitoring()
    spark.stop()
    _print_spark(report)
    return report


def _registry(args: argparse.Namespace) -> Path:
    """The registry of args.customers customers, generated once into the work folder."""
    from bench import customers
    from finmon.lists import parse_files

    path = Path(args.work) / f"customers-{args.customers}.csv"
    if path.is_file():
        return path
    old = parse_files([shared_data("lists/un_consolidated_2020-11-30.xml")]).designations
    new = parse_files([shared_data("lists/un_consolidated_2026-02-27.xml")]).designations
    changed, unchanged = customers.plan(old, new)
    planted = customers.planted_customers(changed, unchanged)
    _say(f"generating {args.customers:,} customers into {path}")
    customers.write_registry(path, path.with_suffix(".planted.csv"), args.customers, planted)
    return path


def _screening(registry: Path, args: argparse.Namespace) -> dict[str, Any]:
    from finmon.lists import parse_files
    from finmon.screening import Screener
    from finmon.screening.screener import heap_frozen
    from finmon.services.scale import spark_screening
    from finmon.services.screening import run_screening
    from finmon.settings import load_settings
    from finmon.store.screener_cache import dumps

    designations = parse_files([shared_data("lists/un_consolidated_2026-02-27.xml")]).designations
    screener = Screener(designations, {"un": "2026-02-27"})
    workers = load_settings().workers
    _say(f"screening {args.customers:,} customers locally ({workers} processes)")
    started = time.perf_counter()
    with heap_frozen():
        local = run_screening(registry, None, screener, workers=workers)
    local_seconds = time.perf_counter() - started
    _say(f"  {local_seconds:.1f} s; now on Spark local[2]")
    started = time.perf_counter()
    found = spark_screening(registry, None, screener, master="local[2]")
    spark_seconds = time.perf_counter() - started
    assert found.kept == local.kept, "Spark and the local engine disagree on the hits"
    assert (found.rows, found.alerted) == (local.rows, local.alerted)
    return {
        "rows": local.rows,
        "hits": local.hits,
        "alerted": local.alerted,
        "local_workers": workers,
        "local_seconds": local_seconds,
        "spark_seconds": spark_seconds,
        "broadcast_bytes": len(dumps(screener)),
        "designations": len(designations),
    }


def _monitoring() -> dict[str, Any]:
    from finmon.services.monitoring import plan_monitoring

    source = shared_data(AMLSIM)
    rows: dict[str, list[dict[str, Any]]] = {}
    seconds: dict[str, float] = {}
    for engine in ("batch", "spark"):
        plan = plan_monitoring(source, engine=engine)
        started = time.perf_counter()
        rows[engine] = plan.run().rows
        seconds[engine] = time.perf_counter() - started
    assert rows["spark"] == rows["batch"], "Spark and the batch engine disagree on the alerts"
    return {
        "transactions": len(plan.transactions),
        "alerts": len(rows["batch"]),
        "batch_seconds": seconds["batch"],
        "spark_seconds": seconds["spark"],
    }


def delta_part(args: argparse.Namespace) -> dict[str, Any]:
    """A day's list change screened over the whole registry file, locally and on Spark local[2]:
    what `finmon screen FILE --changes [--engine spark]` does for customers kept outside the store,
    with the change's Screener built as that command builds it, from a scratch store holding UN
    2026-02-27 and the next day's list (bench/delta.py: 3 listed, 2 amended)."""
    from bench.delta import write_next_day
    from bench.scale import _database, _load, _unlink
    from finmon.scale.spark import session
    from finmon.services.scale import spark_screening
    from finmon.services.screening import run_screening
    from finmon.settings import load_settings
    from finmon.store.screener import change_screener

    registry, work = _registry(args), Path(args.work)
    next_day, _ = write_next_day(work)
    path = work / "delta-lists.db"
    _unlink(path)
    db = _database(f"sqlite:///{path}")
    _load(db, "lists/un_consolidated_2026-02-27.xml")
    _load(db, next_day)
    started = time.perf_counter()
    screener = change_screener(db)
    built = time.perf_counter() - started
    workers = load_settings().workers
    _say(f"screening {args.customers:,} customers for a day's change locally, then on Spark")
    started, cpu, load = time.perf_counter(), cpu_seconds(), os.getloadavg()[0]
    local = run_screening(registry, None, screener, workers=workers)
    local_seconds, local_cpu = time.perf_counter() - started, cpu_seconds() - cpu
    spark = session("local[2]", partitions=4)
    started = time.perf_counter()
    found = spark_screening(registry, None, screener, master="local[2]")
    spark_seconds = time.perf_counter() - started
    spark.stop()
    assert found.kept == local.kept, "Spark and the local engine disagree on the change's hits"
    report = {
        "rows": local.rows,
        "designations": len(screener.designations),
        "hits": local.hits,
        "screener_seconds": built,
        "local_workers": workers,
        "local_seconds": local_seconds,
        "local_cpu_seconds": local_cpu,
        "spark_seconds": spark_seconds,
        "load_average": [load, os.getloadavg()[0]],
    }
    _print_delta(report)
    return report


def _print_delta(report: dict[str, Any]) -> None:
    rows, million = report["rows"], report["rows"] / 1e6
    print(
        f"\nA day's change ({report['designations']} designations) screened over {rows:,} "
        f"customers read from the file, {report['hits']} hits; the change's Screener built in "
        f"{report['screener_seconds']:.1f} s\n"
    )
    print("| engine | seconds | per million customers | customers/s |")
    print("|---|---:|---:|---:|")
    for label, key in (
        (f"local, {report['local_workers']} processes", "local_seconds"),
        ("Spark local[2]", "spark_seconds"),
    ):
        seconds = report[key]
        print(f"| {label} | {seconds:.1f} | {seconds / million:.1f} s | {rows / seconds:,.0f} |")
    first, last = report["load_average"]
    print(
        f"\nlocal engine CPU {report['local_cpu_seconds']:.1f} s "
        f"({report['local_cpu_seconds'] / rows * 1e3:.3f} ms a customer); "
        f"load average {first:.1f} before, {last:.1f} after"
    )


def _print_spark(report: dict[str, Any]) -> None:
    screening, monitoring = report["screening"], report["monitoring"]
    rows = screening["rows"]
    print("\nSpark local[2] against the local engine (same process, same hits asserted)\n")
    print("| work | local | Spark local[2] | Spark / local |")
    print("|---|---|---|---|")
    local, spark = screening["local_seconds"], screening["spark_seconds"]
    print(
        f"| screening {rows:,} customers ({screening['hits']:,} hits, {screening['alerted']:,} "
        f"alerted) against {screening['designations']:,} UN designations | {local:.1f} s "
        f"({rows / local:,.0f}/s, {screening['local_workers']} processes) | {spark:.1f} s "
        f"({rows / spark:,.0f}/s) | {spark / local:.2f} |"
    )
    batch, on_spark = monitoring["batch_seconds"], monitoring["spark_seconds"]
    print(
        f"| monitoring {monitoring['transactions']:,} AMLSim transfers ({monitoring['alerts']} "
        f"alerts) | {batch:.1f} s (batch) | {on_spark:.1f} s | {on_spark / batch:.2f} |"
    )
    print(
        f"\nSpark session start {report['spark_start_seconds']:.1f} s (not in the times); "
        f"screener broadcast {screening['broadcast_bytes'] / 1e6:.1f} MB pickled."
    )


PARTS: dict[str, Callable[[argparse.Namespace], dict[str, Any]]] = {
    "spark": spark_part,
    "delta": delta_part,
}
"""The parts of this benchmark; bench/scale.py runs them beside ingestion and delta re-screening."""


def main() -> None:
    """Run the chosen parts and print each one's figures with the command."""
    args = _arguments()
    Path(args.work).mkdir(parents=True, exist_ok=True)
    reports = {name: PARTS[name](args) for name in args.parts}
    command = "python bench/scale_spark.py " + shlex.join(sys.argv[1:])
    print(f"\nReproduce: {command.strip()}")
    saved = ROOT / "out" / f"scale-report-{args.customers}.json"
    saved.parent.mkdir(exist_ok=True)
    saved.write_text(json.dumps(reports, indent=2), encoding="utf-8")
    print(f"figures saved to {saved}")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--parts",
        nargs="+",
        choices=sorted(PARTS),
        default=list(PARTS),
        help="the parts to run (default: all)",
    )
    parser.add_argument("--customers", type=int, default=CUSTOMERS, help="registry size")
    parser.add_argument(
        "--work", default=str(ROOT / "out" / "scale"), help="folder of the generated files"
    )
    return parser.parse_args()


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
