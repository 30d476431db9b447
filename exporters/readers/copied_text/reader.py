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
  several such lines in a row are a link list, not headings;
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
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from exporters.model import Article, ArticleError, Block, Heading, Image, ListBlock, Paragraph, Span, article_id
from exporters.readers.base import Reader, decode_any_text
from exporters.text import clean_text

__all__ = ["TextReader", "article_from_copied_text"]

# Characters a browser copy carries that are not text: zero-width spaces, soft hyphens, BOMs.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\u00ad\ufeff]")
_SPACES = re.compile(r"[^\S\n]+")
_URL_LINE = re.compile(r"^(?:https?://)\S+$", re.I)
_WORD = re.compile(r"\w+(?:['’.-]\w+)*")
# Chinese and Japanese write without spaces: each character counts as a word.
_CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

#: A sentence ends with one of these (closing quotes and brackets included); CJK full stops too.
_CLOSING = ".!?…:;\"”’'»)]。！？」』"
#: Prose: a line ending in closing punctuation with at least this many words.
_PROSE_WORDS = 8
#: A line cut off with "…" and at most this many words is a teaser headline.
_TRUNCATED_HEADLINE_WORDS = 15
#: A subheading is at most this long.
_HEADING_WORDS = 12
_HEADING_CHARS = 100

# Page furniture that fills a line on its own (compared lower-cased, without a trailing colon).
_FURNITURE = frozenset(
    item.strip()
    for item in """advertisement|ad|sponsored|sponsored content|story continues below advertisement|
    continue reading|continue reading below|article continues below|skip to content|skip to main content|
    share|share this|share this article|share this story|share on facebook|share on twitter|share via email|
    copy link|link copied|email|print|facebook|twitter|x|linkedin|whatsapp|reddit|pinterest|
    comments|comment|view comments|show comments|leave a comment|join the conversation|
    listen|listen to this article|watch|video|audio|play|play video|pause|loading|loading...|
    open in app|download the app|sign up|sign in|log in|subscribe|subscribe now|follow|follow us|
    report a typo|report an error|report a correction|corrections|back to top|top|menu|search|
    read more|read full article|more|see more|show more|close|cookie settings|accept|accept all|
    reject all|manage preferences|got it|image|photo|enlarge this image|toggle caption|hide caption""".split("|")
)

