"""The PDF book itself: reportlab layout of a collection, once, with placeholders for late numbers.

Imported by :class:`exporters.pdf.PdfExporter` only when a PDF is rendered, so other commands
never pay for importing reportlab.
"""

from __future__ import annotations

import hashlib
import io
import math
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFObject, PDFStream, PDFString
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    ActionFlowable,
    BaseDocTemplate,
    Flowable,
    Frame,
    FrameBreak,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
)
from reportlab.platypus.flowables import HRFlowable

from exporters.exporter import ExportError, Progress
from exporters.model import Article, Collection
from exporters.pdf.exporter import PdfOptions
from exporters.pdf.fonts import FontSet
from exporters.pdf.layout import (
    RULE_COLOR,
    ArticleLayout,
    Styles,
    article_text,
    format_date,
    hyphenation_language,
    markup,
)
from exporters.pipeline.grouping import group_articles

__all__ = ["BookDocument"]

PAPER = {"a4": A4, "letter": LETTER}


@dataclass(frozen=True)
class _Entry:
    """One article in reading order, with the section it is grouped under (if any)."""

    index: int
    article: Article
    section: str | None
    opens_section: bool


def _reading_order(articles: tuple[Article, ...], group_by: str) -> list[_Entry]:
    """Articles in their order, or grouped by section (sections in order of first appearance)."""
    entries: list[_Entry] = []
    for section, members in group_articles(articles, group_by, date_label=format_date):
        for position, article in enumerate(members):
            entries.append(_Entry(len(entries), article, section, section is not None and position == 0))
    return entries


class _Marker(Flowable):
    """A zero-size flowable that tells the document where (on which page) something begins."""

    def __init__(self, on_draw: Callable[[object], None]):
        super().__init__()
        self.width = self.height = 0
        self._on_draw = on_draw

    def wrap(self, available_width, available_height):
        return 0, 0

    def draw(self):
        self._on_draw(self.canv)


class _ArticlePlaceholder(ActionFlowable):
    """Stands in the story for an article until layout reaches it (see BookDocument.filterFlowables)."""

    def __init__(self, entry: _Entry):
        super().__init__()
        self.entry = entry

    def apply(self, doc):
        return None


class _TocEntry(Flowable):
    """A contents line: the title, wrapped, and its page number (a form defined after layout), linked."""

    def __init__(self, paragraph: Paragraph, number_form: str, key: str, number_width: float, baseline_drop: float):
        super().__init__()
        self.paragraph = paragraph
        self.number_form = number_form
        self.key = key
        self.number_width = number_width
        self.baseline_drop = baseline_drop

    def wrap(self, available_width, available_height):
        _, height = self.paragraph.wrap(available_width - self.number_width, available_height)
        self.width, self.height = available_width, height
        return self.width, self.height

    def getSpaceAfter(self):
        return self.paragraph.getSpaceAfter()

    def draw(self):
        canv = self.canv
        self.paragraph.drawOn(canv, 0, 0)
        canv.saveState()
        canv.translate(self.width, self.height - self.baseline_drop)
        canv.doForm(self.number_form)
        canv.restoreState()
        canv.linkRect("", self.key, (0, 0, self.width, self.height), relative=1, thickness=0)


