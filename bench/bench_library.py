"""Library benchmark: each figure beside the same work without the library, in one run.

* ``add`` of the 110 corpus pages (their ``source.html`` files, extracted; ``--no-images``) with
  ``--jobs 1`` and ``--jobs 2``, against ``inspect --json`` of the same files (the same reading and
  extraction, nothing stored);
* ``list --search`` over a library of ``--count`` articles (default 10,000): milliseconds a query
  in-process after start-up (target under 50 ms), the whole ``list --search`` command, and a scan
  of the same articles' JSONL for the same word;
* ``export --from-library`` of 1,000 articles to EPUB against ``export`` of the same articles
  from JSONL (target within 1.3x).

The library for the last two is filled through the Python API from the corpus JSONL.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data" / "library"
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from corpus_jsonl import CORPUS, write_corpus_jsonl  # noqa: E402
from measure import measure  # noqa: E402

from exporters.library import Query, open_library  # noqa: E402
from exporters.readers.json import JsonLinesReader  # noqa: E402

WORDS = ("government", "climate", "football", "police", "music", "election", "water", "school")
PYTHON = sys.executable


def fresh(path: Path) -> Path:
    for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        leftover.unlink(missing_ok=True)
    return path


def fill_library(path: Path, jsonl: Path) -> float:
    """Save every article of ``jsonl`` in a new library at ``path``; seconds taken."""
    articles = JsonLinesReader().read_path(jsonl, str(jsonl))
    start = time.perf_counter()
    with open_library(fresh(path)) as library:
        for article in articles:
            library.save(article.with_changes(body=tuple(article.body)), origin=str(jsonl))
    return time.perf_counter() - start


def bench_add(runs: int) -> None:
    pages = [str(p / "source.html") for p in sorted(CORPUS.iterdir()) if (p / "source.html").is_file()]
    print(f"add of {len(pages)} corpus pages (local source.html, --no-images), best of {runs}:")
    plain = min(measure([PYTHON, "main.py", "inspect", "--json", "-q", *pages], ROOT).seconds for _ in range(runs))
    print(f"  without the library (inspect --json of the same files): {plain:6.2f} s")
    for jobs in ("1", "2"):
        times = []
        for _ in range(runs):
            library = fresh(DATA / f"add-{jobs}.sqlite")
            command = [PYTHON, "main.py", "add", "-q", "--no-images", "--jobs", jobs, "--library", str(library)]
            result = measure([*command, *pages], ROOT)
            if result.code not in (0, 1):
                raise SystemExit(f"add failed: {result.stderr}")
            times.append(result.seconds)
        with open_library(library) as lib:
            saved = lib.stats()["articles"]
        print(f"  add --jobs {jobs}: {min(times):6.2f} s ({min(times) / plain:.2f}x), {saved} articles saved")


def bench_search(count: int) -> None:
    jsonl = write_corpus_jsonl(DATA / f"corpus-{count}.jsonl", count)
    library_path = DATA / f"search-{count}.sqlite"
    filled = fill_library(library_path, jsonl)
    print(f"list --search over {count:,} articles (library filled through the API in {filled:.1f} s):")
    with open_library(library_path) as library:
        library.find(Query(search="warm up"))
        per_word = []
        for word in WORDS:
            start = time.perf_counter()
            found = library.find(Query(state="any", search=word))
            per_word.append((time.perf_counter() - start) * 1000)
            print(f"  {word:<10} {len(found):5,} matches in {per_word[-1]:6.1f} ms")
    print(f"  median query after start-up: {statistics.median(per_word):.1f} ms (target under 50 ms)")
    command = measure([PYTHON, "main.py", "list", "--all", "--search", WORDS[0], "--library", str(library_path)], ROOT)
    print(f"  whole 'list --search {WORDS[0]}' command, start-up included: {command.seconds * 1000:.0f} ms")
    start = time.perf_counter()
    with jsonl.open(encoding="utf-8") as lines:
        matches = sum(WORDS[0] in json.loads(line)["content_html"].lower() for line in lines)
    print(
        f"  without the library: scan of the JSONL for {WORDS[0]!r}: {(time.perf_counter() - start) * 1000:.0f} ms "
        f"({matches:,} matches)"
    )


def bench_export(count: int, runs: int) -> None:
    jsonl = write_corpus_jsonl(DATA / f"corpus-{count}.jsonl", count)
    library_path = DATA / f"export-{count}.sqlite"
    fill_library(library_path, jsonl)
    print(f"export of {count:,} articles to EPUB, best of {runs}:")
    plain = min(
        measure([PYTHON, "main.py", "export", "-q", str(jsonl), "-o", str(DATA / "jsonl.epub")], ROOT).seconds
        for _ in range(runs)
    )
    command = [PYTHON, "main.py", "export", "-q", "--from-library", "--all", "--library", str(library_path)]
    from_library = min(measure([*command, "-o", str(DATA / "library.epub")], ROOT).seconds for _ in range(runs))
    print(f"  from JSONL (without the library): {plain:6.2f} s")
    print(
        f"  --from-library:                   {from_library:6.2f} s ({from_library / plain:.2f}x, target within 1.3x)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000, help="articles in the library searched")
    parser.add_argument("--export-count", type=int, default=1_000, help="articles exported")
    parser.add_argument("--runs", type=int, default=1, help="runs of each timed command (the best is shown)")
    args = parser.parse_args()
    DATA.mkdir(parents=True, exist_ok=True)
    bench_add(args.runs)
    bench_search(args.count)
    bench_export(args.export_count, args.runs)


if __name__ == "__main__":
    main()
