"""The RSS/Atom feed reader: full content, ids, dates, authors, tags, images, sanitising and clear errors."""

from __future__ import annotations

import re
import zipfile
from datetime import UTC, datetime

import pytest
from conftest import SAMPLES

from exporters.model import ArticleError, Heading, Image, Paragraph, Span, article_id, body_text
from exporters.readers import read_input, reader_for
from exporters.readers.base import DamagedInput
from exporters.readers.feed import FeedReader

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<!-- a comment before the root -->
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/">
<channel><title>Port &amp; Town</title><link>https://port.example/</link><description>News</description>
<language>en-gb</language>
<item>
  <title>Ferry &lt;b&gt;times&lt;/b&gt;</title>
  <link>https://port.example/news/ferry</link>
  <guid isPermaLink="false">tag:port.example,2024:ferry</guid>
  <pubDate>Mon, 14 Oct 2024 08:45:00 +0200</pubDate>
  <dc:creator>Niamh O'Sullivan</dc:creator>
  <category>transport</category><category>winter</category>
  <description>Short &lt;em&gt;summary&lt;/em&gt;.</description>
  <content:encoded><![CDATA[<h2>Changes</h2><p>Read the <a href="timetable">timetable</a> and
    <a href="javascript:alert(1)">this</a>.</p><p onclick="x()">Second<script>alert(2)</script></p>
    <img src="/img/ferry.jpg" onerror="alert(3)" alt="Ferry">]]></content:encoded>
  <enclosure url="https://port.example/img/lead.jpg" length="1234" type="image/jpeg"/>
</item>
<item>
  <title>No guid here</title>
  <link>https://port.example/news/market</link>
  <description>Only a description &amp;amp; no content.</description>
  <media:thumbnail url="https://port.example/img/thumb.png"/>
</item>
</channel></rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">
  <title>Le fil</title><id>urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6</id>
  <updated>2024-03-01T10:00:00Z</updated>
  <author><name>Rédaction</name></author>
  <link href="https://fil.example/"/>
  <entry>
    <title type="html">L&apos;&lt;em&gt;été&lt;/em&gt; arrive</title>
    <id>https://fil.example/ete</id>
    <link rel="alternate" href="https://fil.example/ete"/>
    <published>2024-02-28T09:30:00+01:00</published>
    <updated>2024-03-01T10:00:00Z</updated>
    <summary>Résumé court.</summary>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Il fait <strong>chaud</strong>.</p></div></content>
    <category term="météo"/>
  </entry>
  <entry>
    <title>Texte seul</title><id>https://fil.example/texte</id>
    <updated>2024-03-01T08:00:00Z</updated>
    <content type="text">Premier paragraphe.

Second &lt;paragraphe&gt;.</content>
  </entry>
</feed>
"""

RDF = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://old.example/"><title>Old</title><link>https://old.example/</link>
    <description>RSS 1.0</description></channel>
  <item rdf:about="https://old.example/one"><title>One</title><link>https://old.example/one</link>
    <description>First item.</description><dc:date>2003-12-13T18:30:02Z</dc:date><dc:creator>Ann</dc:creator></item>
</rdf:RDF>
"""

RSS091 = """<?xml version="1.0"?>
<rss version="0.91"><channel><title>Old news</title><link>https://091.example/</link><description>d</description>
<item><title>Ninety-one</title><link>https://091.example/a</link><description>Plain &amp; simple.</description></item>
</channel></rss>
"""


def read(text: str, source: str = "feed.rss"):
    return FeedReader().read(text.encode("utf-8"), source)


def test_rss_item_uses_full_content_guid_utc_date_authors_tags_and_enclosure():
    first, second = read(RSS)
    assert first.id == "tag:port.example,2024:ferry"
    assert first.title == "Ferry times"
    assert first.url == "https://port.example/news/ferry"
    assert first.published == datetime(2024, 10, 14, 6, 45, tzinfo=UTC)
    assert first.published.tzinfo == UTC and first.updated is None
    assert first.authors == ("Niamh O'Sullivan",)
    assert first.tags == ("transport", "winter")
    assert first.summary == "Short summary."
    assert first.site_name == "Port & Town" and first.language == "en-gb"
    assert first.image == Image(src="https://port.example/img/lead.jpg")
    assert first.body[0] == Heading(2, (Span("Changes"),))
    # Relative links resolve against the entry link; javascript: links and handlers are gone.
    assert first.body[1] == Paragraph(
        (
            Span("Read the "),
            Span("timetable", href="https://port.example/news/timetable"),
            Span(" and this."),
        )
    )
    assert first.body[2] == Paragraph((Span("Second"),))
    assert first.body[3] == Image(src="https://port.example/img/ferry.jpg", alt="Ferry")
    assert "alert" not in body_text(first.body)
    assert second.title == "No guid here"
    assert second.id == article_id("https://port.example/news/market", "No guid here")
    assert body_text(second.body) == "Only a description & no content."
    assert second.summary == ""
    assert second.image == Image(src="https://port.example/img/thumb.png")


