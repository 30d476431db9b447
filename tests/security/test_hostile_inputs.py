"""Hostile input through the real CLI: nothing private leaks, nothing unsafe is linked, nothing hangs or crashes.

Each test follows one numbered case of issue 13 and asserts the exit code, the exact message
lines, that no traceback is printed, and that the hostile content is absent from the output.
"""

from __future__ import annotations

import io
import json
import os
import re
import socket
import struct
import threading
import time
import zipfile
import zlib
from pathlib import Path

import pytest
from PIL import Image as PILImage
from typer.testing import CliRunner

import main
from exporters.html.sanitize import MAX_DEPTH, sanitize_html
from exporters.html.xhtml import render_inline
from exporters.model import Span
from exporters.pipeline import fetch as fetch_module

ENV = {"NO_COLOR": "1", "COLUMNS": "100", "TERM": "dumb"}
SECRET = b"\x89PNG-private-bytes-7f3a"


def run(*args: str):
    result = CliRunner().invoke(main.app, list(args), env=ENV)
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


SUMMARY = re.compile(r"^(Exporting )?[\d,]+ articles? \(")


def lines(result) -> list[str]:
    """stderr's lines without the summary of what was read (``Exporting 2 articles (...)``)."""
    return [line for line in result.stderr.splitlines() if not SUMMARY.match(line)]


def png(width: int = 6, height: int = 4, colour=(10, 120, 200)) -> bytes:
    buf = io.BytesIO()
    PILImage.new("RGB", (width, height), colour).save(buf, "PNG")
    return buf.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims ``width`` × ``height`` pixels in a few dozen bytes (its pixels are never there)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")
    )


def epub_bytes(path: Path) -> bytes:
    with zipfile.ZipFile(path) as book:
        return b"".join(book.read(name) for name in book.namelist())


def page(body: str, head: str = "") -> str:
    text = " ".join(["Harbour workers voted on Tuesday to accept the new contract after a long night."] * 6)
    return (
        f"<!DOCTYPE html><html lang='en'><head><title>Harbour vote</title>{head}</head>"
        f"<body><article><h1>Harbour vote</h1><p>{text}</p>{body}<p>{text}</p></article></body></html>"
    )


@pytest.fixture
def private(tmp_path) -> Path:
    """A private image outside every input folder."""
    folder = tmp_path / "private"
    folder.mkdir()
    (folder / "secret.png").write_bytes(SECRET)
    return folder / "secret.png"


# -- 1. local files named by content ------------------------------------------------------------------
def test_saved_page_reads_only_regular_files_below_its_folder(tmp_path, private):
    site = tmp_path / "site"
    site.mkdir()
    (site / "ok.png").write_bytes(png())
    (site / "link.png").symlink_to(private)
    os.mkfifo(site / "fifo.png")
    html = page(
        '<img src="ok.png" alt="ok"><img src="../private/secret.png" alt="a">'
        f'<img src="{private}" alt="b"><img src="../private/missing.png" alt="c">'
        '<img src="/dev/zero?x.png" alt="d"><img src="link.png" alt="e"><img src="fifo.png" alt="f">'
    )
    (site / "page.html").write_text(html, encoding="utf-8")
    out = tmp_path / "book.epub"
    result = run("export", str(site / "page.html"), "-o", str(out), "-q")
    source = str(site / "page.html")
    outside = "outside the input's folder (see --assets-dir)"
    assert result.exit_code == 0, result.stderr
    assert lines(result) == [
        f"Warning: {source}: image dropped: {private}: {outside}",
        f"Warning: {source}: image dropped: {private}: {outside}",
        f"Warning: {source}: image dropped: {tmp_path}/private/missing.png: {outside}",
        f"Warning: {source}: image dropped: /dev/zero: {outside}",
        f"Warning: {source}: image dropped: {site}/link.png: {outside}",
        f"Warning: {source}: image dropped: {site}/fifo.png: not a readable image file",
    ]
    data = epub_bytes(out)
    assert SECRET not in data
    assert png() in data  # the image beside the page is embedded


