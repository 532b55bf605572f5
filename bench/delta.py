"""Delta re-screening and end-to-end freezing: a new UN list version against a million customers.

    python bench/delta.py [--customers 1000000] [--database-url URL] [--profile]

In a fresh FINMON_HOME: generate the customers (bench/customers.py, listed persons planted among
them), import them with no list loaded, load the UN list of 2020-11-30, then measure `finmon lists
load` of the 2026-02-27 list as a subprocess (parse, diff, delta re-screen and alerts in one
transaction) and a full re-screen of every customer with finmon's Screener, and check that the
delta alerted every planted person the change concerns, none of the unchanged ones again, and
everything the full re-screen found on the designations the change must screen. Last, the list
of the next day (write_next_day: a typical day's change, a few persons listed and a few amended)
is loaded the same way: what a nightly run meets on most days. A run of 1,000,000 customers
writes the Delta re-screening section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import code_version, machine  # noqa: E402

if TYPE_CHECKING:
    from bench.customers import Planted
    from finmon.model import Designation, Party
    from finmon.screening import Hit

UN_2020 = "lists/un_consolidated_2020-11-30.xml"
UN_2026 = "lists/un_consolidated_2026-02-27.xml"
VERSION_2020 = "2020-11-30"
VERSION_2026 = "2026-02-27"
RECORDED = 1_000_000
"""Only a run of this many customers rewrites the docs section."""
HEADING = "## Delta re-screening"
FULL_LIMIT = 20 * 60
"""Projected seconds above which the full re-screen measures a sample instead of everyone."""
MIN_SAMPLE = 200_000
PILOT = 20_000
"""Customers the full re-screen times before it projects its total."""
CHUNK = 10_000
"""Customer ids read from the store at a time by the full re-screen."""
ACCEPT_RATIO = 50.0
ACCEPT_SECONDS = 60.0
RESCREEN_LINE = re.compile(
    r"Re-screened the customer base for (\d+) new or amended designations: (\d+) customers "
    r"checked, (\d+) alerts raised, (\d+) freezes"
)
CHANGES_LINE = re.compile(r"Changes: (\d+) added, (\d+) removed, (\d+) amended")
TIMED = (
    ("finmon.lists", "parse_files", "parse"),
    ("finmon.store", "load_list", "load transaction"),
    ("finmon.store.lists", "stored_designations", "read previous version"),
    ("finmon.store.lists", "diff_designations", "diff"),
    ("finmon.store.lists", "_insert_designations", "store designations"),
    ("finmon.store.lists", "rescreen", "delta re-screen"),
    ("finmon.store.rescreen", "candidate_customers", "candidates"),
    ("finmon.store.rescreen", "raise_screened", "alerts"),
    ("finmon.store.rescreen", "open_release_reviews", "release reviews"),
)
"""Functions whose time the `finmon` subprocesses report: (module, name, label)."""


def main() -> None:
    """Run the benchmark, or one part of it when called as a child process."""
    args = _arguments()
    if args.child == "cli":
        run_cli(args.cli_args, Path(args.work) / "timings.json")
        return
    if args.child:
        work = Path(args.work)
        runner = {"import": run_import, "full": run_full}[args.child]
        result = runner(work, args)
        (work / f"{args.child}.json").write_text(json.dumps(result), encoding="utf-8")
        return
    if args.from_report:
        report = json.loads(Path(args.from_report).read_text(encoding="utf-8"))
    else:
        report = run_benchmark(args)
        saved = ROOT / "out" / f"delta-report-{args.customers}.json"
        saved.parent.mkdir(exist_ok=True)
        saved.write_text(json.dumps(report, indent=1), encoding="utf-8")
        _say(f"figures saved to {saved}")
    text = render(report)
    print("\n" + text)
    if report["customers"] == RECORDED and not args.no_docs:
        from bench.common import replace_section

        replace_section(ROOT / "docs" / "benchmarks.md", HEADING, f"{HEADING}\n\n{text}")
        print("\nDelta re-screening section written to docs/benchmarks.md")


def _arguments() -> argparse.Namespace:
    from bench.customers import SEED

    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--customers", type=int, default=RECORDED, help="registry size")
    parser.add_argument("--seed", type=int, default=SEED, help="generator seed")
    parser.add_argument(
        "--database-url", help="an empty PostgreSQL database to use instead of SQLite"
    )
    parser.add_argument(
        "--full-sample",
        type=int,
        default=0,
        help="customers the full re-screen times (default: all, or a sample of at least "
        f"{MIN_SAMPLE:,} when everyone would take over {FULL_LIMIT // 60} minutes)",
    )
    parser.add_argument("--work", help="keep the work files (customers, store) in this folder")
    parser.add_argument(
        "--profile", action="store_true", help="also profile the 2026 load (SQLite only)"
    )
    parser.add_argument("--no-docs", action="store_true", help="do not touch docs/benchmarks.md")
    parser.add_argument("--from-report", help="render the figures a run saved in out/ again")
    parser.add_argument("--child", choices=("cli", "import", "full"), help=argparse.SUPPRESS)
    parser.add_argument("cli_args", nargs="*", help=argparse.SUPPRESS)
    return parser.parse_args()


# --- the benchmark --------------------------------------------------------------------------


@dataclass
class Run:
    """One measured subprocess."""

    seconds: float
    largest: int
    """Peak RSS of its largest process, bytes (getrusage)."""
    tree: int
    """Peak of the summed RSS of it and its forked workers, bytes (sampled; shared pages count
    once per process)."""
    output: str = ""
    timings: dict[str, float] = field(default_factory=dict)


def run_benchmark(args: argparse.Namespace) -> dict[str, Any]:
    """Every step in order in a fresh store; the figures and checks as one dict."""
    keep = Path(args.work).resolve() if args.work else None
    with tempfile.TemporaryDirectory(prefix="finmon-delta-") as tmp:
        work = keep or Path(tmp)
        return _steps(work, args)


def _steps(work: Path, args: argparse.Namespace) -> dict[str, Any]:
    home = work / "home"
    if home.exists():
        raise SystemExit(f"{home} exists: give a new --work folder, the store must start empty")
    home.mkdir(parents=True)
    os.environ.update({"FINMON_HOME": str(home), "FINMON_ACTOR": "bench", "COLUMNS": "400"})
    if args.database_url:
        os.environ["FINMON_DATABASE_URL"] = args.database_url
    _check_empty()
    report: dict[str, Any] = {
        "code": code_version(),
        "date": time.strftime("%Y-%m-%d"),
        "load_start": os.getloadavg()[0],
        "customers": args.customers,
        "seed": args.seed,
        "store": "PostgreSQL" if args.database_url else "SQLite",
    }
    old, new = _parse(UN_2020), _parse(UN_2026)
    report["lists"] = _list_facts(old, new)
    planted = generate(work, args, old, new, report)
    report["import"] = step_import(work)
    report["load_2020"] = step_load(work, UN_2020, "load UN 2020-11-30")
    report["alerts_2020"] = _alert_pairs(VERSION_2020)
    if args.profile and not args.database_url:
        shutil.copytree(home, work / "profile-home")
    report["load_2026"] = step_load(work, UN_2026, "load UN 2026-02-27 (measured)")
    report["alerts_2026"] = _alert_pairs(VERSION_2026)
    report["planted"] = check_planted(planted, report["alerts_2026"], report["alerts_2020"])
    report["planted"]["missed_detail"] = _explain_missed(report["planted"]["missed"], new)
    report["full"] = step_full(work, args, planted, report["lists"]["to_screen_refs"])
    report["agreement"] = check_agreement(
        report["full"], report["alerts_2026"], report["alerts_2020"]
    )
    report["agreement"]["extra_detail"] = _explain_extra(
        report["agreement"]["extra"][:20], report["alerts_2026"]
    )
    report["unpruned"] = unpruned_candidates(old, new)
    next_day, report["next_day_change"] = write_next_day(work)
    report["next_day"] = step_load(work, next_day, f"load UN {VERSION_NEXT} (a day's change)")
    report["load_end"] = os.getloadavg()[0]
    (work / "report.json").write_text(json.dumps(report), encoding="utf-8")
    if args.profile and not args.database_url:
        report["profile"] = step_profile(work)
    return report


def _check_empty() -> None:
    from finmon.store import list_versions
    from finmon.store.customers import customer_count

    if customer_count() or list_versions(all_versions=True):
        raise SystemExit("the store is not empty: give an empty database")


def _parse(relative: str) -> list[Designation]:
    from finmon.lists import parse_files

    return list(parse_files([_shared(relative)]).designations)


def _list_facts(old: Sequence[Designation], new: Sequence[Designation]) -> dict[str, Any]:
    from finmon.lists.diff import diff_designations
    from finmon.store.rescreen import to_screen

    diff = diff_designations(old, new)
    screened = to_screen(diff)
    persons = sum(1 for d in screened if d.schema.value == "person")
    return {
        "old": len(old),
        "new": len(new),
        "changes": diff.summary(),
        "to_screen": len(screened),
        "to_screen_persons": persons,
        "to_screen_refs": sorted(d.reference for d in screened),
    }


def generate(
    work: Path,
    args: argparse.Namespace,
    old: Sequence[Designation],
    new: Sequence[Designation],
    report: dict[str, Any],
) -> list[Planted]:
    """Write the customer file and the planted side file; time it."""
    from bench import customers

    _say(f"generating {args.customers:,} customers")
    start = time.perf_counter()
    changed, unchanged = customers.plan(old, new, args.seed)
    rows = customers.planted_customers(changed, unchanged, seed=args.seed)
    planted = customers.write_registry(
        work / "customers.csv",
        work / "planted.csv",
        args.customers,
        rows,
        seed=args.seed,
        progress=lambda done: _say(f"  {done:,} customers written"),
    )
    report["generate"] = {
        "seconds": time.perf_counter() - start,
        "designations": len(changed),
        "entities": sum(1 for d in changed if d.schema.value != "person"),
        "unchanged": len(unchanged),
        "bytes": (work / "customers.csv").stat().st_size,
    }
    _say(f"  done in {report['generate']['seconds']:.1f} s; {len(planted)} planted")
    return planted


def step_import(work: Path) -> dict[str, Any]:
    """Import the customers with no list loaded (setup: indexes them, screens nothing)."""
    _say("importing customers (no list loaded)")
    run = measured(_self("import", work), "import")
    result: dict[str, Any] = json.loads((work / "import.json").read_text(encoding="utf-8"))
    return {**result, **_run_facts(run)}


def step_load(work: Path, relative: str | Path, label: str) -> dict[str, Any]:
    """`finmon lists load FILE` as a subprocess: wall time, memory, what it printed."""
    _say(label)
    (work / "timings.json").unlink(missing_ok=True)
    path = relative if isinstance(relative, Path) else _shared(relative)
    command = [*_self("cli", work), "--", "lists", "load", str(path)]
    run = measured(command, label, capture=True)
    timings = json.loads((work / "timings.json").read_text(encoding="utf-8"))
    facts: dict[str, Any] = {**_run_facts(run), "timings": timings, "printed": run.output}
    found = RESCREEN_LINE.search(run.output)
    if found:
        designations, candidates, alerts, reviews = (int(g) for g in found.groups())
        facts.update(
            designations=designations, candidates=candidates, alerts=alerts, reviews=reviews
        )
    _say(f"  {run.seconds:.1f} s: " + " ".join(run.output.split()))
    return facts


VERSION_NEXT = "2026-02-28"
NEXT_DAY_LISTED = 3
"""Persons delisted between 2020 and 2026 listed again in the next day's version."""
NEXT_DAY_AMENDED = 2
"""Persons of the 2026 version given a new alias in the next day's version."""