def test_atom_entry_html_title_xhtml_content_inherited_author_and_dates():
    first, second = read(ATOM, "le-fil.atom")
    assert first.title == "L'été arrive"
    assert first.id == "https://fil.example/ete"
    assert first.authors == ("Rédaction",)
    assert first.published == datetime(2024, 2, 28, 8, 30, tzinfo=UTC)
    assert first.updated == datetime(2024, 3, 1, 10, tzinfo=UTC)
    assert first.body == (Paragraph((Span("Il fait "), Span("chaud", strong=True), Span("."))),)
    assert first.summary == "Résumé court."
    assert first.tags == ("météo",) and first.language == "fr"
    assert second.body == (Paragraph((Span("Premier paragraphe."),)), Paragraph((Span("Second <paragraphe>."),)))
    # One date only: it is the publication date. An Atom id is never taken for a link.
    assert second.published == datetime(2024, 3, 1, 8, tzinfo=UTC) and second.updated is None
    assert second.url is None


def test_rss_1_0_and_0_91_are_read():
    [one] = read(RDF, "old.rdf")
    assert (one.title, one.url, one.authors) == ("One", "https://old.example/one", ("Ann",))
    assert one.published == datetime(2003, 12, 13, 18, 30, 2, tzinfo=UTC)
    [old] = read(RSS091)
    assert old.title == "Ninety-one" and body_text(old.body) == "Plain & simple."


def test_the_sample_feed_is_read_and_sanitised():
    articles = read_input(str(SAMPLES / "harbour-notes.rss"))
    assert [a.title for a in articles] == [
        "Ferry timetable changes for the winter season",
        "Fish market gets a new roof — and solar panels",
    ]
    text = body_text(articles[0].body)
    assert "alert" not in text and "by text message" in text
    assert articles[0].id == "https://harbour.example.com/2024/10/ferry-winter-timetable"


@pytest.mark.parametrize(
    "head, expected",
    [
        (RSS, True),
        (ATOM, True),
        (RDF, True),
        (RSS091, True),
        ("\ufeff<?xml version='1.0'?>\n<?xml-stylesheet href='f.xsl'?>\n<rss version='2.0'>", True),
        ("<!DOCTYPE html><html><head><link type='application/rss+xml'></head>", False),
        ("<?xml version='1.0'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>", False),
        ('{"version": "https://jsonfeed.org/version/1.1"}', False),
    ],
)
def test_sniff_recognises_feed_roots_only(head, expected):
    assert FeedReader().sniff(head.encode("utf-8")[:2048]) is expected


def test_an_xml_file_is_read_as_a_feed_by_its_content(tmp_path):
    path = tmp_path / "export.xml"
    path.write_text(RSS091, encoding="utf-8")
    assert reader_for(str(path), RSS091.encode()[:2048]).name == "feed"
    assert [a.title for a in read_input(str(path))] == ["Ninety-one"]


@pytest.mark.parametrize(
    "data, message",
    [
        (
            b"<html><body><p>Not a feed</p></body></html>",
            "page.rss: not a valid RSS or Atom feed (no rss, feed or rdf:RDF root element)",
        ),
        (b"\x00\x01\x02 binary \xff\xfe", "page.rss: not a valid RSS or Atom feed (<unknown>:"),
        (b"<rss version='2.0'><channel><title>x</title><item><ti", "page.rss: not a valid RSS or Atom feed ("),
        (b"<rss version='2.0'><channel><title>Empty</title></channel></rss>", "page.rss: feed has no entries"),
        (b"   \n", "page.rss: file is empty"),
        # feedparser opens a str or bytes argument as a path or URL: the reader must never let it.
        (b"/etc/hostname", "page.rss: not a valid RSS or Atom feed ("),
    ],
)
def test_malformed_feeds_give_one_line_errors(data, message):
    with pytest.raises(ArticleError) as info:
        FeedReader().read(data, "page.rss")
    assert str(info.value).startswith(message)
    assert "\n" not in str(info.value)


def test_a_broken_feed_with_entries_keeps_what_was_parsed_and_says_where_it_broke():
    data = RSS.replace("</channel></rss>", "<item><title>Broken & bad</title></item></channel>").encode()
    with pytest.raises(DamagedInput) as caught:
        FeedReader().read(data, "broken.rss")
    assert [a.title for a in caught.value.articles][:2] == ["Ferry times", "No guid here"]
    assert str(caught.value) == (
        "broken.rss: line 26: broken XML (not well-formed (invalid token)); its entries may be incomplete"
    )


