"""The generated EPUB cover: title, date range, article count and as many headlines as fit, drawn with Pillow.

Drawing is deterministic (fixed size, fonts and colours; no time or randomness), so the same
collection always yields the same PNG bytes on a given machine.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, features

from exporters.model import Asset, Collection

__all__ = ["CoverText", "draw_cover", "cover_png", "generated_cover", "fit_headlines", "more_line", "COVER_SIZE"]

#: Width and height of the generated cover (3:4, close to most e-reader screens).
COVER_SIZE = (1200, 1600)

_FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"), Path("/usr/share/fonts/TTF"))
# Fonts for headlines DejaVu Serif cannot draw: DejaVu Sans has Arabic and Hebrew, Droid/Noto have CJK.
_FALLBACK_FONTS = (
    *(d / "DejaVuSans.ttf" for d in _FONT_DIRS),
    Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"),
    Path("/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc"),
)
_LAYOUT = ImageFont.Layout.RAQM if features.check("raqm") else ImageFont.Layout.BASIC
# Without raqm, right-to-left text would be drawn unshaped and backwards: leave it off the cover.
_CAN_SHAPE_RTL = _LAYOUT == ImageFont.Layout.RAQM

_PAPER = (246, 241, 231)
_BAND = (31, 42, 68)
_TITLE_INK = (255, 255, 255)
_SUBTITLE_INK = (201, 211, 230)
_INK = (34, 34, 34)
_RULE = (180, 170, 150)
_SUBTITLE_INK_ON_PAPER = (110, 110, 110)
_MARGIN = 90
_HEADLINE_LINE = 52
#: Below a headline's lines: 14 px to its rule, 22 px after it.
_HEADLINE_GAP = 36
_RULE_WIDTH = 120
_MORE_HEIGHT = 52


@dataclass(frozen=True)
class CoverText:
    """What the cover says."""

    title: str
    #: Smaller lines under the title (date range, article count).
    subtitle: tuple[str, ...] = ()
    #: Every article title: as many as fit are listed below the band, then "+N more".
    headlines: tuple[str, ...] = ()


def generated_cover(collection: Collection, date_range: str) -> Asset:
    """The drawn cover: collection title (or "Saved articles"), date range, count, first headlines."""
    count = f"{len(collection.articles)} article" + ("" if len(collection.articles) == 1 else "s")
    text = CoverText(
        title=collection.title.strip() or "Saved articles",
        subtitle=tuple(line for line in (date_range, count) if line),
        headlines=tuple(a.title for a in collection.articles),
    )
    return Asset(src="cover.png", media_type="image/png", data=cover_png(text))


def cover_png(text: CoverText) -> bytes:
    """The cover as PNG bytes."""
    out = io.BytesIO()
    draw_cover(text).save(out, format="PNG")
    return out.getvalue()


def draw_cover(text: CoverText) -> Image.Image:
    """Draw the cover: a dark band with the title and subtitle, then headlines on paper and "+N more"."""
    width, height = COVER_SIZE
    image = Image.new("RGB", COVER_SIZE, _PAPER)
    draw = ImageDraw.Draw(image)
    inner = width - 2 * _MARGIN

    title_font, title_lines = _fit_title(text.title, inner)
    line_height = int(title_font.size * 1.2)
    sub_font = _font("DejaVuSans.ttf", 42)
    band_height = max(
        int(height * 0.36),
        _MARGIN + len(title_lines) * line_height + 40 + len(text.subtitle) * 60 + _MARGIN // 2,
    )
    draw.rectangle((0, 0, width, band_height), fill=_BAND)

    y = _MARGIN
    for line in title_lines:
        _draw_line(draw, line, title_font, y, _TITLE_INK)
        y += line_height
    y += 40
    for line in text.subtitle:
        font = _font_for(line, sub_font)
        if font is not None:
            _draw_line(draw, _ellipsize(line, font, inner), font, y, _SUBTITLE_INK)
        y += 60

    y = band_height + 70
    shown, more = fit_headlines(text.headlines, height - _MARGIN - y)
    for headline in shown:
        for line in headline.lines:
            _draw_line(draw, line, headline.font, y, _INK)
            y += _HEADLINE_LINE
        y += 14
        # The short rule under a headline sits on the side its script starts from.
        start = width - _MARGIN - _RULE_WIDTH if _is_rtl(headline.text) else _MARGIN
        draw.line((start, y, start + _RULE_WIDTH, y), fill=_RULE, width=2)
        y += 22
    if more:
        _draw_line(draw, more_line(more), _font("DejaVuSans.ttf", 36), y, _SUBTITLE_INK_ON_PAPER)
    return image


@dataclass(frozen=True)
class CoverHeadline:
    """A headline as the cover shows it: at most two lines, in a font that has its glyphs."""

    text: str
    lines: tuple[str, ...]
    font: ImageFont.FreeTypeFont


def fit_headlines(headlines: tuple[str, ...], room: int) -> tuple[list[CoverHeadline], int]:
    """The first headlines that fit in ``room`` pixels, and how many are left for the "+N more" line.

    Room for that line is kept whenever a headline follows; a headline no installed font can
    draw is left out and counted among the rest.
    """
    width = COVER_SIZE[0] - 2 * _MARGIN
    preferred = _font("DejaVuSerif.ttf", 40)
    shown: list[CoverHeadline] = []
    used = 0
    for n, headline in enumerate(headlines):
        font = _font_for(headline, preferred)
        if font is None:
            continue
        wrapped = _wrap(headline, font, width)
        lines = wrapped[:2]
        if len(wrapped) > 2:
            lines[-1] = _ellipsize(lines[-1] + "…", font, width)
        needed = len(lines) * _HEADLINE_LINE + _HEADLINE_GAP
        if used + needed + (_MORE_HEIGHT if n + 1 < len(headlines) else 0) > room:
            break
        shown.append(CoverHeadline(headline, tuple(lines), font))
        used += needed
    return shown, len(headlines) - len(shown)


def more_line(count: int) -> str:
    """The cover's last line, for the headlines it has no room for."""
    return f"+{count} more"