# A line opening a block of links to other stories; the headline-like lines after it go too.
_LINK_BLOCK = re.compile(
    r"^(related|related (stories|articles|content|coverage|links|reading|topics)|more (on|from|about) .{1,40}|"
    r"more stories|most (read|popular|viewed|shared)|trending( now)?|recommended( for you)?|you (may|might) also like|"
    r"top stories|latest (news|stories)|editor'?s picks|in other news|also in the news|tags|topics)\s*:?$",
    re.I,
)
# A pointer to another story: "Read more: Headline", "WATCH | Headline", "Related: ...".
_POINTER = re.compile(
    r"^(read more|read also|also read|see also|related|watch|listen|more|recommended|opinion|analysis|explainer|live)"
    r"\s*[:|»›>–—-]\s*\S",
    re.I,
)
# "5 years ago", "3 hours agoVideo": the time stamp of a video or audio teaser.
_TIME_AGO = re.compile(
    r"^(\d+|an?|one)\s*(seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|[smhdwy])\s+ago\s*"
    r"(video|audio|watch|listen|play|podcast)?$",
    re.I,
)
# A running time at the end of a teaser line: "... in Syria 2:37".
_RUNNING_TIME = re.compile(r"\s(\d{1,2}:)?\d{1,2}:\d{2}$")
# Reading or listening time under a headline: "4 min read".
_READING_TIME = re.compile(r"^\d+\s*(min|mins|minutes?)(\s+(read|listen|watch))?$", re.I)
# Slideshow counters: "1 of 0", "Photo 3 of 12", "2/9".
_COUNTER = re.compile(r"^((image|photo|picture|slide|gallery)\s+)?\d+\s*(of|/)\s*\d+$", re.I)
# A photo credit closing a caption: "(Carlos Barria/AP)", "(Photo: Jane Doe/Reuters)".
_CREDIT_IN_BRACKETS = re.compile(
    r"^(?P<caption>.*?)\s*\((?:(?i:photo|image|picture|photograph|credit|photo credit)s?\s*:\s*(?P<labelled>[^()]{2,80})|"
    r"(?P<slashed>[A-Z][^()/]{0,60}/\s*[A-Z][^()]{0,60}))\)$"
)
# A labelled credit: "Photo: Jane Doe/Reuters", "Photo by Jane Doe", "... at dawn. Image credit: J. Doe/AFP",
# or "CreditJane Doe" (a visually hidden label copied without its space).
_CREDIT_LABELLED = re.compile(
    r"^(?P<caption>.*?)\s*(?<![\w-])"
    r"(?:(?i:photo|image|picture|photograph|illustration|credit|photo credit|image credit)s?\s*:\s*"
    r"|(?i:photo|image|picture|photograph|illustration)s?\s+(?i:by)\s+|(?i:credit)(?=[A-Z]))"
    r"(?P<credit>[A-Z][^:!?]{0,79}[^:.!?\s])$"
)
_CREDIT_LABELS = ("photo", "image", "picture", "illustration", "credit")
_LIST_ITEM = re.compile(r"^(?:(?P<bullet>[-+*•·‣◦▪▸►–])|(?P<number>\d{1,3})[.)])\s+(?P<text>\S.*)$")

# Boilerplate that ends a copied page: comment policy, newsletter and app promos, cookie banners, copyright.
_BOILERPLATE = re.compile(
    r"\b(by submitting a comment|submission guidelines|comments on this story|comments are (welcome|closed|moderated)|"
    r"close comments|reserve the right|pseudonyms?|online communit(y|ies)|community (guidelines|standards)|"
    r"thoughtful and respectful|join the (conversation|discussion)|(does|do) not endorse the opinions|"
    r"sign up (for|to)|newsletters?|subscribe (to|for|now)|download (our|the) app|"
    r"(we|this (site|website)|our (site|website)) uses? cookies|cookie (policy|settings|preferences)|accept (all )?cookies|"
    r"all rights reserved|terms (of|and) (use|service|conditions)|privacy (policy|notice)|follow us on)\b|^(©|copyright\b)",
    re.I,
)

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_TIME_OF_DAY = r",?\s*(?:at\s+)?(?P<hour>\d{1,2})[:.](?P<minute>\d{2})\s*(?P<ampm>[ap]\.?m\.?)?"
# Zone abbreviations seen in datelines, mapped to zones so daylight saving comes out right.
_ZONES = {
    "et": "America/New_York",
    "est": "America/New_York",
    "edt": "America/New_York",
    "ct": "America/Chicago",
    "cst": "America/Chicago",
    "cdt": "America/Chicago",
    "mt": "America/Denver",
    "mst": "America/Denver",
    "mdt": "America/Denver",
    "pt": "America/Los_Angeles",
    "pst": "America/Los_Angeles",
    "pdt": "America/Los_Angeles",
    "ast": "America/Halifax",
    "adt": "America/Halifax",
    "nst": "America/St_Johns",
    "ndt": "America/St_Johns",
    "bst": "Europe/London",
    "cet": "Europe/Paris",
    "cest": "Europe/Paris",
    "utc": "UTC",
    "gmt": "UTC",
}
# A zone only means something after a time of day.
_CLOCK = r"(?:" + _TIME_OF_DAY + r"(?:\s*(?P<zone>" + "|".join(sorted(_ZONES, key=len, reverse=True)) + r")\b)?)?"
_DATE_FORMS = [
    re.compile(r"\b" + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})" + _CLOCK, re.I),
    re.compile(r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<year>\d{4})" + _CLOCK, re.I),
]
_ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b")
_DATE_LABEL = re.compile(
    r"^(?P<label>posted|published|first published|updated|last updated|modified|last modified)(?:\s+on)?\s*:?\s*", re.I
)
# "By", and its French, Spanish/Portuguese and German forms.
_BYLINE = re.compile(r"^(?:[Bb]y|Par|Por|Von)\s+(?P<names>[A-Z].*)$")
_PART_SEPARATOR = re.compile(r"\s+[·•|]\s+|\s+[–—]\s+")
_NAME_SEPARATOR = re.compile(r"\s*(?:,|;|&|\b(?:and|und|et|y|e)\b)\s*")
_NAME = re.compile(r"^[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|de|da|van|von|der|del|la|le|bin|al|el)){1,4}$")
# Words that make a byline part an organisation or a role rather than a person.
_NOT_A_PERSON = re.compile(
    r"^the\b|\b(news|press|reuters|ap|afp|agency|agencies|staff|times|post|journal|herald|tribune|guardian|"
    r"bbc|cbc|cnn|npr|correspondent|reporter|editor|writer|contributor|bureau|wire|service|media)\b",
    re.I,
)


