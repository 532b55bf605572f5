"""finmon.common.forked: pools of forked workers whose loss fails the work at once.

Real forked processes and real deaths (SIGKILL, a half-written answer); a run that would wait for
ever instead runs in a thread given a deadline.
"""

from __future__ import annotations

import gc
import os
import signal
import struct
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pytest

from finmon.common.forked import (
    ForkedPool,
    PoolBroken,
    RemoteTraceback,
    forked_pool,
    in_order,
    outcome,
    stop,
)
from finmon.errors import WorkerLost

DEADLINE = 20.0
"""Seconds a pool is given to fail the work of a worker that died."""

_GIVEN: list[int] = []
"""What the workers of a test's pool inherit."""


def _square(number: int) -> int:
    return number * number


def _inherited(index: int) -> int:
    return _GIVEN[index]


def _fails(number: int) -> int:
    raise ValueError(f"no {number}")


def _my_pid(_: int) -> int:
    return os.getpid()


def _half_an_answer(_: int) -> None:
    """Start an answer of 1 MB on this worker's pipe, write 1 kB of it and die, as a worker
    killed while answering leaves its pipe."""
    pipe = next(o for o in gc.get_objects() if isinstance(o, Connection) and not o.closed)
    os.write(pipe.fileno(), struct.pack("!i", 1_000_000) + b"x" * 1000)
    os.kill(os.getpid(), signal.SIGKILL)


def _sleep(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


def _nested(count: int) -> list[int]:
    """A pool made inside a worker (its own workers forked from it)."""
    return list(_squares(count))


def _squares(count: int) -> list[int]:
    pool = forked_pool(2)
    try:
        return [result for _, result in in_order(pool, _square, range(count), 4, str)]
    finally:
        stop(pool)


def _within(seconds: float, call: Callable[[], Any]) -> Any:
    """call(), failing the test if it has not ended in seconds (it is left running)."""
    done: list[tuple[bool, Any]] = []

    def run() -> None:
        try:
            done.append((True, call()))
        except BaseException as exc:  # given to the test
            done.append((False, exc))

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert done, f"still waiting after {seconds} s"
    ok, value = done[0]
    if not ok:
        raise value
    return value


def test_results_come_back_in_order_from_inherited_state() -> None:
    _GIVEN[:] = [7, 11, 13]
    pool = forked_pool(2)
    _GIVEN[:] = []  # the workers keep what they were forked with
    try:
        assert [r for _, r in in_order(pool, _square, range(50), 6, str)] == [
            n * n for n in range(50)
        ]
        assert [outcome(pool.submit(_inherited, i), "x") for i in range(3)] == [7, 11, 13]
    finally:
        stop(pool)


def test_a_task_that_raises_gives_its_exception_with_the_workers_traceback() -> None:
    pool = forked_pool(2)
    try:
        with pytest.raises(ValueError, match="no 3") as raised:
            outcome(pool.submit(_fails, 3), "x")
        assert isinstance(raised.value.__cause__, RemoteTraceback)
        assert "_fails" in str(raised.value.__cause__)
        assert outcome(pool.submit(_square, 4), "x") == 16  # the pool goes on
    finally:
        stop(pool)


def test_the_initializer_runs_in_each_worker_and_its_failure_is_raised() -> None:
    pool = forked_pool(2, _GIVEN.append, (5,))
    try:
        assert outcome(pool.submit(_inherited, 0), "x") == 5
        assert _GIVEN == []
    finally:
        stop(pool)
    with pytest.raises(ValueError, match="no 9"):
        forked_pool(2, _fails, (9,))


def test_a_half_written_answer_fails_the_work_at_once() -> None:
    pool = forked_pool(2)
    try:
        slow = pool.submit(_sleep, 60.0)
        dying = pool.submit(_half_an_answer, 0)
        with pytest.raises(WorkerLost, match="while answering 0"):
            _within(DEADLINE, lambda: outcome(dying, "answering 0"))
        # The other worker's task, under way, is lost with it; new work fails at once.
        with pytest.raises(WorkerLost):
            _within(DEADLINE, lambda: outcome(slow, "sleeping"))
        with pytest.raises(PoolBroken):
            pool.submit(_square, 2).result(timeout=1)
    finally:
        _within(DEADLINE, lambda: stop(pool))


def test_a_worker_killed_idle_fails_the_next_work() -> None:
    pool = forked_pool(2)
    try:
        pids = {outcome(pool.submit(_my_pid, n), "x") for n in range(20)}
        os.kill(min(pids), signal.SIGKILL)
        with pytest.raises(WorkerLost, match="while squaring"):
            _within(
                DEADLINE,
                lambda: [outcome(pool.submit(_sleep, 0.2), "squaring") for _ in range(10)],
            )
    finally:
        _within(DEADLINE, lambda: stop(pool))
    assert all(not Path(f"/proc/{pid}").exists() for pid in pids)


def test_stop_drops_the_tasks_not_started_and_ends_the_workers() -> None:
    pool = forked_pool(2)
    pids = [worker.process.pid for worker in _workers(pool)]
    futures = [pool.submit(_sleep, 0.3) for _ in range(10)]
    time.sleep(0.1)
    _within(DEADLINE, lambda: stop(pool))
    assert [f.result() for f in futures if not f.cancelled()] == [0.3, 0.3]
    assert all(not Path(f"/proc/{pid}").exists() for pid in pids)


def test_a_worker_holds_no_pipe_of_another_pools_workers() -> None:
    first = forked_pool(1)
    second = forked_pool(1)
    try:
        (worker,) = _workers(first)
        (other,) = _workers(second)
        assert _sockets(os.getpid()) >= {_inode(worker.pipe), _inode(other.pipe)}
        assert not _sockets(other.process.pid or 0) & {_inode(worker.pipe)}
    finally:
        stop(second)
        stop(first)


def test_a_worker_can_make_a_pool_of_its_own() -> None:
    pool = forked_pool(1)
    try:
        assert outcome(pool.submit(_nested, 6), "x") == [0, 1, 4, 9, 16, 25]
    finally:
        stop(pool)


def _workers(pool: ForkedPool) -> list[Any]:
    return list(pool._workers)


def _inode(end: Connection) -> str:
    return os.readlink(f"/proc/self/fd/{end.fileno()}")


def _sockets(pid: int) -> set[str]:
    found = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            found.add(os.readlink(fd))
        except OSError:
            continue
    return {link for link in found if link.startswith("socket:")}


def test_pools_made_at_once_in_several_threads_each_work() -> None:
    results: list[list[int]] = []

    def one() -> None:
        for _ in range(3):
            results.append(_squares(20))

    threads = [threading.Thread(target=one) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(DEADLINE)
    assert results == [[n * n for n in range(20)]] * 9


def test_a_pool_whose_pipe_fails_breaks_instead_of_waiting() -> None:
    pool = forked_pool(1)
    try:
        assert outcome(pool.submit(_square, 3), "x") == 9
        _workers(pool)[0].pipe.close()  # what no worker's death does: its pipe gone in here
        with pytest.raises(WorkerLost, match="while squaring 4"):
            _within(DEADLINE, lambda: outcome(pool.submit(_square, 4), "squaring 4"))
    finally:
        _within(DEADLINE, lambda: stop(pool))


def _die(_: int) -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def test_a_worker_killed_as_it_starts_fails_the_making_of_the_pool() -> None:
    with pytest.raises(WorkerLost, match="as it started"):
        _within(DEADLINE, lambda: forked_pool(2, _die, (0,)))
