"""RSS, Atom and JSON Feed exporters: W3C/RFC rules checked on parsed output, round trips, merge, archives, XSL."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from functools import cache

import feedparser
import lxml.html
import pytest
from conftest import FIXED_TIME, SAMPLES, corpus_articles, corpus_collection
from lxml import etree

from exporters.exporter import ExportError
from exporters.feeds.atom import AtomExporter
from exporters.feeds.exporter import STYLESHEET_NAME
from exporters.feeds.jsonfeed import JsonFeedExporter
from exporters.feeds.options import FeedOptions
from exporters.feeds.rss import RssExporter
from exporters.html.blocks import blocks_from_html
from exporters.model import Article, Asset, Collection, Image
from exporters.readers.feed import FeedReader
from exporters.readers.json import JsonReader

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


# -- RSS 2.0 ------------------------------------------------------------------------------------------
def test_rss_channel_has_required_elements_and_a_typed_self_link():
    root = etree.fromstring(corpus_feed("rss"))
    assert root.tag == "rss" and root.get("version") == "2.0"
    [channel] = root.findall("channel")
    assert channel.findtext("title") == "Corpus reading"
    assert channel.findtext("link") == SITE
    assert channel.findtext("description") == "Saved reading"
    assert channel.findtext("language") == "en"
    [self_link] = channel.findall(A + "link")
    assert dict(self_link.attrib) == {"href": FEED_URL, "rel": "self", "type": "application/rss+xml"}
    assert RFC822.match(channel.findtext("lastBuildDate"))
    assert parsedate_to_datetime(channel.findtext("lastBuildDate")) == FIXED_TIME


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


@pytest.mark.parametrize("name", FEEDS)
def test_feeds_of_the_110_corpus_pages_follow_the_validator_rules(name):
    RULES[name](corpus_feed(name), 110)


def test_rss_items_carry_permalink_flag_link_date_and_no_enclosure_without_an_image():
    for item in etree.fromstring(corpus_feed("rss")).find("channel").iterfind("item"):
        assert item.find("guid").get("isPermaLink") == "false"
        assert item.findtext("link").startswith("https://corpus.example/")
        assert item.find("pubDate") is not None and item.find(CONTENT) is not None
        assert item.find("enclosure") is None  # no image was loaded: never an enclosure with length "None"


def test_rss_lists_the_corpus_newest_first_with_its_dates():
    items = etree.fromstring(corpus_feed("rss")).find("channel").findall("item")
    assert [i.findtext("guid") for i in items] == [a.id for a in corpus_articles(110)]
    assert parsedate_to_datetime(items[3].findtext("pubDate")) == FIXED_TIME - timedelta(days=3)


def test_rss_without_a_link_names_the_flag_to_pass():
    with pytest.raises(ExportError) as info:
        RssExporter(FeedOptions(feed_title="T")).export(corpus(3))
    assert str(info.value) == "rss: the channel needs a link: pass --site-url (or --feed-url)"


def test_feed_urls_must_be_absolute_http():
    with pytest.raises(ExportError) as info:
        FeedOptions(site_url="/relative")
    assert str(info.value) == "--site-url must be an absolute http(s) URL, not '/relative'"


# -- Atom ---------------------------------------------------------------------------------------------
def test_atom_feed_has_id_title_updated_author_and_self_link():
    root = etree.fromstring(corpus_feed("atom"))
    assert root.tag == A + "feed"
    assert root.findtext(A + "id") == FEED_URL
    assert root.findtext(A + "title") == "Corpus reading"
    assert datetime.fromisoformat(root.findtext(A + "updated")) == FIXED_TIME
    assert [n.text for n in root.iterfind(f"{A}author/{A}name")] == ["The Desk"]
    links = {link.get("rel"): dict(link.attrib) for link in root.iterfind(A + "link")}
    assert links["self"] == {"rel": "self", "type": "application/atom+xml", "href": FEED_URL}
    assert links["alternate"] == {"rel": "alternate", "type": "text/html", "href": SITE}


def test_atom_entries_have_one_typed_alternate_html_content_and_published():
    for entry in etree.fromstring(corpus_feed("atom")).iterfind(A + "entry"):
        [alternate] = [link for link in entry.iterfind(A + "link") if link.get("rel") == "alternate"]
        assert alternate.get("href").startswith("https://corpus.example/")
        assert entry.find(A + "content").get("type") == "html"
        assert RFC3339.match(entry.findtext(A + "published"))


def test_atom_without_an_author_names_the_entry_and_the_flag():
    article = corpus_articles(3)[2].with_changes(authors=())
    with pytest.raises(ExportError) as info:
        AtomExporter(OPTIONS).export(Collection((article,), title="T", generated=FIXED_TIME))
    assert str(info.value) == f"atom: {article.title!r} has no author and the feed has none: pass --author"


@pytest.mark.parametrize("name", FEEDS)
def test_a_long_feed_built_by_two_processes_is_the_same_feed(name, monkeypatch):
    from exporters.feeds import exporter as feedexporter

    monkeypatch.setenv("NEWSEXPORT_WORKERS", "1")  # the worker takes runs of 7 entries
    monkeypatch.setattr(feedexporter, "_ENTRY_RUN", 7)
    lazy = Collection(
        corpus_articles(110, lazy=True),
        title="Corpus reading",
        authors=("The Desk",),
        language="en",
        generated=FIXED_TIME,
    )
    progress = []
    assert FEEDS[name](OPTIONS).export(lazy, lambda done, total: progress.append((done, total))) == corpus_feed(name)
    assert progress == [(min(n, 110), 110) for n in range(7, 117, 7)]


def test_an_entry_refused_while_two_processes_build_the_feed_stops_it_with_its_message(monkeypatch):
    from exporters.feeds import exporter as feedexporter

    monkeypatch.setenv("NEWSEXPORT_WORKERS", "1")
    monkeypatch.setattr(feedexporter, "_ENTRY_RUN", 7)
    articles = [a.with_changes(authors=a.authors or ("Desk",)) for a in corpus_articles(110, lazy=True)]
    articles[90] = articles[90].with_changes(authors=())
    with pytest.raises(ExportError) as info:
        AtomExporter(OPTIONS).export(Collection(tuple(articles), title="T", generated=FIXED_TIME))
    assert str(info.value) == f"atom: {articles[90].title!r} has no author and the feed has none: pass --author"


def test_atom_without_an_id_names_the_flags():
    with pytest.raises(ExportError) as info:
        AtomExporter(FeedOptions()).export(corpus(3))
    assert str(info.value) == "atom: the feed needs an id: pass --feed-url (or --site-url)"


def test_atom_entry_without_link_carries_content_even_with_content_none():
    article = Article(id="urn:x:1", title="No link", authors=("A",), summary="Short.", published=FIXED_TIME)
    root = etree.fromstring(
        AtomExporter(FeedOptions(site_url=SITE, content="none")).export(Collection((article,), generated=FIXED_TIME))
    )
    entry = root.find(A + "entry")
    assert entry.find(A + "link") is None
    assert entry.find(A + "content").get("type") == "text"


# -- JSON Feed ----------------------------------------------------------------------------------------
def test_json_feed_has_metadata_and_full_content():
    feed = json.loads(corpus_feed("jsonfeed"))
    assert feed["title"] == "Corpus reading" and feed["feed_url"] == FEED_URL and feed["home_page_url"] == SITE
    assert feed["authors"] == [{"name": "The Desk"}] and feed["language"] == "en"
    assert all(item["content_html"] and item["date_published"] for item in feed["items"])


def test_json_feed_summary_and_none_modes_still_give_content_text():
    for mode in ("summary", "none"):
        feed = json.loads(JsonFeedExporter(FeedOptions(content=mode)).export(corpus(5)))
        assert all("content_text" in i and "content_html" not in i for i in feed["items"])
    assert json.loads(JsonFeedExporter(FeedOptions(content="none")).export(corpus(5)))["items"][0]["content_text"] == ""


# -- shared behaviour ---------------------------------------------------------------------------------
@pytest.mark.parametrize("name", FEEDS)
def test_feeds_are_byte_identical_across_runs(name):
    assert FEEDS[name](OPTIONS).export(corpus()) == corpus_feed(name)


def test_content_modes_choose_what_rss_entries_carry():
    def item(mode):
        return etree.fromstring(RssExporter(FeedOptions(site_url=SITE, content=mode)).export(corpus(2))).find(
            "channel/item"
        )

    assert item("full").find(CONTENT) is not None and item("full").findtext("description")
    assert item("summary").find(CONTENT) is None and item("summary").findtext("description")
    assert item("none").find(CONTENT) is None and item("none").find("description") is None


def test_summary_text_is_escaped_once_as_html_in_rss():
    article = Article(id="urn:x:1", title="T", summary="AT&T says 3 < 4 > 2", published=FIXED_TIME)
    data = RssExporter(FeedOptions(site_url=SITE)).export(Collection((article,), generated=FIXED_TIME))
    [entry] = FeedReader().read(data, "x.rss")
    assert feedparser.parse(data).entries[0].summary == "AT&amp;T says 3 &lt; 4 &gt; 2"
    assert lxml.html.fragment_fromstring(
        feedparser.parse(data).entries[0].summary, create_parent="p"
    ).text_content() == ("AT&T says 3 < 4 > 2")
    assert entry.title == "T"


def test_lead_image_is_an_enclosure_with_known_length_only_when_loaded():
    image = Image("https://img.example/a.jpg")
    loaded = Article(id="urn:x:1", title="Loaded", image=image, authors=("A",), published=FIXED_TIME)
    remote = Article(
        id="urn:x:2", title="Remote", image=Image("https://img.example/b.png"), authors=("A",), published=FIXED_TIME
    )
    local = Article(
        id="urn:x:3",
        title="Local",
        image=Image("/home/me/c.png"),
        authors=("A",),
        published=FIXED_TIME,
        body=(Image("data:image/png;base64,AAAA"), Image("/tmp/x.png"), Image("https://img.example/d.png")),
    )
    collection = Collection(
        (loaded, remote, local), generated=FIXED_TIME, assets={image.src: Asset(image.src, "image/jpeg", b"x" * 1234)}
    )
    rss = RssExporter(OPTIONS).export(collection)
    items = etree.fromstring(rss).find("channel").findall("item")
    assert dict(items[0].find("enclosure").attrib) == {"url": image.src, "length": "1234", "type": "image/jpeg"}
    assert items[1].find("enclosure") is None
    assert items[1].find("{http://search.yahoo.com/mrss/}content").get("url") == "https://img.example/b.png"
    assert items[2].find("{http://search.yahoo.com/mrss/}content") is None
    assert b"None" not in rss and b"data:" not in rss and b"/tmp/x.png" not in rss
    assert content_urls(items[2].findtext(CONTENT)) == ["https://img.example/d.png"]
    atom = etree.fromstring(AtomExporter(OPTIONS).export(collection))
    enclosure = atom.find(A + "entry").find(f"{A}link[@rel='enclosure']")
    assert dict(enclosure.attrib) == {"rel": "enclosure", "href": image.src, "type": "image/jpeg", "length": "1234"}
    items = json.loads(JsonFeedExporter(OPTIONS).export(collection))["items"]
    assert [i.get("image") for i in items] == [image.src, "https://img.example/b.png", None]


HOSTILE_HTML = (
    '<p>Fine text<script>alert(1)</script><img src="https://img.example/x.png" onerror="alert(2)">'
    '<a href="javascript:alert(3)">click</a><a href="/relative">rel</a></p><iframe src="https://evil.example/"></iframe>'
    '<p style="x" onclick="alert(4)">More\x07 text\x00</p>'
)


@pytest.mark.parametrize("name", FEEDS)
def test_hostile_content_never_reaches_a_feed(name):
    article = Article(
        id="urn:x:evil",
        title="Evil\x1b title\x08",
        body=blocks_from_html(HOSTILE_HTML, None),
        url="https://evil.example/post",
        authors=("Mallory\x0b",),
        tags=("tag\x0c",),
        summary="Sum\x01mary",
        published=FIXED_TIME,
    )
    data = FEEDS[name](OPTIONS).export(Collection((article,), generated=FIXED_TIME))
    text = data.decode("utf-8")
    for bad in (
        "<script",
        "&lt;script",
        "onerror",
        "onclick",
        "javascript:",
        "alert(",
        "iframe",
        'evil.example/"',
        "/relative",
    ):
        assert bad not in text, bad
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", text)
    assert "\\u00" not in text  # nor JSON-escaped
    assert "Fine text" in text and "Evil title" in text and "Summary" in text and "Mallory" in text


def test_duplicate_article_ids_appear_once():
    article = corpus_articles(1)[0]
    data = RssExporter(OPTIONS).export(Collection((article, article.with_changes(title="Again")), generated=FIXED_TIME))
    assert len(etree.fromstring(data).find("channel").findall("item")) == 1


def test_feed_title_defaults_to_the_shared_site_name_then_a_generic_one():
    article = corpus_articles(1)[0].with_changes(site_name="Harbour Notes")
    data = JsonFeedExporter(FeedOptions()).export(Collection((article,), generated=FIXED_TIME))
    assert json.loads(data)["title"] == "Harbour Notes"
    data = JsonFeedExporter(FeedOptions()).export(corpus(3).__class__(corpus_articles(3), generated=FIXED_TIME))
    assert json.loads(data)["title"] == "Saved articles"


# -- round trips ----------------------------------------------------------------------------------------
def _key(article: Article):
    return article.id, " ".join(article.title.split()), article.url, article.published


@pytest.mark.parametrize("name", ["rss", "atom"])
def test_xml_feeds_read_back_through_the_feed_reader(name):
    articles = FeedReader().read(corpus_feed(name), f"corpus.{name}")
    assert [_key(a) for a in articles] == [_key(a) for a in corpus_articles(110)]

    # Bodies come back block for block; only images a feed reader could not fetch (data:, files) are left out.
    def web_only(body):
        return tuple(b for b in body if not (isinstance(b, Image) and not b.src.startswith(("http://", "https://"))))

    assert [a.body for a in articles] == [web_only(a.body) for a in corpus_articles(110)]
    first = articles[0]
    assert first.authors == corpus_articles(1)[0].authors and first.updated is None
    assert first.body and first.summary == corpus_articles(1)[0].summary


def test_json_feed_reads_back_through_the_json_reader():
    articles = JsonReader().read(corpus_feed("jsonfeed"), "corpus.json")
    assert [_key(a) for a in articles] == [_key(a) for a in corpus_articles(110)]


# -- merge ----------------------------------------------------------------------------------------------
def _entries(name: str, data: bytes) -> list[str]:
    """Each entry exactly as serialised."""
    if name == "jsonfeed":
        return [json.dumps(i, ensure_ascii=False, indent=2) for i in json.loads(data)["items"]]
    tag = "item" if name == "rss" else "entry"
    return re.findall(rf"<{tag}>.*?</{tag}>", data.decode("utf-8"), re.S)


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
    old_entries, merged_entries = _entries(name, first), _entries(name, merged)
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
    files = FEEDS[name](FeedOptions(site_url=SITE, feed_url=FEED_URL, page_size=40)).export_files(
        corpus(), "feed" + FEEDS[name].extensions[0]
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


def test_merging_into_a_paged_feed_leaves_full_archive_pages_unchanged(tmp_path):
    articles = corpus_articles(20)
    options = dict(site_url=SITE, feed_url=FEED_URL, page_size=4)
    first = RssExporter(FeedOptions(**options)).export_files(Collection(articles[5:], generated=FIXED_TIME), "f.rss")
    for name, data in first.items():
        (tmp_path / name).write_bytes(data)
    second = RssExporter(FeedOptions(**options, merge=tmp_path / "f.rss")).export_files(
        Collection(articles[:5], generated=FIXED_TIME), "f.rss"
    )
    assert len(first) == 4 and len(second) == 5
    for name in ("f-archive-1.rss", "f-archive-2.rss"):
        assert second[name] == first[name]
    # The partial newest archive (3 entries) is filled up and gains a next-archive link; its entries stay byte for byte.
    assert _entries("rss", second["f-archive-3.rss"])[1:] == _entries("rss", first["f-archive-3.rss"])
    assert b'rel="next-archive"' in second["f-archive-3.rss"] and b'rel="next-archive"' not in first["f-archive-3.rss"]
    total = [g.text for data in second.values() for g in etree.fromstring(data).iter("guid")]
    assert sorted(total) == sorted(a.id for a in articles)


def test_json_feed_pages_chain_through_next_url():
    files = JsonFeedExporter(FeedOptions(feed_url=FEED_URL, page_size=50)).export_files(corpus(), "feed.json")
    assert list(files) == ["feed-archive-1.json", "feed-archive-2.json", "feed.json"]
    docs = [json.loads(files[n]) for n in ("feed.json", "feed-archive-1.json", "feed-archive-2.json")]
    assert docs[0]["next_url"] == "https://news.example.org/feed-archive-2.json"
    assert docs[2]["next_url"] == "https://news.example.org/feed-archive-1.json" and "next_url" not in docs[1]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"page_size": 0}, "--page-size must be at least 1, not 0"),
        ({"max_items": -2}, "--max-items must be at least 1, not -2"),
        ({"content": "all"}, "--content must be full, summary or none, not 'all'"),
        (
            {"feed_url": "ftp://x.example/feed"},
            "--feed-url must be an absolute http(s) URL, not 'ftp://x.example/feed'",
        ),
    ],
)
def test_feed_options_are_checked_when_made_naming_the_flag(values, message):
    with pytest.raises(ExportError) as info:
        FeedOptions(site_url=SITE, **values)
    assert str(info.value) == message


# -- XSL ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["rss", "atom"])
def test_xsl_stylesheet_turns_the_feed_into_a_page_listing_every_entry(name):
    files = FEEDS[name](OPTIONS.__class__(**{**OPTIONS.__dict__, "xsl": True})).export_files(corpus(), "feed.xml")
    assert list(files) == [STYLESHEET_NAME, "feed.xml"]
    doc = etree.fromstring(files["feed.xml"]).getroottree()
    pi = doc.getroot().getprevious()
    assert pi.target == "xml-stylesheet" and pi.text == f'type="text/xsl" href="{STYLESHEET_NAME}"'
    transform = etree.XSLT(etree.fromstring(files[STYLESHEET_NAME]))
    page = lxml.html.fromstring(str(transform(doc)))
    assert page.findtext(".//title") == "Corpus reading"
    entries = page.find_class("entry")
    assert len(entries) == 110
    for article, entry in zip(corpus_articles(110), entries):
        link = entry.find(".//a")
        assert link.get("href") == article.url
        assert " ".join(link.text_content().split()) == " ".join(article.title.split())
        date = entry.findtext(".//time")
        parsed = parsedate_to_datetime(date) if name == "rss" else datetime.fromisoformat(date.replace("Z", "+00:00"))
        assert parsed == article.published


def test_json_feed_ignores_xsl():
    files = JsonFeedExporter(FeedOptions(xsl=True)).export_files(corpus(3), "feed.json")
    assert list(files) == ["feed.json"]


# -- samples ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", FEEDS)
def test_feeds_of_the_samples_follow_the_validator_rules(name):
    from exporters.readers import read_inputs

    articles = read_inputs([str(SAMPLES)]).articles
    collection = Collection(tuple(articles), title="Samples", authors=("Desk",), generated=FIXED_TIME)
    data = FEEDS[name](OPTIONS).export(collection)
    RULES[name](data, len(articles))
    assert b"alert(" not in data and b"javascript:" not in data


# -- command line -------------------------------------------------------------------------------------
def cli(*args: str):
    from typer.testing import CliRunner

    from main import app

    return CliRunner().invoke(app, list(args), env={"NO_COLOR": "1", "COLUMNS": "100", "TERM": "dumb"})


def test_cli_rss_without_a_link_fails_naming_the_flag_and_writes_nothing(tmp_path):
    out = tmp_path / "feed.rss"
    result = cli("export", str(SAMPLES / "harbour-notes.rss"), "-o", str(out))
    assert result.exit_code == 1
    assert f"Error: {out}: rss: the channel needs a link: pass --site-url (or --feed-url)" in result.stderr
    assert not out.exists()


def test_cli_merge_twice_changes_nothing(tmp_path):
    out = tmp_path / "feed.atom"
    common = ["-o", str(out), "--site-url", SITE, "--feed-url", FEED_URL, "--author", "Desk", "-q"]
    assert cli("export", str(SAMPLES / "city-notes.json"), *common).exit_code == 0
    first = out.read_bytes()
    merge = [
        "export",
        str(SAMPLES / "harbour-notes.rss"),
        str(SAMPLES / "city-notes.json"),
        *common,
        "--merge",
        str(out),
    ]
    result = cli(*merge)
    assert result.exit_code == 0, result.stderr
    merged = out.read_bytes()
    assert _entries("atom", first) == _entries("atom", merged)[-2:]
    assert len(_entries("atom", merged)) == 4
    assert cli(*merge).exit_code == 0
    assert out.read_bytes() == merged
