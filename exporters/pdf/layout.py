"""One article → reportlab flowables: header, lead image, body blocks, link notes.

Paragraphs longer than a few pages are laid out in pieces (reportlab re-wraps the rest of a
paragraph each time it splits one across a page, which grows with the square of its length).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from PIL import Image as PILImage
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, XPreformatted
from reportlab.platypus import Image as ImageFlowable

from exporters.model import (
    Article,
    Asset,
    Block,
    Heading,
    Image,
    Inline,
    ListBlock,
    Preformatted,
    Quote,
    Span,
    plain_text,
)
from exporters.model import Paragraph as ParagraphBlock
from exporters.model import Table as TableBlock
from exporters.pdf.direction import BidiParagraph, RtlParagraph, has_rtl, paragraph_is_rtl
from exporters.pdf.flowables import KeepLinesParagraph, LaterFlowables
from exporters.pdf.fonts import FontSet
from exporters.pdf.markup import LinkTargets, _runs, format_date, link, markup
from exporters.pdf.styles import Styles
from exporters.pdf.tables import table_flowables
from exporters.pipeline.assets import body_images

__all__ = ["ArticleLayout", "make_paragraph"]

# Ideographs, kana, hangul and CJK punctuation: text made of them has no spaces to break at.
_CJK = re.compile(
    "[\u2e80-\u2fdf\u3000-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]"
)
#: Characters of a paragraph laid out as one piece; a longer one is cut at spaces into pieces this long.
PIECE = 1500


def make_paragraph(
    text: str, plain: str, styles: Styles, kind: str, language: str = "", hyphenate: str = "", indent: int = 0, **kwargs
) -> Paragraph:
    """A Paragraph of markup ``text`` (whose characters are ``plain``), bidi-aware when it holds right-to-left letters."""
    if has_rtl(plain):
        rtl = paragraph_is_rtl(plain, language)
        style = styles.get(kind, indent=indent, bidi=2 if rtl else 1)
        return (RtlParagraph if rtl else BidiParagraph)(text, style, **kwargs)
    cjk = len(_CJK.findall(plain)) * 3 > len(plain)
    return (Paragraph if cjk else KeepLinesParagraph)(text, styles.get(kind, hyphenate, cjk, indent), **kwargs)


def _pieces(text: Inline) -> list[Inline]:
    """``text`` cut at spaces into runs of about :data:`PIECE` characters (one run when it is shorter)."""
    if sum(len(span.text) for span in text) <= PIECE * 1.5:
        return [text]
    pieces: list[Inline] = []
    current: list[Span] = []
    size = 0
    for span in text:
        whole, start = span.text, 0
        while size + len(whole) - start > PIECE:
            # Offsets into the span's text, never copies of what is left: a paragraph may be megabytes.
            cut = whole.rfind(" ", start, start + max(PIECE - size, 1))
            if cut <= start:
                cut = whole.find(" ", start + PIECE - size)
                if cut < 0:
                    break
            current.append(_with_text(span, whole[start:cut]))
            pieces.append(tuple(current))
            current, size, start = [], 0, cut + 1
        if start < len(whole):
            current.append(_with_text(span, whole[start:]))
            size += len(whole) - start
    if current:
        pieces.append(tuple(current))
    return pieces


def _with_text(span: Span, text: str) -> Span:
    return Span(text, span.emphasis, span.strong, span.code, span.href)


@dataclass
class ArticleLayout:
    """Lays out one article's blocks for a column of ``width`` × ``height`` points."""

    article: Article
    styles: Styles
    assets: Mapping[str, Asset]
    width: float
    height: float
    link_notes: bool
    language: str = ""
    links: LinkTargets = field(default_factory=LinkTargets)
    notes: dict[str, int] = field(default_factory=dict)

    @property
    def fonts(self) -> FontSet:
        return self.styles.fonts

    def header(self) -> list[Flowable]:
        """Title, byline and a line with site, date and the link to the original."""
        article = self.article
        out: list[Flowable] = [self._para(article.title, "title", hyphenate=False)]
        if article.authors:
            names = article.authors
            joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
            out.append(self._para("By " + joined, "byline", hyphenate=False))
        meta = []
        if article.site_name:
            meta.append(markup(article.site_name, self.fonts))
        if article.published:
            meta.append(format_date(article.published))
        if article.url:
            shown = markup(article.url, self.fonts)
            meta.append(link(article.url, shown) if article.url.lower().startswith(("http://", "https://")) else shown)
        if meta:
            out.append(Paragraph(" · ".join(meta), self.styles.get("meta")))
        return out

    def body(self, blocks: Sequence[Block]) -> list[Flowable]:
        """The lead image, the body ``blocks`` (the article's) and, with link notes, the numbered list of its links."""
        out: list[Flowable] = []
        lead = self.article.image
        # The lead image is printed once: where the body shows it, it is not repeated above.
        if lead and not (lead.src and any(image.src == lead.src for image in body_images(blocks))):
            out.extend(self._image(lead))
        out.extend(self._blocks(blocks, 0))
        if self.link_notes and self.notes:
            out.append(Paragraph("Links", self.styles.get("h4")))
            for url, number in self.notes.items():
                out.append(
                    Paragraph(link(url, markup(url, self.fonts)), self.styles.get("note"), bulletText=f"{number}.")
                )
        return out

    def _para(self, text: Inline | str, kind: str, indent: int = 0, hyphenate: bool = True, **kwargs) -> Paragraph:
        plain = text if isinstance(text, str) else plain_text(text)
        html = markup(text, self.fonts, self.notes if self.link_notes else None, self.links)
        language = self.article.language or ""
        return make_paragraph(
            html, plain, self.styles, kind, language, self.language if hyphenate else "", indent, **kwargs
        )

    def _paragraph(self, text: Inline, kind: str, indent: int) -> list[Flowable]:
        """A paragraph; a very long one as pieces (with link notes, made now, so every link is numbered)."""
        pieces = _pieces(text)

        def piece(n: int) -> Paragraph:
            paragraph = self._para(pieces[n], kind, indent)
            if n < len(pieces) - 1:
                paragraph.style = self.styles.tight(paragraph.style)
            return paragraph

        if len(pieces) == 1 or self.link_notes:
            return [piece(n) for n in range(len(pieces))]
        return [piece(0), LaterFlowables(piece, 1, len(pieces))]

    def _blocks(self, blocks: Iterable[Block], indent: int) -> list[Flowable]:
        out: list[Flowable] = []
        text_kind = "quote" if indent else "body"
        for block in blocks:
            if isinstance(block, ParagraphBlock):
                if plain_text(block.text).strip():
                    out.extend(self._paragraph(block.text, text_kind, indent))
            elif isinstance(block, Heading):
                kind = "h2" if block.level <= 2 else "h3" if block.level == 3 else "h4"
                out.append(self._para(block.text, kind, indent, hyphenate=False))
            elif isinstance(block, Quote):
                out.extend(self._blocks(block.blocks, indent + 1))
            elif isinstance(block, ListBlock):
                for number, item in enumerate(block.items, 1):
                    bullet = f"{number}." if block.ordered else "•"
                    out.append(self._para(item, "list", indent, bulletText=bullet))
            elif isinstance(block, Preformatted):
                out.append(self._code(block.text))
            elif isinstance(block, Image):
                out.extend(self._image(block))
            elif isinstance(block, TableBlock):
                out.extend(self._table(block))
        return out

    def _code(self, text: str) -> Flowable:
        """Code in the mono font, long lines broken at the column width (XPreformatted never wraps)."""
        style = self.styles.get("code")
        per_line = max(8, int(self.width / (style.fontSize * 0.602)))
        lines: list[str] = []
        for line in text.expandtabs(4).splitlines() or [""]:
            lines.extend(line[i : i + per_line] for i in range(0, max(len(line), 1), per_line))
        return XPreformatted(_runs("\n".join(lines), self.fonts.mono, self.fonts), style)

    def _image(self, image: Image) -> list[Flowable]:
        """An image scaled to the column (never taller than most of a frame) with its caption and credit."""
        caption = " — ".join(t for t in (image.caption, image.credit) if t)
        caption_para = [self._para(caption, "caption", hyphenate=False)] if caption else []
        if not image.src:
            return caption_para
        asset = self.assets.get(image.src)
        if asset is None:
            return []
        width, height = asset.width, asset.height
        if not (width and height):
            with PILImage.open(io.BytesIO(asset.data)) as img:
                width, height = img.size
        # 0.75 pt per pixel (96 dpi) unless that overflows: small images stay small.
        scale = min(0.75, self.width / width, self.height * 0.7 / height)
        picture = ImageFlowable(io.BytesIO(asset.data), width=width * scale, height=height * scale)
        picture.hAlign = "CENTER"
        return [KeepTogether([Spacer(1, self.styles.size * 0.3), picture, *caption_para])]

    def _table(self, table: TableBlock) -> list[Flowable]:
        """A table whose columns share the column width (in groups of columns when there are too many to read);
        header rows repeat on each page while they fit (see :mod:`exporters.pdf.tables`)."""
        rows = [*table.header, *table.rows]
        columns = max((len(r) for r in rows), default=0)
        if not columns:
            return []

        def cell(row: int, column: int) -> Flowable | str:
            cells = rows[row]
            kind = "headcell" if row < len(table.header) else "cell"
            return self._para(cells[column], kind, hyphenate=False) if column < len(cells) else ""

        style = self.styles.get("cell")
        frame = (self.width, self.height)
        tables = table_flowables(cell, len(rows), len(table.header), columns, style.fontName, style.fontSize, frame)
        for flowable in tables:
            # Room between the grid and the text around it, as a paragraph keeps from the next.
            flowable.spaceBefore = self.styles.size * 0.3
            flowable.spaceAfter = self.styles.get("body").spaceAfter + self.styles.size * 0.3
        return tables