@dataclass(frozen=True)
class _Line:
    """One non-empty line of the copy; ``joined`` when no blank line separates it from the line before."""

    text: str
    joined: bool


@dataclass(frozen=True)
class _Byline:
    """People and dates read from byline and dateline lines."""

    authors: tuple[str, ...] = ()
    published: datetime | None = None
    updated: datetime | None = None


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
    lines = _lines(text)
    url = None
    # The address bar is copied above or below the page.
    for end in (0, -1):
        if lines and _URL_LINE.match(lines[end].text):
            url = url or lines[end].text
            lines = lines[1:] if end == 0 else lines[:-1]
    while lines and _is_furniture(lines[0].text):
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


def _lines(text: str) -> list[_Line]:
    """Non-empty lines, spaces normalised (no-break spaces, indentation, runs of blanks), invisible characters gone."""
    text = _INVISIBLE.sub("", clean_text(text.replace("\r\n", "\n").replace("\r", "\n")))
    raw = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    if _is_hard_wrapped(raw):
        raw = _unwrap(raw)
    lines: list[_Line] = []
    joined = False
    for line in raw:
        if line:
            lines.append(_Line(line, joined))
            joined = True
        else:
            joined = False
    return lines


def _is_hard_wrapped(raw: list[str]) -> bool:
    """Whether paragraphs were wrapped at a fixed width (a text file, not a browser copy, which keeps one line each).

    Wrapped text has no long lines, and some lines nearly fill the width with more text right under them.
    """
    width = max((len(line) for line in raw), default=0)
    if not 40 <= width <= 100:
        return False
    continued = sum(
        1 for line, after in zip(raw, raw[1:]) if _was_wrapped(line, width) and after and not _LIST_ITEM.match(after)
    )
    return continued >= 2


def _was_wrapped(line: str, width: int) -> bool:
    """Whether a line of wrapped text was broken at the width (rather than ending its paragraph)."""
    return len(line) >= 0.6 * width


def _unwrap(raw: list[str]) -> list[str]:
    """Join the lines of each wrapped paragraph into one; short lines (titles, labels) and list items stay apart."""
    width = max(len(line) for line in raw)
    out: list[str] = []
    previous = ""
    for line in raw:
        if line and _was_wrapped(previous, width) and not _LIST_ITEM.match(line):
            out[-1] += " " + line
        else:
            out.append(line)
        previous = line
    return out


