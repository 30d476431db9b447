"""Right-to-left and mixed-direction paragraphs: shaped by HarfBuzz, each line ordered by the bidi algorithm.

reportlab breaks a paragraph into lines in logical order and, with ``shaping`` on, lets
HarfBuzz (``uharfbuzz``) shape each word, so an Arabic or Hebrew word comes out as joined
glyphs in visual order. What reportlab cannot do without its uninstallable ``rlbidi`` is put
the words of a line in visual order: :class:`BidiParagraph` does that when a line is drawn,
with ``python-bidi`` deciding the order, and leaves the logical lines alone for splitting.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from bidi import get_base_level, get_display
from reportlab.platypus import Paragraph
from reportlab.platypus.paragraph import FragLine

__all__ = ["BidiParagraph", "has_rtl", "is_rtl_language", "paragraph_is_rtl"]

# Hebrew, Arabic, Syriac, Thaana, N'Ko and their presentation forms.
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe]")
#: Languages written right to left (ISO 639-1 and -3 codes as articles carry them).
_RTL_LANGUAGES = frozenset({"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ks", "ku-arab", "ps", "sd", "ug", "ur", "yi"})
_WORD = re.compile(r"[^ ]+")


def has_rtl(text: str) -> bool:
    """True when ``text`` holds a right-to-left letter (and so needs shaping and reordering)."""
    return _RTL.search(text) is not None


def is_rtl_language(language: str | None) -> bool:
    """True for a language tag of a right-to-left script (``ar``, ``he-IL``, ``fa``...)."""
    if not language:
        return False
    tag = language.lower().replace("_", "-")
    return tag in _RTL_LANGUAGES or tag.split("-")[0] in _RTL_LANGUAGES


def paragraph_is_rtl(text: str, language: str | None) -> bool:
    """A paragraph's direction: right to left in a right-to-left language, else as its first strong letter says."""
    return is_rtl_language(language) or get_base_level(text) == 1


def _key(word: str) -> tuple[str, ...]:
    """A word's letters in any order, mirrored brackets alike: the same for its logical and visual forms."""
    return tuple(sorted("()" if unicodedata.mirrored(c) else c for c in word))


def visual_order(words: Sequence[str], rtl: bool) -> list[int]:
    """The indices of ``words`` (one line, logical order) from left to right as the bidi algorithm shows them."""
    if len(words) < 2:
        return list(range(len(words)))
    shown = _WORD.findall(get_display(" ".join(words), base_dir="R" if rtl else "L"))
    free: dict[tuple[str, ...], list[int]] = {}
    for index, word in enumerate(words):
        free.setdefault(_key(word), []).append(index)
    order: list[int] = []
    for token in shown:
        candidates = free.get(_key(token))
        if not candidates:
            return list(reversed(range(len(words)))) if rtl else list(range(len(words)))
        # Equal words: right-to-left ones are met last-first when read left to right.
        order.append(candidates.pop(-1 if has_rtl(token) else 0))
    return order


class BidiParagraph(Paragraph):
    """A paragraph whose lines are drawn in visual order; ``rtl`` is its base direction."""

    rtl = False

    def drawPara(self, debug=0):
        """Draw each line with its words in visual order; the logical lines stay as they were."""
        logical = self.blPara
        if getattr(logical, "kind", 0) == 1:
            self.blPara = logical.clone(lines=[_visual_line(line, self.rtl) for line in logical.lines])
        try:
            super().drawPara(debug)
        finally:
            self.blPara = logical


class RtlParagraph(BidiParagraph):
    """A right-to-left paragraph (its split halves keep the direction, as reportlab splits by class)."""

    rtl = True


def _visual_line(line: FragLine, rtl: bool) -> FragLine:
    """``line`` with one fragment per word, the words in visual order, a space between each."""
    words: list[list] = [[]]
    for frag in line.words:
        if hasattr(frag, "cbDefn"):
            words[-1].append(frag)
            continue
        text = frag.text
        position = 0
        for match in _WORD.finditer(text):
            if match.start() > position and words[-1]:
                words.append([])
            piece = frag.clone()
            piece.text = text[match.start() : match.end()]
            words[-1].append(piece)
            position = match.end()
        if position < len(text) and words[-1]:
            words.append([])
    words = [w for w in words if w]
    plain = ["".join(getattr(f, "text", "") for f in word) or "\ufffc" for word in words]
    order = visual_order(plain, rtl)
    frags = []
    for n, index in enumerate(order):
        word = words[index]
        if n < len(order) - 1:
            last = word[-1]
            if hasattr(last, "cbDefn"):
                word = [*word, _space_after(word)]
            else:
                spaced = last.clone()
                spaced.text = last.text + " "
                word = [*word[:-1], spaced]
        frags.extend(word)
    _drop_broken_links(frags)
    return line.clone(words=frags)


def _space_after(word: list):
    """A one-space fragment in the style of the last text of ``word``."""
    text = next((f for f in reversed(word) if not hasattr(f, "cbDefn")), word[-1])
    space = text.clone()
    space.text = " "
    return space


def _drop_broken_links(frags: list) -> None:
    """Unlink a link whose words the reordering has scattered (reportlab draws a link as one run)."""
    seen: dict[int, list[int]] = {}
    for index, frag in enumerate(frags):
        for link in getattr(frag, "link", None) or ():
            seen.setdefault(id(link), []).append(index)
    broken = {key for key, places in seen.items() if places[-1] - places[0] + 1 != len(places)}
    if broken:
        for frag in frags:
            if getattr(frag, "link", None):
                frag.link = [link for link in frag.link if id(link) not in broken]
