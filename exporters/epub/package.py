"""The EPUB package: book metadata, then the zip written with ebooklib (the only module touching it).

ebooklib builds the OPF metadata, manifest, spine, guide, the EPUB 3 navigation document and
the NCX. The zip is written by ``_ReproducibleEpubWriter``: fixed entry times from the
collection's build time, ``mimetype`` first and stored, images stored (they are compressed
already), so the same input gives the same bytes and nothing is deflated twice.
"""

from __future__ import annotations

import hashlib
import io
import uuid
import zipfile
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from ebooklib import epub
from lxml import etree

from exporters.epub.chapters import STYLE_DIR, Chapter, direction, language_tag, xml_text
from exporters.epub.images import EmbeddedImage
from exporters.model import Collection
from exporters.pipeline.dates import zip_date_time
from exporters.pipeline.grouping import Groups, site_of

__all__ = ["BookInfo", "book_info", "write_package", "PreparedImages", "IMAGE_DIR"]

IMAGE_DIR = "images"
#: Images as stored: by source (the cover under ""), (file name in the book, prepared bytes).
PreparedImages = dict[str, tuple[str, EmbeddedImage]]

#: Title of the table of contents: its heading, and its entry among the landmarks and in the guide.
CONTENTS = "Contents"
_NCX = {"ncx": "http://www.daisy.org/z3986/2005/ncx/"}
_COVER_PAGE = b"""<html><body><div class="cover-page"><img src="" alt=""/></div></body></html>"""


@dataclass(frozen=True)
class BookInfo:
    """Book-level metadata derived once from the collection."""

    title: str
    language: str
    identifier: str
    authors: tuple[str, ...]
    publisher: str
    description: str
    date_range: str
    built: datetime


def book_info(collection: Collection) -> BookInfo:
    """Title, language, identifier, creators and dates of the book made of ``collection``."""
    articles = collection.articles
    dates = collection.date_range
    date_range = ""
    if dates:
        first, last = (d.date().isoformat() for d in dates)
        date_range = first if first == last else f"{first} – {last}"
    title = xml_text(collection.title.strip()) or ("Saved articles" + (f", {date_range}" if date_range else ""))
    languages = Counter(lang for lang in (language_tag(a.language) for a in articles) if lang)
    language = language_tag(collection.language) or (languages.most_common(1)[0][0] if languages else "en")
    authors = collection.authors
    if not authors:
        seen = list(dict.fromkeys(name for a in articles for name in a.authors))
        authors = tuple(seen) if 0 < len(seen) <= 3 else (("Various authors",) if seen else ())
    sites = list(dict.fromkeys(site for site in (site_of(a) for a in articles) if site))
    count = f"{len(articles)} article" + ("" if len(articles) == 1 else "s")
    # The identifier names the contents: the same articles in the same order keep the same book id.
    digest = hashlib.sha1("\n".join([title, *(a.id for a in articles)]).encode("utf-8")).digest()
    return BookInfo(
        title=title,
        language=language,
        identifier="urn:uuid:" + str(uuid.UUID(bytes=digest[:16], version=5)),
        authors=tuple(xml_text(a) for a in authors if a.strip()),
        publisher=xml_text(sites[0]) if len(sites) == 1 else "",
        description=count + (f", {date_range}" if date_range else ""),
        date_range=date_range,
        built=collection.generated or _latest_date(articles),
    )


def write_package(
    info: BookInfo, groups: Groups, chapters: list[Chapter], images: PreparedImages, user_css: bytes | None
) -> bytes:
    """Assemble the ebooklib book and write it as reproducible zip bytes; then stop the chapter renderer."""
    try:
        return _write_book(info, groups, chapters, images, user_css)
    finally:
        chapters[0].contents.close()


