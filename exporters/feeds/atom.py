"""Atom 1.0 (RFC 4287) exporter: feed and entries built with feedgen, corrected where feedgen 1.0.0 falls short.

feedgen builds each entry (:meth:`feedgen.entry.FeedEntry.atom_entry`) and the feed metadata
(:meth:`feedgen.feed.FeedGenerator.atom_str`); the corrections it needs are made on the
elements it returns, each named below. Merging keeps a previous feed's entries byte for byte.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from exporters.exporter import ExportError
from exporters.feeds.entries import FeedEntry, feed_id
from exporters.feeds.exporter import Channel, FeedExporter, FeedFormat, PageLinks, splice
from exporters.feeds.merge import Record
from exporters.feeds.xml import XML_PARSER, EntrySerializer, indent_entry, xml_document
from exporters.text import clean_text

__all__ = ["AtomExporter", "AtomFormat"]

ATOM = "http://www.w3.org/2005/Atom"
HISTORY = "http://purl.org/syndication/history/1.0"
NSMAP: dict[str | None, str] = {None: ATOM}
_A = f"{{{ATOM}}}"
#: What an entry read back from a feed of an earlier version may find declared on its root.
DOCUMENT_NSMAP: dict[str | None, str] = {**NSMAP, "fh": HISTORY}
_ENTRY_INDENT = "\n    "
_FEED_INDENT = "\n  "


def _entry_links(entry: FeedEntry) -> list[dict[str, str]]:
    """The entry's links with every attribute they need: the typed alternate, the image enclosure, the attached file."""
    links = []
    if entry.link:
        links.append({"href": entry.link, "rel": "alternate", "type": "text/html"})
    if entry.image:
        link = {"href": entry.image.url, "rel": "enclosure"}
        if entry.image.media_type:
            link["type"] = entry.image.media_type
        if entry.image.length is not None:
            link["length"] = str(entry.image.length)
        links.append(link)
    if entry.attachment:
        link = {"href": entry.attachment.url, "rel": "enclosure", "type": entry.attachment.media_type or ""}
        if entry.attachment.length is not None:
            link["length"] = str(entry.attachment.length)
        links.append(link)
    return links


def _feedgen_entry(entry: FeedEntry, content_html: str | None) -> etree._Element:
    """The ``<entry>`` feedgen builds for ``entry``, with its link attributes restored."""
    # feedgen (and the dateutil it imports) is loaded by the first feed built, not at start-up.
    from feedgen.entry import FeedEntry as FeedgenEntry

    item = FeedgenEntry()
    item.id(feed_id(entry.id))
    item.title(entry.title)
    item.updated(entry.stamp)
    if entry.published:
        item.published(entry.published)
    if entry.authors:
        item.author([{"name": a} for a in entry.authors])
    links = _entry_links(entry)
    if links:
        item.link(links)
    if entry.tags:
        item.category([{"term": tag} for tag in entry.tags])
    if content_html:
        item.content(content_html, type="html")
        if entry.summary:
            item.summary(entry.summary, type="text")
    elif not entry.link:
        # RFC 4287: an entry without an alternate link must have content.
        item.content(entry.summary, type="text")
    elif entry.summary:
        item.summary(entry.summary, type="text")
    element = item.atom_entry()
    _restore_link_attributes(element, links)
    return element


def _restore_link_attributes(element: etree._Element, links: list[dict[str, str]]) -> None:
    """Correction (upstream #135/#143): feedgen 1.0.0 writes an entry's links with their href only,
    losing rel, type and length (an enclosure then reads as a second alternate link). Its entry
    elements are unqualified: they take the Atom namespace from the document they are written in."""
    for link, attributes in zip(element.iterfind("link"), links):
        for name, value in attributes.items():
            link.set(name, value)


class AtomFormat(FeedFormat):
    """Atom with html content, text summaries, enclosure links for images."""

    name = "atom"

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
        try:
            element = _feedgen_entry(entry, entry.content_html)
        except ValueError:
            # Control characters are not XML; cleaning only on failure keeps the common path fast.
            element = _feedgen_entry(entry, clean_text(entry.content_html or ""))
        return self._serialize(indent_entry(element, _ENTRY_INDENT, _FEED_INDENT))

    def document(self, channel: Channel, entries: list[bytes], links: PageLinks, stylesheet: str | None) -> list[bytes]:
        """The ``<feed>`` document: feed metadata, then the entries in order."""
        from feedgen.feed import FeedGenerator

        feed = FeedGenerator()
        feed.id(channel.id)
        feed.title(channel.title)
        if channel.description != channel.title:
            feed.subtitle(channel.description)
        feed.updated(channel.updated)
        if channel.authors:
            feed.author([{"name": a} for a in channel.authors])
        feed_links: list[dict[str, Any]] = []
        if channel.site_url:
            feed_links.append({"href": channel.site_url, "rel": "alternate", "type": "text/html"})
        if links.self_url:
            feed_links.append({"href": links.self_url, "rel": "self", "type": "application/atom+xml"})
        if feed_links:
            feed.link(feed_links)
        if channel.language:
            feed.language(channel.language)
        feed.generator("newsexport", uri="https://pypi.org/project/newsexport/")
        root = etree.fromstring(feed.atom_str(pretty=False), XML_PARSER)
        _add_archive_links(root, links)
        indent_entry(root, _FEED_INDENT, "\n")
        head, tail = xml_document(root, b"\n</feed>", stylesheet)
        return splice(head, entries, tail, before=_FEED_INDENT.encode())

    def read(self, data: bytes, source: str) -> tuple[list[Record], str | None]:
        """Entries of a previous Atom document, re-serialised unchanged, and its prev-archive link."""
        try:
            root = etree.fromstring(data, XML_PARSER)
        except etree.XMLSyntaxError as exc:
            raise ValueError(f"not well-formed XML ({exc})") from None
        if root.tag != _A + "feed":
            raise ValueError("not an Atom feed (merge into a feed of the same format)")
        records = []
        for entry in root.findall(_A + "entry"):
            link_el = entry.find(f"{_A}link[@rel='alternate']")
            if link_el is None:
                link_el = entry.find(_A + "link")
            link = link_el.get("href") if link_el is not None else None
            date = entry.findtext(_A + "published") or entry.findtext(_A + "updated")
            records.append(Record((entry.findtext(_A + "id") or "").strip(), link, date, self._serialize(entry)))
        prev = root.find(f"{_A}link[@rel='prev-archive']")
        return records, prev.get("href") if prev is not None else None


def _add_archive_links(root: etree._Element, links: PageLinks) -> None:
    """Correction: RFC 5005 archive links (feedgen's link rel check refuses them) after the feed's own
    links, and the archive marker on archive pages."""
    own = root.findall(_A + "link")
    position = list(root).index(own[-1]) + 1 if own else len(root)
    for rel, href in (
        ("current", links.current),
        ("prev-archive", links.prev_archive),
        ("next-archive", links.next_archive),
    ):
        if href:
            root.insert(position, etree.Element(_A + "link", href=href, rel=rel, type="application/atom+xml"))
            position += 1
    if links.is_archive:
        etree.SubElement(root, f"{{{HISTORY}}}archive", nsmap={"fh": HISTORY})


class AtomExporter(FeedExporter):
    """Atom 1.0 feed of the articles (full text as html content)."""

    name = "atom"
    extensions = (".atom", ".atom.xml")
    media_type = "application/atom+xml"
    description = "Atom 1.0 feed"
    requires = ("feedgen",)
    format = AtomFormat()
