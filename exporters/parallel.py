"""Forked worker processes: how many a step may start, and work shared between this process and one."""

from __future__ import annotations

import multiprocessing
import os
import pickle
import queue
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

__all__ = ["map_chunks", "uses_workers", "fork_workers", "shared_map", "shared_runs", "shared_batches"]

T = TypeVar("T")
I = TypeVar("I")


def fork_workers(limit: int) -> int:
    """Worker processes to use, at most ``limit``: one CPU is left to the main process, and
    without ``fork`` (workers inherit their input instead of being sent it) there are none."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return 0
    return max(0, min(limit, (os.cpu_count() or 1) - 1))


#: How often this process looks whether a worker it waits for is still alive.
_POLL_SECONDS = 0.5


def shared_map(task: Callable[[int], T], count: int, *, worker: bool = True, ahead: int = 8) -> Iterator[T]:
    """``task(0)`` … ``task(count - 1)``, in order, computed by this process and one forked worker together.

    The worker is forked when iteration starts and inherits this process's memory, so a task's
    inputs are never sent; only results come back (pickled). Tasks are handed out in order from
    a shared counter to whichever process is free: when the next result is still in the
    worker's hands, this process computes later tasks instead of waiting, so the two stay busy
    whatever the speed of each. At most ``ahead`` of the worker's results wait to be read.

    Results are the same as ``map(task, range(count))``, errors included: a task that fails in
    the worker (or whose result cannot be pickled), or ahead of its turn here, or a worker that
    dies, only moves tasks back to run here in their turn, so a failing task raises here, after
    every result before it. Without ``worker``, without fork or on one CPU, every task runs
    here in order.
    """
    if not (worker and count > 1 and fork_workers(1)):
        for index in range(count):
            yield task(index)
        return
    context = multiprocessing.get_context("fork")
    counter, lock = context.RawValue("q", 0), context.Lock()
    room = context.Semaphore(ahead)
    results = context.Queue()

    def take() -> int:
        with lock:
            index = counter.value
            counter.value = index + 1
        return index

    process = context.Process(target=_work, args=(task, count, take, room, results), daemon=True)
    process.start()
    ready: dict[int, T] = {}
    from_worker: set[int] = set()
    handed_back: set[int] = set()
    worker_done = False
    try:
        for index in range(count):
            while index not in ready:
                if not worker_done:
                    worker_done = _collect(results, ready, from_worker, handed_back, block=False)
                    if index in ready:
                        break
                if index in handed_back:
                    ready[index] = task(index)  # it failed in the worker: run here, where its error is reported
                    break
                mine = take()
                if mine < count:
                    try:
                        ready[mine] = task(mine)
                    except Exception:
                        if mine == index:
                            raise
                        handed_back.add(mine)  # a later task: run again in its turn, so errors come in order
                elif worker_done or not process.is_alive() and results.empty():
                    ready[index] = task(index)  # the worker died holding it
                else:
                    worker_done = _collect(results, ready, from_worker, handed_back, block=True)
            if index in from_worker:
                from_worker.discard(index)
                room.release()
            yield ready.pop(index)
    finally:
        if process.is_alive():
            process.terminate()
        process.join()
        results.close()


def shared_runs(function: Callable[[I], T], items: Sequence[I], size: int, *, worker: bool = True) -> Iterator[list[T]]:
    """``function`` of each item, a list per run of ``size`` items in order: :func:`shared_map` over the runs."""
    return shared_batches(lambda run: [function(item) for item in run], items, size, worker=worker)


def shared_batches(
    function: Callable[[Sequence[I]], T], items: Sequence[I], size: int, *, worker: bool = True
) -> Iterator[T]:
    """``function`` of each run of ``size`` items, in order: :func:`shared_map` over the runs."""
    return shared_map(
        lambda number: function(items[number * size : (number + 1) * size]), -(-len(items) // size), worker=worker
    )


def _collect(results, ready: dict, from_worker: set, handed_back: set, *, block: bool) -> bool:
    """Move the worker's finished results into ``ready`` (failed tasks into ``handed_back``); True once it is done."""
    while True:
        try:
            message = results.get(timeout=_POLL_SECONDS) if block else results.get_nowait()
        except queue.Empty:
            return False
        if message is None:
            return True
        index, data = message
        if data is None:
            handed_back.add(index)
        else:
            ready[index] = pickle.loads(data)
            from_worker.add(index)
        block = False


def _work(task: Callable[[int], object], count: int, take: Callable[[], int], room, results) -> None:
    """In the worker: take tasks until none is left; a failed task is handed back as ``(index, None)``."""
    while True:
        room.acquire()
        index = take()
        if index >= count:
            break
        try:
            data = pickle.dumps(task(index), pickle.HIGHEST_PROTOCOL)
        except BaseException:  # noqa: BLE001 - this process runs the task again and reports it properly
            results.put((index, None))
            break
        results.put((index, data))
    results.put(None)
    results.close()
    results.join_thread()


#: Fewer items than this are not worth a worker process.
MIN_ITEMS = 200


def uses_workers(count: int) -> bool:
    """Whether :func:`map_chunks` over ``count`` items will share the work with worker processes.

    ``NEWSEXPORT_WORKERS=0`` never uses them; a positive number uses them for any work of two
    items or more (tests set it instead of patching thresholds).
    """
    setting = os.environ.get("NEWSEXPORT_WORKERS", "").strip()
    if setting.isdigit():
        return int(setting) > 0 and count > 1 and fork_workers(1) > 0
    return count >= MIN_ITEMS and fork_workers(1) > 0


def map_chunks(function: Callable[[Sequence[I]], T], items: Sequence[I], size: int) -> Iterator[T]:
    """``function(chunk)`` for each chunk of ``size`` items, in order; with workers when :func:`uses_workers` says so.

    A failing chunk raises here, in its turn, after every result before it.
    """
    return shared_batches(function, items, size, worker=uses_workers(len(items)))
