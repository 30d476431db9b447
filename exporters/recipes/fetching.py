"""Fetching a recipe's feeds and pages politely: several at once, at most two per host, retried when asked to wait.

Every request goes through :func:`exporters.pipeline.fetch.fetch` (limits, deadline, address
checks) with the run's HTTP cache, so a feed fetched again within its freshness is not fetched
at all and a stale one is asked for only if it changed (ETag / Last-Modified).
"""

from __future__ import annotations

import contextvars
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

from exporters.model import Article, ArticleError
from exporters.pipeline.fetch import Fetched, FetchError, fetch
from exporters.recipes.recipe import Source

__all__ = ["Fetcher", "PER_HOST", "RETRIES"]

#: Requests at once to one host.
PER_HOST = 2
#: Attempts after the first when a server answers 429 or 503.
RETRIES = 2
#: The longest wait a server's Retry-After may ask for, in seconds.
MAX_WAIT = 30.0
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml")
_PAGE_TYPES = ("text/html", "application/xhtml+xml")
_JSON_TYPES = ("application/feed+json", "application/json")
T = TypeVar("T")
R = TypeVar("R")


class Fetcher:
    """The run's fetching: ``jobs`` requests at once, :data:`PER_HOST` per host, an HTTP cache at ``cache``."""

    def __init__(self, *, jobs: int, cache: Path | None, sleep: Callable[[float], None] = time.sleep):
        self.jobs, self.cache, self._sleep = max(1, jobs), cache, sleep
        self._hosts: dict[str, threading.Semaphore] = {}
        self._lock = threading.Lock()
        #: Every URL requested, in the order the requests were made.
        self.fetched: list[str] = []

    def get(self, url: str, *, typed: bool, accept: tuple[str, ...]) -> Fetched:
        """One GET: waits for a place at its host, retries on 429/503 honouring Retry-After."""
        host = (urlsplit(url).hostname or "").lower()
        with self._lock:
            gate = self._hosts.setdefault(host, threading.Semaphore(PER_HOST))
            self.fetched.append(url)
        for attempt in range(RETRIES + 1):
            with gate:
                try:
                    return fetch(url, accept=accept, typed=typed, cache=self.cache)
                except FetchError as exc:
                    if exc.status not in (429, 503) or attempt == RETRIES:
                        raise
                    wait = min(MAX_WAIT, exc.retry_after if exc.retry_after is not None else 2.0**attempt)
            self._sleep(wait)
        raise AssertionError("unreachable")

    def map(self, function: Callable[[T], R], items: Sequence[T]) -> Iterator[R]:
        """``function`` of each item, ``jobs`` at once, results in order (the access policy carries into threads)."""
        if self.jobs == 1 or len(items) < 2:
            yield from map(function, items)
            return
        context = contextvars.copy_context()
        with ThreadPoolExecutor(self.jobs) as pool:
            yield from pool.map(lambda item: context.copy().run(function, item), items)

    def feeds(self, feeds: Sequence[tuple[str, Source]], problems: list[str]) -> list[tuple[Source, list[Article]]]:
        """Each feed's articles, read as RSS, Atom or JSON Feed; a feed that fails adds a line to ``problems``."""
        from exporters.readers.feed import FeedReader
        from exporters.readers.json import JsonReader

        def one(item: tuple[str, Source]) -> list[Article] | str:
            url = item[0]
            try:
                page = self.get(url, typed=True, accept=_FEED_TYPES + _JSON_TYPES + ("text/",))
                if page.media_type in _JSON_TYPES:
                    return JsonReader().read(page.data, url)
                return FeedReader().read(page.data, url)
            except (FetchError, ArticleError) as exc:
                return str(exc)

        return [(source, got) for (_, source), got in zip(feeds, _split(self.map(one, feeds), problems, list))]

    def pages(self, urls: Sequence[str], *, typed: bool, problems: list[str]) -> list[Article | None]:
        """The article of each page, in order (None where it failed, with a line in ``problems``)."""
        from exporters.readers.page.extract import read_html_page

        def one(url: str) -> Article | str:
            try:
                page = self.get(url, typed=typed, accept=_PAGE_TYPES)
                return read_html_page(page.data, url, url=page.url, charset=page.charset)
            except (FetchError, ArticleError) as exc:
                return str(exc)

        return _split(self.map(one, urls), problems, lambda: None)

    def full_text(self, articles: Sequence[Article], problems: list[str]) -> list[Article]:
        """Feed entries that carry only a summary, with the linked page's text (and the entry's own metadata)."""
        pages = self.pages([a.url or "" for a in articles], typed=False, problems=problems)
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
