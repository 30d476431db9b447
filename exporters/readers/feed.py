"""RSS 0.9x/1.0/2.0 and Atom input through feedparser: one article per entry, full content when present."""

from __future__ import annotations

import calendar
import io
import re
import time
from datetime import UTC, datetime
from typing import Any
from xml.sax import SAXParseException

import feedparser

from exporters.html.blocks import blocks_from_html
from exporters.html.sanitize import safe_url
from exporters.model import Article, ArticleError, Block, Image, Paragraph, Span, article_id, body_text
from exporters.readers.base import DamagedInput, Reader
from exporters.text import clean_text, cut_words

__all__ = ["FeedReader"]

# The root element after an optional BOM, XML declaration, comments, processing instructions and doctype.
_FEED_ROOT = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*\?>\s*)?(?:(?:<!--.*?-->|<\?.*?\?>|<!DOCTYPE[^>]*>)\s*)*<(?:rss|feed|rdf:RDF)\b",
    re.S | re.I,
)
_HTML_TYPES = ("text/html", "application/xhtml+xml", "html", "xhtml")
_TITLE_CHARS = 80


class FeedReader(Reader):
    """RSS and Atom feeds (``.rss``, ``.atom``, ``.rdf``; ``.xml`` files are recognised by content)."""

    name = "feed"
    # .xml is not claimed: sitemaps and other XML share it; feeds among them are found by sniffing.
    file_extensions = (".rss", ".atom", ".rdf")

    def sniff(self, head: bytes) -> bool:
        """Whether the document's root element is ``rss``, ``feed`` or ``rdf:RDF``."""
        return bool(_FEED_ROOT.match(head))

    def read(self, data: bytes, source: str) -> list[Article]:
        """One article per feed entry; a document without feed structure is refused in one line."""
        if not data.strip():
            raise ArticleError(f"{source}: file is empty")
        # A stream, never bytes or str: feedparser treats those as a path or URL to open. Its own
        # sanitiser is off because every HTML field goes through blocks_from_html's allow-list.
        parsed = feedparser.parse(io.BytesIO(data), sanitize_html=False, resolve_relative_uris=True)
        problem = _one_line(parsed.get("bozo_exception"))
        if not parsed.get("version"):
            raise ArticleError(
                f"{source}: not a valid RSS or Atom feed ({problem or 'no rss, feed or rdf:RDF root element'})"
            )
        feed = parsed.get("feed", {})
        atom = parsed["version"].startswith("atom")
        articles = [a for a in (_article(e, feed, source, atom) for e in parsed.get("entries", [])) if a is not None]
        if not articles:
            if parsed.get("bozo"):
                raise ArticleError(f"{source}: not a valid RSS or Atom feed ({problem or 'broken XML'})")
            raise ArticleError(f"{source}: feed has no entries")
        if parsed.get("bozo"):
            # feedparser read on past the error with its lenient parser: keep what it found, and say so.
            raise DamagedInput(_damage(source, parsed.get("bozo_exception")), articles)
        return articles


def _damage(source: str, exc: Any) -> str:
    """What was wrong with a feed read leniently, naming the line when the XML parser gave one."""
    if isinstance(exc, SAXParseException):
        reason = _one_line(exc.getMessage())
        line = exc.getLineNumber()
        where = f"line {line}: " if line and line > 0 else ""
        return f"{source}: {where}broken XML ({reason}); its entries may be incomplete"
    return f"{source}: {_one_line(exc) or 'broken feed'}"


def _one_line(exc: Any) -> str:
    return " ".join(str(exc or "").split())


def _text(value: str | None) -> str:
    return " ".join(clean_text(value or "").split())


def _html_text(detail: Any, fallback: str | None) -> str:
    """Plain text of a feedparser text construct (titles and summaries may carry HTML)."""
    value = (detail or {}).get("value", fallback) if detail else fallback
    if not value:
        return ""
    if (detail or {}).get("type", "text/plain") in _HTML_TYPES:
        return _text(body_text(blocks_from_html(value)))
    return _text(value)


