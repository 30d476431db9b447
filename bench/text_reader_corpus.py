"""How well the plain-text reader strips page chrome, measured on simulated browser copies of the corpus.

Each corpus page's ``source.html`` is turned into what "select all, copy" gives in a browser
(visible text, one line per block, scripts and styles left out), headed by the page's expected
title as the reader expects. The reader's body is compared with the page's ``expected.html``
by token precision, recall and F1 (lowercased ``\\w+`` words, one token per CJK character),
side by side with the raw copy (every line kept) as the baseline.

    python bench/text_reader_corpus.py
"""

from __future__ import annotations

import json
import re
import resource
import sys
import time
from collections import Counter
from pathlib import Path

import lxml.html

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from exporters.model import ArticleError, body_text  # noqa: E402
from exporters.readers.copied_text.reader import TextReader  # noqa: E402

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "readability"
_INVISIBLE_TAGS = {"script", "style", "noscript", "template", "svg", "head", "iframe", "select", "option"}
_BLOCK_TAGS = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "aside",
    "nav",
    "ul",
    "ol",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "figure",
    "figcaption",
    "table",
    "tr",
    "dl",
    "dt",
    "dd",
    "form",
    "hr",
    "address",
    "details",
    "summary",
}
_TOKEN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]|[^\W\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]+")


def copied_text(html: str) -> str:
    """Roughly what a browser puts on the clipboard for "select all, copy" of a page."""
    root = lxml.html.fromstring(html)
    parts: list[str] = []

    def visible(text: str | None) -> str:
        # Browsers collapse runs of white space (source line breaks included) inside a block.
        return re.sub(r"\s+", " ", text or "")

    def walk(element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in _INVISIBLE_TAGS:
            parts.append(visible(element.tail))
            return
        if tag == "br":
            parts.append("\n" + visible(element.tail))
            return
        block = tag in _BLOCK_TAGS
        if block:
            parts.append("\n\n" if tag in ("p", "h1", "h2", "h3", "h4", "h5", "h6") else "\n")
        parts.append(visible(element.text) if tag else "")
        for child in element:
            walk(child)
        if block:
            parts.append("\n")
        parts.append(visible(element.tail))

    body = root.find("body")
    walk(body if body is not None else root)
    return "\n".join(line.strip() for line in "".join(parts).split("\n"))


def tokens(text: str) -> Counter:
    """Lowercased word tokens, one per CJK character."""
    return Counter(_TOKEN.findall(text.lower()))


def scores(found: str, expected: str) -> tuple[float, float, float]:
    """Token precision, recall and F1 of ``found`` against ``expected``."""
    got, want = tokens(found), tokens(expected)
    common = sum((got & want).values())
    if not common:
        return 0.0, 0.0, 0.0
    precision, recall = common / sum(got.values()), common / sum(want.values())
    return precision, recall, 2 * precision * recall / (precision + recall)


def main() -> None:
    """Print mean precision/recall/F1 for the raw copy and for the reader, plus time and memory."""
    reader = TextReader()
    raw_scores, reader_scores, failures = [], [], []
    elapsed = 0.0
    for folder in sorted(p for p in CORPUS.iterdir() if p.is_dir()):
        meta = json.loads((folder / "expected-metadata.json").read_text(encoding="utf-8"))
        title = (meta.get("title") or folder.name).strip() or folder.name
        expected = lxml.html.fromstring((folder / "expected.html").read_text(encoding="utf-8")).text_content()
        copy = copied_text((folder / "source.html").read_text(encoding="utf-8"))
        text = title + "\n\n" + copy
        raw_scores.append(scores(copy, expected))
        start = time.perf_counter()
        try:
            article = reader.read(text.encode("utf-8"), folder.name)[0]
        except ArticleError as exc:
            failures.append(str(exc))
            reader_scores.append((0.0, 0.0, 0.0))
            continue
        finally:
            elapsed += time.perf_counter() - start
        reader_scores.append(scores(body_text(article.body), expected))
    count = len(raw_scores)

    def mean(rows: list[tuple[float, float, float]], n: int) -> float:
        return sum(row[n] for row in rows) / len(rows)

    print(f"pages: {count}  (simulated 'select all, copy' of corpus source.html, headed by the title)")
    print(f"{'':22}{'precision':>10}{'recall':>10}{'F1':>10}")
    for label, rows in (("raw copy (all lines)", raw_scores), ("TextReader body", reader_scores)):
        print(f"{label:22}{mean(rows, 0):>10.3f}{mean(rows, 1):>10.3f}{mean(rows, 2):>10.3f}")
    better = sum(1 for raw, ours in zip(raw_scores, reader_scores) if ours[2] > raw[2])
    print(f"reader F1 better than raw on {better}/{count} pages; errors: {len(failures)}")
    for failure in failures:
        print(f"  {failure}")
    print(
        f"reader time: {elapsed:.3f} s total, {1000 * elapsed / count:.2f} ms/page; "
        f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
    )


if __name__ == "__main__":
    main()
