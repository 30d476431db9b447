"""What the RSS, Atom and JSON Feed exporters share: options, entries built from articles,
merging with a previous feed, RFC 5005 archive pages and the XSL stylesheet companion.

Each format supplies a :class:`FeedFormat` (how one entry and one document are written, how a
previous document is read back); :class:`FeedExporter` runs the same steps for all three:
check the channel, build entries, merge, keep the newest, split into pages, serialise.
"""

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from email.utils import format_datetime
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import ClassVar
from urllib.parse import urljoin, urlsplit

from lxml import etree

from exporters.exporter import Exporter, ExportError, Progress, option
from exporters.html.lazy import bodies_once
from exporters.html.sanitize import safe_url
from exporters.html.xhtml import render_blocks
from exporters.model import Article, Block, Collection, Image, body_text, canonical_url
from exporters.parallel import map_chunks, shared_map
from exporters.pipeline.dates import parse_date
from exporters.text import clean_text, one_line

__all__ = [
    "FeedOptions",
    "FeedEntry",
    "Enclosure",
    "Channel",
    "Record",
    "PageLinks",
    "FeedFormat",
    "FeedExporter",
    "STYLESHEET_NAME",
    "DEFAULT_TITLE",
    "XML_PARSER",
    "rfc822",
    "rfc3339",
    "feed_id",
    "parse_feed_date",
    "child",
    "indent_entry",
    "EntrySerializer",
    "xml_document",
    "splice",
]

#: File name of the default stylesheet written beside RSS and Atom feeds with ``--xsl``.
STYLESHEET_NAME = "feed.xsl"
#: Feed title when neither the options nor the articles suggest one.
DEFAULT_TITLE = "Saved articles"
#: Length of the plain-text excerpt used as a summary when an article has none.
_EXCERPT_CHARS = 280
_URI_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
#: Feeds of this many entries or more are built by this process and a forked worker together.
SHARE_MIN_ENTRIES = 400
#: Entries per task given to a process.
_ENTRY_RUN = 50
_DECLARATION = re.compile(rb'\s+xmlns(?::([\w.-]+))?="([^"]*)"')
#: Parses previous feeds for merging. Internal entities are expanded (old RSS 0.91 feeds declare
#: some) so no entity reference is copied into a document without their declaration; external
#: ones are never loaded and fail the parse; libxml2's default size limits guard against entity
#: expansion bombs.
XML_PARSER = etree.XMLParser(resolve_entities="internal", no_network=True)


@dataclass(frozen=True)
class FeedOptions:
    """Options shared by the rss, atom and jsonfeed exporters (one type, so the CLI merges their flags)."""

    feed_title: str | None = option(None, "Feed title (default: --title, else the one site all articles come from).")
    feed_url: str | None = option(None, "URL the feed will be published at (self link; Atom feed id).", metavar="URL")
    site_url: str | None = option(None, "URL of the website the feed belongs to (RSS channel link).", metavar="URL")
    description: str | None = option(None, "Feed description (default: the feed title).")
    content: str = option(
        "full",
        "What each entry carries: the full text, the summary only, or neither.",
        choices=("full", "summary", "none"),
    )
    merge: Path | None = option(
        None,
        "Previous feed of the same format to add the articles to; its entries are kept byte for byte.",
        metavar="FEED",
    )
    max_items: int | None = option(None, "Keep only the newest N entries.", metavar="N")
    page_size: int | None = option(
        None, "Entries per document: older ones go to RFC 5005 archive files beside the feed.", metavar="N"
    )
    xsl: bool = option(
        False, "RSS and Atom: add an XSL stylesheet (written beside the feed) so browsers show a readable page."
    )


@dataclass(frozen=True)
class Enclosure:
    """An entry's lead image, referenced by URL; ``length`` is known only when the image was loaded."""

    url: str
    media_type: str | None = None
    length: int | None = None


