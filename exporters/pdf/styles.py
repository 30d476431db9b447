"""Paragraph styles of the PDF book: one font set and base size, variants per language and wrap mode."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache

import pyphen
from reportlab.lib.colors import Color
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle

from exporters.pdf.fonts import FontSet

__all__ = ["LINK_COLOR", "RULE_COLOR", "Styles", "hyphenation_language"]

LINK_COLOR = Color(0.1, 0.27, 0.5)
RULE_COLOR = Color(0.6, 0.6, 0.6)


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


class Styles:
    """Paragraph styles derived from one font set and base size, cached per language and wrap mode."""

    def __init__(self, fonts: FontSet, size: float, keep_last_lines: bool = False):
        self.fonts = fonts
        self.size = size
        #: In columns, a paragraph never leaves its last line alone at the top of the next column.
        self.keep_last_lines = keep_last_lines
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
        self._variants: dict[tuple[str, str, bool, int, int], ParagraphStyle] = {}

    def get(self, kind: str, language: str = "", cjk: bool = False, indent: int = 0, bidi: int = 0) -> ParagraphStyle:
        """The style ``kind`` hyphenated for ``language``, wrapped as CJK or not, indented ``indent`` quote
        levels. ``bidi`` is 1 for a paragraph with right-to-left words (shaped by HarfBuzz, not hyphenated),
        2 for a right-to-left paragraph (shaped too, and set flush right)."""
        key = (kind, language, cjk, indent, bidi)
        style = self._variants.get(key)
        if style is None:
            base = self._base[kind]
            changes: dict = {"name": f"{kind}-{language}-{int(cjk)}-{indent}" + ("", "-bidi", "-rtl")[bidi]}
            if bidi:
                changes["shaping"] = 1
                if bidi == 2 and base.alignment != TA_CENTER:
                    changes["alignment"] = TA_RIGHT
            elif cjk:
                changes["wordWrap"] = "CJK"
            elif language and base.alignment == TA_JUSTIFY:
                changes["hyphenationLang"] = _hyphenator(language)
            if self.keep_last_lines and base.alignment == TA_JUSTIFY:
                changes["allowWidows"] = 0
            if indent:
                changes["leftIndent"] = base.leftIndent + indent * self.size * 1.4
                changes["rightIndent"] = base.rightIndent + indent * self.size * 0.8
            style = self._variants[key] = ParagraphStyle(parent=base, **changes)
        return style

    def tight(self, style: ParagraphStyle) -> ParagraphStyle:
        """``style`` with no space after: for the pieces of a long paragraph but its last."""
        key = (style.name, "tight", False, 0, 0)
        tight = self._variants.get(key)
        if tight is None:
            tight = self._variants[key] = ParagraphStyle(parent=style, name=style.name + "-tight", spaceAfter=0)
        return tight
