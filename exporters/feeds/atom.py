"""Atom 1.0 (RFC 4287) exporter, built with lxml directly.

feedgen's Atom entry links lose attributes and duplicate alternates (upstream #135/#143), and
merging needs a previous feed's entries as parsed elements; lxml serves both.
"""

from __future__ import annotations

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
    feed_id,
    indent_entry,
    rfc3339,
    xml_document,
)

__all__ = ["AtomExporter", "AtomFormat"]

ATOM = "http://www.w3.org/2005/Atom"
HISTORY = "http://purl.org/syndication/history/1.0"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NSMAP = {None: ATOM}
_A = f"{{{ATOM}}}"
#: Every namespace a document root may declare (archive pages add the history one).
DOCUMENT_NSMAP = dict(NSMAP, fh=HISTORY)
_ENTRY_INDENT = "\n    "
_FEED_INDENT = "\n  "


class AtomFormat(FeedFormat):
    """Atom with html content, text summaries, enclosure links for images."""

    name = "atom"
    entry_start = b"<entry"
    document_end = b"</feed>"

    def __init__(self) -> None:
        self._serialize = EntrySerializer(DOCUMENT_NSMAP)

    def check_channel(self, channel: Channel) -> None:
        """Atom requires a feed id."""
        if not channel.id:
            raise ExportError("atom: the feed needs an id: pass --feed-url (or --site-url)")

    def check_entry(self, channel: Channel, entry: FeedEntry) -> None:
        """Atom requires an author on the feed or on every entry."""
        if not channel.authors and not entry.authors:
            raise ExportError(f"atom: {entry.title!r} has no author and the feed has none: pass --author")

    def entry(self, entry: FeedEntry) -> bytes:
        """An ``<entry>``, indented as it sits in the feed."""
        el = etree.Element(_A + "entry", nsmap=NSMAP)
        child(el, _A + "id", feed_id(entry.id))
        child(el, _A + "title", entry.title, type="text")
        child(el, _A + "updated", rfc3339(entry.stamp))
        if entry.published:
            child(el, _A + "published", rfc3339(entry.published))
        for author in entry.authors:
            child(child(el, _A + "author"), _A + "name", author)
        if entry.link:
            child(el, _A + "link", rel="alternate", type="text/html", href=entry.link)
        if entry.image:
            attrs = {"rel": "enclosure", "href": entry.image.url}
            if entry.image.media_type:
                attrs["type"] = entry.image.media_type
            if entry.image.length is not None:
                attrs["length"] = str(entry.image.length)
            child(el, _A + "link", **attrs)
        for tag in entry.tags:
            child(el, _A + "category", term=tag)
        if entry.content_html:
            if entry.summary:
                child(el, _A + "summary", entry.summary, type="text")
            child(el, _A + "content", entry.content_html, type="html")
        elif not entry.link:
            # RFC 4287: an entry without an alternate link must have content.
            child(el, _A + "content", entry.summary, type="text")
        elif entry.summary:
            child(el, _A + "summary", entry.summary, type="text")
        return self._serialize(indent_entry(el, _ENTRY_INDENT, _FEED_INDENT))

    def document(self, channel: Channel, entries: list[bytes], links: PageLinks, stylesheet: str | None) -> list[bytes]:
        """The ``<feed>`` document: feed metadata, then the entries in order."""
        nsmap = DOCUMENT_NSMAP if links.current or links.prev_archive else NSMAP
        root = etree.Element(_A + "feed", nsmap=nsmap)
        if channel.language:
            root.set(XML_LANG, channel.language)
        child(root, _A + "id", channel.id)
        child(root, _A + "title", channel.title, type="text")
        if channel.description != channel.title:
            child(root, _A + "subtitle", channel.description, type="text")
        child(root, _A + "updated", rfc3339(channel.updated))
        for author in channel.authors:
            child(child(root, _A + "author"), _A + "name", author)
        if channel.site_url:
            child(root, _A + "link", rel="alternate", type="text/html", href=channel.site_url)
        if links.self_url:
            child(root, _A + "link", rel="self", type="application/atom+xml", href=links.self_url)
        for rel, href in (
            ("current", links.current),
            ("prev-archive", links.prev_archive),
            ("next-archive", links.next_archive),
        ):
            if href:
                child(root, _A + "link", rel=rel, type="application/atom+xml", href=href)
        child(root, _A + "generator", "newsexport", uri="https://pypi.org/project/newsexport/")
        if links.is_archive:
            child(root, f"{{{HISTORY}}}archive")
        indent_entry(root, _FEED_INDENT, "\n")
        return xml_document(root, b"\n</feed>", _FEED_INDENT.encode(), entries, stylesheet)

    def read(self, data: bytes, source: str) -> tuple[list[Record], str | None]:
        """Entries of a previous Atom document, re-serialised unchanged, and its prev-archive link."""
        try:
            root = etree.fromstring(data, XML_PARSER)
        except etree.XMLSyntaxError as exc:
            raise ValueError(f"not well-formed XML ({exc})") from None
        if root.tag != _A + "feed":
            raise ValueError("not an Atom feed (merge into a feed of the same format)")
        entries = root.findall(_A + "entry")
        records = []
        for entry in entries:
            link_el = entry.find(f"{_A}link[@rel='alternate']")
            if link_el is None:
                link_el = entry.find(_A + "link")
            link = link_el.get("href") if link_el is not None else None
            date = entry.findtext(_A + "published") or entry.findtext(_A + "updated")
            records.append(Record((entry.findtext(_A + "id") or "").strip(), link, date, self._serialize(entry)))
        prev = root.find(f"{_A}link[@rel='prev-archive']")
        return records, prev.get("href") if prev is not None else None


class AtomExporter(FeedExporter):
    """Atom 1.0 feed of the articles (full text as html content)."""

    name = "atom"
    extensions = (".atom", ".atom.xml")
    media_type = "application/atom+xml"
    description = "Atom 1.0 feed"
    format = AtomFormat()
