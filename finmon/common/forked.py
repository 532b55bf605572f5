"""Pools of forked worker processes whose loss fails the work at once instead of hanging it.

A worker the kernel kills (the out-of-memory killer, SIGKILL) takes the task it held with it, and
may die halfway through writing its answer. A multiprocessing.Pool starts another worker and
waits for the lost task for ever. A concurrent.futures.ProcessPoolExecutor's workers share one
pipe for their answers and a lock to write it: one killed as it answers leaves half an answer in
the pipe and the lock held, and the executor waits for ever for the rest (a CSV reader of
`finmon customers import` killed as it answered hung the import about once in ten kills).

Here each worker has a pipe of its own that no other process holds open (a worker forked later
closes its copies of every pool's ends), so a worker that dies leaves its pipe at end of file and
its process sentinel ready, whatever it was doing. The pool's thread gives each idle worker the
next task and takes its answer; at the first loss it fails every task not given back, which
`outcome` turns into WorkerLost naming the work that was lost. The workers are forked, so they
inherit what the caller built (an index, a screener) rather than have it pickled to them.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import pickle
import signal
import threading
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any, TypeVar

from finmon.errors import WorkerLost

T = TypeVar("T")
U = TypeVar("U")


def can_fork() -> bool:
    """Whether this platform forks processes (not on Windows)."""
    return "fork" in multiprocessing.get_all_start_methods()


class PoolBroken(Exception):
    """A task's failure when a worker of its pool died before every task was given back."""


class RemoteTraceback(Exception):
    """The traceback, in a worker, of the exception a task raised there (its __cause__)."""

    def __str__(self) -> str:
        return str(self.args[0])


_Task = tuple[Future[Any], Callable[[Any], Any], Any]

_PARENT_ENDS: set[Connection] = set()
"""This process's ends of the pipes of its live pools: a worker closes its copies first, so that
a worker's pipe reaches end of file when that worker dies and no worker keeps another's open."""
_FORKING = threading.Lock()
"""Held while a worker's pipe is made and its end given to it (a worker of a pool forked meanwhile
in another thread would hold that end open), and while _PARENT_ENDS changes."""


@dataclass(eq=False)
class _Worker:
    process: BaseProcess
    pipe: Connection
    task: _Task | None = None


