"""Merging into a previous feed (its entries kept byte for byte) and RFC 5005 archive pages."""

from __future__ import annotations

import json
import re

import pytest
from conftest import FIXED_TIME, corpus_articles
from feed_checks import (
    FEED_URL,
    FEEDS,
    NO_PROGRESS,
    OPTIONS,
    RULES,
    SITE,
    A,
    corpus,
    corpus_feed,
    entries_of,
)
from lxml import etree

from exporters.exporter import ExportError
from exporters.feeds.jsonfeed import JsonFeedExporter
from exporters.feeds.options import FeedOptions
from exporters.feeds.rss import RssExporter
from exporters.model import Article, Collection
from exporters.readers.feed import FeedReader
from exporters.readers.json import JsonReader


def _merge_inputs():
    """10 old articles, then 5 new plus 3 repeated ones whose title and date changed since."""
    articles = corpus_articles(18)
    old = Collection(articles[8:18], title="T", authors=("Desk",), generated=FIXED_TIME)
    repeated = tuple(a.with_changes(title="Changed " + a.title, published=FIXED_TIME) for a in articles[8:11])
    new = Collection(articles[:5] + repeated, title="T", authors=("Desk",), generated=FIXED_TIME)
    return old, new


@pytest.mark.parametrize("name", FEEDS)
def test_merge_adds_new_entries_and_keeps_old_ones_byte_for_byte(name, tmp_path):
    old, new = _merge_inputs()
    first = FEEDS[name](OPTIONS).export(old)
    previous = tmp_path / "feed"
    previous.write_bytes(first)
    merged = FEEDS[name](FeedOptions(site_url=SITE, feed_url=FEED_URL, merge=previous)).export(new)
    old_entries, merged_entries = entries_of(name, first), entries_of(name, merged)
    assert len(old_entries) == 10 and len(merged_entries) == 15
    RULES[name](merged, 15)
    assert merged_entries[5:] == old_entries
    assert "Changed" not in merged.decode("utf-8")
    articles = FeedReader().read(merged, "m") if name != "jsonfeed" else JsonReader().read(merged, "m")
    assert [a.id for a in articles] == [a.id for a in corpus_articles(18)[:5] + corpus_articles(18)[8:]]
    assert articles[5].published == corpus_articles(18)[8].published
    # Running the same command again changes nothing.
    previous.write_bytes(merged)
    assert FEEDS[name](FeedOptions(site_url=SITE, feed_url=FEED_URL, merge=previous)).export(new) == merged


def test_merge_of_a_broken_previous_feed_names_the_file_and_the_line(tmp_path):
    data = corpus_feed("rss")
    second = data.index(b"<item>", data.index(b"<item>") + 1)
    broken = tmp_path / "feed.rss"
    broken.write_bytes(data[:second] + b"<item><title>Unclosed</title>" + data[second:])
    with pytest.raises(ExportError) as info:
        RssExporter(FeedOptions(site_url=SITE, merge=broken)).export(corpus(2))
    assert re.match(rf"^rss: cannot merge {re.escape(str(broken))}: not well-formed XML \(.*line \d+", str(info.value))


def test_merge_drops_a_new_article_whose_link_is_an_old_entry_link_in_another_form(tmp_path):
    old = Article(id="urn:x:old", title="Old", url="https://x.example/a?id=1", published=FIXED_TIME)
    previous = tmp_path / "feed.rss"
    previous.write_bytes(RssExporter(OPTIONS).export(Collection((old,), generated=FIXED_TIME)))
    same = Article(
        id="urn:x:other-id",
        title="Same page",
        url="https://X.example:443/a?id=1&utm_source=mail#top",
        published=FIXED_TIME,
    )
    other = Article(id="urn:x:new", title="Other page", url="https://x.example/a?id=2", published=FIXED_TIME)
    merged = RssExporter(FeedOptions(site_url=SITE, merge=previous)).export(
        Collection((same, other), generated=FIXED_TIME)
    )
    assert [t.text for t in etree.fromstring(merged).iter("title")][1:] == ["Other page", "Old"]


