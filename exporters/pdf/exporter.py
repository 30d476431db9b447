"""Printable PDF: title page, contents with page numbers, outline, running heads, columns.

The body is laid out exactly once. Numbers that are only known at the end (the contents'
page numbers and the "of Y" in every footer) are PDF form XObjects drawn where they belong
during layout and defined after the last page, so no second layout pass (reportlab's
``multiBuild``) is ever needed. Articles are turned into flowables one at a time, as layout
reaches them, so memory holds one article's flowables rather than the whole book's.
"""

from __future__ import annotations

import logging

from exporters.exporter import Exporter, Progress, Rendered
from exporters.model import Collection
from exporters.pdf.options import PAPER, PdfOptions

__all__ = ["PdfExporter", "PdfOptions", "PAPER", "missing_glyphs_warning"]

_log = logging.getLogger(__name__)


class PdfExporter(Exporter):
    """Lays a collection out as a print-ready book with reportlab."""

    #: Format name used with ``-t``.
    name = "pdf"
    #: Output extensions.
    extensions = (".pdf",)
    #: Media type of the output.
    media_type = "application/pdf"
    #: Shown by ``newsexport formats``.
    description = "Printable PDF: title page, contents, outline, columns, hyphenated justified text"
    options_class = PdfOptions
    #: reportlab is imported when a PDF is rendered, not when the CLI starts.
    requires = ("reportlab",)
    #: Images from ``collection.assets`` are embedded.
    uses_images = True

    def render(self, collection: Collection, output_name: str, progress: Progress) -> Rendered:
        """Lay the collection out once: the PDF, one file; characters no font has are one warning."""
        from exporters.pdf.book import BookDocument
        from exporters.pdf.fonts import load_font_set

        fonts = load_font_set(self.options.font)
        book = BookDocument(collection, self.options, fonts, progress)
        pieces = book.render()
        if book.missing_glyphs:
            _log.warning(missing_glyphs_warning(book.missing_glyphs))
        return Rendered(pieces)


def missing_glyphs_warning(missing: list[tuple[str, frozenset[str]]]) -> str:
    """One line naming each article and the characters no installed font has (printed as □)."""
    shown = []
    for title, chars in missing[:10]:
        points = sorted(chars)
        listed = " ".join(f"{c} U+{ord(c):04X}" for c in points[:8]) + (
            f" and {len(points) - 8} more" if len(points) > 8 else ""
        )
        shown.append(f"{' '.join(title.split())!r} ({listed})")
    more = f" and {len(missing) - 10} more articles" if len(missing) > 10 else ""
    count = len(missing)
    return (
        f"pdf: no installed font has glyphs for some characters, printed as \u25a1 in "
        f"{count} article{'s' if count != 1 else ''}: {', '.join(shown)}{more}; "
        "'newsexport fonts' says which font packages add them"
    )
