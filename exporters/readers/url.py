"""``http(s)://`` inputs: fetched with limits, then read as a feed, JSON Feed or HTML page by content.

One rule says what a fetched document is, for every caller that reads the network (URL inputs,
``library add``, a recipe's feeds and pages): a JSON media type is a JSON Feed; a feed media
type, or bytes that open like a feed whatever the server says, is RSS/Atom; an HTML media type
(or none) is a page. A caller that wants only some kinds names them, and anything else is an
error naming the URL.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Literal

from exporters.model import Article, ArticleError
from exporters.pipeline.assets import confine_local_images
from exporters.pipeline.fetch import Fetched, FetchError, fetch

__all__ = ["ALL_KINDS", "Kind", "accepted_types", "content_kind", "is_url", "read_as", "read_fetched", "read_url"]

Kind = Literal["json", "feed", "page"]
ALL_KINDS: tuple[Kind, ...] = ("json", "feed", "page")
_TYPES: dict[Kind, tuple[str, ...]] = {
    "json": ("application/feed+json", "application/json"),
    # The x- and text/ forms are older names servers still send (Apache's and nginx's defaults among them).
    "feed": (
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/x-rss+xml",
        "application/x-atom+xml",
        "text/rss+xml",
        "text/atom+xml",
        "application/xml",
        "text/xml",
    ),
    "page": ("text/html", "application/xhtml+xml"),
}
_NAMES: dict[Kind, str] = {"json": "a JSON Feed", "feed": "a feed", "page": "a web page"}


def is_url(name: str) -> bool:
    """Whether an input name is an http(s) URL rather than a path."""
    return name.lower().startswith(("http://", "https://"))


def accepted_types(kinds: Collection[Kind] = ALL_KINDS) -> tuple[str, ...]:
    """Media types (prefixes) worth downloading for ``kinds``; ``text/`` too, as servers mislabel feeds."""
    return tuple(t for kind in ALL_KINDS if kind in kinds for t in _TYPES[kind]) + ("text/",)


def content_kind(page: Fetched, url: str, kinds: Collection[Kind] = ALL_KINDS) -> Kind:
    """What ``page`` is, among ``kinds``, by its media type and its first bytes."""
    from exporters.readers.feed import FeedReader

    media = page.media_type
    if "json" in kinds and media in _TYPES["json"]:
        return "json"
    if "feed" in kinds and (media in _TYPES["feed"] or FeedReader().sniff(page.data[:1024])):
        return "feed"
    if "page" in kinds and (media in _TYPES["page"] or not media):
        return "page"
    names = [_NAMES[kind] for kind in ALL_KINDS if kind in kinds]
    wanted = " or ".join(filter(None, (", ".join(names[:-1]), names[-1])))
    raise ArticleError(f"{url}: not {wanted} (content type {media or 'unknown'!r})")


def read_as(kind: Kind, page: Fetched, url: str) -> list[Article]:
    """``page`` read as ``kind``; a page from the network never names a local file that gets read."""
    from exporters.readers.feed import FeedReader
    from exporters.readers.json import JsonReader
    from exporters.readers.page.extract import read_html_page

    if kind == "json":
        articles = JsonReader().read(page.data, url)
    elif kind == "feed":
        articles = FeedReader().read(page.data, url)
    else:
        articles = [read_html_page(page.data, url, url=page.url, charset=page.charset)]
    # <base href="file:...">, og:image or a feed's enclosure may name local files: none is read.
    return confine_local_images(articles, url, local=False)


def read_fetched(page: Fetched, url: str, kinds: Collection[Kind] = ALL_KINDS) -> list[Article]:
    """The articles of a fetched document, read as what it turns out to be among ``kinds``."""
    return read_as(content_kind(page, url, kinds), page, url)


def read_url(url: str, *, typed: bool = False) -> list[Article]:
    """Fetch ``url`` and read it as what it turns out to be; errors name the URL.

    ``typed`` marks a URL the user named (an input, a recipe's source): its host may be on a
    private network. A URL that came from content (a feed's link) must be public.
    """
    try:
        page = fetch(url, accept=accepted_types(), typed=typed)
    except FetchError as exc:
        raise ArticleError(str(exc)) from None
    return read_fetched(page, url)