@dataclass(frozen=True)
class FeedEntry:
    """One article as every feed format needs it: clean text, absolute URLs, UTC dates."""

    id: str
    title: str
    link: str | None
    authors: tuple[str, ...]
    published: datetime | None
    updated: datetime | None
    tags: tuple[str, ...]
    #: Plain text: the article's summary, else an excerpt of its body.
    summary: str
    #: XHTML of the body for ``--content full``, else None (may hold control characters: formats clean on failure).
    content_html: str | None
    image: Enclosure | None
    language: str | None
    #: The entry's last change for formats that require one (Atom): updated, published, else the build time.
    stamp: datetime

    @property
    def date(self) -> datetime | None:
        """The date an entry is sorted by: published, else updated."""
        return self.published or self.updated


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


@dataclass
class Record:
    """An entry serialised in the format (bytes), with what merging needs."""

    id: str
    link: str | None
    #: The entry's date; for an entry read back from a previous feed, its text until first asked for.
    when: datetime | str | None
    data: bytes

    @property
    def date(self) -> datetime | None:
        """The date entries are ranked by; read-back dates are parsed lazily (a 10,000-entry merge rarely needs them)."""
        if isinstance(self.when, str):
            self.when = parse_feed_date(self.when)
        return self.when


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

    #: For reading a large XML document in parts: the start of an entry's tag (``b"<item"``), and
    #: the end tags that close a document cut after an entry (``b"</channel></rss>"``).
    entry_start: ClassVar[bytes] = b""
    document_end: ClassVar[bytes] = b""

    def read(self, data: bytes, source: str) -> tuple[list[Record], str | None]:
        """Entries of a previous document, serialised exactly as :meth:`entry` writes them, and its
        prev-archive URL; ValueError when unreadable."""
        raise NotImplementedError

    def read_document(self, data: bytes, source: str) -> tuple[list[Record], str | None]:
        """:meth:`read`, by parts read by this process and a forked worker for a large XML document.

        Parsing and re-serialising a 10,000-entry feed is most of a merge. The document is cut
        before entries into parts that each repeat its head (XML declaration, root, channel)
        and are closed by :attr:`document_end`. A cut in the wrong place (inside a comment,
        CDATA or an element nested elsewhere) leaves a part that does not parse; then, and for
        a document with a DTD, the document is read whole, which also gives the real error.
        """
        cuts = _entry_cuts(data, self.entry_start, self.document_end) if self.entry_start else None
        if cuts is None:
            return self.read(data, source)

        def part(n: int) -> tuple[list[Record], str | None]:
            end = data[cuts[n + 1] : cuts[n + 2]] + self.document_end if n + 2 < len(cuts) else data[cuts[n + 1] :]
            return self.read(data[: cuts[0]] + end, source)

        try:
            read = list(shared_map(part, len(cuts) - 1))
        except ValueError:
            return self.read(data, source)
        records = [record for page, _ in read for record in page]
        return records, next((prev for _, prev in read if prev is not None), None)


#: Documents from this size up are read in parts (see :meth:`FeedFormat.read_document`), this many.
PARTS_MIN_BYTES = 4 * 1024 * 1024
_PARTS = 8


