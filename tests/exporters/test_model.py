"""The model, the sanitising HTML converter, the JSON form and the filters."""

from __future__ import annotations

import dataclasses
import inspect
from datetime import UTC, datetime

import pytest

from exporters.html.blocks import blocks_from_html
from exporters.html.sanitize import safe_url
from exporters.html.xhtml import render_blocks
from exporters.model import (
    Article,
    ArticleError,
    Heading,
    Image,
    ListBlock,
    Paragraph,
    Preformatted,
    Quote,
    Span,
    Table,
    article_id,
    body_text,
    canonical_url,
    plain_text,
)
from exporters.pipeline.dates import build_time, parse_date
from exporters.pipeline.jsonform import article_from_dict, article_to_dict, articles_to_json
from exporters.pipeline.selection import Selection, dedupe, select
from exporters.text import clean_text

HOSTILE = """
<div onclick="steal()"><script>alert('s')</script><style>p{color:red}</style>
<p style="color:red" onmouseover="x()">Hello <a href="javascript:alert(1)">js link</a>
<a href="JaVaScRiPt:alert(2)">js2</a> <a href="data:text/html,<script>x</script>">data link</a>
<a href="/rel" onclick="y()">relative</a></p>
<img src="x.png" onerror="alert(3)"><img src="javascript:alert(4)"><img src="data:text/html;base64,PHNjcmlwdD4=">
<iframe src="https://evil.example/"></iframe><form action="/x"><input name="q"><button>Go</button></form>
<object data="x.swf"></object><svg><script>alert(5)</script></svg>
<p>ctrl\x01chars\x0b here&#1;&#x7f;&#xfdd0;</p></div>
"""


def test_hostile_html_keeps_only_text_and_safe_urls():
    blocks = blocks_from_html(HOSTILE, "https://site.example/a/page.html")
    dumped = repr(blocks) + render_blocks(blocks)
    for bad in (
        "script",
        "alert",
        "steal",
        "onerror",
        "onclick",
        "javascript",
        "iframe",
        "evil.example",
        "color:red",
        "data:text",
        "\x01",
        "\x0b",
        "\x7f",
        "\ufdd0",
        "input",
        "Go",
    ):
        assert bad not in dumped, bad
    links = [s.href for b in blocks if isinstance(b, Paragraph) for s in b.text if s.href]
    assert links == ["https://site.example/rel"]
    images = [b for b in blocks if isinstance(b, Image)]
    assert [i.src for i in images] == ["https://site.example/a/x.png"]
    assert "ctrlchars here" in body_text(blocks)


def test_html_maps_to_every_block_kind():
    html = """<h1>Top</h1><h3>Sub</h3><p>A <em>b</em> <strong>c</strong> <code>d</code><br>e</p>
    <blockquote><p>quoted</p></blockquote><ol><li>one</li><li>two<ul><li>nested</li></ul></li></ol>
    <pre>  x = 1\n  y = 2</pre><figure><img src="https://i.example/p.jpg" alt="alt"><figcaption>Cap
    <small>Agency</small></figcaption></figure><table><tr><th>h</th></tr><tr><td>v</td></tr></table>"""
    blocks = blocks_from_html(html)
    assert [type(b).__name__ for b in blocks] == [
        "Heading",
        "Heading",
        "Paragraph",
        "Quote",
        "ListBlock",
        "Preformatted",
        "Image",
        "Table",
    ]
    assert blocks[0] == Heading(2, (Span("Top"),)) and blocks[1].level == 3
    assert blocks[2].text == (
        Span("A "),
        Span("b", emphasis=True),
        Span(" "),
        Span("c", strong=True),
        Span(" "),
        Span("d", code=True),
        Span("\ne"),
    )
    assert blocks[4] == ListBlock(True, ((Span("one"),), (Span("two"),), (Span("nested"),)))
    assert blocks[5] == Preformatted("  x = 1\n  y = 2")
    assert blocks[6] == Image("https://i.example/p.jpg", "alt", "Cap", "Agency")
    assert blocks[7] == Table(header=(((Span("h"),),),), rows=(((Span("v"),),),))


