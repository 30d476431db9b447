"""Printable PDF: title page, contents with page numbers, outline, running heads, columns.

The body is laid out exactly once. Numbers that are only known at the end (the contents'
page numbers and the "of Y" in every footer) are PDF form XObjects drawn where they belong
during layout and defined after the last page, so no second layout pass (reportlab's
``multiBuild``) is ever needed. Articles are turned into flowables one at a time, as layout
reaches them, so memory holds one article's flowables rather than the whole book's.
"""

from __future__ import annotations

from dataclasses import dataclass

from exporters.exporter import Exporter, ExportError, Progress, option
from exporters.model import Collection
from exporters.pipeline.grouping import GROUPS

__all__ = ["PdfExporter", "PdfOptions"]

PAPER = ("a4", "letter")


@dataclass(frozen=True)
class PdfOptions:
    """Page and typography settings of the PDF exporter."""

    paper: str = option("a4", "Paper size.", choices=PAPER)
    columns: int = option(1, "Text columns per page (1 to 3).")
    font_size: float = option(10.5, "Body text size in points (7 to 16).")
    margin: float = option(18.0, "Page margin in millimetres (10 to 40).")
    font: str | None = option(
        None, "Font family as fontconfig names it, or a .ttf file (default: DejaVu Serif).", metavar="FAMILY|PATH"
    )
    link_notes: bool = option(False, "List each article's links as numbered notes after it, for paper readers.")
    group_by: str = option("none", "Group contents and outline into sections.", choices=GROUPS)

    def check(self) -> None:
        """Raise ExportError naming the first option whose value cannot be laid out."""
        if self.paper not in PAPER:
            raise ExportError(f"pdf: --paper must be one of {', '.join(PAPER)}, not {self.paper!r}")
        if not 1 <= self.columns <= 3:
            raise ExportError(f"pdf: --columns must be 1, 2 or 3, not {self.columns}")
        if not 7 <= self.font_size <= 16:
            raise ExportError(f"pdf: --font-size must be between 7 and 16 points, not {self.font_size:g}")
        if not 10 <= self.margin <= 40:
            raise ExportError(f"pdf: --margin must be between 10 and 40 mm, not {self.margin:g}")
        if self.group_by not in GROUPS:
            raise ExportError(f"pdf: --group-by must be one of {', '.join(GROUPS)}, not {self.group_by!r}")


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

    def render(self, collection: Collection, progress: Progress) -> bytes:
        """Lay the collection out once and return the PDF's bytes."""
        # Checked here rather than when the options are made, so the CLI reports a bad value as "Error: ...".
        self.options.check()
        from exporters.pdf.book import BookDocument
        from exporters.pdf.fonts import load_font_set

        fonts = load_font_set(self.options.font)
        return BookDocument(collection, self.options, fonts, progress).render()
