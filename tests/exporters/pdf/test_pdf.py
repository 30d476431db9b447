"""PDF exporter: structure (qpdf check, fonts, outline, contents), text, Unicode, layout options, CLI."""

from __future__ import annotations

import io
import logging
import re
import shutil
import subprocess
from datetime import timedelta

import pikepdf
import pypdf
import pytest
from conftest import FIXED_TIME, SAMPLES, corpus_collection
from PIL import Image as PILImage
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from typer.testing import CliRunner

from exporters.exporter import ExportError
from exporters.model import (
    Article,
    Asset,
    Collection,
    Heading,
    Image,
    ListBlock,
    Paragraph,
    Preformatted,
    Quote,
    Span,
    Table,
    article_id,
)
from exporters.pdf import fonts as pdffonts
from exporters.pdf.exporter import PdfExporter, PdfOptions
from exporters.pdf.markup import article_text
from exporters.pipeline.gather import gather, make_collection

MARKUP_TITLE = "Fish & Chips <b>not bold</b> &amp; a<b"
MARKUP_BODY = "If a < b && c > d then print <i>this</i> and &amp; and &lt; literally."
GREEK = "Η γρήγορη καφέ αλεπού πηδάει πάνω από τον τεμπέλη σκύλο."
CYRILLIC = "Съешь же ещё этих мягких французских булок, да выпей чаю."
ACCENTED = "Ça coûte déjà cher: naïve façade, Zürich, Øresund, señor, Łódź."
TALL_SRC = "https://img.example/tall.png"
WIDE_SRC = "https://img.example/wide.png"


