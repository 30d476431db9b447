"""Reading what ``add`` and ``library fetch`` are given: URLs fetched concurrently (at most two at once per
host), local files in order (shared with a forked worker when more than one job is asked for).

Each input becomes a :class:`Page`: its articles, the original HTML when it was a page, and its
images loaded once, so the library can store them as blobs and later books need no network.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from exporters.model import Article, ArticleError, Asset
from exporters.parallel import shared_runs
from exporters.pipeline.assets import AssetError, article_images, load_asset
from exporters.pipeline.fetch import FetchError, fetch
from exporters.readers import read_input
from exporters.readers.url import is_url

__all__ = ["Page", "read_pages", "PER_HOST"]

#: Requests at once to one host, whatever ``jobs`` is.
PER_HOST = 2
_PAGE_TYPES = ("text/html", "application/xhtml+xml")
_HTML_FILES = (".html", ".htm", ".xhtml")


@dataclass(frozen=True)
class Page:
    """What one input gave: articles (none when it failed, with ``error`` saying why), original HTML, images."""

    name: str
    articles: tuple[Article, ...] = ()
    html: bytes | None = None
    assets: dict[str, Asset] = field(default_factory=dict)
    #: One message per image that could not be loaded.
    warnings: tuple[str, ...] = ()
    error: str | None = None


class _HostLimit:
    """A semaphore per host, so ``jobs`` threads never hit one server with more than :data:`PER_HOST` requests."""

    def __init__(self, per_host: int) -> None:
        self._per_host = per_host
        self._lock = threading.Lock()
        self._hosts: dict[str, threading.Semaphore] = {}

    def __call__(self, url: str) -> threading.Semaphore:
        host = (urlsplit(url).hostname or "").lower()
        with self._lock:
            return self._hosts.setdefault(host, threading.Semaphore(self._per_host))


def read_pages(names: Sequence[str], *, jobs: int = 4, images: bool = True, per_host: int = PER_HOST) -> Iterator[Page]:
    """A :class:`Page` for every input name (URL or file): local files first, in order, then URLs as they finish.

    URLs run in ``jobs`` threads with at most ``per_host`` requests at once to any host; a failing
    input is a page with ``error`` set, never an exception.
    """
    limit = _HostLimit(per_host)
    files = [n for n in names if not is_url(n)]
    # The forked worker reads files only: it never touches the caller's SQLite connection, and leaves
    # with os._exit, so no SQLite state is ever used or finalised in it.
    urls = [n for n in names if is_url(n)]
    for run in shared_runs(lambda name: _read_file(name, images, limit), files, 1, worker=jobs > 1 and len(files) > 1):
        yield from run
    if not urls:
        return
    with ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="newsexport-fetch") as pool:
        futures = [pool.submit(_read_url, url, images, limit) for url in urls]
        for future in as_completed(futures):
            yield future.result()


def _read_url(url: str, images: bool, limit: Callable[[str], threading.Semaphore]) -> Page:
    from exporters.readers.feed import FeedReader
    from exporters.readers.json import JsonReader
    from exporters.readers.page.extract import read_html_page

    try:
        with limit(url):
            page = fetch(url, accept=_PAGE_TYPES + ("application/", "text/"))
        if page.media_type in _PAGE_TYPES or not page.media_type and not FeedReader().sniff(page.data[:1024]):
            articles = [read_html_page(page.data, url, url=page.url, charset=page.charset)]
            html: bytes | None = page.data
        elif "json" in page.media_type:
            articles, html = JsonReader().read(page.data, url), None
        elif FeedReader().sniff(page.data[:1024]) or "xml" in page.media_type:
            articles, html = FeedReader().read(page.data, url), None
        else:
            raise ArticleError(f"{url}: unsupported content type {page.media_type!r}")
    except FetchError as exc:
        return Page(url, error=str(exc))
    except ArticleError as exc:
        return Page(url, error=str(exc))
    except (ValueError, TypeError, LookupError, RecursionError) as exc:
        return Page(url, error=f"{url}: cannot read ({type(exc).__name__}: {exc})")
    return _with_images(Page(url, tuple(_settled(a) for a in articles), html), images, limit)


def _read_file(name: str, images: bool, limit: Callable[[str], threading.Semaphore]) -> Page:
    try:
        articles = read_input(name)
        html = Path(name).read_bytes() if name.lower().endswith(_HTML_FILES) else None
    except ArticleError as exc:
        return Page(name, error=str(exc))
    except OSError as exc:
        return Page(name, error=f"{name}: cannot read ({exc.strerror or exc})")
    return _with_images(Page(name, tuple(_settled(a) for a in articles), html), images, limit)


def _settled(article: Article) -> Article:
    """The article with its body converted now (a lazy body would be converted again by every reader)."""
    return article if isinstance(article.body, tuple) else article.with_changes(body=tuple(article.body))


def _with_images(page: Page, images: bool, limit: Callable[[str], threading.Semaphore]) -> Page:
    if not images:
        return page
    assets: dict[str, Asset] = {}
    warnings: list[str] = []
    for article in page.articles:
        for image in article_images(article):
            if not image.src or image.src in assets:
                continue
            try:
                if image.src.startswith(("http://", "https://")):
                    with limit(image.src):
                        assets[image.src] = load_asset(image.src)
                else:
                    assets[image.src] = load_asset(image.src)
            except AssetError as exc:
                warnings.append(f"{page.name}: image not saved: {exc}")
    return Page(page.name, page.articles, page.html, assets, tuple(warnings))
