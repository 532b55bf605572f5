"""Fairness of screening: alert rates of people on no list, per population, script and origin.

    python bench/fairness.py [--quick] [--populations multicultural,kazakhstan,faker]
                             [--size 50000] [--seeds 1,2] [--peer] [--json PATH] [--write-docs]

Screens the populations of bench/populations.py against UN 2026-02-27 + OFAC SDN 2021-07 with
finmon's Screener at DEFAULT_THRESHOLD, each person read as `finmon screen` reads a customer file
with a name, birth-date, nationality and gender column and no kind-of-party column (the peer is
told each is a person), with and without the people's birth dates, and reports the
share of people with at least one hit per population, per script group (Arabic/Persian, East
Asian, Cyrillic, Latin, other) and per name origin, and the ratio of the highest to the lowest
rate among the four main script groups. Every seed is reported beside the others: a figure read
on one seed to pick a weight is checked on another. finmon's false alerts go to
out/fairness-alerts-<population>.csv, best score first, for whoever tunes the matcher. `--peer`
adds nomenklatura logic-v2 (bench/quality.py's prefilter + logic-v2) on a fixed sample. Script and
origin are measured only; they never reach a matching decision.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import random
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    OUT,
    ROOT,
    code_version,
    load_ofac,
    load_un,
    machine,
    replace_section,
    row_party,
    write_rows,
)
from bench.populations import SCRIPT_GROUPS, generate, script_group
from finmon.model import Party

POPULATIONS = ("multicultural", "kazakhstan", "faker")
MAIN_GROUPS = SCRIPT_GROUPS[:4]  # the four groups the highest/lowest ratio compares
FULL_SIZE = 50_000
QUICK_SIZE = 5_000
PEER_SAMPLE = 2_000
PEER_SEED = 2026
WORKERS = 2
TARGETS = {
    "population alert rate with birth dates": 0.001,
    "script group alert rate with birth dates": 0.002,
    "highest / lowest script group": 2.0,
}
ALERT_COLUMNS = (
    "population", "seed", "birth_date_used", "full_name", "date_of_birth", "nationality",
    "script", "origin", "score", "matched_name", "designation", "list", "hits", "explanation",
)  # fmt: skip


@dataclass
class Tally:
    """People screened and people alerted in one group."""

    people: int = 0
    alerted: int = 0

    def add(self, alerted: bool) -> None:
        self.people += 1
        self.alerted += alerted

    @property
    def rate(self) -> float | None:
        return self.alerted / self.people if self.people else None


@dataclass
class Run:
    """The tallies of one matcher on one population, seed and use of birth dates."""

    matcher: str
    population: str
    seed: int
    birth_dates: bool
    seconds: float = 0.0
    total: Tally = field(default_factory=Tally)
    scripts: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    origins: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))

    def add(self, row: dict[str, str], alerted: bool) -> None:
        self.total.add(alerted)
        self.scripts[script_group(row["script"])].add(alerted)
        self.origins[row["origin"].split("/")[0]].add(alerted)


FILE_COLUMNS = {
    "name": "full_name",
    "birth_date": "date_of_birth",
    "nationality": "nationality",
    "gender": "gender",
}
"""The population's columns as a customer file with no kind-of-party column carries them."""


def parties_of(rows: Sequence[dict[str, str]], with_birth_dates: bool) -> list[Party]:
    """The people as told to the peer: persons; without birth dates, everything else kept."""
    parties = [row_party(row, f"p{i}") for i, row in enumerate(rows)]
    if not with_birth_dates:
        parties = [dataclasses.replace(party, birth_dates=[]) for party in parties]
    return parties


def parties_as_read(rows: Sequence[dict[str, str]], with_birth_dates: bool) -> list[Party]:
    """The people as finmon reads a customer file of them (finmon.screening.rows.RowReader, as
    `finmon screen` does): no kind column, so each one's kind is what the row shows; without
    birth dates, the date column left out."""
    from finmon.names.limits import NameLimits
    from finmon.screening.rows import RowReader

    columns = {r: c for r, c in FILE_COLUMNS.items() if with_birth_dates or r != "birth_date"}
    reader = RowReader("population", columns, _unexpected, NameLimits.from_settings())
    parties = [reader.party(f"row {i + 2}", i, row) for i, row in enumerate(rows)]
    return [party for party in parties if party is not None]


