"""The steps every feed goes through, whatever its format: channel, entries, merge, newest kept, pages.

Each format supplies a :class:`FeedFormat` (how one entry and one document are written, how a
previous document is read back); :class:`FeedExporter` runs the same steps for all three.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from importlib import resources
from pathlib import PurePosixPath
from typing import ClassVar
from urllib.parse import urljoin, urlsplit

from exporters.exporter import Exporter, ExportError, Progress, Rendered
from exporters.feeds.entries import Enclosure, FeedEntry, build_entries, entry_id, newest_first
from exporters.feeds.merge import Record, keep_newest, merge_records, read_previous
from exporters.feeds.options import FeedOptions, attachment_type
from exporters.model import Article, Collection
from exporters.parallel import map_chunks
from exporters.text import one_line

__all__ = ["Channel", "PageLinks", "FeedFormat", "FeedExporter", "splice", "STYLESHEET_NAME", "DEFAULT_TITLE"]

#: File name of the default stylesheet written beside RSS and Atom feeds with ``--xsl``.
STYLESHEET_NAME = "feed.xsl"
#: Feed title when neither the options nor the articles suggest one.
DEFAULT_TITLE = "Saved articles"
#: Entries per task given to a process.
_ENTRY_RUN = 50
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Channel:
    """Feed-level metadata after defaults and checks."""

    title: str
    description: str
    site_url: str | None
    feed_url: str | None
    #: Atom feed id (feed URL, else site URL).
    id: str | None
    authors: tuple[str, ...]
    language: str | None
    #: Last build / updated time: the build time, or the newest entry when that is later.
    updated: datetime


@dataclass(frozen=True)
class PageLinks:
    """Where a document sits among the feed's files (RFC 5005 archived feeds)."""

    #: URL (or file name) of this document, for the self link; None when unknown.
    self_url: str | None
    #: URL of the subscription document, set on archive pages only.
    current: str | None = None
    prev_archive: str | None = None
    next_archive: str | None = None

    @property
    def is_archive(self) -> bool:
        """Whether this document is an archive page rather than the subscription feed."""
        return self.current is not None


class FeedFormat:
    """How one feed format writes entries and documents and reads back a previous document."""

    #: Name used in messages ("rss", "atom", "jsonfeed").
    name: ClassVar[str] = ""
    #: Whether the format is XML (and so can carry the XSL stylesheet instruction).
    xml: ClassVar[bool] = True

    def check_channel(self, channel: Channel) -> None:
        """Refuse, with a message naming the flag to pass, feed metadata the format requires and lacks."""

    def check_entry(self, channel: Channel, entry: FeedEntry) -> None:
        """Refuse, with a message naming the flag to pass, an entry the format's rules reject."""

    def entry(self, entry: FeedEntry) -> bytes:
        """The entry serialised as it sits in a document (serialising early keeps memory low)."""
        raise NotImplementedError

    def document(self, channel: Channel, entries: list[bytes], links: PageLinks, stylesheet: str | None) -> list[bytes]:
        """One feed document holding the serialised ``entries`` in order, as pieces to write one after the other."""
        raise NotImplementedError

    def read(self, data: bytes, source: str) -> tuple[list[Record], str | None]:
        """Entries of a previous document, serialised exactly as :meth:`entry` writes them, and its
        prev-archive URL; ValueError when unreadable."""
        raise NotImplementedError


def splice(first: bytes, items: list[bytes], last: bytes, *, before: bytes = b"", between: bytes = b"") -> list[bytes]:
    """The pieces of a document: ``first``, the items (each after ``before``, ``between`` two of them), then ``last``.

    Entries are referenced, never copied: the CLI writes the pieces one after the other, so a
    10,000-entry feed is held once, as its entries, rather than also as one joined document.
    """
    parts = [first]
    for n, item in enumerate(items):
        if n and between:
            parts.append(between)
        if before:
            parts.append(before)
        parts.append(item)
    parts.append(last)
    return parts