def test_text_outside_list_items_and_lists_nested_in_lists_are_kept():
    html = """<ul> Loose text with <a href="https://l.example/">a link</a>, not in an item.
    <li>one</li><ol><li>nested directly</li><li>again</li></ol><p>a paragraph</p><li>two</li> trailing </ul>"""
    [block] = blocks_from_html(html)
    assert [plain_text(item) for item in block.items] == [
        "Loose text with a link, not in an item.",
        "one",
        "nested directly",
        "again",
        "a paragraph",
        "two",
        "trailing",
    ]
    assert block.items[0][1] == Span("a link", href="https://l.example/")


def test_span_and_font_are_unwrapped_keeping_their_text():
    blocks = blocks_from_html(
        '<p>a <span class="x">b</span> <font size="-1"><em>c</em></font></p><span><p>d</p></span>'
    )
    assert blocks == (Paragraph((Span("a b "), Span("c", emphasis=True))), Paragraph((Span("d"),)))


def test_local_images_only_from_local_pages():
    assert safe_url("pic.png", "file:///home/u/saved/page.html", image=True) == "/home/u/saved/pic.png"
    assert safe_url("file:///etc/passwd", "https://remote.example/", image=True) is None
    assert safe_url("file:///etc/passwd", None, image=True) is None


def test_render_escapes_text_and_attributes():
    blocks = (Paragraph((Span('<b>&"x"</b>', href='https://a.example/?q="1"&r=<2>'),)),)
    assert (
        render_blocks(blocks)
        == '<p><a href="https://a.example/?q=&quot;1&quot;&amp;r=&lt;2&gt;">&lt;b&gt;&amp;"x"&lt;/b&gt;</a></p>'
    )


def test_caption_only_image_renders_caption_and_credit():
    assert render_blocks((Image("", caption="Kerry speaks", credit="AP"),)) == (
        '<figure class="caption-only"><figcaption>Kerry speaks <small class="credit">AP</small></figcaption></figure>'
    )


def test_article_requires_title_and_aware_dates():
    with pytest.raises(ArticleError, match="x.md: article has no title"):
        Article(id="1", title="  ", source="x.md")
    with pytest.raises(ArticleError, match="published date has no timezone"):
        Article(id="1", title="t", published=datetime(2024, 1, 1))


def test_article_id_is_stable_and_ignores_tracking():
    a = article_id("https://Example.com/story?utm_source=x&id=3#top", "T")
    assert a == article_id("https://example.com/story?id=3", "Other title")
    assert a.startswith("urn:newsexport:") and len(a) == len("urn:newsexport:") + 20
    assert article_id(None, "T", (Paragraph((Span("x"),)),)) != article_id(None, "T", (Paragraph((Span("y"),)),))
    assert canonical_url("HTTP://Example.com:80") == "http://example.com/"


def test_clean_text_strips_controls_and_nbsp():
    assert clean_text("a\u00a0b\x00c\x1fd\u202fe") == "a bcd e"


def _article(n: int, **kw) -> Article:
    defaults = dict(
        id=f"id{n}",
        title=f"Title {n}",
        body=(Paragraph((Span(f"text {n}"),)),),
        url=f"https://x.example/{n}",
        published=datetime(2024, 1, n, tzinfo=UTC),
    )
    defaults.update(kw)
    return Article(**defaults)


