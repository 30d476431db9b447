"""``newsexport run``: a recipe against feeds and pages served on 127.0.0.1, run after run."""

from __future__ import annotations

import email
import email.policy
import fcntl
import http.server
import io
import socket
import threading
import zipfile
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import feedparser
import pytest
from aiosmtpd.controller import Controller
from lxml import etree
from typer.testing import CliRunner

import main
from exporters.library import Query, open_library
from exporters.library.deliveries import sent_ids

ENV = {"NO_COLOR": "1", "COLUMNS": "100"}
XHTML = "http://www.w3.org/1999/xhtml"
BASE_TIME = datetime(2024, 4, 30, 9, tzinfo=UTC)  # a day before the suite's SOURCE_DATE_EPOCH
STORY = " ".join(f"Sentence {n} of the full story tells what the harbour council decided." for n in range(40))


class NewsSite:
    """Serves one RSS feed (with an ETag, answering 304 when it has not changed) and a page per item."""

    def __init__(self) -> None:
        self.items = 3
        self.counts = {"feed 200": 0, "feed 304": 0, "page": 0}
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's naming)
                if self.path == "/feed.rss":
                    tag = f'"items-{site.items}"'
                    if self.headers.get("If-None-Match") == tag:
                        site.counts["feed 304"] += 1
                        self.send_response(304)
                        self.send_header("ETag", tag)
                        self.end_headers()
                        return
                    site.counts["feed 200"] += 1
                    self.reply(200, "application/rss+xml", site.feed().encode(), {"ETag": tag})
                elif self.path.startswith("/story/"):
                    site.counts["page"] += 1
                    number = self.path.rsplit("/", 1)[1]
                    page = (
                        f"<html><head><title>Story {number}</title></head><body><article><h1>Story {number}</h1>"
                        f"<p>{STORY}</p><p>Story {number} ends here with its own last line.</p></article></body></html>"
                    )
                    self.reply(200, "text/html; charset=utf-8", page.encode(), {})
                else:
                    self.reply(404, "text/plain", b"not found", {})

            def reply(self, status, media_type, body, headers):
                self.send_response(status)
                self.send_header("Content-Type", media_type)
                self.send_header("Content-Length", str(len(body)))
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                return

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def feed(self) -> str:
        items = "".join(
            f"<item><title>Story {n}</title><link>{self.base}/story/{n}</link><guid>{self.base}/story/{n}</guid>"
            f"<pubDate>{format_datetime(BASE_TIME + timedelta(hours=n))}</pubDate>"
            f"<description>Only a summary of story {n}.</description></item>"
            for n in range(1, self.items + 1)
        )
        return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour</title><link>{self.base}/</link>{items}</channel></rss>'


@pytest.fixture
def site():
    server = NewsSite()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


def write_recipe(tmp_path, site: NewsSite, extra: str = "") -> str:
    recipe = tmp_path / "weekly.toml"
    recipe.write_text(
        f"""\
title = "Harbour weekly, {{date:%d %B %Y}}"
library = "lib.sqlite"
author = "Me"

[[source]]
feed = "{site.base}/feed.rss"
full_text = "auto"
oldest_days = 7
tags = ["harbour"]

[[output]]
path = "out/weekly-{{run}}.epub"

[[output]]
path = "out/weekly.atom"
feed_url = "https://me.example/weekly.atom"
merge = true
{extra}""",
        encoding="utf-8",
    )
    return str(recipe)


def run(*args: str):
    return CliRunner().invoke(main.app, ["run", *args], env=ENV)


def chapters(path) -> list[str]:
    with zipfile.ZipFile(path) as book:
        nav = etree.fromstring(book.read("EPUB/nav.xhtml"))
        texts = [book.read(n).decode() for n in book.namelist() if n.startswith("EPUB/text/")]
    toc = nav.xpath("//x:nav[@epub:type='toc']", namespaces={"x": XHTML, "epub": "http://www.idpf.org/2007/ops"})[0]
    titles = [a.text for a in toc.iter(f"{{{XHTML}}}a")]
    assert all(STORY[:60] in text for text in texts if "Story" in text)
    return titles


