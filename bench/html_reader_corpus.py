"""How well the saved-page reader extracts articles, measured on two fixed halves of the readability corpus.

The corpus's pages are split once and for all by a hash of the folder name: rules are tuned on
the ``tuning`` half and judged on the ``held-out`` half, so a rule that only fits the pages it
was written for shows up as a gap between the two. For each page, ``source.html`` goes through
:class:`HtmlReader` and the result is compared with ``expected-metadata.json`` and ``expected.html``:

- title exact: the whitespace-normalised title equals the expected one, on pages that have
  one (a page without a title gets its file name, which the corpus does not expect);
- body F1: token F1 between the article's body text and the text of ``expected.html``
  (tokens: lowercased ``\\w+`` words, one token per CJK character); shingle F1 is the same
  over 4-token shingles, which also punishes text in the wrong order;
- byline: on pages whose expected byline is not empty, every author found appears in it
  (case, punctuation and spacing ignored: expected bylines carry "By", dates and job titles);
- date: on pages with an expected ``publishedTime``, the publication date found is that day.

Bare ``trafilatura.bare_extraction`` (its title, its ``text``) and readability-lxml (its
title and summary) are measured the same way, side by side, in the same run. Their ms/page is
CPU time (``time.process_time``) of one pass, reading the file included.

The last line compares the reader's extraction time with the reader at ``--baseline REV``
(default: the commit before the extraction work of issue 17) on the same pages, each page's
fastest CPU time over ``--passes`` passes (3), the two readers taking turns page by page
(:mod:`bench.reader_baseline`). Outside a git checkout, or with ``--baseline none``, the line
says why it is missing.

    python bench/html_reader_corpus.py [--half tuning|held-out] [--only-reader] [-v]
                                       [--baseline REV|none] [--passes N]

``-v`` prints every page's figures (the reader's and bare trafilatura's F1 side by side).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import lxml.html

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.reader_baseline import BASELINE, baseline_comparison  # noqa: E402
from exporters.model import ArticleError, body_text  # noqa: E402
from exporters.readers.page.extract import HtmlReader  # noqa: E402

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "readability"
HALVES = ("tuning", "held-out")
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_TOKEN = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+")


def half_of(name: str) -> str:
    """The fixed half a corpus page belongs to, from a stable hash of its folder name."""
    return HALVES[int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "big") % 2]


def token_list(text: str) -> list[str]:
    """Lowercased word tokens in order, one per CJK character."""
    return [match.group(0).lower() for match in _TOKEN.finditer(text)]


def tokens(text: str) -> Counter:
    """Lowercased word tokens, one per CJK character, counted."""
    return Counter(token_list(text))


def _f1(a: Counter, b: Counter) -> float:
    if not a and not b:
        return 1.0
    common = sum((a & b).values())
    if not common:
        return 0.0
    precision, recall = common / sum(a.values()), common / sum(b.values())
    return 2 * precision * recall / (precision + recall)


def token_f1(found: str, expected: str) -> float:
    """Token F1 of ``found`` against ``expected`` (1.0 when both are empty)."""
    return _f1(tokens(found), tokens(expected))


def shingles(text: str, size: int = 4) -> Counter:
    """Runs of ``size`` consecutive tokens, counted (a shorter text is one shingle)."""
    words = token_list(text)
    if len(words) <= size:
        return Counter([tuple(words)] if words else [])
    return Counter(tuple(words[n : n + size]) for n in range(len(words) - size + 1))


def shingle_f1(found: str, expected: str) -> float:
    """F1 over 4-token shingles of ``found`` against ``expected``."""
    return _f1(shingles(found), shingles(expected))


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
    half: str
    title: str
    title_ok: bool | None  # None: the page has no expected title
    f1: float
    shingle_f1: float
    byline_ok: bool | None  # None: the page has no expected byline
    date_ok: bool | None  # None: the page has no expected publication date
    seconds: float
    error: str = ""


@dataclass
class CorpusScore:
    """Scores over some corpus pages, with per-page detail."""

    pages: list[PageResult] = field(default_factory=list)

    def half(self, name: str) -> CorpusScore:
        """The scores of one half's pages."""
        return CorpusScore([p for p in self.pages if p.half == name])

    @property
    def title_rate(self) -> float:
        """Share of pages with an expected title whose title is exactly right."""
        judged = [p.title_ok for p in self.pages if p.title_ok is not None]
        return sum(judged) / len(judged) if judged else 1.0

    @property
    def mean_f1(self) -> float:
        """Mean body token F1."""
        return sum(p.f1 for p in self.pages) / len(self.pages)

    @property
    def mean_shingle_f1(self) -> float:
        """Mean body 4-shingle F1."""
        return sum(p.shingle_f1 for p in self.pages) / len(self.pages)

    @property
    def byline_rate(self) -> float:
        """Share of pages with an expected byline whose authors were found."""
        judged = [p.byline_ok for p in self.pages if p.byline_ok is not None]
        return sum(judged) / len(judged) if judged else 1.0

    @property
    def date_rate(self) -> float:
        """Share of pages with an expected publication date whose date was found."""
        judged = [p.date_ok for p in self.pages if p.date_ok is not None]
        return sum(judged) / len(judged) if judged else 1.0

    @property
    def dates(self) -> int:
        """Number of pages that have an expected publication date."""
        return sum(p.date_ok is not None for p in self.pages)

    @property
    def bylines(self) -> int:
        """Number of pages that have an expected byline."""
        return sum(p.byline_ok is not None for p in self.pages)

    @property
    def seconds(self) -> float:
        """Extraction time over these pages."""
        return sum(p.seconds for p in self.pages)

    def summary(self) -> str:
        """One line with every figure."""
        return (
            f"title exact {self.title_rate:6.1%}, body F1 {self.mean_f1:.3f} (shingles {self.mean_shingle_f1:.3f}), "
            f"byline {self.byline_rate:6.1%} of {self.bylines:2}, date {self.date_rate:6.1%} of {self.dates:2}, "
            f"{len(self.pages):3} pages, "
            f"{1000 * self.seconds / len(self.pages):4.0f} ms/page"
        )


