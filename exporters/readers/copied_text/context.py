"""What a line's neighbours say about it: lone labels before prose are subheadings, the story's tail is chrome."""

from __future__ import annotations

from exporters.readers.copied_text.chrome import HEADING_CHARS, HEADING_WORDS, is_boilerplate, is_furniture, word_count
from exporters.readers.copied_text.classify import (
    CHROME,
    HEADING,
    IMAGE,
    ITEM,
    LABEL,
    LOOSE_ITEM,
    PARAGRAPH,
    Classified,
)

__all__ = ["drop_trailing_boilerplate", "resolve_labels"]


def resolve_labels(classified: list[Classified]) -> list[Classified]:
    """A lone short label followed by prose or a list is a subheading; other labels (link lists, buttons) are chrome."""
    content = [n for n, line in enumerate(classified) if line.kind != CHROME]
    # The kind of the next line after each one, looking past caption-only images and one-line
    # furniture ("Advertisement"); a box of chrome (a dropped link list) right under a label
    # shows the label is that box's title.
    following: dict[int, str | None] = {}
    upcoming = None
    for n in range(len(classified) - 1, -1, -1):
        line = classified[n]
        if line.kind != CHROME:
            following[n] = upcoming
        if line.kind == CHROME and not is_furniture(str(line.value)):
            upcoming = CHROME
        elif line.kind not in (IMAGE, CHROME):
            upcoming = line.kind
    out = list(classified)
    for position, n in enumerate(content):
        if classified[n].kind != LABEL:
            continue
        text = str(classified[n].value)
        is_heading = (
            (position == 0 or classified[content[position - 1]].kind != LABEL)  # labels in a row are links
            and following[n] in (PARAGRAPH, ITEM, LOOSE_ITEM)
            and word_count(text) <= HEADING_WORDS
            and len(text) <= HEADING_CHARS
            and text[:1].isalnum()
            and not text[:1].islower()  # scripts without case count as capitals
        )
        out[n] = Classified(HEADING if is_heading else CHROME, text)
    return out


def drop_trailing_boilerplate(classified: list[Classified]) -> list[Classified]:
    """Turn what follows the story's last paragraph into chrome.

    That is every line that is neither a paragraph nor a bulleted item (link lists, teaser
    headlines, share buttons, lists of tags) and the comment-policy, newsletter, cookie and
    copyright paragraphs.
    """
    out = list(classified)
    for n in range(len(out) - 1, -1, -1):
        if out[n].kind == CHROME:
            continue
        if out[n].kind not in (PARAGRAPH, ITEM) or (out[n].kind == PARAGRAPH and is_boilerplate(str(out[n].value))):
            out[n] = Classified(CHROME, out[n].value)
            continue
        break
    return out