class FeedExporter(Exporter):
    """Base of the feed exporters: the steps every feed goes through, format details in :attr:`format`."""

    options_class = FeedOptions
    options: FeedOptions
    #: Writes entries and documents in this exporter's format.
    format: ClassVar[FeedFormat]

    def render(self, collection: Collection, output_name: str, progress: Progress) -> Rendered:
        """The feed, with its stylesheet and archive pages as companions when the options ask for them.

        A feed written to a file (not ``-``) and given no ``--feed-url`` links to itself by that
        file's name beside ``--site-url``.
        """
        name = PurePosixPath(output_name).name
        files = self._files(collection, progress, name, publish_name=None if name == "-" else name)
        return Rendered(files.pop(name), files)

    # -- the steps ------------------------------------------------------------------------------
    def _files(
        self, collection: Collection, progress: Progress, output_name: str, publish_name: str | None
    ) -> dict[str, list[bytes]]:
        options = self.options
        channel = self._channel(collection, options)
        if channel.feed_url is None and channel.site_url and publish_name:
            # A feed written to a file is published under that name beside the site: its self link
            # (which feed readers and validators expect) follows, unless --feed-url says otherwise.
            derived = urljoin(channel.site_url, publish_name)
            channel = replace(channel, feed_url=derived, id=derived)
        self.format.check_channel(channel)
        records = self._records(collection, channel, progress)
        if options.merge is not None:
            records = merge_records(records, read_previous(self.name, options.merge, self.format.read))
        if options.max_items:
            records = keep_newest(records, options.max_items)
        stylesheet = STYLESHEET_NAME if options.xsl and self.format.xml else None
        pages = self._pages(channel, records, output_name, stylesheet)
        files: dict[str, list[bytes]] = {}
        if stylesheet:
            files[STYLESHEET_NAME] = [resources.files("exporters").joinpath("data", STYLESHEET_NAME).read_bytes()]
        files.update((name, data) for name, data in pages.items() if name != output_name)
        files[output_name] = pages[output_name]
        return files

    def _records(self, collection: Collection, channel: Channel, progress: Progress) -> list[Record]:
        """One serialised entry per article, newest first unless the user chose an order (``--sort``);
        an id seen before is skipped because feed ids must be unique.

        Entries are built and serialised a run of ``_ENTRY_RUN`` at a time, the run's bodies
        converted together, so only the bytes stay in memory; ``map_chunks`` may share the runs
        with worker processes (converting bodies and serialising is nearly all of a feed's work).
        """
        articles = collection.articles if collection.ordered else newest_first(collection.articles)
        build_time = collection.generated or _EPOCH
        content = self.options.content
        attachment = self._attachment()
        # The file goes on the first entry of the feed: this run's newest article (or the first of --sort's order).
        attached_id = entry_id(articles[0]) if attachment is not None and articles else None

        def serialised(entry: FeedEntry) -> tuple[Record, ExportError | None]:
            if entry.id == attached_id:
                entry = replace(entry, attachment=attachment)
            try:
                self.format.check_entry(channel, entry)
            except ExportError as exc:
                return Record(entry.id, entry.link, entry.date, b""), exc
            return Record(entry.id, entry.link, entry.date, self.format.entry(entry)), None

        def run(articles: Sequence[Article]) -> list[tuple[Record, ExportError | None]]:
            return [serialised(entry) for entry in build_entries(articles, collection, content, build_time)]

        records: list[Record] = []
        seen: set[str] = set()
        total, done = len(articles), 0
        for built in map_chunks(run, articles, _ENTRY_RUN):
            for record, problem in built:
                if record.id not in seen:
                    if problem is not None:
                        raise problem
                    seen.add(record.id)
                    records.append(record)
            done += len(built)
            progress(done, total)
        return records

    def _attachment(self) -> Enclosure | None:
        """The file ``--enclosure-url`` names, with its length and the media type its extension says."""
        url = (self.options.enclosure_url or "").strip()
        if not url:
            return None
        return Enclosure(url, attachment_type(url), self.options.enclosure_length)

    def _channel(self, collection: Collection, options: FeedOptions) -> Channel:
        title = one_line(options.feed_title) or one_line(collection.title) or _default_title(collection, options)
        site_url = (options.site_url or "").strip() or None
        feed_url = (options.feed_url or "").strip() or None
        # This run's entries and build time only: the same command run twice gives the same bytes.
        dates = [d for a in collection.articles for d in (a.published, a.updated) if d is not None]
        updated = max(filter(None, [collection.generated, *dates]), default=_EPOCH)
        return Channel(
            title=title,
            description=one_line(options.description) or title,
            site_url=site_url,
            feed_url=feed_url,
            id=feed_url or site_url,
            authors=tuple(a for a in (one_line(a) for a in collection.authors) if a),
            language=one_line(collection.language) or None,
            updated=updated.astimezone(UTC),
        )

    def _pages(
        self, channel: Channel, records: list[Record], output_name: str, stylesheet: str | None
    ) -> dict[str, list[bytes]]:
        """The subscription document with the newest page of entries, then archive pages of the older ones,
        numbered from the oldest so that a full archive page never changes.

        Records are in feed order, newest (or latest added) first.
        """
        size = self.options.page_size
        if not size or len(records) <= size:
            links = PageLinks(self_url=channel.feed_url)
            return {output_name: self.format.document(channel, [r.data for r in records], links, stylesheet)}
        newest, oldest_first = records[:size], records[size:][::-1]
        archive_count = -(-len(oldest_first) // size)
        stem, suffix = self._split_name(output_name)
        names = [f"{stem}-archive-{n}{suffix}" for n in range(1, archive_count + 1)]
        urls = [urljoin(channel.feed_url, n) if channel.feed_url else n for n in names]
        current = channel.feed_url or output_name
        files = {
            output_name: self.format.document(
                channel, [r.data for r in newest], PageLinks(channel.feed_url, prev_archive=urls[-1]), stylesheet
            )
        }
        for n in range(archive_count):
            page = oldest_first[n * size : (n + 1) * size][::-1]
            links = PageLinks(
                self_url=urls[n] if channel.feed_url else None,
                current=current,
                prev_archive=urls[n - 1] if n > 0 else None,
                next_archive=urls[n + 1] if n + 1 < archive_count else None,
            )
            files[names[n]] = self.format.document(
                _archive_channel(channel, page), [r.data for r in page], links, stylesheet
            )
        return files

    def _split_name(self, output_name: str) -> tuple[str, str]:
        lower = output_name.lower()
        for ext in sorted(self.extensions, key=len, reverse=True):
            if lower.endswith(ext) and len(output_name) > len(ext):
                return output_name[: -len(ext)], output_name[-len(ext) :]
        path = PurePosixPath(output_name)
        return path.stem, path.suffix


def _default_title(collection: Collection, options: FeedOptions) -> str:
    """A title when none is given: the one site every article comes from, else the site URL's host."""
    sites = {one_line(a.site_name) for a in collection.articles}
    if len(sites) == 1 and "" not in sites:
        return sites.pop()
    host = urlsplit(options.site_url or options.feed_url or "").hostname
    return host or DEFAULT_TITLE


def _archive_channel(channel: Channel, page: list[Record]) -> Channel:
    """An archive page's updated time is its newest entry's, so regenerating it gives the same bytes."""
    dates = [r.date for r in page if r.date is not None]
    if not dates:
        return channel
    return replace(channel, updated=max(dates).astimezone(UTC))