def write_next_day(work: Path) -> tuple[Path, dict[str, Any]]:
    """The UN list of the next day, as the UN publishes a typical day's change: the 2026-02-27
    file with a few persons listed (real entries of 2020-11-30 delisted since, listed again) and a
    few given a new alias, dated a day later. What a nightly run meets on most days."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    newer = etree.parse(str(_shared(UN_2026)), parser).getroot()
    older = etree.parse(str(_shared(UN_2020)), parser).getroot()
    people = newer.find("INDIVIDUALS")
    assert people is not None
    current = {_reference(e) for e in people.iter("INDIVIDUAL")}
    relisted = sorted(
        (e for e in older.iter("INDIVIDUAL") if _reference(e) not in current), key=_reference
    )[:NEXT_DAY_LISTED]
    for entry in relisted:
        people.append(entry)
    amended = []
    for entry in list(people.iter("INDIVIDUAL"))[:NEXT_DAY_AMENDED]:
        alias = etree.SubElement(entry, "INDIVIDUAL_ALIAS")
        etree.SubElement(alias, "QUALITY").text = "Good"
        given = entry.findtext("FIRST_NAME") or ""
        family = entry.findtext("SECOND_NAME") or ""
        etree.SubElement(alias, "ALIAS_NAME").text = f"{family} {given}".strip() + " Junior"
        amended.append(_reference(entry))
    newer.set("dateGenerated", f"{VERSION_NEXT}T00:00:09.554Z")
    path = work / f"un_consolidated_{VERSION_NEXT}.xml"
    path.write_bytes(etree.tostring(newer, xml_declaration=True, encoding="UTF-8"))
    return path, {"listed": [_reference(e) for e in relisted], "amended": amended}


def _reference(entry: Any) -> str:
    return (entry.findtext("REFERENCE_NUMBER") or "").strip()


def step_full(
    work: Path, args: argparse.Namespace, planted: Sequence[Planted], refs: Sequence[str]
) -> dict[str, Any]:
    """The full re-screen of every customer against the current lists, in a child process."""
    _say("full re-screen of every customer against the 2026 lists")
    watch = {"references": list(refs), "planted": [p.customer_id for p in planted]}
    (work / "watch.json").write_text(json.dumps(watch), encoding="utf-8")
    command = _self("full", work)
    if args.full_sample:
        command += ["--full-sample", str(args.full_sample)]
    run = measured(command, "full re-screen")
    result: dict[str, Any] = json.loads((work / "full.json").read_text(encoding="utf-8"))
    return {**result, **_run_facts(run)}


def step_profile(work: Path) -> dict[str, Any]:
    """The 2026 load again, on a copy of the store made before it, under cProfile, one worker
    (forked workers would hide the screening from the profile)."""
    import pstats

    _say("profiling the 2026 load on a copy of the store (one worker)")
    out = ROOT / "out"
    out.mkdir(exist_ok=True)
    stats_file = out / "delta-load-2026.prof"
    env = {"FINMON_HOME": str(work / "profile-home"), "FINMON_WORKERS": "1"}
    command = [sys.executable, "-m", "cProfile", "-o", str(stats_file), __file__]
    command += ["--child", "cli", "--work", str(work), "--"]
    command += ["lists", "load", str(_shared(UN_2026))]
    run = measured(command, "profiled load", capture=True, env=env)
    text = out / "delta-load-2026-profile.txt"
    with text.open("w", encoding="utf-8") as handle:
        stats = pstats.Stats(str(stats_file), stream=handle)
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(30)
    return {"seconds": run.seconds, "stats": str(stats_file), "text": str(text)}


def _shared(relative: str) -> Path:
    from bench.common import shared_data

    return shared_data(relative)


def _self(child: str, work: Path) -> list[str]:
    return [sys.executable, __file__, "--child", child, "--work", str(work)]


def _run_facts(run: Run) -> dict[str, Any]:
    return {"seconds": run.seconds, "rss_largest": run.largest, "rss_tree": run.tree}


def _say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- measuring subprocesses -------------------------------------------------------------------


class TreeMemory:
    """Samples the summed RSS of a process and its descendants; says how a long step goes."""

    def __init__(self, pid: int, label: str, every: float = 0.25, heartbeat: float = 60.0) -> None:
        self.pid, self.label, self.every, self.heartbeat = pid, label, every, heartbeat
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        import psutil  # type: ignore[import-untyped]

        start = last = time.perf_counter()
        while not self._stop.wait(self.every):
            try:
                process = psutil.Process(self.pid)
                members = [process, *process.children(recursive=True)]
                total = sum(_rss(member) for member in members)
            except psutil.Error:
                continue
            self.peak = max(self.peak, total)
            now = time.perf_counter()
            if now - last >= self.heartbeat:
                last = now
                _say(f"  {self.label}: {now - start:.0f} s, RSS now {total / 2**20:,.0f} MB")


def _rss(process: Any) -> int:
    try:
        return int(process.memory_info().rss)
    except Exception:  # a worker may end between listing and reading it
        return 0


def measured(
    command: list[str], label: str, capture: bool = False, env: dict[str, str] | None = None
) -> Run:
    """Run a command to completion; stderr passes through, stdout is kept when capture."""
    start = time.perf_counter()
    stdout = subprocess.PIPE if capture else None
    full_env = {**os.environ, **(env or {})}
    process = subprocess.Popen(command, cwd=ROOT, stdout=stdout, env=full_env, text=True)
    with TreeMemory(process.pid, label) as memory:
        # Read to the end without reaping, so that wait4 still gets the process's own usage.
        output = process.stdout.read() if process.stdout is not None else ""
        _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"{' '.join(command)} exited {process.returncode}:\n{output[-3000:]}")
    return Run(seconds, usage.ru_maxrss * 1024, memory.peak, output)


# --- child processes ------------------------------------------------------------------------


def run_cli(argv: Sequence[str], timings: Path) -> None:
    """`finmon ARGS` with the time of the main steps of a list load written to `timings`."""
    import importlib

    from finmon.cli import main as finmon_main

    totals: dict[str, float] = {}
    for module_name, name, label in TIMED:
        module = importlib.import_module(module_name)
        setattr(module, name, _timed(getattr(module, name), label, totals))
    sys.argv = ["finmon", *argv]
    try:
        finmon_main()
    finally:
        timings.write_text(json.dumps(totals), encoding="utf-8")


def _timed(inner: Callable[..., Any], label: str, totals: dict[str, float]) -> Callable[..., Any]:
    @functools.wraps(inner)
    def timed(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            totals[label] = totals.get(label, 0.0) + time.perf_counter() - start

    return timed


def run_import(work: Path, _args: argparse.Namespace) -> dict[str, Any]:
    """import_customers, as `finmon customers import` calls it, printing progress."""
    from finmon.settings import load_settings
    from finmon.store.customers import import_customers

    start = time.perf_counter()

    def progress(done: int) -> None:
        if done % 100_000 < 20_000:
            rate = done / (time.perf_counter() - start)
            _say(f"  {done:,} customers imported ({rate:,.0f}/s)")

    workers = load_settings().workers
    result = import_customers(
        work / "customers.csv", actor="bench", workers=workers, progress=progress
    )
    return {
        "inserted": result.inserted,
        "screened": result.screened,
        "alerts": result.alerts,
        "invalid": [str(p) for p in result.first_problems if p.skipped],
        "invalid_count": result.skipped,
        "problems": result.problems,
        "workers": workers,
        "in_process_seconds": time.perf_counter() - start,
    }


@dataclass
class _Sampling:
    """How many customers the full re-screen feeds its workers; lowered after the pilot."""

    total: int
    cap: int
    forced: bool


def run_full(work: Path, args: argparse.Namespace) -> dict[str, Any]:
    """Screen every stored customer (or a random sample) with the Screener over all current
    lists, as `finmon screen` does: screen_many with one worker per core, heap frozen."""
    from sqlalchemy import select

    from finmon.screening.screener import heap_frozen
    from finmon.settings import load_settings
    from finmon.store import default_database
    from finmon.store.models import Customer
    from finmon.store.screener import load_screener

    watch = json.loads((work / "watch.json").read_text(encoding="utf-8"))
    refs, planted = set(watch["references"]), set(watch["planted"])
    db, workers = default_database(), load_settings().workers
    start = time.perf_counter()
    screener = load_screener(db)
    built = time.perf_counter()
    with db.read() as session:
        ids = list(session.scalars(select(Customer.id).order_by(Customer.id)))
    random.Random(args.seed).shuffle(ids)
    listed = time.perf_counter()
    sampling = _Sampling(len(ids), args.full_sample or len(ids), bool(args.full_sample))
    tally = _Tally(refs, planted)
    with db.read() as session, heap_frozen():
        parties = _stored_parties(session, ids, sampling)
        for party, hits in screener.screen_many(parties, workers=workers):
            tally.add(party, hits)
            if tally.screened == PILOT and not sampling.forced:
                _maybe_sample(sampling, time.perf_counter() - listed)
            if tally.screened % 50_000 == 0:
                _full_progress(tally.screened, sampling, time.perf_counter() - listed)
        screened = time.perf_counter()
        rest = planted - tally.seen
        for party, hits in screener.screen_many(_by_id(session, rest), workers=workers):
            tally.add(party, hits, timed=False)
    return {
        "build_seconds": built - start,
        "ids_seconds": listed - built,
        "screen_seconds": screened - listed,
        "customers_total": sampling.total,
        "screened": tally.timed,
        "sampled": tally.timed < sampling.total,
        "workers": workers,
        "designations": len(screener.designations),
        "names": screener.name_count,
        "hits": tally.hits,
        "alerted": tally.alerted,
        "watched_hits": tally.watched,
        "planted_hits": tally.planted_hits,
        "planted_outside_sample": len(rest),
    }


@dataclass
class _Tally:
    """What the full re-screen found: counts, hits on watched designations, planted hits."""

    refs: set[str]
    planted: set[str]
    screened: int = 0
    timed: int = 0
    hits: int = 0
    alerted: int = 0
    seen: set[str] = field(default_factory=set)
    watched: list[tuple[str, str, float]] = field(default_factory=list)
    planted_hits: list[tuple[str, str, float]] = field(default_factory=list)

    def add(self, party: Party, hits: Sequence[Hit], timed: bool = True) -> None:
        """Count one screened customer."""
        self.screened += 1
        if timed:
            self.timed += 1
            self.hits += len(hits)
            self.alerted += bool(hits)
        if party.id in self.planted:
            self.seen.add(party.id)
            found = [(party.id, h.designation.reference, h.score) for h in hits]
            self.planted_hits.extend(found)
        if timed:
            self.watched.extend(
                (party.id, h.designation.reference, h.score)
                for h in hits
                if h.designation.reference in self.refs
            )


def _stored_parties(session: Any, ids: Sequence[str], sampling: _Sampling) -> Iterator[Party]:
    for start in range(0, len(ids), CHUNK):
        if start >= sampling.cap:
            return
        yield from _by_id(session, ids[start : start + CHUNK])


def _by_id(session: Any, ids: Iterable[str]) -> Iterator[Party]:
    from finmon.store.customer_index import load_customers

    for party, _fingerprint in load_customers(session, ids):
        yield party


def _maybe_sample(sampling: _Sampling, seconds: float) -> None:
    projected = seconds / PILOT * sampling.total
    if projected > FULL_LIMIT and sampling.total > MIN_SAMPLE:
        sampling.cap = MIN_SAMPLE
        _say(
            f"  everyone would take about {projected / 60:.0f} min: timing a random sample of "
            f"{MIN_SAMPLE:,} and scaling linearly"
        )


def _full_progress(done: int, sampling: _Sampling, seconds: float) -> None:
    goal = min(sampling.cap, sampling.total)
    left = (goal - done) * seconds / done
    _say(f"  {done:,} of {goal:,} screened ({done / seconds:,.0f}/s, about {left:.0f} s left)")


# --- checks -----------------------------------------------------------------------------------


def _alert_pairs(version: str) -> dict[str, Any]:
    """The alerts a list version raised (trigger "list"): pairs, counts and their scores."""
    from finmon.store.alerts import list_alerts

    rows = [r for r in list_alerts("all") if r.list_version == version and r.trigger == "list"]
    return {
        "count": len(rows),
        "customers": len({r.customer_id for r in rows}),
        "pairs": sorted({(r.customer_id, r.reference) for r in rows}),
        "scores": {f"{r.customer_id} {r.reference}": r.score for r in rows},
        "matched": {f"{r.customer_id} {r.reference}": r.matched_name for r in rows},
    }


def check_planted(
    planted: Sequence[Planted], after: dict[str, Any], before: dict[str, Any]
) -> dict[str, Any]:
    """Planted customers against the alerts: each one the change concerns must be alerted by the
    new version, or still be awaiting a decision on the alert the old version raised (an amended
    designation does not queue a second alert for the same pair); none of the unchanged ones may be
    alerted again (they were at the old one)."""
    from bench.customers import ALERT, NO_NEW_ALERT

    alerted = {tuple(pair) for pair in after["pairs"]}
    earlier = {tuple(pair) for pair in before["pairs"]}
    expected = [p for p in planted if p.expect == ALERT]
    control = [p for p in planted if p.expect == NO_NEW_ALERT]
    missed = [p for p in expected if (p.customer_id, p.reference) not in alerted | earlier]
    again = [p for p in control if (p.customer_id, p.reference) in alerted]
    return {
        "expected": len(expected),
        "found": len(expected) - len(missed),
        "missed": [_planted_dict(p) for p in missed],
        "found_pairs": [(p.customer_id, p.reference) for p in expected if p not in missed],
        "alerted_by_new_version": sum((p.customer_id, p.reference) in alerted for p in expected),
        "alerted_before_too": sum((p.customer_id, p.reference) in earlier for p in expected),
        "control": len(control),
        "control_alerted_before": sum((p.customer_id, p.reference) in earlier for p in control),
        "control_alerted_again": [_planted_dict(p) for p in again],
        "by_variant": _by_variant(expected, missed),
    }


def _by_variant(expected: Sequence[Planted], missed: Sequence[Planted]) -> dict[str, list[int]]:
    counts: dict[str, list[int]] = {}
    lost = {(p.customer_id, p.reference) for p in missed}
    for p in expected:
        found = (p.customer_id, p.reference) not in lost
        counts.setdefault(p.variant, [0, 0])[0] += found
        counts[p.variant][1] += 1
    return dict(sorted(counts.items()))


def _planted_dict(planted: Planted) -> dict[str, str]:
    return {
        "customer_id": planted.customer_id,
        "reference": planted.reference,
        "variant": planted.variant,
        "name": planted.name,
        "listed_name": planted.listed_name,
        "birth_date": planted.birth_date,
    }


def _explain_missed(missed: Sequence[dict[str, str]], new: Sequence[Designation]) -> dict[str, str]:
    """For each missed planted customer, its best score against its own designation alone."""
    if not missed:
        return {}
    from finmon.screening import Screener
    from finmon.store import default_database
    from finmon.store.customer_index import load_customers

    by_reference = {d.reference: d for d in new}
    wanted = {m["customer_id"]: m["reference"] for m in missed}
    with default_database().read() as session:
        stored = [party for party, _ in load_customers(session, wanted)]
    scores = {}
    for party in stored:
        hits = Screener([by_reference[wanted[party.id]]]).screen(party, threshold=0.0)
        scores[party.id] = (
            f"score {hits[0].score:.3f} against its designation alone"
            if hits
            else "not even a candidate of its designation alone"
        )
    return scores


def _explain_extra(extra: Sequence[list[Any]], after: dict[str, Any]) -> list[str]:
    """Why the full re-screen did not report an alert of the delta: where the name the alert
    matched ranks among the full Screener's candidates for the customer (it scores only the
    first MAX_CANDIDATES)."""
    if not extra:
        return []
    from finmon.screening.index import MAX_CANDIDATES
    from finmon.store import default_database
    from finmon.store.customer_index import load_customers
    from finmon.store.screener import load_screener

    db = default_database()
    screener = load_screener(db)
    position = {d.reference: i for i, d in enumerate(screener.designations)}
    wanted = {customer: reference for customer, reference, _score in extra}
    with db.read() as session:
        stored = [party for party, _ in load_customers(session, wanted)]
    lines = []
    for party in stored:
        reference = wanted[party.id]
        matched = after["matched"][f"{party.id} {reference}"]
        rank, count = _candidate_rank(screener, party, position[reference], matched)
        place = f"ranks {rank} of {count}" if rank else f"is not among the {count}"
        lines.append(
            f"{party.id} {party.names[0]!r} -> {reference} as {matched!r}: that name {place} "
            f"candidates of the full Screener, which scores the first {MAX_CANDIDATES}"
        )
    return lines


def _candidate_rank(screener: Any, party: Party, listed: int, matched: str) -> tuple[int, int]:
    """(1-based rank of the designation's name `matched` among the candidates of the party's
    names, 0 when absent; how many candidates there were)."""
    from finmon.names.parts import analyse_name

    best, count = 0, 0
    for name in party.names:
        entries = screener.index.candidates(analyse_name(name, party.schema), limit=10**9)
        count = max(count, len(entries))
        for rank, entry in enumerate(entries, 1):
            indexed = screener.index.names[entry]
            if indexed.designation == listed and indexed.name.full == matched:
                best = rank if not best else min(best, rank)
    return best, count


def unpruned_candidates(old: Sequence[Designation], new: Sequence[Designation]) -> dict[str, Any]:
    """A diagnostic after the measured load: the delta's candidate search for the same change
    without its coverage-bound pruning (floor=None), timed in this process."""
    from finmon.lists.diff import diff_designations
    from finmon.screening import Screener
    from finmon.store import default_database
    from finmon.store.customer_index import candidate_customers
    from finmon.store.rescreen import to_screen

    _say("diagnostic: the delta's candidate search without pruning")
    names = [e.analysed for e in Screener(to_screen(diff_designations(old, new))).index.names]
    with default_database().read() as session:
        start = time.perf_counter()
        found = candidate_customers(session, [([name], None) for name in names])
        seconds = time.perf_counter() - start
    return {"seconds": seconds, "candidates": len(found), "names": len(names)}


def check_agreement(
    full: dict[str, Any], after: dict[str, Any], before: dict[str, Any]
) -> dict[str, Any]:
    """Every hit of the full re-screen on a designation the change must screen must be an alert
    of the delta, or have one from the old version still awaiting a decision (nobody decides in
    this benchmark); alerts of the delta the full re-screen did not report are counted too."""
    alerted = {tuple(pair) for pair in after["pairs"]}
    awaiting = {tuple(pair) for pair in before["pairs"]}
    hits = {(c, r): s for c, r, s in full["watched_hits"]}
    screened_all = not full["sampled"]
    missing = sorted(pair for pair in hits if pair not in alerted and pair not in awaiting)
    extra = sorted(pair for pair in alerted if pair not in hits) if screened_all else []
    planted_found = {(c, r) for c, r, _ in full["planted_hits"]}
    return {
        "full_pairs": len(hits),
        "already_awaiting": sum(pair in awaiting and pair not in alerted for pair in hits),
        "missing": [[c, r, hits[(c, r)]] for c, r in missing],
        "extra": [[c, r, after["scores"].get(f"{c} {r}")] for c, r in extra],
        "compared_all": screened_all,
        "planted_found_by_full": sorted(planted_found),
    }


# --- report -------------------------------------------------------------------------------


def render(report: dict[str, Any]) -> str:
    """The figures as Markdown: context, one table of steps, the acceptance lines, the checks."""
    lists, gen = report["lists"], report["generate"]
    changes = lists["changes"]
    n = report["customers"]
    lines = [
        f"Run {report['date']} on {machine()}, {report['code']}; load average "
        f"{report['load_start']:.1f} at the start, {report['load_end']:.1f} at the end (the "
        "machine is shared: other work slows every step). Store: "
        f"{report['store']} in a fresh FINMON_HOME.",
        "",
        f"Lists: UN {VERSION_2020} ({lists['old']:,} designations), then UN {VERSION_2026} "
        f"({lists['new']:,}): {changes['added']} added, {changes['removed']} removed, "
        f"{changes['amended']} amended, of which {lists['to_screen']} must be screened (new, or "
        f"amended in their matching data; {lists['to_screen_persons']} persons). Customers: "
        f"{n:,} from `bench/customers.py` (seed {report['seed']}): Kazakh, Russian, Arabic, "
        "Central Asian, Turkish and Western names in Cyrillic, Latin and Arabic script, and "
        f"firms; among them {report['planted']['expected']} planted customers of "
        f"{gen['designations']} of the designations the change must screen "
        f"({gen['designations'] - gen['entities']} persons, {gen['entities']} organisations) and "
        f"{report['planted']['control']} of designations it left unchanged.",
        "",
        "| step | seconds | per second | peak RSS | notes |",
        "|---|---:|---:|---:|---|",
        *step_rows(report),
        "",
        *acceptance(report),
        "",
        *checks(report),
        *diagnostics(report),
        "",
        METHOD,
        "",
        f"Reproduce: `{command_line(report)}`",
    ]
    return "\n".join(lines)


METHOD = (
    "How: the import and the full re-screen run in child processes of the benchmark, the list "
    "loads as `finmon lists load FILE` subprocesses whose wall time includes start-up; each "
    "reports the time of its main functions (parse, diff, the delta's candidate search, alert "
    "writing). The full re-screen builds a Screener over the current lists from the store, reads "
    "every customer back from it and runs `Screener.screen_many` with one forked worker per core "
    "and the heap frozen, as `finmon screen` does; it raises no alerts. Peak RSS: the largest "
    "process (getrusage), then the process tree summed (sampled every 0.25 s; pages shared with "
    "forked workers count once per process)."
)


def _mb(size: int) -> str:
    return f"{size / 2**20:,.0f} MB"


def _memory(step: dict[str, Any]) -> str:
    return f"{_mb(step['rss_largest'])}; tree {_mb(step['rss_tree'])}"


def step_rows(report: dict[str, Any]) -> list[str]:
    """One row per step."""
    n, gen, imp = report["customers"], report["generate"], report["import"]
    old, new, full = report["load_2020"], report["load_2026"], report["full"]
    t = new["timings"]
    rescreen = t.get("delta re-screen", 0.0)
    screening = rescreen - t.get("candidates", 0.0) - t.get("alerts", 0.0)
    screening -= t.get("release reviews", 0.0)
    total = full_seconds(full)
    rows = [
        f"| generate the customer file | {gen['seconds']:,.1f} | {n / gen['seconds']:,.0f} | - | "
        f"{gen['bytes'] / 2**20:,.1f} MB of CSV |",
        f"| import customers, no list loaded (setup) | {imp['seconds']:,.1f} | "
        f"{imp['inserted'] / imp['seconds']:,.0f} | {_memory(imp)} | `import_customers`, "
        f"{imp['workers']} workers: {imp['inserted']:,} new, {imp['invalid_count']} rejected, "
        "indexed for delta screening, nothing to screen against |",
        f"| load UN {VERSION_2020} (setup) | {old['seconds']:,.1f} | - | {_memory(old)} | "
        f"{old.get('designations', 0):,} designations screened: {old.get('candidates', 0):,} "
        f"customers checked, {old.get('alerts', 0):,} alerts; {_timing_note(old['timings'])} |",
        f"| **load UN {VERSION_2026}, end to end** | **{new['seconds']:,.1f}** | - | "
        f"{_memory(new)} | `finmon lists load`: parse + diff + delta re-screen + alerts, one "
        f"transaction; {_timing_note(t)} |",
        f"| of which the delta re-screen | {rescreen:,.2f} | "
        f"{new.get('candidates', 0) / max(rescreen, 1e-9):,.0f} | - | "
        f"{new.get('designations', 0)} designations; candidate search {t.get('candidates', 0):.2f}"
        f" s -> {new.get('candidates', 0):,} customers; screening them {screening:.2f} s; "
        f"{new.get('alerts', 0):,} alerts written in {t.get('alerts', 0):.2f} s |",
        f"| full re-screen of every customer | {total:,.1f} | {n / total:,.0f} | {_memory(full)} "
        f"| {_full_note(full)} |",
    ]
    day = report.get("next_day")
    if day is not None:
        change = report["next_day_change"]
        d = day["timings"]
        rows.append(
            f"| **load UN {VERSION_NEXT}, a day's change, end to end** | **{day['seconds']:,.2f}**"
            f" | - | {_memory(day)} | {len(change['listed'])} persons listed "
            f"({', '.join(change['listed'])}: entries of {VERSION_2020} delisted since, listed "
            f"again) and {len(change['amended'])} given an alias ({', '.join(change['amended'])});"
            f" {day.get('designations', 0)} designations screened, candidate search "
            f"{d.get('candidates', 0):.2f} s -> {day.get('candidates', 0):,} customers, "
            f"{day.get('alerts', 0)} alerts; {_timing_note(d)} |"
        )
    return rows


def _timing_note(timings: dict[str, float]) -> str:
    order = ("parse", "read previous version", "diff", "store designations", "delta re-screen")
    parts = [f"{label} {timings[label]:.2f} s" for label in order if label in timings]
    if "load transaction" in timings:
        parts.append(f"whole transaction {timings['load transaction']:.2f} s")
    return ", ".join(parts)


def full_seconds(full: dict[str, Any]) -> float:
    """Seconds of a full re-screen of everyone: measured, or scaled up from the sample."""
    scale = full["customers_total"] / max(1, full["screened"])
    return float(full["build_seconds"] + full["ids_seconds"] + full["screen_seconds"] * scale)


def _full_note(full: dict[str, Any]) -> str:
    note = (
        f"{full['designations']:,} designations, {full['names']:,} names, Screener built in "
        f"{full['build_seconds']:.2f} s; {full['workers']} workers; {full['hits']:,} hits on "
        f"{full['alerted']:,} customers"
    )
    if full["sampled"]:
        note += (
            f"; SAMPLED: {full['screened']:,} random customers timed in "
            f"{full['screen_seconds']:,.1f} s, scaled linearly to {full['customers_total']:,}"
        )
    return note


def acceptance(report: dict[str, Any]) -> list[str]:
    """The issue's targets with the measured figures."""
    planted, new, full = report["planted"], report["load_2026"], report["full"]
    rescreen = new["timings"].get("delta re-screen", 0.0)
    total = full_seconds(full)
    ratio, whole = total / max(rescreen, 1e-9), total / new["seconds"]
    found, expected = planted["found"], planted["expected"]
    missed = {(m["customer_id"], m["reference"]) for m in planted["missed"]}
    by_full = {(c, r) for c, r in report["agreement"]["planted_found_by_full"]}
    found_line = f"- every planted hit found by the delta: {found} of {expected}: " + (
        "met" if not missed else "MISSED"
    )
    if missed:
        found_line += (
            f" ({len(missed - by_full)} of the {len(missed)} missed are not found by the full "
            f"re-screen either: scored below the threshold by the matcher, whatever the "
            f"screening path; {len(missed & by_full)} are missed by the delta alone)"
        )
    in_time = new["seconds"] < ACCEPT_SECONDS
    daily = []
    day = report.get("next_day")
    if day is not None:
        day_rescreen = day["timings"].get("delta re-screen", 0.0)
        day_ratio = total / max(day_rescreen, 1e-9)
        daily = [
            f"- a day's change ({VERSION_2026} -> {VERSION_NEXT}, "
            f"{day.get('designations', 0)} designations to screen): full re-screen / delta "
            f"re-screen {day_ratio:,.0f}x ({total:,.1f} s / {day_rescreen:.2f} s; "
            + ("at least" if day_ratio >= ACCEPT_RATIO else "BELOW")
            + f" {ACCEPT_RATIO:.0f}x); full re-screen / the whole `finmon lists load` "
            f"{total / day['seconds']:,.0f}x ({total:,.1f} s / {day['seconds']:.2f} s)",
        ]
    return [
        found_line,
        f"- full re-screen / delta re-screen: {ratio:,.1f}x ({total:,.1f} s / {rescreen:.2f} s; "
        f"target >= {ACCEPT_RATIO:.0f}x): " + ("met" if ratio >= ACCEPT_RATIO else "MISSED"),
        *daily,
        f"- full re-screen / the whole `finmon lists load`: {whole:,.1f}x "
        f"({total:,.1f} s / {new['seconds']:.1f} s)",
        f"- new list version to freeze proposals (alerts awaiting review): {new['seconds']:.1f} s "
        f"end to end (target < {ACCEPT_SECONDS:.0f} s): "
        + ("met" if in_time else "MISSED")
        + f"; alerts stand for {found} of the {expected} planted hits",
    ]


