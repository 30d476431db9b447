"""The saved-page reader's CPU time per page now against the reader at an earlier revision.

That revision's ``exporters`` package is exported with ``git archive`` into a temporary
folder; each reader runs in a subprocess of its own (``PYTHONPATH`` pointing at its code) and,
after one warm-up pass each, the two take turns page by page: load on the shared machine, which
comes and goes, then weighs on both alike. A page's time is its fastest CPU time
(``time.process_time``) over the passes.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

__all__ = ["BASELINE", "baseline_comparison"]

ROOT = Path(__file__).resolve().parent.parent
#: The reader before issue 17's extraction work (trafilatura alone, its metadata and its fallbacks).
BASELINE = "ee11fe0"

# Reads the page paths (one JSON line), answers with where its reader was imported from, then
# with one page's CPU time for each page number it is sent. The reader moved from
# readers/html.py to readers/page/ after the baseline.
_TIMER = """
import json, sys, time
try:
    from exporters.readers.page.extract import HtmlReader
except ImportError:
    from exporters.readers.html import HtmlReader
import exporters
pages = json.loads(sys.stdin.readline())
data = [open(page, "rb").read() for page in pages]
reader = HtmlReader()
print(json.dumps(exporters.__file__), flush=True)
for line in sys.stdin:
    n = int(line)
    start = time.process_time()
    try:
        reader.read(data[n], pages[n])
    except Exception:
        pass
    print(time.process_time() - start, flush=True)
"""


class _TimedReader:
    """A subprocess that times the HtmlReader of the ``exporters`` package in ``code``, one page at a time."""

    def __init__(self, code: Path, pages: list[Path]):
        self.code = code
        self.process = subprocess.Popen(
            [sys.executable, "-c", _TIMER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env={**os.environ, "PYTHONPATH": str(code)},
            cwd=code,
        )
        loaded_from = json.loads(self._send(json.dumps([str(p) for p in pages])))
        if not Path(loaded_from).resolve().is_relative_to(code.resolve()):
            raise RuntimeError(f"the timed reader came from {loaded_from}, not {code}")

    def seconds(self, page: int) -> float:
        """CPU time of reading page number ``page`` once more."""
        return float(self._send(str(page)))

    def _send(self, line: str) -> str:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        reply = self.process.stdout.readline()
        if not reply:
            raise RuntimeError(f"the reader in {self.code} stopped (exit code {self.process.wait()})")
        return reply

    def close(self) -> None:
        """End the subprocess."""
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait()


def fastest_seconds(codes: list[Path], pages: list[Path], passes: int) -> list[list[float]]:
    """For each code folder, each page's fastest CPU time over ``passes`` passes, the readers taking turns."""
    readers = []
    try:
        for code in codes:
            readers.append(_TimedReader(code, pages))
        for reader in readers:
            for n in range(len(pages)):
                reader.seconds(n)  # warm-up: lazy imports and first-call caches
        fastest = [[float("inf")] * len(pages) for _ in readers]
        for _ in range(passes):
            for n in range(len(pages)):
                for best, reader in zip(fastest, readers):
                    best[n] = min(best[n], reader.seconds(n))
        return fastest
    finally:
        for reader in readers:
            reader.close()


def baseline_comparison(revision: str, pages: list[Path], passes: int = 3) -> str:
    """One line: the reader's CPU ms/page now against the reader at ``revision``, on the same pages."""
    label = f"ms/page now vs {revision}:"
    if revision == "none":
        return f"{label} not measured (--baseline none)"
    try:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", "--format=tar", revision, "exporters"],
            capture_output=True,
            check=True,
        ).stdout
    except subprocess.CalledProcessError as exc:
        return f"{label} not measured (no git checkout or revision: {_first_line(exc.stderr.decode(errors='replace'))})"
    except OSError as exc:
        return f"{label} not measured (no git: {_first_line(str(exc))})"
    with tempfile.TemporaryDirectory(prefix="reader-baseline-") as folder:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(folder, filter="data")
        try:
            now, before = (sum(times) for times in fastest_seconds([ROOT, Path(folder)], pages, passes))
        except RuntimeError as exc:
            return f"{label} not measured ({exc})"
    growth = 100 * (now - before) / before
    return (
        f"{label} {growth:+.0f} % (CPU, fastest of {passes} passes page by page in turns, {len(pages)} pages: "
        f"{1000 * now / len(pages):.1f} now, {1000 * before / len(pages):.1f} at {revision})"
    )


def _first_line(text: str) -> str:
    return (text.strip().splitlines() or [""])[0]
