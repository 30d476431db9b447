"""Each line of a copied story by its shape: paragraph, label, list item, caption, code or chrome."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import cast

from exporters.model import Image
from exporters.readers.copied_text.chrome import (
    CODE,
    LINK_BLOCK,
    LIST_ITEM,
    PROSE_WORDS,
    TIME_AGO,
    caption_with_credit,
    ends_like_sentence,
    has_stopword,
    is_boilerplate,
    is_furniture,
    is_headline,
    is_prose,
    is_written_without_spaces,
    labelled_credit,
    reads_like_prose,
    word_count,
)
from exporters.readers.copied_text.lines import Line

__all__ = [
    "CHROME",
    "CODE_LINE",
    "HEADING",
    "IMAGE",
    "ITEM",
    "LABEL",
    "LOOSE_ITEM",
    "PARAGRAPH",
    "Classified",
    "classify",
    "drop_link_lists",
    "lists_after_colons",
    "looks_like_code",
]

#: A line without closing punctuation and at least this many words is still prose, not a label;
_UNPUNCTUATED_PROSE_WORDS = 20
#: in Chinese or Japanese, at least this many characters (a menu's items are a few characters each).
_UNPUNCTUATED_CJK = 12
#: A line repeated in the copy is chrome when it has at most this many words.
_REPEATED_WORDS = 8
#: A notice (newsletter, cookies, comments, copyright) this short is chrome wherever it sits; a longer paragraph
#: that mentions one is only chrome after the story.
_NOTICE_WORDS = 15
#: A list without bullets has at most this many items.
_LIST_ITEMS = 12
#: A list item of at most this many words without a stop word reads like a link label,
_LINK_WORDS = 6
#: and so does one of at most this many words, stop words or not (a button, a tag: "Share on X")...
_TINY_ITEM_WORDS = 3
#: ...and a list with at least this share of such items is a list of links.
_LINK_SHARE = 2 / 3

# What a story line is classified as, before subheadings and trailing boilerplate are resolved.
PARAGRAPH, LABEL, HEADING, IMAGE, ITEM, CHROME = "paragraph", "label", "heading", "image", "item", "chrome"
# An item of a list without bullets, found by the shape of its lines; a line of program code.
LOOSE_ITEM, CODE_LINE = "loose item", "code"


@dataclass(frozen=True)
class Classified:
    """A story line's kind and its value: text, an :class:`Image`, or (ordered, text) for a list item."""

    kind: str
    value: object

    @property
    def text(self) -> str:
        """The line's text: a list item's without its bullet, an image's caption."""
        if self.kind in (ITEM, LOOSE_ITEM):
            return cast(tuple[bool, str], self.value)[1]
        if self.kind == IMAGE:
            return cast(Image, self.value).caption or ""
        return str(self.value)


#: A block of lines is program code when at least this share of its lines look like code.
_CODE_SHARE = 1 / 3
# Other marks of a line of code: it ends open (an argument list, a clause going on), names a snake_case identifier,
# or is a protocol's header ("Content-Length: 91", "Access-Control-Allow-Origin: *").
_CODE_SHAPE = re.compile(r"[(,;{]$|[a-z0-9]_[a-z]|^[A-Z][A-Za-z]*(?:-[A-Z][A-Za-z]*)+: \S")


def code_blocks(lines: list[Line], stopwords: frozenset[str]) -> set[int]:
    """Indices of the lines in blocks of program code or tables: blocks where several lines look like code, or rows.

    A block is a run of lines with no blank line between (a browser copies a ``<pre>`` that way).
    Inside one, keywords alone on their line ("SELECT", "FROM"), repeated lines and results are
    code too, whatever they would look like in running text. Running text (a fifth stop words)
    and bulleted lines are no evidence: a list's items may end in ";".
    """
    found: set[int] = set()
    start = 0
    for end in range(1, len(lines) + 1):
        if end < len(lines) and lines[end].joined:
            continue
        block = range(start, end)
        # A line alone is no block (it needs two lines of evidence): most paragraphs are skipped unread.
        evidence = sum(1 for n in block if looks_like_code(lines[n].text, stopwords)) if len(block) > 1 else 0
        if evidence >= 2 and evidence >= _CODE_SHARE * len(block):
            found.update(block)
        elif len(block) >= _TABLE_ROWS:
            rows = sum(1 for n in block if lines[n].cells or _is_row_of_figures(lines[n].text))
            # A table of figures is no paragraph: a block holding prose is a page laid out in a table.
            if rows >= _TABLE_ROWS and rows >= len(block) / 2 and not any(is_prose(lines[n].text) for n in block):
                found.update(block)
        start = end
    return found