def test_runs_deliver_only_what_is_new_and_revalidate_the_feed(tmp_path, site):
    recipe = write_recipe(tmp_path, site)
    first = run(recipe, "--allow-private-network")
    assert first.exit_code == 0, first.stderr
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir()) == ["weekly-1.epub", "weekly.atom"]
    assert chapters(out / "weekly-1.epub") == ["Story 3", "Story 2", "Story 1"]  # newest first, full text fetched
    assert site.counts == {"feed 200": 1, "feed 304": 0, "page": 3}

    second = run(recipe, "--allow-private-network")
    assert (second.exit_code, second.stderr.splitlines()[-1]) == (0, f"{recipe}: no new articles")
    assert sorted(p.name for p in out.iterdir()) == ["weekly-1.epub", "weekly.atom"]
    assert site.counts == {"feed 200": 1, "feed 304": 1, "page": 3}  # a conditional request, no page again

    site.items = 5
    third = run(recipe, "--allow-private-network")
    assert third.exit_code == 0, third.stderr
    assert chapters(out / "weekly-2.epub") == ["Story 5", "Story 4"]
    feed = feedparser.parse((out / "weekly.atom").read_bytes())
    assert [e.title for e in feed.entries] == ["Story 5", "Story 4", "Story 3", "Story 2", "Story 1"]
    assert site.counts == {"feed 200": 2, "feed 304": 1, "page": 5}

    with open_library(tmp_path / "lib.sqlite") as library:
        sent = sent_ids(library, f"recipe:weekly:{out}/weekly-{{run}}.epub")
        assert len(sent) == 5 and all("harbour" in s.tags for s in library.find())

    again = run(recipe, "--allow-private-network", "--all", "--dry-run")
    assert again.exit_code == 0, again.stderr
    assert f"Would write {out}/weekly-3.epub (5 new articles)" in again.stdout.splitlines()
    assert sorted(p.name for p in out.iterdir()) == ["weekly-1.epub", "weekly-2.epub", "weekly.atom"]


def test_content_links_need_the_private_network_option_but_the_recipes_own_feed_does_not(tmp_path, site):
    result = run(write_recipe(tmp_path, site))
    assert result.exit_code == 1
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Warning:")]
    assert len(warnings) == 3 and all("private or reserved address" in line for line in warnings)
    assert site.counts == {"feed 200": 1, "feed 304": 0, "page": 0}  # the feed was read, no page was requested


class _Inbox:
    def __init__(self, reply: str):
        self.reply, self.messages = reply, []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's naming)
        if self.reply.startswith("250"):
            self.messages.append(envelope.content)
        return self.reply


def smtp(reply: str) -> tuple[_Inbox, Controller, int]:
    inbox = _Inbox(reply)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    return inbox, controller, port


def deliver(port: int) -> str:
    return (
        f'\n[deliver]\nemail = "me@kindle.example"\nsmtp = {{ host = "127.0.0.1", port = {port}, starttls = false }}\n'
    )


def test_a_rejected_book_is_not_marked_delivered_and_goes_again(tmp_path, site):
    inbox, controller, port = smtp("554 Message rejected")
    try:
        recipe = write_recipe(tmp_path, site, deliver(port))
        refused = run(recipe, "--allow-private-network")
    finally:
        controller.stop()
    assert refused.exit_code == 1
    assert "refused the message: 554 Message rejected" in refused.stderr
    assert inbox.messages == []

    inbox, controller, port = smtp("250 OK")
    try:
        recipe = write_recipe(tmp_path, site, deliver(port))  # the same recipe, the server's new port
        accepted = run(recipe, "--allow-private-network")
    finally:
        controller.stop()
    assert accepted.exit_code == 0, accepted.stderr
    [raw] = inbox.messages
    message = email.message_from_bytes(raw, policy=email.policy.default)
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/epub+zip"
    with zipfile.ZipFile(io.BytesIO(attachment.get_content())) as book:
        assert len([n for n in book.namelist() if n.startswith("EPUB/text/")]) >= 3