def _unexpected(problem: object) -> None:
    raise SystemExit(f"a generated row finmon cannot read: {problem}")


class Finmon:
    """finmon's Screener over UN + OFAC SDN at its default threshold."""

    name = "finmon"

    def __init__(self, designations: Sequence[Any], workers: int) -> None:
        from finmon.screening import Screener

        self.screener = Screener(designations)
        self.workers = workers

    def hits(self, rows: Sequence[dict[str, str]], birth_dates: bool) -> list[list[Any]]:
        """Each row's hits at DEFAULT_THRESHOLD, in the order of the rows, read as a file."""
        found = self.screener.screen_many(parties_as_read(rows, birth_dates), workers=self.workers)
        return [hits for _, hits in found]


def screen(
    matcher: Any,
    population: str,
    seed: int,
    rows: Sequence[dict[str, str]],
    birth_dates: bool,
    alerts: list[dict[str, object]],
) -> Run:
    """One run: screen the rows and tally who was alerted; finmon's alerts go to `alerts`."""
    run = Run(matcher.name, population, seed, birth_dates)
    started = time.perf_counter()
    results = matcher.hits(rows, birth_dates)
    run.seconds = time.perf_counter() - started
    for row, hits in zip(rows, results, strict=True):
        run.add(row, bool(hits))
        if hits and matcher.name == "finmon":
            alerts.append(_alert(population, seed, birth_dates, row, hits))
    return run


def _alert(
    population: str, seed: int, birth_dates: bool, row: dict[str, str], hits: list[Any]
) -> dict[str, object]:
    best = hits[0]
    return {
        "population": population,
        "seed": seed,
        "birth_date_used": "yes" if birth_dates else "no",
        "full_name": row["full_name"],
        "date_of_birth": row["date_of_birth"],
        "nationality": row["nationality"],
        "script": row["script"],
        "origin": row["origin"],
        "score": round(float(best.score), 4),
        "matched_name": best.matched_name,
        "designation": best.designation.reference,
        "list": best.designation.source,
        "hits": len(hits),
        "explanation": json.dumps(best.explanation.get("name", ""), ensure_ascii=False)[:400],
    }


class Peer:
    """nomenklatura logic-v2 over bench/quality.py's prefilter, at yente's 0.70."""

    name = "logic-v2"

    def __init__(self, designations: Sequence[Any]) -> None:
        from bench.quality import LogicV2Screen

        self.screen = LogicV2Screen(designations)

    def hits(self, rows: Sequence[dict[str, str]], birth_dates: bool) -> list[list[Any]]:
        """Each row's logic-v2 hits, the row told as a person."""
        return list(self.screen.hits(parties_of(rows, birth_dates)))


def measure(
    populations: Sequence[str],
    size: int,
    seeds: Sequence[int],
    peer: bool,
    workers: int,
    dates: Sequence[bool] = (True, False),
    groups: Sequence[str] = SCRIPT_GROUPS,
) -> tuple[list[Run], dict[str, list[dict[str, object]]]]:
    """Every run of every population and seed, with birth dates and (by default) without, of
    the people whose name is in one of the script groups (by default all)."""
    designations = load_un() + load_ofac()
    ours = Finmon(designations, workers)
    theirs = Peer(designations) if peer else None
    runs: list[Run] = []
    alerts: dict[str, list[dict[str, object]]] = {}
    for population in populations:
        alerts[population] = []
        for seed in seeds:
            rows = [
                r for r in generate(population, size, seed) if script_group(r["script"]) in groups
            ]
            for birth_dates in dates:
                run = screen(ours, population, seed, rows, birth_dates, alerts[population])
                runs.append(run)
                print(_progress(run), file=sys.stderr)
            if theirs is not None and seed == seeds[0]:
                sample = random.Random(PEER_SEED).sample(list(rows), min(PEER_SAMPLE, len(rows)))
                run = screen(theirs, population, seed, sample, True, [])
                runs.append(run)
                print(_progress(run), file=sys.stderr)
    return runs, alerts


