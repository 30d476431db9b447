"""Worker processes: the one place that starts them, and the policy that decides when.

Long exports map a function over chunks of their items (an e-book's chapters, a feed's
entries) with :func:`map_chunks`. With workers, a ``concurrent.futures.ProcessPoolExecutor``
with the ``fork`` context runs the chunks: the workers inherit the function and the items
when they are forked, so only chunk numbers go out and results come back. Without them
(:func:`uses_workers` says when), :func:`serial_chunks` maps in this process. Both give the
same results in the same order, errors included.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Generator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

__all__ = ["MIN_ITEMS", "map_chunks", "serial_chunks", "uses_workers"]

T = TypeVar("T")
I = TypeVar("I")

#: Without ``NEWSEXPORT_WORKERS``, work of fewer items than this is not worth forking for.
MIN_ITEMS = 200
#: Chunks submitted ahead per worker: enough that a worker never waits for this process,
#: few enough that results waiting to be read stay small.
_AHEAD = 4

#: In a worker, the job it was forked for: the function, the items and the chunk size.
_job: tuple[Callable[[Sequence[Any]], Any], Sequence[Any], int] | None = None


def _worker_count(count: int, jobs: int | None = None) -> int:
    """How many worker processes :func:`map_chunks` starts for ``count`` items (0: none).

    ``NEWSEXPORT_WORKERS=0`` never starts any; ``NEWSEXPORT_WORKERS=N`` starts N for any work
    of two items or more (tests set it instead of patching thresholds). Unset (or not a
    number), ``jobs`` (what a user asked for, e.g. ``add --jobs``) starts that many, one job
    being this process alone; without it, work of :data:`MIN_ITEMS` or more gets one worker per
    CPU when there are several. Without the ``fork`` start method there are never workers: they
    could not inherit their input.
    """
    if "fork" not in multiprocessing.get_all_start_methods():
        return 0
    setting = os.environ.get("NEWSEXPORT_WORKERS", "").strip()
    if setting.isdigit():
        return int(setting) if count > 1 else 0
    if jobs is not None:
        return jobs if jobs > 1 and count > 1 else 0
    if count < MIN_ITEMS:
        return 0
    cpus = os.cpu_count() or 1
    # One per CPU: this process mostly waits for results. On two CPUs one worker renders everything
    # while a CPU idles: the 1,000-article EPUB took 2.7 s of critical path with one, 1.9 s with two.
    return cpus if cpus > 1 else 0


def uses_workers(count: int) -> bool:
    """Whether :func:`map_chunks` over ``count`` items runs them in worker processes."""
    return _worker_count(count) > 0


def map_chunks(
    function: Callable[[Sequence[I]], T], items: Sequence[I], size: int, *, jobs: int | None = None
) -> Generator[T, None, None]:
    """``function(chunk)`` for each chunk of ``size`` items, in order; in workers when :func:`uses_workers` says so
    (or, given ``jobs``, when the user asked for more than one).

    A failing chunk raises here, in its turn, after every result before it, with its own error.
    """
    return _mapped(function, items, size, _worker_count(len(items), jobs))


def _mapped(
    function: Callable[[Sequence[I]], T], items: Sequence[I], size: int, workers: int
) -> Generator[T, None, None]:
    """:func:`serial_chunks` without ``workers``, else :func:`_pooled_chunks` with no more workers than chunks."""
    workers = min(workers, -(-len(items) // size))
    if workers == 0:
        return serial_chunks(function, items, size)
    return _pooled_chunks(function, items, size, workers)


def serial_chunks(function: Callable[[Sequence[I]], T], items: Sequence[I], size: int) -> Generator[T, None, None]:
    """``function(chunk)`` for each chunk of ``size`` items, in order, in this process."""
    for start in range(0, len(items), size):
        yield function(items[start : start + size])


def _pooled_chunks(
    function: Callable[[Sequence[I]], T], items: Sequence[I], size: int, workers: int
) -> Generator[T, None, None]:
    """:func:`serial_chunks`'s results, computed by ``workers`` forked processes.

    A chunk that fails in a worker (its error, a result that does not pickle, a worker killed
    and the pool broken with it) stops the pool; it and the chunks after it then run here,
    in order, so a real error is raised as :func:`serial_chunks` raises it.
    """
    chunks = -(-len(items) // size)
    # The fork context passes the initializer's arguments to the forked workers as they are: never pickled.
    pool = ProcessPoolExecutor(
        workers, mp_context=multiprocessing.get_context("fork"), initializer=_inherit, initargs=(function, items, size)
    )
    pending: deque[Future[T]] = deque()
    submitted = 0

    def submit(upto: int) -> None:
        """Submit the next chunks, up to chunk ``upto`` (excluded); none once the pool is broken."""
        nonlocal submitted
        try:
            while submitted < min(upto, chunks):
                pending.append(pool.submit(_run_chunk, submitted))
                submitted += 1
        except BrokenProcessPool:
            pass  # the chunks not submitted run here, in their turn

    try:
        submit(workers * _AHEAD)
        for number in range(chunks):
            future = pending.popleft() if pending else None
            if future is None or future.exception() is not None:  # waits; a worker's error is not raised here
                pool.shutdown(cancel_futures=True)  # after the chunks already running: this one runs alone
                yield from serial_chunks(function, items[number * size :], size)
                return
            submit(number + 1 + workers * _AHEAD)
            yield future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _inherit(function: Callable[[Sequence[Any]], Any], items: Sequence[Any], size: int) -> None:
    """In a worker, once: keep the job it inherited."""
    global _job
    _job = (function, items, size)


def _run_chunk(number: int) -> Any:
    """In a worker: chunk ``number`` of the inherited job."""
    assert _job is not None, "a worker runs chunks of the job it was forked with"
    function, items, size = _job
    return function(items[number * size : (number + 1) * size])
