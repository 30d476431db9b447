"""The library's Python API: saving by canonical URL, state, tags, ids, queries, deliveries, images."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from library_pages import png_bytes

from exporters.library import LibraryError, Query, open_library
from exporters.library.query import fts_query
from exporters.model import Article, Asset, Image, Paragraph, Span, article_id

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def story(url: str, title: str, text: str = "Some text", **fields) -> Article:
    return Article(id=article_id(url, title), title=title, url=url, body=(Paragraph((Span(text),)),), **fields)


@pytest.fixture
def library(tmp_path):
    with open_library(tmp_path / "lib.sqlite", clock=lambda: NOW) as lib:
        yield lib


def test_the_same_canonical_url_updates_instead_of_duplicating(library):
    first = library.save(story("https://news.example/a?utm_source=x", "Old title"), tags=["one"])
    second = library.save(story("https://NEWS.example/a#top", "New title", "Fresh text"), tags=["two"])
    assert (first.status, second.status, first.id) == ("added", "updated", second.id)
    [stored] = library.find(Query(state="any"))
    assert stored.title == "New title" and stored.tags == ("one", "two")
    assert library.find(Query(search="fresh"))[0].id == first.id
    assert library.find(Query(search="some")) == []  # the index follows the update


def test_a_link_without_text_never_replaces_stored_text(library):
    library.save(story("https://news.example/a", "Full story", "The whole text"))
    library.save(Article(id="x", title="Link only", url="https://news.example/a"), fetched=False, archived=True)
    [stored] = library.find(Query(state="any"))
    assert (stored.title, stored.fetched, stored.state) == ("Full story", True, "archived")
    assert stored.archived_at == NOW and stored.read_at == NOW


def test_ids_resolve_from_unique_prefixes_and_urls(library):
    key = library.save(story("https://news.example/a", "A")).id
    assert library.resolve([key[:4], key, "urn:newsexport:" + key, "https://news.example/a"]) == [key] * 4
    with pytest.raises(LibraryError, match=r"^zz: not an article id"):
        library.resolve(["zz"])
    with pytest.raises(LibraryError, match=r"^0000: no such article in the library$"):
        library.resolve(["0000"] if not key.startswith("0000") else ["ffff"])


def test_an_ambiguous_prefix_is_an_error_naming_the_candidates(library):
    keys = [library.save(story(f"https://news.example/{n}", f"S{n}")).id for n in range(300)]
    prefix = next(k[:4] for k in keys if sum(o.startswith(k[:4]) for o in keys) > 1)
    with pytest.raises(LibraryError, match=rf"^{prefix}: ambiguous id \(matches "):
        library.resolve([prefix])
    shown = library.short_ids(keys)
    assert len(set(shown.values())) == 300 and all(len(v) >= 8 for v in shown.values())


def test_queries_filter_by_state_star_tag_site_and_dates(library):
    a = library.save(story("https://www.harbour.example/a", "A", site_name="Harbour Notes"), tags=["Climate"]).id
    b = library.save(story("https://news.city.example/b", "B", published=NOW), starred=True).id
    c = library.save(story("https://other.example/c", "C"), archived=True).id
    ids = lambda **q: [s.id for s in library.find(Query(**q))]  # noqa: E731
    assert set(ids()) == {a, b}
    assert ids(state="archived") == [c]
    assert ids(state="any", starred=True) == [b]
    assert ids(tags=("climate",)) == [a]
    assert ids(site="harbour notes") == ids(site="harbour.example") == [a]
    assert ids(site="city.example") == [b]
    assert ids(since=datetime(2024, 1, 1, tzinfo=UTC)) == [b]
    assert ids(state="any", sort="title", newest_first=False) == [a, b, c]


@pytest.mark.parametrize("words", ['"', "-", "ferry AND", "NEAR(", "a:b", "*", "'"])
def test_search_words_are_quoted_so_no_input_is_a_syntax_error(library, words):
    library.save(story("https://news.example/a", "Ferry AND timetable", "near the harbour"))
    library.find(Query(search=words))  # no OperationalError


def test_search_matches_title_authors_site_and_text_with_prefixes(library):
    library.save(
        story("https://news.example/a", "Ferries", "winter timetable", authors=("Ana Lima",), site_name="Courier")
    )
    for words in ("ferries", "lima", "courier", "timet*", "Winter TIMETABLE"):
        assert len(library.find(Query(search=words))) == 1, words
    assert library.find(Query(search="ferries summer")) == []
    assert fts_query('say "hi" clim*') == '"say" """hi""" "clim"*'


def test_deliveries_select_what_a_destination_has_not_received(library):
    a = library.save(story("https://news.example/a", "A")).id
    b = library.save(story("https://news.example/b", "B")).id
    library.mark_sent([a], "kindle", NOW)
    assert [s.id for s in library.find(Query(not_sent_to="kindle"))] == [b]
    assert [s.id for s in library.find(Query(not_sent_to="kobo"))] == [b, a]
    assert library.sent(library.get(a)) == [("kindle", NOW)]


def test_marking_changes_state_stars_and_tags_in_one_go(library):
    keys = [library.save(story(f"https://news.example/{n}", f"S{n}"), tags=["old"]).id for n in range(3)]
    assert library.set_state(keys, archived=True) == 3
    assert library.set_state(keys, archived=True) == 0
    assert library.set_starred(keys[:1], True) == 1
    library.tag(keys, add=["new"], remove=["OLD"])
    assert {s.tags for s in library.find(Query(state="any"))} == {("new",)}
    assert library.set_state(keys[:1], archived=False) == 1
    assert library.get(keys[0]).archived_at is None


def test_images_are_stored_once_by_content_and_removed_with_their_last_article(library):
    png = png_bytes()
    image = Image("https://img.example/p.png")
    asset = Asset(image.src, "image/png", png, 4, 4)
    a = library.save(story("https://news.example/a", "A").with_changes(image=image), assets={image.src: asset}).id
    b = library.save(story("https://news.example/b", "B").with_changes(image=image), assets={image.src: asset}).id
    assert library.conn.execute("SELECT count(*) FROM blobs").fetchone()[0] == 1
    assert library.assets([library.get(a)])[image.src].data == png
    assert library.remove([a]) == 1
    assert library.conn.execute("SELECT count(*) FROM blobs").fetchone()[0] == 1
    library.remove([b])
    assert library.conn.execute("SELECT count(*) FROM blobs").fetchone()[0] == 0
    assert library.stats()["articles"] == 0


def test_articles_come_back_losslessly_with_the_library_tags(library):
    original = story("https://news.example/a", "A", published=NOW, authors=("Ana",), summary="Short", tags=("x",))
    key = library.save(original, tags=["y"]).id
    back = library.article(library.get(key))
    assert back == original.with_changes(tags=("x", "y"), source=back.source)
