"""PDF flow and links: continuous flow, default title, links inside the book, lead image, tables, columns."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import pikepdf
import pypdf
import pytest
from conftest import SAMPLES
from typer.testing import CliRunner

from exporters.model import Article, Collection, Paragraph, Span, Table
from exporters.pdf.exporter import PdfExporter, PdfOptions
from exporters.pipeline.gather import gather, make_collection
from exporters.pipeline.grouping import default_title
from exporters.pipeline.jsonform import articles_to_json

WHEN = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def run(*args: str):
    from main import app

    return CliRunner().invoke(app, list(args), env={"NO_COLOR": "1", "COLUMNS": "100"})


def export(collection: Collection, **options) -> bytes:
    return PdfExporter(PdfOptions(**options)).export(collection)


def page_texts(data: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def outline_pages(data: bytes) -> list[int]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return [reader.get_destination_page_number(item) for item in reader.outline]


@pytest.fixture(scope="module")
def samples() -> Collection:
    return make_collection(gather([str(SAMPLES)]).articles, title="Samples", load_images=False)


def test_continuous_flow_sets_articles_one_after_another(samples):
    paged, continuous = export(samples), export(samples, flow="continuous")
    assert len(page_texts(paged)) == 10
    assert outline_pages(paged) == [2, 3, 5, 6, 7, 8, 9]
    assert len(page_texts(continuous)) == 6
    assert outline_pages(continuous) == [2, 2, 4, 4, 4, 5, 5]
    # The contents give the page each article starts on (1-based), as the outline does.
    assert page_texts(continuous)[1].splitlines()[2:15:2] == ["3", "3", "5", "5", "5", "6", "6"]


def test_continuous_flow_draws_a_rule_between_articles(samples):
    data = export(samples, flow="continuous")
    with pikepdf.open(io.BytesIO(data)) as pdf:
        widths = [
            float(operands[0])
            for page in pdf.pages[2:]
            for operands, operator in pikepdf.parse_content_stream(page)
            if str(operator) == "w"
        ]
    assert widths.count(1.2) == len(samples.articles) - 1


def test_without_title_the_book_is_saved_articles_and_its_dates(tmp_path):
    out = tmp_path / "book.pdf"
    assert run("export", str(SAMPLES), "-o", str(out), "-q").exit_code == 0
    reader = pypdf.PdfReader(str(out))
    assert reader.pages[0].extract_text().splitlines()[:4] == [
        "Saved articles, 2024-03-18 –",
        " 2024-10-16",
        " 7 articles",
        " 18 March 2024 – 16 October 2024",
    ]
    assert reader.metadata.title == "Saved articles, 2024-03-18 – 2024-10-16"


def test_default_title_names_the_span_of_days():
    one = Article(id="a", title="A", body=(), published=WHEN)
    assert default_title(Collection(articles=(one,))) == "Saved articles, 2024-05-01"
    assert default_title(Collection(articles=(Article(id="b", title="B", body=()),))) == "Saved articles"


def linked_articles() -> tuple[Article, Article]:
    other = Article(id="story-b", title="Story B", body=(Paragraph((Span("B body."),)),), url="https://news.example/2")
    spans = (
        Span("See "),
        Span("the other story", href="https://news.example/2/#top"),
        Span(", "),
        Span("its id", href="#story-b"),
        Span(", "),
        Span("nowhere", href="#nowhere"),
        Span(", "),
        Span("a script", href="javascript:alert(1)"),
        Span(" and "),
        Span("the web", href="https://example.org/x"),
        Span("."),
    )
    first = Article(id="story-a", title="Story A", body=(Paragraph(spans),), url="https://news.example/1")
    return first, other


def test_links_to_articles_of_the_book_are_internal_and_dead_ones_plain_text():
    data = export(Collection(articles=linked_articles(), generated=WHEN))
    assert "See the other story, its id, nowhere, a script and the web." in page_texts(data)[2]
    with pikepdf.open(io.BytesIO(data)) as pdf:
        annotations = list(pdf.pages[2].get("/Annots", []))
        web = [str(a.A.URI) for a in annotations if "/A" in a]
        inside = [pdf.pages.index(a.Dest[0]) for a in annotations if "/Dest" in a]
    assert web == ["https://news.example/1", "https://example.org/x"]
    assert inside == [3, 3]


def test_cli_link_to_nowhere_is_exported_not_an_error(tmp_path):
    source = tmp_path / "links.json"
    source.write_text(articles_to_json(list(linked_articles())), encoding="utf-8")
    out = tmp_path / "links.pdf"
    result = run("export", str(source), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1:] == [f"Wrote {out} (pdf, 2 articles, {out.stat().st_size:,} bytes)"]
    assert "Error" not in result.output and "Warning" not in result.output
    assert "nowhere, a script and the web." in pypdf.PdfReader(str(out)).pages[2].extract_text()


def image_draws(data: bytes) -> list[int]:
    """The 0-based page of every image drawn."""
    pages = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for n, page in enumerate(pdf.pages):
            xobjects = page.Resources.get("/XObject", {})
            for operands, operator in pikepdf.parse_content_stream(page):
                if str(operator) == "Do" and xobjects[operands[0]].get("/Subtype") == "/Image":
                    pages.append(n)
    return pages


def test_lead_image_that_the_body_shows_is_printed_once_with_its_markdown_title_as_caption(tmp_path):
    out = tmp_path / "train.pdf"
    assert run("export", str(SAMPLES / "night-trains-alps.md"), "-o", str(out), "-q").exit_code == 0
    data = out.read_bytes()
    assert image_draws(data) == [2]
    assert "Sleeper services" in page_texts(data)[2]


def table_article() -> Article:
    rows = tuple(((Span(f"row {n}"),), (Span(str(n)),)) for n in range(3))
    body = (Table((((Span("Name"),), (Span("Value"),)),), rows), Paragraph((Span("After the table."),)))
    return Article(id="t", title="Table", body=body)


def test_paragraph_after_a_table_keeps_clear_of_its_border():
    data = export(Collection(articles=(table_article(),), generated=WHEN))
    baselines: dict[str, float] = {}
    pypdf.PdfReader(io.BytesIO(data)).pages[2].extract_text(
        visitor_text=lambda text, cm, tm, font, size: text.strip() and baselines.setdefault(text.strip(), cm[5] + tm[5])
    )
    row = baselines["row 1"] - baselines["row 2"]
    # One row's height takes the text below the last row's grid line; the paragraph keeps 4 pt more
    # (without the table's space after, it sat 16 pt below: its ascenders on the grid).
    assert baselines["row 2"] - baselines["After the table."] > row + 4


def column_tops(data: bytes) -> list[list[tuple[float, str]]]:
    """Each column's lines (baseline, text), top first, on the pages after the contents."""
    columns = []
    for page in pypdf.PdfReader(io.BytesIO(data)).pages[2:]:
        lines: list[tuple[float, float, str]] = []
        page.extract_text(
            visitor_text=lambda text, cm, tm, font, size, into=lines: (
                text.strip() and into.append((cm[4] + tm[4], cm[5] + tm[5], text.strip()))
            )
        )
        body = [line for line in lines if 40 < line[1] < 800]
        for right in (False, True):
            column = sorted(((y, text) for x, y, text in body if (x > 300) == right), reverse=True)
            if column:
                columns.append(column)
    return columns


