"""PDF of hostile input: headings taller than a page, tables wider than the page, characters beyond the BMP."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess

import pikepdf
import pypdf
import pytest
from PIL import Image as PILImage
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from typer.testing import CliRunner

from exporters.model import Article, Asset, Collection, Heading, Image, Paragraph, Span, Table
from exporters.pdf.exporter import PdfExporter, PdfOptions
from exporters.pdf.fonts import load_font_set
from exporters.pdf.truetype import TrueTypeFont

#: Layout that never ends fails the test instead of hanging the suite.
pytestmark = pytest.mark.timeout(120)


def export(*articles: Article, **collection) -> bytes:
    return PdfExporter(PdfOptions()).export(Collection(articles=articles, **collection))


def text_of(data: bytes) -> tuple[int, str]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return len(reader.pages), "".join(page.extract_text() for page in reader.pages)


def run(*args: str):
    from main import app

    return CliRunner().invoke(app, list(args), env={"NO_COLOR": "1", "COLUMNS": "100"})


def png() -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), "red").save(buffer, "PNG")
    return buffer.getvalue()


WORD = "W" * 3000  # about two pages of one bold word at the h2 size


@pytest.mark.parametrize("after", ["nothing", "image"])
def test_a_heading_taller_than_a_page_is_split_across_pages(after):
    # Last in the book, or before an image kept with its caption, the heading has nothing it can be
    # kept with; reportlab wrapped it again after every split, forever.
    follows = (Image("i.png", caption="The caption"),) if after == "image" else ()
    body = (Paragraph((Span("Before."),)), Heading(2, (Span(WORD),)), *follows)
    assets = {"i.png": Asset("i.png", "image/png", png(), 40, 30)}
    pages, text = text_of(export(Article(id="1", title="Tall heading", body=body), assets=assets))
    assert text.count("W") == len(WORD)
    assert pages == 6  # cover, contents, four pages of heading
    assert ("The caption" in text) == (after == "image")


def test_cli_exports_a_page_long_heading_word(tmp_path):
    source, out = tmp_path / "feed.json", tmp_path / "out.pdf"
    item = {"id": "1", "title": "T", "content_html": f"<p>x</p><h2>{WORD}</h2>"}
    source.write_text(json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "F", "items": [item]}))
    result = run("export", str(source), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "bug in newsexport" not in result.output
    assert text_of(out.read_bytes())[1].count("W") == len(WORD)


def wide_table(columns: int, header: str = "Head {c}") -> Table:
    head = (tuple((Span(header.format(c=c)),) for c in range(columns)),)
    return Table(head, tuple(tuple((Span(f"r{r}c{c}"),) for c in range(columns)) for r in range(1, 4)))


@pytest.mark.parametrize("columns", [8, 60, 300])
def test_a_table_of_any_width_prints_every_cell_in_readable_columns(columns):
    body = (Paragraph((Span("Before."),)), wide_table(columns), Paragraph((Span("After."),)))
    pages, text = text_of(export(Article(id="1", title="Wide", body=body)))
    words = text.split()
    assert {f"r{r}c{c}" for r in range(1, 4) for c in range(columns)} <= set(words)
    # Ten more columns (beside the first, repeated so each row is told apart) per table across an A4 page.
    groups = 1 if columns == 8 else -(-(columns - 1) // 10)
    assert words.count("r1c0") == words.count("r3c0") == groups
    assert words.count("Head") == columns + groups - 1
    assert words.index("Before.") < words.index("r1c1") < words.index(f"r3c{columns - 1}") < words.index("After.")
    assert pages == {8: 3, 60: 3, 300: 6}[columns]


def test_cli_exports_a_table_of_sixty_columns(tmp_path):
    source, out = tmp_path / "feed.json", tmp_path / "out.pdf"
    row = "".join(f"<td>c{c}</td>" for c in range(60))
    item = {"id": "1", "title": "T", "content_html": f"<table><tr>{row}</tr><tr>{row}</tr></table>"}
    source.write_text(json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "F", "items": [item]}))
    result = run("export", str(source), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "bug in newsexport" not in result.output
    words = text_of(out.read_bytes())[1].split()
    assert all(words.count(f"c{c}") == (12 if c == 0 else 2) for c in range(60))


def test_a_header_cell_taller_than_a_page_is_split_not_repeated():
    # A repeated header row cannot be split; one taller than the frame could not be laid out at all.
    table = Table((((Span(WORD),), (Span("B"),)),), (((Span("under"),), (Span("v"),)),))
    pages, text = text_of(export(Article(id="1", title="Tall header", body=(table,))))
    assert text.count("W") == len(WORD)
    assert text.rindex("W") < text.index("under") < text.index("v", text.index("under"))
    assert "B" in text.split()
    assert pages == 5


ASTRAL = "\U0001f600 \U0001d400 \U00020000"  # an emoji, a mathematical bold A, a CJK Extension B ideograph


def to_unicode_destinations(data: bytes) -> list[str]:
    """The destination hex strings of every ToUnicode map in the file (its bfchar entries)."""
    found = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            for font in page.Resources.Font.values():
                if "/ToUnicode" not in font:  # a standard font (the canvas's initial Helvetica)
                    continue
                cmap = font.ToUnicode.read_bytes().decode()
                entries = cmap[cmap.index("beginbfchar") : cmap.index("endbfchar")]
                found += re.findall(r"^<[0-9A-F]{2}> <([0-9A-F]+)>$", entries, re.M)
    return found


def test_characters_beyond_the_bmp_map_to_utf16_surrogate_pairs():
    face = load_font_set(None).body.regular
    # A character gets a code (and a ToUnicode entry) only when the font has its glyph: DejaVu Serif has
    # mathematical italic letters (U+1D434...).
    chars = "".join(chr(code) for code in sorted(face.codepoints) if code > 0xFFFF)[:3]
    if not chars:
        pytest.skip(f"{face.path.name} has no character beyond the BMP")
    font = TrueTypeFont("AstralTest", str(face.path))
    pdfmetrics.registerFont(font)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1)
    canvas.setFont("AstralTest", 12)
    canvas.drawString(72, 720, "Letters " + chars)
    canvas.save()
    destinations = to_unicode_destinations(buffer.getvalue())
    assert {char.encode("utf-16-be").hex().upper() for char in chars} <= set(destinations)
    assert all(len(hex_string) % 4 == 0 for hex_string in destinations)
    assert pypdf.PdfReader(buffer).pages[0].extract_text().strip() == "Letters " + chars


def _installed_font_covers(char: str) -> bool:
    if shutil.which("fc-list") is None:
        return False
    files = subprocess.run(["fc-list", f":charset={ord(char):x}", "file"], capture_output=True, text=True).stdout
    return any(line.strip().rstrip(":").lower().endswith(".ttf") for line in files.splitlines())


def test_an_article_with_emoji_and_math_letters_keeps_them_in_its_text():
    body = (Paragraph((Span("A smile " + ASTRAL + " in a sentence."),)),)
    data = export(Article(id="1", title="Smile \U0001f600", body=body))
    text = text_of(data)[1]
    for char in ASTRAL.split():
        assert (char in text) == _installed_font_covers(char), char
    assert all(len(hex_string) % 4 == 0 for hex_string in to_unicode_destinations(data))