def test_json_round_trip_is_lossless():
    article = _article(
        1,
        authors=("A", "B"),
        updated=datetime(2024, 2, 1, 5, tzinfo=UTC),
        summary="s",
        language="fr",
        site_name="site",
        tags=("t",),
        image=Image("https://i.example/x.png", "alt"),
        source="a.md",
        body=(
            Heading(2, (Span("h"),)),
            Quote((Paragraph((Span("q", emphasis=True),)),)),
            ListBlock(False, ((Span("i", code=True, href="https://l.example/"),),)),
            Preformatted("p", "py"),
            Image("", caption="c", credit="cr"),
            Table((((Span("h"),),),), (((Span("v", strong=True),),),)),
        ),
    )
    assert article_from_dict(article_to_dict(article), "other") == article
    assert articles_to_json([article]).endswith("}\n")


def test_dedupe_merges_same_url_and_same_text():
    first = _article(1, summary="")
    same_url = _article(2, url="https://x.example/1?utm_medium=rss", summary="from duplicate")
    same_text = _article(3, url=None, title="Title 1", body=first.body)
    other = _article(4)
    kept, merged = dedupe([first, same_url, same_text, other])
    assert [a.id for a in kept] == ["id1", "id4"] and merged == 2
    assert kept[0].summary == "from duplicate"


def test_select_filters_sorts_and_limits():
    arts = [_article(3, tags=("Rail",)), _article(1), _article(2, tags=("rail", "eu")), _article(4, published=None)]
    assert [a.id for a in select(arts, Selection())] == ["id3", "id1", "id2", "id4"]
    assert [a.id for a in select(arts, Selection(sort="date"))] == ["id1", "id2", "id3", "id4"]
    assert [a.id for a in select(arts, Selection(sort="date", reverse=True, limit=2))] == ["id3", "id2"]
    assert [a.id for a in select(arts, Selection(tags=("RAIL",)))] == ["id3", "id2"]
    since = parse_date("2024-01-02")
    assert [a.id for a in select(arts, Selection(since=since, until=parse_date("2024-01-02T23:00Z")))] == ["id2"]


def test_dates_parse_iso_rfc822_and_naive_as_utc(monkeypatch):
    assert parse_date("2024-03-01T10:00:00Z") == datetime(2024, 3, 1, 10, tzinfo=UTC)
    assert parse_date("Mon, 14 Oct 2024 06:45:00 +0000") == datetime(2024, 10, 14, 6, 45, tzinfo=UTC)
    assert parse_date("2024-03-01").tzinfo is UTC
    with pytest.raises(ValueError, match="not a date"):
        parse_date("next tuesday-ish")
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert build_time([None, parse_date("2024-01-01"), parse_date("2024-02-01")]) == parse_date("2024-02-01")
    assert build_time([]) == datetime(1970, 1, 1, tzinfo=UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "86400")
    assert build_time([parse_date("2024-01-01")]) == datetime(1970, 1, 2, tzinfo=UTC)


def test_grouping_keeps_first_appearance_order_and_puts_leftovers_last():
    from exporters.pipeline.grouping import group_articles

    arts = [
        _article(1, site_name="B", tags=("x",)),
        _article(2, url=None, site_name=None, published=None),
        _article(3, url="https://www.a.example/p", site_name=None, tags=(" ", "y")),
        _article(4, site_name="B"),
    ]
    titles = lambda groups: [(t, [a.id for a in members]) for t, members in groups]  # noqa: E731
    assert titles(group_articles(arts, "none")) == [(None, ["id1", "id2", "id3", "id4"])]
    assert titles(group_articles(arts, "site")) == [
        ("B", ["id1", "id4"]),
        ("a.example", ["id3"]),
        ("Other sites", ["id2"]),
    ]
    assert titles(group_articles(arts, "tag")) == [("x", ["id1"]), ("y", ["id3"]), ("Untagged", ["id2", "id4"])]
    assert titles(group_articles(arts, "date"))[-1] == ("Undated", ["id2"])
    with pytest.raises(ValueError, match="--group-by must be one of none, site, date, tag, not 'week'"):
        group_articles(arts, "week")