def checks(report: dict[str, Any]) -> list[str]:
    """The correctness checks beside the targets."""
    planted, agree, full = report["planted"], report["agreement"], report["full"]
    by_full = {tuple(pair) for pair in agree["planted_found_by_full"]}
    variants = ", ".join(f"{k} {v[0]}/{v[1]}" for k, v in planted["by_variant"].items())
    lines = [
        f"- planted hits by variant (found/planted): {variants}; "
        f"{planted['alerted_by_new_version']} alerted by the new version; "
        f"{planted['alerted_before_too']} (designations amended since) already had an alert from "
        f"the {VERSION_2020} load awaiting a decision, which an amendment does not duplicate",
        f"- unchanged designations' planted customers: {planted['control_alerted_before']} of "
        f"{planted['control']} alerted at the {VERSION_2020} load, "
        f"{len(planted['control_alerted_again'])} alerted again by the delta (must be 0)",
    ]
    for item in planted["missed"]:
        pair = (item["customer_id"], item["reference"])
        who = (
            "the full re-screen FOUND it" if pair in by_full else "the full re-screen missed it too"
        )
        alone = planted["missed_detail"].get(item["customer_id"], "")
        lines.append(
            f"  - MISSED by the delta: {item['customer_id']} {item['name']!r} ({item['variant']} "
            f"of {item['listed_name']!r}, {item['reference']}): {alone}; {who}"
        )
    for item in planted["control_alerted_again"]:
        lines.append(f"  - alerted again: {item['customer_id']} {item['name']!r}")
    found = {(c, r) for c, r in planted["found_pairs"]}
    missed = {(m["customer_id"], m["reference"]) for m in planted["missed"]}
    lines.append(
        f"- planted hits the full re-screen found and the delta missed: {len(missed & by_full)}; "
        f"planted hits the delta found and the full re-screen did not: {len(found - by_full)}"
    )
    scope = "every customer" if agree["compared_all"] else f"the {full['screened']:,} sampled"
    lines.append(
        f"- agreement on the designations the change must screen, over {scope}: the full "
        f"re-screen has {agree['full_pairs']:,} hits (score >= 0.8) on them; "
        f"{agree.get('already_awaiting', 0):,} of these already had an alert from the old "
        "version awaiting a decision; "
        f"{len(agree['missing'])} are neither that nor alerts of the delta (must be 0)"
        + (
            f"; the delta raised {len(agree['extra']):,} alerts the full re-screen did not report"
            if agree["compared_all"]
            else ""
        )
    )
    lines += [
        f"  - not alerted by the delta: {c} {r} score {s:.3f}" for c, r, s in agree["missing"]
    ]
    scores = {(c, r): s for c, r, s in agree["extra"]}
    lines += [f"  - delta only: {line}" for line in agree.get("extra_detail", [])]
    if scores:
        listed = ", ".join(f"{s:.3f}" for s in sorted(scores.values()) if s is not None)
        lines.append(f"  - their scores: {listed}")
    return lines


def diagnostics(report: dict[str, Any]) -> list[str]:
    """Where the delta's time goes, for whoever speeds it up."""
    new, unpruned = report["load_2026"], report.get("unpruned")
    if not unpruned:
        return []
    searched = new["timings"].get("candidates", 0.0)
    return [
        f"- the delta's candidate search for the {unpruned['names']} names of the "
        f"{new.get('designations', 0)} designations: {searched:.1f} s with its coverage-bound "
        f"pruning, leaving {new.get('candidates', 0):,} customers to screen; without the pruning "
        f"(floor=None, timed in process after the run) {unpruned['seconds']:.1f} s for "
        f"{unpruned['candidates']:,} customers",
    ]


def command_line(report: dict[str, Any]) -> str:
    """The command that reproduces the run."""
    command = f"python bench/delta.py --customers {report['customers']}"
    from bench.customers import SEED

    if report["seed"] != SEED:
        command += f" --seed {report['seed']}"
    return command


if __name__ == "__main__":
    main()
