"""A forked screening worker killed amid `screen_many` (the out-of-memory killer, SIGKILL) fails
the run at once with an error naming the parties lost, instead of leaving it waiting for ever.

A real kill: the parties are fed to the workers from this process, which kills one of its own
forked workers once a few chunks are under way.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from finmon.errors import WorkerLost
from finmon.lists import FIXTURE_DIR, parse_files
from finmon.model import Party, Schema
from finmon.screening import Screener


def test_a_killed_screening_worker_fails_the_run() -> None:
    parsed = parse_files([FIXTURE_DIR / "un_list_fixture.xml"])
    screener = Screener(parsed.designations, {parsed.source: parsed.version})
    before = _own_children()

    def parties() -> Iterator[Party]:
        for number in range(5000):
            if number == 1000:
                workers = sorted(_own_children() - before)
                assert len(workers) == 2, workers
                os.kill(workers[0], signal.SIGKILL)
            yield Party(str(number), ["KARAGULOV TIMUR"], Schema.PERSON)

    with pytest.raises(WorkerLost, match=r"while screening parties [\d,]+-[\d,]+ \(\d+ \.\.\.\)"):
        for _ in screener.screen_many(parties(), workers=2):
            pass


def _own_children() -> set[int]:
    tasks = Path(f"/proc/{os.getpid()}/task")
    return {int(pid) for task in tasks.iterdir() for pid in (task / "children").read_text().split()}
