"""How many forked worker processes a step may start beside the main one."""

from __future__ import annotations

import multiprocessing
import multiprocessing.pool
import os

__all__ = ["fork_pool", "fork_workers"]


def fork_workers(limit: int) -> int:
    """Worker processes to use, at most ``limit``: one CPU is left to the main process, and
    without ``fork`` (workers inherit their input instead of being sent it) there are none."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return 0
    return max(0, min(limit, (os.cpu_count() or 1) - 1))


def fork_pool(processes: int, initializer=None, initargs: tuple = ()) -> multiprocessing.pool.Pool:
    """A pool of ``processes`` forked now: they see this process's memory as it is at this call."""
    return multiprocessing.get_context("fork").Pool(processes, initializer=initializer, initargs=initargs)