class BookDocument(BaseDocTemplate):
    """One collection laid out as a book; :meth:`render` returns its bytes."""

    def __init__(self, collection: Collection, options: PdfOptions, fonts: FontSet, progress: Progress):
        self.collection = collection
        self.options = options
        self.progress = progress
        self.styles = Styles(fonts, options.font_size)
        self.entries = _reading_order(collection.articles, options.group_by)
        self.book_title = collection.title.strip() or (
            collection.articles[0].title if len(collection.articles) == 1 else f"{len(collection.articles)} articles"
        )
        self.generated = collection.generated or (
            collection.date_range[1] if collection.date_range else datetime(2000, 1, 1, tzinfo=UTC)
        )
        self.start_pages: list[int] = []
        self.running_head: Paragraph | None = None
        self._buffer = io.BytesIO()
        width, height = PAPER[options.paper]
        margin = options.margin * mm
        super().__init__(
            self._buffer,
            pagesize=(width, height),
            leftMargin=margin,
            rightMargin=margin,
            topMargin=margin,
            bottomMargin=margin,
            title=self.book_title,
            author=self._author(),
            subject=self._subject(),
            creator="newsexport",
            lang=collection.language or self.entries[0].article.language or None,
            invariant=1,
            initialFontName=fonts.body.name,
            initialFontSize=options.font_size,
        )
        self.gap = options.font_size * 1.6
        self.column_width = (self.width - self.gap * (options.columns - 1)) / options.columns
        if self.column_width < 100:
            raise ExportError(
                f"pdf: {options.columns} columns leave {self.column_width / mm:.0f} mm each; "
                "use fewer columns, smaller margins or bigger paper"
            )
        self.addPageTemplates(
            [
                PageTemplate(
                    "cover", [self._frame(self.leftMargin, self.width, self.height)], onPageEnd=self._draw_footer
                ),
                PageTemplate(
                    "toc", [self._frame(self.leftMargin, self.width, self.height)], onPageEnd=self._draw_toc_page
                ),
                PageTemplate("columns", self._columns(self.height), onPageEnd=self._draw_body_page),
                PageTemplate("start", self._columns(self.height), onPageEnd=self._draw_footer),
            ]
        )

    # -- metadata -------------------------------------------------------------------------------

    def _author(self) -> str:
        names = list(self.collection.authors) or list(
            dict.fromkeys(n for a in self.collection.articles for n in a.authors)
        )
        return ", ".join(names[:5]) + (" and others" if len(names) > 5 else "")

    def _subject(self) -> str:
        count = len(self.collection.articles)
        text = f"{count} article{'s' if count != 1 else ''}"
        if self.collection.date_range:
            text += ", " + self._date_span()
        return text

    def _date_span(self) -> str:
        first, last = self.collection.date_range
        return format_date(first) if first.date() == last.date() else f"{format_date(first)} – {format_date(last)}"

    # -- page geometry --------------------------------------------------------------------------

    def _frame(self, x: float, width: float, height: float, y: float | None = None) -> Frame:
        return Frame(
            x,
            self.bottomMargin if y is None else y,
            width,
            height,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )

    def _columns(self, height: float) -> list[Frame]:
        step = self.column_width + self.gap
        return [self._frame(self.leftMargin + n * step, self.column_width, height) for n in range(self.options.columns)]

    def _start_template(self, header_height: float) -> str:
        """A page template with a full-width frame of exactly ``header_height`` over the columns."""
        height = math.ceil(header_height) + 2
        name = f"start-{height}"
        if not any(t.id == name for t in self.pageTemplates):
            top = self.bottomMargin + self.height - height
            frames = [self._frame(self.leftMargin, self.width, height, y=top), *self._columns(self.height - height)]
            self.pageTemplates.append(PageTemplate(name, frames, onPageEnd=self._draw_footer))
        return name

    # -- page decoration ------------------------------------------------------------------------

    def _draw_footer(self, canv, doc) -> None:
        """ "Page X of Y" where Y is a form defined once the page count is known."""
        font, size = self.styles.fonts.body.name, self.options.font_size * 0.8
        text = f"Page {canv.getPageNumber()} of "
        y = self.bottomMargin * 0.45
        canv.saveState()
        canv.setFont(font, size)
        canv.setFillGray(0.3)
        canv.drawString(self.leftMargin, y, text)
        canv.translate(self.leftMargin + stringWidth(text, font, size), y)
        canv.doForm("page-total")
        canv.restoreState()

    def _draw_head(self, canv, paragraph: Paragraph) -> None:
        y = self.bottomMargin + self.height + self.topMargin * 0.35
        _, height = paragraph.wrap(self.width, self.topMargin)
        paragraph.drawOn(canv, self.leftMargin, y)
        canv.saveState()
        canv.setStrokeColor(RULE_COLOR)
        canv.setLineWidth(0.4)
        canv.line(self.leftMargin, y - 3, self.leftMargin + self.width, y - 3)
        canv.restoreState()

    def _draw_body_page(self, canv, doc) -> None:
        if self.running_head is not None:
            self._draw_head(canv, self.running_head)
        self._draw_footer(canv, doc)

    def _draw_toc_page(self, canv, doc) -> None:
        self._draw_head(canv, self._head_paragraph("Contents"))
        self._draw_footer(canv, doc)

    def _head_paragraph(self, left: str) -> Paragraph:
        """The running head: ``left`` (an article title) and the book title, each shortened to fit."""
        style = self.styles.get("running-head")
        room = self.width / 2 - style.fontSize
        parts = [
            markup(_shorten(left, room, style.fontName, style.fontSize), self.styles.fonts),
            markup(_shorten(self.book_title, room, style.fontName, style.fontSize), self.styles.fonts),
        ]
        return Paragraph(f"{parts[0]} · {parts[1]}" if left != self.book_title else parts[1], style)

    # -- story ----------------------------------------------------------------------------------

    def _cover(self) -> list[Flowable]:
        styles, fonts = self.styles, self.styles.fonts
        count = len(self.collection.articles)
        lines = [f"{count} article{'s' if count != 1 else ''}"]
        if self.collection.date_range:
            lines.append(self._date_span())
        if self.collection.authors:
            lines.append(", ".join(self.collection.authors))
        lines.append(f"Compiled {format_date(self.generated)}")
        return [
            Spacer(1, self.height * 0.28),
            Paragraph(markup(self.book_title, fonts), styles.get("cover-title")),
            *(Paragraph(markup(line, fonts), styles.get("cover-line")) for line in lines),
        ]

    def _contents(self) -> list[Flowable]:
        styles, fonts = self.styles, self.styles.fonts
        entry_style = styles.get("toc-entry", indent=1 if self.options.group_by != "none" else 0)
        number_width = stringWidth("00000", fonts.body.name, entry_style.fontSize)
        out: list[Flowable] = [Paragraph("Contents", styles.get("toc-heading"))]
        for entry in self.entries:
            if entry.opens_section:
                out.append(Paragraph(markup(entry.section, fonts), styles.get("toc-section")))
            paragraph = Paragraph(markup(entry.article.title, fonts), entry_style)
            out.append(
                _TocEntry(paragraph, f"toc-{entry.index}", f"a{entry.index}", number_width, entry_style.fontSize)
            )
        return out

    def _story(self) -> list[Flowable]:
        for entry in self.entries:
            # Check every character before any page exists, so a missing glyph fails fast and names its article.
            what = f"article {entry.index + 1} {entry.article.title!r}" + (
                f" ({entry.article.source})" if entry.article.source else ""
            )
            self.styles.fonts = self.styles.fonts.with_fallbacks_for(set(article_text(entry.article)), what)
        return [
            *self._cover(),
            NextPageTemplate("toc"),
            PageBreak(),
            *self._contents(),
            *(_ArticlePlaceholder(entry) for entry in self.entries),
        ]

    def filterFlowables(self, flowables):
        """Expand an article placeholder into the article's flowables when layout reaches it."""
        head = flowables[0] if flowables else None
        if isinstance(head, _ArticlePlaceholder):
            flowables[0:1] = self._article_flowables(head.entry)
            self.progress(head.entry.index + 1, len(self.entries))

    def _article_flowables(self, entry: _Entry) -> list[Flowable]:
        article = entry.article
        language = hyphenation_language(article.language or self.collection.language)
        layout = ArticleLayout(
            article,
            self.styles,
            self.collection.assets,
            self.column_width,
            self.height * 0.9,
            self.options.link_notes,
            language,
        )
        header = [
            *layout.header(),
            HRFlowable(width="100%", thickness=0.5, color=RULE_COLOR, spaceBefore=2, spaceAfter=self.options.font_size),
        ]
        markers = [_Marker(lambda canv: self._open_section(canv, entry))] if entry.opens_section else []
        markers.append(_Marker(lambda canv: self._open_article(canv, entry)))
        template, after_header = "start", []
        if self.options.columns > 1:
            height = sum(f.wrap(self.width, self.height)[1] + f.getSpaceAfter() + f.getSpaceBefore() for f in header)
            if height < self.height * 0.5:
                template, after_header = self._start_template(height), [FrameBreak()]
        return [
            NextPageTemplate(template),
            PageBreak(),
            NextPageTemplate("columns"),
            *markers,
            *header,
            *after_header,
            *layout.body(),
        ]

    def _open_section(self, canv, entry: _Entry) -> None:
        key = f"s{entry.index}"
        canv.bookmarkPage(key)
        canv.addOutlineEntry(entry.section, key, level=0, closed=False)

    def _open_article(self, canv, entry: _Entry) -> None:
        key = f"a{entry.index}"
        canv.bookmarkPage(key)
        canv.addOutlineEntry(" ".join(entry.article.title.split()), key, level=0 if entry.section is None else 1)
        self.start_pages.append(canv.getPageNumber())
        self.running_head = self._head_paragraph(entry.article.title)

    # -- finishing ------------------------------------------------------------------------------

    def render(self) -> bytes:
        """Lay out the story once, define the deferred page-number forms, and return the file's bytes."""
        story = self._story()
        self._doSave = 0  # reportlab's hook: build without saving, so the forms can be added first
        self.build(story, canvasmaker=self._canvas)
        canv = self.canv
        total = canv.getPageNumber() - 1
        font, size = self.styles.fonts.body.name, self.options.font_size
        self._define_number_form(canv, "page-total", str(total), font, size * 0.8, align_right=False)
        entry_size = self.styles.get("toc-entry").fontSize
        for entry, page in zip(self.entries, self.start_pages):
            self._define_number_form(canv, f"toc-{entry.index}", str(page), font, entry_size, align_right=True)
        canv.save()
        return self._buffer.getvalue()

    def _canvas(self, *args, **kwargs) -> Canvas:
        """A canvas whose dates and file ID derive from the collection's build time.

        reportlab takes both from ``SOURCE_DATE_EPOCH`` or the clock when the canvas is made;
        the exporter's contract is that only ``collection.generated`` decides them.
        """
        canv = _BookCanvas(*args, **kwargs)
        seconds = int(self.generated.timestamp())
        stamp = canv._doc._timeStamp
        stamp.t, stamp.lt = seconds, time.gmtime(seconds)
        stamp.YMDhms, stamp.dhh, stamp.dmm, stamp.tzname = tuple(stamp.lt)[:6], 0, 0, "UTC"
        canv._doc.signature = hashlib.md5(b"a reportlab document" + ascii(seconds).encode(), usedforsecurity=False)
        return canv

    @staticmethod
    def _define_number_form(canv, name: str, text: str, font: str, size: float, align_right: bool) -> None:
        width = stringWidth(text, font, size)
        canv.beginForm(
            name, lowerx=-width if align_right else 0, lowery=-size, upperx=0 if align_right else width, uppery=size
        )
        canv.setFont(font, size)
        canv.setFillGray(0.3 if not align_right else 0)
        (canv.drawRightString if align_right else canv.drawString)(0, 0, text)
        canv.endForm()