def test_merge_keeps_the_newest_max_items(tmp_path):
    old, new = _merge_inputs()
    previous = tmp_path / "feed.rss"
    previous.write_bytes(RssExporter(OPTIONS).export(old))
    merged = RssExporter(FeedOptions(site_url=SITE, merge=previous, max_items=12)).export(new)
    guids = [g.text for g in etree.fromstring(merged).iter("guid")]
    # The 5 new ones and the 7 most recent old ones, in feed order.
    assert guids == [a.id for a in corpus_articles(18)[:5] + corpus_articles(18)[8:15]]


def test_merge_refuses_a_missing_file_and_another_format(tmp_path):
    missing = tmp_path / "none.rss"
    with pytest.raises(ExportError) as info:
        RssExporter(FeedOptions(site_url=SITE, merge=missing)).export(corpus(2))
    assert str(info.value) == f"rss: cannot merge {missing}: no such file"
    atom = tmp_path / "feed.atom"
    atom.write_bytes(corpus_feed("atom"))
    with pytest.raises(ExportError) as info:
        RssExporter(FeedOptions(site_url=SITE, merge=atom)).export(corpus(2))
    assert str(info.value) == f"rss: cannot merge {atom}: not an RSS 2.0 feed (merge into a feed of the same format)"
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(ExportError) as info:
        JsonFeedExporter(FeedOptions(merge=broken)).export(corpus(2))
    assert str(info.value).startswith(f"jsonfeed: cannot merge {broken}: not valid JSON (")


def test_merge_expands_internal_entities_and_refuses_external_ones(tmp_path):
    old = tmp_path / "old.rss"
    old.write_text(
        """<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY mdash "&#8212;">]>
<rss version="2.0"><channel><title>t</title><link>https://x.example/</link><description>d</description>
<item><title>Old &mdash; entry</title><guid>https://x.example/old</guid></item></channel></rss>""",
        encoding="utf-8",
    )
    merged = RssExporter(FeedOptions(site_url=SITE, merge=old)).export(corpus(1))
    assert "<title>Old — entry</title>" in merged.decode("utf-8") and b"&mdash;" not in merged
    RULES["rss"](merged, 2)
    old.write_text(
        old.read_text(encoding="utf-8").replace('"&#8212;"', 'SYSTEM "file:///etc/hostname"'), encoding="utf-8"
    )
    with pytest.raises(ExportError) as info:
        RssExporter(FeedOptions(site_url=SITE, merge=old)).export(corpus(1))
    assert str(info.value).startswith(f"rss: cannot merge {old}: not well-formed XML (Entity 'mdash' not defined")


# -- archives -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["rss", "atom"])
def test_page_size_writes_rfc_5005_archives_that_link_to_each_other(name):
    output = "feed" + FEEDS[name].extensions[0]
    files = (
        FEEDS[name](FeedOptions(site_url=SITE, feed_url=FEED_URL, page_size=40))
        .render(corpus(), output, NO_PROGRESS)
        .files(output)
    )
    ext = FEEDS[name].extensions[0]
    assert list(files) == [f"feed-archive-1{ext}", f"feed-archive-2{ext}", f"feed{ext}"]
    # The subscription document holds the newest page; archives are numbered from the oldest.
    fh = "{http://purl.org/syndication/history/1.0}archive"

    def links(data):
        root = etree.fromstring(data)
        return {
            link.get("rel"): link.get("href")
            for link in root.iter(A + "link")
            if link.getparent() in (root, root.find("channel"))
        }

    def ids(data):
        return [e.text for e in etree.fromstring(data).iter("guid" if name == "rss" else A + "id")][
            0 if name == "rss" else 1 :
        ]

    base = "https://news.example.org/"
    assert links(files[f"feed{ext}"])["prev-archive"] == f"{base}feed-archive-2{ext}"
    assert links(files[f"feed-archive-2{ext}"]) | {} == {
        "self": f"{base}feed-archive-2{ext}",
        "current": FEED_URL,
        "prev-archive": f"{base}feed-archive-1{ext}",
        **({"alternate": SITE} if name == "atom" else {}),
    }
    assert "next-archive" in links(files[f"feed-archive-1{ext}"]) and "prev-archive" not in links(
        files[f"feed-archive-1{ext}"]
    )
    assert next(etree.fromstring(files[f"feed{ext}"]).iter(fh), None) is None
    assert next(etree.fromstring(files[f"feed-archive-1{ext}"]).iter(fh), None) is not None
    pages = [ids(files[n]) for n in (f"feed{ext}", f"feed-archive-1{ext}", f"feed-archive-2{ext}")]
    assert [len(p) for p in pages] == [40, 40, 30]
    for data, count in zip(files.values(), (40, 30, 40)):
        RULES[name](data, count)
    assert pages[0] + pages[2] + pages[1] == [a.id for a in corpus_articles(110)]


