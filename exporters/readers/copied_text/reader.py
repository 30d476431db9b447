"""Plain text as copied out of a browser: the first line is the title, the page chrome is removed.

A copy of a news page holds the story plus whatever surrounded it on screen: related
headlines, video teasers, slideshow counters, share buttons, photo credits and the comment
policy at the bottom. The rules below are general shapes of that chrome, not strings from
one site. Each line is first classified by its own shape (classify.py), then, the way
jusText does it, short lines take their class from their neighbours (context.py):

* the story starts at the first prose line (a sentence of at least eight words ending in
  punctuation); when that line is repeated further down (a standfirst repeated as the lead)
  the story starts at the repetition, and everything before the start except bylines, dates
  and a lone subheading right above it is chrome;
* a line without closing punctuation is a label: a subheading when it is short, does not
  start in lower case and is followed by prose or a list (past a photo's caption or two, or
  right under a dropped table of contents; a section's title over its subsection's counts
  too); story text when it stands alone between two lines of story (a caption, a command);
  chrome otherwise (a headline link, a button, several labels in a row); a line of twenty
  words or more that is a fifth stop words (jusText's lists, the page's language picked by
  them), or of twelve Chinese or Japanese characters, is prose even without a full stop;
* a long line that does not close like a sentence and is continued by the next (in lower
  case, or after a stop word) is one paragraph broken in mid-sentence, and is joined again;
* a paragraph of fewer than five words whose nearest neighbours are chrome, or that comes
  after the story's last longer paragraph, is chrome ("Thanks!", "Categories:");
* a short unpunctuated line shown more than once in the copy (menus, teaser lists, buttons)
  is chrome unless prose follows it; a line drawn twice in a row is a caption drawn twice,
  and a title drawn several times on one line, or a snippet cut with "…" and a link after
  it, is a teaser card;
* a run of bulleted items that are mostly link labels (three words or fewer without a
  figure, or up to six without a stop word) is a list of links, unless a paragraph ending in
  a colon announces it; an unbulleted "list" that is long or repeats a line is an ad box;
  after the story's last paragraph, a list under a chrome title is a box of links, and every
  other line that is neither a paragraph nor a bulleted item is chrome;
* a block of lines with no blank line between, of which at least two and a third look like
  code (braces, a closing semicolon, assignments, calls, box drawing, a line ending open on
  "(" or ",", snake_case names), is one preformatted block, keywords and repeats included;
  so is a block of three rows or more of figures, or of cells a browser copied with tabs between
  them, without a sentence (a table);
* a slideshow (three counters or more of one total: "3/50 Title") goes with its captions
  and credits, and three headlines or more, each over a line with only its time, are a list
  of other stories (boxes.py);
* "N hours ago Video" markers and the teaser line after them, lines ending in a running
  time ("2:37"), counters ("1 of 12"), and well-known single-line furniture ("Advertisement",
  "Share this article", "Read more: ...", a "Related" block) are chrome;
* a line ending in a credit, "(Name/Agency)" or "Photo: Name/Agency", is a photo caption:
  an :class:`Image` with an empty ``src`` (the photo itself was not copied);
* paragraphs at the very end about comments, newsletters, cookies or copyright are dropped,
  and such notices of fifteen words or fewer anywhere; a titled box of short paragraphs ending
  in a call to action ("Sign up") is a promotion; the readers' comments are cut at their
  heading when "Reply"/"Like" buttons follow it, or at their buttons alone when two comments
  show them; a short sentence right under the last
  paragraph ("He was 82.") stays;
* a run of three or more short lines above the headline is the site's menu; a byline, a
  menu's bulleted item, a count or a notice the selection began on, just above a headline,
  is no title (a byline is read under it);
* a URL alone on the first or last line (copied from the address bar) is the article's URL;
  "By Name" and dateline lines ("Name · Posted: Sep 18, 2015 4:12 PM ET", "Oct 18, 2019 ·
  8 min read", "18. März 2025", "2025年3月24日") give authors and dates, and so does a name
  alone over the writer's role ("Science correspondent");
* bulleted lines, and short lines under a paragraph ending in a colon, are lists;
  a verbatim repeat of a paragraph is kept once; text wrapped at a fixed width is unwrapped.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from itertools import groupby
from typing import cast

from exporters.html.sanitize import safe_url
from exporters.model import (
    Article,
    ArticleError,
    Block,
    Heading,
    Image,
    ListBlock,
    Paragraph,
    Preformatted,
    Span,
    article_id,
)
from exporters.readers.base import Reader, decode_any_text
from exporters.readers.copied_text.boxes import drop_dated_teasers, drop_promo_boxes, drop_slideshows
from exporters.readers.copied_text.bylines import Byline, byline_parts, read_byline
from exporters.readers.copied_text.chrome import (
    COMMENT_BUTTON,
    COMMENTS_OPENING,
    HEADING_CHARS,
    HEADING_WORDS,
    LIST_ITEM,
    ends_like_sentence,
    is_boilerplate,
    is_furniture,
    is_headline,
    is_prose,
    stopwords_of,
    word_count,
)
from exporters.readers.copied_text.classify import (
    CHROME,
    CODE_LINE,
    HEADING,
    IMAGE,
    ITEM,
    LOOSE_ITEM,
    PARAGRAPH,
    Classified,
    classify,
    drop_link_lists,
    lists_after_colons,
    looks_like_code,
)
from exporters.readers.copied_text.context import drop_short_islands, drop_trailing_boilerplate, resolve_labels
from exporters.readers.copied_text.lines import Line, copied_lines, join_broken_sentences

__all__ = ["TextReader", "article_from_copied_text"]

_URL_LINE = re.compile(r"^(?:https?://)\S+$", re.I)


class TextReader(Reader):
    """Plain text copied from a browser: one article per file."""

    #: Short name of the input kind.
    name = "text"
    #: Extensions read as copied text.
    file_extensions = (".txt", ".text")

    def sniff(self, head: bytes) -> bool:
        """Any UTF-8 text is plain text; this reader is tried last, after every reader with a signature."""
        if not head.strip() or b"\x00" in head:
            return False
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            # The head may end in the middle of a multi-byte character; only an error earlier than that is fatal.
            return exc.start >= len(head) - 3 and exc.reason == "unexpected end of data"
        return True

    def read(self, data: bytes, source: str) -> list[Article]:
        """The one article in ``data``; raises :class:`ArticleError` for empty, binary or undecodable input."""
        text, encoding = decode_any_text(data, source)
        return [article_from_copied_text(text, source).with_changes(encoding=encoding)]


def article_from_copied_text(text: str, source: str) -> Article:
    """An article from text copied out of a browser: title from the first line, chrome removed."""
    lines = copied_lines(text)
    url = None
    # The address bar is copied above or below the page.
    for end in (0, -1):
        if lines and _URL_LINE.match(lines[end].text):
            url = url or safe_url(lines[end].text)
            lines = lines[1:] if end == 0 else lines[:-1]
    lines = _headline_first(_without_top_menu(lines))
    if not lines:
        raise ArticleError(f"{source}: no title line, only page furniture")
    title, rest = lines[0].text, lines[1:]
    body, byline = _body_and_byline(rest)
    if not body:
        raise ArticleError(f"{source}: only a title line, no article text")
    return Article(
        id=article_id(url, title, body),
        title=title,
        body=body,
        url=url,
        authors=byline.authors,
        published=byline.published,
        updated=byline.updated,
        source=source,
    )


#: A run of at least this many short lines at the top of a copy is the site's menu, not the title.
_MENU_LINES = 3
#: A menu item has at most this many words.
_MENU_WORDS = 3


def _without_top_menu(lines: list[Line]) -> list[Line]:
    """The copy from its headline: furniture ("Skip to content") and the site's menu above it dropped.

    A menu is a run of short lines that are no sentence ("News", "Sport", "Business"); a title of
    a few words followed by its story is not one.
    """
    while lines and is_furniture(lines[0].text):
        lines = lines[1:]
    run = 0
    while run < len(lines) and word_count(lines[run].text) <= _MENU_WORDS and not ends_like_sentence(lines[run].text):
        run += 1
    if run >= _MENU_LINES and run < len(lines) and not is_prose(lines[run].text):
        return _without_top_menu(lines[run:])
    return lines


#: A selection may begin this many lines above the headline (a dateline, a section's name, a count of views).
_ABOVE_HEADLINE = 3
_FIGURES_AND_A_WORD = re.compile(r"^[-+(]?\d\S*(?: [-+(]?\d\S*)*(?: \w+)?$")


def _headline_first(lines: list[Line]) -> list[Line]:
    """The copy from its headline: lines a selection began on above it are dropped, bylines moved below it.

    Such a line is no title: a byline or dateline, a bulleted item of a menu, a figure ("653,817
    views", the "A" of a text-size button), a tag all in lower case, or a sentence ending in a
    full stop (a notice: "You can skip this ad in 5 seconds."). It is moved only when a headline
    follows it: a line of four words or more that is no sentence, list item, furniture or byline.
    """
    for n in range(min(_ABOVE_HEADLINE, len(lines) - 1)):
        if not _is_above_the_headline(lines[n].text):
            return lines
        after = lines[n + 1].text
        if (
            word_count(after) >= _HEADLINE_WORDS
            and is_headline(after)
            and not LIST_ITEM.match(after)
            and not is_furniture(after)
            and byline_parts(after) is None
        ):
            bylines = [line for line in lines[: n + 1] if byline_parts(line.text) is not None]
            return [lines[n + 1], *bylines, *lines[n + 2 :]]
    return lines


#: A headline a line above it gives way to has at least this many words.
_HEADLINE_WORDS = 4


def _is_above_the_headline(text: str) -> bool:
    """Whether a line at the top of a copy is something a selection began on, not the title."""
    return bool(
        byline_parts(text) is not None
        or LIST_ITEM.match(text)
        or _FIGURES_AND_A_WORD.match(text)
        or sum(c.isalpha() for c in text) < 2
        or text == text.lower() != text.upper()
        or (is_prose(text) and text.endswith((".", "。")))
    )


def _body_and_byline(lines: list[Line]) -> tuple[tuple[Block, ...], Byline]:
    """Split lines after the title into the header (bylines kept, the rest dropped) and the story's blocks."""
    start = _story_start(lines)
    if start is None:
        # Nothing reads like prose: not a copied page but notes or a list; keep every line but furniture.
        return tuple(Paragraph((Span(line.text),)) for line in lines if not is_furniture(line.text)), Byline()
    if _is_lone_heading(lines, start - 1):
        start -= 1
    header, story = lines[:start], lines[start:]
    story = story[: _comments_start(story)]
    # A byline may also sit just under the lead paragraph.
    under_lead = [n for n in (1, 2) if n < len(story) and byline_parts(story[n].text) is not None]
    byline = read_byline([line.text for line in header] + [story[n].text for n in under_lead])
    shown = Counter(line.text for line in lines)
    return _story_blocks([line for n, line in enumerate(story) if n not in under_lead], shown), byline


#: Comments show their buttons within this many lines of the heading over them.
_COMMENT_LINES = 12


def _comments_start(story: list[Line]) -> int:
    """Where the readers' comments begin under the story (its length when there are none).

    Comments are prose too, so their heading is the evidence ("Comments (3)", "Leave a comment"),
    taken only when "Reply"/"Like" buttons follow it: a comment counter near the headline is not it.
    Without a heading, buttons under two comments or more are evidence enough: the comments begin
    with the block (lines with no blank between) holding the first button, its name and time above it.
    """
    buttons = [n for n, line in enumerate(story) if n and COMMENT_BUTTON.match(line.text)]
    for n, line in enumerate(story):
        if n and COMMENTS_OPENING.match(line.text):
            after = bisect_right(buttons, n)  # the first button below the heading
            if after < len(buttons) and buttons[after] <= n + _COMMENT_LINES:
                return n
    if len(buttons) < _COMMENTS:
        return len(story)
    start = buttons[0]
    while start > 1 and story[start].joined and buttons[0] - start < _COMMENT_HEAD_LINES:
        start -= 1
    return start


#: Buttons under at least this many comments show comments without a heading over them...
_COMMENTS = 2
#: ...and a comment's block holds at most this many lines above its first button (name, time, text).
_COMMENT_HEAD_LINES = 4


def _story_start(lines: list[Line]) -> int | None:
    """Index of the story's first line: the first prose line, or its repetition when the copy shows it twice."""
    for index, line in enumerate(lines):
        if is_prose(line.text) and not is_furniture(line.text) and not is_boilerplate(line.text):
            # A standfirst repeated as the lead: what lies between the two copies is page chrome.
            return next((n for n in range(index + 1, len(lines)) if lines[n].text == line.text), index)
    return None


def _is_lone_heading(lines: list[Line], n: int) -> bool:
    """Whether line ``n``, just above the story's first paragraph, is its first subheading.

    It has a heading's shape and stands alone: right under the title, a byline or furniture
    (not under another label, which would make it the last of a menu or a list of links).
    """
    if n < 0:
        return False
    text = lines[n].text
    above = lines[n - 1].text if n else None
    return (
        is_headline(text)
        and not is_furniture(text)
        and byline_parts(text) is None
        and word_count(text) <= HEADING_WORDS
        and len(text) <= HEADING_CHARS
        and text[:1].isalnum()
        and not text[:1].islower()
        and (above is None or is_furniture(above) or byline_parts(above) is not None)
    )


def _story_blocks(lines: list[Line], shown: Counter[str]) -> tuple[Block, ...]:
    """Classify story lines, turn lone labels before prose into subheadings and drop the trailing boilerplate."""
    stopwords = stopwords_of(" ".join(line.text for line in lines))
    lines = join_broken_sentences(lines, stopwords, lambda text: looks_like_code(text, stopwords))
    classified = lists_after_colons(classify(lines, stopwords, shown))
    classified = resolve_labels(drop_link_lists(drop_dated_teasers(drop_slideshows(classified)), stopwords), stopwords)
    classified = drop_trailing_boilerplate(drop_short_islands(drop_promo_boxes(classified)))
    return _assemble([line for line in classified if line.kind != CHROME])


def _assemble(classified: list[Classified]) -> tuple[Block, ...]:
    """Blocks from the kept lines; consecutive list items of the same kind make one list, code lines one block.

    A run is gathered first and made into its block once: growing a block line by line would be
    quadratic in a list or a program of many thousand lines.
    """
    blocks: list[Block] = []
    for key, run in groupby(classified, key=_run_key):
        lines = list(run)
        if key in ("ordered", "bulleted"):
            items = tuple((Span(line.text),) for line in lines)
            blocks.append(ListBlock(key == "ordered", items))
        elif key == CODE_LINE:
            blocks.append(Preformatted("\n".join(str(line.value) for line in lines)))
        else:
            blocks.extend(_block(line) for line in lines if line.kind in (PARAGRAPH, HEADING, IMAGE))
    return tuple(blocks)


def _run_key(line: Classified) -> str:
    """What a line joins a run of: a list of its kind ("ordered", "bulleted"), code, or nothing (its own kind)."""
    if line.kind in (ITEM, LOOSE_ITEM):
        return "ordered" if cast(tuple[bool, str], line.value)[0] else "bulleted"
    return line.kind


def _block(line: Classified) -> Block:
    """The block of a paragraph, a heading or an image."""
    if line.kind == IMAGE:
        return cast(Image, line.value)
    if line.kind == HEADING:
        return Heading(2, (Span(str(line.value)),))
    return Paragraph((Span(str(line.value)),))