def _write_book(
    info: BookInfo, groups: Groups, chapters: list[Chapter], images: PreparedImages, user_css: bytes | None
) -> bytes:
    book = epub.EpubBook()
    book.set_identifier(info.identifier)
    book.set_title(info.title)
    book.set_language(info.language)
    rtl = direction(info.language) == "rtl"
    if rtl:
        book.set_direction("rtl")
    for n, author in enumerate(info.authors):
        # Each creator needs its own id, or the OPF repeats one.
        book.add_author(author, uid=f"creator{n}")
    if info.publisher:
        book.add_metadata("DC", "publisher", info.publisher)
    book.add_metadata("DC", "description", info.description)
    book.add_metadata("DC", "date", _utc_stamp(info.built))

    links = [("book.css", _default_css())] + ([("user.css", user_css)] if user_css else [])
    for name, css in links:
        book.add_item(
            epub.EpubItem(uid=f"css-{name[:-4]}", file_name=f"{STYLE_DIR}/{name}", media_type="text/css", content=css)
        )

    cover_name, cover = images[""]
    book.set_template("cover", _COVER_PAGE)
    book.set_cover(cover_name, cover.data)
    cover_page = book.get_item_with_id("cover")
    cover_page.title = info.title
    # A cover page in the spine must be linear (EPUBCheck OPF-096 otherwise).
    cover_page.is_linear = True
    for name, _ in links:
        cover_page.add_link(href=f"{STYLE_DIR}/{name}", rel="stylesheet", type="text/css")

    for src, (file_name, image) in images.items():
        if src:
            book.add_item(
                epub.EpubImage(
                    uid=Path(file_name).stem, file_name=file_name, media_type=image.media_type, content=image.data
                )
            )

    documents = [book.add_item(_ChapterDocument(c)) for c in chapters]
    nav = book.add_item(epub.EpubNav(direction="rtl" if rtl else None))
    # The heading readers show above the table of contents (ebooklib would repeat the book's title).
    nav.title = CONTENTS
    for name, _ in links:
        # The navigation document is a page readers show: it gets the stylesheets too.
        nav.add_link(href=f"{STYLE_DIR}/{name}", rel="stylesheet", type="text/css")
    book.add_item(epub.EpubNcx())

    book.toc = _toc(groups, documents)
    book.spine = [cover_page, nav, *documents]
    book.guide = [
        {"type": "cover", "href": cover_page.file_name, "title": cover_page.title},
        {"type": "toc", "href": nav.file_name, "title": CONTENTS},
        {"type": "text", "item": documents[0]},
    ]
    writer = _ReproducibleEpubWriter(book, info.built)
    writer.process()
    writer.write()  # chapters are rendered as the writer asks for them
    return writer.file_name.getvalue()


class _ChapterDocument(epub.EpubHtml):
    """An article chapter whose XHTML we serialise (ebooklib would re-parse and reformat it)."""

    def __init__(self, chapter: Chapter):
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


def _toc(groups: Groups, documents: list[epub.EpubHtml]) -> list:
    """The nav/NCX tree: chapters, or one section per group linking to its first chapter."""
    if len(groups) == 1 and groups[0][0] is None:
        return list(documents)
    toc = []
    start = 0
    for title, articles in groups:
        members = documents[start : start + len(articles)]
        start += len(articles)
        toc.append((epub.Section(xml_text(title), href=members[0].file_name), members))
    return toc


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

    def _get_ncx(self) -> bytes:
        """ebooklib's NCX with ``dtb:depth`` saying how deep the table of contents is (ebooklib writes 0)."""
        root = etree.fromstring(super()._get_ncx())
        depth = root.find("ncx:head/ncx:meta[@name='dtb:depth']", _NCX)
        depth.set("content", str(_depth(self.book.toc)))
        return etree.tostring(root, pretty_print=True, encoding="utf-8", xml_declaration=True)

    def write(self) -> None:
        """Same parts as ebooklib's ``write``, into a fixed-time zip; errors propagate to the caller."""
        self.out = _FixedTimeZip(self.file_name, self.date_time)
        self.out.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        self._write_container()
        self._write_opf()
        self._write_items()
        self.out.close()


def _depth(toc: list) -> int:
    """Levels of a table of contents: 1 for chapters alone, 2 for chapters in sections."""
    return 1 + max((_depth(entry[1]) for entry in toc if isinstance(entry, tuple)), default=0) if toc else 0


def _latest_date(articles) -> datetime:
    dates = [d for a in articles for d in (a.published, a.updated) if d]
    return max(dates) if dates else datetime(1980, 1, 1, tzinfo=UTC)


def _default_css() -> bytes:
    return resources.files("exporters").joinpath("data/epub.css").read_bytes()


def _utc_stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
