"""AMLSim-format samples of the typologies the shared sample does not hold, for judging on them
what was trained on it (bench/triage_unseen.py).

    python bench/amlsim_like.py FOLDER --typology cycle --seed 1

Writes FOLDER/transactions.csv (sourceNodeId,targetNodeId,value,time) and FOLDER/nodes.csv
(nodeid,isFraud,init_balance,fraudStep), the layout of `../shared/data/tm/amlsim_20K_fanin200`.
The typologies are AMLSim's own list of laundering shapes other than fan-in: fan_out, cycle,
scatter_gather, gather_scatter, bipartite, stack. Nothing here is drawn from finmon's rules: the
amounts and activity come from the shared sample itself. Its accounts' numbers of transfers,
the background's amounts, and the amounts of transfers between two laundering accounts (half of
them tiny, a few units, in that sample) are resampled, so a model that learned AMLSim's amounts
finds them here as well, and one that learned the fan-in shape does not.
"""

from __future__ import annotations

import argparse
import csv
import random
from dataclasses import dataclass
from pathlib import Path

TYPOLOGIES = ("fan_out", "cycle", "scatter_gather", "gather_scatter", "bipartite", "stack")
STEPS = 149
"""The sample's time steps (days), 1 to 149."""


@dataclass(frozen=True)
class Source:
    """What is resampled from the shared sample."""

    background: list[float]
    laundering: list[float]
    sends: list[int]
    """Transfers each account sends."""


def read_source(sample: Path) -> Source:
    """The shared sample's amounts and per-account activity."""
    with (sample / "nodes.csv").open(encoding="utf-8") as handle:
        fraud = {row["nodeid"] for row in csv.DictReader(handle) if row["isFraud"] == "1"}
    background: list[float] = []
    laundering: list[float] = []
    sends: dict[str, int] = {}
    with (sample / "transactions.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            source, target = row["sourceNodeId"], row["targetNodeId"]
            both = source in fraud and target in fraud
            (laundering if both else background).append(float(row["value"]))
            if not both:
                sends[source] = sends.get(source, 0) + 1
    return Source(background, laundering, sorted(sends.values()))


def _edges(typology: str, members: list[int], rng: random.Random) -> list[tuple[int, int, int]]:
    """A pattern's transfers: (sender, receiver, days after its start)."""
    size = len(members)
    if typology == "fan_out":
        return [(members[0], m, k) for k, m in enumerate(members[1:])]
    if typology == "cycle":
        return [(members[k], members[(k + 1) % size], k) for k in range(size)]
    if typology == "scatter_gather":
        middle = members[1:-1]
        return [(members[0], m, 0) for m in middle] + [(m, members[-1], 2) for m in middle]
    if typology == "gather_scatter":
        hub, rest = members[0], members[1:]
        half = len(rest) // 2
        return [(m, hub, 0) for m in rest[:half]] + [(hub, m, 2) for m in rest[half:]]
    if typology == "bipartite":
        half = size // 2
        pairs = [(a, b) for a in members[:half] for b in members[half:]]
        return [(a, b, rng.randint(0, 5)) for a, b in pairs if rng.random() < 0.6]
    if typology == "stack":
        third = size // 3
        first, second, last = members[:third], members[third : 2 * third], members[2 * third :]
        return [(a, b, 0) for a in first for b in second] + [
            (b, c, 2) for b in second for c in last
        ]
    raise ValueError(f"unknown typology {typology!r}: one of {', '.join(TYPOLOGIES)}")


def generate(
    folder: Path,
    typology: str,
    seed: int,
    source: Source,
    accounts: int = 20_000,
    patterns: int = 200,
) -> dict[str, int]:
    """Write a sample; return its counts."""
    rng = random.Random(seed)
    rows = _background(rng, source, accounts)
    chosen = rng.sample(range(accounts), accounts)
    fraud: dict[int, int] = {}
    for _ in range(patterns):
        members = [chosen.pop() for _ in range(rng.randint(5, 12))]
        start = rng.randint(1, STEPS - 20)
        amount = rng.choice(source.laundering)
        for sender, receiver, after in _edges(typology, members, rng):
            step = start + after
            rows.append((sender, receiver, round(amount * rng.uniform(0.9, 1.0), 2), step))
            for account in (sender, receiver):
                fraud[account] = min(fraud.get(account, step), step)
    rows.sort(key=lambda row: row[3])
    folder.mkdir(parents=True, exist_ok=True)
    _write(folder / "transactions.csv", ["sourceNodeId", "targetNodeId", "value", "time"], rows)
    nodes = [
        (a, int(a in fraud), round(rng.uniform(100, 200), 2), fraud.get(a, -1))
        for a in range(accounts)
    ]
    _write(folder / "nodes.csv", ["nodeid", "isFraud", "init_balance", "fraudStep"], nodes)
    return {"transfers": len(rows), "accounts": accounts, "fraud": len(fraud)}


def _background(
    rng: random.Random, source: Source, accounts: int
) -> list[tuple[int, int, float, int]]:
    """Every account's ordinary transfers: as many as a sample account's, most to a few payees
    of its own, at any time."""
    rows = []
    for account in range(accounts):
        payees = [rng.randrange(accounts) for _ in range(rng.randint(1, 4))]
        for _ in range(rng.choice(source.sends)):
            payee = rng.choice(payees) if rng.random() < 0.6 else rng.randrange(accounts)
            if payee != account:
                amount = rng.choice(source.background)
                rows.append((account, payee, amount, rng.randint(1, STEPS)))
    return rows


def _write(path: Path, header: list[str], rows: list[tuple[object, ...]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def main() -> None:
    from common import shared_data

    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--typology", choices=TYPOLOGIES, required=True)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    source = read_source(shared_data("tm/amlsim_20K_fanin200"))
    print(generate(args.folder, args.typology, args.seed, source))


if __name__ == "__main__":
    main()
