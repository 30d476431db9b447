"""How well the saved-page reader extracts articles, measured on the shared readability corpus.

For each of the corpus's pages, ``source.html`` goes through :class:`HtmlReader` and the result
is compared with the page's ``expected-metadata.json`` and ``expected.html``:

- title exact: the whitespace-normalised title equals the expected one;
- body F1: token F1 between the article's body text and the text of ``expected.html``
  (tokens: lowercased ``\\w+`` words, one token per CJK character);
- byline: on pages whose expected byline is not empty, every author found appears in it
  (case, punctuation and spacing ignored: expected bylines carry "By", dates and job titles).

Bare ``trafilatura.bare_extraction`` (its title, its ``text``) and readability-lxml (its
title and summary) are measured the same way, side by side, in the same run.

    python bench/html_reader_corpus.py [--only-reader]
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import lxml.html

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from exporters.model import ArticleError, body_text  # noqa: E402
from exporters.readers.page.extract import HtmlReader  # noqa: E402

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "readability"
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_TOKEN = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+")


def tokens(text: str) -> Counter:
    """Lowercased word tokens, one per CJK character."""
    return Counter(match.group(0).lower() for match in _TOKEN.finditer(text))


def token_f1(found: str, expected: str) -> float:
    """Token F1 of ``found`` against ``expected`` (1.0 when both are empty)."""
    a, b = tokens(found), tokens(expected)
    if not a and not b:
        return 1.0
    common = sum((a & b).values())
    if not common:
        return 0.0
    precision, recall = common / sum(a.values()), common / sum(b.values())
    return 2 * precision * recall / (precision + recall)


def _words(text: str | None) -> str:
    return " ".join((text or "").split())


def _name_key(text: str) -> str:
    return " ".join(re.sub(r"\W+", " ", text.casefold()).split())


def byline_matches(authors: tuple[str, ...], expected: str) -> bool:
    """Whether authors were found and each appears in the expected byline."""
    return bool(authors) and all(_name_key(name) in _name_key(expected) for name in authors)


@dataclass
class PageResult:
    """One page's scores."""

    name: str
    title: str
    title_ok: bool
    f1: float
    byline_ok: bool | None  # None: the page has no expected byline
    error: str = ""


@dataclass
class CorpusScore:
    """Scores over the corpus, with per-page detail."""

    pages: list[PageResult] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def title_rate(self) -> float:
        """Share of pages whose title is exactly right."""
        return sum(p.title_ok for p in self.pages) / len(self.pages)

    @property
    def mean_f1(self) -> float:
        """Mean body token F1."""
        return sum(p.f1 for p in self.pages) / len(self.pages)

    @property
    def byline_rate(self) -> float:
        """Share of pages with an expected byline whose authors were found."""
        judged = [p.byline_ok for p in self.pages if p.byline_ok is not None]
        return sum(judged) / len(judged) if judged else 1.0

    @property
    def bylines(self) -> int:
        """Number of pages that have an expected byline."""
        return sum(p.byline_ok is not None for p in self.pages)

    def summary(self) -> str:
        """One line with every figure."""
        return (
            f"title exact {self.title_rate:.1%}, body F1 {self.mean_f1:.3f}, "
            f"byline {self.byline_rate:.1%} of {self.bylines}, {len(self.pages)} pages in {self.seconds:.1f} s"
        )


Extractor = Callable[[Path], tuple[str, str, tuple[str, ...]]]


def reader_extractor(page: Path) -> tuple[str, str, tuple[str, ...]]:
    """Title, body text and authors as :class:`HtmlReader` reads the page."""
    [article] = HtmlReader().read(page.read_bytes(), str(page))
    return article.title, body_text(article.body), article.authors


def trafilatura_extractor(page: Path) -> tuple[str, str, tuple[str, ...]]:
    """Title, text and authors from bare ``trafilatura.bare_extraction``."""
    import trafilatura

    doc = trafilatura.bare_extraction(page.read_text(encoding="utf-8"), with_metadata=True)
    if doc is None:
        return "", "", ()
    return doc.title or "", doc.text or "", tuple(a.strip() for a in (doc.author or "").split(";") if a.strip())


def readability_extractor(page: Path) -> tuple[str, str, tuple[str, ...]]:
    """Title and summary text from readability-lxml (it finds no authors)."""
    from readability import Document

    doc = Document(page.read_text(encoding="utf-8"))
    summary = lxml.html.fromstring(doc.summary(html_partial=True) or "<div></div>").text_content()
    return doc.title(), summary, ()


def measure_corpus(extract: Extractor = reader_extractor, corpus: Path = CORPUS) -> CorpusScore:
    """Score ``extract`` on every page of the corpus, in one pass."""
    logging.getLogger("readability").setLevel(logging.CRITICAL)
    score = CorpusScore()
    start = time.perf_counter()
    for folder in sorted(p for p in corpus.iterdir() if p.is_dir()):
        meta = json.loads((folder / "expected-metadata.json").read_text(encoding="utf-8"))
        expected_text = lxml.html.fromstring((folder / "expected.html").read_text(encoding="utf-8")).text_content()
        expected_byline = _words(meta.get("byline"))
        try:
            title, text, authors = extract(folder / "source.html")
            error = ""
        except ArticleError as exc:
            title, text, authors, error = "", "", (), str(exc)
        score.pages.append(
            PageResult(
                name=folder.name,
                title=_words(title),
                title_ok=_words(title) == _words(meta.get("title")),
                f1=token_f1(text, expected_text),
                byline_ok=byline_matches(authors, expected_byline) if expected_byline else None,
                error=error,
            )
        )
    score.seconds = time.perf_counter() - start
    return score


def main() -> None:
    """Print the reader's figures, then the bare extractors' for comparison, with time and peak memory."""
    import psutil

    verbose = "-v" in sys.argv
    runs = [("HtmlReader", reader_extractor)]
    if "--only-reader" not in sys.argv:
        runs += [("bare trafilatura", trafilatura_extractor), ("readability-lxml", readability_extractor)]
    for label, extract in runs:
        score = measure_corpus(extract)
        peak = psutil.Process().memory_info().rss / 2**20
        print(f"{label:18} {score.summary()}, RSS {peak:.0f} MB")
        if verbose:
            for page in score.pages:
                if not page.title_ok or page.f1 < 0.9 or page.byline_ok is False or page.error:
                    print(
                        f"    {page.name:40} title {'ok' if page.title_ok else '--'} F1 {page.f1:.3f} "
                        f"byline {page.byline_ok} {page.error}"
                    )


if __name__ == "__main__":
    main()
