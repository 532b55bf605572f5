"""Same hits, same scores: screen one query set with this tree's finmon and another revision's.

    python bench/same_hits.py --base REV [--queries 20000] [--threshold 0.8] [--workers 2]

For work that must make screening faster without changing what it decides. The queries are the UN
positives, a seeded sample of the US-style negatives, a Kazakhstan bank's customers in Cyrillic,
Arabic script and Latin (bench/customers.py, no one planted) and every name of the lists written in
Arabic script, Cyrillic or another non-Latin script. Both revisions screen them against UN 2026 +
OFAC SDN 2021 through `Screener.screen_many` in a fresh process each (REV's files are taken with
`git archive` into a temporary folder); every hit of every query, explanation included, must be
the same. Exit status 1 and the first differences printed when they are not.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

from common import OFAC_SDN_2021, ROOT, UN_2026, read_rows, shared_data, write_rows

SEED = 20261205
CUSTOMERS = 3_000
"""Kazakhstan bank customers among the queries."""

CHILD = """
import json, sys, time
from pathlib import Path
from finmon.lists import parse_files
from finmon.screening import Screener
from finmon.screening.inputs import read_parties

un, ofac, queries, out, threshold, workers = sys.argv[1:7]
designations = list(parse_files([Path(un)], format="un-xml").designations)
designations += parse_files([Path(p) for p in ofac.split(",")], format="ofac-csv").designations
started = time.perf_counter()
screener = Screener(designations)
built = time.perf_counter()
parties = list(read_parties(Path(queries)))
with open(out, "w", encoding="utf-8") as handle:
    for party, hits in screener.screen_many(parties, float(threshold), workers=int(workers)):
        found = [hit.to_dict() for hit in hits]
        handle.write(json.dumps({"id": party.id, "hits": found}, sort_keys=True) + "\\n")
done = time.perf_counter()
print(f"index {built - started:.2f} s, {len(parties)} queries {done - built:.2f} s")
"""


def main() -> None:
    """Screen with both revisions and compare."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--base", required=True, help="git revision to compare with")
    parser.add_argument("--queries", type=int, default=20_000, help="positives plus negatives")
    parser.add_argument("--threshold", type=float, default=0.8)
    parser.add_argument("--workers", type=int, default=2, help="screen_many workers (this tree)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="finmon-same-hits-") as tmp:
        work = Path(tmp)
        queries = write_queries(work / "queries.csv", args.queries)
        base = work / "base"
        base.mkdir()
        archive = subprocess.run(
            ["git", "archive", args.base], cwd=ROOT, check=True, capture_output=True
        ).stdout
        (work / "base.tar").write_bytes(archive)
        with tarfile.open(work / "base.tar") as tar:
            tar.extractall(base, filter="data")
        print(f"{queries} queries; screening with {args.base} ...", flush=True)
        before = screen(base, work, "before.jsonl", args.threshold, 1)
        print(f"... and with this tree ({args.workers} workers)", flush=True)
        after = screen(ROOT, work, "after.jsonl", args.threshold, args.workers)
        sys.exit(compare(before, after))


def write_queries(path: Path, total: int) -> int:
    """Write the query file; the number of rows."""
    from common import load_ofac, load_un

    from bench.customers import write_registry

    draw = random.Random(SEED)
    rows: list[dict[str, object]] = []
    positives = read_rows(shared_data("eval/positives_un.csv"))
    negatives = read_rows(shared_data("eval/negatives_us.csv"))
    chosen = positives + draw.sample(negatives, max(0, total - len(positives)))
    for number, row in enumerate(chosen):
        born, country = row["date_of_birth"], row["nationality"]
        rows.append({"id": f"q{number}", "name": row["full_name"], "birth_date": born,
                     "nationality": country})  # fmt: skip
    registry = path.parent / "customers.csv"
    write_registry(registry, path.parent / "planted.csv", CUSTOMERS, [], seed=SEED)
    for row in read_rows(registry):
        rows.append({"id": row["id"], "name": row["name"], "birth_date": row["birth_date"],
                     "nationality": row["nationality"]})  # fmt: skip
    for designation in load_un() + load_ofac():
        for name in designation.names:
            if not name.full.isascii() and any(ord(c) > 0x3FF for c in name.full):
                reference = f"{designation.source}:{designation.reference}"
                rows.append({"id": f"s{len(rows)}-{reference}", "name": name.full,
                             "birth_date": "", "nationality": ""})  # fmt: skip
    write_rows(path, rows)
    return len(rows)


def screen(tree: Path, work: Path, name: str, threshold: float, workers: int) -> list[str]:
    """Screen the queries with the finmon package under tree; the output lines."""
    out = work / name
    ofac = ",".join(str(shared_data(p)) for p in OFAC_SDN_2021)
    command = [sys.executable, "-c", CHILD, str(shared_data(UN_2026)), ofac]
    command += [str(work / "queries.csv"), str(out), str(threshold), str(workers)]
    started = time.perf_counter()
    env = {"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin", "FINMON_SCREENER_CACHE": "off"}
    subprocess.run(command, cwd=tree, env=env, check=True)
    print(f"  {time.perf_counter() - started:.1f} s in all", flush=True)
    return out.read_text(encoding="utf-8").splitlines()


def compare(before: list[str], after: list[str]) -> int:
    """0 when both runs gave the same hits for every query, else 1 with the first differences."""
    hits = sum(len(json.loads(line)["hits"]) for line in before)
    if before == after:
        print(f"same: {len(before)} queries, {hits} hits, every score and explanation")
        return 0
    differ = [(b, a) for b, a in zip(before, after, strict=False) if b != a]
    print(f"DIFFERENT: {len(differ)} of {len(before)} queries ({len(after)} screened after)")
    changed = [(b, a) for b, a in differ if _listed(b) != _listed(a)]
    print(f"hits themselves (who is hit) differ for {len(changed)} of them; the rest differ in")
    print("scores or explanations only")
    for b, a in changed:
        query, lost, gained = _hit_change(b, a)
        print(f"  {query}: lost {lost or '-'}, gained {gained or '-'}")
    for b, a in differ[:5]:
        print(f"- before: {b[:600]}\n  after:  {a[:600]}")
    return 1


def _listed(line: str) -> set[str]:
    """The listed parties a query's output line hits, by reference."""
    return {hit["explanation"]["list"]["reference"] for hit in json.loads(line)["hits"]}


def _hit_change(before: str, after: str) -> tuple[str, list[str], list[str]]:
    """The query's name and the hits (listed name, best score) it lost and gained."""
    old, new = json.loads(before), json.loads(after)

    def named(hits: list[dict[str, object]], refs: set[str]) -> list[str]:
        return [
            f"{hit['designation_name']} ({hit['score']})"
            for hit in hits
            if hit["explanation"]["list"]["reference"] in refs  # type: ignore[index]
        ]

    lost = _listed(before) - _listed(after)
    gained = _listed(after) - _listed(before)
    hits = old["hits"] or new["hits"]
    query = hits[0]["explanation"]["name"]["query"] if hits else old["id"]
    return str(query), named(old["hits"], lost), named(new["hits"], gained)


if __name__ == "__main__":
    main()
