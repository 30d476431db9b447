"""EPUB chapters: one article as an XHTML document, and a book's chapters rendered in book order.

Chapters are serialised here, not by ebooklib: ebooklib would re-parse every chapter with
lxml's HTML parser and pretty-print it, which costs time on big collections, drops anything
in ``<head>`` and inserts whitespace between adjacent inline elements (``<em>a</em><strong>b</strong>``
reads "a b"). Our chapters are well-formed XHTML already.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape
from urllib.parse import urlsplit

from exporters.exporter import Progress
from exporters.html.lazy import bodies_once
from exporters.html.sanitize import safe_url
from exporters.html.xhtml import render_blocks, valid_url
from exporters.model import Article, Block, Image, Paragraph, Span
from exporters.parallel import map_chunks, uses_workers
from exporters.pipeline.assets import body_images
from exporters.pipeline.dates import format_date
from exporters.pipeline.grouping import Groups, site_of
from exporters.text import strip_control

__all__ = ["Chapter", "ChapterContents", "plan_chapters", "chapter_xhtml", "language_tag", "direction", "xml_text"]

TEXT_DIR = "text"
STYLE_DIR = "style"
_RTL_LANGUAGES = {"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ks", "ps", "sd", "syr", "ug", "ur", "yi"}
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")

_CHAPTER = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="{lang}" xml:lang="{lang}" dir="{dir}">
<head>
<title>{title}</title>
{links}
</head>
<body>
<article class="story" epub:type="chapter">
<header class="article-header">
{header}
</header>
{body}
</article>
</body>
</html>
"""

#: Chapters per task given to a process when a long book is rendered with workers
#: (:func:`exporters.parallel.map_chunks`).
_RENDER_CHUNK = 16


@dataclass(frozen=True)
class Chapter:
    """One article's document: where it goes in the zip; its XHTML comes from ``contents``."""

    uid: str
    file_name: str
    title: str
    lang: str
    index: int
    contents: ChapterContents


def plan_chapters(
    groups: Groups, book_language: str, image_paths: dict[str, str], has_user_css: bool, progress: Progress
) -> list[Chapter]:
    """Every article's chapter in book order; the XHTML is rendered as the zip is written, reporting progress.

    ``image_paths`` maps an image source to its file name in the book."""
    total = sum(len(articles) for _, articles in groups)
    digits = max(4, len(str(total)))
    stylesheets = [f"../{STYLE_DIR}/book.css"] + ([f"../{STYLE_DIR}/user.css"] if has_user_css else [])
    jobs: list[tuple[Article, str]] = []
    for _, articles in groups:
        for article in articles:
            if not xml_text(article.title).strip():
                # A title of control characters only would leave an empty nav entry, which is invalid.
                article = article.with_changes(title=f"Article {len(jobs) + 1}")
            jobs.append((article, language_tag(article.language) or book_language))
    paths = {src: f"../{name}" for src, name in image_paths.items()}
    contents = ChapterContents(jobs, stylesheets, paths, progress)
    chapters: list[Chapter] = []
    for n, (article, lang) in enumerate(jobs, start=1):
        uid = f"a{n:0{digits}d}"
        chapters.append(Chapter(uid, f"{TEXT_DIR}/{uid}.xhtml", xml_text(article.title), lang, n - 1, contents))
    return chapters


class ChapterContents:
    """Chapters' XHTML by index, rendered in book order as the writer asks for them.

    A long book's chapters are rendered in chunks by this process and a forked worker (which
    inherits the articles); this process also deflates them, and renders later chunks itself
    whenever the next one is still in the worker's hands.
    """

    def __init__(
        self, jobs: list[tuple[Article, str]], stylesheets: list[str], paths: dict[str, str], progress: Progress
    ):
        self._progress, self._total = progress, len(jobs)
        # Rendered and not yet written: at most a chunk, so memory does not grow with the book.
        self._ready: dict[int, bytes] = {}
        self._made = 0
        size = _RENDER_CHUNK if uses_workers(len(jobs)) else 1  # alone, progress is reported chapter by chapter

        def render(chunk: Sequence[tuple[Article, str]]) -> list[bytes]:
            bodies = bodies_once([article.body for article, _ in chunk])
            return [
                _render_chapter(article, lang, stylesheets, paths, body) for (article, lang), body in zip(chunk, bodies)
            ]

        self._stream = map_chunks(render, jobs, size)

    def get(self, index: int) -> bytes:
        """Chapter ``index``'s XHTML, handed over once: the writer deflates it and it is dropped here."""
        while index not in self._ready:
            for content in next(self._stream):
                self._ready[self._made] = content
                self._made += 1
            self._progress(self._made, self._total)
        return self._ready.pop(index)

    @property
    def waiting(self) -> int:
        """Chapters rendered and not yet handed to the writer."""
        return len(self._ready)

    def close(self) -> None:
        """Stop the worker, if there is one (it has finished unless writing failed)."""
        # map_chunks gives a generator: closing it ends its workers early when writing failed.
        close = getattr(self._stream, "close", None)
        if close is not None:
            close()