def _progress(run: Run) -> str:
    dates = "with" if run.birth_dates else "without"
    rate = run.total.rate or 0.0
    return (
        f"{run.matcher} {run.population} seed {run.seed} {dates} birth dates: "
        f"{run.total.alerted}/{run.total.people} alerted ({rate:.3%}) in {run.seconds:.0f} s"
    )


# --- figures -------------------------------------------------------------------------------------


def pooled_scripts(
    runs: Sequence[Run], seed: int, birth_dates: bool, matcher: str = "finmon"
) -> dict[str, Tally]:
    """A matcher's tallies per script group over every population of one seed."""
    pooled: dict[str, Tally] = defaultdict(Tally)
    for run in runs:
        if run.matcher == matcher and run.seed == seed and run.birth_dates == birth_dates:
            for group, tally in run.scripts.items():
                pooled[group].people += tally.people
                pooled[group].alerted += tally.alerted
    return pooled


def spread(tallies: dict[str, Tally]) -> float | None:
    """Highest over lowest alert rate among the four main script groups (None when the lowest is
    zero, or a group is missing)."""
    rates = [tallies[g].rate for g in MAIN_GROUPS if g in tallies and tallies[g].people]
    if len(rates) < len(MAIN_GROUPS):
        return None
    low, high = min(r for r in rates if r is not None), max(r for r in rates if r is not None)
    return high / low if low else None


def ratio_interval(tallies: dict[str, Tally], level: float = 0.95) -> str:
    """The highest group's rate over the lowest's with its exact interval, as a sentence.

    Given the two groups' alerts together, the highest group's share of them is binomial (rates
    as Poisson counts); Clopper-Pearson's interval for that share gives one for the ratio. With a
    handful of people alerted per group the interval is wide: it says whether a ratio like the
    target's can be told apart at this size at all."""
    from scipy.stats import binomtest

    groups = [g for g in MAIN_GROUPS if tallies.get(g) and tallies[g].people]
    if len(groups) < len(MAIN_GROUPS):
        return "not every group was screened"
    high = max(groups, key=lambda g: tallies[g].alerted / tallies[g].people)
    low = min(groups, key=lambda g: tallies[g].alerted / tallies[g].people)
    hi, lo = tallies[high], tallies[low]
    counts = ", ".join(f"{g} {tallies[g].alerted} of {tallies[g].people:,}" for g in groups)
    if hi.alerted + lo.alerted == 0:
        return f"people alerted: {counts}; no group alerted anyone"
    share = binomtest(hi.alerted, hi.alerted + lo.alerted).proportion_ci(level, method="exact")
    scale = lo.people / hi.people

    def ratio(p: float) -> str:
        return "unbounded" if p >= 1 else f"{p / (1 - p) * scale:.1f}x"

    point = "unbounded" if lo.alerted == 0 else f"{hi.rate / lo.rate:.1f}x"  # type: ignore[operator]
    return (
        f"people alerted: {counts}; {high} over {low}: {point}, {level:.0%} interval "
        f"{ratio(share.low)} to {ratio(share.high)} (exact, rates as Poisson counts)"
    )


def figures(runs: Sequence[Run], seeds: Sequence[int]) -> dict[str, Any]:
    """All figures as plain data (the --json output)."""

    def tally(t: Tally) -> dict[str, Any]:
        return {"people": t.people, "alerted": t.alerted, "rate": t.rate}

    out: dict[str, Any] = {"runs": [], "script_groups": []}
    for run in runs:
        out["runs"].append(
            {
                "matcher": run.matcher,
                "population": run.population,
                "seed": run.seed,
                "birth_dates": run.birth_dates,
                "seconds": round(run.seconds, 1),
                "total": tally(run.total),
                "scripts": {k: tally(v) for k, v in sorted(run.scripts.items())},
                "origins": {k: tally(v) for k, v in sorted(run.origins.items())},
            }
        )
    for seed in seeds:
        for birth_dates in (True, False):
            pooled = pooled_scripts(runs, seed, birth_dates)
            out["script_groups"].append(
                {
                    "seed": seed,
                    "birth_dates": birth_dates,
                    "groups": {g: tally(pooled[g]) for g in SCRIPT_GROUPS if g in pooled},
                    "highest_over_lowest": spread(pooled),
                }
            )
    out["targets"] = TARGETS
    return out


