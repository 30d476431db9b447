"""PDF benchmark: newsexport's whole ``export`` process for 100 and 1,000 articles, WeasyPrint alongside.

Builds corpus JSONL (images stripped; each line carries its corpus page's language, English
where the page declares none, so text is hyphenated as a reader would want), then prints in
one run:

* newsexport: wall time, pages and peak RSS of ``python main.py export data.jsonl -o out.pdf``
  (a separate process; the peak is the kernel's high-water mark from ``wait4``), with a check
  that the PDF carries every title and every letter of the articles' text;
* WeasyPrint: wall time, pages and peak RSS for the same 100 articles written as one HTML
  file (justified, hyphenated), when ``weasyprint`` is importable, and the speed ratio;
* with ``--long-paragraph MB``: a text file of one paragraph of that many megabytes, and with
  ``--wrapped MB`` the same paragraph hard-wrapped at 78 columns (a line each);
* with ``--before DIR``: each newsexport figure again for the checkout in DIR (e.g. ``/work/before``
  or a copy of main), run right after on the same input, for a comparison under the same load.

Targets: at least 4x faster than WeasyPrint on the same 100 articles (issue 5); under 200 MB peak
for 1,000 articles, and a 50 MB one-paragraph text file within 60 s (issue 14).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import sys
import textwrap
from collections import Counter
from pathlib import Path

import pypdf

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from corpus_jsonl import corpus_pages, write_corpus_jsonl  # noqa: E402
from measure import Measured, measure  # noqa: E402

from exporters.html.blocks import blocks_from_html  # noqa: E402
from exporters.model import body_text  # noqa: E402

WEASYPRINT_SCRIPT = textwrap.dedent("""
    import html, json, sys
    from weasyprint import HTML
    css = '''@page { size: A4; margin: 18mm; @bottom-left { content: "Page " counter(page) " of " counter(pages); } }
             body { font-family: "DejaVu Serif"; font-size: 10.5pt; line-height: 1.38; text-align: justify;
                    hyphens: auto; }
             article { break-before: page; } pre { white-space: pre-wrap; font-size: 8.6pt; }'''
    parts = []
    for line in open(sys.argv[1], encoding="utf-8"):
        item = json.loads(line)
        parts.append(f'<article lang="{item["language"]}"><h1>{html.escape(item["title"])}</h1>'
                     f'{item["content_html"]}</article>')
    page = f'<html lang="en"><head><meta charset="utf-8"><style>{css}</style></head><body>{"".join(parts)}</body></html>'
    HTML(string=page).write_pdf(sys.argv[2])
""")


def write_jsonl(count: int) -> Path:
    """Corpus JSONL of ``count`` articles with distinct titles and each page's language."""
    path = write_corpus_jsonl(DATA / f"pdf-{count}.jsonl", count)
    languages = [meta.get("lang") or "en" for _, meta, _ in corpus_pages()]
    lines = path.read_text(encoding="utf-8").splitlines()
    with path.open("w", encoding="utf-8") as out:
        for n, line in enumerate(lines):
            item = json.loads(line)
            item["language"] = languages[n % len(languages)]
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
    return path


def letters(text: str) -> Counter[str]:
    """How often each letter or digit occurs: hyphenation, line breaks and running heads cannot hide one."""
    return Counter(c for c in text if c.isalnum())


def check_text(jsonl: Path, pdf: Path) -> str:
    """Whether the PDF carries every title and every letter of the articles, as one line for the report."""
    reader = pypdf.PdfReader(str(pdf))
    printed = "\n".join(page.extract_text() for page in reader.pages)
    flat = " ".join(printed.split())
    expected: Counter[str] = Counter()
    missing_titles = 0
    items = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    for item in items:
        expected += letters(item["title"] + body_text(blocks_from_html(item["content_html"], item["url"])))
        missing_titles += " ".join(item["title"].split())[:40] not in flat
    missing = expected - letters(printed)
    total = sum(expected.values())
    return (
        f"{len(items) - missing_titles}/{len(items)} titles found, "
        f"{sum(missing.values()):,} of {total:,} letters missing"
    )


def export_pdf(source: Path, out: Path, checkout: Path) -> Measured:
    """``python main.py export SOURCE -o OUT`` in ``checkout``, measured; a failure ends the benchmark."""
    # The larger of the biggest process and the whole tree (newsexport may fork a worker process).
    run = measure([sys.executable, "main.py", "export", str(source), "-o", str(out), "-q"], checkout)
    if run.code != 0:
        raise SystemExit(f"newsexport in {checkout} failed on {source.name} (exit {run.code})")
    return run