def _render_chapter(
    article: Article, lang: str, stylesheets: list[str], paths: dict[str, str], body: Sequence[Block]
) -> bytes:
    return chapter_xhtml(article, lang, stylesheets, lambda image: paths.get(image.src) if image.src else None, body)


def chapter_xhtml(
    article: Article, lang: str, stylesheets: list[str], image_src: Callable[[Image], str | None], body: Sequence[Block]
) -> bytes:
    """One article as an XHTML chapter: header (title, byline, site, date in words for ``lang``, link), lead image, body.

    ``body`` is the article's body converted (see :func:`~exporters.html.lazy.bodies_once`)."""
    header = [f'<h1 class="title">{escape(article.title, quote=False)}</h1>']
    if article.authors:
        header.append(f'<p class="byline">{escape(", ".join(article.authors), quote=False)}</p>')
    dateline = []
    site = site_of(article)
    if site:
        dateline.append(f'<span class="site">{escape(site, quote=False)}</span>')
    if article.published:
        day = escape(format_date(article.published, lang), quote=False)
        dateline.append(f'<time datetime="{_html_datetime(article.published)}">{day}</time>')
    if dateline:
        header.append(f'<p class="dateline">{" · ".join(dateline)}</p>')
    url = safe_url(article.url)
    if url:
        link = f'<a href="{escape(valid_url(url))}">{escape(_display_url(url), quote=False)}</a>'
        header.append(f'<p class="source">{link}</p>')

    blocks = body
    if article.image is not None and _lead_image_is_separate(article.image, blocks):
        blocks = (article.image, *blocks)
    if not blocks and article.summary:
        blocks = (*blocks, Paragraph((Span(article.summary),)))
    # Without a declared language, the title's script decides the direction.
    text = _CHAPTER.format(
        lang=escape(lang),
        dir=direction(lang, "" if language_tag(article.language) else article.title),
        title=escape(article.title, quote=False),
        links="\n".join(f'<link rel="stylesheet" type="text/css" href="{href}"/>' for href in stylesheets),
        header="\n".join(header),
        body=render_blocks(blocks, image_src, link_href=valid_url),
    )
    return strip_control(text).encode("utf-8")


def _lead_image_is_separate(lead: Image, body: Sequence[Block]) -> bool:
    """Whether an article's lead image must be shown above the body (the body does not show it already)."""
    if not lead.src:
        return False
    return all(image.src != lead.src for image in body_images(body))


# -- small text helpers ---------------------------------------------------------------------------
def language_tag(tag: str | None) -> str | None:
    """A well-formed BCP 47 tag (``en_US`` becomes ``en-US``), or None for anything else."""
    if not tag:
        return None
    tag = tag.strip().replace("_", "-")
    if not _LANGUAGE_TAG.match(tag):
        return None
    primary, _, rest = tag.partition("-")
    return primary.lower() + (f"-{rest}" if rest else "")


def direction(lang: str, text: str = "") -> str:
    """``rtl`` for right-to-left languages (or text whose first strong letter is RTL), else ``ltr``."""
    if lang.split("-")[0] in _RTL_LANGUAGES:
        return "rtl"
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def xml_text(text: str | None) -> str:
    """``text`` without the characters XML refuses ("" for None)."""
    return strip_control(text or "")


def _display_url(url: str) -> str:
    """Host and path of ``url`` for the "original article" link, shortened past 70 characters."""
    parts = urlsplit(url)
    shown = (parts.hostname or "").removeprefix("www.") + (parts.path if parts.path != "/" else "")
    return shown if len(shown) <= 70 else shown[:69] + "…"


def _html_datetime(moment: datetime) -> str:
    """A valid HTML global date-time: whole seconds and a ±HH:MM offset."""
    offset = moment.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    sign = "+" if minutes >= 0 else "-"
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
