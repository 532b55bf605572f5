"""Speed of finmon screening beside the brute-force floor and a logic-v2 stand-in, in one run.

    python bench/speed.py [--names 50000] [--quick] [--parts cli,finmon,floor,standin]

Lists: UN 2026-02-27 and OFAC SDN 2021-07. Queries: the UN positives plus the first negatives of
the synthetic US population, N in all. Every measured part runs in its own fresh process so that
its peak RSS is its own; the results go to a table and to the Speed section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from common import (
    LOGIC_V2_THRESHOLD,
    OFAC_SDN_2021,
    ROOT,
    UN_2026,
    code_version,
    machine,
    read_rows,
    shared_data,
    write_rows,
)

NEGATIVES = "eval/negatives_us.csv"
POSITIVES = "eval/positives_un.csv"
PARTS = ("cli", "finmon", "floor", "standin")
REPEATED = ("cli", "floor", "standin")
SEED = 20260227
FLOOR_CUTOFF = 0.9
FLOOR_CHUNK = 2_000
QUICK_FLOOR_NAMES = 5_000
STANDIN_CANDIDATES = 50
PUNCTUATION = re.compile(r"[^\w\s]|_")


def main() -> None:
    """Run the benchmark, or one measured part of it when called as a child process."""
    args = _arguments()
    if args.child:
        runners = {"finmon": run_finmon, "floor": run_floor, "standin": run_standin}
        work = Path(args.work)
        result = runners[args.child](work, args)
        (work / f"{args.child}.json").write_text(json.dumps(result), encoding="utf-8")
        return
    results = run_benchmark(args)
    text = render(results)
    print(text)
    if not args.no_docs:
        write_docs(ROOT / "docs" / "benchmarks.md", text)
        print("\nSpeed section written to docs/benchmarks.md")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--names", type=int, default=50_000, help="query names to screen")
    parser.add_argument("--quick", action="store_true", help="smaller samples, extrapolated")
    parser.add_argument("--parts", default=",".join(PARTS), help="comma-separated parts to run")
    parser.add_argument("--sample", type=int, default=0, help="stand-in sample (default 400)")
    parser.add_argument("--latency-calls", type=int, default=0, help="default 2000")
    parser.add_argument(
        "--repeat", type=int, default=0, help="runs of CLI, floor, stand-in (default 3)"
    )
    parser.add_argument("--profile", action="store_true", help="cProfile finmon's batch")
    parser.add_argument("--no-docs", action="store_true", help="do not touch docs/benchmarks.md")
    parser.add_argument("--child", choices=PARTS[1:], help=argparse.SUPPRESS)
    parser.add_argument("--work", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.sample = args.sample or (150 if args.quick else 400)
    args.latency_calls = args.latency_calls or (500 if args.quick else 2_000)
    args.repeat = args.repeat or (1 if args.quick else 3)
    return args


def run_benchmark(args: argparse.Namespace) -> dict[str, Any]:
    """Prepare the workload once, then measure each requested part on it."""
    parts = [part for part in args.parts.split(",") if part]
    with tempfile.TemporaryDirectory(prefix="finmon-speed-") as tmp:
        work = Path(tmp)
        results: dict[str, Any] = {"setup": prepare_workload(work, args)}
        if "cli" in parts:
            load_lists(work)
        for part in [part for part in parts if part not in REPEATED]:
            print(f"-- {part}", file=sys.stderr, flush=True)
            results[part] = measure_child(part, work, args)
        results.update(measure_repeated([part for part in parts if part in REPEATED], work, args))
    given = [arg for arg in sys.argv[1:] if arg not in {"--no-docs", "--profile"}]
    results["setup"]["command"] = " ".join(given or [f"--names {args.names}"])
    return results


def measure_repeated(parts: list[str], work: Path, args: argparse.Namespace) -> dict[str, Any]:
    """Parts run in alternation several times; the fastest run of each is kept, since other work
    on the machine only ever adds time."""
    runs: dict[str, list[dict[str, Any]]] = {part: [] for part in parts}
    for number in range(1, args.repeat + 1):
        for part in parts:
            print(f"-- {part}, run {number} of {args.repeat}", file=sys.stderr, flush=True)
            measured = measure_cli(work) if part == "cli" else measure_child(part, work, args)
            runs[part].append(measured)
    best = {part: min(found, key=lambda run: float(run["seconds"])) for part, found in runs.items()}
    return {part: {**best[part], "runs": [run["seconds"] for run in runs[part]]} for part in parts}


def prepare_workload(work: Path, args: argparse.Namespace) -> dict[str, Any]:
    """Pick the queries and the stand-in's sample; write them, and the list names for the floor."""
    from common import load_ofac, load_un

    designations = load_un() + load_ofac()
    names = [name.full for item in designations for name in item.names]
    queries = select_queries(args.names)
    sample = sample_queries(queries, args.sample)
    workload = {"queries": queries, "sample": sample}
    (work / "workload.json").write_text(json.dumps(workload), encoding="utf-8")
    floor = {"list_names": names, "queries": [query["full_name"] for query in queries]}
    (work / "floor-input.json").write_text(json.dumps(floor), encoding="utf-8")
    csv_rows: list[dict[str, object]] = [dict(query) for query in queries]
    write_rows(work / "queries.csv", csv_rows)
    positives = sum(1 for query in queries if query["id"].startswith("p"))
    return {
        "load_average": os.getloadavg()[0],
        "designations": len(designations),
        "list_names": len(names),
        "queries": len(queries),
        "positives": positives,
        "sample": len(sample),
    }


