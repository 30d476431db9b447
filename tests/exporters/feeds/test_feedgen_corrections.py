"""What feedgen 1.0.0 gets wrong, corrected on the elements it returns: each correction checked on the output.

Each test first shows the flaw in feedgen's own element (so the test says when an upgrade fixes
it), then checks the feed newsexport writes.
"""

from __future__ import annotations

import re

from conftest import FIXED_TIME
from feed_checks import CONTENT, FEED_URL, NO_PROGRESS, OPTIONS, RULES, SITE, A
from feedgen.entry import FeedEntry as FeedgenEntry
from feedgen.feed import FeedGenerator
from lxml import etree

from exporters.feeds.atom import AtomExporter
from exporters.feeds.options import FeedOptions
from exporters.feeds.rss import RssExporter
from exporters.model import Article, Asset, Collection, Image, Paragraph, Span

IMAGE = "https://img.example/lead.jpg"
ARTICLE = Article(
    id="https://x.example/a",
    title="Linked",
    url="https://x.example/a",
    authors=("Ann",),
    published=FIXED_TIME,
    image=Image(IMAGE),
    body=(Paragraph((Span("Body words."),)),),
)
COLLECTION = Collection((ARTICLE,), generated=FIXED_TIME, assets={IMAGE: Asset(IMAGE, "image/jpeg", b"x" * 99)})
HISTORY = "{http://purl.org/syndication/history/1.0}"


def test_atom_entry_links_keep_rel_type_and_length():
    raw = FeedgenEntry()
    raw.id("urn:x:1")
    raw.title("t")
    raw.updated(FIXED_TIME)
    raw.link([{"href": "https://x.example/a", "rel": "alternate", "type": "text/html"}])
    assert dict(raw.atom_entry().find("link").attrib) == {"href": "https://x.example/a"}  # upstream #135/#143
    entry = etree.fromstring(AtomExporter(OPTIONS).export(COLLECTION)).find(A + "entry")
    assert [dict(link.attrib) for link in entry.iterfind(A + "link")] == [
        {"href": "https://x.example/a", "rel": "alternate", "type": "text/html"},
        {"href": IMAGE, "rel": "enclosure", "type": "image/jpeg", "length": "99"},
    ]


def test_self_links_are_typed():
    feed = FeedGenerator()
    feed.title("t")
    feed.link(href=FEED_URL, rel="self")
    feed.link(href=SITE)
    feed.description("d")
    assert b'rel="self"/>' in feed.rss_str()  # no type
    rss = etree.fromstring(RssExporter(OPTIONS).export(COLLECTION)).find("channel")
    assert [dict(link.attrib) for link in rss.iterfind(A + "link")] == [
        {"href": FEED_URL, "rel": "self", "type": "application/rss+xml"}
    ]
    assert rss.findtext("link") == SITE  # the alternate link, set after the self link


def test_archive_pages_carry_rfc_5005_links_and_marker():
    two = Collection((ARTICLE, ARTICLE.with_changes(id="urn:x:2", url=None)), authors=("Desk",), generated=FIXED_TIME)
    for exporter, ext, parent in ((RssExporter, ".rss", "channel"), (AtomExporter, ".atom", None)):
        files = (
            exporter(FeedOptions(site_url=SITE, feed_url=FEED_URL, page_size=1))
            .render(two, "f" + ext, NO_PROGRESS)
            .files("f" + ext)
        )
        archive = etree.fromstring(files["f-archive-1" + ext])
        container = archive.find(parent) if parent else archive
        rels = [link.get("rel") for link in container.iterfind(A + "link")]
        assert "current" in rels and container.find(HISTORY + "archive") is not None
        current = etree.fromstring(files["f" + ext])
        container = current.find(parent) if parent else current
        assert [link.get("href") for link in container.iterfind(f"{A}link[@rel='prev-archive']")] == [
            "https://news.example.org/f-archive-1" + ext
        ]
        RULES[exporter.name](files["f" + ext], 1)


def test_xsl_instruction_is_on_its_own_line_before_the_root():
    data = (
        RssExporter(FeedOptions(site_url=SITE, xsl=True))
        .render(COLLECTION, "feed.rss", NO_PROGRESS)
        .files("feed.rss")["feed.rss"]
    )
    lines = data.split(b"\n")
    assert lines[1] == b'<?xml-stylesheet type="text/xsl" href="feed.xsl"?>' and lines[2].startswith(b"<rss ")


def test_rss_full_text_without_a_summary_goes_in_content_encoded():
    raw = FeedgenEntry()
    raw.title("t")
    raw.content("<p>full</p>")
    assert raw.rss_entry().findtext("description") == "<p>full</p>"  # feedgen moves it to description
    image_only = ARTICLE.with_changes(body=(Image("https://img.example/b.png"),))
    item = etree.fromstring(RssExporter(OPTIONS).export(Collection((image_only,), generated=FIXED_TIME)))
    item = item.find("channel/item")
    assert item.find("description") is None and '<img src="https://img.example/b.png"' in item.findtext(CONTENT)


def test_item_namespaces_are_declared_once_on_the_root():
    data = RssExporter(OPTIONS).export(COLLECTION).decode("utf-8")
    assert data.count("xmlns:dc=") == 1 and data.count("xmlns:media=") == 1
    item = re.search(r"<item>.*</item>", data, re.S).group(0)
    assert "xmlns" not in item and "<dc:creator>Ann</dc:creator>" in item


def test_rss_enclosure_only_with_a_known_length():
    remote = Collection((ARTICLE,), generated=FIXED_TIME)  # the image was not loaded: its length is unknown
    item = etree.fromstring(RssExporter(OPTIONS).export(remote)).find("channel/item")
    assert item.find("enclosure") is None
    item = etree.fromstring(RssExporter(OPTIONS).export(COLLECTION)).find("channel/item")
    assert dict(item.find("enclosure").attrib) == {"url": IMAGE, "length": "99", "type": "image/jpeg"}
