"""A birth date read from the IIN: alert rates of a Kazakhstan customer base whose file carries
each person's IIN and no birth-date column, beside the same file with the dates and with neither.

    python bench/iin_dates.py [--size 50000] [--seeds 1,2] [--population kazakhstan]

Kazakhstan's customer files carry the IIN far more often than a birth date, and the birth date is
what keeps a namesake apart from a listed person. The people are one of bench/populations.py's
populations of people on no list (by default Kazakhstan's, with namesakes; foreigners living in
Kazakhstan have IINs too, so the multicultural one also applies); each gets an IIN written here from
their birth date and sex (century-and-sex digit, a random serial, the check digit of the
two-pass weights), not by finmon's code. Each file is screened with the CLI `finmon screen`
against UN 2026-02-27 + OFAC SDN 2021-07 in a private FINMON_HOME, as a user would; a row is
alerted when it has at least one hit.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
from pathlib import Path

from common import code_version, machine, read_rows, write_rows
from speed import finmon_command, load_lists, run_measured

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.populations import generate
from finmon.lists.identifiers import iin_check_digit, iin_head

LAYOUTS = {
    "birth-date column, no IIN": ("date_of_birth",),
    "IIN, no birth-date column": ("iin",),
    "neither": (),
}


def make_iin(born: dt.date, female: bool, rng: random.Random) -> str:
    """A valid IIN for a person born on `born`: YYMMDD, century and sex, serial, check digit."""
    while True:
        first11 = f"{iin_head(born, female)}{rng.randrange(10_000):04d}"
        check = iin_check_digit(first11)
        if check is not None:
            return first11 + str(check)


def files(population: str, size: int, seed: int, work: Path) -> dict[str, Path]:
    """The population written once per layout, every row with the same id in each."""
    rng = random.Random(f"iin:{seed}")
    rows = generate(population, size, seed)
    base = []
    for number, row in enumerate(rows):
        born = dt.date.fromisoformat(row["date_of_birth"])
        iin = make_iin(born, row["gender"] == "female", rng)
        base.append({"id": f"r{number}", "full_name": row["full_name"],
                     "nationality": row["nationality"], "date_of_birth": row["date_of_birth"],
                     "iin": iin})  # fmt: skip
    written = {}
    for label, extra in LAYOUTS.items():
        path = work / f"{population}-{seed}-{'-'.join(extra) or 'neither'}.csv"
        columns = ("id", "full_name", "nationality", *extra)
        write_rows(path, [{column: row[column] for column in columns} for row in base])
        written[label] = path
    return written


def screen(path: Path, work: Path) -> tuple[int, int, float]:
    """Screen one file with the CLI: rows alerted, hits, wall seconds."""
    output = path.with_suffix(".hits.csv")
    command = [*finmon_command(work / "home"), "screen", str(path), "--output", str(output)]
    seconds, _ = run_measured(command, work / "screen.log")
    hits = read_rows(output)
    return len({hit["id"] for hit in hits}), len(hits), seconds


def main() -> None:
    """Generate, screen every layout at every seed, print the table."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--size", type=int, default=50_000)
    parser.add_argument("--seeds", default="1,2")
    parser.add_argument("--population", default="kazakhstan")
    args = parser.parse_args()
    seeds = [int(seed) for seed in args.seeds.split(",")]
    print(f"{machine()}, {code_version()}; {args.population}, {args.size:,} people per seed\n")
    print("| seed | file | rows alerted | rate | hits | seconds |")
    print("|---:|---|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory(prefix="finmon-iin-") as tmp:
        work = Path(tmp)
        load_lists(work)
        for seed in seeds:
            for label, path in files(args.population, args.size, seed, work).items():
                alerted, hits, seconds = screen(path, work)
                rate = f"{alerted / args.size:.3%}"
                print(f"| {seed} | {label} | {alerted:,} | {rate} | {hits:,} | {seconds:.1f} |",
                      flush=True)  # fmt: skip
    given = " ".join(sys.argv[1:])
    print(f"\nReproduce: `python bench/iin_dates.py{' ' + given if given else ''}`")


if __name__ == "__main__":
    main()
