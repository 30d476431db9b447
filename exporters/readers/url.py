"""``http(s)://`` inputs: fetched with limits, then read as a feed, JSON Feed or HTML page by content."""

from __future__ import annotations

from exporters.model import Article, ArticleError
from exporters.pipeline.assets import confine_local_images
from exporters.pipeline.fetch import FetchError, fetch

__all__ = ["read_url", "is_url"]

_PAGE_TYPES = ("text/html", "application/xhtml+xml")
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml")
_JSON_TYPES = ("application/feed+json", "application/json")


def is_url(name: str) -> bool:
    """Whether an input name is an http(s) URL rather than a path."""
    return name.lower().startswith(("http://", "https://"))


def read_url(url: str, *, typed: bool = False) -> list[Article]:
    """Fetch ``url`` and read it as what it turns out to be; errors name the URL.

    ``typed`` marks a URL the user named (an input, a recipe's source): its host may be on a
    private network. A URL that came from content (a feed's link) must be public.
    """
    try:
        page = fetch(url, accept=_PAGE_TYPES + _FEED_TYPES + _JSON_TYPES + ("text/plain",), typed=typed)
    except FetchError as exc:
        raise ArticleError(str(exc)) from None
    from exporters.readers.feed import FeedReader
    from exporters.readers.json import JsonReader
    from exporters.readers.page.extract import read_html_page

    head = page.data[:1024]
    if page.media_type in _JSON_TYPES:
        articles = JsonReader().read(page.data, url)
    elif page.media_type in _FEED_TYPES or FeedReader().sniff(head):
        articles = FeedReader().read(page.data, url)
    elif page.media_type in _PAGE_TYPES or not page.media_type:
        articles = [read_html_page(page.data, url, url=page.url, charset=page.charset)]
    else:
        raise ArticleError(f"{url}: unsupported content type {page.media_type!r}")
    # A page from the network may name local files (<base href="file:...">, og:image): none is read.
    return confine_local_images(articles, url, local=False)
