"""Sections of a book: articles grouped by site, publication day or first tag (EPUB nav, PDF outline)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from urllib.parse import urlsplit

from exporters.model import Article, Collection

__all__ = ["GROUPS", "Groups", "default_title", "group_articles", "site_of"]

#: The ways a collection can be grouped; "none" keeps one untitled group.
GROUPS = ("none", "site", "date", "tag")
#: Articles in book order, as (section title or None, articles).
Groups = list[tuple[str | None, list[Article]]]
#: Title of the last section, holding the articles without a site, date or tag.
_LEFTOVERS = {"site": "Other sites", "date": "Undated", "tag": "Untagged"}


def site_of(article: Article) -> str:
    """The article's site name, else its URL's host without ``www.``, else ""."""
    if article.site_name and article.site_name.strip():
        return article.site_name.strip()
    try:
        host = (urlsplit(article.url).hostname or "") if article.url else ""
    except ValueError:
        return ""
    return host.removeprefix("www.")


def group_articles(
    articles: tuple[Article, ...] | list[Article],
    group_by: str,
    date_label: Callable[[datetime], str] = lambda d: d.date().isoformat(),
) -> Groups:
    """Articles as (section title, articles), sections in order of their first article.

    Articles without a site, date or tag come last, in a section of their own; with
    ``group_by="none"`` there is one untitled group. Section titles are never empty.
    """
    if group_by == "none":
        return [(None, list(articles))]
    if group_by not in _LEFTOVERS:
        raise ValueError(f"--group-by must be one of {', '.join(GROUPS)}, not {group_by!r}")
    groups: dict[str, list[Article]] = {}
    leftovers: list[Article] = []
    for article in articles:
        if group_by == "site":
            key = site_of(article)
        elif group_by == "date":
            key = date_label(article.published) if article.published else ""
        else:
            key = next((t.strip() for t in article.tags if t.strip()), "")
        if key:
            groups.setdefault(key, []).append(article)
        else:
            leftovers.append(article)
    result: Groups = list(groups.items())
    if leftovers:
        result.append((_LEFTOVERS[group_by], leftovers))
    return result


def default_title(collection: Collection) -> str:
    """The title of a book made without ``--title``: "Saved articles" and the span of publication days."""
    dates = collection.date_range
    if not dates:
        return "Saved articles"
    first, last = (d.date().isoformat() for d in dates)
    return f"Saved articles, {first}" if first == last else f"Saved articles, {first} – {last}"