def test_local_images_are_size_capped(tmp_path):
    with open(tmp_path / "huge.png", "wb") as huge:
        huge.truncate(16 * 1024 * 1024)  # sparse: no disk used
    (tmp_path / "a.md").write_text("---\ntitle: Huge\n---\nText.\n\n![huge](huge.png)\n", encoding="utf-8")
    result = run("export", str(tmp_path / "a.md"), "-o", str(tmp_path / "b.epub"), "-q")
    assert result.exit_code == 0
    assert lines(result) == [
        f"Warning: {tmp_path}/a.md: image dropped: {tmp_path}/huge.png: file is 16,777,216 bytes, over the 15,728,640-byte limit"
    ]


def test_assets_dir_opens_one_more_folder(tmp_path, private):
    (private.parent / "shared.png").write_bytes(png(3, 3))
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.md").write_text("---\ntitle: Shared\nimage: ../private/shared.png\n---\nText.\n", encoding="utf-8")
    out = tmp_path / "book.epub"
    refused = run("export", str(notes / "a.md"), "-o", str(out), "-q")
    assert refused.exit_code == 0
    assert lines(refused) == [
        f"Warning: {notes}/a.md: image dropped: {private.parent}/shared.png: outside the input's folder (see --assets-dir)"
    ]
    allowed = run("export", str(notes / "a.md"), "-o", str(out), "-q", "--assets-dir", str(private.parent))
    assert (allowed.exit_code, lines(allowed)) == (0, [])
    assert png(3, 3) in epub_bytes(out)


def test_remote_page_never_names_local_files(local_server, tmp_path, private):
    head = f'<base href="file://{private.parent}/"><meta property="og:image" content="{private}">'
    (private.parent / "second.png").write_bytes(SECRET)
    local_server.routes["/story"] = (200, {"Content-Type": "text/html"}, page('<img src="second.png">', head).encode())
    url = local_server.url("/story")
    out = tmp_path / "book.epub"
    result = run("export", url, "-o", str(out), "-q")
    never = "local files are not read for content from the network, a feed or stdin"
    assert result.exit_code == 0, result.stderr
    assert lines(result) == [
        f"Warning: {url}: image dropped: {private}: {never}",
    ]  # the body's <img> resolved to a file: URL, which the sanitiser never lets through
    assert SECRET not in epub_bytes(out)


def test_local_feed_and_json_form_never_read_files_outside(tmp_path, private):
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    (feeds / "secret.png").write_bytes(SECRET)  # even beside the feed: feed content never names local files
    rss = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>file:///</link><description>d</description>'
        "<item><title>One</title><link>https://news.example/1</link>"
        f'<description>&lt;p&gt;Text&lt;/p&gt;&lt;img src="file://{feeds}/secret.png"&gt;</description></item>'
        "</channel></rss>"
    )
    (feeds / "f.rss").write_text(rss, encoding="utf-8")
    model = {
        "format": "newsexport/1",
        "articles": [
            {
                "title": "Two",
                "image": {"src": str(private)},
                "body": [
                    {"type": "paragraph", "text": [{"text": "Body"}]},
                    {"type": "image", "src": "../private/secret.png"},
                ],
            }
        ],
    }
    (feeds / "model.json").write_text(json.dumps(model), encoding="utf-8")
    out = tmp_path / "book.epub"
    result = run("export", str(feeds / "f.rss"), str(feeds / "model.json"), "-o", str(out), "-q")
    assert result.exit_code == 0, result.stderr
    assert lines(result) == [  # the feed reader keeps only http(s) images; confinement would drop any other
        f"Warning: {feeds}/model.json: image dropped: {private}: outside the input's folder (see --assets-dir)",
        f"Warning: {feeds}/model.json: image dropped: ../private/secret.png: outside the input's folder (see --assets-dir)",
    ]
    assert SECRET not in epub_bytes(out)


