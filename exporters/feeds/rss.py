"""RSS 2.0 exporter: channel and items built with feedgen, corrected where feedgen 1.0.0 falls short.

feedgen builds each item (:meth:`feedgen.entry.FeedEntry.rss_entry`) and the channel
(:meth:`feedgen.feed.FeedGenerator.rss_str`); the corrections it needs are made on the elements
it returns, each named below. Merging keeps a previous feed's items byte for byte: they are
parsed and re-serialised exactly as new items are (see :class:`~exporters.feeds.xml.EntrySerializer`).
"""

from __future__ import annotations

from html import escape

from lxml import etree

from exporters.exporter import ExportError
from exporters.feeds.entries import FeedEntry
from exporters.feeds.exporter import Channel, FeedExporter, FeedFormat, PageLinks, splice
from exporters.feeds.merge import Record
from exporters.feeds.xml import XML_PARSER, EntrySerializer, indent_entry, xml_document
from exporters.text import clean_text

__all__ = ["RssExporter", "RssFormat"]

ATOM = "http://www.w3.org/2005/Atom"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
DC = "http://purl.org/dc/elements/1.1/"
MEDIA = "http://search.yahoo.com/mrss/"
HISTORY = "http://purl.org/syndication/history/1.0"
#: The namespaces every document root declares (feedgen's, with the dc and media extensions loaded).
NSMAP: dict[str | None, str] = {"atom": ATOM, "content": CONTENT, "dc": DC, "media": MEDIA}
#: What an item read back from a feed of an earlier version may find declared on its root.
DOCUMENT_NSMAP: dict[str | None, str] = {**NSMAP, "fh": HISTORY}
_MERGE_FIELDS = frozenset({"guid", "link", "title", "pubDate"})
_ENTRY_INDENT = "\n      "
_CHANNEL_INDENT = "\n    "


def _feedgen_item(entry: FeedEntry, content_html: str | None) -> etree._Element:
    """The ``<item>`` feedgen builds for ``entry``, with the corrections it needs (each named below)."""
    # feedgen (and the dateutil it imports) is loaded by the first feed built, not at start-up.
    from feedgen.entry import FeedEntry as FeedgenEntry
    from feedgen.ext.dc import DcEntryExtension
    from feedgen.ext.media import MediaEntryExtension

    item = FeedgenEntry()
    item.title(entry.title)
    if entry.link:
        item.link(href=entry.link)
    # The permalink flag set explicitly: true only when the guid is the article's URL.
    item.guid(entry.id, permalink=entry.id == entry.link)
    if entry.date:
        item.pubDate(entry.date)
    if entry.tags:
        item.category([{"term": tag} for tag in entry.tags])
    if entry.summary:
        # description is HTML in RSS: the plain-text summary is escaped once, so readers show it as written.
        item.description(escape(entry.summary, quote=False))
    if content_html:
        item.content(content_html)
    if entry.authors:
        # RSS <author> must be an e-mail address: names go in dc:creator.
        # Registered by class: load_extension("dc") first tries to import a module that does not exist, per entry.
        item.register_extension("dc", DcEntryExtension)
        item.dc.dc_creator(list(entry.authors))
    if entry.attachment:
        # RSS allows one enclosure per item: the attached file (its length is checked) takes the image's place,
        # which media:content still carries.
        item.enclosure(entry.attachment.url, str(entry.attachment.length), entry.attachment.media_type)
    if entry.image:
        if entry.image.length is not None and not entry.attachment:
            # Only with a known length: feedgen would write length "0" (or "None").
            item.enclosure(entry.image.url, str(entry.image.length), entry.image.media_type or "image/jpeg")
        item.register_extension("media", MediaEntryExtension)
        media = {"url": entry.image.url, "medium": "image", "group": None}
        if entry.image.media_type:
            media["type"] = entry.image.media_type
        item.media.content(media)
    element = item.rss_entry()
    if content_html and not entry.summary:
        # Correction: without a description feedgen writes the full text as one; it belongs in content:encoded.
        element.find("description").tag = f"{{{CONTENT}}}encoded"
    # Correction: feedgen's extension elements each declare their namespace; the root declares them once.
    etree.cleanup_namespaces(element, top_nsmap=NSMAP)
    return element


