"""Plain text as copied out of a browser: the first line is the title, the page chrome is removed.

A copy of a news page holds the story plus whatever surrounded it on screen: related
headlines, video teasers, slideshow counters, share buttons, photo credits and the comment
policy at the bottom. The rules below are general shapes of that chrome, not strings from
one site:

* the story starts at the first prose line (a sentence of at least eight words ending in
  punctuation); when that line is repeated further down (a standfirst repeated as the lead)
  the story starts at the repetition, and everything before the start except bylines and
  dates is chrome;
* a line without closing punctuation is chrome (a headline link, a button, a show name)
  unless it is short, does not start in lower case and is followed by prose: then it is a subheading;
  several such lines in a row are a link list, not headings; a line of twenty words or more
  that is a fifth stop words (jusText's lists, the page's language picked by them) is prose
  even without a full stop;
* a short unpunctuated line shown more than once in the copy (menus, teaser lists, buttons)
  is chrome unless prose follows it; a line drawn twice in a row is a caption drawn twice;
* a run of bulleted items that are mostly short and hold no stop word is a list of links;
  an unbulleted "list" that is long or repeats a line is an ad box; what follows the story's
  last paragraph, bulleted items aside, is chrome;
* lines of program code (braces, a closing semicolon, assignments, calls) and the bare
  keywords around them are one preformatted block;
* "N hours ago Video" markers and the teaser line after them, lines ending in a running
  time ("2:37"), counters ("1 of 12"), and well-known single-line furniture ("Advertisement",
  "Share this article", "Read more: ...", a "Related" block) are chrome;
* a line ending in a credit, "(Name/Agency)" or "Photo: Name/Agency", is a photo caption:
  an :class:`Image` with an empty ``src`` (the photo itself was not copied);
* paragraphs at the very end about comments, newsletters, cookies or copyright are dropped;
* a URL alone on the first or last line (copied from the address bar) is the article's URL;
  "By Name" and dateline lines ("Name · Posted: Sep 18, 2015 4:12 PM ET") give authors and dates;
* bulleted lines, and short lines under a paragraph ending in a colon, are lists;
  a verbatim repeat of a paragraph is kept once; text wrapped at a fixed width is unwrapped.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import cast

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
from exporters.readers.copied_text.bylines import Byline, byline_parts, read_byline
from exporters.readers.copied_text.chrome import (
    CODE,
    HEADING_CHARS,
    HEADING_WORDS,
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
    labelled_credit,
    reads_like_prose,
    stopwords_of,
    word_count,
)
from exporters.readers.copied_text.lines import Line, copied_lines

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
            url = url or lines[end].text
            lines = lines[1:] if end == 0 else lines[:-1]
    while lines and is_furniture(lines[0].text):
        lines = lines[1:]
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


def _body_and_byline(lines: list[Line]) -> tuple[tuple[Block, ...], Byline]:
    """Split lines after the title into the header (bylines kept, the rest dropped) and the story's blocks."""
    start = _story_start(lines)
    if start is None:
        # Nothing reads like prose: not a copied page but notes or a list; keep every line but furniture.
        return tuple(Paragraph((Span(line.text),)) for line in lines if not is_furniture(line.text)), Byline()
    header, story = lines[:start], lines[start:]
    # A byline may also sit just under the lead paragraph.
    under_lead = [n for n in (1, 2) if n < len(story) and byline_parts(story[n].text) is not None]
    byline = read_byline([line.text for line in header] + [story[n].text for n in under_lead])
    shown = Counter(line.text for line in lines)
    return _story_blocks([line for n, line in enumerate(story) if n not in under_lead], shown), byline


def _story_start(lines: list[Line]) -> int | None:
    """Index of the story's first line: the first prose line, or its repetition when the copy shows it twice."""
    for index, line in enumerate(lines):
        if is_prose(line.text) and not is_furniture(line.text) and not is_boilerplate(line.text):
            # A standfirst repeated as the lead: what lies between the two copies is page chrome.
            return next((n for n in range(index + 1, len(lines)) if lines[n].text == line.text), index)
    return None


#: A line without closing punctuation and at least this many words is still prose, not a label.
_UNPUNCTUATED_PROSE_WORDS = 20
#: A line repeated in the copy is chrome when it has at most this many words.
_REPEATED_WORDS = 8
#: A list without bullets has at most this many items.
_LIST_ITEMS = 12
#: A list item of at most this many words without a stop word reads like a link label...
_LINK_WORDS = 6
#: ...and a list with at least this share of such items is a list of links.
_LINK_SHARE = 2 / 3

# What a story line is classified as, before subheadings and trailing boilerplate are resolved.
_PARAGRAPH, _LABEL, _HEADING, _IMAGE, _ITEM, _CHROME = "paragraph", "label", "heading", "image", "item", "chrome"
# An item of a list without bullets, found by the shape of its lines; a line of program code.
_LOOSE_ITEM, _CODE = "loose item", "code"