def _body_and_byline(lines: list[_Line]) -> tuple[tuple[Block, ...], _Byline]:
    """Split lines after the title into the header (bylines kept, the rest dropped) and the story's blocks."""
    start = _story_start(lines)
    if start is None:
        # Nothing reads like prose: not a copied page but notes or a list; keep every line but furniture.
        return tuple(Paragraph((Span(line.text),)) for line in lines if not _is_furniture(line.text)), _Byline()
    header, story = lines[:start], lines[start:]
    # A byline may also sit just under the lead paragraph.
    under_lead = [n for n in (1, 2) if n < len(story) and _byline_parts(story[n].text) is not None]
    byline = _read_byline([line.text for line in header] + [story[n].text for n in under_lead])
    return _story_blocks([line for n, line in enumerate(story) if n not in under_lead]), byline


def _story_start(lines: list[_Line]) -> int | None:
    """Index of the story's first line: the first prose line, or its repetition when the copy shows it twice."""
    for index, line in enumerate(lines):
        if _is_prose(line.text) and not _is_furniture(line.text) and not _BOILERPLATE.search(line.text):
            # A standfirst repeated as the lead: what lies between the two copies is page chrome.
            return next((n for n in range(index + 1, len(lines)) if lines[n].text == line.text), index)
    return None


def _is_prose(text: str) -> bool:
    """A sentence: ends with closing punctuation and has enough words to be more than a label."""
    return _ends_like_sentence(text) and _word_count(text) >= _PROSE_WORDS


def _word_count(text: str) -> int:
    """Words in a line, counting each Chinese or Japanese character as one."""
    return len(_CJK.findall(text)) + len(_WORD.findall(_CJK.sub(" ", text)))


def _ends_like_sentence(text: str) -> bool:
    """Whether a line closes like a sentence (or a quotation, or a bracket).

    A short line cut off with "…" is a headline truncated to fit a teaser box, not a sentence.
    """
    if text.endswith("…") and _word_count(text) <= _TRUNCATED_HEADLINE_WORDS:
        return False
    return text.endswith(tuple(_CLOSING))


def _is_furniture(text: str) -> bool:
    """A line that is page furniture on its own, wherever it appears."""
    key = text.lower().rstrip(":").strip()
    return (
        key in _FURNITURE
        or bool(_TIME_AGO.match(text) or _READING_TIME.match(text) or _COUNTER.match(text) or _POINTER.match(text))
        or (bool(_RUNNING_TIME.search(text[-12:])) and not _ends_like_sentence(_RUNNING_TIME.sub("", text)))
    )


# What a story line is classified as, before subheadings and trailing boilerplate are resolved.
_PARAGRAPH, _LABEL, _HEADING, _IMAGE, _ITEM, _CHROME = "paragraph", "label", "heading", "image", "item", "chrome"


@dataclass(frozen=True)
class _Classified:
    """A story line's kind and its value: text, an :class:`Image`, or (ordered, text) for a list item."""

    kind: str
    value: object


def _story_blocks(lines: list[_Line]) -> tuple[Block, ...]:
    """Classify story lines, turn lone labels before prose into subheadings and drop the trailing boilerplate."""
    classified = _drop_trailing_boilerplate(_resolve_labels(_lists_after_colons(_classify(lines))))
    return _assemble([line for line in classified if line.kind != _CHROME])


def _classify(lines: list[_Line]) -> list[_Classified]:
    """Each line as chrome, paragraph, unpunctuated label, list item or caption-only image."""
    out: list[_Classified] = []
    in_link_block = after_teaser = False
    seen: set[str] = set()
    for line in lines:
        text = line.text
        # The line right under "5 years ago Video" is the teaser's title.
        teaser_title = after_teaser and line.joined and not _is_prose(text)
        after_teaser = bool(_TIME_AGO.match(text))
        if _LINK_BLOCK.match(text):
            in_link_block = True
            out.append(_Classified(_CHROME, text))
            continue
        if in_link_block and _is_headline(text):
            out.append(_Classified(_CHROME, text))
            continue
        in_link_block = False
        credit = _labelled_credit(text)
        item = _LIST_ITEM.match(text)
        if _is_furniture(text) or teaser_title:
            out.append(_Classified(_CHROME, text))
        elif credit and not credit.group("caption"):
            out.append(_credit_for_previous(out, line, credit.group("credit").strip()))
        elif (image := _caption_with_credit(text)) is not None:
            out.append(_Classified(_IMAGE, image))
        elif item:
            out.append(_Classified(_ITEM, (item.group("number") is not None, item.group("text"))))
        elif _ends_like_sentence(text):
            # The same paragraph twice (a repeated lead, a pull quote) is kept once, where it first appears.
            out.append(_Classified(_CHROME if text in seen else _PARAGRAPH, text))
            seen.add(text)
        else:
            out.append(_Classified(_LABEL, text))
    return out