#: A table copied as text has at least this many rows: of cells (a browser puts tabs between them) or of
#: figures ("Auckland 23/16 74/60 14/7").
_TABLE_ROWS = 3
#: A row of a table of figures holds at least this many numbers.
_ROW_FIGURES = 2
_FIGURE = re.compile(r"(?<!\w)[-+$€£]?\d[\d,./:%]*")


def _is_row_of_figures(text: str) -> bool:
    """A table's row: several figures, and no sentence."""
    return not ends_like_sentence(text) and len(_FIGURE.findall(text)) >= _ROW_FIGURES


def _has_code_marks(text: str) -> bool:
    """Braces, assignments, calls, a line ending open, snake_case, a protocol's header: see CODE and _CODE_SHAPE."""
    return bool(CODE.search(text) or _CODE_SHAPE.search(text))


def looks_like_code(text: str, stopwords: frozenset[str]) -> bool:
    """Whether one line has the marks of program code and is neither running text nor a bulleted item."""
    return (
        _has_code_marks(text)
        and not LIST_ITEM.match(text)
        and not (ends_like_sentence(text) and reads_like_prose(text, stopwords))
    )


def classify(lines: list[Line], stopwords: frozenset[str], shown: Counter[str]) -> list[Classified]:
    """Each line as chrome, paragraph, unpunctuated label, list item or caption-only image."""
    out: list[Classified] = []
    in_link_block = after_teaser = False
    seen: set[str] = set()
    program = code_blocks(lines, stopwords)
    for n, line in enumerate(lines):
        text = line.text
        if n in program:
            out.append(Classified(CODE_LINE, text))
            continue
        # Menus, teaser lists and buttons are drawn more than once on a page (header and footer,
        # every teaser): a short unpunctuated line seen twice is chrome, unless prose follows it
        # (a subheading that a table of contents repeats).
        if (
            shown[text] > 1
            and word_count(text) <= _REPEATED_WORDS
            and not ends_like_sentence(text)
            and not _has_code_marks(text)
            and not (n + 1 < len(lines) and is_prose(lines[n + 1].text))
        ):
            out.append(Classified(CHROME, text))
            continue
        # A line shown twice in a row, with no blank line between, is a caption or teaser drawn
        # twice (once for screen readers); paragraphs are separated by blank lines.
        if (n + 1 < len(lines) and lines[n + 1].joined and lines[n + 1].text == text) or (
            n and line.joined and lines[n - 1].text == text
        ):
            out.append(Classified(CHROME, text))
            continue
        # The line right under "5 years ago Video" is the teaser's title.
        teaser_title = after_teaser and line.joined and not is_prose(text)
        after_teaser = bool(TIME_AGO.match(text))
        if LINK_BLOCK.match(text):
            in_link_block = True
            out.append(Classified(CHROME, text))
            continue
        if in_link_block and is_headline(text):
            out.append(Classified(CHROME, text))
            continue
        in_link_block = False
        credit = labelled_credit(text)
        item = LIST_ITEM.match(text)
        if is_furniture(text) or teaser_title or (is_boilerplate(text) and word_count(text) <= _NOTICE_WORDS):
            out.append(Classified(CHROME, text))
        elif credit and not credit.group("caption"):
            out.append(_credit_for_previous(out, line, credit.group("credit").strip()))
        elif (image := caption_with_credit(text)) is not None:
            out.append(Classified(IMAGE, image))
        elif item:
            out.append(Classified(ITEM, (item.group("number") is not None, item.group("text"))))
        elif not is_prose(text) and CODE.search(text):
            # A bare keyword or name just above belongs to the same program ("SELECT" over "avg(n)").
            if line.joined and out and out[-1].kind == LABEL:
                out[-1] = Classified(CODE_LINE, out[-1].value)
            out.append(Classified(CODE_LINE, text))
        elif ends_like_sentence(text) or (
            word_count(text) >= (_UNPUNCTUATED_CJK if is_written_without_spaces(text) else _UNPUNCTUATED_PROSE_WORDS)
            and reads_like_prose(text, stopwords)
        ):
            # A line this long is prose even without a full stop (blogs, scripts that end lines bare).
            # The same paragraph twice (a repeated lead, a pull quote) is kept once, where it first appears.
            out.append(Classified(CHROME if text in seen else PARAGRAPH, text))
            seen.add(text)
        elif line.joined and out and out[-1].kind == CODE_LINE:
            out.append(Classified(CODE_LINE, text))
        else:
            out.append(Classified(LABEL, text))
    return out


