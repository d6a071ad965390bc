"""The columns of a run on both cores, with the output of one core.

The statistics of a column (permutation tests, LISA) and its maps do not depend on the other
columns, so :func:`in_order` shares them with one forked worker process: each process takes the
next piece nobody has taken. Whatever the split, the caller gets the results in column order,
with each column's warnings replayed just before its result (in the order they were raised), and
a column that fails in the worker is computed again here -- so its error is raised here, with
its own traceback, as a run on one core raises it. Every result is the same value on one core or
two: each column's random draws come from the run's seed, not from the process that draws them
(tests/test_parallel.py compares the two byte for byte).

Only where ``fork`` is the platform's way to start a process (Linux): the worker then shares the
joined layer, the weights and the drawn permutations without copying them; elsewhere, or with
``jobs=1``, the columns run one after the other in this process.
"""

from __future__ import annotations

import multiprocessing
import queue
import sys
import threading
import warnings
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

__all__ = ["default_jobs", "in_order"]

T = TypeVar("T")

# True while in_order runs (in this process and, copied, in its worker): no second level of
# workers for a task that calls in_order itself
_ACTIVE = False


def default_jobs() -> int:
    """Processes a run uses by default: 2 where there are two cores and ``fork``, else 1."""
    import os

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return 2 if (cores or 1) >= 2 and _can_fork() else 1


def _can_fork() -> bool:
    # macOS offers fork, but system frameworks are not fork-safe there; Windows has none
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def in_order(
    task: Callable[[int], T], n: int, *, jobs: int = 1, first: int = 0, here: int = 0
) -> Iterator[T]:
    """``task(0), ..., task(n - 1)`` in order, computed on up to two processes.

    Parameters
    ----------
    task : callable
        ``task(i)`` computes item ``i``; it must not depend on which items ran before it, and
        its result must be picklable (it travels back from the worker).
    n : int
        Number of items.
    jobs : int, optional
        1 (default): one after the other, here. 2 or more, where the platform forks: a worker
        process and this process each take the next item nobody has taken, until none is left (the caller does, as it receives each result, the
        per-item work that must stay in one process -- e.g. writing one GeoPackage).
    first : int, optional
        Items computed here before the worker starts, for what they leave in memory that the
        worker then shares (e.g. the permutations :func:`~spatialinno.measures.arrangements.
        reused_draws` keeps: drawn once, not once per process).
    here : int, optional
        The next ``here`` items are computed in this process only (e.g. those writing a file
        this process writes), while the worker starts on the others.

    Yields
    ------
    The results in item order; each item's warnings are issued again just before its result.
    """
    global _ACTIVE
    if jobs < 2 or n < 2 or _ACTIVE or not _can_fork():
        for i in range(n):
            yield task(i)
        return
    for i in range(min(first, n)):
        yield task(i)
    if first + here >= n:  # nothing the worker may take
        for i in range(first, n):
            yield task(i)
        return
    ctx = multiprocessing.get_context("fork")
    shared = first + here  # the items either process may take: shared..n-1
    bounds = ctx.Array("l", [shared, n - 1])  # [next item to take, last item], locked
    here_end, worker_end = ctx.Pipe(duplex=False)
    _ACTIVE = True
    worker = ctx.Process(target=_worker, args=(task, bounds, worker_end), daemon=True)
    try:
        worker.start()  # forked now: the worker has the task and its data without pickling
        worker_end.close()
        # a thread takes the worker's results as they come: a result bigger than the pipe's
        # buffer would otherwise hold the worker until this process next looks
        arrived: queue.Queue[tuple[int, Any] | None] = queue.Queue()
        reader = threading.Thread(target=_receive, args=(here_end, arrived), daemon=True)
        reader.start()
        results: dict[int, Any] = {}
        ready = first  # the next item to hand to the caller
        worker_gone = False
        own = list(range(first, shared))  # reserved for this process, in order
        while ready < n:
            while True:  # whatever has arrived
                try:
                    got = arrived.get(block=False) if not worker_gone else None
                except queue.Empty:
                    break
                if got is None:
                    worker_gone = True
                    break
                results[got[0]] = got[1]
            if ready in results:
                yield from _handed(task, ready, results.pop(ready))
                ready += 1
            elif own:
                i = own.pop(0)
                results[i] = _attempt(task, i)
            elif (i := _claim(bounds)) is not None:
                results[i] = _attempt(task, i)
            elif worker_gone:  # what the worker took and did not send is done again here
                results[ready] = None
            else:
                got = arrived.get()
                if got is None:
                    worker_gone = True
                else:
                    results[got[0]] = got[1]
    finally:
        _ACTIVE = False
        if worker.is_alive():
            worker.terminate()
        worker.join()
        here_end.close()


def _claim(bounds: Any) -> int | None:
    """The next item nobody has taken, or None. Both processes take from the front: the items
    then arrive nearly in order, so the caller's per-item work (writing a layer) follows the
    computing instead of waiting for the end, and the last item taken is the last one, which a
    caller can make short."""
    with bounds.get_lock():
        lo, hi = bounds[0], bounds[1]
        if lo > hi:
            return None
        bounds[0] = lo + 1
        return int(lo)


def _receive(conn: Any, arrived: queue.Queue[tuple[int, Any] | None]) -> None:
    """The worker's results into ``arrived``, then None when it is gone."""
    try:
        while True:
            arrived.put(conn.recv())
    except (EOFError, OSError):
        pass
    except Exception:  # a result that did not unpickle: done again there
        pass
    arrived.put(None)


def _handed(task: Callable[[int], T], i: int, outcome: Any) -> Iterator[T]:
    if outcome is None:  # failed in the worker: again here, where it raises as usual
        yield task(i)
        return
    value, caught = outcome
    _replay(caught)
    yield value


def _worker(task: Callable[[int], Any], bounds: Any, conn: Any) -> None:
    """The worker process: the next items until none is left, each sent back with its
    warnings, or None when it raised (this process's caller computes it again)."""
    import signal

    # the run's own handlers (e.g. the staging folder's) are the parent's business: an
    # interrupt is the parent's to handle, and terminate() simply ends this process
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    while (i := _claim(bounds)) is not None:
        outcome = _attempt(task, i)
        try:
            if outcome is not None:
                for c in outcome[1]:
                    c.source = None  # may hold anything: not needed to issue it again
            conn.send((i, outcome))
        except Exception:  # did not pickle: the caller's process computes it
            conn.send((i, None))
    conn.close()


def _attempt(task: Callable[[int], T], i: int) -> tuple[T, list[warnings.WarningMessage]] | None:
    """Item ``i`` with its warnings, or None when it raised: computed again at its turn, so that
    the caller has every item before it first, as on one process."""
    try:
        return _recorded(task, i)
    except Exception:  # raised again at its turn (an interrupt is not caught)
        return None


def _recorded(task: Callable[[int], T], i: int) -> tuple[T, list[warnings.WarningMessage]]:
    # the filters in force stay (an "error" filter still raises, "ignore" still hides): only
    # the display is held back, to happen in item order
    with warnings.catch_warnings(record=True) as caught:
        value = task(i)
    return value, list(caught)


_REGISTRY: dict[Any, Any] = {}


def _replay(caught: list[warnings.WarningMessage]) -> None:
    for c in caught:
        warnings.warn_explicit(c.message, c.category, c.filename, c.lineno, registry=_REGISTRY)