# -- 2. server-side request forgery -------------------------------------------------------------------
def test_images_named_by_content_are_not_fetched_from_private_addresses(local_server, tmp_path):
    local_server.routes["/pixel.png"] = (200, {"Content-Type": "image/png"}, png())
    pixel = local_server.url("/pixel.png")
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>https://news.example/</link>'
        "<description>d</description><item><title>One</title><link>https://news.example/1</link>"
        f'<description>&lt;p&gt;Text&lt;/p&gt;&lt;img src="{pixel}"&gt;</description></item></channel></rss>'
    )
    (tmp_path / "f.rss").write_text(feed, encoding="utf-8")
    out = tmp_path / "book.epub"
    result = run("export", str(tmp_path / "f.rss"), "-o", str(out), "-q")
    assert result.exit_code == 0
    assert lines(result) == [
        f"Warning: {tmp_path}/f.rss: image dropped: {pixel}: refused: 127.0.0.1 is a private or reserved address (--allow-private-network allows it)"
    ]
    assert local_server.requests == []  # the server never heard from us
    allowed = run("export", str(tmp_path / "f.rss"), "-o", str(out), "-q", "--allow-private-network")
    assert (allowed.exit_code, lines(allowed)) == (0, [])
    assert local_server.requests == ["/pixel.png"]
    assert png() in epub_bytes(out)


def test_a_typed_url_may_be_private_but_its_redirects_and_images_may_not(local_server, tmp_path):
    port = local_server.url("/").rsplit(":", 1)[1].rstrip("/")
    local_server.routes["/story"] = (
        200,
        {"Content-Type": "text/html"},
        page(f'<img src="http://127.0.0.2:{port}/pixel.png">').encode(),
    )
    local_server.routes["/elsewhere"] = (302, {"Location": f"http://127.0.0.2:{port}/story"}, b"")
    local_server.routes["/pixel.png"] = (200, {"Content-Type": "image/png"}, png())
    out = tmp_path / "book.epub"
    story = run("export", local_server.url("/story"), "-o", str(out), "-q")
    assert story.exit_code == 0
    assert lines(story) == [
        f"Warning: {local_server.url('/story')}: image dropped: http://127.0.0.2:{port}/pixel.png: "
        "refused: 127.0.0.2 is a private or reserved address (--allow-private-network allows it)"
    ]
    redirected = run("export", local_server.url("/elsewhere"), "-o", str(out), "-q")
    assert redirected.exit_code == 1
    assert lines(redirected) == [
        f"Warning: skipped {local_server.url('/elsewhere')}: refused: 127.0.0.2 is a private or reserved address (--allow-private-network allows it)",
        "Error: no articles to export (all inputs were skipped)",
    ]
    assert local_server.requests == ["/story", "/elsewhere"]  # neither the image nor the redirect target


# -- 3. the JSON form gets the same URL rules -----------------------------------------------------------
def test_json_form_links_are_sanitised_for_every_exporter(tmp_path):
    model = {
        "format": "newsexport/1",
        "articles": [
            {
                "title": "Links",
                "url": "javascript:alert(1)",
                "published": "2024-05-01T10:00:00+00:00",
                "authors": ["A"],
                "body": [
                    {
                        "type": "paragraph",
                        "text": [
                            {"text": "click", "href": "javascript:alert(document.cookie)"},
                            {"text": " data", "href": "data:text/html,<script>alert(2)</script>"},
                            {"text": " fine", "href": "https://ok.example/"},
                        ],
                    }
                ],
            }
        ],
    }
    (tmp_path / "model.json").write_text(json.dumps(model), encoding="utf-8")
    outputs = [tmp_path / name for name in ("b.epub", "b.pdf", "f.rss", "f.atom", "f.json")]
    args = ["export", str(tmp_path / "model.json"), "-q", "--title", "T", "--author", "A"]
    for path in outputs:
        args += ["-o", str(path)]
    result = run(*args, "--feed-url", "https://feeds.example/f")
    assert (result.exit_code, lines(result)) == (0, [])
    for path in outputs:
        data = epub_bytes(path) if path.suffix == ".epub" else path.read_bytes()
        assert b"javascript:" not in data and b"data:text/html" not in data, path.name
    assert b"https://ok.example/" in epub_bytes(outputs[0])
    from pypdf import PdfReader

    uris = [
        annot.get_object()["/A"].get("/URI")
        for pdf_page in PdfReader(outputs[1]).pages
        for annot in pdf_page.get("/Annots") or []
        if "/A" in annot.get_object()
    ]
    assert "https://ok.example/" in uris and not any("javascript" in str(u) or "data:" in str(u) for u in uris)


def test_xhtml_links_only_http_and_mailto_whatever_the_model_holds():
    spans = (Span("a", href="javascript:alert(1)"), Span("b", href="mailto:x@y.example"), Span("c", href=" data:x"))
    assert render_inline(spans) == 'a<a href="mailto:x@y.example">b</a>c'


