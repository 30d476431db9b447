"""How well the copied-text reader keeps the story and drops the page's chrome, on copies built from the corpus.

Each corpus page's ``source.html`` is laid out as text the way a browser copies it
(``inscriptis``: one line per block, lists and tables laid out, scripts left out). The copy is
cut as a person selects it: from the headline (the line equal to the expected title, its last
appearance before the story; or the title put on top when the page does not show it) to a
few lines past the story's last line. Each line below the headline is labelled:

- story: it is the text of a block of ``expected.html`` (a line of preformatted text, a table
  row), or a run of at least four words of that text;
- chrome: anything else (navigation, share buttons, captions the expected text leaves out,
  related links, promos...).

A story line is kept, or a chrome line leaked, when the reader's body has it (an output line
equal to it, or for four words and more, output text containing it). The corpus is split into
the same two fixed halves as ``bench/html_reader_corpus.py``; figures are pooled over each
half's lines and averaged over its pages (a long page weighs less), and ``-v`` prints every page's.

    python bench/text_reader_corpus.py [-v]
"""

from __future__ import annotations

import json
import re
import resource
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import lxml.html
from inscriptis import get_text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.html_reader_corpus import CORPUS, HALVES, half_of  # noqa: E402
from exporters.model import ArticleError, body_text  # noqa: E402
from exporters.readers.copied_text.reader import TextReader  # noqa: E402

#: Lines kept below the story's last line, as a person's selection overshoots it.
PAST_THE_END = 8
_BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "figcaption", "pre", "td", "th", "dd", "dt")
_WORD = re.compile(r"\w+")


def _norm(text: str) -> str:
    """Lowercased words joined by single spaces (punctuation and spacing do not count)."""
    return " ".join(_WORD.findall(text.lower()))


@dataclass
class CopiedPage:
    """A simulated browser copy of one corpus page, with each line below the title labelled."""

    name: str
    half: str
    title: str
    text: str
    lines: list[tuple[str, bool]]  # (line, is story)


def expected_story(folder: Path) -> tuple[str, set[str]]:
    """The expected text (normalised) and the normalised text of each of its blocks."""
    root = lxml.html.fromstring((folder / "expected.html").read_text(encoding="utf-8"))
    blocks = {_norm(el.text_content()) for el in root.iter(*_BLOCKS)}
    # A copy lays out preformatted text line by line and a table row by row.
    blocks.update(_norm(line) for el in root.iter("pre") for line in el.text_content().split("\n"))
    blocks.update(_norm(" ".join(cell.text_content() for cell in row)) for row in root.iter("tr"))
    return " " + _norm(root.text_content()) + " ", {b for b in blocks if b}


def is_story(line: str, story: str, blocks: set[str]) -> bool:
    """Whether a copied line belongs to the expected story."""
    key = _norm(line)
    return bool(key) and (key in blocks or (len(key.split()) >= 4 and f" {key} " in story))


def copy_of(folder: Path) -> CopiedPage | None:
    """The page as a person would copy it, or None when the corpus gives it no title."""
    meta = json.loads((folder / "expected-metadata.json").read_text(encoding="utf-8"))
    title = " ".join((meta.get("title") or "").split())
    if not title:
        return None
    story, blocks = expected_story(folder)
    raw = [
        " ".join(line.split()) for line in get_text((folder / "source.html").read_text(encoding="utf-8")).split("\n")
    ]
    labels = [bool(line) and is_story(line, story, blocks) for line in raw]
    first = next((n for n, ok in enumerate(labels) if ok), 0)
    last = max((n for n, ok in enumerate(labels) if ok), default=len(raw) - 1)
    heads = [n for n in range(first + 1) if _norm(raw[n]) == _norm(title)]
    start = heads[-1] + 1 if heads else first
    selected = raw[start : last + 1 + PAST_THE_END]
    # Blank lines are kept as the browser puts them: they separate paragraphs in the copy.
    text = title + "\n\n" + "\n".join(selected).strip("\n") + "\n"
    # Lines of punctuation alone (rules, bullets) are neither story nor chrome.
    lines = [(line, is_story(line, story, blocks)) for line in selected if _norm(line)]
    return CopiedPage(folder.name, half_of(folder.name), title, text, lines)


