"""RSS, Atom and JSON Feed exporters: W3C/RFC rules checked on parsed output, round trips, options, XSL."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

import feedparser
import lxml.html
import pytest
from conftest import FIXED_TIME, SAMPLES, corpus_articles
from feed_checks import (
    CONTENT,
    FEED_URL,
    FEEDS,
    NO_PROGRESS,
    OPTIONS,
    RFC822,
    RFC3339,
    RULES,
    SITE,
    A,
    content_urls,
    corpus,
    corpus_feed,
)
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
    files = (
        FEEDS[name](OPTIONS.__class__(**{**OPTIONS.__dict__, "xsl": True}))
        .render(corpus(), "feed.xml", NO_PROGRESS)
        .files("feed.xml")
    )
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
    files = JsonFeedExporter(FeedOptions(xsl=True)).render(corpus(3), "feed.json", NO_PROGRESS).files("feed.json")
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
