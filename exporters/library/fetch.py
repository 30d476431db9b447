"""Reading what ``add`` and ``library fetch`` are given: URLs fetched concurrently (at most two at once per
host), local files in order (shared with a forked worker when more than one job is asked for).

Each input becomes a :class:`Page`: its articles, the original HTML when it was a page, and its
images loaded once, so the library can store them as blobs and later books need no network.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from exporters.model import Article, ArticleError, Asset
from exporters.parallel import map_chunks
from exporters.pipeline.assets import AssetError, article_images, load_asset
from exporters.pipeline.fetch import FetchError
from exporters.pipeline.fetcher import PER_HOST, Fetcher
from exporters.pipeline.localfile import MAX_INPUT_BYTES, read_regular_file
from exporters.readers import read_input
from exporters.readers.url import accepted_types, content_kind, is_url, read_as

__all__ = ["Page", "read_pages", "PER_HOST"]

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


def read_pages(
    names: Sequence[str], *, jobs: int = 4, images: bool = True, per_host: int = PER_HOST, typed: bool = True
) -> Iterator[Page]:
    """A :class:`Page` for every input name (URL or file): local files first, then URLs, each in order.

    URLs run in ``jobs`` threads with at most ``per_host`` requests at once to any host; ``typed``
    says the user named them (they may be on the local network). A failing input is a page with
    ``error`` set, never an exception.
    """
    fetcher = Fetcher(jobs=jobs, per_host=per_host)
    files = [n for n in names if not is_url(n)]
    # The forked worker reads files only: it never touches the caller's SQLite connection, and leaves
    # with os._exit, so no SQLite state is ever used or finalised in it.
    urls = [n for n in names if is_url(n)]
    for run in map_chunks(lambda chunk: [_read_file(n, images, fetcher) for n in chunk], files, 1, jobs=jobs):
        yield from run
    yield from fetcher.map(lambda url: _read_url(url, images, fetcher, typed), urls)


def _read_url(url: str, images: bool, fetcher: Fetcher, typed: bool) -> Page:
    try:
        page = fetcher.get(url, typed=typed, accept=accepted_types())
        kind = content_kind(page, url)
        articles = read_as(kind, page, url)
        # A page's HTML is kept (the library stores the original); a feed's entries are articles.
        html = page.data if kind == "page" else None
    except FetchError as exc:
        return Page(url, error=str(exc))
    except ArticleError as exc:
        return Page(url, error=str(exc))
    except (ValueError, TypeError, LookupError, RecursionError) as exc:
        return Page(url, error=f"{url}: cannot read ({type(exc).__name__}: {exc})")
    return _with_images(Page(url, tuple(_settled(a) for a in articles), html), images, fetcher)


def _read_file(name: str, images: bool, fetcher: Fetcher) -> Page:
    try:
        articles = read_input(name)
        html = read_regular_file(name, MAX_INPUT_BYTES) if name.lower().endswith(_HTML_FILES) else None
    except ArticleError as exc:
        return Page(name, error=str(exc))
    except OSError as exc:
        return Page(name, error=f"{name}: cannot read ({exc.strerror or exc})")
    return _with_images(Page(name, tuple(_settled(a) for a in articles), html), images, fetcher)


def _settled(article: Article) -> Article:
    """The article with its body converted now (a lazy body would be converted again by every reader)."""
    return article if isinstance(article.body, tuple) else article.with_changes(body=tuple(article.body))


def _with_images(page: Page, images: bool, fetcher: Fetcher) -> Page:
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
                    with fetcher.slot(image.src):
                        assets[image.src] = load_asset(image.src)
                else:
                    assets[image.src] = load_asset(image.src)
            except AssetError as exc:
                warnings.append(f"{page.name}: image not saved: {exc}")
    return Page(page.name, page.articles, page.html, assets, tuple(warnings))
