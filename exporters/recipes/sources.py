"""A recipe's sources turned into articles: feeds (and OPML lists of them), URL lists, the library.

Fetching is given by the caller (:class:`Fetch`), so that the run decides about caching,
concurrency and which addresses content may reach; this module only decides what to fetch
and what to keep.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from lxml import etree

from exporters.model import Article, ArticleError, body_text
from exporters.recipes.recipe import Source

__all__ = ["Fetch", "SourceResult", "opml_feeds", "url_list", "feed_articles", "needs_full_text"]

#: ``fetch(url, content)`` -> the response body and its final URL; ``content`` is True for a URL that
#: content named (a feed's links), False for one the recipe itself names. Raises ArticleError.
Fetch = Callable[[str, bool], tuple[bytes, str]]
#: A feed entry whose text is shorter than this many words is taken to be a summary.
SUMMARY_WORDS = 150


@dataclass(frozen=True)
class SourceResult:
    """What one source gave: articles, and a line per problem met on the way."""

    articles: list[Article]
    problems: list[str]
    #: The URLs that were fetched (for ``--dry-run`` and the run's summary).
    fetched: list[str]


_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def opml_feeds(path: Path) -> list[str]:
    """The feed URLs in an OPML subscription list (every ``outline`` with an http(s) ``xmlUrl``)."""
    try:
        root = etree.fromstring(path.read_bytes(), _XML)
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
        text = path.read_text(encoding="utf-8-sig")
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
