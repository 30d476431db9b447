"""Reader dispatch, and the Markdown, JSON/JSONL and URL readers on good and bad input."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from conftest import SAMPLES

from exporters.model import ArticleError, Image, Paragraph, Table, body_text
from exporters.readers import READER_TABLE, read_input, read_inputs, readers

GOOD_MD = """---
title: "Bridges & <tunnels>"
author: Ana Pérez
date: 2024-02-03 10:00:00+01:00
tags: [a, b]
url: https://md.example/bridges
image: pic.png
---
Text with a [link](https://l.example/) and <script>alert(1)</script> raw HTML.

| x | y |
|---|---|
| 1 | 2 |
"""


def test_markdown_front_matter_and_body(tmp_path):
    path = tmp_path / "a.md"
    path.write_text(GOOD_MD, encoding="utf-8")
    [article] = read_input(str(path))
    assert article.title == "Bridges & <tunnels>"
    assert article.authors == ("Ana Pérez",) and article.tags == ("a", "b")
    assert article.published.isoformat() == "2024-02-03T10:00:00+01:00"
    assert article.url == "https://md.example/bridges"
    assert article.image == Image(str(tmp_path / "pic.png"), alt="Bridges & <tunnels>")
    assert isinstance(article.body[0], Paragraph) and isinstance(article.body[1], Table)
    assert "alert" not in repr(article.body)
    assert article.body[0].text[1].href == "https://l.example/"


def test_markdown_toml_front_matter_and_heading_title(tmp_path):
    toml = tmp_path / "t.md"
    toml.write_text('+++\ntitle = "From TOML"\ndate = 2024-01-05T08:00:00Z\n+++\nBody.\n', encoding="utf-8")
    assert read_input(str(toml))[0].title == "From TOML"
    heading = tmp_path / "h.md"
    heading.write_text("# From heading\n\nBody.\n", encoding="utf-8")
    [article] = read_input(str(heading))
    assert article.title == "From heading" and body_text(article.body) == "Body."


@pytest.mark.parametrize(
    "name, content, message",
    [
        (
            "broken.md",
            b"---\ntitle: [unclosed\n---\nbody\n",
            "broken.md: front matter is not valid YAML (line 2): expected ',' or ']', but got '<stream end>'",
        ),
        ("toml.md", b'+++\ntitle = "x\n+++\nbody\n', "toml.md: front matter is not valid TOML: "),
        ("open.md", b"---\ntitle: x\nbody without end\n", "open.md: front matter is not closed (no second '---' line)"),
        ("list.md", b"---\n- a\n- b\n---\nbody\n", "list.md: front matter must be a mapping of keys to values"),
        (
            "notitle.md",
            b"just text\n",
            "notitle.md: no title (add 'title:' to the front matter or start with a '# Heading')",
        ),
        (
            "baddate.md",
            b"---\ntitle: t\ndate: someday soon\n---\nx\n",
            "baddate.md: front matter: not a date: 'someday soon'",
        ),
        ("empty.md", b"", "empty.md: file is empty"),
        ("blank.json", b"  \n\n", "blank.json: file is empty"),
        ("blank-no-extension", b"  \n\n \t", "blank-no-extension: file is empty"),
        ("binary.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary.md: looks like a binary file, not text"),
        ("utf16.md", b"\xff\xfe#\x00 \x00C\x00\x00\xd8x", "utf16.md: not valid UTF-16-LE (byte 8)"),
        (
            "bad.json",
            b'{"title": "x",}',
            "bad.json: malformed JSON (line 1, column 15: Expecting property name enclosed in double quotes)",
        ),
        ("scalar.json", b'"just a string"', "scalar.json: expected a JSON object or list, found str"),
        (
            "items.json",
            b'[{"title": "ok", "content_text": "x"}, 5]',
            "items.json: item 2: expected a JSON object, found int",
        ),
        (
            "date.json",
            b'[{"title": "t", "date_published": "yesterday-ish"}]',
            "date.json: item 1: not a date: 'yesterday-ish'",
        ),
        (
            "bad.jsonl",
            b'{"title": "a", "content_text": "x"}\n{oops}\n',
            "bad.jsonl: line 2: malformed JSON (Expecting property name enclosed in double quotes, column 2)",
        ),
        (
            "badutf.jsonl",
            b'{"title": "a", "content_text": "x"}\n{"title": "\xff"}\n',
            "badutf.jsonl: line 2: not valid UTF-8 (byte 11)",
        ),
        ("binary.jsonl", b'{"a":\x00}', "binary.jsonl: looks like a binary file, not text"),
        ("notitle.json", b'{"content_html": ""}', "notitle.json: item 1: item has no title and no content"),
        (
            "model.json",
            b'{"format": "newsexport/1", "articles": [{"title": "t", "body": [{"type": "video"}]}]}',
            "model.json: article 't': unknown block type 'video'",
        ),
        ("x.docx", b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00", "x.docx: unknown input kind (expected one of "),
    ],
)
def test_bad_input_gets_one_clear_line(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ArticleError) as info:
        read_input(str(path))
    text = str(info.value)
    assert text.startswith(str(tmp_path / name)) and "\n" not in text
    assert text[len(str(tmp_path)) + 1 :].startswith(message)


def test_json_feed_items_and_model_json(tmp_path):
    [athens, kyiv] = read_input(str(SAMPLES / "city-notes.json"))
    assert athens.id == "https://citynotes.example.net/2024/05/athens-tram-depot-library"
    assert athens.site_name == "City Notes" and athens.language == "en"
    assert athens.authors == ("Eleni Papadopoulou",) and athens.tags == ("culture", "cities")
    assert [type(b).__name__ for b in athens.body] == ["Paragraph", "Paragraph", "Heading", "ListBlock", "Paragraph"]
    assert len(kyiv.body) == 3 and kyiv.published.isoformat() == "2024-05-09T08:30:00+03:00"
    lines = tmp_path / "x.jsonl"
    lines.write_text(
        json.dumps({"title": "L1", "content_html": "<p>a</p>"})
        + "\n\n"
        + json.dumps({"content_text": "untitled microblog post that goes on"})
        + "\n",
        encoding="utf-8",
    )
    first, second = read_input(str(lines))
    assert first.title == "L1" and second.title == "untitled microblog post that goes on"


def _jsonl_corpus(count: int) -> bytes:
    items = [
        {
            "id": f"n{n}",
            "title": f"Item {n}",
            "url": f"https://j.example/{n}",
            "content_html": f"<p onclick='x()'>Para <b>{n}</b> <script>alert({n})</script><a href='javascript:y()'>js</a></p>"
            f"<ul><li>one</li><li>two</li></ul>",
        }
        for n in range(count)
    ]
    items[7] = {"title": "model form", "body": [{"type": "paragraph", "text": [{"text": "<p>kept literally</p>"}]}]}
    return ("\ufeff" + "\n".join(json.dumps(item) for item in items) + "\n\n").encode("utf-8")


@pytest.mark.parametrize("origin", ["file", "bytes"])
def test_large_jsonl_read_in_batches_gives_the_same_articles(tmp_path, monkeypatch, origin):
    from exporters.readers import json as jsondata

    path = tmp_path / "many.jsonl"
    path.write_bytes(_jsonl_corpus(300))
    plain = read_input(str(path))  # small: read whole
    monkeypatch.setattr(jsondata, "STREAM_MIN_BYTES", 0)
    monkeypatch.setattr(jsondata, "_BATCH_BYTES", 2000)  # many batches, lines split across their edges

    def read() -> list:
        if origin == "file":
            with monkeypatch.context() as patch:  # streamed from the file in batches, never read whole
                patch.setattr(Path, "read_bytes", lambda self: pytest.fail(f"{self} was read whole"))
                return read_input(str(path))
        return jsondata.JsonLinesReader().read(path.read_bytes(), str(path))

    batched = read()
    assert batched == plain and len(batched) == 300
    assert [a.id for a in batched[:3]] == ["n0", "n1", "n2"] and body_text(batched[7].body) == "<p>kept literally</p>"
    assert "alert" not in body_text(batched[5].body) and body_text(batched[5].body).startswith("Para 5 js")
    path.write_bytes(path.read_bytes().replace(b'{"id": "n250"', b'{oops "n250"', 1))
    with pytest.raises(
        ArticleError,
        match=r"^.*many\.jsonl: line 251: malformed JSON \(Expecting property name enclosed in double quotes, column 2\)$",
    ):
        read()


def test_large_jsonl_whose_start_is_blank_lines_is_read_and_an_all_blank_one_is_empty(tmp_path, monkeypatch):
    from exporters.readers import json as jsondata

    monkeypatch.setattr(jsondata, "STREAM_MIN_BYTES", 0)
    monkeypatch.setattr(jsondata, "_BATCH_BYTES", 2000)
    path = tmp_path / "blank-start.jsonl"
    path.write_bytes(b"\n" * 9000 + _jsonl_corpus(20).replace(b"\xef\xbb\xbf", b""))
    articles = jsondata.JsonLinesReader().read_path(path, str(path))
    assert [a.id for a in articles[:2]] == ["n0", "n1"] and len(articles) == 20
    path.write_bytes(b" \n" * 9000)
    with pytest.raises(ArticleError, match=r"^.*blank-start\.jsonl: file is empty$"):
        jsondata.JsonLinesReader().read_path(path, str(path))
    path.write_bytes(b"\n" * 90 + b"\x00" + _jsonl_corpus(20))
    with pytest.raises(ArticleError, match=r"^.*blank-start\.jsonl: looks like a binary file, not text$"):
        jsondata.JsonLinesReader().read_path(path, str(path))


def test_directory_is_walked_recursively_in_sorted_order(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "b" / "2.md").write_text("# Two\n\nx\n", encoding="utf-8")
    (tmp_path / "1.md").write_text("# One\n\nx\n", encoding="utf-8")
    (tmp_path / ".hidden" / "3.md").write_text("# Hidden\n\nx\n", encoding="utf-8")
    (tmp_path / "photo.png").write_bytes(b"\x89PNG")
    result = read_inputs([str(tmp_path)])
    assert [a.title for a in result.articles] == ["One", "Two"] and result.problems == []


def test_bad_inputs_are_collected_or_stop_the_run_when_strict(tmp_path):
    good = tmp_path / "good.md"
    good.write_text("# Good\n\nx\n", encoding="utf-8")
    result = read_inputs([str(tmp_path / "missing.md"), str(good)])
    assert [a.title for a in result.articles] == ["Good"]
    assert result.problems == [f"{tmp_path / 'missing.md'}: no such file or directory"]
    with pytest.raises(ArticleError, match="missing.md: no such file or directory"):
        read_inputs([str(tmp_path / "missing.md"), str(good)], strict=True)


def test_stdin_is_read_by_sniffing(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b'{"title": "From stdin", "content_text": "x"}')))
    [article] = read_input("-")
    assert article.title == "From stdin" and article.source == "-"


PAGE = b"""<!doctype html><html lang="en"><head><title>Served page</title>
<meta property="og:title" content="Served page"><meta name="author" content="Web Writer"></head>
<body><nav>Home | News</nav><article><h1>Served page</h1>
<p>First paragraph of a page served over HTTP for the URL reader, long enough to be the article.</p>
<p>Second paragraph with an <a href="/other">relative link</a> and more words in it to count.</p>
<img src="/pic.png" onerror="alert(1)"><script>alert(2)</script></article></body></html>"""
FEED = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>F</title><link>https://f.example/</link>
<description>d</description><item><title>Feed item</title><link>https://f.example/1</link>
<description>&lt;p&gt;Item text&lt;/p&gt;</description></item></channel></rss>"""


def test_url_pages_and_feeds_are_read(local_server):
    local_server.routes["/story"] = (200, {"Content-Type": "text/html; charset=utf-8"}, PAGE)
    local_server.routes["/moved"] = (301, {"Location": "/story"}, b"")
    local_server.routes["/feed"] = (200, {"Content-Type": "application/rss+xml"}, FEED)
    [article] = read_input(local_server.url("/moved"))
    assert article.title == "Served page"
    assert article.source == local_server.url("/moved")
    links = [s.href for b in article.body if isinstance(b, Paragraph) for s in b.text if s.href]
    assert links == [local_server.url("/other")]
    assert "alert" not in repr(article)
    [item] = read_input(local_server.url("/feed"))
    assert item.title == "Feed item" and item.url == "https://f.example/1"


def test_every_network_reader_tells_a_document_by_one_rule(local_server):
    """URL inputs, ``library add`` and a recipe's feeds and pages agree on what a response is."""
    from exporters.library.fetch import read_pages as library_pages
    from exporters.pipeline.fetcher import Fetcher
    from exporters.recipes.recipe import Source
    from exporters.recipes.sources import read_feeds
    from exporters.recipes.sources import read_pages as recipe_pages

    local_server.routes["/mislabelled"] = (200, {"Content-Type": "text/html"}, FEED)  # RSS served as HTML
    local_server.routes["/page"] = (200, {"Content-Type": "text/html"}, PAGE)
    local_server.routes["/plain"] = (200, {"Content-Type": "text/plain"}, b"just words")
    mislabelled, page, plain = (local_server.url(p) for p in ("/mislabelled", "/page", "/plain"))

    assert [a.title for a in read_input(mislabelled)] == ["Feed item"]
    with pytest.raises(ArticleError) as info:
        read_input(plain)
    assert str(info.value) == f"{plain}: not a JSON Feed, a feed or a web page (content type 'text/plain')"

    saved = {p.name: p for p in library_pages([mislabelled, page], jobs=1)}
    assert [a.title for a in saved[mislabelled].articles] == ["Feed item"] and saved[mislabelled].html is None
    assert [a.title for a in saved[page].articles] == ["Served page"] and saved[page].html == PAGE

    problems: list[str] = []
    feeds = read_feeds(
        Fetcher(jobs=1), [(mislabelled, Source("feed", mislabelled)), (page, Source("feed", page))], problems
    )
    assert [[a.title for a in got] for _, got in feeds] == [["Feed item"], []]
    assert problems == [f"{page}: not a JSON Feed or a feed (content type 'text/html')"]
    problems.clear()
    assert [a and a.title for a in recipe_pages(Fetcher(jobs=1), [page, plain], typed=True, problems=problems)] == [
        "Served page",
        None,
    ]
    assert problems == [f"{plain}: not a web page (content type 'text/plain')"]


def test_url_errors_name_the_url(local_server):
    def endless(out):
        chunk = b"<p>" + b"x" * 65536
        for _ in range(200):  # 13 MB, over the 10 MB cap, with no Content-Length to trust
            out.write(chunk)

    local_server.routes["/gone"] = (404, {"Content-Type": "text/html"}, b"gone")
    local_server.routes["/huge"] = (200, {"Content-Type": "text/html", "Content-Length": str(50 * 1024 * 1024)}, b"")
    local_server.routes["/stream"] = (200, {"Content-Type": "text/html"}, endless)
    local_server.routes["/loop"] = (302, {"Location": "/loop"}, b"")
    local_server.routes["/zip"] = (200, {"Content-Type": "application/zip"}, b"PK")
    expected = {
        "/gone": "HTTP 404 Not Found",
        "/huge": "response is 52,428,800 bytes, over the 10,485,760-byte limit",
        "/stream": "response is over the 10,485,760-byte limit",
        "/loop": "too many redirects (limit 5)",
        "/zip": "unexpected content type 'application/zip'",
    }
    for path, reason in expected.items():
        with pytest.raises(ArticleError) as info:
            read_input(local_server.url(path))
        assert str(info.value) == f"{local_server.url(path)}: {reason}"


def test_unreachable_url_is_a_clear_error():
    with pytest.raises(ArticleError, match=r"^http://127\.0\.0\.1:9/x: cannot fetch \(ConnectError: .*\)$"):
        read_input("http://127.0.0.1:9/x")


def test_reader_table_matches_the_reader_classes():
    assert [(type(r).__name__, r.file_extensions) for r in readers()] == [(c, e) for _, c, e in READER_TABLE]


def test_a_lone_surrogate_escaped_in_json_content_is_dropped(tmp_path):
    path = tmp_path / "lone.jsonl"
    path.write_text('{"title": "Lone \\ud800 title", "content_html": "<p>bad \\udfff here</p>"}\n', encoding="utf-8")
    [article] = read_input(str(path))
    assert article.title == "Lone  title" and body_text(article.body) == "bad here"


# -- through the CLI: legacy encodings, articles without text --------------------------------------
def run_cli(*args: str):
    from typer.testing import CliRunner

    from exporters.cli import app

    return CliRunner().invoke(app, list(args), env={"NO_COLOR": "1", "COLUMNS": "100"})


ENCODED_TEXTS = [
    ("latin1.txt", "Café au lait à Lyon\n\nLe garçon a mangé des crêpes près de la forêt.\n", "latin-1", "latin-1"),
    (
        "cp1252.txt",
        "“Smart quotes” and 5 € coffee\n\nThe café’s owner said it’s über-expensive… really.\n",
        "cp1252",
        "cp1252",
    ),
    ("utf16.txt", "\ufeffGrüße aus Köln\n\nDie Straßenbahn fährt wieder über die Brücke.\n", "utf-16-le", "utf-16-le"),
    ("cp1252.md", "---\ntitle: Naïve “quotes”\n---\nCrème brûlée — twice.\n", "cp1252", "cp1252"),
]


def test_cli_reads_latin1_cp1252_and_utf16_text_files(tmp_path):
    paths = []
    for name, text, codec, _ in ENCODED_TEXTS:
        paths.append(tmp_path / name)
        paths[-1].write_bytes(text.encode(codec))
    result = run_cli("inspect", *map(str, paths), "--quiet")
    assert (result.exit_code, result.stderr) == (0, "")
    titles = [line for line in result.stdout.splitlines() if re.match(r"\d+\. ", line)]
    assert titles == [
        "1. Café au lait à Lyon",
        "2. “Smart quotes” and 5 € coffee",
        "3. Grüße aus Köln",
        "4. Naïve “quotes”",
    ]
    words = [line for line in result.stdout.splitlines() if line.startswith("   body: ")]
    assert words == [f"   body: 1 blocks, {n} words" for n in (10, 7, 7, 4)]
    # Which encoding each was read in is recorded on its articles, for inspect to show.
    read = read_inputs(map(str, paths))
    assert [a.encoding for a in read.articles] == [expected for *_, expected in ENCODED_TEXTS]
    samples = read_inputs([str(SAMPLES)]).articles
    assert samples and {a.encoding for a in samples} == {None}


def test_cli_warns_about_articles_without_text_and_exits_1(tmp_path):
    feed = tmp_path / "items.json"
    feed.write_text(
        json.dumps(
            {
                "version": "https://jsonfeed.org/version/1.1",
                "title": "Items",
                "items": [
                    {"id": "1", "title": "Has text", "content_text": "Some words here."},
                    {"id": "2", "title": "Title only", "url": "https://x.example/2"},
                    {"id": "3", "title": "Summary only", "summary": "A summary is text."},
                ],
            }
        ),
        encoding="utf-8",
    )
    bare = tmp_path / "bare.md"
    bare.write_text("---\ntitle: Front matter only\n---\n", encoding="utf-8")
    result = run_cli("inspect", str(feed), str(bare), "--quiet")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Warning: {feed}: article 'Title only' has no text\nWarning: {bare}: article 'Front matter only' has no text\n"
    )
    # Warned about, not dropped: the title and link are still worth keeping.
    assert [line for line in result.stdout.splitlines() if re.match(r"\d+\. ", line)] == [
        "1. Has text",
        "2. Title only",
        "3. Summary only",
        "4. Front matter only",
    ]