def test_two_columns_never_leave_a_paragraphs_last_line_alone_at_a_column_top():
    filler = Paragraph(
        (Span("Words fill the column from top to bottom, line after line, until it is full. " * 4 + "end."),)
    )
    widows = 0
    for shift in range(12):
        # One-line paragraphs before the long ones move every line past the column's foot in turn.
        body = (*(Paragraph((Span(f"Short {n}."),)) for n in range(shift)), *[filler] * 9)
        data = export(Collection(articles=(Article(id="w", title="Columns", body=body),), generated=WHEN), columns=2)
        for lines in column_tops(data):
            # A widow: the column's first line ends a paragraph, and the next line (if any) starts
            # another one (lines are 14.5 pt apart, paragraphs 21 pt).
            if lines[0][1].endswith("end.") and (len(lines) == 1 or lines[0][0] - lines[1][0] > 18):
                widows += 1
    assert widows == 0


def test_a_very_long_paragraph_is_laid_out_in_pieces_without_losing_a_word():
    words = [f"w{n:05d}" for n in range(20_000)]
    article = Article(id="long", title="Long", body=(Paragraph((Span(" ".join(words)),)),))
    data = export(Collection(articles=(article,), generated=WHEN))
    printed = re.findall(r"w\d{5}", " ".join(page_texts(data)[2:]))
    assert printed == words
    assert len(page_texts(data)) == 43