# -- 4. slow servers ------------------------------------------------------------------------------------
def test_a_server_trickling_its_body_hits_the_total_deadline(local_server, monkeypatch):
    monkeypatch.setattr(fetch_module, "DEADLINE", 1.0)

    def trickle(out):
        for _ in range(40):
            out.write(b"<")
            out.flush()
            time.sleep(0.1)

    local_server.routes["/slow"] = (200, {"Content-Type": "text/html", "Content-Length": "40"}, trickle)
    url = local_server.url("/slow")
    result = run("inspect", url)
    assert result.exit_code == 1
    assert lines(result) == [f"Warning: skipped {url}: timed out"]


def test_a_server_trickling_its_headers_hits_the_total_deadline(monkeypatch):
    monkeypatch.setattr(fetch_module, "DEADLINE", 1.0)
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve():
        conn, _ = listener.accept()
        with conn:
            conn.recv(4096)
            for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 60:
                if stop.is_set():
                    return
                try:
                    conn.sendall(bytes([byte]))
                except OSError:  # the client gave up (the point of the test): nothing to report
                    return
                time.sleep(0.1)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/"
    try:
        result = run("inspect", url)
    finally:
        stop.set()
        thread.join(5)
        listener.close()
    assert result.exit_code == 1
    assert lines(result) == [f"Warning: skipped {url}: timed out"]


# -- 5-7. small inputs that blow up ----------------------------------------------------------------------
def test_images_too_large_to_decode_are_dropped_before_decoding(tmp_path):
    (tmp_path / "big.png").write_bytes(png_header_only(12000, 12000))
    (tmp_path / "bomb.png").write_bytes(png_header_only(30000, 30000))
    md = "---\ntitle: Pictures\nimage: big.png\n---\nText.\n\n![bomb](bomb.png)\n"
    (tmp_path / "a.md").write_text(md, encoding="utf-8")
    result = run("export", str(tmp_path / "a.md"), "-o", str(tmp_path / "b.epub"), "-q")
    assert result.exit_code == 0
    assert lines(result) == [
        f"Warning: {tmp_path}/a.md: image dropped: {tmp_path}/big.png: image is 12000×12000 pixels, over the 40,000,000-pixel limit",
        f"Warning: {tmp_path}/a.md: image dropped: {tmp_path}/bomb.png: image is over the 40,000,000-pixel limit",
    ]


def test_yaml_alias_bombs_and_mistyped_front_matter_are_refused(tmp_path):
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for n in range(1, 9):
        prev, name = chr(ord("a") + n - 1), chr(ord("a") + n)
        levels.append(f"{name}: &{name} [{','.join([f'*{prev}'] * 9)}]")
    (tmp_path / "bomb.md").write_text("---\ntitle: Bomb\n" + "\n".join(levels) + "\n---\nText.\n", encoding="utf-8")
    (tmp_path / "typed.md").write_text("---\ntitle: [a, b]\n---\nText.\n", encoding="utf-8")
    (tmp_path / "tags.md").write_text("---\ntitle: T\ntags: [1, {x: 2}]\n---\nText.\n", encoding="utf-8")
    result = run("inspect", str(tmp_path / "bomb.md"), str(tmp_path / "typed.md"), str(tmp_path / "tags.md"))
    assert result.exit_code == 1
    assert lines(result) == [
        f"Warning: skipped {tmp_path}/bomb.md: front matter is not valid YAML (line 4): aliases (*name) are not allowed",
        f"Warning: skipped {tmp_path}/typed.md: front matter: title must be text, not a list",
        f"Warning: skipped {tmp_path}/tags.md: front matter: tags must be text or a list of text, not a list",
    ]