@dataclass(frozen=True)
class _Classified:
    """A story line's kind and its value: text, an :class:`Image`, or (ordered, text) for a list item."""

    kind: str
    value: object


def _story_blocks(lines: list[Line], shown: Counter[str]) -> tuple[Block, ...]:
    """Classify story lines, turn lone labels before prose into subheadings and drop the trailing boilerplate."""
    stopwords = stopwords_of(" ".join(line.text for line in lines))
    classified = _lists_after_colons(_classify(lines, stopwords, shown))
    classified = _drop_trailing_boilerplate(_resolve_labels(_drop_link_lists(classified, stopwords)))
    return _assemble([line for line in classified if line.kind != _CHROME])


def _classify(lines: list[Line], stopwords: frozenset[str], shown: Counter[str]) -> list[_Classified]:
    """Each line as chrome, paragraph, unpunctuated label, list item or caption-only image."""
    out: list[_Classified] = []
    in_link_block = after_teaser = False
    seen: set[str] = set()
    for n, line in enumerate(lines):
        text = line.text
        # Menus, teaser lists and buttons are drawn more than once on a page (header and footer,
        # every teaser): a short unpunctuated line seen twice is chrome, unless prose follows it
        # (a subheading that a table of contents repeats).
        if (
            shown[text] > 1
            and word_count(text) <= _REPEATED_WORDS
            and not ends_like_sentence(text)
            and not CODE.search(text)
            and not (n + 1 < len(lines) and is_prose(lines[n + 1].text))
        ):
            out.append(_Classified(_CHROME, text))
            continue
        # A line shown twice in a row, with no blank line between, is a caption or teaser drawn
        # twice (once for screen readers); paragraphs are separated by blank lines.
        if (n + 1 < len(lines) and lines[n + 1].joined and lines[n + 1].text == text) or (
            n and line.joined and lines[n - 1].text == text
        ):
            out.append(_Classified(_CHROME, text))
            continue
        # The line right under "5 years ago Video" is the teaser's title.
        teaser_title = after_teaser and line.joined and not is_prose(text)
        after_teaser = bool(TIME_AGO.match(text))
        if LINK_BLOCK.match(text):
            in_link_block = True
            out.append(_Classified(_CHROME, text))
            continue
        if in_link_block and is_headline(text):
            out.append(_Classified(_CHROME, text))
            continue
        in_link_block = False
        credit = labelled_credit(text)
        item = LIST_ITEM.match(text)
        if is_furniture(text) or teaser_title:
            out.append(_Classified(_CHROME, text))
        elif credit and not credit.group("caption"):
            out.append(_credit_for_previous(out, line, credit.group("credit").strip()))
        elif (image := caption_with_credit(text)) is not None:
            out.append(_Classified(_IMAGE, image))
        elif item:
            out.append(_Classified(_ITEM, (item.group("number") is not None, item.group("text"))))
        elif not is_prose(text) and CODE.search(text):
            # A bare keyword or name just above belongs to the same program ("SELECT" over "avg(n)").
            if line.joined and out and out[-1].kind == _LABEL:
                out[-1] = _Classified(_CODE, out[-1].value)
            out.append(_Classified(_CODE, text))
        elif ends_like_sentence(text) or (
            word_count(text) >= _UNPUNCTUATED_PROSE_WORDS and reads_like_prose(text, stopwords)
        ):
            # A line this long is prose even without a full stop (blogs, scripts that end lines bare).
            # The same paragraph twice (a repeated lead, a pull quote) is kept once, where it first appears.
            out.append(_Classified(_CHROME if text in seen else _PARAGRAPH, text))
            seen.add(text)
        elif line.joined and out and out[-1].kind == _CODE:
            out.append(_Classified(_CODE, text))
        else:
            out.append(_Classified(_LABEL, text))
    return out


def _credit_for_previous(out: list[_Classified], line: Line, credit: str) -> _Classified:
    """A credit alone on its line belongs to the caption just above it (no blank line between), if there is one."""
    if line.joined and out and out[-1].kind in (_PARAGRAPH, _LABEL):
        caption = str(out.pop().value)
        return _Classified(_IMAGE, Image(src="", caption=caption, credit=credit))
    return _Classified(_IMAGE, Image(src="", credit=credit))


def _lists_after_colons(classified: list[_Classified]) -> list[_Classified]:
    """Two or more short lines under a paragraph ending in a colon are a list (a browser copies no bullets)."""
    out = list(classified)
    n = 0
    while n < len(out):
        if out[n].kind != _PARAGRAPH or not str(out[n].value).endswith(":"):
            n += 1
            continue
        run, n = [], n + 1
        while n < len(out) and (out[n].kind == _CHROME or _is_bare_list_line(out[n])):
            if out[n].kind != _CHROME:
                run.append(n)
            n += 1
        texts = [str(out[m].value) for m in run]
        # A long run, or one repeating a line ("Undo", "Sponsored"), is a box of links or ads, not a list.
        if 2 <= len(run) <= _LIST_ITEMS and len(set(texts)) == len(texts):
            for m in run:
                out[m] = _Classified(_LOOSE_ITEM, (False, str(out[m].value)))
    return out


