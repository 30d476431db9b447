"""What a line's neighbours say about it: lone labels before prose are subheadings, the story's tail is chrome."""

from __future__ import annotations

from exporters.readers.copied_text.bylines import byline_parts
from exporters.readers.copied_text.chrome import (
    HEADING_CHARS,
    HEADING_WORDS,
    has_stopword,
    is_boilerplate,
    is_furniture,
    word_count,
)
from exporters.readers.copied_text.classify import (
    CHROME,
    CODE_LINE,
    HEADING,
    IMAGE,
    ITEM,
    LABEL,
    LOOSE_ITEM,
    PARAGRAPH,
    Classified,
)

__all__ = ["drop_short_islands", "drop_trailing_boilerplate", "resolve_labels"]


#: The kinds of story text that a short line between two of them belongs with.
_STORY_KINDS = (PARAGRAPH, ITEM, LOOSE_ITEM, CODE_LINE)


def resolve_labels(classified: list[Classified], stopwords: frozenset[str]) -> list[Classified]:
    """Labels by their neighbours: a subheading over prose or a list, story text between story text, else chrome.

    A lone short label followed by prose or a list is a subheading. One that is neither, alone
    between two lines of story (paragraphs, list items, code), is part of the story, as jusText
    lets a short paragraph take the class of good neighbours: a caption, a command, a line of a
    poem. Other labels (link lists, buttons, a run of teaser headlines) are chrome.
    """
    content = [n for n, line in enumerate(classified) if line.kind != CHROME]
    not_chrome = [line.kind != CHROME for line in classified]
    following = _nearest(classified, range(len(classified) - 1, -1, -1), not_chrome, look_past_asking=False)
    preceding = _nearest(classified, range(len(classified)), not_chrome, look_past_asking=False)
    nested = _nested_headings(classified, preceding, following)
    out = list(classified)
    for position, n in enumerate(content):
        if classified[n].kind != LABEL:
            continue
        text = str(classified[n].value)
        after_label = position > 0 and classified[content[position - 1]].kind == LABEL
        is_heading = _heading_shaped(text) and (
            (not after_label and following[n] in (PARAGRAPH, ITEM, LOOSE_ITEM))  # labels in a row are links...
            or n in nested  # ...unless they are a section's title and its subsection's
            # Right under a box of links (a table of contents), only a short label is a section's title.
            or (preceding[n] == CHROME and following[n] == PARAGRAPH and word_count(text) <= _BOX_HEADING_WORDS)
            or (preceding[n] in _STORY_KINDS and _over_captions_and_prose(classified, n, stopwords))
        )
        if is_heading:
            out[n] = Classified(HEADING, text)
        elif preceding[n] in _STORY_KINDS and following[n] in _STORY_KINDS:
            out[n] = Classified(PARAGRAPH, text)
        else:
            out[n] = Classified(CHROME, text)
    return out


def _heading_shaped(text: str) -> bool:
    """Short, opening with a capital or a figure, not ending open on a comma."""
    return (
        word_count(text) <= HEADING_WORDS
        and len(text) <= HEADING_CHARS
        and text[:1].isalnum()
        and not text[:1].islower()  # scripts without case count as capitals
        and not text.endswith((",", ";"))
    )


#: One title of a section and its subsections has at least this many words.
_TITLE_WORDS = 3
#: A section's title may have this many nested titles under it ("Project updates", "Add-ons", "Add-on manager").
_NESTED_HEADINGS = 2


def _is_short_title(text: str) -> bool:
    """A few words, mostly letters, no byline: "Project updates", not "1 | 2 | 3", "Next page >" or "By Jane Doe"."""
    letters = sum(c.isalpha() for c in text)
    return (
        _heading_shaped(text)
        and word_count(text) <= _BOX_HEADING_WORDS
        and letters >= 0.8 * len(text.replace(" ", ""))
        and text[-1:].isalnum()
        and byline_parts(text) is None
    )


def _nested_headings(
    classified: list[Classified], preceding: dict[int, str | None], following: dict[int, str | None]
) -> set[int]:
    """Labels in a short run between story text and prose, each a short title: a section's title and its subsections'.

    A run of links is longer, or sits under a box of chrome, or is followed by more chrome.
    """
    found: set[int] = set()
    n = 0
    while n < len(classified):
        end = n
        while end < len(classified) and classified[end].kind == LABEL:
            end += 1
        run = range(n, end)
        if (
            2 <= len(run) <= 1 + _NESTED_HEADINGS
            and preceding[run[0]] in _STORY_KINDS
            and following[run[-1]] in (PARAGRAPH, ITEM, LOOSE_ITEM)
            and all(_is_short_title(str(classified[m].value)) for m in run)
            # A menu's items are a word or two each ("News", "Local news", "Sport").
            and any(word_count(str(classified[m].value)) >= _TITLE_WORDS for m in run)
        ):
            found.update(run)
        n = max(end, n + 1)
    return found


#: A subheading may stand over this many captions (photos copied without their image) before its prose.
_CAPTIONS_UNDER_HEADING = 2
#: A caption has at least this many words; fewer make a link label.
_CAPTION_WORDS = 4
#: A label right under a dropped box is a subheading only when this short ("History", "Early life").
_BOX_HEADING_WORDS = 6


