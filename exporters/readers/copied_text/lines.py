"""The lines of a browser copy: spaces and invisible characters normalised, hard-wrapped text unwrapped."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from exporters.readers.copied_text.chrome import CLOSING, LIST_ITEM
from exporters.text import clean_text

__all__ = ["Line", "copied_lines", "join_broken_sentences"]

# Characters a browser copy carries that are not text: zero-width spaces, soft hyphens, BOMs.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\u00ad\ufeff]")
_SPACES = re.compile(r"[^\S\n]+")
# What _SPACES would change: a blank other than a space, or spaces in a row.
_ODD_SPACES = re.compile(r"[^\S\n ]|  ")


@dataclass(frozen=True)
class Line:
    """One non-empty line of the copy; ``joined`` when no blank line separates it from the line before."""

    text: str
    joined: bool
    #: A browser copies a table's cells with tabs between them; the text has single spaces instead.
    cells: bool = False


def copied_lines(text: str) -> list[Line]:
    """Non-empty lines, spaces normalised (no-break spaces, indentation, runs of blanks), invisible characters gone."""
    text = _INVISIBLE.sub("", clean_text(text.replace("\r\n", "\n").replace("\r", "\n")))
    split = text.split("\n")
    raw = [_single_spaced(line) for line in split]
    # Only a line holding a tab is stripped to look for one inside it (a line may be megabytes long).
    cells = ["\t" in line and "\t" in line.strip() for line in split]
    if _is_hard_wrapped(raw):
        raw = _unwrap(raw)
        cells = [False] * len(raw)
    lines: list[Line] = []
    joined = False
    for line, tabbed in zip(raw, cells):
        if line:
            lines.append(Line(line, joined, tabbed))
            joined = True
        else:
            joined = False
    return lines


def _single_spaced(line: str) -> str:
    """The line with each run of blanks one space, edges trimmed.

    Only a line that needs it is rewritten: re.sub lists every piece between matches, and a
    paragraph of megabytes has millions of spaces (a 2 MB line peaked at 32 MB more).
    """
    return (_SPACES.sub(" ", line) if _ODD_SPACES.search(line) else line).strip()


def _is_hard_wrapped(raw: list[str]) -> bool:
    """Whether paragraphs were wrapped at a fixed width (a text file, not a browser copy, which keeps one line each).

    Wrapped text has no long lines, and some lines nearly fill the width with more text right under them.
    """
    width = max((len(line) for line in raw), default=0)
    if not 40 <= width <= 100:
        return False
    continued = sum(
        1 for line, after in zip(raw, raw[1:]) if _was_wrapped(line, width) and after and not LIST_ITEM.match(after)
    )
    return continued >= 2


def _was_wrapped(line: str, width: int) -> bool:
    """Whether a line of wrapped text was broken at the width (rather than ending its paragraph).

    A line closed by an ideographic full stop ends its paragraph: Chinese and Japanese text has
    no spaces, so a wrap at a width falls anywhere in a sentence rather than after one.
    """
    return len(line) >= 0.6 * width and not line.endswith(("。", "！", "？", "」", "』"))


def _unwrap(raw: list[str]) -> list[str]:
    """Join the lines of each wrapped paragraph into one; short lines (titles, labels) and list items stay apart."""
    width = max(len(line) for line in raw)
    # Each paragraph's lines are gathered and joined once: adding to a growing string is quadratic.
    out: list[list[str]] = []
    previous = ""
    for line in raw:
        if line and _was_wrapped(previous, width) and not LIST_ITEM.match(line):
            out[-1].append(line)
        else:
            out.append([line])
        previous = line
    return [" ".join(pieces) for pieces in out]


#: A line broken in the middle of a sentence is at least this long (a poem's or an address's lines are shorter).
_BROKEN_LINE_CHARS = 40


def join_broken_sentences(lines: list[Line], stopwords: frozenset[str], is_code: Callable[[str], bool]) -> list[Line]:
    """Lines of one paragraph broken in mid-sentence (a ``<br>`` or a fixed width on the page) joined again.

    A line is broken when it is long, does not close like a sentence and the next line, with no
    blank line between, carries on: it starts in lower case or the line ends on a little word
    ("and", "such as"). List items and code stay apart.
    """
    paragraphs: list[tuple[Line, list[str]]] = []  # (its first line, its pieces), joined once at the end
    for line in lines:
        previous = paragraphs[-1][1][-1] if paragraphs else ""
        if (
            line.joined
            and len(previous) >= _BROKEN_LINE_CHARS
            and not previous.endswith(tuple(CLOSING))
            and (line.text[:1].islower() or _last_word(previous) in stopwords)
            and not (LIST_ITEM.match(line.text) or LIST_ITEM.match(previous) or is_code(previous) or is_code(line.text))
        ):
            paragraphs[-1][1].append(line.text)
        else:
            paragraphs.append((line, [line.text]))
    return [Line(" ".join(pieces), first.joined, first.cells) for first, pieces in paragraphs]


def _last_word(text: str) -> str:
    return text.rsplit(" ", 1)[-1].lower()
