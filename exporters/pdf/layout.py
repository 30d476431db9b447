"""Article model → reportlab flowables for the PDF exporter: styles, inline markup, blocks.

reportlab's ``Paragraph`` reads a mini-markup, so every piece of article text is escaped here
and nowhere else; characters the chosen font lacks are wrapped in ``<font>`` runs of a
fallback font (see :mod:`exporters.pdffonts`).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from html import escape

import pyphen
from PIL import Image as PILImage
from reportlab.lib.colors import Color
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle, XPreformatted
from reportlab.platypus import Image as ImageFlowable

from exporters.exporter import ExportError
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
    body_text,
    plain_text,
)
from exporters.model import Paragraph as ParagraphBlock
from exporters.model import Table as TableBlock
from exporters.pdf.fonts import FontFamily, FontSet, unrenderable
from exporters.pipeline.dates import format_date

__all__ = ["Styles", "ArticleLayout", "markup", "article_text", "format_date", "hyphenation_language"]

LINK_COLOR = Color(0.1, 0.27, 0.5)
RULE_COLOR = Color(0.6, 0.6, 0.6)
# Ideographs, kana, hangul and CJK punctuation: text made of them has no spaces to break at.
_CJK = re.compile(
    "[\u2e80-\u2fdf\u3000-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]"
)
# Hebrew, Arabic, Syriac, Thaana, N'Ko and their presentation forms need bidi reordering and shaping.
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe]")


def hyphenation_language(language: str | None) -> str:
    """The pyphen dictionary for a language tag (``en-US`` → ``en_US``), or "" when there is none."""
    if not language:
        return ""
    return pyphen.language_fallback(language.replace("-", "_")) or ""


@cache
def _hyphenator(language: str) -> Callable[[str], Iterable[tuple[str, str]]]:
    """pyphen's word splitter for ``language``; given to reportlab as a callable because, given a
    language name, reportlab builds a new ``Pyphen`` dictionary for every paragraph it wraps."""
    return pyphen.Pyphen(lang=language).iterate


def article_text(article: Article) -> str:
    """Every character the PDF prints for an article: for the glyph coverage check."""
    extra = [article.title, article.site_name or "", *article.authors, article.url or ""]
    if article.image:
        extra += [article.image.caption, article.image.credit]
    return "\n".join(extra) + body_text(article.body)


class Styles:
    """Paragraph styles derived from one font set and base size, cached per language and wrap mode."""

    def __init__(self, fonts: FontSet, size: float):
        self.fonts = fonts
        self.size = size
        body, mono = fonts.body, fonts.mono
        lead = size * 1.38
        common = dict(
            fontName=body.name,
            bulletFontName=body.name,
            fontSize=size,
            leading=lead,
            splitLongWords=1,
            uriWasteReduce=0.3,
        )
        self._base: dict[str, ParagraphStyle] = {
            "body": ParagraphStyle("body", alignment=TA_JUSTIFY, spaceAfter=lead * 0.45, **common),
            "quote": ParagraphStyle(
                "quote",
                alignment=TA_JUSTIFY,
                spaceAfter=lead * 0.45,
                **{**common, "fontName": body.italic.name, "leading": lead},
            ),
            "list": ParagraphStyle(
                "list",
                alignment=TA_JUSTIFY,
                spaceAfter=lead * 0.2,
                leftIndent=size * 1.6,
                bulletIndent=size * 0.3,
                **common,
            ),
            "h2": ParagraphStyle(
                "h2",
                spaceBefore=lead * 0.7,
                spaceAfter=lead * 0.3,
                keepWithNext=1,
                **{**common, "fontName": body.bold.name, "fontSize": size * 1.3, "leading": size * 1.6},
            ),
            "h3": ParagraphStyle(
                "h3",
                spaceBefore=lead * 0.6,
                spaceAfter=lead * 0.25,
                keepWithNext=1,
                **{**common, "fontName": body.bold.name, "fontSize": size * 1.12, "leading": size * 1.4},
            ),
            "h4": ParagraphStyle(
                "h4",
                spaceBefore=lead * 0.5,
                spaceAfter=lead * 0.2,
                keepWithNext=1,
                **{**common, "fontName": body.bolditalic.name},
            ),
            "title": ParagraphStyle(
                "title",
                spaceAfter=size * 0.6,
                alignment=TA_LEFT,
                **{**common, "fontName": body.bold.name, "fontSize": size * 2.0, "leading": size * 2.35},
            ),
            "byline": ParagraphStyle("byline", spaceAfter=size * 0.2, **{**common, "fontName": body.italic.name}),
            "meta": ParagraphStyle(
                "meta",
                spaceAfter=size * 0.2,
                textColor=Color(0.3, 0.3, 0.3),
                **{**common, "fontSize": size * 0.85, "leading": size * 1.15},
            ),
            "caption": ParagraphStyle(
                "caption",
                spaceBefore=size * 0.3,
                spaceAfter=lead * 0.6,
                alignment=TA_LEFT,
                **{**common, "fontName": body.italic.name, "fontSize": size * 0.85, "leading": size * 1.1},
            ),
            "note": ParagraphStyle(
                "note",
                spaceAfter=size * 0.15,
                leftIndent=size * 1.6,
                bulletIndent=0,
                alignment=TA_LEFT,
                **{**common, "fontSize": size * 0.8, "leading": size * 1.05},
            ),
            "code": ParagraphStyle(
                "code",
                fontName=mono.name,
                fontSize=size * 0.82,
                leading=size * 1.1,
                backColor=Color(0.95, 0.95, 0.95),
                borderPadding=size * 0.3,
                spaceBefore=size * 0.4,
                spaceAfter=lead * 0.7,
            ),
            "cell": ParagraphStyle(
                "cell", alignment=TA_LEFT, **{**common, "fontSize": size * 0.85, "leading": size * 1.1}
            ),
            "headcell": ParagraphStyle(
                "headcell",
                alignment=TA_LEFT,
                **{**common, "fontName": body.bold.name, "fontSize": size * 0.85, "leading": size * 1.1},
            ),
            "cover-title": ParagraphStyle(
                "cover-title",
                alignment=TA_CENTER,
                spaceAfter=size * 2,
                **{**common, "fontName": body.bold.name, "fontSize": size * 2.8, "leading": size * 3.3},
            ),
            "cover-line": ParagraphStyle(
                "cover-line",
                alignment=TA_CENTER,
                spaceAfter=size * 0.6,
                **{**common, "fontSize": size * 1.2, "leading": size * 1.6},
            ),
            "toc-heading": ParagraphStyle(
                "toc-heading",
                spaceAfter=size * 1.2,
                **{**common, "fontName": body.bold.name, "fontSize": size * 1.8, "leading": size * 2.2},
            ),
            "toc-section": ParagraphStyle(
                "toc-section",
                spaceBefore=size * 0.8,
                spaceAfter=size * 0.3,
                keepWithNext=1,
                **{**common, "fontName": body.bold.name, "fontSize": size * 1.1},
            ),
            "toc-entry": ParagraphStyle("toc-entry", alignment=TA_LEFT, spaceAfter=size * 0.25, **common),
            "running-head": ParagraphStyle(
                "running-head",
                alignment=TA_LEFT,
                **{**common, "fontName": body.italic.name, "fontSize": size * 0.78, "leading": size},
            ),
        }
        self._variants: dict[tuple[str, str, bool, int], ParagraphStyle] = {}

    def get(self, kind: str, language: str = "", cjk: bool = False, indent: int = 0) -> ParagraphStyle:
        """The style ``kind`` hyphenated for ``language``, wrapped as CJK or not, indented ``indent`` quote levels."""
        key = (kind, language, cjk, indent)
        style = self._variants.get(key)
        if style is None:
            base = self._base[kind]
            changes: dict = {"name": f"{kind}-{language}-{int(cjk)}-{indent}"}
            if cjk:
                changes["wordWrap"] = "CJK"
            elif language and base.alignment == TA_JUSTIFY:
                changes["hyphenationLang"] = _hyphenator(language)
            if indent:
                changes["leftIndent"] = base.leftIndent + indent * self.size * 1.4
                changes["rightIndent"] = base.rightIndent + indent * self.size * 0.8
            style = self._variants[key] = ParagraphStyle(parent=base, **changes)
        return style


def _runs(text: str, primary: FontFamily, fonts: FontSet) -> str:
    """Escaped text; characters ``primary`` lacks go in ``<font>`` runs of the first family that has them."""
    if set(text) <= primary.chars:
        return escape(text, quote=False)
    out: list[str] = []
    run: list[str] = []
    current: FontFamily = primary
    for char in text:
        family = primary
        if char not in primary.chars:
            if unrenderable(char):
                continue
            family = next((f for f in fonts.chain(primary) if char in f.chars), primary)
        if family is not current:
            out.append(_wrap_run("".join(run), current, primary))
            run, current = [], family
        run.append(char)
    out.append(_wrap_run("".join(run), current, primary))
    return "".join(out)


def _wrap_run(text: str, family: FontFamily, primary: FontFamily) -> str:
    if not text:
        return ""
    text = escape(text, quote=False)
    return text if family is primary else f'<font face="{family.name}">{text}</font>'


def markup(text: Inline | str, fonts: FontSet, notes: dict[str, int] | None = None) -> str:
    """Inline spans (or plain text) as Paragraph markup: escaped, marked, linked, with font fallback runs.

    When ``notes`` is given, each link gets a superscript number (the same URL keeps its number).
    """
    if isinstance(text, str):
        return _runs(text, fonts.body, fonts)
    out: list[str] = []
    for span in text:
        if span.code:
            html = f'<font face="{fonts.mono.name}">{_runs(span.text, fonts.mono, fonts)}</font>'
        else:
            html = _runs(span.text, fonts.body, fonts)
        html = html.replace("\n", "<br/>")
        if span.emphasis:
            html = f"<i>{html}</i>"
        if span.strong:
            html = f"<b>{html}</b>"
        if span.href:
            html = f'<a href="{escape(span.href)}" color="#1a4580">{html}</a>'
            if notes is not None:
                number = notes.setdefault(span.href, len(notes) + 1)
                html += f"<super>{number}</super>"
        out.append(html)
    return "".join(out)


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
    notes: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if _RTL.search(article_text(self.article)):
            raise ExportError(
                f"pdf: article {self.article.title!r}: right-to-left text (Hebrew, Arabic...) needs bidi "
                "reordering and shaping, which the PDF exporter does not do; export it as EPUB instead"
            )

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
            meta.append(f'<a href="{escape(article.url)}" color="#1a4580">{markup(article.url, self.fonts)}</a>')
        if meta:
            out.append(Paragraph(" · ".join(meta), self.styles.get("meta")))
        return out

    def body(self) -> list[Flowable]:
        """The lead image, the body blocks and, with link notes, the numbered list of the article's links."""
        out: list[Flowable] = []
        if self.article.image:
            out.extend(self._image(self.article.image))
        out.extend(self._blocks(self.article.body, 0))
        if self.link_notes and self.notes:
            out.append(Paragraph("Links", self.styles.get("h4")))
            for url, number in self.notes.items():
                link = f'<a href="{escape(url)}" color="#1a4580">{markup(url, self.fonts)}</a>'
                out.append(Paragraph(link, self.styles.get("note"), bulletText=f"{number}."))
        return out

    def _para(self, text: Inline | str, kind: str, indent: int = 0, hyphenate: bool = True, **kwargs) -> Paragraph:
        plain = text if isinstance(text, str) else plain_text(text)
        cjk = len(_CJK.findall(plain)) * 3 > len(plain)
        style = self.styles.get(kind, self.language if hyphenate else "", cjk, indent)
        return Paragraph(markup(text, self.fonts, self.notes if self.link_notes else None), style, **kwargs)

    def _blocks(self, blocks: Iterable[Block], indent: int) -> list[Flowable]:
        out: list[Flowable] = []
        text_kind = "quote" if indent else "body"
        for block in blocks:
            if isinstance(block, ParagraphBlock):
                if plain_text(block.text).strip():
                    out.append(self._para(block.text, text_kind, indent))
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
                table = self._table(block)
                if table is not None:
                    out.append(table)
        return out

    def _code(self, text: str) -> Flowable:
        """Code in the mono font, long lines broken at the column width (XPreformatted never wraps)."""
        style = self.styles.get("code")
        per_line = max(8, int(self.width / (style.fontSize * 0.602)))
        lines = []
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

    def _table(self, table: TableBlock) -> Flowable | None:
        """A table whose columns share the column width; header rows repeat on each page."""
        rows = [*table.header, *table.rows]
        columns = max((len(r) for r in rows), default=0)
        if not columns:
            return None
        data = []
        for n, row in enumerate(rows):
            kind = "headcell" if n < len(table.header) else "cell"
            cells = [self._para(cell, kind, hyphenate=False) for cell in row]
            data.append(cells + [""] * (columns - len(cells)))
        flowable = Table(data, colWidths=[self.width / columns] * columns, repeatRows=len(table.header), splitInRow=1)
        # FONTNAME too: reportlab sets each cell's font, Helvetica unless told, even for Paragraph cells.
        commands = [
            ("GRID", (0, 0), (-1, -1), 0.4, RULE_COLOR),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("FONTNAME", (0, 0), (-1, -1), self.fonts.body.name),
        ]
        if table.header:
            commands.append(("BACKGROUND", (0, 0), (-1, len(table.header) - 1), Color(0.92, 0.92, 0.92)))
        flowable.setStyle(TableStyle(commands))
        return flowable