@dataclass
class PageScore:
    """One page's line counts."""

    name: str
    half: str
    story: int
    kept: int
    chrome: int
    leaked: int
    title_ok: bool
    seconds: float
    error: str = ""


def _has(output_lines: set[str], output: str, line: str) -> bool:
    key = _norm(line)
    return key in output_lines or (len(key.split()) >= 4 and f" {key} " in output)


def score_page(page: CopiedPage, reader: TextReader) -> PageScore:
    """Count the story lines the reader kept and the chrome lines it let through."""
    start = time.perf_counter()
    try:
        article = reader.read(page.text.encode("utf-8"), page.name)[0]
        body, title, error = body_text(article.body), article.title, ""
    except ArticleError as exc:
        body, title, error = "", "", str(exc)
    seconds = time.perf_counter() - start
    output_lines = {_norm(line) for line in body.split("\n")}
    output = " " + _norm(body) + " "
    story = [line for line, ok in page.lines if ok]
    chrome = [line for line, ok in page.lines if not ok]
    return PageScore(
        page.name,
        page.half,
        story=len(story),
        kept=sum(_has(output_lines, output, line) for line in story),
        chrome=len(chrome),
        leaked=sum(_has(output_lines, output, line) for line in chrome),
        title_ok=title == page.title,
        seconds=seconds,
        error=error,
    )


def summary(scores: list[PageScore]) -> str:
    """Pooled kept and leaked shares, and exact titles, over some pages."""
    story, kept = sum(s.story for s in scores), sum(s.kept for s in scores)
    chrome, leaked = sum(s.chrome for s in scores), sum(s.leaked for s in scores)
    titles = sum(s.title_ok for s in scores)
    page_kept = sum(s.kept / s.story for s in scores if s.story) / max(1, sum(1 for s in scores if s.story))
    page_leaked = sum(s.leaked / s.chrome for s in scores if s.chrome) / max(1, sum(1 for s in scores if s.chrome))
    return (
        f"story lines kept {kept / max(story, 1):6.1%} ({kept}/{story}; per page {page_kept:6.1%}), "
        f"chrome lines leaked {leaked / max(chrome, 1):6.1%} ({leaked}/{chrome}; per page {page_leaked:6.1%}), "
        f"titles exact {titles}/{len(scores)}"
    )


def measure(corpus: Path = CORPUS) -> list[PageScore]:
    """Every titled corpus page's scores, in folder order."""
    reader = TextReader()
    pages = [copy_of(folder) for folder in sorted(p for p in corpus.iterdir() if p.is_dir())]
    return [score_page(page, reader) for page in pages if page is not None]


def main() -> None:
    """Print each half's figures, then (with -v) every page's, with time and memory."""
    scores = measure()
    elapsed = sum(s.seconds for s in scores)
    print(
        f"{len(scores)} simulated browser copies of corpus pages (inscriptis), headline to {PAST_THE_END} lines past the story"
    )
    for half in HALVES:
        print(f"TextReader {half:8} {summary([s for s in scores if s.half == half])}")
    raw = sum(s.chrome for s in scores) / max(1, sum(s.chrome + s.story for s in scores))
    print(f"chrome share of the copies' lines: {raw:.1%}")
    if "-v" in sys.argv:
        print(f"\n{'page':42} {'half':8} {'story':>5} {'kept':>6} {'chrome':>6} {'leaked':>6} title")
        for s in scores:
            print(
                f"{s.name:42} {s.half:8} {s.story:5} {s.kept / max(s.story, 1):6.0%} {s.chrome:6} "
                f"{s.leaked / max(s.chrome, 1):6.0%} {'ok' if s.title_ok else '--'} {s.error}"
            )
    print(
        f"reader time: {1000 * elapsed / len(scores):.2f} ms/page; "
        f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
    )


if __name__ == "__main__":
    main()
