"""What two forked screening workers spend beyond one process, and on what.

    python bench/workers.py [--names 20000] [--rounds 1]

The screener over UN 2026 + OFAC SDN 2021 is built, pickled and read back as the screener cache
gives it to `finmon screen` (list names and tokens unpickled as they are met), and the queries of
bench/speed.py are screened in forked children, the parties dealt in chunks of FORK_CHUNK as the
worker pool deals them: by one process; by two at once (the CLI's way); by each half alone, one
after the other (the same work without two processes sharing the cores); and each half in a
process that screened the other half first (warm: what the first half worked out is reused). Cold
less warm is what a worker works out again because it does not have the other's results: the
part of the two workers' extra CPU that sharing their tables could save at most. Each child
reports its user and system CPU and what it worked out: token pairs compared, query tokens looked
up, list names and tokens unpickled.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import resource
from collections.abc import Callable, Sequence
from typing import Any

from common import load_ofac, load_un, row_party
from speed import select_queries

from finmon.model import Party
from finmon.screening import Screener
from finmon.screening.index import Unpickled
from finmon.screening.namescore import _SIM_CACHE
from finmon.screening.screener import FORK_CHUNK, heap_frozen, read_frozen


def main() -> None:
    """Print CPU and counts of each way of screening the same queries."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--names", type=int, default=20_000, help="query names to screen")
    parser.add_argument("--rounds", type=int, default=1, help="times to run every way")
    args = parser.parse_args()
    parties = [row_party(row, row["id"]) for row in select_queries(args.names)]
    with heap_frozen():
        built = pickle.dumps(Screener(load_un() + load_ofac()), pickle.HIGHEST_PROTOCOL)
        screener = read_frozen(lambda: pickle.loads(built))
        for number in range(1, args.rounds + 1):
            print(f"round {number}, load average {os.getloadavg()[0]:.1f}", flush=True)
            for label, children in _ways(screener, parties):
                found = children()
                cpu = sum(child["user"] + child["sys"] for child in found)
                each = ", ".join(_described(child) for child in found)
                print(f"  {label}: CPU {cpu:.2f} s ({each})", flush=True)
        print(f"load average {os.getloadavg()[0]:.1f}")


Child = dict[str, Any]


def _ways(
    screener: Screener, parties: Sequence[Party]
) -> list[tuple[str, Callable[[], list[Child]]]]:
    def at_once() -> list[Child]:
        return _reaped(
            [_forked(screener, [_share(parties, 0)]), _forked(screener, [_share(parties, 1)])]
        )

    def halves(*shares: int) -> list[Sequence[Party]]:
        return [_share(parties, share) for share in shares]

    return [
        ("one process", lambda: _reaped([_forked(screener, [parties])])),
        ("two at once", at_once),
        ("half 1 alone, then half 2 alone", lambda: _one_by_one(screener, halves(0), halves(1))),
        ("each half after the other", lambda: _one_by_one(screener, halves(1, 0), halves(0, 1))),
    ]


def _share(parties: Sequence[Party], share: int) -> list[Party]:
    """Every other chunk of FORK_CHUNK parties, from the first (0) or the second (1)."""
    return [p for i, p in enumerate(parties) if (i // FORK_CHUNK) % 2 == share]


def _one_by_one(screener: Screener, *runs: list[Sequence[Party]]) -> list[Child]:
    return [child for batches in runs for child in _reaped([_forked(screener, batches)])]


def _forked(screener: Screener, batches: list[Sequence[Party]]) -> tuple[int, int]:
    """A child screening the batches in turn; it reports on the last one alone."""
    read, write = os.pipe()
    pid = os.fork()
    if pid:
        os.close(write)
        return pid, read
    os.close(read)
    for batch in batches[:-1]:
        for party in batch:
            screener.screen(party)
    before = (resource.getrusage(resource.RUSAGE_SELF), *_counts(screener))
    for party in batches[-1]:
        screener.screen(party)
    after = (resource.getrusage(resource.RUSAGE_SELF), *_counts(screener))
    report = {
        "user": after[0].ru_utime - before[0].ru_utime,
        "sys": after[0].ru_stime - before[0].ru_stime,
        "pairs": after[1] - before[1],
        "lookups": after[2] - before[2],
        "unpickled": after[3] - before[3],
    }
    os.write(write, json.dumps(report).encode())
    os._exit(0)


def _counts(screener: Screener) -> tuple[int, int, int]:
    """Token pairs compared, query tokens looked up, list names and tokens unpickled so far."""
    index = screener.index
    unpickled = 0
    for table in (index.names, index._tokens):
        if isinstance(table, Unpickled):
            unpickled += sum(item is not None for item in table._items)
    return len(_SIM_CACHE), len(index._met), unpickled


def _reaped(children: list[tuple[int, int]]) -> list[Child]:
    found = []
    for pid, read in children:
        with os.fdopen(read, "rb") as pipe:
            data = pipe.read()
        os.waitpid(pid, 0)
        found.append(json.loads(data))
    return found


def _described(child: Child) -> str:
    return (
        f"user {child['user']:.2f} sys {child['sys']:.2f}; {child['pairs']:,} token pairs, "
        f"{child['lookups']:,} lookups, {child['unpickled']:,} unpickled"
    )


if __name__ == "__main__":
    main()
