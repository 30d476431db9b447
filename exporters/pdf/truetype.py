"""reportlab's TrueType font, measuring words and encoding lines in bulk rather than a character at a time.

Laying out a book, reportlab measures every word (``stringWidth``) when it breaks lines and
encodes every line into the embedded font's subsets (``splitString``) when it draws it, in a
Python loop over the characters: the largest shares of a long book's time after line breaking
itself. Words recur, and after the first page almost every character already has its code, so
both are answered from tables here; anything new goes through reportlab as before.

reportlab also writes each subset's ToUnicode map (what text extraction, search and copy read)
with every character as ``%04X`` (``ttfonts.makeToUnicodeCMap``): a character beyond the BMP,
U+1F600 say, came out as ``<1F600>``, an odd-length hex string that readers reject, so the
character was drawn but lost to search and copy. Its entries are rewritten here as the UTF-16BE
surrogate pair the PDF format asks for (``<D83DDE00>``).
"""

from __future__ import annotations

import re
from weakref import WeakKeyDictionary

from reportlab.pdfbase.ttfonts import TTFont

__all__ = ["TrueTypeFont"]

#: A ToUnicode entry (a one-byte code and its character) of a character beyond the BMP, as reportlab writes it.
_ASTRAL_ENTRY = re.compile(r"^(<[0-9A-F]{2}>) <([0-9A-F]{5,6})>$", re.MULTILINE)

#: Word widths kept per font and size; past this many the table starts afresh. The most frequent
#: words of a text are most of its words; 20,000 kept took 4.7 MB more of a 1,000-article book's peak.
WIDTHS_KEPT = 4096


class TrueTypeFont(TTFont):
    """A ``TTFont`` that remembers word widths and encodes text already in its first subset with ``str.translate``."""

    def __init__(self, name: str, filename: str):
        super().__init__(name, filename)
        #: Per font size: text → width in points.
        self._widths: dict[float, dict[str | bytes, float]] = {}
        #: Per document: (codes given out so far in the first subset, code → byte table, its characters).
        self._first_subset: WeakKeyDictionary = WeakKeyDictionary()

    def stringWidth(self, text, size, encoding="utf8"):
        widths = self._widths.get(size)
        if widths is None:
            widths = self._widths[size] = {}
        width = widths.get(text)
        if width is None:
            if len(widths) >= WIDTHS_KEPT:
                widths.clear()
            width = widths[text] = super().stringWidth(text, size, encoding)
        return width

    def splitString(self, text, doc, encoding="utf-8"):
        state = self.state.get(doc)
        if state is not None and isinstance(text, str):
            assigned = min(state.nextCode, 256)
            known, table, chars = self._first_subset.get(doc, (-1, {}, frozenset()))
            if known != assigned:
                table = {code: n for code, n in state.assignments.items() if n < 256}
                if 32 in table:
                    table[0xA0] = table[32]  # reportlab prints a no-break space as a space
                chars = frozenset(map(chr, table))
                self._first_subset[doc] = (assigned, table, chars)
            if chars.issuperset(text):
                return [(0, text.translate(table).encode("latin-1"))] if text else []
        return super().splitString(text, doc, encoding)

    def addObjects(self, doc):
        """reportlab's font objects, with characters beyond the BMP in the ToUnicode maps as UTF-16 surrogate pairs."""
        state = self.state.get(doc)
        names = [self.getSubsetInternalName(n, doc)[1:] for n in range(len(state.subsets))] if state else []
        super().addObjects(doc)
        fonts = doc.idToObject["BasicFonts"].dict
        for name in names:
            stream = doc.idToObject[fonts[name].ToUnicode.name]
            stream.content = _ASTRAL_ENTRY.sub(_as_utf16, stream.content)


def _as_utf16(entry: re.Match) -> str:
    return f"{entry[1]} <{chr(int(entry[2], 16)).encode('utf-16-be').hex().upper()}>"