def _is_headline(text: str) -> bool:
    """A line that reads like a link to another story: no closing punctuation, or a short question."""
    return not _ends_like_sentence(text) or (text.endswith(("?", "!")) and _word_count(text) <= 15)


def _labelled_credit(text: str) -> re.Match | None:
    """The match of a labelled credit ("Photo: ...") ending ``text``, or None."""
    # The cheap test first: the full pattern is slow on the long lines that make most of a story.
    lowered = text.lower()
    return _CREDIT_LABELLED.match(text) if any(label in lowered for label in _CREDIT_LABELS) else None


def _caption_with_credit(text: str) -> Image | None:
    """A caption line that ends in a photo credit, as a caption-only image; None for other lines."""
    match = _CREDIT_IN_BRACKETS.match(text) if text.endswith(")") else None
    if match and match.group("caption"):
        credit = (match.group("labelled") or match.group("slashed")).strip()
        return Image(src="", caption=match.group("caption").strip(), credit=credit)
    match = _labelled_credit(text)
    if match and _ends_like_sentence(match.group("caption")):
        return Image(src="", caption=match.group("caption").strip(), credit=match.group("credit").strip())
    return None


def _credit_for_previous(out: list[_Classified], line: _Line, credit: str) -> _Classified:
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
        if len(run) >= 2:
            for m in run:
                out[m] = _Classified(_ITEM, (False, str(out[m].value)))
    return out


def _is_bare_list_line(line: _Classified) -> bool:
    """A line that can be a list item without a bullet: a label, or a paragraph too short or open-ended to be prose."""
    if line.kind == _LABEL:
        return True
    text = str(line.value)
    return line.kind == _PARAGRAPH and (text.endswith((";", ",")) or _word_count(text) < _PROSE_WORDS)


def _resolve_labels(classified: list[_Classified]) -> list[_Classified]:
    """A lone short label followed by prose or a list is a subheading; other labels (link lists, buttons) are chrome."""
    content = [n for n, line in enumerate(classified) if line.kind != _CHROME]
    # The kind of the next kept line after each one, looking past caption-only images.
    following: dict[int, str | None] = {}
    upcoming = None
    for n in reversed(content):
        following[n] = upcoming
        if classified[n].kind != _IMAGE:
            upcoming = classified[n].kind
    out = list(classified)
    for position, n in enumerate(content):
        if classified[n].kind != _LABEL:
            continue
        text = str(classified[n].value)
        is_heading = (
            (position == 0 or classified[content[position - 1]].kind != _LABEL)  # labels in a row are links
            and following[n] in (_PARAGRAPH, _ITEM)
            and _word_count(text) <= _HEADING_WORDS
            and len(text) <= _HEADING_CHARS
            and text[:1].isalnum()
            and not text[:1].islower()  # scripts without case count as capitals
        )
        out[n] = _Classified(_HEADING if is_heading else _CHROME, text)
    return out