def _drop_link_lists(classified: list[_Classified], stopwords: frozenset[str]) -> list[_Classified]:
    """Turn runs of bulleted items that read like link labels (short, without a stop word) into chrome.

    Navigation, "more in this section" and country or topic lists are copied as lists too; the
    items of a story's own lists say something, so they hold the language's little words.
    """
    if not stopwords:
        return classified
    out = list(classified)
    items = [n for n, line in enumerate(out) if line.kind == _ITEM]
    runs: list[list[int]] = []
    for n in items:
        # Chrome between two items does not break a run.
        if runs and all(out[m].kind == _CHROME for m in range(runs[-1][-1] + 1, n)):
            runs[-1].append(n)
        else:
            runs.append([n])
    for run in runs:
        texts = [cast(tuple[bool, str], out[n].value)[1] for n in run]
        labels = sum(word_count(t) <= _LINK_WORDS and not has_stopword(t, stopwords) for t in texts)
        if len(run) >= 3 and labels >= _LINK_SHARE * len(run):
            for n in run:
                out[n] = _Classified(_CHROME, texts[run.index(n)])
    return out


def _is_bare_list_line(line: _Classified) -> bool:
    """A line that can be a list item without a bullet: a label, or a paragraph too short or open-ended to be prose."""
    if line.kind == _LABEL:
        return True
    text = str(line.value)
    return line.kind == _PARAGRAPH and (text.endswith((";", ",")) or word_count(text) < PROSE_WORDS)


def _resolve_labels(classified: list[_Classified]) -> list[_Classified]:
    """A lone short label followed by prose or a list is a subheading; other labels (link lists, buttons) are chrome."""
    content = [n for n, line in enumerate(classified) if line.kind != _CHROME]
    # The kind of the next line after each one, looking past caption-only images and one-line
    # furniture ("Advertisement"); a box of chrome (a dropped link list) right under a label
    # shows the label is that box's title.
    following: dict[int, str | None] = {}
    upcoming = None
    for n in range(len(classified) - 1, -1, -1):
        line = classified[n]
        if line.kind != _CHROME:
            following[n] = upcoming
        if line.kind == _CHROME and not is_furniture(str(line.value)):
            upcoming = _CHROME
        elif line.kind not in (_IMAGE, _CHROME):
            upcoming = line.kind
    out = list(classified)
    for position, n in enumerate(content):
        if classified[n].kind != _LABEL:
            continue
        text = str(classified[n].value)
        is_heading = (
            (position == 0 or classified[content[position - 1]].kind != _LABEL)  # labels in a row are links
            and following[n] in (_PARAGRAPH, _ITEM, _LOOSE_ITEM)
            and word_count(text) <= HEADING_WORDS
            and len(text) <= HEADING_CHARS
            and text[:1].isalnum()
            and not text[:1].islower()  # scripts without case count as capitals
        )
        out[n] = _Classified(_HEADING if is_heading else _CHROME, text)
    return out


def _drop_trailing_boilerplate(classified: list[_Classified]) -> list[_Classified]:
    """Turn what follows the story's last paragraph into chrome.

    That is every line that is neither a paragraph nor a bulleted item (link lists, teaser
    headlines, share buttons, lists of tags) and the comment-policy, newsletter, cookie and
    copyright paragraphs.
    """
    out = list(classified)
    for n in range(len(out) - 1, -1, -1):
        if out[n].kind == _CHROME:
            continue
        if out[n].kind not in (_PARAGRAPH, _ITEM) or (out[n].kind == _PARAGRAPH and is_boilerplate(str(out[n].value))):
            out[n] = _Classified(_CHROME, out[n].value)
            continue
        break
    return out


def _assemble(classified: list[_Classified]) -> tuple[Block, ...]:
    """Blocks from the kept lines; consecutive list items of the same kind make one list."""
    blocks: list[Block] = []
    for line in classified:
        if line.kind in (_ITEM, _LOOSE_ITEM):
            ordered, text = cast(tuple[bool, str], line.value)
            previous = blocks[-1] if blocks else None
            if isinstance(previous, ListBlock) and previous.ordered == ordered:
                blocks[-1] = ListBlock(ordered, previous.items + ((Span(text),),))
            else:
                blocks.append(ListBlock(ordered, ((Span(text),),)))
        elif line.kind == _PARAGRAPH:
            blocks.append(Paragraph((Span(str(line.value)),)))
        elif line.kind == _HEADING:
            blocks.append(Heading(2, (Span(str(line.value)),)))
        elif line.kind == _IMAGE:
            blocks.append(cast(Image, line.value))
        elif line.kind == _CODE:
            previous = blocks[-1] if blocks else None
            if isinstance(previous, Preformatted):
                blocks[-1] = Preformatted(previous.text + "\n" + str(line.value))
            else:
                blocks.append(Preformatted(str(line.value)))
    return tuple(blocks)