def _body(entry: Any, link: str | None) -> tuple[tuple[Block, ...], bool]:
    """The entry's body from its full content, else its summary; and whether full content was used."""
    # Out-of-line content (atom:content src=...) has no value: the summary is all there is.
    contents = [c for c in entry.get("content") or [] if (c.get("value") or "").strip()]
    chosen = next((c for c in contents if c.get("type") in _HTML_TYPES), contents[0] if contents else None)
    full = chosen is not None
    if chosen is None:
        chosen = entry.get("summary_detail") or (
            {"value": entry.get("summary"), "type": "text/html"} if entry.get("summary") else None
        )
    if chosen is None or not chosen.get("value"):
        return (), False
    if chosen.get("type", "text/html") in _HTML_TYPES:
        return blocks_from_html(chosen["value"], link), full
    paragraphs = [_text(p) for p in re.split(r"\n\s*\n", chosen["value"])]
    return tuple(Paragraph((Span(p),)) for p in paragraphs if p), full


def _date(value: time.struct_time | None) -> datetime | None:
    """feedparser's parsed dates are UTC struct_times."""
    if not value:
        return None
    return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)


def _image(entry: Any, link: str | None) -> Image | None:
    """The lead image: an image enclosure, else Media RSS content or thumbnail."""
    candidates: list[str | None] = []
    for enclosure in entry.get("enclosures") or []:
        if str(enclosure.get("type", "")).startswith("image/"):
            candidates.append(enclosure.get("href") or enclosure.get("url"))
    for media in entry.get("media_content") or []:
        if media.get("medium") == "image" or str(media.get("type", "")).startswith("image/"):
            candidates.append(media.get("url"))
    candidates.extend(t.get("url") for t in entry.get("media_thumbnail") or [])
    for candidate in candidates:
        src = safe_url(candidate, link, image=True)
        if src and src.startswith(("http://", "https://")):
            return Image(src=src)
    return None


def _link(entry: Any, feed: Any, atom: bool) -> str | None:
    """The entry's web page: its alternate link; in RSS a permalink guid also counts, never an Atom id."""
    alternates = [x.get("href") for x in entry.get("links") or [] if x.get("rel", "alternate") == "alternate"]
    raw = alternates[0] if alternates else entry.get("link") if entry.get("guidislink") and not atom else None
    link = safe_url(raw, feed.get("link"))
    return link if link and link.startswith(("http://", "https://")) else None


def _article(entry: Any, feed: Any, source: str, atom: bool) -> Article | None:
    """An article from one entry, or None when the entry has nothing to show (no title, text or link)."""
    link = _link(entry, feed, atom)
    body, full = _body(entry, link)
    summary = _html_text(entry.get("summary_detail"), entry.get("summary")) if full else ""
    title = _html_text(entry.get("title_detail"), entry.get("title"))
    if not title:
        text = summary or _text(body_text(body)) or (link or "")
        title = cut_words(text, _TITLE_CHARS)
    if not title:
        return None
    authors = [_text(a.get("name")) for a in entry.get("authors") or [] if a.get("name")]
    if not authors and entry.get("author"):
        authors = [_text(entry.get("author"))]
    if not authors:
        # Atom entries inherit the feed's authors.
        authors = [_text(a.get("name")) for a in feed.get("authors") or [] if a.get("name")]
    # Plain dict lookups: feedparser's own get() falls back from updated to published with a warning.
    published = _date(dict.get(entry, "published_parsed"))
    updated = _date(dict.get(entry, "updated_parsed"))
    tags = [_text(t.get("term") or t.get("label")) for t in entry.get("tags") or []]
    language = (entry.get("title_detail") or {}).get("language") or feed.get("language")
    return Article(
        id=_text(entry.get("id")) or article_id(link, title, body),
        title=title,
        body=body,
        url=link,
        authors=tuple(dict.fromkeys(a for a in authors if a)),
        # An entry with one date (Atom updated only, RSS 1.0 dc:date) was published then.
        published=published or updated,
        updated=updated if published and updated != published else None,
        summary=summary,
        language=_text(language) or None,
        site_name=_text(feed.get("title")) or None,
        tags=tuple(dict.fromkeys(t for t in tags if t)),
        image=_image(entry, link),
        source=source,
    )
