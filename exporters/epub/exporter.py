"""EPUB 3 exporter: one e-book (with an EPUB 2 NCX) holding one chapter per article.

ebooklib builds the package: OPF metadata, manifest, spine, guide, the EPUB 3 navigation
document and the NCX. Two things are done here instead, each for a measured reason:

* Chapters are serialised by us (``_ChapterDocument``). ebooklib would re-parse every chapter
  with lxml's HTML parser and pretty-print it, which costs time on big collections, drops
  anything in ``<head>`` and inserts whitespace between adjacent inline elements
  (``<em>a</em><strong>b</strong>`` reads "a b"). Our chapters are well-formed XHTML already.
* The zip is written by ``_ReproducibleEpubWriter``: fixed entry times from the collection's
  build time, ``mimetype`` first and stored, images stored (they are compressed already), so
  the same input gives the same bytes and nothing is deflated twice.

A long book's chapters are rendered by this process and a forked worker together while this
process deflates and writes the ones already rendered (``_ChapterContents``); the bytes are
the same either way.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import unicodedata
import uuid
import zipfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

from ebooklib import epub

from exporters.epub.cover import CoverText, cover_png
from exporters.epub.images import EmbeddedImage, ImagePreparationError, prepare_image
from exporters.exporter import Exporter, ExportError, Progress, option
from exporters.html.lazy import bodies_once
from exporters.html.sanitize import safe_url
from exporters.html.xhtml import render_blocks, valid_url
from exporters.model import Article, Asset, Block, Collection, Image, Paragraph, Span
from exporters.parallel import map_chunks, uses_workers
from exporters.pipeline.assets import article_images, body_images
from exporters.pipeline.dates import zip_date_time
from exporters.pipeline.grouping import GROUPS, Groups, group_articles, site_of
from exporters.text import strip_control

__all__ = ["EpubExporter", "EpubOptions", "parse_size"]

log = logging.getLogger(__name__)

#: Images are never shrunk below this width to meet ``--max-size``; past it the export fails.
MIN_FIT_WIDTH = 240
_MIN_IMAGE_WIDTH = 100
_RTL_LANGUAGES = {"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ks", "ps", "sd", "syr", "ug", "ur", "yi"}
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmg]i?b?|b)?\s*$", re.I)
_SIZE_UNITS = {
    "": 1,
    "b": 1,
    "k": 10**3,
    "kb": 10**3,
    "kib": 2**10,
    "m": 10**6,
    "mb": 10**6,
    "mib": 2**20,
    "g": 10**9,
    "gb": 10**9,
    "gib": 2**30,
    "ki": 2**10,
    "mi": 2**20,
    "gi": 2**30,
}
# Characters XML 1.0 forbids; lxml (and every reader) refuses a document containing one.
_STYLE_DIR = "style"
_TEXT_DIR = "text"
_IMAGE_DIR = "images"

_CHAPTER = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="{lang}" xml:lang="{lang}" dir="{dir}">
<head>
<title>{title}</title>
{links}
</head>
<body>
<article class="story" epub:type="chapter">
<header class="article-header">
{header}
</header>
{body}
</article>
</body>
</html>
"""
#: Images as stored: by source (the cover under ""), (file name in the book, prepared bytes).
PreparedImages = dict[str, tuple[str, EmbeddedImage]]

_COVER_PAGE = b"""<html><body><div class="cover-page"><img src="" alt=""/></div></body></html>"""


@dataclass(frozen=True)
class EpubOptions:
    """Options of the EPUB exporter (each field is a CLI flag, e.g. ``--max-image-width``)."""

    group_by: str = option("none", "Group the table of contents by site, publication day or first tag.", choices=GROUPS)
    cover: Path | None = option(
        None, "Cover image (JPEG, PNG, GIF or WebP) instead of the generated cover.", metavar="IMAGE"
    )
    max_image_width: int = option(1200, "Downscale images wider than this many pixels.", metavar="PX")
    grayscale: bool = option(False, "Convert images to greyscale (smaller files for e-ink readers).")
    max_size: str | None = option(
        None,
        "Largest book size: bytes or a number with KB, MB (1000s) or KiB, MiB (1024s), e.g. 5MB; "
        "images are downscaled until the book fits, else the export fails.",
        metavar="SIZE",
    )
    css: Path | None = option(None, "Extra stylesheet, applied after the default one.", metavar="FILE")