def test_block_classes_keep_dataclass_behaviour_with_their_direct_init():
    span = Span("a", strong=True, href="https://x.example/")
    assert (span.text, span.emphasis, span.strong, span.code, span.href) == (
        "a",
        False,
        True,
        False,
        "https://x.example/",
    )
    assert span == Span("a", False, True, False, "https://x.example/") and hash(span) == hash(
        Span("a", strong=True, href="https://x.example/")
    )
    assert Image("u") == Image(src="u", alt="", caption="", credit="") and Heading(2, (span,)).level == 2
    with pytest.raises(dataclasses.FrozenInstanceError):
        span.text = "b"  # type: ignore[misc]
    with pytest.raises(TypeError, match=r"missing 1 required positional argument: 'text'"):
        Span()  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="unexpected keyword argument 'colour'"):
        Span("a", colour="red")  # type: ignore[call-arg]
    assert Span.__init__.__qualname__ == "Span.__init__"
    assert [p.name for p in inspect.signature(Preformatted).parameters.values()] == ["text", "language"]


def test_html_body_is_the_sanitised_blocks_converted_once_on_first_read(monkeypatch):
    import pickle

    from exporters.html import lazy as htmlblocks
    from exporters.html.lazy import HtmlBody, body_once

    calls = []
    convert = htmlblocks.blocks_from_html
    monkeypatch.setattr(htmlblocks, "blocks_from_html", lambda *args: calls.append(args) or convert(*args))
    body = HtmlBody(HOSTILE, "https://site.example/a/page.html")
    sent = pickle.loads(pickle.dumps(body))
    assert calls == [] and isinstance(sent, HtmlBody)  # not converted to be made, or to be sent
    expected = convert(HOSTILE, "https://site.example/a/page.html")
    assert body == expected and expected == body and hash(body) == hash(expected) and sent == body
    assert len(body) == len(expected) == 3 and body[0] == expected[0] and list(body) == list(expected)
    assert "alert" not in repr(body) and "javascript" not in render_blocks(body)
    assert len(calls) == 2  # body and sent: each converted once, however often read
    assert pickle.loads(pickle.dumps(body)) == expected and type(pickle.loads(pickle.dumps(body))) is tuple
    once = HtmlBody("<p>a</p>")
    assert body_once(once) == (Paragraph((Span("a"),)),) and body_once(once) == (Paragraph((Span("a"),)),)
    assert len(calls) == 4 and once == (Paragraph((Span("a"),)),) and len(calls) == 5  # once() keeps nothing
    assert not HtmlBody("<p> </p><script>x</script>") and body_once(expected) is expected
    assert Article(id="a", title="t", body=HtmlBody("<p>x</p>")) == Article(
        id="a", title="t", body=(Paragraph((Span("x"),)),)
    )


def test_bodies_converted_together_are_each_body_once(monkeypatch):
    from exporters.html import lazy as htmlblocks
    from exporters.html.lazy import HtmlBody, bodies_once

    kept = HtmlBody("<p>kept</p>")
    assert kept.blocks == (Paragraph((Span("kept"),)),)
    plain = (Paragraph((Span("plain"),)),)
    bodies = [
        HtmlBody(HOSTILE, "https://site.example/a/page.html"),
        plain,
        kept,
        (),
        HtmlBody("<p> </p>"),
        HtmlBody("<p>b</p>"),
    ]
    hostile = blocks_from_html(HOSTILE, "https://site.example/a/page.html")
    cleaned = []
    sanitize = htmlblocks.sanitize_html
    monkeypatch.setattr(htmlblocks, "sanitize_html", lambda html: cleaned.append(html) or sanitize(html))
    out = bodies_once(bodies)
    assert out == [hostile, plain, kept.blocks, (), (), (Paragraph((Span("b"),)),)]
    assert out[1] is plain and out[2] is kept.blocks and all(type(body) is tuple for body in out)
    assert len(cleaned) == 3  # only the bodies not converted yet, each once
    assert bodies_once([bodies[5], bodies[0]]) == [out[5], hostile] and len(cleaned) == 5  # nothing kept: again
    assert bodies_once([]) == []