def select_queries(total: int) -> list[dict[str, str]]:
    """The UN positives (at most half of the total), then negatives: `total` rows in the CLI's
    input layout, ids p0... for positives and n... for negatives."""
    columns = ("full_name", "date_of_birth", "nationality")
    positives = read_rows(shared_data(POSITIVES))[: total // 2]
    negatives = read_rows(shared_data(NEGATIVES))[: total - len(positives)]
    if len(positives) + len(negatives) < total:
        raise SystemExit(f"only {len(positives) + len(negatives)} query rows, {total} asked")
    tagged = [("p", row) for row in positives] + [("n", row) for row in negatives]
    return [
        {"id": f"{tag}{number}", **{column: row[column] for column in columns}}
        for number, (tag, row) in enumerate(tagged)
    ]


def sample_queries(queries: list[dict[str, str]], size: int) -> list[int]:
    """A fixed-seed sample of query indices: a quarter positives, the rest negatives."""
    draw = random.Random(SEED)
    positives = [i for i, query in enumerate(queries) if query["id"].startswith("p")]
    negatives = [i for i, query in enumerate(queries) if query["id"].startswith("n")]
    chosen = draw.sample(positives, min(len(positives), size // 4))
    chosen += draw.sample(negatives, min(len(negatives), size - len(chosen)))
    return sorted(chosen)


def run_measured(command: list[str], log: Path) -> tuple[float, int]:
    """Run a command to completion; its wall seconds and its own peak RSS in bytes."""
    start = time.perf_counter()
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise SystemExit(f"{' '.join(command)} exited {process.returncode}:\n{tail}")
    return seconds, usage.ru_maxrss * 1024


def finmon_command(home: Path) -> list[str]:
    """`finmon` under a private FINMON_HOME, run from this tree's package as its script runs it.

    The console script would import whichever finmon is installed; this runs the one beside the
    benchmark, the same code the in-process parts measure."""
    launch = "import sys; from finmon.cli import main; sys.exit(main())"
    return ["env", f"FINMON_HOME={home}", sys.executable, "-c", launch]


def load_lists(work: Path) -> None:
    """Load both lists into the private FINMON_HOME with `finmon lists load`."""
    command = finmon_command(work / "home")
    for files in ((UN_2026,), OFAC_SDN_2021):
        paths = [str(shared_data(name)) for name in files]
        run_measured([*command, "lists", "load", *paths], work / "load.log")


def measure_cli(work: Path) -> dict[str, Any]:
    """Time `finmon screen` on the query file, the lists being loaded already."""
    command = finmon_command(work / "home")
    output = work / "screened.csv"
    screen = [*command, "screen", str(work / "queries.csv"), "--output", str(output)]
    seconds, rss = run_measured(screen, work / "screen.log")
    rows = read_rows(output) if output.exists() else []
    log = (work / "screen.log").read_text(encoding="utf-8", errors="replace").splitlines()
    summary = [line.strip() for line in log if line.startswith("screened ")]
    return {
        "seconds": seconds,
        "rss": rss,
        "output_rows": len(rows),
        "summary": summary[-1] if summary else "",
    }


def measure_child(part: str, work: Path, args: argparse.Namespace) -> dict[str, Any]:
    """Run one part in a fresh interpreter; its result plus its peak RSS."""
    command = [sys.executable, __file__, "--child", part, "--work", str(work)]
    command += ["--latency-calls", str(args.latency_calls)]
    command += ["--quick"] * args.quick + ["--profile"] * args.profile
    _, rss = run_measured(command, work / f"{part}.log")
    print((work / f"{part}.log").read_text(encoding="utf-8"), file=sys.stderr, end="")
    result: dict[str, Any] = json.loads((work / f"{part}.json").read_text(encoding="utf-8"))
    result["rss"] = rss
    return result


def normalise(name: str) -> str:
    """The floor's simple normalisation: uppercase, punctuation to spaces, single spaces."""
    return " ".join(PUNCTUATION.sub(" ", name.upper()).split())


def run_floor(work: Path, args: argparse.Namespace) -> dict[str, Any]:
    """Brute force: Jaro-Winkler of every query name against every list name, on all cores."""
    import numpy as np
    from rapidfuzz import process
    from rapidfuzz.distance import JaroWinkler

    data = json.loads((work / "floor-input.json").read_text(encoding="utf-8"))
    choices = [normalise(name) for name in data["list_names"]]
    names: list[str] = data["queries"]
    measured = names[:QUICK_FLOOR_NAMES] if args.quick else names
    best = np.zeros(len(measured), dtype=np.float32)
    start = time.perf_counter()
    # Chunks keep the score matrix near 200 MB; one matrix for 50,000 names would need 5 GB.
    for first in range(0, len(measured), FLOOR_CHUNK):
        chunk = [normalise(name) for name in measured[first : first + FLOOR_CHUNK]]
        scores = process.cdist(
            chunk,
            choices,
            scorer=JaroWinkler.normalized_similarity,
            score_cutoff=FLOOR_CUTOFF,
            workers=-1,
        )
        best[first : first + len(chunk)] = scores.max(axis=1)
    seconds = time.perf_counter() - start
    return {
        "measured_names": len(measured),
        "seconds": seconds * len(names) / len(measured),
        "extrapolated": len(measured) < len(names),
        "over_cutoff": int((best >= FLOOR_CUTOFF).sum()),
    }


def run_finmon(work: Path, args: argparse.Namespace) -> dict[str, Any]:
    """finmon in process, as bench/latency.py measures it."""
    from latency import run_finmon as measure

    return measure(work / "queries.csv", args.latency_calls, SEED, args.profile)


def run_standin(work: Path, args: argparse.Namespace) -> dict[str, Any]:
    """yente's logic-v2 on the top candidates of a rapidfuzz prefilter, per sampled query."""
    from common import (
        Prefilter,
        designation_entity,
        fold,
        load_ofac,
        load_un,
        logic_v2_score,
        party_entity,
        row_party,
    )
    from rapidfuzz import fuzz, process

    un, ofac = load_un(), load_ofac()
    entities = [designation_entity(item) for item in un + ofac]
    keys = Prefilter(un + ofac)
    workload = json.loads((work / "workload.json").read_text(encoding="utf-8"))
    # The first comparison loads nomenklatura's reference data; a running yente has it loaded.
    logic_v2_score(entities[0], entities[1])
    rows = []
    for index in workload["sample"]:
        query = workload["queries"][index]
        start = time.perf_counter()
        found = process.extract(
            fold(query["full_name"]),
            keys.keys,
            scorer=fuzz.token_sort_ratio,
            limit=STANDIN_CANDIDATES,
        )
        middle = time.perf_counter()
        entity = party_entity(row_party(query, query["id"]))
        candidates = dict.fromkeys(keys.owner[position] for _, _, position in found)
        hits = [c for c in candidates if logic_v2_score(entity, entities[c]) >= LOGIC_V2_THRESHOLD]
        end = time.perf_counter()
        rows.append(
            [index, middle - start, end - middle, bool(hits), any(c < len(un) for c in hits)]
        )
    return {"rows": rows, "seconds": sum(row[1] + row[2] for row in rows)}


def standin_summary(results: dict[str, Any]) -> dict[str, Any]:
    """Stand-in time extrapolated to all N queries, and its recall beside finmon's on the sample."""
    setup, rows = results["setup"], results["standin"]["rows"]
    positive = [row for row in rows if row[0] < setup["positives"]]
    negative = [row for row in rows if row[0] >= setup["positives"]]
    mean = [sum(r[1] + r[2] for r in group) / max(1, len(group)) for group in (positive, negative)]
    seconds = mean[0] * setup["positives"] + mean[1] * (setup["queries"] - setup["positives"])
    finmon = results.get("finmon", {}).get("un_hit")
    return {
        "seconds": seconds,
        "all_cores": seconds / len(os.sched_getaffinity(0)),
        "scoring_share": sum(r[2] for r in rows) / sum(r[1] + r[2] for r in rows),
        "recall": sum(r[4] for r in positive),
        "finmon_recall": sum(finmon[r[0]] for r in positive) if finmon else "not run",
        "finmon_alerts": sum(finmon[r[0]] for r in negative) if finmon else "not run",
        "positives": len(positive),
        "alerts": sum(r[3] for r in negative),
        "negatives": len(negative),
    }


def _row(label: str, seconds: float, names: int, rss: int | None, note: str) -> str:
    memory = f"{rss / 2**20:,.0f} MB" if rss else "-"
    return f"| {label} | {seconds:,.2f} | {names / seconds:,.0f} | {memory} | {note} |"


def _runs(part: dict[str, Any]) -> str:
    times = ", ".join(f"{seconds:.1f}" for seconds in part["runs"])
    return f"fastest of {len(part['runs'])} runs ({times} s)" if len(part["runs"]) > 1 else "1 run"


def _verdict(ratio: float, target: float) -> str:
    return "met" if ratio >= target else f"MISSED, needs {target / ratio:.2f}x more speed"


METHOD = (
    "How: the floor normalises names (uppercase, punctuation to spaces) and scores every query "
    "name against every list name, 2,000 query rows per `cdist` call. The stand-in takes the 50 "
    "list names nearest by `token_sort_ratio` (`process.extract` over ASCII-folded names) and "
    "scores their designations with nomenklatura's logic-v2 (default configuration, yente's 0.7 "
    "threshold); loading its reference data is left out of its time. A positive counts as found "
    "when a UN designation is among its hits."
)


def render(results: dict[str, Any]) -> str:
    """The results as Markdown: the context, one table, the targets with their ratios."""
    setup, n = results["setup"], results["setup"]["queries"]
    stand = standin_summary(results) if "standin" in results else None
    lines = [
        f"Run {time.strftime('%Y-%m-%d')} on {machine()}, {code_version()}; load average "
        f"{setup['load_average']:.1f} at the start, {os.getloadavg()[0]:.1f} at the end (other "
        "work on the machine slows every part). Lists: UN 2026-02-27 + OFAC SDN 2021-07, "
        f"{setup['designations']:,} designations, {setup['list_names']:,} names (primary + "
        f"aliases). Queries: {n:,} people, {setup['positives']} of them UN positives, the rest "
        "synthetic negatives.",
        "",
        "| what | seconds for all queries | names/s | peak RSS | notes |",
        "|---|---:|---:|---:|---|",
        *table_rows(results, stand),
        "",
        *targets(results, stand),
        "",
        METHOD,
        "",
        f"Reproduce: `python bench/speed.py {setup['command']}`",
    ]
    return "\n".join(lines)


def table_rows(results: dict[str, Any], stand: dict[str, Any] | None) -> list[str]:
    """One table row per measured part."""
    cli, fin, floor = results.get("cli"), results.get("finmon"), results.get("floor")
    n, rows = results["setup"]["queries"], []
    if cli:
        note = (
            f"subprocess wall time, start-up included, {_runs(cli)}; {cli['output_rows']:,} "
            "output rows; RSS of its largest process (forked workers share the index)"
        )
        rows.append(_row("finmon CLI `screen`", cli["seconds"], n, cli["rss"], note))
    if fin:
        note = f"index of {fin['indexed_names']:,} names built in {fin['build_seconds']:.2f} s"
        rows.append(_row("finmon in process, 1 worker", fin["seconds"], n, fin["rss"], note))
        label = f"finmon in process, {fin['workers']} forked workers"
        note = "`screen_many(parties, workers=...)`, the CLI's default worker count"
        rows.append(_row(label, fin["forked_seconds"], n, None, note))
    if floor:
        note = (
            f"Jaro-Winkler `cdist`, workers=-1, score_cutoff {FLOOR_CUTOFF} "
            f"(reached by {floor['over_cutoff']:,} of the {floor['measured_names']:,} query names "
            f"timed), {_runs(floor)}"
        )
        if floor["extrapolated"]:
            note += f"; timed on {floor['measured_names']:,} names, extrapolated linearly"
        rows.append(_row("floor: rapidfuzz, all cores", floor["seconds"], n, floor["rss"], note))
    if stand:
        note = (
            f"timed on {results['setup']['sample']} sampled queries, extrapolated to N, "
            f"{_runs(results['standin'])} of the sample; {stand['scoring_share']:.0%} of it in "
            "logic-v2, the rest in the prefilter"
        )
        rss = results["standin"]["rss"]
        rows.append(_row("logic-v2 stand-in, 1 process", stand["seconds"], n, rss, note))
        note = "1-process time divided by nproc (perfect scaling granted)"
        rows.append(_row("logic-v2 stand-in, all cores", stand["all_cores"], n, None, note))
    return rows


def targets(results: dict[str, Any], stand: dict[str, Any] | None) -> list[str]:
    """One line per target of the issue, with the ratio and whether it was met."""
    cli, fin, floor = results.get("cli"), results.get("finmon"), results.get("floor")
    lines = []
    if cli and floor:
        ratio = floor["seconds"] / cli["seconds"]
        verdict = _verdict(ratio, 1.0)
        lines.append(f"- finmon CLI vs the floor: {ratio:.2f}x as fast (target >= 1x): {verdict}")
    if cli and cli["summary"]:
        lines.append(f'- the CLI\'s own account of its run: "{cli["summary"]}"')
    if cli and stand:
        ratio = stand["all_cores"] / cli["seconds"]
        verdict = _verdict(ratio, 20.0)
        lines.append(
            f"- finmon CLI vs the logic-v2 stand-in on all cores: {ratio:.1f}x as fast "
            f"(target >= 20x at equal or better recall): {verdict}"
        )
    if stand:
        lines.append(
            f"- UN positives found among the {stand['positives']} sampled: finmon "
            f"{stand['finmon_recall']}, logic-v2 stand-in {stand['recall']} (score >= "
            f"{LOGIC_V2_THRESHOLD}); sampled negatives alerted: finmon {stand['finmon_alerts']}, "
            f"stand-in {stand['alerts']} of {stand['negatives']}"
        )
    if fin:
        lines += finmon_lines(fin, results["setup"]["positives"])
    return lines


def finmon_lines(fin: dict[str, Any], positives: int) -> list[str]:
    """finmon's recall and alerts over every query, and its single-name latency."""
    lat, negatives = fin["latency"], len(fin["any_hit"]) - positives
    found, alerts = sum(fin["un_hit"][:positives]), sum(fin["any_hit"][positives:])
    verdict = "met" if lat["p99_ms"] < 5 else f"MISSED by {lat['p99_ms'] - 5:.2f} ms"
    rounds = ", ".join(f"{p99:.2f}" for p99 in lat["p99_rounds"])
    count = len(lat["p99_rounds"])
    return [
        f"- finmon over all queries at its default threshold {fin['threshold']}: {found} of "
        f"{positives} UN positives found, {alerts:,} of {negatives:,} negatives alerted",
        f"- single-name latency, {lat['calls']:.0f} warm `Screener.screen` calls (the best of "
        f"{count} rounds, whose p99 were {rounds} ms): p50 {lat['p50_ms']:.2f} ms, p99 "
        f"{lat['p99_ms']:.2f} ms, max {lat['max_ms']:.2f} ms (target p99 < 5 ms): {verdict}",
    ]


def write_docs(path: Path, body: str) -> None:
    """Replace the body of the Speed section of docs/benchmarks.md, leaving the rest as it is."""
    text = "# Benchmarks\n\n## Quality\n\n## Speed\n"
    if path.exists():
        text = path.read_text(encoding="utf-8")
    if "\n## Speed\n" not in text:
        text = text.rstrip("\n") + "\n\n## Speed\n"
    head, _, rest = text.partition("\n## Speed\n")
    following = re.search(r"^## ", rest, re.MULTILINE)
    tail = "\n" + rest[following.start() :] if following else ""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{head}\n## Speed\n\n{body.strip()}\n{tail}", encoding="utf-8")


if __name__ == "__main__":
    main()
