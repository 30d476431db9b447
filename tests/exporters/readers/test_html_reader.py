"""Saved HTML pages: clean article and metadata from a page with chrome, hostile markup, charsets, errors."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from exporters.model import (
    ArticleError,
    Heading,
    Image,
    ListBlock,
    Paragraph,
    Quote,
    Span,
    Table,
    article_id,
    body_text,
)
from exporters.readers.page.extract import HtmlReader, read_html_page

PAGE = """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>Tidal energy trial powers a whole island for a week | The Coastal Courier</title>
<meta property="og:title" content="Tidal energy trial powers a whole island for a week">
<meta property="og:site_name" content="The Coastal Courier">
<meta property="og:image" content="/media/turbine-lead.jpg">
<meta property="og:image:alt" content="A turbine being lowered into the sea">
<meta name="description" content="Engineers ran an island's grid on tidal turbines alone for seven days.">
<meta name="author" content="Morag Sinclair">
<meta property="article:published_time" content="2024-03-14T08:30:00">
<meta property="article:modified_time" content="2024-03-15T10:00:00+01:00">
<meta property="article:tag" content="energy">
<meta property="article:tag" content="islands">
<link rel="canonical" href="/news/2024/03/tidal-island-week">
<style>.ad { display: block } body { font-family: serif }</style>
<script>window.dataLayer = [{page: "article"}]; function track() {}</script>
</head>
<body>
<header><a href="/">The Coastal Courier</a>
<nav><ul><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li><li><a href="/weather">Weather</a></li></ul></nav>
</header>
<div class="ad-banner">Advertisement: Buy ferry tickets now and save twenty percent</div>
<main>
<article>
<h1>Tidal energy trial powers a whole island for a week</h1>
<p class="byline">By Morag Sinclair</p>
<p>For seven days in March the island of Eilean Mòr ran entirely on electricity from four tidal turbines
anchored in the sound, the first time a community of its size has done so.</p>
<p>The trial, run by the island's development trust with two universities, switched off the diesel
generators that normally cover the gaps when the wind drops.</p>
<h2>How the turbines work</h2>
<p>Each turbine sits on the seabed and turns with the flow of the tide. Because tides are <em>predictable to
the minute</em>, the grid operator knew <strong>days in advance</strong> how much power would arrive.</p>
<ul>
<li>Four turbines of 500 kilowatts each</li>
<li>A battery bank for the slack water between tides</li>
<li>A new cable to the village of Baile</li>
</ul>
<figure>
<img src="../../media/turbine-deck.jpg" alt="Engineers on the deck of a barge" onerror="track()">
<figcaption>Engineers checking a turbine before it is lowered. <small>Photo: Island Development Trust</small></figcaption>
</figure>
<blockquote><p>We proved that an island can keep its lights on with the sea alone.</p></blockquote>
<p>The full results are published in the <a href="/reports/tidal-week.pdf">trust's report</a>, which also
covers costs and maintenance over the coming decade.</p>
<table>
<thead><tr><th>Day</th><th>Share of demand</th></tr></thead>
<tbody><tr><td>Monday</td><td>100%</td></tr><tr><td>Tuesday</td><td>100%</td></tr></tbody>
</table>
<p>The trust now plans a second trial in winter, when demand is highest and storms make maintenance harder
to schedule.</p>
</article>
<aside class="related"><h3>Related stories</h3><ul><li><a href="/a">Ferry timetable changes announced</a></li>
<li><a href="/b">New school opens on the island</a></li></ul></aside>
<section id="comments" class="comments"><h3>12 comments</h3>
<div class="comment"><p>Brilliant news for the islands, well done everyone involved!</p></div>
<div class="comment"><p>What happens during a storm though? Nobody answered that.</p></div>
<form action="/comment"><textarea name="c"></textarea><button>Post comment</button></form>
</section>
</main>
<footer><p>© 2024 The Coastal Courier. All rights reserved.</p><a href="/privacy">Privacy</a></footer>
<script src="/js/analytics.js"></script>
</body>
</html>
"""
PAGE_URL = "https://courier.example/news/2024/03/tidal-island-week?utm_source=feed"
CANONICAL = "https://courier.example/news/2024/03/tidal-island-week"
TITLE = "Tidal energy trial powers a whole island for a week"


def span(text: str, **marks) -> Span:
    return Span(text, **marks)


def test_page_gives_the_article_with_its_metadata():
    article = read_html_page(PAGE.encode(), "courier", url=PAGE_URL)
    assert article.title == TITLE
    assert article.url == CANONICAL
    assert article.id == article_id(CANONICAL, TITLE)
    assert article.authors == ("Morag Sinclair",)
    # A date without a zone is taken as UTC; one with a zone keeps it.
    assert article.published == datetime(2024, 3, 14, 8, 30, tzinfo=UTC)
    assert article.updated == datetime(2024, 3, 15, 10, 0, tzinfo=timezone(timedelta(hours=1)))
    assert article.summary == "Engineers ran an island's grid on tidal turbines alone for seven days."
    assert article.language == "en-GB"
    assert article.site_name == "The Coastal Courier"
    assert article.tags == ("energy", "islands")
    assert article.image == Image(
        "https://courier.example/media/turbine-lead.jpg", "A turbine being lowered into the sea"
    )
    assert article.source == "courier"


def test_page_body_keeps_structure_and_drops_the_repeated_title():
    article = read_html_page(PAGE.encode(), "courier", url=PAGE_URL)
    assert article.body == (
        Paragraph(
            (
                span(
                    "For seven days in March the island of Eilean Mòr ran entirely on electricity from four tidal turbines "
                    "anchored in the sound, the first time a community of its size has done so."
                ),
            )
        ),
        Paragraph(
            (
                span(
                    "The trial, run by the island's development trust with two universities, switched off the diesel "
                    "generators that normally cover the gaps when the wind drops."
                ),
            )
        ),
        Heading(2, (span("How the turbines work"),)),
        Paragraph(
            (
                span("Each turbine sits on the seabed and turns with the flow of the tide. Because tides are "),
                span("predictable to the minute", emphasis=True),
                span(", the grid operator knew "),
                span("days in advance", strong=True),
                span(" how much power would arrive."),
            )
        ),
        ListBlock(
            False,
            (
                (span("Four turbines of 500 kilowatts each"),),
                (span("A battery bank for the slack water between tides"),),
                (span("A new cable to the village of Baile"),),
            ),
        ),
        Image(
            "https://courier.example/news/media/turbine-deck.jpg",
            "Engineers on the deck of a barge",
            "Engineers checking a turbine before it is lowered.",
            "Photo: Island Development Trust",
        ),
        Quote((Paragraph((span("We proved that an island can keep its lights on with the sea alone."),)),)),
        Paragraph(
            (
                span("The full results are published in the "),
                span("trust's report", href="https://courier.example/reports/tidal-week.pdf"),
                span(", which also covers costs and maintenance over the coming decade."),
            )
        ),
        Table(
            (((span("Day"),), (span("Share of demand"),)),),
            (((span("Monday"),), (span("100%"),)), ((span("Tuesday"),), (span("100%"),))),
        ),
        Paragraph(
            (
                span(
                    "The trust now plans a second trial in winter, when demand is highest and storms make maintenance "
                    "harder to schedule."
                ),
            )
        ),
    )


def test_page_chrome_stays_out_of_the_body():
    text = body_text(read_html_page(PAGE.encode(), "courier", url=PAGE_URL).body)
    for chrome in (
        "Sport",
        "Advertisement",
        "Related stories",
        "Ferry timetable",
        "12 comments",
        "Brilliant news",
        "Post comment",
        "All rights reserved",
        "Privacy",
        "dataLayer",
        "font-family",
        "By Morag",
    ):
        assert chrome not in text


def test_saved_file_loads_images_beside_it_and_links_from_the_site(tmp_path):
    page = PAGE.replace('href="/news/2024/03/tidal-island-week"', f'href="{CANONICAL}"')
    folder = tmp_path / "news" / "2024"
    folder.mkdir(parents=True)
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "turbine-deck.jpg").write_bytes(b"\xff\xd8\xff")
    path = folder / "tidal.html"
    path.write_text(page, encoding="utf-8")
    [article] = HtmlReader().read(path.read_bytes(), str(path))
    assert article.url == CANONICAL
    [image] = [b for b in article.body if isinstance(b, Image)]
    assert image.src == str(tmp_path / "media" / "turbine-deck.jpg")
    hrefs = [s.href for b in article.body if isinstance(b, Paragraph) for s in b.text if s.href]
    assert hrefs == ["https://courier.example/reports/tidal-week.pdf"]
    # An image that was not saved comes from the site.
    (tmp_path / "media" / "turbine-deck.jpg").unlink()
    [article] = HtmlReader().read(path.read_bytes(), str(path))
    [image] = [b for b in article.body if isinstance(b, Image)]
    assert image.src == "https://courier.example/news/media/turbine-deck.jpg"


def story(body: str, head: str = "<title>A headline long enough to stand on its own</title>") -> str:
    paragraphs = "".join(
        f"<p>Paragraph {n} of the story carries enough ordinary words to look like article prose.</p>"
        for n in range(1, 4)
    )
    return f"<!doctype html><html><head>{head}</head><body><article>{paragraphs}{body}</article></body></html>"


def test_relative_links_and_images_resolve_against_the_page_url_or_base_element():
    html = story('<p>See <a href="../more.html">more</a>.</p><p><img src="img/a.png" alt="A"></p>')
    article = read_html_page(html.encode(), "page", url="https://site.example/dir/sub/page.html")
    assert [s.href for b in article.body if isinstance(b, Paragraph) for s in b.text if s.href] == [
        "https://site.example/dir/more.html"
    ]
    assert [b.src for b in article.body if isinstance(b, Image)] == ["https://site.example/dir/sub/img/a.png"]
    based = html.replace("<title>", '<base href="https://cdn.example/root/"><title>')
    article = read_html_page(based.encode(), "page", url="https://site.example/dir/sub/page.html")
    assert [s.href for b in article.body if isinstance(b, Paragraph) for s in b.text if s.href] == [
        "https://cdn.example/more.html"
    ]
    assert [b.src for b in article.body if isinstance(b, Image)] == ["https://cdn.example/root/img/a.png"]


HOSTILE = story(
    """<script>alert('script')</script>
    <p onclick="alert('click')">Hostile paragraph <a href="javascript:alert('link')">click here</a> and
    <a href="data:text/html,<script>alert('data')</script>">this</a> and <a href="vbscript:msgbox">that</a>.</p>
    <img src="https://img.example/x.png" onerror="alert('onerror')" alt="x">
    <img src="javascript:alert('img')">
    <iframe src="https://evil.example/frame"></iframe>
    <form action="https://evil.example/post"><input name="q" value="alert"><button>Send</button></form>
    <p style="background:url(javascript:alert('style'))">Styled <span style="color:red">words</span> here.</p>
    <style>p { color: red }</style>
    <svg onload="alert('svg')"><script>alert('svgscript')</script></svg>
    <object data="evil.swf"></object><embed src="evil.swf">
    <math><mtext><script>alert('math')</script></mtext></math>""",
    head='<title>A headline long enough to stand on its own</title><script>alert("head")</script>'
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
)


def test_hostile_markup_is_sanitised_away():
    article = read_html_page(HOSTILE.encode(), "hostile", url="https://site.example/a.html")
    everything = repr(article)
    for banned in (
        "alert",
        "javascript",
        "vbscript",
        "onerror",
        "onclick",
        "onload",
        "iframe",
        "evil.example",
        "evil.swf",
        "color",
        "<",
        "data:text",
    ):
        assert banned not in everything, banned
    text = body_text(article.body)
    assert "Hostile paragraph click here and this and that." in text
    assert "Styled words here." in text
    assert [b.src for b in article.body if isinstance(b, Image)] == ["https://img.example/x.png"]


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "page.html: file is empty"),
        (b"  \n\t ", "page.html: file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "page.html: looks like a binary file, not text"),
        (b"<html><body><p>caf\xe9 au lait \xff</p></body></html>", "page.html: not valid UTF-8 (byte 18)"),
        (
            b'<html><head><meta charset="euc-jp"></head><body><p>\x82\xa0 text</p></body></html>',
            "page.html: cannot decode as euc_jp or UTF-8 (byte 51)",
        ),
        (
            b"<html><head><title>Only a title</title></head><body></body></html>",
            "page.html: no article text found in the page",
        ),
        (
            b"<html><body><script>document.write('hello world')</script><style>p{}</style></body></html>",
            "page.html: no article text found in the page",
        ),
    ],
)
def test_bad_pages_give_one_clear_line(data, message):
    with pytest.raises(ArticleError) as info:
        HtmlReader().read(data, "page.html")
    assert str(info.value) == message


def test_declared_charsets_are_honoured():
    latin = story(
        "<p>Le caf\xe9 est tr\xe8s bon.</p>",
        head='<meta charset="windows-1252"><title>Caf\xe9 du coin et ses habitu\xe9s du matin</title>',
    ).encode("cp1252")
    article = HtmlReader().read(latin, "cafe.html")[0]
    assert article.title == "Café du coin et ses habitués du matin"
    assert "Le café est très bon." in body_text(article.body)
    legacy = story(
        "<p>宇航员在太空中喝酒。</p>",
        head='<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
        "<title>宇航员在太空中喝酒会怎么样</title>",
    ).encode("gb18030")
    article = HtmlReader().read(legacy, "zh.html")[0]
    assert article.title == "宇航员在太空中喝酒会怎么样"
    # A server's charset counts when the page declares none; UTF-16 needs its byte-order mark.
    served = story("<p>Grüße aus Köln.</p>").encode("iso-8859-15")
    assert "Grüße aus Köln." in body_text(read_html_page(served, "served", charset="iso-8859-15").body)
    wide = "\ufeff" + story("<p>Grüße aus Köln.</p>")
    assert "Grüße aus Köln." in body_text(HtmlReader().read(wide.encode("utf-16-le"), "wide.html")[0].body)


def test_valid_utf8_wins_over_a_stale_declaration():
    resaved = story(
        "<p>Ça marche très bien.</p>",
        head='<meta charset="iso-8859-1"><title>Un titre assez long pour rester tel quel</title>',
    ).encode("utf-8")
    article = HtmlReader().read(resaved, "resaved.html")[0]
    assert "Ça marche très bien." in body_text(article.body)


def test_xhtml_with_xml_declaration_is_read():
    page = '<?xml version="1.0" encoding="utf-8"?>\n' + story("").replace(
        "<html>", '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="fr">'
    )
    article = HtmlReader().read(page.encode(), "page.xhtml")[0]
    assert article.title == "A headline long enough to stand on its own"
    assert article.language == "fr"


@pytest.mark.parametrize(
    "head, title",
    [
        # The page's own <title>, without the site's name after a separator...
        (
            "<title>Harbour wall repairs finish two months early - Coastal Courier</title>",
            "Harbour wall repairs finish two months early",
        ),
        (
            "<title>Harbour wall repairs finish two months early · Courier</title>",
            "Harbour wall repairs finish two months early",
        ),
        # ...or before it, when the site's name comes first.
        (
            "<title>Courier | Harbour wall repairs finish two months early</title>",
            "Harbour wall repairs finish two months early",
        ),
        # A short title keeps its suffix: what is left would be too short to be a headline.
        ("<title>Harbour news - Coastal Courier</title>", "Harbour news - Coastal Courier"),
        # Declared titles win over <title>: JSON-LD first, then Dublin Core, Open Graph, Twitter.
        (
            '<title>Old | Site</title><meta property="og:title" content="Open Graph headline">'
            '<meta name="twitter:title" content="Twitter headline">',
            "Open Graph headline",
        ),
        ('<title>Old | Site</title><meta name="twitter:title" content="Twitter headline">', "Twitter headline"),
        (
            '<meta property="og:title" content="Open Graph headline"><script type="application/ld+json">'
            '//<![CDATA[\n{"@context": "https://schema.org", "@graph": [{"@type": "WebSite", "name": "Courier"},'
            ' {"@type": "NewsArticle", "headline": "JSON-LD headline", "author": [{"name": "Ann Lee"}]}]}\n//]]>'
            "</script>",
            "JSON-LD headline",
        ),
        # No title at all: the first heading.
        ("", "The story's first heading"),
    ],
)
def test_title_rules(head, title):
    page = story("", head=head).replace("<article>", "<article><h2>The story's first heading</h2>")
    assert read_html_page(page.encode(), "t").title == title


def test_json_ld_gives_authors_dates_and_tags():
    head = """<title>x</title><script type="application/ld+json">[{"@type": "BreadcrumbList", "name": "Nav"},
    {"@type": ["Article", "NewsArticle"], "headline": "Storm closes the causeway &amp; the ferry",
     "author": [{"@type": "Person", "name": "Ann Lee"}, {"@type": "Person", "name": "Bo Chen"}],
     "datePublished": "2024-02-01T07:00:00-05:00", "dateModified": "2024-02-01",
     "keywords": "weather; transport, islands", "inLanguage": "en_US",
     "publisher": {"@type": "Organization", "name": "Courier"}, "image": {"url": "https://img.example/lead.jpg"}}]
    </script>"""
    article = read_html_page(story("", head=head).encode(), "ld")
    assert article.title == "Storm closes the causeway & the ferry"
    assert article.authors == ("Ann Lee", "Bo Chen")
    assert article.published == datetime(2024, 2, 1, 7, 0, tzinfo=timezone(timedelta(hours=-5)))
    assert article.updated == datetime(2024, 2, 1, tzinfo=UTC)
    assert article.tags == ("weather", "transport", "islands")
    assert article.language == "en-US"
    assert article.site_name == "Courier"
    assert article.image == Image("https://img.example/lead.jpg")


def test_hidden_elements_are_not_article_text():
    page = story(
        '<p hidden>Hidden by attribute.</p><p style="display: none">Hidden by style.</p>'
        '<p><span aria-hidden="true">Icon label</span>Visible sentence.</p>'
    )
    text = body_text(read_html_page(page.encode(), "h").body)
    assert "Visible sentence." in text
    assert "Hidden" not in text and "Icon label" not in text


def test_same_page_gives_the_same_article():
    assert read_html_page(PAGE.encode(), "a", url=PAGE_URL) == read_html_page(PAGE.encode(), "a", url=PAGE_URL)


@pytest.mark.parametrize(
    "head, expected",
    [
        (b"<!DOCTYPE html>\n<html>", True),
        (b"\xef\xbb\xbf  <!doctype HTML><html lang=en>", True),
        (b"<!-- saved from url=(0042)https://x.example/ -->\n<html>", True),
        (b'<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml">', True),
        (b'<?xml version="1.0"?><rss version="2.0">', False),
        (b"# Markdown heading\n", False),
        (b'{"title": "json"}', False),
    ],
)
def test_sniff_recognises_html(head, expected):
    assert HtmlReader().sniff(head) is expected


# Through the command line.


def run_cli(*args: str):
    """Run ``newsexport`` in-process with a fixed terminal."""
    from typer.testing import CliRunner

    from main import app

    return CliRunner().invoke(app, list(args), env={"NO_COLOR": "1", "COLUMNS": "100"})


def test_cli_inspect_reads_a_saved_page(tmp_path):
    page = tmp_path / "tidal.html"
    page.write_text(PAGE.replace('href="/news/2024/03/tidal-island-week"', f'href="{CANONICAL}"'), encoding="utf-8")
    result = run_cli("inspect", str(page), "--json")
    assert result.exit_code == 0, result.output
    [article] = json.loads(result.stdout)["articles"]
    assert article["title"] == TITLE
    assert article["url"] == CANONICAL
    assert article["authors"] == ["Morag Sinclair"]
    assert [b["type"] for b in article["body"]] == [
        "paragraph",
        "paragraph",
        "heading",
        "paragraph",
        "list",
        "image",
        "quote",
        "paragraph",
        "table",
        "paragraph",
    ]


def test_cli_skips_a_bad_page_with_one_line(tmp_path):
    good = tmp_path / "good.html"
    good.write_text(PAGE, encoding="utf-8")
    bad = tmp_path / "bad.html"
    bad.write_bytes(b"\x00\x01\x02binary")
    result = run_cli("inspect", str(good), str(bad))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f"{bad}: looks like a binary file, not text" in result.stderr
    assert TITLE in result.stdout


# -- choosing the body and finding the byline ------------------------------------------------

STORY = [
    f"Paragraph {n} of the story says what happened on the harbour front and why it matters to the town."
    for n in range(1, 9)
]


def _html(paragraphs: list[str], links: list[str] = ()) -> str:
    return "".join(f"<p>{p}</p>" for p in paragraphs) + "".join(f'<p><a href="/x">{t}</a></p>' for t in links)


def test_readability_is_the_default_choice():
    from exporters.readers.page.body import choose_body

    trafilatura = _html(STORY[:7])
    readability = _html(STORY)
    assert choose_body(trafilatura, readability) == readability


def test_trafilatura_wins_when_readability_kept_one_block_of_several():
    from exporters.readers.page.body import choose_body

    trafilatura, readability = _html(STORY), _html(STORY[:4])
    assert choose_body(trafilatura, readability) == trafilatura


def test_readability_wins_when_trafilatura_adds_a_list_of_links():
    from exporters.readers.page.body import choose_body

    links = [f"Another story number {n} about something else entirely" for n in range(12)]
    trafilatura, readability = _html(STORY, links), _html(STORY)
    assert choose_body(trafilatura, readability) == readability


def test_trafilatura_wins_when_readability_finds_next_to_nothing():
    from exporters.readers.page.body import choose_body

    assert choose_body(_html(STORY), _html(["Share this."])) == _html(STORY)
    assert choose_body(_html(STORY), "") == _html(STORY)
    assert choose_body("", _html(STORY)) == _html(STORY)


@pytest.mark.parametrize(
    ("markup", "authors"),
    [
        # A byline element: the profile link is the name, the job title is not.
        (
            '<div class="story-byline">By <a href="/people/ana-costa">Ana Costa</a>, Science Editor</div>',
            ("Ana Costa",),
        ),
        ('<p class="meta">By Ana Costa and Luís Prado</p>', ("Ana Costa", "Luís Prado")),
        ('<span itemprop="author"><span itemprop="name">Ana Costa</span></span>', ("Ana Costa",)),
        # A byline inside the comments is a commenter's, not the article's.
        ('<div class="comments"><p class="author">Some Reader</p></div>', ()),
        ('<div class="byline">Updated 14 March 2024</div>', ()),
    ],
)
def test_page_without_author_metadata_gives_the_byline_it_shows(markup, authors):
    page = (
        "<!DOCTYPE html><html><head><title>Harbour wall to be rebuilt</title></head><body><article>"
        f"<h1>Harbour wall to be rebuilt</h1>{markup}{_html(STORY)}</article></body></html>"
    )
    article = read_html_page(page.encode(), "page.html")
    assert article.authors == authors
    assert "By Ana" not in body_text(article.body)