def parse_size(text: str) -> int:
    """A size in bytes from ``"5MB"``, ``"800 KB"``, ``"2MiB"`` or ``"123456"``; ValueError otherwise."""
    match = _SIZE.match(text)
    if not match:
        raise ValueError(f"cannot read size {text!r}; use bytes or a number with KB, MB, KiB or MiB, e.g. 5MB")
    number, unit = match.groups()
    size = int(float(number) * _SIZE_UNITS[(unit or "").lower()])
    if size <= 0:
        raise ValueError(f"size {text!r} must be more than zero")
    return size


@dataclass(frozen=True)
class _BookInfo:
    """Book-level metadata derived once from the collection."""

    title: str
    language: str
    identifier: str
    authors: tuple[str, ...]
    publisher: str
    description: str
    date_range: str
    built: datetime


@dataclass(frozen=True)
class _Chapter:
    """One article's document: where it goes in the zip; its XHTML comes from ``contents``."""

    uid: str
    file_name: str
    title: str
    lang: str
    index: int
    contents: _ChapterContents


@dataclass
class _Settings:
    """Options checked and files read, ready for building."""

    max_size: int | None
    css: bytes | None
    cover: Asset | None


class EpubExporter(Exporter):
    """One EPUB 3 book: cover, table of contents, one chapter per article, images embedded."""

    #: Format name used with ``-t``.
    name = "epub"
    #: Output extensions.
    extensions = (".epub",)
    #: Media type of an EPUB.
    media_type = "application/epub+zip"
    #: Shown by ``newsexport formats``.
    description = "EPUB 3 e-book, one chapter per article, images embedded"
    #: Option dataclass.
    options_class = EpubOptions
    #: Tells the CLI to fetch article images before export.
    uses_images = True

    def render(self, collection: Collection, progress: Progress) -> bytes:
        """Build the book; with ``--max-size``, shrink images until it fits or raise ExportError."""
        settings = self._settings()
        info = _book_info(collection)
        groups = group_articles(collection.articles, self.options.group_by)
        sources = self._usable_images(collection, groups)
        width = self.options.max_image_width
        images = self._prepare_images(sources, settings.cover or _generated_cover(collection, info), width)
        # An image that failed to decode is warned about once, not again at each --max-size step.
        sources = {src: asset for src, asset in sources.items() if src in images}
        chapters = self._chapters(groups, images, info, settings, progress)
        data = self._package(info, groups, chapters, images, settings)
        if settings.max_size is not None and len(data) > settings.max_size:
            data = self._fit(data, settings, info, groups, images, sources, collection)
        return data

    # -- steps ------------------------------------------------------------------------------------
    def _settings(self) -> _Settings:
        """Check the options and read the files they name; problems raise ExportError."""
        opts = self.options
        if opts.group_by not in GROUPS:
            raise ExportError(f"--group-by must be one of {', '.join(GROUPS)}, not {opts.group_by!r}")
        if opts.max_image_width < _MIN_IMAGE_WIDTH:
            raise ExportError(f"--max-image-width must be at least {_MIN_IMAGE_WIDTH} pixels")
        try:
            max_size = parse_size(opts.max_size) if opts.max_size is not None else None
        except ValueError as exc:
            raise ExportError(f"--max-size: {exc}") from None
        css = None
        if opts.css is not None:
            try:
                css = opts.css.read_bytes()
                css.decode("utf-8")
            except OSError as exc:
                raise ExportError(f"--css {opts.css}: {exc.strerror or exc}") from None
            except UnicodeDecodeError:
                raise ExportError(f"--css {opts.css}: not UTF-8 text") from None
        cover = None
        if opts.cover is not None:
            try:
                data = opts.cover.read_bytes()
            except OSError as exc:
                raise ExportError(f"--cover {opts.cover}: {exc.strerror or exc}") from None
            cover = Asset(src=str(opts.cover), media_type="", data=data)
            try:
                prepare_image(cover, opts.max_image_width)
            except ImagePreparationError:
                raise ExportError(
                    f"--cover {opts.cover}: not an image Pillow can read (use JPEG, PNG, GIF or WebP)"
                ) from None
        return _Settings(max_size, css, cover)

    def _usable_images(self, collection: Collection, groups: Groups) -> dict[str, Asset]:
        """Assets of the images the book shows, in order of first appearance; unknown sources are dropped."""
        sources: dict[str, Asset] = {}
        for _, articles in groups:
            for article in articles:
                for image in article_images(article):
                    asset = collection.assets.get(image.src) if image.src else None
                    if asset is not None:
                        sources.setdefault(image.src, asset)
        return sources

    def _prepare_images(self, sources: dict[str, Asset], cover: Asset, width: int, quality: int = 85) -> PreparedImages:
        """Each usable image and the cover, at most ``width`` wide; undecodable ones are warned about and left out."""
        prepared: PreparedImages = {}
        cover_image = prepare_image(cover, width, grayscale=self.options.grayscale, jpeg_quality=quality)
        prepared[""] = (f"{_IMAGE_DIR}/cover.{cover_image.extension}", cover_image)
        for n, (src, asset) in enumerate(sources.items(), start=1):
            try:
                image = prepare_image(asset, width, grayscale=self.options.grayscale, jpeg_quality=quality)
            except ImagePreparationError as exc:
                log.warning("image dropped: %s", exc)
                continue
            prepared[src] = (f"{_IMAGE_DIR}/i{n:04d}.{image.extension}", image)
        return prepared

    def _chapters(
        self, groups: Groups, images: PreparedImages, info: _BookInfo, settings: _Settings, progress: Progress
    ) -> list[_Chapter]:
        """Every article's chapter in book order; the XHTML is rendered as the zip is written, reporting progress."""
        total = sum(len(articles) for _, articles in groups)
        digits = max(4, len(str(total)))
        stylesheets = [f"../{_STYLE_DIR}/book.css"] + ([f"../{_STYLE_DIR}/user.css"] if settings.css else [])
        jobs: list[tuple[Article, str]] = []
        for _, articles in groups:
            for article in articles:
                if not _xml_text(article.title).strip():
                    # A title of control characters only would leave an empty nav entry, which is invalid.
                    article = article.with_changes(title=f"Article {len(jobs) + 1}")
                jobs.append((article, _language(article.language) or info.language))
        paths = {src: f"../{name}" for src, (name, _) in images.items() if src}
        contents = _ChapterContents(jobs, stylesheets, paths, progress)
        chapters: list[_Chapter] = []
        for n, (article, lang) in enumerate(jobs, start=1):
            uid = f"a{n:0{digits}d}"
            chapters.append(_Chapter(uid, f"{_TEXT_DIR}/{uid}.xhtml", _xml_text(article.title), lang, n - 1, contents))
        return chapters

    def _package(
        self, info: _BookInfo, groups: Groups, chapters: list[_Chapter], images: PreparedImages, settings: _Settings
    ) -> bytes:
        """Assemble the ebooklib book and write it as reproducible zip bytes; then stop the chapter renderer."""
        try:
            return self._write_book(info, groups, chapters, images, settings)
        finally:
            chapters[0].contents.close()

    def _write_book(
        self, info: _BookInfo, groups: Groups, chapters: list[_Chapter], images: PreparedImages, settings: _Settings
    ) -> bytes:
        book = epub.EpubBook()
        book.set_identifier(info.identifier)
        book.set_title(info.title)
        book.set_language(info.language)
        rtl = _direction(info.language) == "rtl"
        if rtl:
            book.set_direction("rtl")
        for n, author in enumerate(info.authors):
            # Each creator needs its own id, or the OPF repeats one.
            book.add_author(author, uid=f"creator{n}")
        if info.publisher:
            book.add_metadata("DC", "publisher", info.publisher)
        book.add_metadata("DC", "description", info.description)
        book.add_metadata("DC", "date", _utc_stamp(info.built))

        links = [("book.css", _default_css())] + ([("user.css", settings.css)] if settings.css else [])
        for name, css in links:
            book.add_item(
                epub.EpubItem(
                    uid=f"css-{name[:-4]}", file_name=f"{_STYLE_DIR}/{name}", media_type="text/css", content=css
                )
            )

        cover_name, cover = images[""]
        book.set_template("cover", _COVER_PAGE)
        book.set_cover(cover_name, cover.data)
        cover_page = book.get_item_with_id("cover")
        cover_page.title = info.title
        # A cover page in the spine must be linear (EPUBCheck OPF-096 otherwise).
        cover_page.is_linear = True
        for name, _ in links:
            cover_page.add_link(href=f"{_STYLE_DIR}/{name}", rel="stylesheet", type="text/css")

        for src, (file_name, image) in images.items():
            if src:
                book.add_item(
                    epub.EpubImage(
                        uid=Path(file_name).stem, file_name=file_name, media_type=image.media_type, content=image.data
                    )
                )

        documents = [book.add_item(_ChapterDocument(c)) for c in chapters]
        nav = book.add_item(epub.EpubNav(direction="rtl" if rtl else None))
        for name, _ in links:
            # The navigation document is a page readers show: it gets the stylesheets too.
            nav.add_link(href=f"{_STYLE_DIR}/{name}", rel="stylesheet", type="text/css")
        book.add_item(epub.EpubNcx())

        book.toc = _toc(groups, documents)
        book.spine = [cover_page, nav, *documents]
        book.guide = [
            {"type": "cover", "href": cover_page.file_name, "title": cover_page.title},
            {"type": "toc", "href": nav.file_name, "title": info.title},
            {"type": "text", "item": documents[0]},
        ]
        writer = _ReproducibleEpubWriter(book, info.built)
        writer.process()
        writer.write()  # chapters are rendered as the writer asks for them
        return writer.file_name.getvalue()

    def _fit(
        self,
        data: bytes,
        settings: _Settings,
        info: _BookInfo,
        groups: Groups,
        images: PreparedImages,
        sources: dict[str, Asset],
        collection: Collection,
    ) -> bytes:
        """Downscale images step by step until the book fits ``--max-size``; ExportError when it cannot."""
        limit = settings.max_size
        text_size = len(data) - sum(len(image.data) for _, image in images.values())
        if text_size > limit:
            raise ExportError(
                f"the book is {_megabytes(len(data))} and its text alone takes {_megabytes(text_size)}, "
                f"over --max-size {_megabytes(limit)}: export fewer articles or raise --max-size"
            )
        cover = settings.cover or _generated_cover(collection, info)
        width = max(image.width for _, image in images.values())
        quality = 85
        while len(data) > limit:
            width = int(width * 0.8)
            quality = max(50, quality - 8)
            if width < MIN_FIT_WIDTH:
                raise ExportError(
                    f"the book is still over --max-size {_megabytes(limit)} with images {MIN_FIT_WIDTH} pixels wide "
                    f"(text {_megabytes(text_size)}): export fewer articles, use --grayscale or raise --max-size"
                )
            images = self._prepare_images(sources, cover, width, quality)
            # Images are stored, not deflated, so the book's size is known before writing it.
            if text_size + sum(len(image.data) for _, image in images.values()) <= limit:
                # Re-rendered because a re-encoded image may change its file name (GIF becomes PNG).
                chapters = self._chapters(groups, images, info, settings, lambda done, total: None)
                data = self._package(info, groups, chapters, images, settings)
        return data


