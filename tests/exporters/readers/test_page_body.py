"""Saved pages: which extractor's body is taken, when trafilatura is asked at all, and its metadata guesses."""

from __future__ import annotations

import random

import lxml.html
import pytest
from conftest import CORPUS
from trafilatura.metadata import extract_metadata

import exporters.readers.page.body as page_body
from exporters.model import body_text
from exporters.readers.page.body import choose_body
from exporters.readers.page.extract import read_html_page
from exporters.readers.page.guessed import GUESSABLE, guessed_metadata

_WORDS = (
    "harbour council ferry quay lighthouse tide storm wall fishing market school bridge road station chapel "
    "museum garden park square tower boats nets weather winter summer crews pier lantern rope anchor"
).split()
#: Twenty paragraphs of fourteen words each, no two alike.
STORY = [" ".join(random.Random(n).sample(_WORDS, 14)).capitalize() + "." for n in range(20)]


def _html(paragraphs: list[str]) -> str:
    return "".join(f"<p>{p}</p>" for p in paragraphs)


def _page(body: str) -> bytes:
    return f"<!DOCTYPE html><html><head><title>Harbour news</title></head><body>{body}</body></html>".encode()


def test_trafilatura_wins_when_readability_leaves_out_a_tenth_of_it():
    assert choose_body(_html(STORY), _html(STORY[:18])) == _html(STORY)


def test_readability_stays_when_it_leaves_out_a_twentieth():
    assert choose_body(_html(STORY), _html(STORY[:19])) == _html(STORY[:19])


@pytest.fixture
def trafilatura_calls(monkeypatch) -> list[bool]:
    """Records each run of trafilatura's extractor (its ``fast`` flag) while letting it run."""
    calls: list[bool] = []
    extract = page_body.trafilatura_html

    def recorded(root, url, fast=True):
        calls.append(fast)
        return extract(root, url, fast)

    monkeypatch.setattr(page_body, "trafilatura_html", recorded)
    return calls


def test_trafilatura_is_not_run_when_readability_has_all_the_page_says(trafilatura_calls):
    article = read_html_page(_page(f"<article>{_html(STORY)}</article>"), "story.html")
    assert trafilatura_calls == []
    assert body_text(article.body).splitlines() == STORY


def test_trafilatura_is_run_when_the_page_says_more_than_readability_kept(trafilatura_calls):
    aside = "".join(f"<p>{' '.join(reversed(p.split()))}</p>" for p in STORY[:4])
    article = read_html_page(_page(f"<article>{_html(STORY)}</article><aside>{aside}</aside>"), "story.html")
    assert trafilatura_calls == [True]
    assert body_text(article.body).splitlines()[:20] == STORY


_FIELDS = ("title", "author", "date", "description", "sitename", "tags", "categories")
_DATES = {"extensive_search": False, "original_date": True}


def _corpus_trees(count: int) -> list[lxml.html.HtmlElement]:
    pages = sorted(CORPUS.glob("*/source.html"))[:count]
    return [lxml.html.document_fromstring(page.read_bytes()) for page in pages]


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
def test_guesses_of_every_field_are_trafilaturas_own():
    for tree in _corpus_trees(25):
        ours, theirs = guessed_metadata(tree, None, GUESSABLE), extract_metadata(tree, date_config=_DATES)
        assert [getattr(ours, f) for f in _FIELDS] == [getattr(theirs, f) for f in _FIELDS]


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
def test_a_field_not_wanted_is_not_guessed_and_the_others_stay_the_same():
    guessed_authors = 0
    for tree in _corpus_trees(25):
        ours, theirs = guessed_metadata(tree, None, {"date"}), extract_metadata(tree, date_config=_DATES)
        assert ours.date == theirs.date
        # Without the byline search only the page's declared author is left.
        assert ours.author in (None, theirs.author)
        guessed_authors += ours.author != theirs.author
    assert guessed_authors > 0


@pytest.fixture
def byline_searches(monkeypatch) -> list[str]:
    """Records each run of trafilatura's byline search while letting it run."""
    import exporters.readers.page.guessed as guessed

    searches: list[str] = []
    search = guessed.extract_author

    def recorded(tree):
        searches.append(tree.findtext(".//title"))
        return search(tree)

    monkeypatch.setattr(guessed, "extract_author", recorded)
    return searches


@pytest.mark.parametrize(
    ("byline", "searched"),
    [
        ("<p>Filed from the harbour office.</p>", False),
        ('<p class="article-byline">Filed by Ana Costa</p>', True),
        ('<span itemprop="author">Ana Costa</span>', True),
        ('<div id="authorBox">Ana Costa</div>', True),
    ],
)
def test_the_byline_search_runs_only_on_pages_with_an_element_it_could_pick(byline_searches, byline, searched):
    tree = lxml.html.document_fromstring(_page(f"<article>{byline}{_html(STORY)}</article>"))
    guessed = guessed_metadata(tree, None, {"author"})
    assert byline_searches == (["Harbour news"] if searched else [])
    assert guessed.author == extract_metadata(tree, date_config=_DATES).author