_PAGED = dict(site_url=SITE, feed_url=FEED_URL, page_size=4)


def _write_paged_rss(folder, articles) -> dict[str, bytes]:
    """``f.rss`` and its archive pages of four entries, written into ``folder``; their bytes by name."""
    files = RssExporter(FeedOptions(**_PAGED)).render(Collection(articles, generated=FIXED_TIME), "f.rss", NO_PROGRESS)
    for name, data in files.files("f.rss").items():
        (folder / name).write_bytes(data)
    return files.files("f.rss")


def _merge_rss(folder, articles):
    exporter = RssExporter(FeedOptions(**_PAGED, merge=folder / "f.rss"))
    return exporter.render(Collection(articles, generated=FIXED_TIME), "f.rss", NO_PROGRESS).files("f.rss")


def test_merging_into_a_paged_feed_leaves_full_archive_pages_unchanged(tmp_path):
    articles = corpus_articles(20)
    first = _write_paged_rss(tmp_path, articles[5:])
    second = _merge_rss(tmp_path, articles[:5])
    assert len(first) == 4 and len(second) == 5
    for name in ("f-archive-1.rss", "f-archive-2.rss"):
        assert second[name] == first[name]
    # The partial newest archive (3 entries) is filled up and gains a next-archive link; its entries stay byte for byte.
    assert entries_of("rss", second["f-archive-3.rss"])[1:] == entries_of("rss", first["f-archive-3.rss"])
    assert b'rel="next-archive"' in second["f-archive-3.rss"] and b'rel="next-archive"' not in first["f-archive-3.rss"]
    total = [g.text for data in second.values() for g in etree.fromstring(data).iter("guid")]
    assert sorted(total) == sorted(a.id for a in articles)


def test_json_feed_pages_chain_through_next_url():
    files = (
        JsonFeedExporter(FeedOptions(feed_url=FEED_URL, page_size=50))
        .render(corpus(), "feed.json", NO_PROGRESS)
        .files("feed.json")
    )
    assert list(files) == ["feed-archive-1.json", "feed-archive-2.json", "feed.json"]
    docs = [json.loads(files[n]) for n in ("feed.json", "feed-archive-1.json", "feed-archive-2.json")]
    assert docs[0]["next_url"] == "https://news.example.org/feed-archive-2.json"
    assert docs[2]["next_url"] == "https://news.example.org/feed-archive-1.json" and "next_url" not in docs[1]


def test_merging_a_feed_whose_archive_page_is_a_fifo_refuses_it_without_waiting(tmp_path):
    import os

    articles = corpus_articles(12)
    _write_paged_rss(tmp_path, articles[4:])
    (tmp_path / "f-archive-1.rss").unlink()
    os.mkfifo(tmp_path / "f-archive-1.rss")  # nothing ever writes to it: reading it would wait for ever
    with pytest.raises(ExportError) as error:
        _merge_rss(tmp_path, articles[:4])
    assert str(error.value) == (
        f"rss: cannot merge {tmp_path}/f-archive-1.rss: is a named pipe (FIFO), not a regular file"
    )