Extracted = tuple[str, str, tuple[str, ...], str | None]
Extractor = Callable[[Path], Extracted]


def reader_extractor(page: Path) -> Extracted:
    """Title, body text, authors and publication day as :class:`HtmlReader` reads the page."""
    [article] = HtmlReader().read(page.read_bytes(), str(page))
    day = article.published.date().isoformat() if article.published else None
    return article.title, body_text(article.body), article.authors, day


def trafilatura_extractor(page: Path) -> Extracted:
    """Title, text and authors from bare ``trafilatura.bare_extraction``."""
    import trafilatura

    doc = trafilatura.bare_extraction(page.read_text(encoding="utf-8"), with_metadata=True)
    if doc is None:
        return "", "", (), None
    authors = tuple(a.strip() for a in (doc.author or "").split(";") if a.strip())
    return doc.title or "", doc.text or "", authors, (doc.date or None)


def readability_extractor(page: Path) -> Extracted:
    """Title and summary text from readability-lxml (it finds no authors)."""
    from readability import Document

    doc = Document(page.read_text(encoding="utf-8"))
    summary = lxml.html.fromstring(doc.summary(html_partial=True) or "<div></div>").text_content()
    return doc.title(), summary, (), None


def measure_corpus(
    extract: Extractor = reader_extractor, corpus: Path = CORPUS, halves: Iterable[str] = HALVES
) -> CorpusScore:
    """Score ``extract`` on every page of the given halves of the corpus, in one pass."""
    for name in ("readability", "trafilatura", "htmldate"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    wanted = set(halves)
    score = CorpusScore()
    for folder in sorted(p for p in corpus.iterdir() if p.is_dir() and half_of(p.name) in wanted):
        meta = json.loads((folder / "expected-metadata.json").read_text(encoding="utf-8"))
        expected_text = lxml.html.fromstring((folder / "expected.html").read_text(encoding="utf-8")).text_content()
        expected_byline = _words(meta.get("byline"))
        start = time.process_time()
        try:
            title, text, authors, day = extract(folder / "source.html")
            error = ""
        except ArticleError as exc:
            title, text, authors, day, error = "", "", (), None, str(exc)
        expected_day = (meta.get("publishedTime") or "")[:10]
        seconds = time.process_time() - start
        score.pages.append(
            PageResult(
                name=folder.name,
                half=half_of(folder.name),
                title=_words(title),
                title_ok=_words(title) == _words(meta.get("title")) if _words(meta.get("title")) else None,
                f1=token_f1(text, expected_text),
                shingle_f1=shingle_f1(text, expected_text),
                byline_ok=byline_matches(authors, expected_byline) if expected_byline else None,
                date_ok=(day == expected_day) if expected_day else None,
                seconds=seconds,
                error=error,
            )
        )
    return score


def _option(name: str, default: str) -> str:
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


def main() -> None:
    """Print each extractor's figures per half, then (with -v) every page's, with peak memory."""
    import psutil

    halves = [_option("--half", "")] if "--half" in sys.argv else list(HALVES)
    runs = [("HtmlReader", reader_extractor)]
    if "--only-reader" not in sys.argv:
        runs += [("bare trafilatura", trafilatura_extractor), ("readability-lxml", readability_extractor)]
    scores = {}
    for label, extract in runs:
        scores[label] = score = measure_corpus(extract, halves=halves)
        peak = psutil.Process().memory_info().rss / 2**20
        for name in halves:
            print(f"{label:18} {name:8} {score.half(name).summary()}, RSS {peak:.0f} MB", flush=True)
    if "-v" in sys.argv:
        ours, theirs = scores["HtmlReader"], scores.get("bare trafilatura")
        print(f"\n{'page':42} {'half':8} title  F1 reader  F1 trafilatura  byline")
        for n, page in enumerate(ours.pages):
            other = f"{theirs.pages[n].f1:14.3f}" if theirs else f"{'':14}"
            flag = "  <" if theirs and page.f1 < theirs.pages[n].f1 - 0.005 else ""
            print(
                f"{page.name:42} {page.half:8} {'' if page.title_ok is None else 'ok' if page.title_ok else '--':5} {page.f1:9.3f} {other}  "
                f"{'' if page.byline_ok is None else 'ok' if page.byline_ok else '--':6}{flag} {page.error}"
            )
    pages = [CORPUS / page.name / "source.html" for page in scores["HtmlReader"].pages]
    print("\n" + baseline_comparison(_option("--baseline", BASELINE), pages, int(_option("--passes", "3"))))


if __name__ == "__main__":
    main()
