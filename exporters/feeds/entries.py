"""Feed entries built from articles: clean one-line text, plain-text summaries, safe absolute URLs, UTC dates."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime

from exporters.html.blocks import blocks_from_html
from exporters.html.lazy import bodies_once
from exporters.html.sanitize import safe_url
from exporters.html.xhtml import render_blocks
from exporters.model import Article, Block, Collection, Image, body_text
from exporters.text import clean_text, cut_words, one_line

__all__ = [
    "Enclosure",
    "FeedEntry",
    "build_entries",
    "build_entry",
    "entry_id",
    "given_summary",
    "newest_first",
    "feed_id",
    "rfc822",
    "rfc3339",
    "SUMMARY_CHARS",
]

#: Longest summary, in characters; a longer text is cut at the last word boundary before it.
SUMMARY_CHARS = 280
_URI_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")
#: A summary with a tag or a character reference is HTML (feeds put HTML there): it is read as such.
_MARKUP = re.compile(r"<[A-Za-z!/]|&(#\d+|#x[0-9A-Fa-f]+|[A-Za-z]+);")


@dataclass(frozen=True)
class Enclosure:
    """An entry's lead image, referenced by URL; ``length`` is known only when the image was loaded."""

    url: str
    media_type: str | None = None
    length: int | None = None


@dataclass(frozen=True)
class FeedEntry:
    """One article as every feed format needs it: clean text, absolute URLs, UTC dates."""

    id: str
    title: str
    link: str | None
    authors: tuple[str, ...]
    published: datetime | None
    updated: datetime | None
    tags: tuple[str, ...]
    #: Plain text (never markup): the article's summary, else its first words, cut at a word boundary.
    summary: str
    #: XHTML of the body for ``--content full``, else None (may hold control characters: formats clean on failure).
    content_html: str | None
    image: Enclosure | None
    language: str | None
    #: The entry's last change for formats that require one (Atom): updated, published, else the build time.
    stamp: datetime
    #: A file attached to the entry (``--enclosure-url``: the run's book, on the newest entry only).
    attachment: Enclosure | None = None

    @property
    def date(self) -> datetime | None:
        """The date an entry is sorted by: published, else updated."""
        return self.published or self.updated


def rfc822(value: datetime) -> str:
    """An RSS date: RFC 822 in GMT."""
    return format_datetime(value.astimezone(UTC), usegmt=True)


def rfc3339(value: datetime) -> str:
    """An Atom / JSON Feed date: RFC 3339 in UTC with a ``Z``."""
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def feed_id(article_id: str) -> str:
    """An id that is an absolute IRI (Atom requires it); ids from other tools without a scheme get a URN."""
    if _URI_SCHEME.match(article_id):
        return article_id
    return "urn:newsexport:" + hashlib.sha1(article_id.encode("utf-8")).hexdigest()[:20]


def entry_id(article: Article) -> str:
    """The id of the entry made from ``article`` (its id, cleaned)."""
    return clean_text(article.id).strip()


def newest_first(articles: Sequence[Article]) -> list[Article]:
    """The articles by date (published, else updated), newest first; undated ones last, in input order."""
    dated = [a for a in articles if a.published or a.updated]
    dated.sort(key=lambda a: a.published or a.updated, reverse=True)  # type: ignore[arg-type, return-value]
    return dated + [a for a in articles if not (a.published or a.updated)]


def _first_words(body: Sequence[Block]) -> str:
    """The body's first words; only the first blocks are read (collapsing a whole body is slow)."""
    parts: list[str] = []
    size = 0
    for block in body:
        parts.append(body_text((block,)))
        size += len(parts[-1])
        if size > 2 * SUMMARY_CHARS:
            break
    return cut_words(one_line(" ".join(parts)[: 3 * SUMMARY_CHARS]), SUMMARY_CHARS)


def given_summary(article: Article) -> str:
    """The article's own summary as plain text, cut at a word: HTML (as feeds carry it) goes through the model's blocks."""
    summary = article.summary
    if summary and _MARKUP.search(summary):
        summary = body_text(blocks_from_html(summary, article.url))
    return cut_words(one_line(summary), SUMMARY_CHARS)


def _web_image(image: Image) -> str | None:
    """Feeds reference images by URL: only absolute http(s) ones can be used by a feed reader."""
    return image.src if image.src.startswith(("http://", "https://")) else None


def _utc(value: datetime | None) -> datetime | None:
    return value.astimezone(UTC) if value is not None else None


def build_entries(
    articles: Sequence[Article], collection: Collection, content: str, build_time: datetime
) -> list[FeedEntry]:
    """:func:`build_entry` of each article, the bodies converted together (see :func:`~exporters.html.lazy.bodies_once`).

    A body is converted when the entry shows it: as its content, or for its first words when the
    article has no summary of its own.
    """
    summaries = [given_summary(article) if content != "none" else "" for article in articles]
    bodies = bodies_once(
        [
            article.body if content == "full" or (content == "summary" and not summary) else ()
            for article, summary in zip(articles, summaries)
        ]
    )
    return [
        build_entry(article, collection, content, build_time, body, summary or _first_words(body))
        for article, body, summary in zip(articles, bodies, summaries)
    ]


def build_entry(
    article: Article,
    collection: Collection,
    content: str,
    build_time: datetime,
    body: Sequence[Block],
    summary: str,
) -> FeedEntry:
    """A feed entry from an article: cleaned text, safe absolute URLs, rendered content.

    ``body`` is the article's body converted, or ``()`` when the entry does not show it; ``summary``
    is plain text (see :func:`build_entries`).
    """
    image = None
    if article.image is not None and _web_image(article.image):
        asset = collection.assets.get(article.image.src)
        image = Enclosure(article.image.src, asset.media_type if asset else None, len(asset.data) if asset else None)
    return FeedEntry(
        id=entry_id(article),
        title=one_line(article.title),
        link=safe_url(article.url) if article.url and article.url.startswith(("http://", "https://")) else None,
        authors=tuple(a for a in (one_line(a) for a in article.authors) if a),
        published=_utc(article.published),
        updated=_utc(article.updated),
        tags=tuple(dict.fromkeys(t for t in (one_line(t) for t in article.tags) if t)),
        summary="" if content == "none" else summary,
        content_html=render_blocks(body, _web_image) if content == "full" else None,
        image=image,
        language=one_line(article.language) or None,
        stamp=_utc(article.updated or article.published or build_time),  # type: ignore[arg-type]
    )