class RssFormat(FeedFormat):
    """RSS 2.0 with content:encoded for full text, dc:creator for authors and media:content for images."""

    name = "rss"

    def __init__(self) -> None:
        self._serialize = EntrySerializer(DOCUMENT_NSMAP)

    def check_channel(self, channel: Channel) -> None:
        """RSS requires a channel link (description defaults to the title, so it is never missing)."""
        if not (channel.site_url or channel.feed_url):
            raise ExportError("rss: the channel needs a link: pass --site-url (or --feed-url)")

    def check_entry(self, channel: Channel, entry: FeedEntry) -> None:
        """An RSS enclosure requires its length (feedgen would write "None")."""
        if entry.attachment and entry.attachment.length is None:
            raise ExportError("rss: an enclosure needs its size: pass --enclosure-length with --enclosure-url")

    def entry(self, entry: FeedEntry) -> bytes:
        """An ``<item>``, indented as it sits in the channel."""
        try:
            item = _feedgen_item(entry, entry.content_html)
        except ValueError:
            # Control characters are not XML; cleaning only on failure keeps the common path fast.
            item = _feedgen_item(entry, clean_text(entry.content_html or ""))
        return self._serialize(indent_entry(item, _ENTRY_INDENT, _CHANNEL_INDENT))

    def document(self, channel: Channel, entries: list[bytes], links: PageLinks, stylesheet: str | None) -> list[bytes]:
        """The ``<rss>`` document: channel metadata, then the items in order."""
        from feedgen.feed import FeedGenerator

        feed = FeedGenerator()
        feed.load_extension("dc")
        feed.load_extension("media")
        feed.title(channel.title)
        if links.self_url:
            feed.link(href=links.self_url, rel="self")
        # The channel <link> is feedgen's last alternate link: set after the self link.
        feed.link(href=channel.site_url or channel.feed_url, rel="alternate")
        feed.description(channel.description)
        if channel.language:
            feed.language(channel.language)
        if channel.authors:
            feed.dc.dc_creator(list(channel.authors))
        feed.lastBuildDate(channel.updated)
        feed.generator("newsexport")
        feed.docs("https://www.rssboard.org/rss-specification")
        root = etree.fromstring(feed.rss_str(pretty=False), XML_PARSER)
        ch = root.find("channel")
        _type_and_archive_links(ch, links)
        if links.is_archive:
            # Correction: feedgen has no RFC 5005 archive marker; its namespace is declared where it is used.
            etree.SubElement(ch, f"{{{HISTORY}}}archive", nsmap={"fh": HISTORY})
        indent_entry(ch, _CHANNEL_INDENT, "\n  ")
        root.text, ch.tail = "\n  ", "\n"
        head, tail = xml_document(root, b"\n  </channel>", stylesheet)
        return splice(head, entries, tail, before=_CHANNEL_INDENT.encode())

    def read(self, data: bytes, source: str) -> tuple[list[Record], str | None]:
        """Items of a previous RSS document, re-serialised unchanged, and its prev-archive link."""
        try:
            root = etree.fromstring(data, XML_PARSER)
        except etree.XMLSyntaxError as exc:
            raise ValueError(f"not well-formed XML ({exc})") from None
        channel = root.find("channel") if root.tag == "rss" else None
        if channel is None:
            raise ValueError("not an RSS 2.0 feed (merge into a feed of the same format)")
        records = []
        for item in channel.findall("item"):
            # Only the small fields: reading an entry's content text would copy it for nothing.
            fields = {c.tag: c.text for c in item if c.tag in _MERGE_FIELDS}
            link = (fields.get("link") or "").strip() or None
            guid = (fields.get("guid") or "").strip() or link or (fields.get("title") or "").strip()
            records.append(Record(guid, link, fields.get("pubDate"), self._serialize(item)))
        prev = channel.find(f"{{{ATOM}}}link[@rel='prev-archive']")
        return records, prev.get("href") if prev is not None else None


def _type_and_archive_links(channel: etree._Element, links: PageLinks) -> None:
    """Corrections: the self link gets its media type (feedgen writes none), and RFC 5005 archive links
    (which feedgen's link rel check refuses) follow it."""
    self_link = channel.find(f"{{{ATOM}}}link[@rel='self']")
    if self_link is not None:
        self_link.set("type", "application/rss+xml")
    position = list(channel).index(self_link) + 1 if self_link is not None else len(channel)
    for rel, href in (
        ("current", links.current),
        ("prev-archive", links.prev_archive),
        ("next-archive", links.next_archive),
    ):
        if href:
            link = etree.Element(f"{{{ATOM}}}link", href=href, rel=rel, type="application/rss+xml")
            channel.insert(position, link)
            position += 1


class RssExporter(FeedExporter):
    """RSS 2.0 feed of the articles (full text in content:encoded)."""

    name = "rss"
    extensions = (".rss", ".rss.xml")
    media_type = "application/rss+xml"
    description = "RSS 2.0 feed"
    requires = ("feedgen",)
    format = RssFormat()
