"""Choosing articles in the library: state, stars, tags, site, dates, full-text search, what a destination lacks.

Every value reaches SQLite as a parameter; the user's search words are quoted for FTS5, so no
input can be a query syntax error.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from exporters.library.records import iso

__all__ = ["Query", "State", "SortKey", "fts_query", "where_clause"]

State = Literal["unread", "archived", "any"]
SortKey = Literal["added", "published", "title"]


@dataclass(frozen=True)
class Query:
    """Which articles to take from the library, and in which order."""

    #: ``unread`` (not archived), ``archived`` or ``any``.
    state: State = "unread"
    #: True: starred only; False: not starred; None: either.
    starred: bool | None = None
    #: Any of these tags (case-insensitive); empty: any article.
    tags: tuple[str, ...] = ()
    #: A site name or host (``example.org`` also matches ``news.example.org``).
    site: str | None = None
    #: Published on or after / on or before (articles without a date are left out when either is set).
    since: datetime | None = None
    until: datetime | None = None
    #: Words to find in title, authors, site and text: every word must occur; ``word*`` matches a prefix.
    search: str | None = None
    #: Only articles never sent to this destination.
    not_sent_to: str | None = None
    sort: SortKey = "added"
    newest_first: bool = True
    limit: int | None = None


def fts_query(text: str) -> str:
    """The user's words as an FTS5 query: each word quoted (a trailing ``*`` kept as a prefix search), all required."""
    terms = []
    for word in text.split():
        prefix = word.endswith("*") and len(word.rstrip("*")) > 0
        word = word.rstrip("*") if prefix else word
        terms.append('"' + word.replace('"', '""') + '"' + ("*" if prefix else ""))
    return " ".join(terms)


def where_clause(query: Query) -> tuple[str, list[Any]]:
    """The SQL condition on ``articles AS a`` for ``query``, with its parameters in order."""
    conditions: list[str] = []
    params: list[Any] = []
    if query.state != "any":
        conditions.append("a.state = ?")
        params.append(query.state)
    if query.starred is not None:
        conditions.append("a.starred = ?")
        params.append(int(query.starred))
    if query.tags:
        marks = ", ".join("?" for _ in query.tags)
        conditions.append(f"a.rowid IN (SELECT article FROM tags WHERE tag IN ({marks}))")
        params.extend(query.tags)
    if query.site:
        site = query.site.strip().lower().removeprefix("www.")
        conditions.append("(lower(a.site) = ? OR a.host = ? OR a.host LIKE ? ESCAPE '\\')")
        params.extend([site, site, "%." + site.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")])
    if query.since:
        conditions.append("a.published >= ?")
        params.append(iso(query.since))
    if query.until:
        conditions.append("a.published <= ?")
        params.append(iso(query.until))
    if query.search and query.search.strip():
        conditions.append("a.rowid IN (SELECT rowid FROM search WHERE search MATCH ?)")
        params.append(fts_query(query.search))
    if query.not_sent_to:
        conditions.append("a.rowid NOT IN (SELECT article FROM deliveries WHERE destination = ?)")
        params.append(query.not_sent_to)
    return (" AND ".join(conditions) or "1"), params


def order_clause(query: Query) -> str:
    """ORDER BY for the query's sort (undated articles last when sorting by date; ties by when they were added)."""
    direction = "DESC" if query.newest_first else "ASC"
    if query.sort == "published":
        return f"ORDER BY a.published IS NULL, a.published {direction}, a.rowid {direction}"
    if query.sort == "title":
        return f"ORDER BY a.title COLLATE NOCASE {direction}, a.rowid"
    return f"ORDER BY a.added {direction}, a.rowid {direction}"
