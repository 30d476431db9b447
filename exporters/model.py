"""The article model every reader produces and every exporter consumes.

Frozen dataclasses only: an article's body is a tuple of structured blocks whose text is a
tuple of inline spans, so each output format renders the same clean content instead of
re-interpreting raw HTML.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import MISSING, dataclass, field, fields, replace
from datetime import datetime

from exporters.text import cut_words

__all__ = [
    "Span",
    "Heading",
    "Paragraph",
    "Quote",
    "ListBlock",
    "Preformatted",
    "Image",
    "Table",
    "Block",
    "Article",
    "Asset",
    "Collection",
    "article_id",
    "plain_text",
    "body_text",
    "ArticleError",
]


class ArticleError(ValueError):
    """An input could not be turned into articles; the message names the input and the problem."""


@dataclass(frozen=True, slots=True)
class Span:
    """A run of inline text sharing one set of marks; ``href`` makes it a link."""

    text: str
    emphasis: bool = False
    strong: bool = False
    code: bool = False
    href: str | None = None


Inline = tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class Heading:
    """A section heading inside an article (level 2 to 6; level 1 is the article title)."""

    level: int
    text: Inline


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of inline text."""

    text: Inline


@dataclass(frozen=True, slots=True)
class Quote:
    """A block quote holding paragraphs (and possibly lists or headings)."""

    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class ListBlock:
    """An ordered or unordered list; each item is inline text (nested lists are flattened)."""

    ordered: bool
    items: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Preformatted:
    """Preformatted text or code, whitespace significant."""

    text: str
    language: str | None = None


@dataclass(frozen=True, slots=True)
class Image:
    """An image: ``src`` is an absolute http(s) URL, a ``data:`` URI or an absolute file path.

    An empty ``src`` stands for a photo whose file was not saved (text copied from a page):
    exporters show its caption and credit alone.
    """

    src: str
    alt: str = ""
    caption: str = ""
    credit: str = ""


@dataclass(frozen=True, slots=True)
class Table:
    """A simple table: header rows then body rows, each cell inline text."""

    header: tuple[tuple[Inline, ...], ...]
    rows: tuple[tuple[Inline, ...], ...]


Block = Heading | Paragraph | Quote | ListBlock | Preformatted | Image | Table


def _direct_init(cls: type) -> None:
    """Give a frozen, slotted dataclass an ``__init__`` that fills its slots directly.

    The generated frozen ``__init__`` goes through ``object.__setattr__`` field by field; setting
    the slot descriptors is twice as fast, and reading a long article builds hundreds of
    thousands of spans and blocks. Signature, defaults, equality, hashing and immutability are
    unchanged (tests/test_model.py checks them).
    """
    params, body, namespace = [], [], {}
    for f in fields(cls):
        namespace[f"_set_{f.name}"] = cls.__dict__[f.name].__set__
        if f.default is MISSING:
            params.append(f.name)
        else:
            namespace[f"_default_{f.name}"] = f.default
            params.append(f"{f.name}=_default_{f.name}")
        body.append(f"    _set_{f.name}(self, {f.name})\n")
    exec(f"def __init__(self, {', '.join(params)}):\n{''.join(body)}", namespace)  # noqa: S102 - fixed code from field names
    namespace["__init__"].__qualname__ = f"{cls.__qualname__}.__init__"
    cls.__init__ = namespace["__init__"]  # type: ignore[misc]


for _cls in (Span, Heading, Paragraph, Quote, ListBlock, Preformatted, Image, Table):
    _direct_init(_cls)

BLOCK_TYPES: Mapping[str, type] = {
    cls.__name__.lower(): cls for cls in (Heading, Paragraph, Quote, ListBlock, Preformatted, Image, Table)
}


#: An article's title is cut to this many characters: no headline is longer.
MAX_TITLE_CHARS = 1000


