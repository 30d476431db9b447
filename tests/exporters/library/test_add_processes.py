"""``add`` against pages served on 127.0.0.1: concurrent fetching, a failing page, a kill -9, two writers at once."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile

from conftest import ROOT
from library_pages import article_page, png_bytes, serve_pages
from typer.testing import CliRunner

import main
from exporters.library import Query, add_inputs, open_library
from exporters.model import Article

ENV = {"NO_COLOR": "1", "COLUMNS": "100", "TERM": "dumb"}


def cli(*args: str):
    return CliRunner().invoke(main.app, list(args), env=ENV)


def test_add_20_urls_with_4_jobs_saves_19_and_warns_of_the_failing_one(local_server, tmp_path):
    urls = serve_pages(local_server, 20, fail={7}, image=True)
    path = tmp_path / "lib.sqlite"
    result = cli("add", "--allow-private-network", "--jobs", "4", "--tag", "harbour", "--library", str(path), *urls)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Warning: skipped {urls[7]}: HTTP 500 Internal Server Error",
        f"Added 19 articles, updated 0, failed 1 ({path})",
    ]
    with open_library(path) as library:
        stored = library.find(Query(sort="title", newest_first=False))
        assert sorted(s.title for s in stored) == sorted(f"Story number {n}" for n in range(20) if n != 7)
        assert {s.tags for s in stored} == {("harbour",)}
        assert all(library.original_html(s).startswith(b"<!doctype html>") for s in stored)
        assert library.stats()["images"] == 1  # the same photo in every page: one blob
    again = cli("add", "--allow-private-network", "--library", str(path), urls[3])
    assert again.stderr.splitlines() == [f"Added 0 articles, updated 1, failed 0 ({path})"]


def test_stored_images_reach_the_book_without_the_network(local_server, tmp_path):
    urls = serve_pages(local_server, 2, image=True)
    path = tmp_path / "lib.sqlite"
    assert cli("add", "--allow-private-network", "--library", str(path), *urls).exit_code == 0
    local_server.routes.clear()  # from now on every request is a 404
    book = tmp_path / "book.epub"
    result = cli("export", "--from-library", "--library", str(path), "-o", str(book))
    assert result.exit_code == 0, result.stderr
    with zipfile.ZipFile(book) as epub:
        images = [n for n in epub.namelist() if n.lower().endswith(".png") and "cover" not in n]
        assert len(images) == 1 and epub.read(images[0]) == png_bytes()


def _add_process(path, urls, jobs="1"):
    return subprocess.Popen(
        [sys.executable, "main.py", "add", "--quiet", "--no-images", "--jobs", jobs, "--library", str(path), *urls],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=os.environ | ENV,
    )


def _count(path) -> int:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
        try:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def test_kill_9_in_the_middle_of_adding_100_urls_keeps_what_was_committed(local_server, tmp_path):
    urls = serve_pages(local_server, 100, delay=0.05)
    path = tmp_path / "lib.sqlite"
    process = _add_process(path, urls)
    deadline = time.monotonic() + 60
    while _count(path) < 5 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    with open_library(path) as library:
        stored = library.find(Query())
        assert 5 <= len(stored) < 100
        assert all(library.article(s).title.startswith("Story number") for s in stored)
        assert len(library.find(Query(search="harbour"))) == len(stored)  # index and rows agree
        assert library.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_two_add_processes_at_once_both_succeed(local_server, tmp_path):
    urls = serve_pages(local_server, 16, delay=0.01)
    path = tmp_path / "lib.sqlite"
    first, second = _add_process(path, urls[:8], "2"), _add_process(path, urls[8:], "2")
    results = [p.communicate(timeout=120) for p in (first, second)]
    assert (first.returncode, second.returncode) == (0, 0), results
    with open_library(path) as library:
        assert len(library.find(Query())) == 16


def test_adding_an_imported_link_whose_page_names_another_canonical_url_updates_it(local_server, tmp_path):
    page = article_page(1).replace(b"</head>", b"<link rel='canonical' href='https://harbour.example/story-1'></head>")
    local_server.routes["/s?id=1"] = (200, {"Content-Type": "text/html"}, page)
    path = tmp_path / "lib.sqlite"
    with open_library(path) as library:
        url = local_server.url("/s?id=1")
        library.save(Article(id="x", title="Link", url=url), fetched=False, tags=["pocket"])
        report = add_inputs(library, [url], images=False)
        [stored] = library.find(Query())
        assert (report.updated, stored.title, stored.tags, stored.fetched) == (
            [stored.id],
            "Story number 1",
            ("pocket",),
            True,
        )
        assert library.article(stored).url == "https://harbour.example/story-1"


def test_a_page_added_by_url_never_makes_the_library_read_a_local_file(local_server, tmp_path):
    private = tmp_path / "private"
    private.mkdir()
    secret = png_bytes("green")
    (private / "secret.png").write_bytes(secret)
    local_server.routes["/story"] = (
        200,
        {"Content-Type": "text/html"},
        article_page(1, image=f"file://{private}/secret.png"),
    )
    path = tmp_path / "lib.sqlite"
    result = cli("add", "--allow-private-network", "--library", str(path), local_server.url("/story"))
    assert result.exit_code == 0, result.stderr
    with sqlite3.connect(path) as conn:
        blobs = [row[0] for row in conn.execute("SELECT data FROM blobs")]
    assert all(secret not in blob for blob in blobs) and str(private) not in result.stderr
