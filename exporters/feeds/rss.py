"""RSS 2.0 exporter, built with lxml directly.

feedgen was the planned library, but merging must keep a previous feed's entries byte for
byte, which needs the parsed entries re-serialised as they are; feedgen can only rebuild
entries from values. lxml also avoids feedgen's traps (link order, enclosure length "None", missing
permalink flag) and is what the benchmark floor uses.
"""

from __future__ import annotations

from html import escape

from lxml import etree

from exporters.exporter import ExportError
from exporters.feeds.entries import (
    XML_PARSER,
    Channel,
    EntrySerializer,
    FeedEntry,
    FeedExporter,
    FeedFormat,
    PageLinks,
    Record,
    child,
    indent_entry,
    rfc822,
    xml_document,
)

__all__ = ["RssExporter", "RssFormat"]

ATOM = "http://www.w3.org/2005/Atom"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
DC = "http://purl.org/dc/elements/1.1/"
MEDIA = "http://search.yahoo.com/mrss/"
HISTORY = "http://purl.org/syndication/history/1.0"
NSMAP = {"atom": ATOM, "content": CONTENT, "dc": DC, "media": MEDIA}
#: Every namespace a document root may declare (archive pages add the history one).
DOCUMENT_NSMAP = dict(NSMAP, fh=HISTORY)
_MERGE_FIELDS = frozenset({"guid", "link", "title", "pubDate"})
_ENTRY_INDENT = "\n      "
_CHANNEL_INDENT = "\n    "


class RssFormat(FeedFormat):
    """RSS 2.0 with content:encoded for full text, dc:creator for authors and media:content for images."""

    name = "rss"
    entry_start = b"<item"
    document_end = b"</channel></rss>"

    def __init__(self) -> None:
        self._serialize = EntrySerializer(DOCUMENT_NSMAP)

    def check_channel(self, channel: Channel) -> None:
        """RSS requires a channel link (description defaults to the title, so it is never missing)."""
        if not (channel.site_url or channel.feed_url):
            raise ExportError("rss: the channel needs a link: pass --site-url (or --feed-url)")

    def entry(self, entry: FeedEntry) -> bytes:
        """An ``<item>``, indented as it sits in the channel."""
        item = etree.Element("item", nsmap=NSMAP)
        child(item, "title", entry.title)
        if entry.link:
            child(item, "link", entry.link)
        child(item, "guid", entry.id, isPermaLink="true" if entry.id == entry.link else "false")
        if entry.date:
            child(item, "pubDate", rfc822(entry.date))
        for author in entry.authors:
            child(item, f"{{{DC}}}creator", author)
        for tag in entry.tags:
            child(item, "category", tag)
        if entry.summary:
            # description is HTML in RSS: the plain-text summary is escaped so readers show it as written.
            child(item, "description", escape(entry.summary, quote=False))
        if entry.content_html:
            child(item, f"{{{CONTENT}}}encoded", entry.content_html)
        if entry.image:
            if entry.image.length is not None:
                child(
                    item,
                    "enclosure",
                    url=entry.image.url,
                    length=str(entry.image.length),
                    type=entry.image.media_type or "image/jpeg",
                )
            attrs = {"url": entry.image.url, "medium": "image"}
            if entry.image.media_type:
                attrs["type"] = entry.image.media_type
            child(item, f"{{{MEDIA}}}content", **attrs)
        return self._serialize(indent_entry(item, _ENTRY_INDENT, _CHANNEL_INDENT))

    def document(self, channel: Channel, entries: list[bytes], links: PageLinks, stylesheet: str | None) -> list[bytes]:
        """The ``<rss>`` document: channel metadata, then the items in order."""
        nsmap = DOCUMENT_NSMAP if links.current or links.prev_archive else NSMAP
        root = etree.Element("rss", nsmap=nsmap, version="2.0")
        ch = etree.SubElement(root, "channel")
        child(ch, "title", channel.title)
        child(ch, "link", channel.site_url or channel.feed_url)
        child(ch, "description", channel.description)
        if links.self_url:
            child(ch, f"{{{ATOM}}}link", href=links.self_url, rel="self", type="application/rss+xml")
        for rel, href in (
            ("current", links.current),
            ("prev-archive", links.prev_archive),
            ("next-archive", links.next_archive),
        ):
            if href:
                child(ch, f"{{{ATOM}}}link", href=href, rel=rel, type="application/rss+xml")
        if channel.language:
            child(ch, "language", channel.language)
        for author in channel.authors:
            child(ch, f"{{{DC}}}creator", author)
        child(ch, "lastBuildDate", rfc822(channel.updated))
        child(ch, "generator", "newsexport")
        child(ch, "docs", "https://www.rssboard.org/rss-specification")
        if links.is_archive:
            child(ch, f"{{{HISTORY}}}archive")
        indent_entry(ch, _CHANNEL_INDENT, "\n  ")
        root.text, ch.tail = "\n  ", "\n"
        return xml_document(root, b"\n  </channel>", _CHANNEL_INDENT.encode(), entries, stylesheet)

    def read(self, data: bytes, source: str) -> tuple[list[Record], str | None]:
        """Items of a previous RSS document, re-serialised unchanged, and its prev-archive link."""
        try:
            root = etree.fromstring(data, XML_PARSER)
        except etree.XMLSyntaxError as exc:
            raise ValueError(f"not well-formed XML ({exc})") from None
        channel = root.find("channel") if root.tag == "rss" else None
        if channel is None:
            raise ValueError("not an RSS 2.0 feed (merge into a feed of the same format)")
        items = channel.findall("item")
        records = []
        for item in items:
            # Only the small fields: reading an entry's content text would copy it for nothing.
            fields = {c.tag: c.text for c in item if c.tag in _MERGE_FIELDS}
            link = (fields.get("link") or "").strip() or None
            guid = (fields.get("guid") or "").strip() or link or (fields.get("title") or "").strip()
            records.append(Record(guid, link, fields.get("pubDate"), self._serialize(item)))
        prev = channel.find(f"{{{ATOM}}}link[@rel='prev-archive']")
        return records, prev.get("href") if prev is not None else None


class RssExporter(FeedExporter):
    """RSS 2.0 feed of the articles (full text in content:encoded)."""

    name = "rss"
    extensions = (".rss", ".rss.xml")
    media_type = "application/rss+xml"
    description = "RSS 2.0 feed"
    format = RssFormat()
