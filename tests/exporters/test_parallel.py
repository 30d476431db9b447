"""Chunks mapped in forked worker processes or in this one (``exporters.parallel``)."""

from __future__ import annotations

import multiprocessing
import os
import signal

import pytest

from exporters import parallel
from exporters.parallel import map_chunks, serial_chunks, uses_workers

MAIN = os.getpid()
needs_fork = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs fork")
pytestmark = pytest.mark.timeout(60)  # a pool that hangs fails the test instead of the suite


def summed(chunk) -> tuple[list[int], int, int]:
    """The chunk's items, their sum and the process that computed it."""
    return list(chunk), sum(chunk), os.getpid()


@pytest.fixture
def workers(monkeypatch):
    """Use ``n`` worker processes for any work of two items or more."""
    return lambda n: monkeypatch.setenv("NEWSEXPORT_WORKERS", str(n))


@needs_fork
@pytest.mark.parametrize("count", [1, 2])
def test_chunks_come_in_order_computed_by_the_workers(workers, count):
    workers(count)
    results = list(map_chunks(summed, list(range(23)), 5))
    assert [chunk for chunk, _, _ in results] == [list(range(n, min(n + 5, 23))) for n in range(0, 23, 5)]
    assert [total for _, total, _ in results] == [10, 35, 60, 85, 63]
    pids = {pid for _, _, pid in results}
    assert MAIN not in pids and 1 <= len(pids) <= count
    assert multiprocessing.active_children() == []  # the pool is shut down once the last chunk is read


@needs_fork
def test_workers_inherit_the_function_and_items_instead_of_receiving_them(workers):
    workers(1)
    unpicklable = [lambda n=n: n * 10 for n in range(6)]  # neither the items nor the closure below pickle
    offset = 1
    results = list(map_chunks(lambda chunk: ([f() + offset for f in chunk], os.getpid()), unpicklable, 4))
    assert [values for values, _ in results] == [[1, 11, 21, 31], [41, 51]]
    assert all(pid != MAIN for _, pid in results)


@needs_fork
def test_a_failing_chunk_raises_its_own_error_after_every_earlier_result(workers):
    workers(2)

    def bad(chunk):
        if 13 in chunk:
            raise ValueError(f"chunk from {chunk[0]} is bad")
        return summed(chunk)

    seen = []
    with pytest.raises(ValueError, match=r"^chunk from 12 is bad$") as raised:
        for chunk, _, _ in map_chunks(bad, list(range(30)), 3):
            seen.append(chunk)
    assert seen == [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9, 10, 11]]
    assert raised.value.__context__ is None and raised.value.__cause__ is None  # raised here, not a worker's copy
    assert multiprocessing.active_children() == []


@needs_fork
def test_a_chunk_failing_only_in_a_worker_is_computed_here(workers):
    workers(1)

    def flaky(chunk):
        if os.getpid() != MAIN and 4 in chunk:
            raise RuntimeError("worker trouble")
        return summed(chunk)

    results = list(map_chunks(flaky, list(range(10)), 2))
    assert [total for _, total, _ in results] == [1, 5, 9, 13, 17]
    assert results[2][2] == MAIN and results[0][2] != MAIN


@needs_fork
def test_a_result_that_does_not_pickle_is_computed_here(workers):
    workers(1)
    results = list(map_chunks(lambda chunk: lambda: sum(chunk), list(range(8)), 3))
    assert [result() for result in results] == [3, 12, 13]


@needs_fork
def test_a_killed_worker_leaves_its_chunk_and_the_rest_to_this_process(workers):
    workers(1)

    def fatal(chunk):
        if os.getpid() != MAIN and 6 in chunk:
            os.kill(os.getpid(), signal.SIGKILL)  # the pool is broken
        return summed(chunk)

    results = list(map_chunks(fatal, list(range(12)), 2))
    assert [chunk for chunk, _, _ in results] == [[n, n + 1] for n in range(0, 12, 2)]
    assert [pid == MAIN for _, _, pid in results][3:] == [True, True, True]
    assert multiprocessing.active_children() == []


@needs_fork
def test_closing_the_results_early_stops_the_workers(workers):
    workers(2)
    results = map_chunks(summed, list(range(100)), 1)
    assert next(results)[1] == 0
    results.close()
    assert multiprocessing.active_children() == []


def test_without_workers_chunks_run_here_in_order_as_they_are_read(workers):
    workers(0)
    calls = []

    def noted(chunk):
        calls.append(list(chunk))
        return summed(chunk)

    results = map_chunks(noted, list(range(7)), 3)
    assert calls == []  # lazily: nothing runs before the first result is read
    assert next(results) == ([0, 1, 2], 3, MAIN) and calls == [[0, 1, 2]]
    assert list(results) == [([3, 4, 5], 12, MAIN), ([6], 6, MAIN)]
    assert list(map_chunks(summed, [], 3)) == [] and list(serial_chunks(summed, [], 3)) == []
    assert list(serial_chunks(summed, list(range(7)), 3)) == [
        ([0, 1, 2], 3, MAIN),
        ([3, 4, 5], 12, MAIN),
        ([6], 6, MAIN),
    ]


@pytest.mark.parametrize(
    ("setting", "cpus", "expected"),
    [
        ("0", 2, {1: False, 2: False, parallel.MIN_ITEMS: False}),
        ("1", 1, {1: False, 2: True, parallel.MIN_ITEMS: True}),
        (" 3 ", 2, {1: False, 2: True}),
        (None, 2, {2: False, parallel.MIN_ITEMS - 1: False, parallel.MIN_ITEMS: True}),
        (None, 1, {parallel.MIN_ITEMS: False, 10_000: False}),
        ("many", 2, {2: False, parallel.MIN_ITEMS: True}),  # not a number: as if unset
    ],
)
@needs_fork
def test_the_workers_policy_follows_newsexport_workers_then_the_size_and_cpus(monkeypatch, setting, cpus, expected):
    if setting is None:
        monkeypatch.delenv("NEWSEXPORT_WORKERS", raising=False)
    else:
        monkeypatch.setenv("NEWSEXPORT_WORKERS", setting)
    monkeypatch.setattr(os, "cpu_count", lambda: cpus)
    assert {count: uses_workers(count) for count in expected} == expected


@needs_fork
def test_the_number_of_workers_set_is_the_number_used(workers):
    workers(2)
    barrier = multiprocessing.get_context("fork").Barrier(2, timeout=20)

    def meet(chunk):
        barrier.wait()  # returns only once two processes wait at once
        return summed(chunk)

    pids = {pid for _, _, pid in map_chunks(meet, list(range(4)), 1)}
    assert len(pids) == 2 and MAIN not in pids