def _over_captions_and_prose(classified: list[Classified], n: int, stopwords: frozenset[str]) -> bool:
    """Whether prose follows line ``n`` past a photo's caption or two (and furniture such as "Main article: ...").

    A caption describes, so it holds the language's little words; a row of tags does not.
    """
    captions = 0
    for m in range(n + 1, len(classified)):
        line = classified[m]
        text = str(line.value)
        if line.kind == IMAGE or (line.kind == CHROME and is_furniture(text)):
            continue
        if (
            line.kind == LABEL
            and word_count(text) >= _CAPTION_WORDS
            and (has_stopword(text, stopwords) or not stopwords)
            and captions < _CAPTIONS_UNDER_HEADING
        ):
            captions += 1
            continue
        return captions > 0 and line.kind == PARAGRAPH
    return False


def _nearest(
    classified: list[Classified], order: range, asking: list[bool], *, look_past_asking: bool
) -> dict[int, str | None]:
    """For each asking line, the kind of the nearest line before it in ``order``.

    Caption-only images and one-line furniture ("Advertisement") are looked past; a box of
    chrome (a dropped link list) counts, so a label right next to one is that box's title.
    With ``look_past_asking``, the asking lines are looked past too (short lines ask about longer ones).
    """
    nearest: dict[int, str | None] = {}
    last = None
    for n in order:
        line = classified[n]
        if asking[n]:
            nearest[n] = last
            if look_past_asking:
                continue
        if line.kind == CHROME and not is_furniture(str(line.value)):
            last = CHROME
        elif line.kind not in (IMAGE, CHROME):
            last = line.kind
    return nearest


#: A paragraph of fewer words is short: too little text to tell story from a button or a notice by itself.
SHORT_WORDS = 5


def drop_short_islands(classified: list[Classified]) -> list[Classified]:
    """Short paragraphs take the class of their neighbours, as jusText's short paragraphs do.

    One between two lines of story ("Proof: as claimed.") is story; one next to chrome or at the
    edge of the copy ("Thanks!", "Categories:", "Sign up now.") is chrome. Neighbours are the
    nearest lines that are neither short, nor images, nor one-line furniture.
    """
    short = [line.kind == PARAGRAPH and word_count(str(line.value)) < SHORT_WORDS for line in classified]

    before = _nearest(classified, range(len(classified)), short, look_past_asking=True)
    after = _nearest(classified, range(len(classified) - 1, -1, -1), short, look_past_asking=True)
    out = list(classified)
    for n in before:
        if before[n] not in _STORY_KINDS + (HEADING,) and after[n] not in _STORY_KINDS + (HEADING,):
            out[n] = Classified(CHROME, classified[n].value)
    return out


def drop_trailing_boilerplate(classified: list[Classified]) -> list[Classified]:
    """Turn what follows the story's last paragraph into chrome.

    That is every line that is neither a paragraph nor a bulleted item (link lists, teaser
    headlines, share buttons, lists of tags) and the comment-policy, newsletter, cookie and
    copyright paragraphs, and short paragraphs ("Sign up", "Thanks!"), except a short sentence
    right under the last paragraph, which ends the story ("He was 82.").
    """
    out = _drop_boxes_after_the_story(classified)
    for n in range(len(out) - 1, -1, -1):
        if out[n].kind == CHROME:
            continue
        text = str(out[n].value)
        if out[n].kind not in (PARAGRAPH, ITEM) or (
            out[n].kind == PARAGRAPH
            and (is_boilerplate(text) or (word_count(text) < SHORT_WORDS and not _ends_the_story(out, n)))
        ):
            out[n] = Classified(CHROME, out[n].value)
            continue
        break
    return out


def _drop_boxes_after_the_story(classified: list[Classified]) -> list[Classified]:
    """Lists after the story's last paragraph under a title that is chrome (a label, "Categories:") are boxes of links.

    A list under the last paragraph or under a subheading stays: stories end with lists too.
    """
    last = next((n for n in range(len(classified) - 1, -1, -1) if _is_long_paragraph(classified[n])), -1)
    out = list(classified)
    under_chrome = False
    for n in range(last + 1, len(classified)):
        line = classified[n]
        if line.kind == ITEM:
            if under_chrome:
                out[n] = Classified(CHROME, line.value)
        elif not (line.kind == CHROME and is_furniture(str(line.value))):
            under_chrome = line.kind == CHROME or line.kind == PARAGRAPH
    return out


def _ends_the_story(classified: list[Classified], n: int) -> bool:
    """Whether line ``n``, a short paragraph, is a sentence closing the story paragraph just before it."""
    text = str(classified[n].value)
    return (
        n > 0
        and _is_long_paragraph(classified[n - 1])
        and text[:1].isupper()
        and text.endswith((".", "!", "?", "。"))
        and not is_furniture(text)
        and byline_parts(text) is None  # "Posted by Jane Doe." is the page's, not the story's
    )


def _is_long_paragraph(line: Classified) -> bool:
    """A paragraph of story length that is no notice."""
    text = str(line.value)
    return line.kind == PARAGRAPH and word_count(text) >= SHORT_WORDS and not is_boilerplate(text)