def test_a_permalink_guid_is_the_link_but_other_guids_are_not():
    data = """<rss version="2.0"><channel><title>t</title><link>https://x.example/</link><description>d</description>
    <item><title>Permalink</title><guid>https://x.example/a</guid></item>
    <item><title>Opaque</title><guid isPermaLink="false">https://x.example/b</guid></item></channel></rss>"""
    permalink, opaque = read(data)
    assert (permalink.id, permalink.url) == ("https://x.example/a", "https://x.example/a")
    assert (opaque.id, opaque.url) == ("https://x.example/b", None)


def test_out_of_line_atom_content_falls_back_to_the_summary():
    data = """<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>urn:x:f</id><updated>2024-01-01T00:00:00Z</updated>
    <entry><title>Video</title><id>urn:x:1</id><updated>2024-01-01T00:00:00Z</updated>
    <summary>What the video shows.</summary><content type="video/mp4" src="https://v.example/a.mp4"/></entry></feed>"""
    [article] = read(data, "v.atom")
    assert body_text(article.body) == "What the video shows." and article.summary == ""


def test_external_entities_are_never_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    data = f"""<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY leak SYSTEM "file://{secret}">]>
    <rss version="2.0"><channel><title>t</title><link>https://x.example/</link><description>d</description>
    <item><title>Leak &leak;</title><description>Body &leak;</description></item></channel></rss>"""
    [article] = read(data)
    assert (article.title, body_text(article.body)) == ("Leak", "Body")


# -- damaged feeds through the CLI ------------------------------------------------------------------
CUT_RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Cut</title><link>https://cut.example/</link><description>d</description>
<item><title>Whole</title><link>https://cut.example/1</link><description>The first item is whole.</description></item>
<item><title>Cut short</title><link>https://cut.example/2</link><description>The sec"""


def run_cli(*args: str):
    from typer.testing import CliRunner

    from exporters.cli import app

    return CliRunner().invoke(app, list(args), env={"NO_COLOR": "1", "COLUMNS": "100"})


def test_cli_warns_about_a_truncated_feed_and_its_empty_item_and_exits_1(tmp_path):
    feed = tmp_path / "cut.rss"
    feed.write_text(CUT_RSS, encoding="utf-8")
    out = tmp_path / "cut.epub"
    result = run_cli("export", str(feed), "-o", str(out), "--quiet")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Warning: {feed}: line 4: broken XML (no element found); its entries may be incomplete\n"
        f"Warning: {feed}: article 'Cut short' has no text\n"
    )
    # What could be read is still exported.
    assert zipfile.ZipFile(out).namelist().count("EPUB/text/a0002.xhtml") == 1


def test_cli_strict_refuses_a_truncated_feed(tmp_path):
    feed = tmp_path / "cut.rss"
    feed.write_text(CUT_RSS, encoding="utf-8")
    result = run_cli("inspect", str(feed), "--strict", "--quiet")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"Error: {feed}: line 4: broken XML (no element found); its entries may be incomplete\n"


def test_cli_warns_about_broken_xml_in_a_feed_read_whole(tmp_path):
    feed = tmp_path / "amp.rss"
    feed.write_text(CUT_RSS.replace("The sec", "Fish & chips.</description></item></channel></rss>"), "utf-8")
    result = run_cli("inspect", str(feed), "--quiet")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Warning: {feed}: line 4: broken XML (not well-formed (invalid token)); its entries may be incomplete\n"
    )
    assert [line for line in result.stdout.splitlines() if re.match(r"\d+\. ", line)] == ["1. Whole", "2. Cut short"]
    bodies = [line for line in result.stdout.splitlines() if line.startswith("   body: ")]
    assert bodies == ["   body: 1 blocks, 5 words", "   body: 1 blocks, 3 words"]  # "Fish & chips." read whole


def test_cli_reads_feeds_among_xml_files_of_a_directory(tmp_path):
    (tmp_path / "news.xml").write_text(CUT_RSS.replace("The sec", "Two.</description></item></channel></rss>"), "utf-8")
    (tmp_path / "sitemap.xml").write_text(
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://x.example/'
        "</loc></url></urlset>",
        "utf-8",
    )
    (tmp_path / "note.md").write_text("# A note\n\nSome words.\n", "utf-8")
    result = run_cli("inspect", str(tmp_path), "--quiet")
    assert (result.exit_code, result.stderr) == (0, "")
    assert [line for line in result.stdout.splitlines() if re.match(r"\d+\. ", line)] == [
        "1. Whole",
        "2. Cut short",
        "3. A note",
    ]
    sources = [line.split(": ", 1)[1] for line in result.stdout.splitlines() if line.startswith("   source: ")]
    assert sources == [str(tmp_path / "news.xml")] * 2 + [str(tmp_path / "note.md")]