class _ChapterDocument(epub.EpubHtml):
    """An article chapter whose XHTML we serialise (ebooklib would re-parse and reformat it)."""

    def __init__(self, chapter: _Chapter):
        super().__init__(
            uid=chapter.uid,
            file_name=chapter.file_name,
            title=chapter.title,
            lang=chapter.lang,
            media_type="application/xhtml+xml",
        )
        self.chapter = chapter

    def get_content(self, default=None) -> bytes:
        """The chapter's XHTML bytes, rendered when the writer asks for them (or just before, in a worker)."""
        return self.chapter.contents.get(self.chapter.index)


#: Chapters per task given to a process when a long book is rendered with workers
#: (:func:`exporters.parallel.map_chunks`).
_RENDER_CHUNK = 16


class _ChapterContents:
    """Chapters' XHTML by index, rendered in book order as the writer asks for them.

    A long book's chapters are rendered in chunks by this process and a forked worker (which
    inherits the articles); this process also deflates them, and renders later chunks itself
    whenever the next one is still in the worker's hands.
    """

    def __init__(
        self, jobs: list[tuple[Article, str]], stylesheets: list[str], paths: dict[str, str], progress: Progress
    ):
        self._progress, self._total = progress, len(jobs)
        self._ready: dict[int, bytes] = {}
        size = _RENDER_CHUNK if uses_workers(len(jobs)) else 1  # alone, progress is reported chapter by chapter

        def render(chunk: Sequence[tuple[Article, str]]) -> list[bytes]:
            bodies = bodies_once([article.body for article, _ in chunk])
            return [
                _render_chapter(article, lang, stylesheets, paths, body) for (article, lang), body in zip(chunk, bodies)
            ]

        self._stream = map_chunks(render, jobs, size)

    def get(self, index: int) -> bytes:
        """Chapter ``index``'s XHTML."""
        while index not in self._ready:
            for content in next(self._stream):
                self._ready[len(self._ready)] = content
            self._progress(len(self._ready), self._total)
        return self._ready[index]

    def close(self) -> None:
        """Stop the worker, if there is one (it has finished unless writing failed)."""
        self._stream.close()


