"""PDF layout does reportlab's repeated work once: lines are broken once per width, words measured
once, lines encoded into the font's subsets by table; the results are reportlab's own."""

from __future__ import annotations

import pytest
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph

from exporters.pdf.flowables import KeepLinesParagraph
from exporters.pdf.fonts import load_font_set
from exporters.pdf.markup import markup
from exporters.pdf.styles import Styles
from exporters.pdf.truetype import TrueTypeFont

WIDTH = 300
TEXT = " ".join(
    f"Paragraph {n} of the report says the ministers' unprecedented negotiations continued overnight."
    for n in range(12)
)


@pytest.fixture(scope="module")
def styles() -> Styles:
    return Styles(load_font_set(None), 10.5)


def line_words(paragraph: Paragraph) -> list[str]:
    """Each line of a wrapped paragraph as its words joined by spaces (simple or marked-up lines)."""
    lines = paragraph.blPara.lines
    if paragraph.blPara.kind == 0:
        return [" ".join(words) for _, words in lines]
    return ["".join(word[1][1] if isinstance(word, list) else word.text for word in line.words) for line in lines]


def count_breaks(monkeypatch) -> list[int]:
    calls = [0]
    original = Paragraph.breakLines

    def counted(self, width):
        calls[0] += 1
        return original(self, width)

    monkeypatch.setattr(Paragraph, "breakLines", counted)
    return calls


def test_split_halves_keep_the_lines_of_the_whole_and_match_reportlabs_own_split(styles, monkeypatch):
    style = styles.get("body", "en_GB")  # hyphenated, so words are split at line ends
    ours, theirs = KeepLinesParagraph(TEXT, style), Paragraph(TEXT, style)
    calls = count_breaks(monkeypatch)
    ours.wrap(WIDTH, 10_000)
    whole = line_words(ours)
    halves = ours.split(WIDTH, 120)
    for half in halves:
        half.wrap(WIDTH, 10_000)
    assert calls == [1]
    assert len(halves) == 2 and [*line_words(halves[0]), *line_words(halves[1])] == whole
    assert any(line.endswith("-") for line in whole)
    theirs.wrap(WIDTH, 10_000)
    their_halves = theirs.split(WIDTH, 120)
    for half in their_halves:
        half.wrap(WIDTH, 10_000)
    assert [line_words(half) for half in halves] == [line_words(half) for half in their_halves]


def test_a_marked_up_paragraph_is_broken_once_per_width(styles, monkeypatch):
    html = markup(TEXT, styles.fonts).replace("ministers", "<i>ministers</i>")
    paragraph = KeepLinesParagraph(html, styles.get("body"))
    calls = count_breaks(monkeypatch)
    paragraph.wrap(WIDTH, 10_000)
    first = line_words(paragraph)
    paragraph.wrap(WIDTH, 10_000)  # as when layout moves it to the next frame
    assert calls == [1] and line_words(paragraph) == first and paragraph.blPara.kind == 1
    paragraph.wrap(WIDTH / 2, 10_000)
    assert calls == [2] and len(line_words(paragraph)) > len(first)


class Document:
    """Stands for a PDF document: fonts keep their subsets per document (weakly referenced)."""


def test_text_is_measured_and_encoded_as_reportlab_does(styles):
    path = str(styles.fonts.body.regular.path)
    ours, theirs = TrueTypeFont("NX-test-ours", path), TTFont("NX-test-theirs", path)
    ours_doc, theirs_doc = Document(), Document()
    many = "".join(map(chr, range(0x100, 0x250)))  # more characters than the first subset holds
    texts = [
        "",
        "Plain words, twice.",
        "Plain words, twice.",
        "no\u00a0break space",
        "Ελληνικά και кириллица",
        many,
        "日本 is not in this font",
        "Plain words again, then ∑ and " + many[::7],
    ]
    for text in texts:
        assert ours.splitString(text, ours_doc) == theirs.splitString(text, theirs_doc), text
        for size in (10.5, 7):
            assert ours.stringWidth(text, size) == theirs.stringWidth(text, size)
    assert ours.state[ours_doc].assignments == theirs.state[theirs_doc].assignments