def runs_from_json(data: dict[str, Any]) -> list[Run]:
    """The runs of a --json file, to print or document them again without screening."""
    runs = []
    for item in data["runs"]:
        run = Run(item["matcher"], item["population"], item["seed"], item["birth_dates"])
        run.seconds = item["seconds"]
        run.total = Tally(item["total"]["people"], item["total"]["alerted"])
        for attribute in ("scripts", "origins"):
            tallies = getattr(run, attribute)
            for key, value in item[attribute].items():
                tallies[key] = Tally(value["people"], value["alerted"])
        runs.append(run)
    return runs


def pct(rate: float | None) -> str:
    return "-" if rate is None else f"{rate:.2%}"


def verdict(value: float | None, target: float) -> str:
    return "" if value is None else ("met" if value <= target else "missed")


def tables(runs: Sequence[Run], seeds: Sequence[int]) -> str:
    """The Markdown tables: per population, per script group (all populations), per origin."""
    ours = [run for run in runs if run.matcher == "finmon"]
    peers = {(run.population, run.seed): run for run in runs if run.matcher == "logic-v2"}
    target = TARGETS["population alert rate with birth dates"]
    lines = [
        "Alert rate per population (people with at least one hit; target with birth dates "
        f"<= {target:.1%}):",
        "",
        "| population | seed | people | with birth dates | without | logic-v2, with (sample) "
        "| target | finmon |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for with_dates in (r for r in ours if r.birth_dates):
        without = next(
            (
                r
                for r in ours
                if not r.birth_dates
                and (r.population, r.seed) == (with_dates.population, with_dates.seed)
            ),
            None,
        )
        peer = peers.get((with_dates.population, with_dates.seed))
        peer_text = f"{pct(peer.total.rate)} (n={peer.total.people})" if peer else "-"
        rate = with_dates.total.rate
        undated = without.total.rate if without else None
        lines.append(
            f"| {with_dates.population} | {with_dates.seed} | {with_dates.total.people:,} "
            f"| {pct(rate)} | {pct(undated)} | {peer_text} | <= {target:.1%} "
            f"| {verdict(rate, target)} |"
        )
    group_target = TARGETS["script group alert rate with birth dates"]
    ratio_target = TARGETS["highest / lowest script group"]
    head = " | ".join(f"seed {s} with | seed {s} without" for s in seeds)
    lines += [
        "",
        "Alert rate per script group, all populations together (target with birth dates "
        f"<= {group_target:.1%} in each group, highest at most {ratio_target:g}x the lowest "
        "of the first four):",
        "",
        f"| script group | people (seed {seeds[0]}) | {head} | logic-v2, with (sample) "
        "| target | finmon |",
        "|---|---:|" + "---:|---:|" * len(seeds) + "---:|---:|---|",
    ]
    pooled = {(s, d): pooled_scripts(ours, s, d) for s in seeds for d in (True, False)}
    peer_pooled = pooled_scripts(list(peers.values()), seeds[0], True, "logic-v2")
    for group in SCRIPT_GROUPS:
        first = pooled[seeds[0], True].get(group, Tally())
        cells = [pct(pooled[s, d].get(group, Tally()).rate) for s in seeds for d in (True, False)]
        worst = max((pooled[s, True].get(group, Tally()).rate or 0.0 for s in seeds), default=0.0)
        target_cell = f"<= {group_target:.1%}" if group in MAIN_GROUPS else ""
        check = verdict(worst, group_target) if group in MAIN_GROUPS and first.people else ""
        peer_tally = peer_pooled.get(group)
        peer_cell = f"{pct(peer_tally.rate)} (n={peer_tally.people})" if peer_tally else "-"
        lines.append(
            f"| {group} | {first.people:,} | "
            + " | ".join(cells)
            + f" | {peer_cell} | {target_cell} | {check} |"
        )
    ratios = [spread(pooled[s, d]) for s in seeds for d in (True, False)]
    worst_ratio = max(
        (spread(pooled[s, True]) or float("inf") for s in seeds), default=float("inf")
    )
    peer_ratio = spread(peer_pooled)
    lines.append(
        "| highest / lowest | | "
        + " | ".join("-" if r is None else f"{r:.1f}x" for r in ratios)
        + f" | {'-' if peer_ratio is None else f'{peer_ratio:.1f}x'}"
        + f" | <= {ratio_target:g}x | {verdict(worst_ratio, ratio_target)} |"
    )
    every_seed: dict[str, Tally] = defaultdict(Tally)
    for s in seeds:
        for group, t in pooled[s, True].items():
            every_seed[group].people += t.people
            every_seed[group].alerted += t.alerted
    lines += ["", f"All seeds together, with birth dates: {ratio_interval(every_seed)}."]
    lines += ["", "Alert rate per name origin (with birth dates / without):", ""]
    lines += ["| population | origin | people (seed 1) | " + head + " |"]
    lines += ["|---|---|---:|" + "---:|---:|" * len(seeds)]
    for population in dict.fromkeys(run.population for run in ours):
        by_key = {(r.seed, r.birth_dates): r for r in ours if r.population == population}
        first = by_key[seeds[0], True]
        for origin, tally in sorted(first.origins.items(), key=lambda item: -item[1].people):
            cells = [
                pct(by_key[s, d].origins.get(origin, Tally()).rate if (s, d) in by_key else None)
                for s in seeds
                for d in (True, False)
            ]
            lines.append(
                f"| {population} | {origin} | {tally.people:,} | " + " | ".join(cells) + " |"
            )
    return "\n".join(lines)


# --- command line --------------------------------------------------------------------------------


def page_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """finmon's figures as the supervisors' fairness page reads them (FINMON_FAIRNESS_FILE): a
    row per population, seed, birth dates used or not, and script group."""
    rows = []
    for run in data["runs"]:
        if run["matcher"] != "finmon":
            continue
        dates = "with" if run["birth_dates"] else "without"
        population = f"{run['population']}, seed {run['seed']}, {dates} birth dates"
        for script, tally in run["scripts"].items():
            rows.append({"population": population, "script": script, **tally})
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    """Measure, print the tables and the command, write alerts, JSON and (asked) the docs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_SIZE:,} people each")
    parser.add_argument("--size", type=int, default=None, help=f"people each (default {FULL_SIZE})")
    parser.add_argument("--seeds", default="1,2", help="comma-separated seeds (default 1,2)")
    parser.add_argument("--populations", default=",".join(POPULATIONS))
    parser.add_argument("--peer", action="store_true", help="logic-v2 on a fixed sample too")
    parser.add_argument("--workers", type=int, default=WORKERS)
    parser.add_argument(
        "--with-dates-only",
        action="store_true",
        help="skip the runs without birth dates (the targets' runs, in half the time)",
    )
    parser.add_argument("--json", type=Path, help="write the figures as JSON here")
    parser.add_argument(
        "--page-json",
        type=Path,
        help="write finmon's rows per population and script (FINMON_FAIRNESS_FILE)",
    )
    parser.add_argument(
        "--script-groups",
        default=",".join(SCRIPT_GROUPS),
        help="screen only the people of these script groups (a change's effect on them, faster)",
    )
    parser.add_argument("--write-docs", action="store_true", help="rewrite the Fairness section")
    parser.add_argument(
        "--from-json", type=Path, help="print (and document) a --json file's figures again"
    )
    args = parser.parse_args(argv)
    if args.from_json:
        return show_saved(args.from_json, args.write_docs)
    size = args.size or (QUICK_SIZE if args.quick else FULL_SIZE)
    seeds = [int(seed) for seed in args.seeds.split(",")]
    populations = [name.strip() for name in args.populations.split(",") if name.strip()]
    unknown = set(populations) - set(POPULATIONS)
    if unknown:
        parser.error(f"unknown population(s): {', '.join(sorted(unknown))}")
    groups = [name.strip() for name in args.script_groups.split(",") if name.strip()]
    if set(groups) - set(SCRIPT_GROUPS) or (args.write_docs and set(groups) != set(SCRIPT_GROUPS)):
        parser.error(f"script groups: some of {', '.join(SCRIPT_GROUPS)}; all for --write-docs")
    command = "python bench/fairness.py " + " ".join(argv if argv is not None else sys.argv[1:])
    version = code_version()  # the code measured: read before a run that can take an hour
    started = time.perf_counter()
    dates = (True,) if args.with_dates_only else (True, False)
    runs, alerts = measure(populations, size, seeds, args.peer, args.workers, dates, groups)
    minutes = (time.perf_counter() - started) / 60
    for population, rows in alerts.items():
        # with birth dates first: those are the alerts the targets count
        rows.sort(key=lambda row: (row["birth_date_used"] != "yes", -float(str(row["score"]))))
        write_rows(
            OUT / f"fairness-alerts-{population}.csv", rows or [dict.fromkeys(ALERT_COLUMNS)]
        )
    table = tables(runs, seeds)
    print(table)
    print(f"\nMeasured in {minutes:.1f} min at {version} ({machine()}).")
    print(f"Reproduce: {command.strip()}")
    print(f"finmon's false alerts: {OUT}/fairness-alerts-<population>.csv")
    data = figures(runs, seeds)
    data.update(
        command=command.strip(),
        version=version,
        machine=machine(),
        date=dt.date.today().isoformat(),
        minutes=round(minutes, 1),
        size=size,
        seeds=seeds,
    )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
    if args.page_json:
        args.page_json.parent.mkdir(parents=True, exist_ok=True)
        rows = page_rows(data)
        args.page_json.write_text(json.dumps(rows, indent=1, ensure_ascii=False), encoding="utf-8")
    if args.write_docs:
        write_docs(data, table)
    return 0


def show_saved(path: Path, docs: bool) -> int:
    """Print the tables of a --json file; with docs, rewrite the Fairness section from it."""
    data = json.loads(path.read_text(encoding="utf-8"))
    table = tables(runs_from_json(data), data["seeds"])
    print(table)
    print(f"\nFrom {path}, measured with: {data.get('command', '?')}")
    if docs:
        write_docs(data, table)
    return 0


def write_docs(data: dict[str, Any], table: str) -> None:
    """Replace the Fairness section of docs/benchmarks.md."""
    took = f"; {data['minutes']:.0f} min" if data.get("minutes") else ""
    section = DOC.format(
        date=data.get("date") or dt.date.today().isoformat(),
        command=data.get("command", "python bench/fairness.py"),
        version=data.get("version", code_version()),
        machine=data.get("machine", machine()),
        took=took,
        table=table,
    )
    replace_section(ROOT / "docs" / "benchmarks.md", "## Fairness", section)


DOC = """## Fairness

Measured {date} with `{command}` at {version} ({machine}{took}).

People on no list, generated by `bench/populations.py` (see `bench/README.md`): `multicultural`
(names-dataset, many countries, names in the scripts people write them in), `kazakhstan`
(Kazakh, Russian, Uzbek, Uyghur, Tatar and Korean names in Cyrillic and the Latin forms customers'
files carry, with namesakes) and `faker` (Faker's locales, an independent source nothing was tuned
on). Each is screened against UN 2026-02-27 + OFAC SDN 2021-07 with finmon's `Screener` at
`DEFAULT_THRESHOLD`, with the people's birth dates and without them; a person with at least one
hit is alerted. Every seed is shown: a weight chosen on one seed is checked on the other. The
script group is read from how the name is written and the origin from where the generator took
it; both are measured only and never reach a matching decision. finmon's false alerts, best score
first: `out/fairness-alerts-<population>.csv`. logic-v2 (nomenklatura, at yente's 0.70, over the
quality bench's prefilter) screens a fixed sample of 2,000 people of the first seed, with birth
dates, as a comparison.

{table}
"""


if __name__ == "__main__":
    raise SystemExit(main())
