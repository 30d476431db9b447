"""Fonts for the PDF exporter: found through fontconfig, embedded as TrueType, checked for glyphs.

reportlab embeds TrueType fonts (glyf outlines) only: collections (``.ttc``) and CFF-based
OpenType fonts cannot be loaded, so every font is checked here and refused with a clear
message. Each article's characters are checked against the chosen fonts' character maps; a
character they lack is looked up in fontconfig's fallback order (``fc-match --sort``); one that no
usable font covers is printed as a placeholder box, and the exporter names it in one warning.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError

from exporters.exporter import ExportError
from exporters.pdf.truetype import TrueTypeFont
from exporters.pipeline.localfile import MAX_FONT_BYTES, check_regular_file

__all__ = ["Face", "FontFamily", "FontSet", "load_font_set", "unrenderable"]

#: Families used when ``--font`` is not given: a serif for reading, a mono for code.
DEFAULT_BODY_FAMILY = "DejaVu Serif"
DEFAULT_MONO_FAMILY = "DejaVu Sans Mono"
_STYLES = {"regular": "", "bold": ":bold", "italic": ":italic", "bolditalic": ":bold:italic"}


def unrenderable(char: str) -> bool:
    """True for control and format characters (line breaks, BOM, zero-width and direction marks): no glyph needed."""
    return unicodedata.category(char) in ("Cc", "Cf")


@dataclass(frozen=True)
class Face:
    """One registered TrueType font: its reportlab name and the code points it has glyphs for."""

    name: str
    path: Path
    codepoints: frozenset[int]


@dataclass(frozen=True)
class FontFamily:
    """Four registered faces that reportlab's ``<b>``/``<i>`` markup switches between."""

    name: str
    family_name: str
    regular: Face
    bold: Face
    italic: Face
    bolditalic: Face

    @cached_property
    def codepoints(self) -> frozenset[int]:
        """Code points every face has, so bold or italic text never loses a glyph the regular face has."""
        return self.regular.codepoints & self.bold.codepoints & self.italic.codepoints & self.bolditalic.codepoints

    @cached_property
    def chars(self) -> frozenset[str]:
        """The same coverage as characters, plus the line breaks and tabs that layout handles, for fast subset tests."""
        return frozenset(map(chr, self.codepoints)) | {"\n", "\t"}


@dataclass(frozen=True)
class FontSet:
    """The body and code families plus fallback families for characters neither has."""

    body: FontFamily
    mono: FontFamily
    fallbacks: tuple[FontFamily, ...] = ()

    def with_fallbacks_for(self, chars: Iterable[str]) -> tuple[FontSet, frozenset[str]]:
        """This set, extended with installed fonts covering ``chars``, and the characters no installed font has."""
        missing = {ord(c) for c in chars if not unrenderable(c)} - self.body.codepoints - self.mono.codepoints
        for family in self.fallbacks:
            missing -= family.codepoints
        if not missing:
            return self, frozenset()
        added = list(self.fallbacks)
        for path, points in _installed_charsets(self.body.family_name):
            if not missing & points:
                continue
            try:
                family = _single_face_family(path)
            except ExportError:
                continue  # fontconfig lists it but reportlab cannot embed it (CFF outlines): try the next one
            added.append(family)
            missing -= family.codepoints
            if not missing:
                break
        return FontSet(self.body, self.mono, tuple(added)), frozenset(map(chr, missing))

    def chain(self, primary: FontFamily) -> tuple[FontFamily, ...]:
        """Families to try, in order, for a character that ``primary`` lacks."""
        return tuple(f for f in (self.body, self.mono, *self.fallbacks) if f is not primary)


