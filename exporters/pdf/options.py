"""The PDF exporter's options, checked once when they are made; the one table of paper sizes.

This module does not import reportlab, so the CLI can build its flags without it.
"""

from __future__ import annotations

from dataclasses import dataclass

from exporters.exporter import ExportError, option
from exporters.pipeline.grouping import GROUPS

__all__ = ["FLOWS", "PAPER", "PdfOptions"]

# reportlab's own definition of a millimetre (lib/units.py), so sizes come out to the same bits.
_MM = 72.0 / 2.54 * 0.1
#: Paper sizes in PostScript points (width, height), by the name ``--paper`` takes.
PAPER: dict[str, tuple[float, float]] = {"a4": (210 * _MM, 297 * _MM), "letter": (8.5 * 72.0, 11 * 72.0)}
#: How articles follow one another: each from a new page, or one after the other with a rule between.
FLOWS = ("page", "continuous")


@dataclass(frozen=True)
class PdfOptions:
    """Page and typography settings of the PDF exporter; a value that cannot be laid out raises ExportError."""

    paper: str = option("a4", "Paper size.", choices=tuple(PAPER))
    columns: int = option(1, "Text columns per page (1 to 3).", metavar="N")
    font_size: float = option(10.5, "Body text size in points (7 to 16).", metavar="PT")
    margin: float = option(18.0, "Page margin in millimetres (10 to 40).", metavar="MM")
    font: str | None = option(None, "Font family or .ttf file (default: DejaVu Serif).", metavar="FAMILY|PATH")
    link_notes: bool = option(False, "List each article's links as numbered notes after it.")
    group_by: str = option("none", "Group contents and outline into sections.", choices=GROUPS)
    flow: str = option("page", "A page per article, or one after another.", choices=FLOWS)

    def __post_init__(self) -> None:
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
        if self.flow not in FLOWS:
            raise ExportError(f"pdf: --flow must be one of {', '.join(FLOWS)}, not {self.flow!r}")