@pytest.mark.parametrize(
    ("html", "images"),
    [
        ("<p>no picture</p>", 0),
        ('<p><IMG SRC="https://i.example/a.png"></p>', 1),
        ('<image src="https://i.example/b.png">', 1),
        ('<p>the word <em>imagine</em> and an <svg><image href="x.png"/></svg></p>', 0),
    ],
)
def test_html_body_says_it_has_no_image_only_when_it_has_none(html, images):
    from exporters.html.lazy import HtmlBody

    body = HtmlBody(html)
    found = sum(isinstance(block, Image) for block in blocks_from_html(html))
    assert found == images
    assert body.may_hold_images or found == 0
    assert HtmlBody("<p>plain</p>").may_hold_images is False and HtmlBody("<img src='x'>").may_hold_images is True


def test_dedupe_reads_bodies_only_of_articles_sharing_a_title():
    class Body(tuple):
        reads = 0

        def __iter__(self):
            Body.reads += 1
            return super().__iter__()

    def body(text: str) -> Body:
        return Body((Paragraph((Span(text),)),))

    arts = [_article(n, url=None, body=body(f"text {n}")) for n in range(1, 29)]
    kept, merged = dedupe(arts)
    assert kept == arts and merged == 0 and Body.reads == 0
    same_title = _article(29, url=None, title="Title 3", body=body("other text"))
    same_text = _article(30, url=None, title="title  3", body=body("text 3"))
    kept, merged = dedupe([*arts, same_title, same_text])
    assert [a.id for a in kept][-2:] == ["id28", "id29"] and merged == 1 and Body.reads == 3


def test_dedupe_follows_a_duplicates_text_to_the_article_it_merged_into():
    first = _article(1, url="https://x.example/1", title="First", body=(Paragraph((Span("one"),)),))
    by_url = _article(2, url="https://x.example/1#top", title="Second", body=(Paragraph((Span("two"),)),))
    by_its_text = _article(3, url="https://x.example/3", title="second", body=(Paragraph((Span("TWO"),)),))
    unrelated = _article(4, url=None, title="Second", body=(Paragraph((Span("three"),)),))
    kept, merged = dedupe([first, by_url, by_its_text, unrelated])
    assert [a.id for a in kept] == ["id1", "id4"] and merged == 2


def test_html_bodies_keep_their_own_text_exactly_until_converted():
    import pickle

    from exporters.html.lazy import HtmlBody

    texts = [f"<p>Body {n} “quoted” \U0001f600 lone \ud800 surrogate {'x' * (n * 997 % 5_000)}</p>" for n in range(40)]
    texts.append("<p>" + "long " * 100_000 + "</p>")
    bodies = [HtmlBody(text) for text in texts]
    for body, text in zip(bodies, texts):
        sent = pickle.loads(pickle.dumps(body))
        assert type(sent) is HtmlBody and sent == body == blocks_from_html(text)
    assert "lone surrogate" in body_text(bodies[0]) and "\U0001f600" in body_text(bodies[0])
    assert body_text(bodies[-1]).count("long") == 100_000


def test_dedupe_gives_a_later_article_sharing_an_id_one_of_its_own():
    first = _article(1, url="https://a.example/1", title="Harbour vote")
    later = _article(3, url="https://c.example/1", title="Night trains").with_changes(id="id1")
    derived = article_id(later.url, later.title, later.body)
    holder = _article(2, url="https://b.example/1", title="Ferry times").with_changes(id=derived)
    kept, merged = dedupe([first, later])
    assert (merged, [a.id for a in kept]) == (0, ["id1", derived])
    kept, merged = dedupe([first, holder, later])  # even the id its content gives is taken
    assert (merged, [a.id for a in kept]) == (0, ["id1", derived, f"{derived}-2"])