def png(width: int, height: int) -> bytes:
    """A small PNG of the given pixel size."""
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), (120, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def make_article(n: int, title: str, body: tuple, **fields) -> Article:
    url = fields.pop("url", f"https://news.example/{n}")
    fields.setdefault("published", FIXED_TIME - timedelta(days=n))
    return Article(id=article_id(url, title), title=title, body=body, url=url, **fields)


def small_collection() -> Collection:
    """Three articles using every block type, markup-like text, three scripts and two extreme images."""
    first = make_article(
        1,
        MARKUP_TITLE,
        (
            Paragraph((Span(MARKUP_BODY),)),
            Heading(2, (Span("Section <one> & more"),)),
            Paragraph(
                (
                    Span("Plain, "),
                    Span("emphasis", emphasis=True),
                    Span(", "),
                    Span("strong", strong=True),
                    Span(", "),
                    Span("x = y < z", code=True),
                    Span(" and "),
                    Span("a link", href="https://example.org/page?a=1&b=2"),
                    Span("."),
                )
            ),
            Quote((Paragraph((Span("A quoted line with <angle> brackets."),)),)),
            ListBlock(False, ((Span("first bullet & item"),), (Span("second bullet"),))),
            ListBlock(True, ((Span("first numbered"),), (Span("second numbered"),))),
            Preformatted("def f(x):\n    return x < 3 and x > 1  # " + "long " * 40),
            Table(
                (((Span("Name"),), (Span("Value"),)),),
                (((Span("alpha"),), (Span("1 < 2"),)), ((Span("beta"),), (Span("&amp;"),))),
            ),
        ),
        authors=("Ana Author", "Bo Writer"),
        site_name="Example News",
        language="en",
        tags=("food",),
    )
    second = make_article(
        2,
        "Scripts of Europe",
        (
            Paragraph((Span(GREEK),)),
            Paragraph((Span(CYRILLIC),)),
            Paragraph((Span(ACCENTED),)),
        ),
        site_name="Other Site",
        language="el",
        tags=("languages",),
    )
    third = make_article(
        3,
        "Pictures tall and wide",
        (
            Paragraph((Span("Before the pictures."),)),
            Image(TALL_SRC, alt="tall", caption="A very tall picture", credit="Photo: Tall Agency"),
            Image(WIDE_SRC, alt="wide", caption="A very wide picture"),
            Image("https://img.example/missing.png", caption="Caption of an image that was not fetched"),
            Image("", caption="Caption of a photo whose file was not saved", credit="Credit: Saved Desk"),
            Paragraph((Span("After the pictures."),)),
        ),
        site_name="Example News",
        language="en",
        tags=("food",),
    )
    assets = {
        TALL_SRC: Asset(TALL_SRC, "image/png", png(60, 3000), 60, 3000),
        WIDE_SRC: Asset(WIDE_SRC, "image/png", png(3000, 60), 3000, 60),
    }
    return Collection(
        articles=(first, second, third),
        title="Test & <Collection>",
        authors=("Editor",),
        language="en",
        assets=assets,
        generated=FIXED_TIME,
    )


def export(collection: Collection, progress=None, **options) -> bytes:
    return PdfExporter(PdfOptions(**options)).export(collection, progress)


def page_texts(data: bytes) -> list[str]:
    """Each page's extracted text with whitespace runs collapsed to single spaces."""
    return [" ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def outline(data: bytes) -> list[tuple[str, int, list]]:
    """The outline as (title, 0-based page, children) tuples."""
    reader = pypdf.PdfReader(io.BytesIO(data))

    def walk(items) -> list:
        out = []
        for item in items:
            if isinstance(item, list):
                out[-1][2].extend(walk(item))
            else:
                out.append((item.title, reader.get_destination_page_number(item), []))
        return out

    return walk(reader.outline)


def coverable(collection: Collection) -> Collection:
    """The collection without articles whose characters no font on this machine has (CJK without a CJK font)."""
    fonts = pdffonts.load_font_set(None)
    keep = []
    for article in collection.articles:
        if not fonts.with_fallbacks_for(set(article_text(article)))[1]:
            keep.append(article)
    return Collection(articles=tuple(keep), generated=collection.generated)


@pytest.fixture(scope="module")
def small_pdf() -> bytes:
    return export(small_collection())


@pytest.fixture(scope="module")
def corpus_book() -> tuple[Collection, bytes]:
    collection = coverable(corpus_collection(30))
    assert len(collection.articles) >= 28
    return collection, export(collection)


@pytest.fixture(scope="module")
def samples_book() -> tuple[Collection, bytes]:
    gathered = gather([str(SAMPLES)])
    assert gathered.problems == []
    collection = make_collection(gathered.articles, title="Samples")
    return collection, export(collection)


@pytest.fixture(params=["small", "samples", "corpus"])
def book(request, small_pdf, samples_book, corpus_book) -> tuple[Collection, bytes]:
    if request.param == "small":
        return small_collection(), small_pdf
    return samples_book if request.param == "samples" else corpus_book


# -- structure -------------------------------------------------------------------------------------


def test_pdf_passes_qpdf_check(book):
    _, data = book
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert pdf.check_pdf_syntax() == []


def test_every_font_in_the_file_is_embedded(book):
    _, data = book
    with pikepdf.open(io.BytesIO(data)) as pdf:
        fonts = [obj for obj in pdf.objects if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Font"]
        assert fonts
        for font in fonts:
            descriptor = font.get("/FontDescriptor")
            assert descriptor is not None, f"{font.get('/BaseFont')} is not embedded"
            assert "/FontFile2" in descriptor, f"{font.get('/BaseFont')} has no embedded TrueType program"
            assert "Helvetica" not in str(font.get("/BaseFont"))


def test_outline_has_one_entry_per_article(book):
    collection, data = book
    entries = outline(data)
    assert [title for title, _, _ in entries] == [" ".join(a.title.split()) for a in collection.articles]


def test_text_has_every_title_and_page_one_of_n(book):
    collection, data = book
    texts = page_texts(data)
    everything = " ".join(texts)
    for article in collection.articles:
        assert " ".join(article.title.split())[:40] in everything
    assert f"Page 1 of {len(texts)}" in texts[0]
    assert f"Page {len(texts)} of {len(texts)}" in texts[-1]


def test_contents_page_numbers_match_the_pages_where_articles_start(book):
    collection, data = book
    texts = page_texts(data)
    starts = [page for _, page, _ in outline(data)]
    titles = [" ".join(a.title.split()) for a in collection.articles]
    for title, page in zip(titles, starts):
        assert texts[page].startswith(title[:30])
    # Each contents entry is the title followed by its page number.
    contents = " ".join(texts[1 : starts[0]])
    printed, position = [], contents.index("Contents")
    for title in titles:
        position = contents.index(title, position) + len(title)
        printed.append(int(contents[position:].split()[0]))
    assert printed == [page + 1 for page in starts]


def test_contents_entries_link_to_their_articles(small_pdf):
    with pikepdf.open(io.BytesIO(small_pdf)) as pdf:
        page_numbers = {page.obj.objgen: n for n, page in enumerate(pdf.pages)}
        targets = [page_numbers[annot.Dest[0].objgen] for annot in pdf.pages[1].Annots if "/Dest" in annot]
    assert targets == [page for _, page, _ in outline(small_pdf)]


def test_metadata_title_author_subject_language_and_date(small_pdf):
    with pikepdf.open(io.BytesIO(small_pdf)) as pdf:
        info = pdf.docinfo
        assert str(info["/Title"]) == "Test & <Collection>"
        assert str(info["/Author"]) == "Editor"
        assert str(info["/Subject"]) == "3 articles, 28 April 2024 – 30 April 2024"
        assert str(info["/CreationDate"]) == "D:20240501120000+00'00'"
        assert str(pdf.Root.Lang) == "en"


def test_two_builds_are_byte_identical(small_pdf):
    assert export(small_collection()) == small_pdf


def test_output_depends_on_the_build_time_not_the_environment(small_pdf, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert export(small_collection()) == small_pdf
    later = small_collection()
    later = Collection(
        articles=later.articles,
        title=later.title,
        authors=later.authors,
        language=later.language,
        assets=later.assets,
        generated=FIXED_TIME + timedelta(days=1),
    )
    assert export(later) != small_pdf


def test_progress_reports_every_article():
    calls = []
    export(small_collection(), lambda done, total: calls.append((done, total)))
    assert calls == [(1, 3), (2, 3), (3, 3)]


# -- text ------------------------------------------------------------------------------------------


def test_ampersands_angle_brackets_and_markup_print_literally(small_pdf):
    everything = " ".join(page_texts(small_pdf))
    for literal in (
        MARKUP_TITLE,
        MARKUP_BODY,
        "Section <one> & more",
        "x = y < z",
        "A quoted line with <angle> brackets.",
        "first bullet & item",
        "1 < 2",
        "&amp;",
        "Test & <Collection>",
    ):
        assert literal in everything, literal
    titles = [title for title, _, _ in outline(small_pdf)]
    assert titles[0] == MARKUP_TITLE


def test_greek_cyrillic_and_accented_text_are_extracted(small_pdf):
    everything = " ".join(page_texts(small_pdf))
    for sentence in (GREEK, CYRILLIC, ACCENTED):
        assert sentence in everything


def test_running_head_shows_article_and_collection_titles():
    long_body = tuple(Paragraph((Span("Filler sentence for a long article. " * 40),)) for _ in range(12))
    collection = Collection(articles=(make_article(1, "Long read", long_body),), title="Weekly", generated=FIXED_TIME)
    texts = page_texts(export(collection))
    assert len(texts) >= 5
    assert "Long read · Weekly" in texts[3]
    assert "Long read · Weekly" not in texts[2]  # an article's first page carries its title, not a running head


def test_links_are_clickable_and_listed_as_notes_when_asked(small_pdf):
    reader = pypdf.PdfReader(io.BytesIO(small_pdf))
    uris = [
        a.get_object()["/A"]["/URI"]
        for page in reader.pages
        for a in page.get("/Annots", [])
        if "/A" in a.get_object() and "/URI" in a.get_object()["/A"]
    ]
    assert "https://example.org/page?a=1&b=2" in uris
    assert "https://news.example/1" in uris
    assert "Links" not in page_texts(small_pdf)[2]
    noted = " ".join(page_texts(export(small_collection(), link_notes=True)))
    assert "a link1" in noted
    assert "Links 1. https://example.org/page?a=1&b=2" in noted


def test_long_words_are_hyphenated_in_narrow_columns():
    words = "internationalization characteristically incomprehensibilities counterrevolutionaries "
    collection = Collection(
        articles=(make_article(1, "Hyphens", (Paragraph((Span(words * 30),)),), language="en"),), generated=FIXED_TIME
    )
    data = export(collection, columns=3)
    lines = pypdf.PdfReader(io.BytesIO(data)).pages[2].extract_text().splitlines()
    assert any(re.search(r"[a-z]-$", line) for line in lines)


# -- Unicode coverage ------------------------------------------------------------------------------


def _installed_font_covers(text: str) -> bool:
    if shutil.which("fc-list") is None:
        return False
    charset = " ".join(f"{ord(c):x}" for c in set(text))
    files = subprocess.run(["fc-list", f":charset={charset}", "file"], capture_output=True, text=True).stdout
    return any(line.strip().rstrip(":").lower().endswith(".ttf") for line in files.splitlines())


def test_cjk_article_renders_with_a_covering_font_or_placeholders():
    text = "日本語の記事です。中文文章。"
    collection = Collection(
        articles=(make_article(1, "CJK article", (Paragraph((Span("Latin words. " + text * 20),)),), language="ja"),),
        generated=FIXED_TIME,
    )
    printed = " ".join(page_texts(export(collection)))
    assert "Latin words." in printed
    if _installed_font_covers(text):
        assert text in printed.replace(" ", "")
    else:
        assert "□□□" in printed and "日" not in printed


def test_characters_no_font_has_become_placeholders_and_one_warning(monkeypatch):
    monkeypatch.setattr(pdffonts, "_installed_charsets", lambda family: ())
    article = make_article(1, "Emoji and ideographs", (Paragraph((Span("Stars 🌟 and 日本"),)),))
    # A handler of our own: the CLI, once imported, stops the package's records reaching pytest's.
    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = records.append  # type: ignore[method-assign]
    log = logging.getLogger("exporters.pdf.exporter")
    log.addHandler(handler)
    try:
        data = export(Collection(articles=(small_collection().articles[1], article), generated=FIXED_TIME))
    finally:
        log.removeHandler(handler)
    assert "Stars □ and □□" in page_texts(data)[3]
    assert [r.getMessage() for r in records] == [
        "pdf: no installed font has glyphs for some characters, printed as □ in 1 article: "
        "'Emoji and ideographs' (日 U+65E5 本 U+672C 🌟 U+1F31F); 'newsexport fonts' says which font packages add them"
    ]


def test_format_characters_without_glyphs_are_dropped_not_refused():
    article = make_article(1, "Marks", (Paragraph((Span("byte\ufefforder mark"),)),))
    texts = page_texts(export(Collection(articles=(article,), generated=FIXED_TIME)))
    assert "byteorder mark" in texts[2]


def test_font_option_takes_a_fontconfig_family_or_a_ttf_path():
    collection = Collection(articles=small_collection().articles[1:2], generated=FIXED_TIME)
    sans = pikepdf.open(io.BytesIO(export(collection, font="DejaVu Sans")))
    names = {
        str(o.get("/BaseFont")) for o in sans.objects if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/Font"
    }
    assert any(n.endswith("+DejaVuSans") for n in names) and not any("Serif" in n for n in names)
    data = export(collection, font="/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed.ttf")
    assert GREEK in " ".join(page_texts(data))


def test_unknown_font_and_collections_are_refused(tmp_path):
    collection = Collection(articles=small_collection().articles[1:2], generated=FIXED_TIME)
    with pytest.raises(ExportError, match="font family 'No Such Font Family' is not installed"):
        export(collection, font="No Such Font Family")
    ttc = tmp_path / "fonts.ttc"
    ttc.write_bytes(b"ttcf")
    with pytest.raises(ExportError, match=r"TrueType collection \(\.ttc\)"):
        export(collection, font=str(ttc))


# -- layout options --------------------------------------------------------------------------------


@pytest.mark.parametrize("paper, size", [("a4", A4), ("letter", LETTER)])
def test_paper_size(paper, size):
    collection = Collection(articles=small_collection().articles[1:2], generated=FIXED_TIME)
    reader = pypdf.PdfReader(io.BytesIO(export(collection, paper=paper)))
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(size, abs=0.01)


def starts_of_text_runs(data: bytes) -> list[float]:
    """The x coordinate where each run of text starts, on every page after the contents."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    xs: list[float] = []
    for page in reader.pages[2:]:
        page.extract_text(visitor_text=lambda text, cm, tm, font, size: text.strip() and xs.append(cm[4] + tm[4]))
    return xs


def test_two_columns_put_text_in_both_halves_of_the_page():
    collection = coverable(corpus_collection(3))
    middle = A4[0] / 2
    assert not any(x > middle for x in starts_of_text_runs(export(collection)))
    data = export(collection, columns=2)
    assert any(x > middle for x in starts_of_text_runs(data))
    assert [t for t, _, _ in outline(data)] == [" ".join(a.title.split()) for a in collection.articles]


def test_images_are_scaled_into_the_column():
    data = export(small_collection(), columns=2)
    width, height = A4
    column = (width - 36 * mm - 10.5 * 1.6) / 2
    frame_height = height - 36 * mm
    drawn = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            xobjects = page.Resources.get("/XObject", {})
            matrix = None
            for operands, operator in pikepdf.parse_content_stream(page):
                if str(operator) == "cm":
                    matrix = [float(v) for v in operands]
                elif str(operator) == "Do" and xobjects[operands[0]].get("/Subtype") == "/Image":
                    drawn.append((matrix[0], matrix[3]))
    assert len(drawn) == 2
    tall, wide = drawn
    assert tall[1] <= frame_height and tall[0] == pytest.approx(tall[1] * 60 / 3000, rel=0.01)
    assert wide[0] == pytest.approx(column, rel=0.001)
    texts = " ".join(page_texts(data))
    assert "A very tall picture — Photo: Tall Agency" in texts
    assert "Caption of a photo whose file was not saved — Credit: Saved Desk" in texts
    assert "Caption of an image that was not fetched" not in texts


def test_grouped_outline_nests_articles_under_sections():
    data = export(small_collection(), group_by="site")
    assert [(t, [c for c, _, _ in children]) for t, _, children in outline(data)] == [
        ("Example News", [MARKUP_TITLE, "Pictures tall and wide"]),
        ("Other Site", ["Scripts of Europe"]),
    ]
    contents = page_texts(data)[1]
    assert contents.index("Example News") < contents.index("Pictures tall and wide") < contents.index("Other Site")


@pytest.mark.parametrize(
    "options, message",
    [
        ({"columns": 4}, "--columns must be 1, 2 or 3, not 4"),
        ({"paper": "a5"}, "--paper must be one of a4, letter, not 'a5'"),
        ({"font_size": 30.0}, "--font-size must be between 7 and 16 points, not 30"),
        ({"margin": 2.0}, "--margin must be between 10 and 40 mm, not 2"),
        ({"group_by": "author"}, "--group-by must be one of none, site, date, tag, not 'author'"),
        ({"flow": "scroll"}, "--flow must be one of page, continuous, not 'scroll'"),
    ],
)
def test_invalid_options_are_refused_when_the_options_are_made(options, message):
    with pytest.raises(ExportError, match=re.escape(message)):
        PdfOptions(**options)


# -- CLI -------------------------------------------------------------------------------------------


def test_cli_exports_a_sample_to_pdf(tmp_path):
    from main import app

    out = tmp_path / "notes.pdf"
    result = CliRunner().invoke(
        app,
        ["export", str(SAMPLES / "night-trains-alps.md"), "-o", str(out), "--paper", "letter", "--columns", "2", "-q"],
        env={"NO_COLOR": "1", "COLUMNS": "100"},
    )
    assert result.exit_code == 0, result.output
    reader = pypdf.PdfReader(str(out))
    assert float(reader.pages[0].mediabox.width) == pytest.approx(LETTER[0])
    assert len(outline(out.read_bytes())) == 1


def test_cli_reports_a_bad_option_as_an_error(tmp_path):
    from main import app

    out = tmp_path / "notes.pdf"
    result = CliRunner().invoke(
        app,
        ["export", str(SAMPLES / "night-trains-alps.md"), "-o", str(out), "--columns", "5", "-q"],
        env={"NO_COLOR": "1", "COLUMNS": "100"},
    )
    assert result.exit_code == 2  # a value the option refuses is bad usage
    assert result.output == "Error: pdf: --columns must be 1, 2 or 3, not 5\n"
    assert not out.exists()