@dataclass(frozen=True, slots=True)
class Article:
    """One news article, whatever it was read from."""

    id: str
    title: str
    #: A tuple of blocks, or a body converted from HTML when first read (``htmlblocks.HtmlBody``).
    body: Sequence[Block] = ()
    url: str | None = None
    authors: tuple[str, ...] = ()
    published: datetime | None = None
    updated: datetime | None = None
    summary: str = ""
    language: str | None = None
    site_name: str | None = None
    tags: tuple[str, ...] = ()
    image: Image | None = None
    source: str = ""
    #: The character encoding the input was read in when it was not UTF-8 (``cp1252``, ``utf-16-le`` ...).
    encoding: str | None = None

    def __post_init__(self) -> None:
        if not self.title.strip():
            raise ArticleError(f"{self.source or 'article'}: article has no title")
        if len(self.title) > MAX_TITLE_CHARS:
            # A title of pages (a stranger's front matter, a page's whole text in <title>) would fill every
            # contents line, running head and feed reader: it is cut, as headlines are cut for space.
            object.__setattr__(self, "title", cut_words(self.title, MAX_TITLE_CHARS))
        for name in ("published", "updated"):
            value = getattr(self, name)
            if value is not None and value.tzinfo is None:
                raise ArticleError(f"{self.source or self.title}: {name} date has no timezone")

    def with_changes(self, **changes) -> Article:
        """Return a copy with some fields replaced."""
        return replace(self, **changes)


@dataclass(frozen=True, slots=True)
class Asset:
    """An image's bytes, fetched or read once before export; keyed in a collection by its ``src``."""

    src: str
    media_type: str
    data: bytes
    width: int = 0
    height: int = 0


@dataclass(frozen=True)
class Collection:
    """What an exporter is given: the articles in order, collection metadata and image assets."""

    articles: tuple[Article, ...]
    title: str = ""
    authors: tuple[str, ...] = ()
    language: str | None = None
    assets: Mapping[str, Asset] = field(default_factory=dict)
    #: Build time for dates that are not in the articles (honours SOURCE_DATE_EPOCH).
    generated: datetime | None = None
    #: Whether the articles are in an order the user asked for (``--sort``, ``--reverse``); when not,
    #: a format may use its own (feeds put the newest first, books keep the input order).
    ordered: bool = False

    @property
    def date_range(self) -> tuple[datetime, datetime] | None:
        """Earliest and latest publication date of the articles, or None when none has a date."""
        dates = sorted(a.published for a in self.articles if a.published)
        return (dates[0], dates[-1]) if dates else None


def plain_text(text: Iterable[Span]) -> str:
    """The characters of inline text without marks."""
    if text.__class__ is tuple and len(text) == 1:
        return text[0].text  # most inline text is one span
    return "".join([span.text for span in text])


def body_text(blocks: Iterable[Block]) -> str:
    """All text of a body, one block per line: for search, dedupe and word counts."""
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, (Heading, Paragraph)):
            lines.append(plain_text(block.text))
        elif isinstance(block, Quote):
            lines.append(body_text(block.blocks))
        elif isinstance(block, ListBlock):
            lines.extend(plain_text(item) for item in block.items)
        elif isinstance(block, Preformatted):
            lines.append(block.text)
        elif isinstance(block, Image):
            lines.extend(t for t in (block.caption, block.credit) if t)
        elif isinstance(block, Table):
            for row in (*block.header, *block.rows):
                lines.append(" ".join(plain_text(cell) for cell in row))
    return "\n".join(lines)


def article_id(url: str | None, title: str, body: Iterable[Block] = ()) -> str:
    """A stable id: ``urn:sha1`` of the canonical URL when there is one, else of title and text."""
    if url:
        key = "url:" + canonical_url(url)
    else:
        key = "text:" + title.strip() + "\n" + body_text(body)
    return "urn:newsexport:" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:20]


_TRACKING = re.compile(r"^(utm_[a-z]+|fbclid|gclid|mc_cid|mc_eid|ref|cmpid)$", re.I)


#: A URL that is already canonical (lower-case scheme and host, no port, user, query or fragment), bar a missing "/".
_PLAIN_URL = re.compile(r"https?://[a-z0-9.-]+(/[^?#\s]*)?\Z")


def canonical_url(url: str) -> str:
    """URL without fragment, tracking parameters or a default port, with a lower-case host."""
    url = url.strip()
    if _PLAIN_URL.match(url):
        return url if url.find("/", 8) != -1 else url + "/"  # most URLs: no parsing needed
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:  # readers drop such URLs (safe_url); an article built another way is compared as written
        return url
    host = (parts.hostname or "").lower()
    if port and (parts.scheme, port) not in {("http", 80), ("https", 443)}:
        host = f"{host}:{port}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)])
    return urlunsplit((parts.scheme.lower(), host, parts.path or "/", query, ""))