def load_font_set(font: str | None) -> FontSet:
    """Resolve ``--font`` (a fontconfig family name or a .ttf path; None for DejaVu Serif) and register it."""
    if font and (font.lower().endswith((".ttf", ".ttc", ".otf")) or "/" in font):
        path = Path(font)
        try:
            check_regular_file(path, MAX_FONT_BYTES)  # reportlab reads it whole, and a FIFO would never end
        except FileNotFoundError:
            raise ExportError(f"pdf: font file {font} does not exist") from None
        except OSError as exc:
            raise ExportError(f"pdf: font file {font}: {exc.strerror or exc}") from None
        body = _single_face_family(path)
    else:
        body = _family_from_fontconfig(font or DEFAULT_BODY_FAMILY)
    return FontSet(body=body, mono=_family_from_fontconfig(DEFAULT_MONO_FAMILY))


def _fc(*args: str) -> str:
    """Run a fontconfig tool; its absence is an ExportError telling the user how to do without it."""
    if shutil.which(args[0]) is None:
        raise ExportError(f"pdf: fontconfig's {args[0]} is not installed; install fontconfig or pass --font PATH.ttf")
    return subprocess.run(args, capture_output=True, text=True, check=False).stdout


def _family_from_fontconfig(family: str) -> FontFamily:
    """The four faces of ``family`` as fontconfig matches them; a missing style reuses the regular face."""
    faces: dict[str, Face] = {}
    for style, suffix in _STYLES.items():
        out = _fc("fc-match", "--format", "%{family}\t%{file}", f"{family}{suffix}")
        names, _, file = out.partition("\t")
        if family.lower() not in (n.strip().lower() for n in names.split(",")):
            if style == "regular":
                raise ExportError(
                    f"pdf: font family {family!r} is not installed (fontconfig offers {names.split(',')[0]!r}); "
                    "see `fc-list : family` or pass a .ttf path"
                )
            faces[style] = faces["regular"]
            continue
        faces[style] = _face(Path(file))
    return _register_family(faces, family)


def _single_face_family(path: Path) -> FontFamily:
    """A family whose four faces are one font file (a fallback, or a ``--font`` path)."""
    face = _face(path)
    return _register_family({style: face for style in _STYLES}, path.stem)


@cache
def _face(path: Path) -> Face:
    """Register one TrueType file with reportlab under a stable name; refuse what it cannot embed."""
    if path.suffix.lower() == ".ttc":
        raise ExportError(f"pdf: {path} is a TrueType collection (.ttc), which reportlab cannot embed; use a .ttf font")
    name = "NX-" + re.sub(r"[^A-Za-z0-9]+", "-", path.stem)
    try:
        font = TrueTypeFont(name, str(path))
    except (TTFError, OSError) as exc:
        raise ExportError(
            f"pdf: cannot embed font {path}: {exc} (TrueType .ttf fonts with glyf outlines work)"
        ) from None
    pdfmetrics.registerFont(font)
    return Face(name=name, path=path, codepoints=frozenset(font.face.charToGlyph))


def _register_family(faces: dict[str, Face], family_name: str) -> FontFamily:
    family = FontFamily(name=faces["regular"].name, family_name=family_name, **faces)
    for bold, italic, face in (
        (0, 0, family.regular),
        (1, 0, family.bold),
        (0, 1, family.italic),
        (1, 1, family.bolditalic),
    ):
        addMapping(family.name, bold, italic, face.name)
    return family


@cache
def _installed_charsets(family: str) -> tuple[tuple[Path, frozenset[int]], ...]:
    """Installed .ttf fonts with the code points they cover, in fontconfig's fallback order for ``family``."""
    if shutil.which("fc-match") is None:
        return ()
    fonts: dict[Path, frozenset[int]] = {}
    for line in _fc("fc-match", "--sort", "--format", "%{file}\t%{charset}\n", family).splitlines():
        file, _, charset = line.partition("\t")
        if not file.lower().endswith(".ttf") or Path(file) in fonts:
            continue
        points: set[int] = set()
        for part in charset.split():
            low, _, high = part.partition("-")
            points.update(range(int(low, 16), int(high or low, 16) + 1))
        fonts[Path(file)] = frozenset(points)
    return tuple(fonts.items())