class _BookCanvas(Canvas):
    """A canvas that deflates each page's content stream as soon as the page is closed.

    reportlab keeps every page's operators as text until ``save``; a thousand-article book
    would hold tens of megabytes of them. The bytes are what reportlab would write anyway.
    """

    def showPage(self):
        """Close the page as reportlab does, then keep its content compressed."""
        super().showPage()
        page = self._doc.Pages.pages[-1]
        if page.stream and page.compression:
            stream = PDFStream(
                PDFDictionary({"Filter": PDFArray([PDFName("FlateDecode")])}), zlib.compress(page.stream.encode("utf8"))
            )
            page.Contents, page.stream = stream, None

    def linkURL(self, url, rect, relative=0, thickness=0, color=None, dashArray=None, kind="URI", **kw):
        """A web link, kept as its URL and rectangle until the file is written (reportlab's built
        annotation costs about 1.8 KB, and a thousand articles hold tens of thousands of links)."""
        if kind != "URI" or color is not None or dashArray or kw:
            return super().linkURL(url, rect, relative, thickness, color, dashArray, kind, **kw)
        self._addAnnotation(_WebLink(url, tuple(self._absRect(rect, relative)), thickness))
        return None


class _WebLink(PDFObject):
    """A link annotation to a URL, formatted the way reportlab's ``linkURL`` builds it."""

    __slots__ = ("url", "rect", "thickness")

    def __init__(self, url: str, rect: tuple[float, ...], thickness: float):
        self.url, self.rect, self.thickness = url, rect, thickness

    def format(self, document):
        """The annotation dictionary, built only now."""
        action = PDFDictionary({"Type": PDFName("Action"), "S": PDFName("URI"), "URI": PDFString(self.url)})
        annotation = PDFDictionary(
            {
                "Type": PDFName("Annot"),
                "Subtype": PDFName("Link"),
                "Rect": PDFArray(list(self.rect)),
                "A": action,
                "Border": PDFArray([0, 0, self.thickness or 0]),
            }
        )
        return annotation.format(document)


def _shorten(text: str, width: float, font: str, size: float) -> str:
    """``text`` on one line, cut with an ellipsis when it is wider than ``width``."""
    text = " ".join(text.split())
    if stringWidth(text, font, size) <= width:
        return text
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if stringWidth(text[:middle] + "…", font, size) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + "…"
