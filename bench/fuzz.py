"""Fuzz newsexport with mutated samples: every run must end with exit 0, 1 or 2 and never a traceback.

Each sample in samples/ (images included, behind a small Markdown note) is mutated (bytes
flipped, cut, repeated, hostile snippets spliced in) and run through the real CLI in-process:
``inspect --json`` and an export (EPUB, JSON Feed or Atom, in turn). The suite runs a fixed
number of cases (tests/security/test_fuzz.py); this script runs as many as fit in the time given:

    python bench/fuzz.py --minutes 5 [--seed 13]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"

#: Spliced into inputs: what strangers' pages, feeds and JSON have held.
HOSTILE = (
    b"<div>" * 3000,
    b"</body></html><body><html>",
    b"9999-12-31T23:59:59-12:00",
    b"0001-01-01T00:00:00+14:00",
    b"2024-01-01T00:00:00+2400",
    b"2108-01-01",
    b'"url": 12, "id": {"x": [1]}, "tags": [1, null], ',
    b'"href": "javascript:alert(1)", ',
    b"javascript:alert(document.cookie)",
    b'<img src="/dev/zero?x.png"><img src="../../etc/passwd">',
    b'<base href="file:///etc/">',
    b"a: &a [x, x]\nb: &b [*a, *a]\n",
    b"\x00\x01\x02\xff\xfe",
    b"\xef\xbb\xbf",
    b"<![CDATA[",
    b"]]>",
    b"&#0;&#xD800;&amp",
    b'"\\ud800\\udfff"',  # lone surrogates, as JSON escapes
    b"---\n",
    b"+++\n",
    b'{"format": "newsexport/1", "articles": [',
    b"<!DOCTYPE html><html><head><title>",
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>',
)


@dataclass(frozen=True)
class Case:
    """One mutated input: a file name and its bytes, plus an image it refers to, if any."""

    name: str
    data: bytes
    image: tuple[str, bytes] | None = None


def mutate(data: bytes, rng: random.Random) -> bytes:
    """``data`` with one to four random mutations."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        choice = rng.randrange(6)
        at = rng.randrange(len(out) + 1) if out else 0
        if choice == 0 and out:  # flip bytes
            for _ in range(rng.randint(1, 16)):
                out[rng.randrange(len(out))] = rng.randrange(256)
        elif choice == 1:  # cut the end off
            del out[at:]
        elif choice == 2 and out:  # repeat a slice
            end = min(len(out), at + rng.randint(1, 4096))
            out[at:at] = out[at:end] * rng.randint(2, 20)
        elif choice == 3:  # splice in something hostile
            out[at:at] = rng.choice(HOSTILE)
        elif choice == 4:  # delete a slice
            del out[at : at + rng.randint(1, 512)]
        else:  # swap digits (dates, numbers, sizes)
            for n in range(at, min(len(out), at + 64)):
                if 48 <= out[n] <= 57:
                    out[n] = rng.randrange(48, 58)
    return bytes(out)


def samples() -> list[Path]:
    """Every sample file, images included."""
    return sorted(p for p in SAMPLES.rglob("*") if p.is_file())


def cases(rng: random.Random, per_sample: int) -> Iterator[Case]:
    """``per_sample`` mutants of every sample, sample by sample in turn."""
    files = samples()
    for _ in range(per_sample):
        for path in files:
            data = mutate(path.read_bytes(), rng)
            if path.parent.name == "images":
                note = f"---\ntitle: Picture\nimage: {path.name}\n---\nText.\n\n![x]({path.name})\n".encode()
                yield Case("note.md", note, (path.name, data))
            else:
                yield Case(path.name, data)


def run_case(case: Case, folder: Path, turn: int) -> list[str]:
    """Run one case through the CLI twice; the problems found (a traceback, an exit code outside 0-2)."""
    from typer.testing import CliRunner

    import main

    for old in folder.iterdir():
        old.unlink()
    source = folder / case.name
    source.write_bytes(case.data)
    if case.image:
        (folder / case.image[0]).write_bytes(case.image[1])
    output = folder / ("out.epub", "out.json", "out.atom")[turn % 3]
    problems = []
    for args in (["inspect", str(source), "--json"], ["export", str(source), "-o", str(output), "-q", "--title", "F"]):
        result = CliRunner().invoke(main.app, args, env={"NO_COLOR": "1", "COLUMNS": "100", "TERM": "dumb"})
        crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
        if crashed or "Traceback" in result.stderr or result.exit_code not in (0, 1, 2):
            problems.append(f"{' '.join(args[:1])} {case.name}: exit {result.exit_code}, {result.exception!r}")
    return problems


def fuzz(*, seed: int, per_sample: int | None = None, seconds: float | None = None) -> tuple[int, list[str]]:
    """Run cases until ``per_sample`` rounds or ``seconds`` are done; (runs made, problems found)."""
    rng = random.Random(seed)
    problems: list[str] = []
    runs = 0
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="newsexport-fuzz-") as tmp:
        folder = Path(tmp)
        for turn, case in enumerate(cases(rng, per_sample or 1_000_000)):
            if seconds is not None and time.monotonic() - started > seconds:
                break
            problems += run_case(case, folder, turn)
            runs += 2
    return runs, problems


def main_cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--minutes", type=float, default=5.0, help="how long to fuzz (default 5)")
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    started = time.monotonic()
    runs, problems = fuzz(seed=args.seed, seconds=args.minutes * 60)
    elapsed = time.monotonic() - started
    print(f"fuzz: seed {args.seed}, {runs:,} CLI runs on mutants of {len(samples())} samples in {elapsed:.0f} s")
    print(f"      problems (tracebacks, exit codes outside 0-2): {len(problems)}")
    for problem in problems[:50]:
        print("      " + problem)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main_cli()
