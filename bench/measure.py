"""Measuring a command the benchmarks compare: wall and CPU time, and peak memory.

Peak memory is measured two ways. GNU time (``/usr/bin/time``), a small process that forks the
command, reports the largest single process; a child forked straight from a benchmark would
inherit the benchmark's own high-water mark. A command that forks workers (newsexport builds
long feeds and books that way) uses more than its largest process, so the
proportional set size (PSS: shared pages split between the processes sharing them, so pages a
fork shares are counted once) of the whole process tree is sampled too.
"""

from __future__ import annotations

import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

__all__ = ["Measured", "TreePeak", "measure"]

GNU_TIME = "/usr/bin/time"


@dataclass(frozen=True)
class Measured:
    """One run of a command."""

    seconds: float
    #: User plus system CPU seconds of the command and every worker it waited for.
    cpu: float
    #: Peak RSS of its largest process (GNU time), and peak PSS of its whole process tree.
    largest: int
    tree: int
    code: int
    stderr: str

    @property
    def peak(self) -> int:
        """The larger of the two peaks."""
        return max(self.largest, self.tree)


def measure(command: list[str], cwd: Path) -> Measured:
    """Run ``command`` in ``cwd`` (stdout discarded) and measure it."""
    with tempfile.NamedTemporaryFile("r") as report, tempfile.TemporaryFile() as stderr:
        start = time.perf_counter()
        process = subprocess.Popen(
            [GNU_TIME, "-o", report.name, "-f", "%U %S %M", *command], cwd=cwd, stdout=subprocess.DEVNULL, stderr=stderr
        )
        with TreePeak(process.pid) as tree:
            code = process.wait()
        seconds = time.perf_counter() - start
        stderr.seek(0)
        user, system, peak_kb = report.read().split()[-3:]
        return Measured(
            seconds,
            float(user) + float(system),
            int(peak_kb) * 1024,
            tree.bytes,
            code,
            stderr.read().decode("utf-8", "replace"),
        )


class TreePeak:
    """``with TreePeak(pid) as peak: ...`` then ``peak.bytes``: the highest total PSS seen, sampled every 100 ms."""

    def __init__(self, pid: int, interval: float = 0.1):
        self.bytes = 0
        self._root = psutil.Process(pid)
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> TreePeak:
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
