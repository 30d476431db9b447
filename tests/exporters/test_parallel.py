"""Work shared between the main process and a forked worker (``exporters.workers.shared_map``)."""

from __future__ import annotations

import os
import time

import pytest

from exporters import parallel as workers
from exporters.parallel import shared_map

needs_two_cpus = pytest.mark.skipif(not workers.fork_workers(1), reason="needs fork and two CPUs")
MAIN = os.getpid()


def slow(index: int) -> tuple[int, int]:
    time.sleep(0.01)  # long enough that both processes take tasks, whatever the machine's load
    return index * index, os.getpid()


@needs_two_cpus
def test_results_come_in_order_computed_by_both_processes():
    results = list(shared_map(slow, 40))
    assert [value for value, _ in results] == [n * n for n in range(40)]
    pids = {pid for _, pid in results}
    assert MAIN in pids and len(pids) == 2


def test_without_a_worker_every_task_runs_here_in_order():
    order = []
    assert list(shared_map(lambda n: order.append(n) or n, 5, worker=False)) == [0, 1, 2, 3, 4]
    assert order == [0, 1, 2, 3, 4]
    assert list(shared_map(slow, 1)) == [(0, MAIN)] and list(shared_map(slow, 0)) == []


@needs_two_cpus
def test_a_task_failing_in_the_worker_runs_again_here():
    def flaky(index: int):
        if os.getpid() != MAIN:
            raise RuntimeError("worker trouble")
        return slow(index)

    assert [value for value, _ in shared_map(flaky, 20)] == [n * n for n in range(20)]


@needs_two_cpus
def test_a_result_that_cannot_be_pickled_is_computed_here():
    results = list(shared_map(lambda n: (time.sleep(0.01), lambda: n)[1], 20))
    assert [f() for f in results] == list(range(20))


@needs_two_cpus
def test_a_worker_that_dies_leaves_its_task_to_this_process():
    def fatal(index: int):
        if os.getpid() != MAIN:
            os._exit(3)
        return slow(index)

    assert [value for value, _ in shared_map(fatal, 10)] == [n * n for n in range(10)]


@needs_two_cpus
def test_a_failing_task_raises_here_with_its_own_error():
    def bad(index: int):
        if index == 13:
            raise ValueError(f"task {index} is bad")
        if os.getpid() != MAIN:
            time.sleep(0.03)  # a slow worker: this process runs ahead of its turn, and meets task 13 early
        return slow(index)

    seen = []
    with pytest.raises(ValueError, match=r"^task 13 is bad$"):
        for value, _ in shared_map(bad, 30):
            seen.append(value)
    assert seen == [n * n for n in range(13)]


@pytest.mark.parametrize("worker", [False, pytest.param(True, marks=needs_two_cpus)])
def test_runs_and_batches_cover_every_item_once_in_order(worker):
    items = list(range(23))
    batches = list(workers.shared_batches(lambda run: (len(run), sum(run)), items, 5, worker=worker))
    assert batches == [(5, 10), (5, 35), (5, 60), (5, 85), (3, 63)]
    runs = list(workers.shared_runs(lambda n: n * 2, items, 5, worker=worker))
    assert [len(run) for run in runs] == [5, 5, 5, 5, 3] and sum(runs, []) == [n * 2 for n in items]
    assert list(workers.shared_batches(len, [], 5, worker=worker)) == []