def _credit_for_previous(out: list[Classified], line: Line, credit: str) -> Classified:
    """A credit alone on its line belongs to the caption just above it (no blank line between), if there is one."""
    if line.joined and out and out[-1].kind in (PARAGRAPH, LABEL):
        caption = str(out.pop().value)
        return Classified(IMAGE, Image(src="", caption=caption, credit=credit))
    return Classified(IMAGE, Image(src="", credit=credit))


def lists_after_colons(classified: list[Classified]) -> list[Classified]:
    """Two or more short lines under a paragraph ending in a colon are a list (a browser copies no bullets)."""
    out = list(classified)
    n = 0
    while n < len(out):
        if out[n].kind != PARAGRAPH or not str(out[n].value).endswith(":"):
            n += 1
            continue
        run, n = [], n + 1
        while n < len(out) and (out[n].kind == CHROME or _is_bare_list_line(out[n])):
            if out[n].kind != CHROME:
                run.append(n)
            n += 1
        texts = [str(out[m].value) for m in run]
        # A long run, or one repeating a line ("Undo", "Sponsored"), is a box of links or ads, not a list.
        if 2 <= len(run) <= _LIST_ITEMS and len(set(texts)) == len(texts):
            for m in run:
                out[m] = Classified(LOOSE_ITEM, (False, str(out[m].value)))
    return out


def drop_link_lists(classified: list[Classified], stopwords: frozenset[str]) -> list[Classified]:
    """Turn runs of bulleted items that read like link labels (short, without a stop word) into chrome.

    Navigation, "more in this section" and country or topic lists are copied as lists too; the
    items of a story's own lists say something, so they hold the language's little words.
    """
    if not stopwords:
        return classified
    out = list(classified)
    items = [n for n, line in enumerate(out) if line.kind == ITEM]
    runs: list[list[int]] = []
    for n in items:
        # Chrome between two items does not break a run.
        if runs and all(out[m].kind == CHROME for m in range(runs[-1][-1] + 1, n)):
            runs[-1].append(n)
        else:
            runs.append([n])
    for run in runs:
        texts = [out[n].text for n in run]
        labels = sum(_is_link_label(t, stopwords) for t in texts)
        # A list announced by the paragraph right above it ("... the following:") is the story's.
        announced = run[0] > 0 and out[run[0] - 1].kind == PARAGRAPH and str(out[run[0] - 1].value).endswith(":")
        if len(run) >= 3 and labels >= _LINK_SHARE * len(run) and not announced:
            for n, text in zip(run, texts):
                out[n] = Classified(CHROME, text)
    # A row of buttons copied as a list ("* Share on X", "* Tweet") is chrome however long it is.
    return [Classified(CHROME, line.text) if _is_button_item(line) else line for line in out]


def _is_button_item(line: Classified) -> bool:
    return line.kind == ITEM and is_furniture(line.text)


def _is_link_label(text: str, stopwords: frozenset[str]) -> bool:
    """Whether a list item reads like a link's label: a name without the language's little words, or a word or three.

    A quantity is not one ("2 eggs"): ingredients and figures are short too; a count of posts is
    ("October (3)", "Travel (12)": an archive's or a category's link).
    """
    words = word_count(text)
    if is_furniture(text) or words <= _LINK_WORDS and not has_stopword(text, stopwords):
        return True
    if words <= _LINK_WORDS and _POST_COUNT.search(text):
        return True
    if words <= _LINK_WORDS and _is_title_cased(text, stopwords):
        return True
    return words <= _TINY_ITEM_WORDS and not any(c.isdigit() for c in text)


def _is_title_cased(text: str, stopwords: frozenset[str]) -> bool:
    """A name or a title: every word capitalised but the little ones ("Isle of Man", "Saint Kitts and Nevis")."""
    words = [match[0] for match in _WORDS.finditer(text)]
    named = [word for word in words if word.lower() not in stopwords]
    return len(named) >= 2 and all(word[:1].isupper() for word in named) and words[0][:1].isupper()


_WORDS = re.compile(r"[^\W\d_][\w'’.-]*")
_POST_COUNT = re.compile(r"\S \(\d[\d,.]*\)$")


def _is_bare_list_line(line: Classified) -> bool:
    """A line that can be a list item without a bullet: a label, or a paragraph too short or open-ended to be prose."""
    if line.kind == LABEL:
        return True
    text = str(line.value)
    return line.kind == PARAGRAPH and (text.endswith((";", ",")) or word_count(text) < PROSE_WORDS)