def _render_chapter(
    article: Article, lang: str, stylesheets: list[str], paths: dict[str, str], body: Sequence[Block]
) -> bytes:
    return chapter_xhtml(article, lang, stylesheets, lambda image: paths.get(image.src) if image.src else None, body)


class _FixedTimeZip(zipfile.ZipFile):
    """A zip whose entries all carry one timestamp; images are stored, everything else deflated."""

    def __init__(self, file, date_time: tuple[int, ...]):
        super().__init__(file, "w", zipfile.ZIP_DEFLATED)
        self.fixed_date_time = date_time

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        """Write one entry with the fixed time and Unix permissions, whatever the host or clock."""
        name = zinfo_or_arcname.filename if isinstance(zinfo_or_arcname, zipfile.ZipInfo) else zinfo_or_arcname
        info = zipfile.ZipInfo(name, date_time=self.fixed_date_time)
        info.create_system = 3
        info.external_attr = 0o644 << 16
        if compress_type is None:
            compress_type = zipfile.ZIP_STORED if name.endswith((".jpg", ".png", ".gif")) else zipfile.ZIP_DEFLATED
        super().writestr(info, data, compress_type=compress_type, compresslevel=6 if compress_type else None)


class _ReproducibleEpubWriter(epub.EpubWriter):
    """ebooklib's writer into memory, with a fixed ``dcterms:modified`` and fixed zip entry times."""

    def __init__(self, book: epub.EpubBook, built: datetime):
        super().__init__(
            io.BytesIO(),
            book,
            {
                "mtime": built.astimezone(UTC),
                # The page list would re-parse every chapter to find page breaks; articles have none.
                "epub3_pages": False,
            },
        )
        self.date_time = zip_date_time(built)

    def write(self) -> None:
        """Same parts as ebooklib's ``write``, into a fixed-time zip; errors propagate to the caller."""
        self.out = _FixedTimeZip(self.file_name, self.date_time)
        self.out.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        self._write_container()
        self._write_opf()
        self._write_items()
        self.out.close()


