"""The book's own flowables: reading order entries, position markers, article placeholders, contents lines."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from reportlab.lib.abag import ABag
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import ActionFlowable, Flowable, Paragraph

from exporters.model import Article
from exporters.pdf.markup import format_date
from exporters.pipeline.grouping import group_articles

__all__ = [
    "ArticlePlaceholder",
    "Entry",
    "KeepLinesParagraph",
    "LaterFlowables",
    "Marker",
    "TocEntry",
    "reading_order",
    "shorten",
]


@dataclass(frozen=True)
class Entry:
    """One article in reading order, with the section it is grouped under (if any)."""

    index: int
    article: Article
    section: str | None
    opens_section: bool


def reading_order(articles: tuple[Article, ...], group_by: str) -> list[Entry]:
    """Articles in their order, or grouped by section (sections in order of first appearance)."""
    entries: list[Entry] = []
    for section, members in group_articles(articles, group_by, date_label=format_date):
        for position, article in enumerate(members):
            entries.append(Entry(len(entries), article, section, section is not None and position == 0))
    return entries


class Marker(Flowable):
    """A zero-size flowable that tells the document where (on which page) something begins."""

    def __init__(self, on_draw: Callable[[object], None]):
        super().__init__()
        self.width = self.height = 0
        self._on_draw = on_draw

    def wrap(self, available_width, available_height):
        return 0, 0

    def draw(self):
        self._on_draw(self.canv)


class ArticlePlaceholder(ActionFlowable):
    """Stands in the story for an article until layout reaches it (see BookDocument.filterFlowables)."""

    def __init__(self, entry: Entry):
        super().__init__()
        self.entry = entry

    def apply(self, doc):
        return None


class LaterFlowables(ActionFlowable):
    """Flowables ``make(start)`` to ``make(stop - 1)``, each made only when layout reaches it.

    A paragraph of megabytes is cut into thousands of pieces; made at once, their parsed
    markup would fill memory (see BookDocument.filterFlowables, which expands this).
    """

    def __init__(self, make: Callable[[int], Flowable], start: int, stop: int):
        super().__init__()
        self.make, self.start, self.stop = make, start, stop

    def expand(self) -> list[Flowable]:
        """The next flowable, followed by the rest still to be made."""
        first = self.make(self.start)
        if self.start + 1 < self.stop:
            return [first, LaterFlowables(self.make, self.start + 1, self.stop)]
        return [first]

    def apply(self, doc):
        return None


class KeepLinesParagraph(Paragraph):
    """A Paragraph that breaks its text into lines once per width, and whose split halves keep their lines.

    reportlab breaks a paragraph again each time it is wrapped, and breaks both halves of a split
    again in their frames; of a book's time, breaking lines is the largest share. The halves of a
    paragraph of one text run (no marked-up spans) take the whole's lines as they are, so they draw
    exactly as the whole would; those of a marked-up one are broken again, as reportlab does.
    """

    _lines: tuple[tuple[float, ...], ABag] | None = None

    def breakLines(self, width):
        key = tuple(width) if isinstance(width, (list, tuple)) else (width,)
        if self._lines is None or self._lines[0] != key:
            self._lines = (key, super().breakLines(width))
        return self._lines[1]

    def split(self, availWidth, availHeight):
        parts = super().split(availWidth, availHeight)
        if len(parts) == 2 and self._lines is not None and self._lines[1].kind == 0:
            key, broken = self._lines
            count = len(parts[0].blPara.lines)
            # The second half has no first-line indent: its first line is as wide as the later ones.
            parts[0]._lines = (key, broken.clone(lines=broken.lines[:count]))
            parts[1]._lines = ((key[-1],) * len(key), broken.clone(lines=broken.lines[count:]))
        return parts


class TocEntry(Flowable):
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


def shorten(text: str, width: float, font: str, size: float) -> str:
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
