"""Choosing and ordering articles between reading and export: dedupe, date range, tags, sort, limit."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from exporters.model import Article, article_id, body_text, canonical_url

__all__ = ["Selection", "dedupe", "select"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)  # never used: only dated articles are sorted by date

SortKey = Literal["input", "date", "title"]


@dataclass(frozen=True)
class Selection:
    """What the user asked to keep and in which order."""

    since: datetime | None = None
    until: datetime | None = None
    tags: tuple[str, ...] = ()
    #: None: the input order, and each format may use its own (feeds: newest first).
    sort: SortKey | None = None
    reverse: bool = False
    limit: int | None = None


def _title_key(article: Article) -> str:
    # Readers already collapse whitespace inside the model's text, so case is all that is left to fold.
    return " ".join(article.title.lower().split())


def _text_key(article: Article) -> str:
    text = _title_key(article) + "\n" + body_text(article.body).lower()
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class _SameTitle:
    """Text keys of the articles seen with one title, each pointing to the kept article it stands for.

    Same text implies same title, so a body is read only when a second article with its title
    comes: most bodies are never read by dedupe, and a lazily read one (``HtmlBody``) stays unconverted.
    """

    __slots__ = ("keyed", "pending")

    def __init__(self) -> None:
        self.keyed: dict[str, int] = {}
        self.pending: list[tuple[Article, int]] = []  # added before any lookup needed their text

    def __bool__(self) -> bool:
        return bool(self.keyed or self.pending)

    def find(self, key: str) -> int | None:
        for article, index in self.pending:
            self.keyed.setdefault(_text_key(article), index)  # the first article with a text keeps it
        self.pending.clear()
        return self.keyed.get(key)

    def add(self, article: Article, index: int, key: str | None) -> None:
        if key is None:
            self.pending.append((article, index))
        else:
            self.keyed.setdefault(key, index)


def dedupe(articles: Iterable[Article], pairs: list[tuple[Article, int]] | None = None) -> tuple[list[Article], int]:
    """Articles with duplicates (same canonical URL, or same title and text) merged into the first seen.

    The kept article takes fields it lacks (dates, authors, summary, image...) from its duplicates.
    Returns the articles and how many duplicates were merged; ``pairs``, when given, receives each
    duplicate with the index of the kept article it was merged into.
    """
    kept: list[Article] = []
    by_url: dict[str, int] = {}
    by_title: dict[str, _SameTitle] = {}
    merged = 0
    for article in articles:
        url = "url:" + canonical_url(article.url) if article.url else None
        same_title = by_title.setdefault(_title_key(article), _SameTitle())
        hit = by_url.get(url) if url else None
        key = None
        if hit is None and same_title:
            key = _text_key(article)
            hit = same_title.find(key)
        if hit is None:
            hit = len(kept)
            kept.append(article)
        else:
            merged += 1
            kept[hit] = _fill(kept[hit], article)
            if pairs is not None:
                pairs.append((article, hit))
        if url:
            by_url.setdefault(url, hit)
        same_title.add(article, hit, key)  # a duplicate's own URL and text now lead to the article it merged into
    return _with_unique_ids(kept), merged


def _with_unique_ids(articles: list[Article]) -> list[Article]:
    """The articles, a later one whose id an earlier one has taken given an id of its own.

    Two different articles may share an id: feeds from two sites both number their items "1",
    or one feed repeats an id. A feed keeps one entry per id, so the later article would be lost;
    it gets the id its URL, title and text give it (numbered on when even that is taken).
    """
    taken: set[str] = set()
    out = list(articles)
    for n, article in enumerate(articles):
        if article.id in taken:
            derived = new = article_id(article.url, article.title, article.body)
            count = 1
            while new in taken:
                count += 1
                new = f"{derived}-{count}"
            out[n] = article.with_changes(id=new)
        taken.add(out[n].id)
    return out


def _fill(first: Article, other: Article) -> Article:
    changes = {
        name: getattr(other, name)
        for name in (
            "url",
            "authors",
            "published",
            "updated",
            "summary",
            "language",
            "site_name",
            "tags",
            "image",
            "body",
        )
        if not getattr(first, name) and getattr(other, name)
    }
    return first.with_changes(**changes) if changes else first


def select(articles: Iterable[Article], selection: Selection) -> list[Article]:
    """Apply the date range and tags, then sort (stable, undated last) and cut to the limit."""
    wanted_tags = {t.lower() for t in selection.tags}
    chosen = [
        a
        for a in articles
        if (selection.since is None or (a.published is not None and a.published >= selection.since))
        and (selection.until is None or (a.published is not None and a.published <= selection.until))
        and (not wanted_tags or wanted_tags & {t.lower() for t in a.tags})
    ]
    if selection.sort == "date":
        dated = sorted(
            (a for a in chosen if a.published), key=lambda a: a.published or _EPOCH, reverse=selection.reverse
        )
        chosen = dated + [a for a in chosen if not a.published]
    elif selection.sort == "title":
        chosen = sorted(chosen, key=lambda a: a.title.casefold(), reverse=selection.reverse)
    elif selection.reverse:
        chosen.reverse()
    return chosen[: selection.limit] if selection.limit is not None else chosen