# -- chapters -------------------------------------------------------------------------------------
def chapter_xhtml(
    article: Article, lang: str, stylesheets: list[str], image_src: Callable[[Image], str | None], body: Sequence[Block]
) -> bytes:
    """One article as an XHTML chapter: header (title, byline, site, date, link), lead image, body.

    ``body`` is the article's body converted (see :func:`~exporters.htmlblocks.bodies_once`)."""
    header = [f'<h1 class="title">{escape(article.title, quote=False)}</h1>']
    if article.authors:
        header.append(f'<p class="byline">{escape(", ".join(article.authors), quote=False)}</p>')
    dateline = []
    site = site_of(article)
    if site:
        dateline.append(f'<span class="site">{escape(site, quote=False)}</span>')
    if article.published:
        day = article.published.date().isoformat()
        dateline.append(f'<time datetime="{_html_datetime(article.published)}">{day}</time>')
    if dateline:
        header.append(f'<p class="dateline">{" · ".join(dateline)}</p>')
    url = safe_url(article.url)
    if url:
        link = f'<a href="{escape(valid_url(url))}">{escape(_display_url(url), quote=False)}</a>'
        header.append(f'<p class="source">{link}</p>')

    blocks = body
    if _lead_image_is_separate(article, blocks):
        blocks = (article.image, *blocks)
    if not blocks and article.summary:
        blocks = (*blocks, Paragraph((Span(article.summary),)))
    # Without a declared language, the title's script decides the direction.
    direction = _direction(lang, "" if _language(article.language) else article.title)
    text = _CHAPTER.format(
        lang=escape(lang),
        dir=direction,
        title=escape(article.title, quote=False),
        links="\n".join(f'<link rel="stylesheet" type="text/css" href="{href}"/>' for href in stylesheets),
        header="\n".join(header),
        body=render_blocks(blocks, image_src, link_href=valid_url),
    )
    return strip_control(text).encode("utf-8")


def _lead_image_is_separate(article: Article, body: Sequence[Block]) -> bool:
    """Whether the article's lead image must be shown above the body (the body does not show it already)."""
    if not article.image or not article.image.src:
        return False
    return all(image.src != article.image.src for image in body_images(body))


