"""Peak memory of a whole process tree, for commands that fork workers (newsexport reads large JSONL that way).

GNU time reports the largest single process; a parent and its worker together use more. This
samples the proportional set size (PSS: shared pages split between the processes sharing them,
so pages a fork shares are counted once) of a process and all its descendants.
"""

from __future__ import annotations

import threading

import psutil

__all__ = ["TreePeak"]


class TreePeak:
    """``with TreePeak(pid) as peak: ...`` then ``peak.bytes``: the highest total PSS seen, sampled every 100 ms."""

    def __init__(self, pid: int, interval: float = 0.1):
        self.bytes = 0
        self._root = psutil.Process(pid)
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> "TreePeak":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._stop.is_set():
            total = 0
            try:
                processes = [self._root, *self._root.children(recursive=True)]
            except psutil.Error:
                return
            for process in processes:
                try:
                    total += process.memory_full_info().pss
                except psutil.Error:
                    pass  # exited between listing and reading
            self.bytes = max(self.bytes, total)
            self._stop.wait(self._interval)
