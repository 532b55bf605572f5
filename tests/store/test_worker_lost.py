"""A worker process killed amid a customer import (the out-of-memory killer, SIGKILL) fails the
import promptly with an error naming the work it lost, instead of leaving it waiting for ever;
the store keeps whole batches and its audit chain stays intact.

Real processes, a real kill: `finmon customers import` runs as a subprocess with two workers; the
test waits for its pool of CSV readers (the first two children it forks) or for its pool of
indexing and screening workers (the next two), kills one with SIGKILL while it works (with the
task it holds) and gives the import
DEADLINE seconds to end.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from bench.scale import write_customers
from finmon.store.audit import verify_audit
from finmon.store.engine import Database, default_database
from finmon.store.models import Customer
from tests.conftest import ROOT

CUSTOMERS = 60_000
"""Rows of the file: enough for the import to run some seconds after its workers appear."""
BATCH = 2000
DEADLINE = 60.0
"""Seconds the import is given to end once a worker is killed."""


@pytest.mark.parametrize(
    ("children", "lost"),
    [(2, "reading lines"), (4, "indexing and screening")],
    ids=["reader", "analysis-worker"],
)
def test_a_killed_worker_fails_the_import(
    tmp_path: Path, finmon_home: Path, children: int, lost: str
) -> None:
    path = write_customers(tmp_path / "customers.csv", CUSTOMERS)
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "FINMON_WORKERS": "2",
        "FINMON_IMPORT_BATCH": str(BATCH),
        "COLUMNS": "200",
    }
    command = [sys.executable, "-c", "from finmon.cli import main; main()"]
    # Its output goes to a file: a pipe would be held open by any worker it left behind.
    with (tmp_path / "stderr").open("w+") as errors:
        proc = subprocess.Popen(
            [*command, "customers", "import", str(path)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=errors,
            text=True,
        )
        try:
            victim = _busy(_nth_child(proc, children))
            os.kill(victim, signal.SIGKILL)
            killed = time.monotonic()
            proc.wait(timeout=DEADLINE)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        errors.seek(0)
        err = errors.read()
    assert time.monotonic() - killed < DEADLINE
    assert proc.returncode != 0, err
    assert "a worker process ended unexpectedly" in err and lost in err, err
    assert "Traceback" not in err, err
    db = default_database()
    try:
        with db.read() as session:
            stored = session.scalar(select(func.count()).select_from(Customer)) or 0
        assert stored % BATCH == 0 and stored < CUSTOMERS
        report = verify_audit(db)
        assert report.ok, report.problem
    finally:
        db.dispose()
    _db_is_unused(db)


def _nth_child(proc: subprocess.Popen[Any], n: int) -> int:
    """The pid of the import's nth forked child, once it has forked n (in the order they were
    started)."""
    give_up = time.monotonic() + 120
    while time.monotonic() < give_up:
        assert proc.poll() is None, "the import ended before it forked its workers"
        children = sorted(_children(proc.pid), key=lambda pid: (_stat(pid)[19], pid))
        if len(children) >= n:
            return children[n - 1]
        time.sleep(0.02)
    raise AssertionError(f"the import forked fewer than {n} workers in 120 s")


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found.extend(int(child) for child in (task / "children").read_text().split())
    return found


def _stat(pid: int) -> list[int | str]:
    """/proc/PID/stat's fields after the command (field 3, the state, first): utime and stime
    are [11] and [12], the start time [19]."""
    text = Path(f"/proc/{pid}/stat").read_text()
    fields = text[text.rindex(")") + 2 :].split()
    return [fields[0], *map(int, fields[1:])]


def _busy(pid: int) -> int:
    """The worker, once it is seen working (its CPU time grows): killed idle, it would lose no
    task, and a multiprocessing.Pool would start another without harm."""

    def used() -> int:
        fields = _stat(pid)
        return int(fields[11]) + int(fields[12])

    before = used()
    give_up = time.monotonic() + 60
    while time.monotonic() < give_up:
        time.sleep(0.05)
        now = used()
        if now > before:
            return pid
        before = now
    raise AssertionError("the worker was not seen working in 60 s")


def _db_is_unused(db: Database) -> None:
    # The store can be opened again for writing: the killed import holds no lock.
    with db.write():
        pass
