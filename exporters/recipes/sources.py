"""A recipe's sources turned into articles: feeds (and OPML lists of them), URL lists, linked pages.

Requests go through the run's :class:`~exporters.pipeline.fetcher.Fetcher` (several at once,
two per host, the HTTP cache); this module decides what to fetch and what to keep. A source
that fails adds a line to the run's problems; the others go on.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import TypeVar

from lxml import etree

from exporters.model import Article, ArticleError, body_text
from exporters.pipeline.fetch import FetchError
from exporters.pipeline.fetcher import Fetcher
from exporters.pipeline.localfile import MAX_LIST_BYTES, read_regular_file
from exporters.readers.url import Kind, accepted_types, read_fetched
from exporters.recipes.recipe import Source

__all__ = [
    "opml_feeds",
    "url_list",
    "feed_articles",
    "needs_full_text",
    "read_feeds",
    "read_pages",
    "with_full_text",
]

#: A feed entry whose text is shorter than this many words is taken to be a summary.
SUMMARY_WORDS = 150
_FEEDS: tuple[Kind, ...] = ("json", "feed")
_PAGES: tuple[Kind, ...] = ("page",)
R = TypeVar("R")

_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def opml_feeds(path: Path) -> list[str]:
    """The feed URLs in an OPML subscription list (every ``outline`` with an http(s) ``xmlUrl``)."""
    try:
        root = etree.fromstring(read_regular_file(path, MAX_LIST_BYTES), _XML)
    except OSError as exc:
        raise ArticleError(f"{path}: cannot read ({exc.strerror or exc})") from None
    except etree.XMLSyntaxError as exc:
        raise ArticleError(f"{path}: not a valid OPML file ({exc})") from None
    if root is None or etree.QName(root).localname != "opml":
        raise ArticleError(f"{path}: not an OPML file (no opml root element)")
    urls = []
    for outline in root.iter("{*}outline", "outline"):
        url = (outline.get("xmlUrl") or "").strip()
        if url.lower().startswith(("http://", "https://")) and url not in urls:
            urls.append(url)
    return urls


def url_list(path: Path) -> list[str]:
    """The URLs in a reading list: one a line, blank lines and ``#`` comments skipped."""
    try:
        text = read_regular_file(path, MAX_LIST_BYTES).decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ArticleError(f"{path}: cannot read ({getattr(exc, 'strerror', None) or exc})") from None
    urls = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):  # a URL may hold a '#': only whole lines are comments
            continue
        if not line.lower().startswith(("http://", "https://")):
            raise ArticleError(f"{path}:{number}: {line!r} is not an http(s) URL")
        urls.append(line)
    return urls


def feed_articles(articles: Iterable[Article], source: Source, now: datetime) -> list[Article]:
    """A feed's articles that the source keeps: recent enough, newest first, at most ``max_articles``, tagged."""
    kept = list(articles)
    if source.oldest_days is not None:
        oldest = now - timedelta(days=source.oldest_days)
        kept = [a for a in kept if a.published is None or a.published >= oldest]
    kept.sort(key=lambda a: a.published.timestamp() if a.published else float("-inf"), reverse=True)
    if source.max_articles is not None:
        kept = kept[: source.max_articles]
    if source.tags:
        kept = [dataclasses.replace(a, tags=tuple(dict.fromkeys((*a.tags, *source.tags)))) for a in kept]
    return kept


def needs_full_text(article: Article, source: Source) -> bool:
    """Whether the linked page should be fetched for ``article``: always, never, or (auto) when it has only a summary."""
    if not article.url or source.full_text == "never":
        return False
    return source.full_text == "always" or len(body_text(article.body).split()) < SUMMARY_WORDS


def read_feeds(
    fetcher: Fetcher, feeds: Sequence[tuple[str, Source]], problems: list[str]
) -> list[tuple[Source, list[Article]]]:
    """Each feed's articles, read as RSS, Atom or JSON Feed; a feed that fails adds a line to ``problems``."""

    def one(item: tuple[str, Source]) -> list[Article] | str:
        url = item[0]
        try:
            page = fetcher.get(url, typed=True, accept=accepted_types(_FEEDS))
            return read_fetched(page, url, _FEEDS)
        except (FetchError, ArticleError) as exc:
            return str(exc)

    return [(source, got) for (_, source), got in zip(feeds, _split(fetcher.map(one, feeds), problems, list))]


def read_pages(fetcher: Fetcher, urls: Sequence[str], *, typed: bool, problems: list[str]) -> list[Article | None]:
    """The article of each page, in order (None where it failed, with a line in ``problems``)."""

    def one(url: str) -> Article | str:
        try:
            page = fetcher.get(url, typed=typed, accept=accepted_types(_PAGES))
            return read_fetched(page, url, _PAGES)[0]
        except (FetchError, ArticleError) as exc:
            return str(exc)

    return _split(fetcher.map(one, urls), problems, lambda: None)


def with_full_text(fetcher: Fetcher, articles: Sequence[Article], problems: list[str]) -> list[Article]:
    """Feed entries that carry only a summary, with the linked page's text (and the entry's own metadata)."""
    pages = read_pages(fetcher, [a.url or "" for a in articles], typed=False, problems=problems)
    out = []
    for article, page in zip(articles, pages):
        if page is not None and page.body:
            article = replace(
                article,
                body=page.body,
                authors=article.authors or page.authors,
                image=article.image or page.image,
                language=article.language or page.language,
            )
        out.append(article)
    return out


def _split(results: Iterable[R | str], problems: list[str], failed: Callable[[], object]) -> list:
    """Results in order, each failure (its message) moved to ``problems`` and replaced by ``failed()``."""
    out: list = []
    for result in results:
        if isinstance(result, str):
            problems.append(result)
            out.append(failed())
        else:
            out.append(result)
    return out
