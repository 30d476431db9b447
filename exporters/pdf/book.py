"""The PDF book itself: reportlab layout of a collection, once, with placeholders for late numbers.

Imported by :class:`exporters.pdf.PdfExporter` only when a PDF is rendered, so other commands
never pay for importing reportlab.
"""

from __future__ import annotations

import io
import math
from datetime import UTC, datetime

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    FrameBreak,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
)
from reportlab.platypus.flowables import HRFlowable

from exporters.exporter import ExportError, Progress
from exporters.html.lazy import body_once
from exporters.model import Collection, body_text
from exporters.pdf.canvas import BookCanvas, define_number_form
from exporters.pdf.flowables import (
    ArticlePlaceholder,
    Entry,
    LaterFlowables,
    Marker,
    TocEntry,
    reading_order,
    shorten,
)
from exporters.pdf.fonts import FontSet
from exporters.pdf.layout import ArticleLayout, make_paragraph
from exporters.pdf.markup import LinkTargets, format_date, header_text, markup
from exporters.pdf.options import PAPER, PdfOptions
from exporters.pdf.styles import RULE_COLOR, Styles, hyphenation_language
from exporters.pipeline.grouping import default_title

__all__ = ["BookDocument"]


class BookDocument(BaseDocTemplate):
    """One collection laid out as a book; :meth:`render` returns its bytes, in pieces."""

    def __init__(self, collection: Collection, options: PdfOptions, fonts: FontSet, progress: Progress):
        self.collection = collection
        self.options = options
        self.progress = progress
        self.styles = Styles(fonts, options.font_size, keep_last_lines=options.columns > 1)
        self.entries = reading_order(collection.articles, options.group_by)
        self.links = LinkTargets(entry.article for entry in self.entries)
        #: Per article (by reading position), the characters no installed font has (printed as a placeholder).
        self._missing: dict[int, set[str]] = {}
        self.book_title = collection.title.strip() or default_title(collection)
        self.generated = collection.generated or (
            collection.date_range[1] if collection.date_range else datetime(2000, 1, 1, tzinfo=UTC)
        )
        self.start_pages: list[int] = []
        self.running_head: Paragraph | None = None
        width, height = PAPER[options.paper]
        margin = options.margin * mm
        super().__init__(
            io.BytesIO(),  # never written: render takes the bytes from the canvas
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
        dates = self.collection.date_range
        if dates is None:
            return ""
        first, last = dates
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
            markup(shorten(left, room, style.fontName, style.fontSize), self.styles.fonts),
            markup(shorten(self.book_title, room, style.fontName, style.fontSize), self.styles.fonts),
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
        indent = 1 if self.options.group_by != "none" else 0
        entry_style = styles.get("toc-entry", indent=indent)
        number_width = stringWidth("00000", fonts.body.name, entry_style.fontSize)
        out: list[Flowable] = [Paragraph("Contents", styles.get("toc-heading"))]
        for entry in self.entries:
            if entry.opens_section:
                out.append(Paragraph(markup(entry.section or "", fonts), styles.get("toc-section")))
            title = entry.article.title
            paragraph = make_paragraph(
                markup(title, fonts), title, styles, "toc-entry", entry.article.language or "", indent=indent
            )
            out.append(TocEntry(paragraph, f"toc-{entry.index}", f"a{entry.index}", number_width, entry_style.fontSize))
        return out

    @property
    def missing_glyphs(self) -> list[tuple[str, frozenset[str]]]:
        """Articles with characters no installed font has, in reading order, for the exporter's warning."""
        return [(self.entries[n].article.title, frozenset(chars)) for n, chars in sorted(self._missing.items())]

    def _look_up_glyphs(self, entry: Entry, text: str) -> None:
        """Add fallback fonts for the characters of ``text`` the fonts lack; note those no installed font has."""
        fonts, missing = self.styles.fonts.with_fallbacks_for(set(text))
        self.styles.fonts = fonts
        if missing:
            self._missing.setdefault(entry.index, set()).update(missing)

    def _story(self) -> list[Flowable]:
        # Titles and bylines are printed in the contents, before any article: they are looked up first;
        # a body when layout reaches it (see _article_flowables).
        for entry in self.entries:
            self._look_up_glyphs(entry, header_text(entry.article))
        return [
            *self._cover(),
            NextPageTemplate("toc"),
            PageBreak(),
            *self._contents(),
            *(ArticlePlaceholder(entry) for entry in self.entries),
        ]

    def filterFlowables(self, flowables):
        """Expand an article placeholder into the article's flowables when layout reaches it."""
        head = flowables[0] if flowables else None
        if isinstance(head, ArticlePlaceholder):
            flowables[0:1] = self._article_flowables(head.entry)
            self.progress(head.entry.index + 1, len(self.entries))
        elif isinstance(head, LaterFlowables):
            flowables[0:1] = head.expand()

    def handle_keepWithNext(self, flowables):
        """reportlab's, except that a run of keep-with-next flowables with nothing it can join (the
        story ends, or a KeepTogether follows) stops keeping: else a heading taller than a frame is
        wrapped again after every split of its group and layout never ends."""
        head = flowables[0]
        super().handle_keepWithNext(flowables)
        group = flowables[0]
        if group is not head and isinstance(group, KeepTogether) and group._content[-1].getKeepWithNext():
            group._content[-1].__dict__["keepWithNext"] = 0

    def _article_flowables(self, entry: Entry) -> list[Flowable]:
        article = entry.article
        # Converted once, for this use only: kept, every article's blocks would stay in memory to the book's end.
        blocks = body_once(article.body)
        self._look_up_glyphs(entry, body_text(blocks))
        language = hyphenation_language(article.language or self.collection.language)
        layout = ArticleLayout(
            article,
            self.styles,
            self.collection.assets,
            self.column_width,
            self.height * 0.9,
            self.options.link_notes,
            language,
            self.links,
        )
        header = [
            *layout.header(),
            HRFlowable(width="100%", thickness=0.5, color=RULE_COLOR, spaceBefore=2, spaceAfter=self.options.font_size),
        ]
        markers: list[Flowable] = []
        if entry.opens_section:
            markers.append(Marker(lambda canv: self._open_section(canv, entry)))
        markers.append(Marker(lambda canv: self._open_article(canv, entry)))
        if self.options.flow == "continuous" and entry.index > 0:
            return [*self._separator(header), *markers, *header, *layout.body(blocks)]
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
            *layout.body(blocks),
        ]

    def _separator(self, header: list[Flowable]) -> list[Flowable]:
        """Between two articles that share a page: a rule, and a new column unless the header and a few
        lines of text still fit under it."""
        size = self.options.font_size
        needed = sum(f.wrap(self.column_width, self.height)[1] + f.getSpaceAfter() for f in header) + size * 6
        return [
            CondPageBreak(needed),
            HRFlowable(width="100%", thickness=1.2, color=RULE_COLOR, spaceBefore=size * 1.2, spaceAfter=size * 1.5),
        ]

    def _open_section(self, canv, entry: Entry) -> None:
        key = f"s{entry.index}"
        canv.bookmarkPage(key)
        canv.addOutlineEntry(entry.section, key, level=0, closed=False)

    def _open_article(self, canv, entry: Entry) -> None:
        key = f"a{entry.index}"
        if self.options.flow == "continuous":
            canv.bookmarkHorizontal(key, 0, self.options.font_size * 2)
        else:
            canv.bookmarkPage(key)
        canv.addOutlineEntry(" ".join(entry.article.title.split()), key, level=0 if entry.section is None else 1)
        self.start_pages.append(canv.getPageNumber())
        self.running_head = self._head_paragraph(entry.article.title)

    # -- finishing ------------------------------------------------------------------------------

    def render(self) -> list[bytes]:
        """Lay out the story once, define the deferred page-number forms, and return the file's bytes in pieces."""
        story = self._story()
        self._doSave = 0  # reportlab's hook: build without saving, so the forms can be added first
        self.build(story, canvasmaker=self._canvas)
        canv = self.canv
        total = canv.getPageNumber() - 1
        font, size = self.styles.fonts.body.name, self.options.font_size
        define_number_form(canv, "page-total", str(total), font, size * 0.8, align_right=False)
        entry_size = self.styles.get("toc-entry").fontSize
        for entry, page in zip(self.entries, self.start_pages):
            define_number_form(canv, f"toc-{entry.index}", str(page), font, entry_size, align_right=True)
        # The pieces straight from reportlab: joined or saved into the buffer, the file would be held twice more.
        return canv.pdf_pieces()

    def _canvas(self, *args, **kwargs) -> BookCanvas:
        """A canvas whose dates and file ID derive from the collection's build time."""
        canv = BookCanvas(*args, **kwargs)
        canv.stamp(self.generated)
        return canv