def _fit_title(title: str, width: int) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest title size (96 down to 48 px) that fits in four lines, and those lines."""
    for size in (96, 84, 72, 64, 56, 48):
        font = _font_for(title, _font("DejaVuSerif-Bold.ttf", size)) or _font("DejaVuSerif-Bold.ttf", size)
        lines = _wrap(title, font, width)
        if len(lines) <= 4:
            return font, lines
    lines = _wrap(title, font, width)[:4]
    lines[-1] = _ellipsize(lines[-1] + "…", font, width)
    return font, lines


def _draw_line(draw: ImageDraw.ImageDraw, line: str, font: ImageFont.FreeTypeFont, y: int, fill) -> None:
    # Right-to-left lines start at the right margin, as a reader of that script expects.
    if _is_rtl(line):
        x = COVER_SIZE[0] - _MARGIN - int(font.getlength(line))
    else:
        x = _MARGIN
    draw.text((x, y), line, font=font, fill=fill)


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Greedy line breaking at spaces; a word wider than the line (or CJK text) breaks between characters."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if font.getlength(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
            current = ""
        for char in word:
            if current and font.getlength(current + char) > width:
                lines.append(current)
                current = ""
            current += char
    if current:
        lines.append(current)
    return lines


def _ellipsize(line: str, font: ImageFont.FreeTypeFont, width: int) -> str:
    """``line`` shortened with an ellipsis until it fits ``width``."""
    if font.getlength(line) <= width:
        return line
    text = line.rstrip("…")
    while text and font.getlength(text.rstrip() + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _is_rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)


def _font_for(text: str, preferred: ImageFont.FreeTypeFont) -> ImageFont.FreeTypeFont | None:
    """``preferred`` if it has every glyph of ``text``, else the fallback font at that size, else None."""
    if _is_rtl(text) and not _CAN_SHAPE_RTL:
        return None
    if _covers(preferred.path, text):
        return preferred
    for path in _FALLBACK_FONTS:
        if path.is_file() and _covers(str(path), text):
            return _font(str(path), preferred.size)
    return None


def _covers(font_path, text: str) -> bool:
    if not isinstance(font_path, str):
        return True  # Pillow's built-in font: nothing better to fall back to.
    missing = _missing_glyph(font_path)
    return all(_glyph(font_path, c) != missing for c in set(text) if c.isprintable() and not c.isspace())


@cache
def _glyph(font_path: str, char: str) -> bytes:
    font = ImageFont.truetype(font_path, 24, layout_engine=ImageFont.Layout.BASIC)
    canvas = Image.new("L", (48, 48))
    ImageDraw.Draw(canvas).text((8, 8), char, font=font, fill=255)
    return canvas.tobytes()


@cache
def _missing_glyph(font_path: str) -> bytes:
    # A plane-16 private-use code point: no font maps it, so this is the font's "missing glyph" box.
    return _glyph(font_path, "\U0010fffd")


@cache
def _font(name: str, size: int) -> ImageFont.FreeTypeFont:
    """A TrueType font by file name (DejaVu folders searched) or path; Pillow's default font if none is installed."""
    candidates = [Path(name)] if "/" in name else [d / name for d in _FONT_DIRS]
    for path in candidates:
        if path.is_file():
            return ImageFont.truetype(str(path), size, layout_engine=_LAYOUT)
    default = ImageFont.load_default(size)
    # Pillow's default font is a FreeType font whenever Pillow can use FreeType, as truetype() needs too.
    assert isinstance(default, ImageFont.FreeTypeFont), "Pillow is built without FreeType"
    return default