def figures(run: Measured, pages: int) -> str:
    return f"{run.seconds:6.2f} s ({run.cpu:.2f} s CPU), {pages:>5} pages, peak {run.peak / 2**20:6.1f} MiB"


def print_before(source: Path, before: Path | None) -> None:
    """The same export by the checkout ``before``, on the line under the current one."""
    if before is None:
        return
    out = DATA / f"{source.stem}-before.pdf"
    run = export_pdf(source, out, before)
    print(f"  before ({before}): {figures(run, len(pypdf.PdfReader(str(out)).pages))}", flush=True)


def run_newsexport(count: int) -> dict:
    jsonl = write_jsonl(count)
    out = DATA / f"pdf-{count}.pdf"
    run = export_pdf(jsonl, out, ROOT)
    pages = len(pypdf.PdfReader(str(out)).pages)
    return {
        "run": run,
        "seconds": run.seconds,
        "pages": pages,
        "check": check_text(jsonl, out),
        "jsonl": jsonl,
    }


def run_long_paragraph(megabytes: int, before: Path | None, *, wrapped: bool = False) -> None:
    """Export a text file holding one paragraph of ``megabytes`` MB and print time, pages and peak.

    ``wrapped``: the paragraph is hard-wrapped at 78 columns, one line each, as a text file is.
    """
    kind = "wrapped" if wrapped else "paragraph"
    source = DATA / f"{kind}-{megabytes}mb.txt"
    if not source.exists():
        rng = random.Random(14)
        words = "the news of a long day in the city and what its people said about it".split()
        text = " ".join(rng.choice(words) for _ in range(megabytes * 2**20 // 4))[: megabytes * 2**20]
        if wrapped:
            text = "\n".join(textwrap.wrap(text, 78, break_long_words=False))
        source.write_text(f"One long paragraph\n\n{text}.\n", encoding="utf-8")
    out = DATA / f"{kind}-{megabytes}mb.pdf"
    run = export_pdf(source, out, ROOT)
    pages = len(pypdf.PdfReader(str(out)).pages)
    print(
        f"newsexport pdf, one {megabytes} MB paragraph{', wrapped at 78 columns' if wrapped else ''}: "
        f"{figures(run, pages)} (target: within 60 s for 50 MB)",
        flush=True,
    )
    print_before(source, before)


def run_weasyprint(jsonl: Path) -> dict | None:
    if importlib.util.find_spec("weasyprint") is None:
        return None
    script = DATA / "weasyprint_render.py"
    script.write_text(WEASYPRINT_SCRIPT, encoding="utf-8")
    out = DATA / "weasyprint-100.pdf"
    run = measure([sys.executable, str(script), str(jsonl), str(out)], ROOT)
    if run.code != 0:
        raise SystemExit(f"weasyprint failed (exit {run.code})")
    return {"seconds": run.seconds, "peak": run.largest, "pages": len(pypdf.PdfReader(str(out)).pages)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", "--count", type=int, nargs="+", default=[100, 1000], help="article counts")
    parser.add_argument("--long-paragraph", type=int, metavar="MB", help="also a text file of one MB-sized paragraph")
    parser.add_argument("--wrapped", type=int, metavar="MB", help="also the same paragraph hard-wrapped at 78 columns")
    parser.add_argument("--no-weasyprint", action="store_true", help="skip the WeasyPrint comparison")
    parser.add_argument("--before", type=Path, metavar="DIR", help="also measure the checkout in DIR, for comparison")
    args = parser.parse_args()
    results = {}
    for count in args.counts:
        result = results[count] = run_newsexport(count)
        print(
            f"newsexport pdf, {count:>5} articles: {figures(result['run'], result['pages'])} "
            f"(target: under 200 MiB for 1,000); text: {result['check']}",
            flush=True,
        )
        print_before(result["jsonl"], args.before)
    if args.long_paragraph:
        run_long_paragraph(args.long_paragraph, args.before)
    if args.wrapped:
        run_long_paragraph(args.wrapped, args.before, wrapped=True)
    if args.no_weasyprint:
        return
    first = min(args.counts)
    weasy = run_weasyprint(results[first]["jsonl"])
    if weasy is None:
        print("weasyprint: not installed (pip install weasyprint to compare)")
        return
    from weasyprint import __version__

    print(
        f"weasyprint {__version__}, {first:>5} articles: {weasy['seconds']:6.2f} s, {weasy['pages']:>5} pages, "
        f"peak {weasy['peak'] / 2**20:6.1f} MiB (one HTML file)"
    )
    print(
        f"newsexport is {weasy['seconds'] / results[first]['seconds']:.1f}x faster than WeasyPrint on the same "
        f"{first} articles (target: at least 4x)"
    )


if __name__ == "__main__":
    main()
