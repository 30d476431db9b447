"""An article's table → reportlab Tables: columns no narrower than a few words, header rows repeated where they fit.

A table with more columns than the text column holds at a readable width is printed as several
tables one under the other, each of a group of its columns and all of its rows, the first column
repeated in each so that every row can still be told apart: the way a printed reference carries
a wide table over. Squeezed into one, its cells would be a letter wide (reportlab refuses a cell
narrower than its padding outright).
"""

from __future__ import annotations

from collections.abc import Callable

from reportlab.lib.colors import Color
from reportlab.platypus import Flowable, Table, TableStyle

from exporters.pdf.styles import RULE_COLOR

__all__ = ["column_groups", "table_flowables"]

#: reportlab's default padding of a cell's text: left and right, top and bottom (points).
SIDE_PADDING, END_PADDING = 6, 3
#: The narrowest text of a column, in ems of the cell font: a short word or a number of six digits.
MIN_COLUMN_EMS = 3.5
#: Header rows are repeated on each page while they take at most this share of the frame: reportlab
#: cannot split a repeated header, and one taller than a page could not be laid out at all.
REPEATED_HEADER_SHARE = 1 / 3
HEADER_BACKGROUND = Color(0.92, 0.92, 0.92)

#: A cell's flowable (or "" for a row shorter than the table) by row and column number.
CellMaker = Callable[[int, int], Flowable | str]


def column_groups(columns: int, width: float, font_size: float) -> list[list[int]]:
    """The column numbers of each table a table of ``columns`` is printed as in ``width`` points: all of them
    when each gets a readable width, else groups that each start with the first column."""
    fit = max(1, int(width // (font_size * MIN_COLUMN_EMS + 2 * SIDE_PADDING)))
    if columns <= fit:
        return [list(range(columns))]
    if fit == 1:
        return [[n] for n in range(columns)]
    return [[0, *range(start, min(start + fit - 1, columns))] for start in range(1, columns, fit - 1)]


def table_flowables(
    cell: CellMaker,
    rows: int,
    header_rows: int,
    columns: int,
    font_name: str,
    font_size: float,
    frame: tuple[float, float],
) -> list[Flowable]:
    """The table whose cells ``cell`` makes, one reportlab Table per column group, for a frame of ``frame`` points."""
    width, height = frame
    out: list[Flowable] = []
    groups = column_groups(columns, width, font_size)
    # Every group in columns of one width, as the first: the last, narrower, reads as its continuation.
    column_width = width / len(groups[0])
    for group in groups:
        data = [[cell(row, column) for column in group] for row in range(rows)]
        repeat = header_rows if _height(data[:header_rows], column_width) <= height * REPEATED_HEADER_SHARE else 0
        table = Table(data, colWidths=[column_width] * len(group), repeatRows=repeat, splitInRow=1)
        # FONTNAME too: reportlab sets each cell's font, Helvetica unless told, even for Paragraph cells.
        commands: list = [
            ("GRID", (0, 0), (-1, -1), 0.4, RULE_COLOR),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("FONTNAME", (0, 0), (-1, -1), font_name),
        ]
        if header_rows:
            commands.append(("BACKGROUND", (0, 0), (-1, header_rows - 1), HEADER_BACKGROUND))
        table.setStyle(TableStyle(commands))
        table.hAlign = "LEFT"
        out.append(table)
    return out


def _height(rows: list[list[Flowable | str]], column_width: float) -> float:
    """The height of ``rows`` of paragraphs in columns ``column_width`` wide (the Table wraps them at that width
    again; a KeepLinesParagraph keeps the lines it broke)."""
    text_width = column_width - 2 * SIDE_PADDING
    return sum(
        max((c.wrap(text_width, 1e9)[1] for c in row if isinstance(c, Flowable)), default=0) + 2 * END_PADDING
        for row in rows
    )