@dataclass(eq=False)
class ForkedPool:
    """count forked workers, forked now with the caller's heap as it is now (under its
    heap_frozen for one); initializer runs in each with initargs, inherited, not pickled. Made,
    used and stopped by one thread (see _end_with)."""

    count: int
    initializer: Callable[..., object] | None = None
    initargs: tuple[Any, ...] = ()
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _queue: deque[_Task] = field(default_factory=deque)
    _broken: PoolBroken | None = None
    _closing: bool = False
    _woken: bool = False

    def __post_init__(self) -> None:
        assert can_fork(), "forked pools need fork (not on Windows)"
        self._wake_in, self._wake_out = multiprocessing.Pipe(duplex=False)
        with _FORKING:
            _PARENT_ENDS.update((self._wake_in, self._wake_out))
        self._workers: list[_Worker] = []
        try:
            for _ in range(self.count):
                self._workers.append(self._fork())
            for worker in self._workers:  # each has run the initializer
                _answer(worker.pipe.recv_bytes())
        except BaseException as exc:
            self._broken = PoolBroken("a worker did not start")
            self._end_workers()
            if isinstance(exc, EOFError | OSError):  # it died before its first word
                raise WorkerLost(
                    "a worker process ended unexpectedly (killed, out of memory?) as it started: "
                    "no work was given to it"
                ) from exc
            raise
        self._thread = threading.Thread(target=self._serve, name="forked-pool", daemon=True)
        self._thread.start()

    def submit(self, function: Callable[[T], U], item: T) -> Future[U]:
        """A future of function(item), worked out by the first idle worker; failed at once
        (PoolBroken) when a worker has died already."""
        future: Future[U] = Future()
        with self._lock:
            if self._broken is not None:
                future.set_exception(self._broken)
                return future
            if self._closing:
                raise RuntimeError("the pool is stopped")
            self._queue.append((future, function, item))
            self._wake()
        return future

    def stop(self) -> None:
        """End the pool: the tasks not started are dropped, those under way finish first (or
        fail, when a worker dies)."""
        with self._lock:
            self._closing = True
            for future, _, _ in self._queue:
                future.cancel()
            self._queue.clear()
            self._wake()
        self._thread.join()
        self._end_workers()

    def _fork(self) -> _Worker:
        context = multiprocessing.get_context("fork")
        with _FORKING:
            mine, theirs = context.Pipe()
            closed = [*_PARENT_ENDS, mine]
            args = (os.getpid(), theirs, closed, self.initializer, self.initargs)
            process = context.Process(target=_work, args=args, name="finmon-worker")
            try:
                process.start()
            finally:
                theirs.close()
            _PARENT_ENDS.add(mine)
        return _Worker(process, mine)

    def _wake(self) -> None:
        """Have the thread look again (under the lock; one wake-up pending at most, so the pipe
        never fills)."""
        if not self._woken:
            self._woken = True
            self._wake_out.send_bytes(b"")

    def _serve(self) -> None:
        """The pool's thread: give out tasks and take answers until the pool is stopped with
        nothing under way, or broken. Should it fail itself, the pool breaks (no task is left
        waiting for an answer no one will take)."""
        try:
            while self._turn():
                pass
        except BaseException as exc:
            with self._lock:
                self._lose(f"the pool's thread failed ({exc!r})")
            raise

    def _turn(self) -> bool:
        """Give out tasks, wait for answers, deaths or new tasks, take the answers; False when
        the pool's work is over."""
        with self._lock:
            lost = self._give_out()
            if lost is not None:
                self._lose(f"worker {lost.process.pid} ended unexpectedly")
            if self._broken is not None or (
                self._closing and all(w.task is None for w in self._workers)
            ):
                return False
            watched: list[Any] = [self._wake_in]
            for worker in self._workers:
                watched.append(worker.process.sentinel)
                if worker.task is not None:
                    watched.append(worker.pipe)
        ready = set(wait(watched))
        with self._lock:
            if self._wake_in in ready:
                self._wake_in.recv_bytes()
                self._woken = False
            lost = self._take_answers(ready)
            if lost is not None:
                self._lose(f"worker {lost.process.pid} ended unexpectedly")
        return True

    def _give_out(self) -> _Worker | None:
        """Give each idle worker the next task (a worker waiting for one reads it at once, so
        the sending does not wait on its work); the worker found dead, if one is."""
        for worker in self._workers:
            if worker.task is not None or not self._queue:
                continue
            task = self._queue.popleft()
            future, function, item = task
            if not future.set_running_or_notify_cancel():
                continue
            try:
                message = pickle.dumps((function, item), pickle.HIGHEST_PROTOCOL)
            except Exception as exc:  # the task's own failure, given back to it
                future.set_exception(exc)
                continue
            worker.task = task
            try:
                worker.pipe.send_bytes(message)
            except OSError:
                return worker
        return None

    def _take_answers(self, ready: set[Any]) -> _Worker | None:
        """Take the answers waiting; the first worker found dead, if one is."""
        for worker in self._workers:
            if worker.task is not None and worker.pipe in ready:
                try:
                    message = worker.pipe.recv_bytes()
                except (EOFError, OSError):
                    return worker
                future = worker.task[0]
                worker.task = None
                try:
                    future.set_result(_answer(message))
                except Exception as exc:  # the task's own failure, given back
                    future.set_exception(exc)
            elif worker.process.sentinel in ready:
                return worker
        return None

    def _lose(self, why: str) -> None:
        """A worker died (why says which): every task not given back fails (under the lock)."""
        self._broken = PoolBroken(why)
        for other in self._workers:
            if other.task is not None:
                other.task[0].set_exception(self._broken)
                other.task = None
        for future, _, _ in self._queue:
            if future.set_running_or_notify_cancel():
                future.set_exception(self._broken)
        self._queue.clear()

    def _end_workers(self) -> None:
        """Ask the workers to end (kill them, when the pool is broken) and wait for them."""
        for worker in self._workers:
            if self._broken is None:
                with contextlib.suppress(OSError):  # it died: it is joined below
                    worker.pipe.send_bytes(b"")
            elif worker.process.is_alive():
                worker.process.kill()
        for worker in self._workers:
            # Not Process.close() after: a Process.start() in another thread reaps every ended
            # child, and join() here may then return before that thread has noted the exit code
            # (close() would call the worker still running). Its sentinel closes when collected.
            worker.process.join()
            _close(worker.pipe)
        _close(self._wake_in)
        _close(self._wake_out)


