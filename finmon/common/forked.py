"""Pools of forked worker processes whose loss fails the work at once instead of hanging it.

A worker the kernel kills (the out-of-memory killer, SIGKILL) takes the task it held with it. A
multiprocessing.Pool quietly starts another worker and waits for that task for ever; a
concurrent.futures.ProcessPoolExecutor marks itself broken and every task not yet given back
raises BrokenProcessPool, which `outcome` turns into WorkerLost naming the work that was lost.
The workers are forked, so they inherit what the caller built (an index, a screener) rather than
have it pickled to them.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from finmon.errors import WorkerLost

T = TypeVar("T")
U = TypeVar("U")


def can_fork() -> bool:
    """Whether this platform forks processes (not on Windows)."""
    return "fork" in multiprocessing.get_all_start_methods()


def forked_pool(
    count: int, initializer: Callable[..., None] | None = None, initargs: tuple[Any, ...] = ()
) -> ProcessPoolExecutor:
    """count forked workers, forked now (with the caller's heap as it is now, under its
    heap_frozen for one), not at the first task; initializer runs in each with initargs,
    inherited, not pickled."""
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(count, context, _start, (os.getpid(), initializer, initargs))
    pool.submit(int).result()
    return pool


def _start(parent: int, initializer: Callable[..., None] | None, initargs: tuple[Any, ...]) -> None:
    """In a worker, first: end with the process that forked it, then run the initializer."""
    _end_with(parent)
    if initializer is not None:
        initializer(*initargs)


PR_SET_PDEATHSIG = 1
"""prctl's option: the signal this process gets when the one that forked it ends (Linux)."""


def _end_with(parent: int) -> None:
    """Have the kernel kill this worker when its parent ends: a pool's idle workers wait on a
    pipe their parent does not close if it is killed, and would otherwise wait for ever (holding
    the store's connection open). Linux sends the signal when the THREAD that forked the worker
    ends, so a pool is made, used and stopped by one thread (every caller does: forked_pool ...
    stop). Elsewhere than on Linux nothing is done."""
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return
    prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it ended before the request was made
        os._exit(1)


def submit(pool: ProcessPoolExecutor, function: Callable[[T], U], item: T) -> Future[U]:
    """pool.submit(function, item), or, when the pool is broken already, a future that fails as
    the lost work's does (outcome names the work first waited for, the one lost)."""
    try:
        return pool.submit(function, item)
    except BrokenProcessPool as exc:
        failed: Future[U] = Future()
        failed.set_exception(exc)
        return failed


def outcome(future: Future[T], work: str) -> T:
    """The future's result; WorkerLost naming the work (a phrase such as "reading lines 1-1000 of
    x.csv") when a worker of its pool died before giving it back."""
    try:
        return future.result()
    except BrokenProcessPool as exc:
        raise WorkerLost(
            f"a worker process ended unexpectedly (killed, out of memory?) while {work}: "
            "that work is lost and was not written"
        ) from exc


def in_order(
    pool: ProcessPoolExecutor,
    function: Callable[[T], U],
    items: Iterable[T],
    ahead: int,
    work: Callable[[T], str],
) -> Iterator[tuple[T, U]]:
    """Each item with function of it, worked out by the pool's workers with up to ahead items
    under way, given back in the items' order; WorkerLost naming work(item) of the first item
    lost."""
    window: deque[tuple[T, Future[U]]] = deque()
    for item in items:
        window.append((item, submit(pool, function, item)))
        if len(window) >= ahead:
            first, future = window.popleft()
            yield first, outcome(future, work(first))
    while window:
        first, future = window.popleft()
        yield first, outcome(future, work(first))


def stop(pool: ProcessPoolExecutor) -> None:
    """End the pool: the tasks not started are dropped, those under way finish first."""
    pool.shutdown(wait=True, cancel_futures=True)
