"""Choosing and ordering articles between reading and export: dedupe, date range, tags, sort, limit."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Iterable, Literal

from .model import Article, body_text, canonical_url

__all__ = ["Selection", "dedupe", "select"]

SortKey = Literal["input", "date", "title"]


@dataclass(frozen=True)
class Selection:
    """What the user asked to keep and in which order."""

    since: datetime | None = None
    until: datetime | None = None
    tags: tuple[str, ...] = ()
    sort: SortKey = "input"
    reverse: bool = False
    limit: int | None = None


def _keys(article: Article) -> list[str]:
    keys = []
    if article.url:
        keys.append("url:" + canonical_url(article.url))
    # Readers already collapse whitespace inside the model's text, so case is all that is left to fold.
    text = " ".join(article.title.lower().split()) + "\n" + body_text(article.body).lower()
    keys.append("text:" + hashlib.sha1(text.encode("utf-8")).hexdigest())
    return keys


def dedupe(articles: Iterable[Article]) -> tuple[list[Article], int]:
    """Articles with duplicates (same canonical URL, or same title and text) merged into the first seen.

    The kept article takes fields it lacks (dates, authors, summary, image...) from its duplicates.
    Returns the articles and how many duplicates were merged.
    """
    kept: list[Article] = []
    index: dict[str, int] = {}
    merged = 0
    for article in articles:
        keys = _keys(article)
        hit = next((index[k] for k in keys if k in index), None)
        if hit is None:
            for k in keys:
                index[k] = len(kept)
            kept.append(article)
            continue
        merged += 1
        kept[hit] = _fill(kept[hit], article)
        for k in keys:
            index.setdefault(k, hit)
    return kept, merged


def _fill(first: Article, other: Article) -> Article:
    changes = {
        name: getattr(other, name)
        for name in ("url", "authors", "published", "updated", "summary", "language", "site_name", "tags", "image", "body")
        if not getattr(first, name) and getattr(other, name)
    }
    return first.with_changes(**changes) if changes else first


def select(articles: Iterable[Article], selection: Selection) -> list[Article]:
    """Apply the date range and tags, then sort (stable, undated last) and cut to the limit."""
    wanted_tags = {t.lower() for t in selection.tags}
    chosen = [
        a for a in articles
        if (selection.since is None or (a.published is not None and a.published >= selection.since))
        and (selection.until is None or (a.published is not None and a.published <= selection.until))
        and (not wanted_tags or wanted_tags & {t.lower() for t in a.tags})
    ]
    if selection.sort == "date":
        dated = sorted((a for a in chosen if a.published), key=lambda a: a.published, reverse=selection.reverse)
        chosen = dated + [a for a in chosen if not a.published]
    elif selection.sort == "title":
        chosen = sorted(chosen, key=lambda a: a.title.casefold(), reverse=selection.reverse)
    elif selection.reverse:
        chosen.reverse()
    return chosen[: selection.limit] if selection.limit is not None else chosen
