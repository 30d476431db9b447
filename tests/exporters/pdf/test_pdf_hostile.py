"""PDF of hostile input: headings taller than a page, tables wider than the page, characters beyond the BMP."""

from __future__ import annotations

import io
import json

import pypdf
import pytest
from PIL import Image as PILImage
from typer.testing import CliRunner

from exporters.model import Article, Asset, Collection, Heading, Image, Paragraph, Span
from exporters.pdf.exporter import PdfExporter, PdfOptions

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
