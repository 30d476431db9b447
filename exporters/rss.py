"""RSS 2.0 exporter, built with lxml directly.

feedgen was the planned library, but merging must keep a previous feed's entries byte for
byte, which needs the parsed elements themselves; feedgen can only rebuild entries from
values. lxml also avoids feedgen's traps (link order, enclosure length "None", missing
permalink flag) and is what the benchmark floor uses.
"""

from __future__ import annotations

from html import escape
from typing import Any

from lxml import etree

from .exporter import ExportError
from .feedentries import (
    XML_PARSER, Channel, FeedEntry, FeedExporter, FeedFormat, PageLinks, Record, child, finish_document,
    indent_entry, parse_feed_date, rfc822,
)

__all__ = ["RssExporter", "RssFormat"]

ATOM = "http://www.w3.org/2005/Atom"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
DC = "http://purl.org/dc/elements/1.1/"
MEDIA = "http://search.yahoo.com/mrss/"
HISTORY = "http://purl.org/syndication/history/1.0"
NSMAP = {"atom": ATOM, "content": CONTENT, "dc": DC, "media": MEDIA}
_ENTRY_INDENT = "\n      "
_CHANNEL_INDENT = "\n    "


class RssFormat(FeedFormat):
    """RSS 2.0 with content:encoded for full text, dc:creator for authors and media:content for images."""

    name = "rss"

    def check(self, channel: Channel, entries: list[FeedEntry]) -> None:
        """RSS requires a channel link (description defaults to the title, so it is never missing)."""
        if not (channel.site_url or channel.feed_url):
            raise ExportError("rss: the channel needs a link: pass --site-url (or --feed-url)")

    def entry(self, entry: FeedEntry) -> etree._Element:
        """An ``<item>`` element, indented as it will sit in the channel."""
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
                child(item, "enclosure", url=entry.image.url, length=str(entry.image.length),
                      type=entry.image.media_type or "image/jpeg")
            attrs = {"url": entry.image.url, "medium": "image"}
            if entry.image.media_type:
                attrs["type"] = entry.image.media_type
            child(item, f"{{{MEDIA}}}content", **attrs)
        return indent_entry(item, _ENTRY_INDENT, _CHANNEL_INDENT)

    def document(self, channel: Channel, nodes: list[Any], links: PageLinks, stylesheet: str | None) -> bytes:
        """The ``<rss>`` document: channel metadata, then the items in order."""
        nsmap = dict(NSMAP, fh=HISTORY) if links.current or links.prev_archive else NSMAP
        root = etree.Element("rss", nsmap=nsmap, version="2.0")
        ch = etree.SubElement(root, "channel")
        child(ch, "title", channel.title)
        child(ch, "link", channel.site_url or channel.feed_url)
        child(ch, "description", channel.description)
        if links.self_url:
            child(ch, f"{{{ATOM}}}link", href=links.self_url, rel="self", type="application/rss+xml")
        for rel, href in (("current", links.current), ("prev-archive", links.prev_archive), ("next-archive", links.next_archive)):
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
        ch.extend(nodes)
        return finish_document(root, ch, stylesheet, "  ", "    ")

    def read(self, data: bytes, source: str) -> tuple[list[Record], str | None]:
        """Items of a previous RSS document, kept as parsed elements, and its prev-archive link."""
        try:
            root = etree.fromstring(data, XML_PARSER)
        except etree.XMLSyntaxError as exc:
            raise ValueError(f"not well-formed XML ({exc})") from None
        channel = root.find("channel") if root.tag == "rss" else None
        if channel is None:
            raise ValueError("not an RSS 2.0 feed (merge into a feed of the same format)")
        records = []
        for item in channel.iterfind("item"):
            link = (item.findtext("link") or "").strip() or None
            guid = (item.findtext("guid") or "").strip() or link or (item.findtext("title") or "").strip()
            records.append(Record(guid, link, parse_feed_date(item.findtext("pubDate")), item))
        prev = channel.find(f"{{{ATOM}}}link[@rel='prev-archive']")
        return records, prev.get("href") if prev is not None else None


class RssExporter(FeedExporter):
    """RSS 2.0 feed of the articles (full text in content:encoded)."""

    name = "rss"
    extensions = (".rss", ".rss.xml")
    media_type = "application/rss+xml"
    description = "RSS 2.0 feed"
    format = RssFormat()