def test_deeply_nested_html_is_flattened_before_sanitising(tmp_path):
    deep = "<div>" * 100_000 + "<p>Deep inside.</p>" + "</div>" * 100_000
    assert len(deep) > 1_100_000
    (tmp_path / "deep.html").write_text(page(deep), encoding="utf-8")
    feed = {"version": "https://jsonfeed.org/version/1.1", "items": [{"title": "Deep", "content_html": deep}]}
    (tmp_path / "deep.json").write_text(json.dumps(feed), encoding="utf-8")
    result = run("export", str(tmp_path / "deep.html"), str(tmp_path / "deep.json"), "-o", str(tmp_path / "f.json"))
    assert result.exit_code == 0
    assert lines(result) == [
        f"Wrote {tmp_path}/f.json (jsonfeed, 2 articles, {(tmp_path / 'f.json').stat().st_size:,} bytes)"
    ]
    items = json.loads((tmp_path / "f.json").read_text(encoding="utf-8"))["items"]
    assert "Harbour workers voted" in items[0]["content_html"]
    assert "Deep inside." in items[1]["content_html"]
    assert sanitize_html("<div>" * 5000 + "x" + "</div>" * 5000).count("<div>") == MAX_DEPTH


# -- 8. dates ---------------------------------------------------------------------------------------------
def test_dates_past_2107_clamp_the_zip_and_impossible_ones_are_refused(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH")  # the build time comes from the articles
    (tmp_path / "late.md").write_text("---\ntitle: Late\ndate: 2108-01-01\n---\nText.\n", encoding="utf-8")
    bad = {
        "one.md": "9999-12-31T23:59:59-12:00",
        "two.md": "0001-01-01T00:00:00+14:00",
        "three.md": "2024-01-01T00:00:00+2400",
    }
    for name, value in bad.items():
        (tmp_path / name).write_text(f'---\ntitle: T\ndate: "{value}"\n---\nText.\n', encoding="utf-8")
    out = tmp_path / "b.epub"
    result = run("export", *(str(tmp_path / n) for n in ["late.md", *bad]), "-o", str(out), "-q")
    assert result.exit_code == 1
    assert lines(result) == [
        f"Warning: skipped {tmp_path}/one.md: front matter: not a date: '9999-12-31T23:59:59-12:00' (outside the years 1-9999 in UTC)",
        f"Warning: skipped {tmp_path}/two.md: front matter: not a date: '0001-01-01T00:00:00+14:00' (outside the years 1-9999 in UTC)",
        f"Warning: skipped {tmp_path}/three.md: front matter: not a date: '2024-01-01T00:00:00+2400' (timezone offset out of range)",
    ]
    with zipfile.ZipFile(out) as book:
        assert {info.date_time for info in book.infolist()} == {(2107, 12, 31, 23, 59, 58)}
        assert book.testzip() is None


# -- 9. readers validate types; a reader's crash is a warning -----------------------------------------------
def test_json_feed_members_of_the_wrong_type_are_ignored(tmp_path):
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": 7,
        "items": [
            {"id": {"x": 1}, "url": 12, "title": "Numbers", "content_text": "Text.", "tags": [1, "t"], "language": 5}
        ],
    }
    (tmp_path / "f.json").write_text(json.dumps(feed), encoding="utf-8")
    result = run("inspect", str(tmp_path / "f.json"), "--json")
    assert (result.exit_code, lines(result)) == (0, [])
    [article] = json.loads(result.stdout)["articles"]
    assert (article["url"], article["tags"], article["language"], article["site_name"]) == (None, ["t"], None, None)


def test_ids_that_are_blank_or_lone_surrogates_are_replaced_and_every_format_is_written(tmp_path):
    body = [{"type": "paragraph", "text": [{"text": "Harbour workers voted on Tuesday to accept the contract."}]}]
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "F",
        "items": [
            {"id": "\udfff", "title": "Surrogate", "content_text": "Harbour workers voted on Tuesday."},
            {"id": "   ", "title": "Blank", "content_text": "The port reopened on Wednesday morning."},
        ],
    }
    (tmp_path / "feed.json").write_text(json.dumps(feed), encoding="utf-8")  # json.dumps escapes the surrogate
    form = [{"id": "\ud800", "title": "Form", "body": body}, {"id": "", "title": "Empty", "body": body}]
    (tmp_path / "form.json").write_text(json.dumps(form), encoding="utf-8")
    for name in ("feed.json", "form.json"):
        result = run("inspect", str(tmp_path / name), "--json")
        ids = [a["id"] for a in json.loads(result.stdout)["articles"]]
        assert (result.exit_code, len(ids)) == (0, 2)
        assert all(re.fullmatch(r"urn:newsexport:[0-9a-f]{20}", i) for i in ids), ids
        for suffix in ("epub", "json", "pdf"):
            out = tmp_path / f"{name}.{suffix}"
            assert run("export", str(tmp_path / name), "-o", str(out), "-q").exit_code == 0
            assert out.stat().st_size > 0


