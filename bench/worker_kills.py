"""Kill a worker of `finmon customers import` at random moments, and count the imports that hang.

    python bench/worker_kills.py [--runs 30] [--child 2] [--max-delay 0.3] [--seed 1]
        [--customers 60000] [--database-url URL]

Each run imports bench/scale.py's generated customer file into a fresh store (SQLite in a
temporary directory, or a database of its own on the --database-url server) with two workers,
waits for the import's --child'th forked process (1-2 are its CSV readers, 3-4 its indexing and
screening workers), sleeps a random 0 to --max-delay seconds and kills it with SIGKILL. An import
must then end within 60 s, failing with an error naming the lost work; one that does not is
counted as hung and killed. tests/store/test_worker_lost.py kills at one moment only; a kill as a
worker writes its answer is the one that hung a pool whose workers share a pipe.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.scale import write_customers  # noqa: E402

DEADLINE = 60.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--child", type=int, default=2)
    parser.add_argument("--max-delay", type=float, default=0.3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--customers", type=int, default=60_000)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    outcomes: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as work:
        path = write_customers(Path(work) / "customers.csv", args.customers)
        for run in range(args.runs):
            delay = rng.uniform(0, args.max_delay)
            outcome = one_run(Path(work) / f"run{run}", path, args, delay)
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
            print(f"run {run + 1}: killed child {args.child} after {delay:.2f} s: {outcome}")
    print(
        f"{args.runs} runs: {outcomes.get('hung', 0)} hung; "
        + ", ".join(f"{name} {count}" for name, count in sorted(outcomes.items()))
    )
    print(
        f"command: python bench/worker_kills.py --runs {args.runs} --child {args.child} "
        f"--max-delay {args.max_delay} --seed {args.seed} --customers {args.customers}"
    )


def one_run(home: Path, path: Path, args: argparse.Namespace, delay: float) -> str:
    """'failed' (the import ended with an error naming lost work), 'ended' (it ended otherwise:
    killed too late or too early to lose work), or 'hung'."""
    env = {
        **os.environ,
        "FINMON_HOME": str(home),
        "FINMON_WORKERS": "2",
        "FINMON_IMPORT_BATCH": "2000",
        "PYTHONPATH": str(ROOT),
    }
    if args.database_url:
        env["FINMON_DATABASE_URL"] = fresh_database(args.database_url, home.name)
    command = [sys.executable, "-c", "from finmon.cli import main; main()", "customers", "import"]
    with (home.parent / f"{home.name}.err").open("w+") as errors:
        proc = subprocess.Popen(
            [*command, str(path)], env=env, stdout=subprocess.DEVNULL, stderr=errors
        )
        victim = nth_child(proc, args.child)
        time.sleep(delay)
        if victim is not None:
            with contextlib.suppress(ProcessLookupError):  # it ended already
                os.kill(victim, signal.SIGKILL)
        try:
            proc.wait(timeout=DEADLINE)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            return "hung"
        errors.seek(0)
        lost = "a worker process ended unexpectedly" in errors.read()
    return "failed" if proc.returncode != 0 and lost else "ended"


def nth_child(proc: subprocess.Popen[bytes], n: int) -> int | None:
    """The pid of the process's nth forked child (by start time) once there are n, or None
    when it ended first."""
    while proc.poll() is None:
        children = sorted(children_of(proc.pid), key=start_time)
        if len(children) >= n:
            return children[n - 1]
        time.sleep(0.01)
    return None


def children_of(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            found.extend(int(child) for child in (task / "children").read_text().split())
    except OSError:
        pass
    return found


def start_time(pid: int) -> tuple[int, int]:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return (1 << 62, pid)
    return (int(text[text.rindex(")") + 2 :].split()[19]), pid)


def fresh_database(server: str, name: str) -> str:
    """A new database on the server, its URL."""
    from sqlalchemy import create_engine, text

    engine = create_engine(server, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "wk_{name}"'))
        connection.execute(text(f'CREATE DATABASE "wk_{name}"'))
    engine.dispose()
    return server.rsplit("/", 1)[0] + f"/wk_{name}"


if __name__ == "__main__":
    main()