def test_an_overlapping_run_says_so_and_does_nothing(tmp_path, site):
    recipe = write_recipe(tmp_path, site)
    with open(tmp_path / "lib.sqlite.weekly.lock", "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        result = run(recipe, "--allow-private-network")
    assert result.exit_code == 0
    assert result.stderr.strip().endswith(
        "is still going (lock " + str(tmp_path / "lib.sqlite.weekly.lock") + "); nothing done"
    )
    assert site.counts["feed 200"] == 0 and not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("oldest_days = 7", "oldest_dayz = 7"), ":8: source.oldest_dayz: unknown key"),
        (('full_text = "auto"', "full_text = 3"), ":7: source.full_text: must be one of auto, always, never"),
        (
            ('path = "out/weekly-{run}.epub"', 'path = "out/weekly-{date:%Q}.epub"'),
            ":12: output.path: bad strftime pattern '%Q'",
        ),
        (("merge = true", "columns = 2"), ":17: output.columns: unknown key"),
    ],
)
def test_recipe_errors_are_one_line_with_file_line_and_key_and_exit_2(tmp_path, site, change, message):
    recipe = write_recipe(tmp_path, site)
    text = (tmp_path / "weekly.toml").read_text().replace(*change)
    (tmp_path / "weekly.toml").write_text(text)
    result = run(recipe)
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line.startswith(f"Error: {recipe}{message}")
    assert site.counts["feed 200"] == 0  # checked before any network access


def test_a_recipe_without_a_source_is_one_line_and_exit_2(tmp_path, site):
    recipe = tmp_path / "weekly.toml"
    recipe.write_text('title = "Weekly"\n\n[[output]]\npath = "out/weekly.epub"\n', encoding="utf-8")
    result = run(str(recipe))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"Error: {recipe}:1: source: the recipe has no [[source]]: say where articles come from"
    ]
    assert not (tmp_path / "out").exists() and site.counts["feed 200"] == 0


@pytest.mark.parametrize("over", ["library", "input"])
def test_an_output_over_the_library_or_an_input_is_refused_and_nothing_replaced(tmp_path, over):
    source = tmp_path / "in.json"
    source.write_text(
        '{"version": "https://jsonfeed.org/version/1.1", "items": [{"title": "A", "content_text": "B c d."}]}'
    )
    library = tmp_path / "lib.json"  # a library may have any name, a format's extension too
    recipe = tmp_path / "r.toml"
    target = {"library": library, "input": source}[over]
    recipe.write_text(f'library = "{library}"\n[[source]]\nfiles = ["{source}"]\n[[output]]\npath = "{target}"\n')
    before = source.read_bytes()
    result = run(str(recipe))
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: {target}: is one of the inputs; choose another output file\n",
    )
    assert source.read_bytes() == before
    with open_library(library) as lib:  # still a library
        assert lib.find(Query(state="any")) == []


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ('max_image_width = "big"', "6: output.max_image_width: must be a whole number"),
        ("font_size = inf", "6: output.font_size: must be a number"),
        ('merge = "yes"', "6: output.merge: must be true or false"),
        ("columns = 99", "5: output: pdf: --columns must be 1, 2 or 3, not 99"),
    ],
)
def test_an_output_option_of_the_wrong_type_or_range_is_refused_when_the_recipe_loads(tmp_path, option, message):
    source = tmp_path / "in.json"
    source.write_text(
        '{"version": "https://jsonfeed.org/version/1.1", "items": [{"title": "A", "content_text": "B."}]}'
    )
    suffix = "rss" if option.startswith("merge") else "pdf" if option.startswith(("columns", "font")) else "epub"
    recipe = tmp_path / "r.toml"
    recipe.write_text(
        f'library = "{tmp_path / "lib.sqlite"}"\n[[source]]\nfiles = ["{source}"]\n'
        f'[[output]]\npath = "{tmp_path / "out"}.{suffix}"\n{option}\n'
    )
    result = run(str(recipe))
    assert (result.exit_code, result.stderr) == (2, f"Error: {recipe}:{message}\n")
    assert not (tmp_path / "lib.sqlite").exists()