def _close(end: Connection) -> None:
    with _FORKING:
        _PARENT_ENDS.discard(end)
    end.close()


def _answer(message: bytes) -> Any:
    """What a worker's message gives: the task's result, or the exception it raised."""
    ok, value, remote = pickle.loads(message)
    if not ok:
        value.__cause__ = RemoteTraceback(remote)
        raise value
    return value


def _work(
    parent: int,
    pipe: Connection,
    closed: list[Connection],
    initializer: Callable[..., object] | None,
    initargs: tuple[Any, ...],
) -> None:
    """A worker: close the other pipes' ends it inherited, end with its parent, run the
    initializer, then work out each task it is sent until it is sent b"" or its pipe ends.
    Ctrl-C is left to the parent, which stops the pool."""
    global _FORKING
    for end in closed:
        end.close()
    _PARENT_ENDS.clear()
    _FORKING = threading.Lock()  # forked while held: a pool this worker makes takes it anew
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _end_with(parent)
    pipe.send_bytes(_outcome(initializer or _nothing, *initargs))
    while True:
        try:
            message = pipe.recv_bytes()
        except EOFError:
            return
        if not message:
            return
        function, item = pickle.loads(message)
        pipe.send_bytes(_outcome(function, item))


def _nothing(*_: Any) -> None:
    pass


def _outcome(function: Callable[..., Any], *args: Any) -> bytes:
    """function(*args), or the exception it raised with its traceback, pickled."""
    try:
        return pickle.dumps((True, function(*args), ""), pickle.HIGHEST_PROTOCOL)
    except BaseException as exc:  # given back to the task's caller
        remote = "".join(traceback.format_exception(exc))
        try:
            return pickle.dumps((False, exc, remote), pickle.HIGHEST_PROTOCOL)
        except Exception:  # an exception that does not pickle
            return pickle.dumps((False, RuntimeError(repr(exc)), remote), pickle.HIGHEST_PROTOCOL)


def forked_pool(
    count: int, initializer: Callable[..., object] | None = None, initargs: tuple[Any, ...] = ()
) -> ForkedPool:
    """count forked workers, forked now (with the caller's heap as it is now, under its
    heap_frozen for one), not at the first task; initializer runs in each with initargs,
    inherited, not pickled."""
    return ForkedPool(count, initializer, initargs)


PR_SET_PDEATHSIG = 1
"""prctl's option: the signal this process gets when the one that forked it ends (Linux)."""


def _end_with(parent: int) -> None:
    """Have the kernel kill this worker when its parent ends: a worker waiting for a task would
    otherwise wait for ever if its parent were killed (holding the store's connection open).
    Linux sends the signal when the THREAD that forked the worker ends, so a pool is made, used
    and stopped by one thread (every caller does: forked_pool ... stop). Elsewhere than on Linux
    nothing is done."""
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return
    prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it ended before the request was made
        os._exit(1)


def submit(pool: ForkedPool, function: Callable[[T], U], item: T) -> Future[U]:
    """pool.submit(function, item): when the pool is broken already, a future that fails as
    the lost work's does (outcome names the work first waited for, the one lost)."""
    return pool.submit(function, item)


def outcome(future: Future[T], work: str) -> T:
    """The future's result; WorkerLost naming the work (a phrase such as "reading lines 1-1000 of
    x.csv") when a worker of its pool died before giving it back."""
    try:
        return future.result()
    except PoolBroken as exc:
        raise WorkerLost(
            f"a worker process ended unexpectedly (killed, out of memory?) while {work}: "
            "that work is lost and was not written"
        ) from exc


def in_order(
    pool: ForkedPool,
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


def stop(pool: ForkedPool) -> None:
    """End the pool: the tasks not started are dropped, those under way finish first."""
    pool.stop()
