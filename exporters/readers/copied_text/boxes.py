"""Boxes inside the story that are no part of it: slideshows, lists of dated teasers, promotions."""

from __future__ import annotations

import re

from exporters.readers.copied_text.bylines import byline_parts
from exporters.readers.copied_text.chrome import is_call_to_action, word_count
from exporters.readers.copied_text.classify import (
    CHROME,
    CODE_LINE,
    HEADING,
    IMAGE,
    LABEL,
    PARAGRAPH,
    Classified,
)

__all__ = ["drop_dated_teasers", "drop_promo_boxes", "drop_slideshows"]


#: A slideshow shows at least this many of its counters ("3/50 Title", "Photo 3 of 12").
_SLIDES = 3
#: A slide's credit line ("Getty Images") has at most this many words, and a slide at most this many such lines.
_CREDIT_WORDS = 5
_CREDITS = 2


def drop_slideshows(classified: list[Classified]) -> list[Classified]:
    """A slideshow copied into the story is chrome: its numbered slides, their captions and credits.

    Its slides are lines opening with a counter of one total ("1/50", "Photo 2 of 50"), numbered
    upwards; what lies between the first and the last is theirs, and so is the last slide's
    caption and credit under it.
    """
    counters = [(n, slide) for n, line in enumerate(classified) if (slide := _slide_number(line)) is not None]
    out = list(classified)
    for total in {total for _, (_, total) in counters}:
        slides = [(n, number) for n, (number, of) in counters if of == total]
        numbers = [number for _, number in slides]
        if len(slides) < _SLIDES or numbers != sorted(set(numbers)):
            continue
        end, caption, credits = slides[-1][0] + 1, False, 0
        while end < len(classified):
            line = classified[end]
            if line.kind == PARAGRAPH and not caption:
                caption = True
            elif line.kind in (LABEL, CHROME, IMAGE) and word_count(line.text) <= _CREDIT_WORDS and credits < _CREDITS:
                credits += 1
            else:
                break
            end += 1
        for m in range(slides[0][0], end):
            out[m] = Classified(CHROME, classified[m].text)
    return out


_SLIDE_COUNTER = re.compile(r"^(?:(?:image|photo|picture|slide)\s+)?(\d{1,3})\s*(?:/|of)\s*(\d{1,3})(?:\s|$)", re.I)


def _slide_number(line: Classified) -> tuple[int, int] | None:
    """The (number, total) of the slide a line opens, or None."""
    match = _SLIDE_COUNTER.match(line.text)
    if match is None or line.kind == CODE_LINE:
        return None
    number, total = int(match.group(1)), int(match.group(2))
    return (number, total) if 0 < number <= total else None


#: A list of teasers shows at least this many headlines, each over its time ("Markets calm down", "1 March 2019 13:16").
_DATED_TEASERS = 3
#: A teaser's headline has at most this many words; a live blog's entry under its time is longer.
_TEASER_WORDS = 20


def drop_dated_teasers(classified: list[Classified]) -> list[Classified]:
    """A run of headlines each over a line that is only its date or time is a list of other stories.

    The story itself does not alternate one short line and one date; a live blog puts the time over
    its entry, which is written in sentences.
    """
    dates = [n for n, line in enumerate(classified) if n and _is_date_alone(line) and _is_teaser(classified[n - 1])]
    out = list(classified)
    run: list[int] = []
    for n in dates + [-1]:
        if run and n == run[-1] + 2:
            run.append(n)
            continue
        if len(run) >= _DATED_TEASERS:
            for m in range(run[0] - 1, run[-1] + 1):
                out[m] = Classified(CHROME, classified[m].text)
        run = [n]
    return out


def _is_teaser(line: Classified) -> bool:
    """A headline: short, and not closed by a full stop as an entry of a live blog is."""
    text = line.text
    return word_count(text) <= _TEASER_WORDS and not text.endswith(".")


def _is_date_alone(line: Classified) -> bool:
    """A line giving nothing but a date or a time."""
    text = line.text
    if line.kind == CODE_LINE or len(text) > _DATE_CHARS or not any(c.isdigit() for c in text):
        return False
    parts = byline_parts(text) or []
    return bool(parts) and all(kind != "author" for kind, _ in parts)


#: A date alone on its line is at most this long ("Wednesday 28 February 2019 at 17:56 CET").
_DATE_CHARS = 50


#: A promotion's pitch under its title is at most this many words ("Get the briefing in your inbox every day.").
PROMO_WORDS = 25


def drop_promo_boxes(classified: list[Classified]) -> list[Classified]:
    """A titled box ending in a call to action (a newsletter, the app) is chrome, wherever it sits.

    The box is a title (a subheading, a label, or a line that is chrome by itself), at most two
    short paragraphs, then a button line such as "Sign up": story text is not followed by a button.
    """
    out = list(classified)
    for n, line in enumerate(classified):
        if line.kind != CHROME or not is_call_to_action(str(line.value)):
            continue
        top, words = n - 1, 0
        while top >= 0 and n - top <= 3 and classified[top].kind == PARAGRAPH:
            words += word_count(str(classified[top].value))
            top -= 1
        # Its title may already be chrome by itself ("Newsletter").
        if top >= 0 and top < n - 1 and classified[top].kind in (HEADING, LABEL, CHROME) and words <= PROMO_WORDS:
            for m in range(top, n):
                out[m] = Classified(CHROME, classified[m].value)
    return out
