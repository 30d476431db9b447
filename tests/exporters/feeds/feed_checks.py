"""What the feed tests share: the corpus feeds, the W3C validator's rules checked on parsed output, helpers."""

from __future__ import annotations

import json
import re
from functools import cache

import feedparser
import lxml.html
from conftest import corpus_collection
from lxml import etree

from exporters.feeds.atom import AtomExporter
from exporters.feeds.jsonfeed import JsonFeedExporter
from exporters.feeds.options import FeedOptions
from exporters.feeds.rss import RssExporter
from exporters.model import Collection

SITE = "https://news.example.org/"
FEED_URL = "https://news.example.org/feed.xml"
OPTIONS = FeedOptions(site_url=SITE, feed_url=FEED_URL, description="Saved reading")
A = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
RFC822 = re.compile(
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d (GMT|[+-]\d{4})$"
)
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
FEEDS = {"rss": RssExporter, "atom": AtomExporter, "jsonfeed": JsonFeedExporter}


def corpus(count: int = 110) -> Collection:
    return corpus_collection(count, title="Corpus reading", authors=("The Desk",), language="en")


@cache
def corpus_feed(name: str) -> bytes:
    """The 110-article corpus as one feed (rendered once per test run)."""
    return FEEDS[name](OPTIONS).export(corpus())


def content_urls(html: str) -> list[str]:
    """Every href/src in an HTML fragment."""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    return [v for el in root.iter() for k, v in el.attrib.items() if k in ("href", "src")]


def assert_safe_html(html: str) -> None:
    """No relative URL, script or event handler in entry content."""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    assert not root.xpath("//script|//iframe|//style")
    assert not [k for el in root.iter() for k in el.attrib if k.startswith("on")]
    for url in content_urls(html):
        assert url.startswith(("http://", "https://", "mailto:")), url


def assert_rss_rules(data: bytes, count: int) -> None:
    """The RSS 2.0 rules the W3C validator checks, on the parsed output."""
    root = etree.fromstring(data)
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    assert channel.findtext("title") and channel.findtext("description")
    assert channel.findtext("link").startswith(("http://", "https://"))
    for link in channel.iterfind(A + "link"):
        assert link.get("type") == "application/rss+xml" and link.get("href")
    assert RFC822.match(channel.findtext("lastBuildDate"))
    items = channel.findall("item")
    assert len(items) == count
    guids = [item.find("guid") for item in items]
    assert len({g.text for g in guids}) == count
    for item, guid in zip(items, guids):
        assert item.findtext("title") or item.findtext("description")
        # isPermaLink defaults to true: such a guid must be a URL.
        assert guid.get("isPermaLink") in (None, "true", "false")
        if guid.get("isPermaLink") != "false":
            assert guid.text.startswith(("http://", "https://"))
        assert item.find("link") is None or item.findtext("link").startswith(("http://", "https://"))
        assert item.find("pubDate") is None or RFC822.match(item.findtext("pubDate")), item.findtext("pubDate")
        for enclosure in item.iterfind("enclosure"):
            assert enclosure.get("length").isdigit() and "/" in enclosure.get("type")
        if item.find(CONTENT) is not None:
            assert_safe_html(item.findtext(CONTENT))
    parsed = feedparser.parse(data)
    assert not parsed.bozo and parsed.version == "rss20" and len(parsed.entries) == count


def assert_atom_rules(data: bytes, count: int) -> None:
    """The RFC 4287 rules the W3C validator checks, on the parsed output."""
    root = etree.fromstring(data)
    assert root.tag == A + "feed"
    assert root.findtext(A + "id") and root.findtext(A + "title") and RFC3339.match(root.findtext(A + "updated"))
    self_links = [link for link in root.iterfind(A + "link") if link.get("rel") == "self"]
    assert all(link.get("type") == "application/atom+xml" for link in self_links)
    entries = root.findall(A + "entry")
    assert len(entries) == count
    assert len({e.findtext(A + "id") for e in entries}) == count
    feed_author = root.find(A + "author") is not None
    for entry in entries:
        assert len(entry.findall(A + "id")) == 1 and len(entry.findall(A + "updated")) == 1
        assert re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", entry.findtext(A + "id"))  # an absolute IRI
        assert RFC3339.match(entry.findtext(A + "updated"))
        assert entry.find(A + "published") is None or RFC3339.match(entry.findtext(A + "published"))
        assert feed_author or entry.find(f"{A}author/{A}name") is not None
        alternates = [link for link in entry.iterfind(A + "link") if link.get("rel") == "alternate"]
        # feedgen duplicated alternates and lost their attributes (#135/#143): at most one, typed.
        assert len(alternates) <= 1 and all(link.get("type") == "text/html" for link in alternates)
        content = entry.find(A + "content")
        assert alternates or content is not None
        if content is not None:
            assert content.get("type") in ("text", "html")  # never the invalid "CDATA"
            if content.get("type") == "html":
                assert_safe_html(content.text)
        for text in entry.iterfind(A + "summary"):
            assert text.get("type") == "text"
    parsed = feedparser.parse(data)
    assert not parsed.bozo and parsed.version == "atom10" and len(parsed.entries) == count


def assert_json_feed_rules(data: bytes, count: int) -> None:
    """JSON Feed 1.1: version, title, and every item an id and content."""
    feed = json.loads(data)
    assert feed["version"] == "https://jsonfeed.org/version/1.1" and feed["title"]
    assert len(feed["items"]) == count and len({i["id"] for i in feed["items"]}) == count
    for item in feed["items"]:
        assert isinstance(item["id"], str) and ("content_html" in item or "content_text" in item)
        for key in ("date_published", "date_modified"):
            assert key not in item or RFC3339.match(item[key])
        assert "url" not in item or item["url"].startswith(("http://", "https://"))
        if "content_html" in item:
            assert_safe_html(item["content_html"])


RULES = {"rss": assert_rss_rules, "atom": assert_atom_rules, "jsonfeed": assert_json_feed_rules}


def entries_of(name: str, data: bytes) -> list[str]:
    """Each entry exactly as serialised."""
    if name == "jsonfeed":
        return [json.dumps(i, ensure_ascii=False, indent=2) for i in json.loads(data)["items"]]
    tag = "item" if name == "rss" else "entry"
    return re.findall(rf"<{tag}>.*?</{tag}>", data.decode("utf-8"), re.S)


def cli(*args: str):
    from typer.testing import CliRunner

    from main import app

    return CliRunner().invoke(app, list(args), env={"NO_COLOR": "1", "COLUMNS": "100", "TERM": "dumb"})


def NO_PROGRESS(done: int, total: int) -> None:  # noqa: N802 - a constant-like callable for render()
    """Progress that goes nowhere, for calling an exporter's render() directly."""
