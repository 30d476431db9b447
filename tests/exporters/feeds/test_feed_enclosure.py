"""``--enclosure-url``: the run's book attached to the newest entry of each feed format, and only to it."""

from __future__ import annotations

import json

import feedparser
from conftest import SAMPLES
from feed_checks import FEED_URL, RULES, SITE, A, cli
from lxml import etree

BOOK = "https://me.example/books/weekly-3.epub"
FLAGS = ["--site-url", SITE, "--feed-url", FEED_URL, "--author", "Desk", "-q"]


def export(tmp_path, name: str, *extra: str):
    out = tmp_path / name
    result = cli("export", str(SAMPLES), "-o", str(out), *FLAGS, *extra)
    return result, out


def test_rss_atom_and_json_feed_attach_the_book_to_the_newest_entry_only(tmp_path):
    for name, fmt in (("feed.rss", "rss"), ("feed.atom", "atom"), ("feed.json", "jsonfeed")):
        result, out = export(tmp_path, name, "--enclosure-url", BOOK, "--enclosure-length", "123")
        assert result.exit_code == 0, result.output
        data = out.read_bytes()
        RULES[fmt](data, 7)
        if fmt != "jsonfeed":  # feedparser reads RSS and Atom
            parsed = feedparser.parse(data)
            dates = [entry.get("published_parsed") or entry.get("updated_parsed") for entry in parsed.entries]
            assert dates[0] == max(d for d in dates if d)  # the first entry is the newest
            with_book = [
                n
                for n, entry in enumerate(parsed.entries)
                if any(e.get("href") == BOOK for e in entry.get("enclosures", []))
            ]
            assert with_book == [0], fmt
            (book,) = [e for e in parsed.entries[0].enclosures if e.get("href") == BOOK]
            assert book.type == "application/epub+zip" and book.length == "123"
        if fmt == "rss":
            items = etree.fromstring(data).find("channel").findall("item")
            # RSS allows one enclosure per item: the book's.
            assert [dict(e.attrib) for e in items[0].iterfind("enclosure")] == [
                {"url": BOOK, "length": "123", "type": "application/epub+zip"}
            ]
            assert sum(1 for item in items for e in item.iterfind("enclosure") if e.get("url") == BOOK) == 1
        elif fmt == "atom":
            entries = etree.fromstring(data).findall(A + "entry")
            links = [dict(link.attrib) for e in entries for link in e.iterfind(A + "link") if link.get("href") == BOOK]
            assert links == [{"href": BOOK, "rel": "enclosure", "type": "application/epub+zip", "length": "123"}]
            assert entries[0].find(f"{A}link[@href='{BOOK}']") is not None
        else:
            items = json.loads(data)["items"]
            dates = [item.get("date_published") or item.get("date_modified") for item in items]
            assert dates[0] == max(d for d in dates if d)
            assert items[0]["attachments"] == [{"url": BOOK, "mime_type": "application/epub+zip", "size_in_bytes": 123}]
            assert [n for n, item in enumerate(items) if "attachments" in item] == [0]


def test_without_the_option_no_entry_links_a_book(tmp_path):
    for name in ("feed.rss", "feed.atom", "feed.json"):
        result, out = export(tmp_path, name)
        assert result.exit_code == 0, result.output
        assert b"application/epub+zip" not in out.read_bytes()


def test_a_pdf_url_gets_the_pdf_type_and_atom_needs_no_length(tmp_path):
    result, out = export(tmp_path, "feed.atom", "--enclosure-url", "https://me.example/books/w.pdf")
    assert result.exit_code == 0, result.output
    (entry,) = [
        e
        for e in etree.fromstring(out.read_bytes()).findall(A + "entry")
        if e.find(f"{A}link[@type='application/pdf']") is not None
    ]
    assert dict(entry.find(f"{A}link[@type='application/pdf']").attrib) == {
        "href": "https://me.example/books/w.pdf",
        "rel": "enclosure",
        "type": "application/pdf",
    }


def test_rss_enclosure_without_a_length_is_refused_and_nothing_is_written(tmp_path):
    result, out = export(tmp_path, "feed.rss", "--enclosure-url", BOOK)
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1] == (
        f"Error: {out}: rss: an enclosure needs its size: pass --enclosure-length with --enclosure-url"
    )
    assert not out.exists()


def test_bad_enclosure_options_are_one_line_errors(tmp_path):
    result, out = export(tmp_path, "feed.json", "--enclosure-url", "books/w.epub")
    assert result.exit_code in (1, 2) and not out.exists()
    assert "--enclosure-url must be an absolute http(s) URL, not 'books/w.epub'" in result.stderr
    result, out = export(tmp_path, "feed.json", "--enclosure-length", "5")
    assert result.exit_code in (1, 2) and not out.exists()
    assert "--enclosure-length needs --enclosure-url (the file it is the size of)" in result.stderr