def test_two_items_sharing_an_id_are_both_in_every_feed(tmp_path):
    items = [
        {"id": "1", "title": "Harbour vote", "content_text": "Harbour workers voted on Tuesday."},
        {"id": "1", "title": "Ferry times", "content_text": "The ferry will sail four times a day."},
    ]
    (tmp_path / "feed.json").write_text(
        json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "F", "items": items})
    )
    outputs = [tmp_path / name for name in ("out.json", "out.atom", "out.rss")]
    args = [arg for out in outputs for arg in ("-o", str(out))]
    result = run(
        "export", str(tmp_path / "feed.json"), *args, "--site-url", "https://e.example/", "--author", "A", "-q"
    )
    assert result.exit_code == 0
    assert [i["title"] for i in json.loads(outputs[0].read_text())["items"]] == ["Harbour vote", "Ferry times"]
    for out in outputs[1:]:
        assert out.read_text().count("<title>Ferry times</title>") == 1
        assert out.read_text().count("<title>Harbour vote</title>") == 1


@pytest.mark.parametrize("word", ["H" * 20000, "Harbour " * 2500], ids=["one word", "many words"])
def test_a_title_of_pages_is_cut_and_every_format_is_written(tmp_path, word):
    note = tmp_path / "note.md"
    note.write_text(f"---\ntitle: {word}\n---\nHarbour workers voted on Tuesday to accept the contract.\n")
    [article] = json.loads(run("inspect", str(note), "--json").stdout)["articles"]
    assert (len(article["title"]) <= 1001, article["title"][-1], article["title"][:7]) == (True, "…", word[:7])
    for suffix in ("pdf", "epub", "json"):
        out = tmp_path / f"note.{suffix}"
        result = run("export", str(note), "-o", str(out), "-q")
        assert (result.exit_code, result.stderr) == (0, "")
        assert out.stat().st_size > 0


@pytest.mark.parametrize("port", ["abc", "99999", "-1"])
def test_an_article_url_with_an_impossible_port_is_dropped_and_the_article_kept(tmp_path, port):
    url = f"https://example.com:{port}/story"
    body = "The harbour workers voted on Tuesday to accept the contract after a long night of talks."
    inputs = {
        "page.html": page("", f'<link rel="canonical" href="{url}">'),
        "feed.json": json.dumps(
            {
                "version": "https://jsonfeed.org/version/1.1",
                "title": "F",
                "items": [{"id": "1", "title": "T", "url": url, "content_text": body}],
            }
        ),
        "note.md": f"---\ntitle: Note\nurl: '{url}'\n---\n{body}\n",
        "feed.rss": (
            "<?xml version='1.0'?><rss version='2.0'><channel><title>F</title><link>https://example.com/</link>"
            f"<description>d</description><item><title>Item</title><link>{url}</link><description>{body}</description>"
            "</item></channel></rss>"
        ),
        "copy.txt": f"Copied story\n\n{body}\n\n{url}\n",
    }
    for name, text in inputs.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = run("inspect", *(str(tmp_path / name) for name in inputs), "--json")
    assert (result.exit_code, lines(result)) == (0, [])
    articles = json.loads(result.stdout)["articles"]
    assert [a["url"] for a in articles] == [None] * 5


def test_a_readers_unexpected_exception_skips_the_input_with_a_warning(tmp_path, monkeypatch):
    from exporters.readers.markdown import MarkdownReader

    def broken(self, data, source):
        raise AssertionError("too many bodies")

    monkeypatch.setattr(MarkdownReader, "read", broken)
    (tmp_path / "a.md").write_text("# Title\n\nText.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("A title\n\nSome text of the story.\n", encoding="utf-8")
    result = run("inspect", str(tmp_path / "a.md"), str(tmp_path / "b.txt"))
    assert result.exit_code == 1
    assert lines(result) == [f"Warning: skipped {tmp_path}/a.md: cannot read (AssertionError: too many bodies)"]
    assert "1. A title" in result.stdout