def _toc(groups: Groups, documents: list[epub.EpubHtml]) -> list:
    """The nav/NCX tree: chapters, or one section per group linking to its first chapter."""
    if len(groups) == 1 and groups[0][0] is None:
        return list(documents)
    toc = []
    start = 0
    for title, articles in groups:
        members = documents[start : start + len(articles)]
        start += len(articles)
        toc.append((epub.Section(_xml_text(title), href=members[0].file_name), members))
    return toc


# -- book metadata --------------------------------------------------------------------------------
def _book_info(collection: Collection) -> _BookInfo:
    articles = collection.articles
    dates = collection.date_range
    date_range = ""
    if dates:
        first, last = (d.date().isoformat() for d in dates)
        date_range = first if first == last else f"{first} – {last}"
    title = _xml_text(collection.title.strip()) or ("Saved articles" + (f", {date_range}" if date_range else ""))
    languages = Counter(lang for lang in (_language(a.language) for a in articles) if lang)
    language = _language(collection.language) or (languages.most_common(1)[0][0] if languages else "en")
    authors = collection.authors
    if not authors:
        seen = list(dict.fromkeys(name for a in articles for name in a.authors))
        authors = tuple(seen) if 0 < len(seen) <= 3 else (("Various authors",) if seen else ())
    sites = list(dict.fromkeys(site for site in (site_of(a) for a in articles) if site))
    count = f"{len(articles)} article" + ("" if len(articles) == 1 else "s")
    # The identifier names the contents: the same articles in the same order keep the same book id.
    digest = hashlib.sha1("\n".join([title, *(a.id for a in articles)]).encode("utf-8")).digest()
    return _BookInfo(
        title=title,
        language=language,
        identifier="urn:uuid:" + str(uuid.UUID(bytes=digest[:16], version=5)),
        authors=tuple(_xml_text(a) for a in authors if a.strip()),
        publisher=_xml_text(sites[0]) if len(sites) == 1 else "",
        description=count + (f", {date_range}" if date_range else ""),
        date_range=date_range,
        built=collection.generated or _latest_date(articles),
    )


def _generated_cover(collection: Collection, info: _BookInfo) -> Asset:
    """The drawn cover: collection title (or "Saved articles"), date range, count, first headlines."""
    count = f"{len(collection.articles)} article" + ("" if len(collection.articles) == 1 else "s")
    text = CoverText(
        title=collection.title.strip() or "Saved articles",
        subtitle=tuple(line for line in (info.date_range, count) if line),
        headlines=tuple(a.title for a in collection.articles[:8]),
    )
    return Asset(src="cover.png", media_type="image/png", data=cover_png(text))


def _latest_date(articles) -> datetime:
    dates = [d for a in articles for d in (a.published, a.updated) if d]
    return max(dates) if dates else datetime(1980, 1, 1, tzinfo=UTC)


def _default_css() -> bytes:
    return resources.files("exporters").joinpath("data/epub.css").read_bytes()


# -- small text helpers ---------------------------------------------------------------------------
def _language(tag: str | None) -> str | None:
    """A well-formed BCP 47 tag (``en_US`` becomes ``en-US``), or None for anything else."""
    if not tag:
        return None
    tag = tag.strip().replace("_", "-")
    if not _LANGUAGE_TAG.match(tag):
        return None
    primary, _, rest = tag.partition("-")
    return primary.lower() + (f"-{rest}" if rest else "")


def _direction(lang: str, text: str = "") -> str:
    """``rtl`` for right-to-left languages (or text whose first strong letter is RTL), else ``ltr``."""
    if lang.split("-")[0] in _RTL_LANGUAGES:
        return "rtl"
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def _xml_text(text: str | None) -> str:
    return strip_control(text or "")


def _display_url(url: str) -> str:
    """Host and path of ``url`` for the "original article" link, shortened past 70 characters."""
    parts = urlsplit(url)
    shown = (parts.hostname or "").removeprefix("www.") + (parts.path if parts.path != "/" else "")
    return shown if len(shown) <= 70 else shown[:69] + "…"


def _html_datetime(moment: datetime) -> str:
    """A valid HTML global date-time: whole seconds and a ±HH:MM offset."""
    offset = moment.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    sign = "+" if minutes >= 0 else "-"
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _utc_stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _megabytes(size: int) -> str:
    return f"{size / 10**6:.1f} MB" if size >= 10**6 else f"{round(size / 1000)} KB"