def _drop_trailing_boilerplate(classified: list[_Classified]) -> list[_Classified]:
    """Turn the comment-policy, newsletter, cookie and copyright paragraphs that end the copy into chrome."""
    out = list(classified)
    for n in range(len(out) - 1, -1, -1):
        if out[n].kind == _CHROME:
            continue
        if out[n].kind in (_PARAGRAPH, _HEADING) and _BOILERPLATE.search(str(out[n].value)):
            out[n] = _Classified(_CHROME, out[n].value)
            continue
        break
    return out


def _assemble(classified: list[_Classified]) -> tuple[Block, ...]:
    """Blocks from the kept lines; consecutive list items of the same kind make one list."""
    blocks: list[Block] = []
    for line in classified:
        if line.kind == _ITEM:
            ordered, text = line.value
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
            blocks.append(line.value)
    return tuple(blocks)


def _read_byline(lines: list[str]) -> _Byline:
    """Authors and dates from the byline and dateline lines among ``lines`` (the first date of each kind wins)."""
    authors: list[str] = []
    published = updated = None
    for text in lines:
        for kind, value in _byline_parts(text) or ():
            if kind == "author" and value not in authors:
                authors.append(value)
            elif kind == "updated" and updated is None:
                updated = value
            elif kind == "published" and published is None:
                published = value
    return _Byline(tuple(authors), published, updated)


def _byline_parts(text: str) -> list[tuple[str, object]] | None:
    """The authors and dates of a byline/dateline line, or None when the line is anything else.

    A line counts when it opens with "By Name", or when every part between separators
    ("·", "|", "—") is a date, a name or an outlet and at least one part is a date.
    """
    if len(text) > 200 or _is_prose(text):
        return None
    parts: list[tuple[str, object]] = []
    has_date = has_by = False
    for piece in _PART_SEPARATOR.split(text):
        byline = _BYLINE.match(piece)
        labelled = _DATE_LABEL.match(piece)
        when = _parse_date(piece[labelled.end() :] if labelled else piece)
        if byline:
            has_by = True
            parts.extend(("author", name) for name in _names(byline.group("names")))
        elif when is not None:
            has_date = True
            label = labelled.group("label").lower() if labelled else ""
            parts.append(("updated" if "updated" in label or "modified" in label else "published", when))
        elif _NAME.match(piece) and not _NOT_A_PERSON.search(piece):
            parts.append(("author", piece))
        elif not (_NOT_A_PERSON.search(piece) and _word_count(piece) <= 5):
            return None
    return parts if has_by or has_date else None


def _names(text: str) -> list[str]:
    """People in the names part of a byline; organisations and roles ("The Associated Press") are left out."""
    return [
        name
        for name in _NAME_SEPARATOR.split(text.strip().rstrip("."))
        if name and _NAME.match(name) and not _NOT_A_PERSON.search(name)
    ]


def _zone(abbreviation: str | None):
    """The zone a dateline abbreviation stands for; UTC when there is none or the zone database lacks it."""
    name = _ZONES.get((abbreviation or "").lower(), "UTC")
    if name == "UTC":
        return UTC
    try:
        return ZoneInfo(name)
    except ZoneInfoNotFoundError:
        return UTC


def _parse_date(text: str) -> datetime | None:
    """A date written out in a dateline ("Sep 18, 2015 4:12 PM ET", "18 September 2015", ISO 8601), else None.

    The text must be the date and little else; a date without a zone is taken as UTC.
    """
    text = text.strip()
    iso = _ISO_DATE.fullmatch(text)
    if iso:
        try:
            value = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    for form in _DATE_FORMS:
        match = form.search(text)
        if not match or len(text) - (match.end() - match.start()) > 12:
            continue
        hour = int(match.group("hour") or 0)
        ampm = (match.group("ampm") or "").replace(".", "").lower()
        if ampm == "pm" and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
        zone = _zone(match.group("zone"))
        try:
            return datetime(
                int(match.group("year")),
                _MONTHS[match.group("month").lower()],
                int(match.group("day")),
                hour,
                int(match.group("minute") or 0),
                tzinfo=zone,
            )
        except ValueError:
            return None
    return None