def _entry_cuts(data: bytes, entry_start: bytes, document_end: bytes) -> list[int] | None:
    """Where the document's head ends, then where each part starts (before an entry), or None when it
    is small, has a DTD or cannot be cut. Part ``n`` is the head, then ``data`` from cut ``n + 1`` to
    cut ``n + 2`` (to the end for the last part).

    The head must be a whole document once closed: then no comment, CDATA section or element is
    open where the parts start, and any later cut inside one leaves the part where it opens
    unclosed, so that part fails to parse."""
    if len(data) < PARTS_MIN_BYTES:
        return None
    first = _tag_start(data, entry_start, 0)
    if first == -1 or b"<!DOCTYPE" in data[:first]:
        return None
    try:
        etree.fromstring(data[:first] + document_end, XML_PARSER)
    except etree.XMLSyntaxError:
        return None
    cuts = [first, first]
    for n in range(1, _PARTS):
        cut = _tag_start(data, entry_start, max(cuts[-1] + 1, len(data) * n // _PARTS))
        if cut == -1:
            break
        cuts.append(cut)
    return cuts if len(cuts) > 2 else None


def _tag_start(data: bytes, opening: bytes, position: int) -> int:
    """Where the next start tag ``opening`` (e.g. ``b"<item"``) begins at or after ``position``, or -1."""
    while (found := data.find(opening, position)) != -1:
        if data[found + len(opening) : found + len(opening) + 1] in (b">", b" ", b"\t", b"\n", b"\r", b"/"):
            return found
        position = found + 1
    return -1


def rfc822(value: datetime) -> str:
    """An RSS date: RFC 822 in GMT."""
    return format_datetime(value.astimezone(UTC), usegmt=True)


def rfc3339(value: datetime) -> str:
    """An Atom / JSON Feed date: RFC 3339 in UTC with a ``Z``."""
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def feed_id(article_id: str) -> str:
    """An id that is an absolute IRI (Atom requires it); ids from other tools without a scheme get a URN."""
    if _URI_SCHEME.match(article_id):
        return article_id
    return "urn:newsexport:" + hashlib.sha1(article_id.encode("utf-8")).hexdigest()[:20]


def _excerpt(body: Sequence[Block]) -> str:
    """The first words of the body; only the first blocks are read (collapsing a whole body is slow)."""
    parts: list[str] = []
    size = 0
    for block in body:
        parts.append(body_text((block,)))
        size += len(parts[-1])
        if size > 2 * _EXCERPT_CHARS:
            break
    text = one_line(" ".join(parts)[: 3 * _EXCERPT_CHARS])
    if len(text) <= _EXCERPT_CHARS:
        return text
    cut = text.rfind(" ", 0, _EXCERPT_CHARS)
    return text[: cut if cut > 0 else _EXCERPT_CHARS].rstrip(" ,;:.") + "…"


def _web_image(image: Image) -> str | None:
    """Feeds reference images by URL: only absolute http(s) ones can be used by a feed reader."""
    return image.src if image.src.startswith(("http://", "https://")) else None


def _utc(value: datetime | None) -> datetime | None:
    return value.astimezone(UTC) if value is not None else None


def build_entries(
    articles: Sequence[Article], collection: Collection, content: str, build_time: datetime
) -> list[FeedEntry]:
    """:func:`build_entry` of each article, the bodies converted together (see :func:`~exporters.htmlblocks.bodies_once`)."""
    bodies = bodies_once([article.body if _needs_body(article, content) else () for article in articles])
    return [build_entry(article, collection, content, build_time, body) for article, body in zip(articles, bodies)]


def _needs_body(article: Article, content: str) -> bool:
    """Whether the entry shows the body: as its content, or for an excerpt when the article has no summary."""
    return content == "full" or (content == "summary" and not one_line(article.summary))


def build_entry(
    article: Article, collection: Collection, content: str, build_time: datetime, body: Sequence[Block]
) -> FeedEntry:
    """A feed entry from an article: cleaned text, safe absolute URLs, rendered content.

    ``body`` is the article's body converted, or ``()`` when the entry does not show it (:func:`_needs_body`)."""
    image = None
    if article.image is not None and _web_image(article.image):
        asset = collection.assets.get(article.image.src)
        image = Enclosure(article.image.src, asset.media_type if asset else None, len(asset.data) if asset else None)
    summary = "" if content == "none" else one_line(article.summary)
    return FeedEntry(
        id=clean_text(article.id).strip(),
        title=one_line(article.title),
        link=safe_url(article.url) if article.url and article.url.startswith(("http://", "https://")) else None,
        authors=tuple(a for a in (one_line(a) for a in article.authors) if a),
        published=_utc(article.published),
        updated=_utc(article.updated),
        tags=tuple(dict.fromkeys(t for t in (one_line(t) for t in article.tags) if t)),
        summary=summary or (_excerpt(body) if content != "none" else ""),
        content_html=render_blocks(body, _web_image) if content == "full" else None,
        image=image,
        language=one_line(article.language) or None,
        stamp=_utc(article.updated or article.published or build_time),
    )


def keep_newest(records: list[Record], count: int) -> list[Record]:
    """The ``count`` most recent records (undated ones count as oldest), in their original order."""
    if len(records) <= count:
        return records
    by_date = sorted(range(len(records)), key=lambda i: (records[i].date is not None, records[i].date or _EPOCH, -i))
    kept = set(by_date[-count:])
    return [r for i, r in enumerate(records) if i in kept]


def merge_records(new: list[Record], old: list[Record]) -> list[Record]:
    """New records whose id and canonical link are not already there, then the old ones unchanged.

    New entries go first: a feed lists its latest additions at the top. Old links are grouped
    by path so only the few sharing a new link's path are canonicalised (10,000 urlsplits
    would cost more than the rest of a merge).
    """
    seen_ids = {r.id for r in old}
    by_path: dict[str, list[str]] = {}
    for record in old:
        if record.link:
            by_path.setdefault(_url_path(record.link), []).append(record.link)

    def known(record: Record) -> bool:
        if record.id in seen_ids:
            return True
        candidates = by_path.get(_url_path(record.link)) if record.link else None
        if not candidates:
            return False
        canonical = canonical_url(record.link)
        return any(canonical_url(link) == canonical for link in candidates)

    return [r for r in new if not known(r)] + old


def _url_path(url: str) -> str:
    """The path of a URL without query or fragment, by string operations (canonical URLs share it)."""
    rest = url.split("://", 1)[-1]
    slash = rest.find("/")
    path = rest[slash:] if slash >= 0 else "/"
    return path.split("#", 1)[0].split("?", 1)[0]


class FeedExporter(Exporter):
    """Base of the feed exporters: the steps every feed goes through, format details in :attr:`format`."""

    options_class = FeedOptions
    #: Writes entries and documents in this exporter's format.
    format: ClassVar[FeedFormat]

    def render(self, collection: Collection, progress: Progress) -> bytes:
        """The subscription feed's bytes (archive pages and stylesheet: see :meth:`export_files`)."""
        name = "feed" + self.extensions[0]
        return b"".join(self._files(collection, progress, name, publish_name=None)[name])

    def export_files(
        self, collection: Collection, output_name: str, progress: Progress | None = None
    ) -> dict[str, bytes]:
        """Every file of the feed by name relative to the output's folder, in the order to write them:
        the stylesheet and archive pages when the options ask for them, then the feed itself under
        ``output_name`` last, so a published feed never links to a file not yet written."""
        return {
            name: b"".join(pieces) for name, pieces in self.export_pieces(collection, output_name, progress).items()
        }

    def export_pieces(
        self, collection: Collection, output_name: str, progress: Progress | None = None
    ) -> dict[str, list[bytes]]:
        """:meth:`export_files` with each document as its pieces: metadata, then each entry's bytes."""
        if not collection.articles:
            raise ExportError(f"{self.name}: no articles to export")
        name = PurePosixPath(output_name).name
        return self._files(
            collection, progress or (lambda done, total: None), name, publish_name=None if name == "-" else name
        )

    # -- the steps ------------------------------------------------------------------------------
    def _files(
        self, collection: Collection, progress: Progress, output_name: str, publish_name: str | None
    ) -> dict[str, list[bytes]]:
        options: FeedOptions = self.options
        self._check_numbers(options)
        channel = self._channel(collection, options)
        if channel.feed_url is None and channel.site_url and publish_name:
            # A feed written to a file is published under that name beside the site: its self link
            # (which feed readers and validators expect) follows, unless --feed-url says otherwise.
            derived = urljoin(channel.site_url, publish_name)
            channel = replace(channel, feed_url=derived, id=derived)
        self.format.check_channel(channel)
        records = self._records(collection, channel, progress)
        if options.merge is not None:
            records = merge_records(records, self._previous_records(options.merge))
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

    def _check_numbers(self, options: FeedOptions) -> None:
        for flag, value in (("--max-items", options.max_items), ("--page-size", options.page_size)):
            if value is not None and value < 1:
                raise ExportError(f"{self.name}: {flag} must be at least 1, not {value}")
        if options.content not in ("full", "summary", "none"):
            raise ExportError(f"{self.name}: --content must be full, summary or none, not {options.content!r}")

    def _records(self, collection: Collection, channel: Channel, progress: Progress) -> list[Record]:
        """One serialised entry per article; an id seen before is skipped because feed ids must be unique.

        Entries are built and serialised a run of ``_ENTRY_RUN`` at a time, the run's bodies
        converted together, so only the bytes stay in memory. A long feed's runs are built by
        this process and a forked worker together (converting bodies and serialising is nearly
        all of a feed's work).
        """
        articles = collection.articles
        build_time = collection.generated or _EPOCH
        content = self.options.content

        def serialised(entry: FeedEntry) -> tuple[Record, ExportError | None]:
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

    def _channel(self, collection: Collection, options: FeedOptions) -> Channel:
        title = one_line(options.feed_title) or one_line(collection.title) or _default_title(collection, options)
        urls: dict[str, str | None] = {}
        for flag, given in (("--site-url", options.site_url), ("--feed-url", options.feed_url)):
            value = (given or "").strip() or None
            if value and not (value.startswith(("http://", "https://")) and safe_url(value)):
                raise ExportError(f"{self.name}: {flag} must be an absolute http(s) URL, not {given!r}")
            urls[flag] = value
        # This run's entries and build time only: the same command run twice gives the same bytes.
        dates = [d for a in collection.articles for d in (a.published, a.updated) if d is not None]
        updated = max(filter(None, [collection.generated, *dates]), default=_EPOCH)
        return Channel(
            title=title,
            description=one_line(options.description) or title,
            site_url=urls["--site-url"],
            feed_url=urls["--feed-url"],
            id=urls["--feed-url"] or urls["--site-url"],
            authors=tuple(a for a in (one_line(a) for a in collection.authors) if a),
            language=one_line(collection.language) or None,
            updated=updated.astimezone(UTC),
        )

    def _previous_records(self, path: Path) -> list[Record]:
        """Entries of the feed named by ``--merge``, following its prev-archive links to local archive pages.

        Exporters otherwise never read files; merging cannot be done by the CLI because only
        the format knows how to keep the old entries byte for byte.
        """
        records: list[Record] = []
        seen: set[Path] = set()
        current: Path | None = path
        while current is not None:
            if current in seen:
                raise ExportError(f"{self.name}: cannot merge {path}: its archive pages link in a loop")
            seen.add(current)
            try:
                data = current.read_bytes()
            except FileNotFoundError:
                if current == path:
                    raise ExportError(f"{self.name}: cannot merge {path}: no such file") from None
                raise ExportError(f"{self.name}: cannot merge {path}: archive page {current} is missing") from None
            except OSError as exc:
                raise ExportError(f"{self.name}: cannot merge {current}: {exc.strerror or exc}") from None
            try:
                page, prev_archive = self.format.read_document(data, str(current))
            except ValueError as exc:
                raise ExportError(f"{self.name}: cannot merge {current}: {exc}") from None
            records.extend(page)
            current = path.parent / PurePosixPath(urlsplit(prev_archive).path).name if prev_archive else None
        return records

    def _pages(
        self, channel: Channel, records: list[Record], output_name: str, stylesheet: str | None
    ) -> dict[str, list[bytes]]:
        """The subscription document, then archive pages numbered from the oldest so a full page never changes.

        Records are in feed order, latest additions first; the last ones are the oldest.
        """
        size = self.options.page_size
        if not size or len(records) <= size:
            links = PageLinks(self_url=channel.feed_url)
            return {output_name: self.format.document(channel, [r.data for r in records], links, stylesheet)}
        oldest_first = records[::-1]
        archive_count = (len(records) - 1) // size
        stem, suffix = self._split_name(output_name)
        names = [f"{stem}-archive-{n}{suffix}" for n in range(1, archive_count + 1)]
        urls = [urljoin(channel.feed_url, n) if channel.feed_url else n for n in names]
        current = channel.feed_url or output_name
        newest = oldest_first[archive_count * size :][::-1]
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
            page_channel = _archive_channel(channel, page)
            files[names[n]] = self.format.document(page_channel, [r.data for r in page], links, stylesheet)
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


def parse_feed_date(text: str | None) -> datetime | None:
    """A date read back from a previous feed (RFC 822 or RFC 3339), as aware UTC, or None."""
    try:
        parsed = parse_date((text or "").strip())
    except ValueError:
        return None
    return parsed.astimezone(UTC) if parsed else None


def child(parent: etree._Element, tag: str, text: str | None = None, **attrib: str) -> etree._Element:
    """Append an element with optional text and attributes to ``parent``."""
    element = etree.SubElement(parent, tag, attrib)
    if text is not None:
        try:
            element.text = text
        except ValueError:
            # Control characters are not XML; cleaning only on failure keeps the common path fast.
            element.text = clean_text(text)
    return element


def indent_entry(element: etree._Element, inner: str, outer: str) -> etree._Element:
    """Put each child of ``element`` on its own line at ``inner`` indentation, closing at ``outer``."""
    children = list(element)
    if children:
        element.text = inner
        for item in children:
            item.tail = inner
        children[-1].tail = outer
    return element


class EntrySerializer:
    """Serialises entries on their own, without the namespace declarations the document root makes.

    lxml writes every in-scope declaration on a serialised sub-element; removing the ones the
    root repeats gives the same bytes for an entry built here and for one read back from a
    previous feed, which is what keeps merged entries byte for byte. Entries of one kind share
    their start tag, so each distinct start tag is cleaned once.
    """

    _CACHE_LIMIT = 64

    def __init__(self, nsmap: dict[str | None, str]):
        self._declared = {(k.encode() if k else None): v.encode() for k, v in nsmap.items()}
        self._cleaned: dict[bytes, bytes] = {}

    def __call__(self, element: etree._Element) -> bytes:
        """The element's bytes, as they sit inside a document whose root declares the namespaces."""
        data = etree.tostring(element, encoding="UTF-8", with_tail=False)
        end = data.index(b">")
        head = data[:end]
        cleaned = self._cleaned.get(head)
        if cleaned is None:
            cleaned = _DECLARATION.sub(self._drop, head)
            if len(self._cleaned) < self._CACHE_LIMIT:
                self._cleaned[head] = cleaned
        return cleaned + data[end:]

    def _drop(self, match: re.Match) -> bytes:
        return b"" if self._declared.get(match.group(1)) == match.group(2) else match.group(0)


def xml_document(
    root: etree._Element, close: bytes, indent: bytes, entries: list[bytes], stylesheet: str | None
) -> list[bytes]:
    """Serialise the document's metadata, then splice the entries in before its ``close`` tag."""
    head = etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"
    if stylesheet:
        # On its own line after the XML declaration (lxml would glue it to the root's start tag).
        instruction = etree.tostring(etree.PI("xml-stylesheet", f'type="text/xsl" href="{stylesheet}"'))
        declaration_end = head.index(b"\n") + 1
        head = head[:declaration_end] + instruction + b"\n" + head[declaration_end:]
    cut = head.rindex(close)
    return splice(head[:cut], entries, head[cut:], before=indent)


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
