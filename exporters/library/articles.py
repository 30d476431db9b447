"""The library: articles saved once by canonical URL, with their state, tags, images and where they were sent."""

from __future__ import annotations

import hashlib
import sqlite3
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from os import PathLike
from pathlib import Path
from typing import Literal

from exporters.library.query import Query, order_clause, where_clause
from exporters.library.records import (
    from_iso,
    host_of,
    iso,
    library_id,
    pack,
    pack_bytes,
    search_row,
    unpack,
)
from exporters.library.store import LibraryError, connect, library_path, write
from exporters.model import Article, Asset, canonical_url

__all__ = ["Library", "StoredArticle", "Saved", "open_library", "SHORT_ID"]

#: Hex digits shown for an id; more where two articles share them.
SHORT_ID = 8
_COLUMNS = (
    "a.rowid, a.id, a.url, a.title, a.site, a.published, a.added, a.read_at, a.archived_at, a.state, a.starred,"
    " a.origin, a.fetched, (SELECT group_concat(tag, char(31)) FROM (SELECT tag FROM tags WHERE article = a.rowid"
    " ORDER BY tag COLLATE NOCASE))"
)


@dataclass(frozen=True)
class StoredArticle:
    """What the library knows of an article besides its content (load that with :meth:`Library.article`)."""

    id: str
    url: str | None
    title: str
    site: str | None
    published: datetime | None
    added: datetime
    read_at: datetime | None
    archived_at: datetime | None
    state: Literal["unread", "archived"]
    starred: bool
    origin: str
    #: False while only a URL and title are known (an import not fetched yet).
    fetched: bool
    tags: tuple[str, ...]
    rowid: int = 0


@dataclass(frozen=True)
class Saved:
    """The outcome of saving one article: its id and whether it was new."""

    id: str
    status: Literal["added", "updated"]


def open_library(path: str | PathLike[str] | None = None, *, clock=None) -> Library:
    """Open (creating when missing) the library at ``path``, ``$NEWSEXPORT_LIBRARY`` or the default place.

    ``clock`` returns the current time (for tests and reproducible runs). Raises
    :class:`LibraryError` naming the file when it is not a newsexport library.
    """
    return Library(library_path(path), clock=clock)


class Library:
    """An open library; use as a context manager or call :meth:`close`. Every change is one transaction."""

    def __init__(self, path: Path, *, clock=None) -> None:
        self.path = path
        self.conn: sqlite3.Connection = connect(path)
        self._clock = clock or (lambda: datetime.now(UTC))

    def close(self) -> None:
        """Close the connection (the WAL is checkpointed by SQLite when the last one closes)."""
        self.conn.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def now(self) -> datetime:
        """The library's clock."""
        return self._clock()

    # -- saving --------------------------------------------------------------------------------------
    def save(
        self,
        article: Article,
        *,
        html: bytes | None = None,
        assets: Mapping[str, Asset] | None = None,
        tags: Iterable[str] = (),
        starred: bool | None = None,
        archived: bool | None = None,
        added: datetime | None = None,
        origin: str = "",
        fetched: bool = True,
        key: str | None = None,
    ) -> Saved:
        """Save ``article``, or update the one with the same canonical URL, in one transaction.

        An update keeps the state, tags and added time unless told otherwise (``tags`` are added
        to the stored ones); an article that is only a URL and title (``fetched=False``) never
        replaces text already stored. ``html`` is the original page, ``assets`` its images by ``src``;
        ``key`` saves over that stored article (its text fetched or extracted again).
        """
        key = key or library_id(article)
        now = self.now()
        # The CPU work (converting, packing, the index text) before taking the write lock.
        packed, text, packed_html = pack(article), search_row(article), pack_bytes(html) if html else None
        with write(self.conn) as conn:
            row = conn.execute("SELECT rowid, fetched, state FROM articles WHERE id = ?", (key,)).fetchone()
            indexed = True
            state = None if archived is None else ("archived" if archived else "unread")
            if row is None:
                status: Literal["added", "updated"] = "added"
                state = state or "unread"
                cursor = conn.execute(
                    "INSERT INTO articles (id, url, host, title, site, published, added, read_at, archived_at, state,"
                    " starred, origin, fetched, article, html) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        key,
                        canonical_url(article.url) if article.url else None,
                        host_of(article.url),
                        article.title,
                        article.site_name,
                        iso(article.published),
                        iso(added or now),
                        iso(now) if state == "archived" else None,
                        iso(now) if state == "archived" else None,
                        state,
                        int(bool(starred)),
                        origin,
                        int(fetched),
                        packed,
                        packed_html,
                    ),
                )
                rowid = int(cursor.lastrowid or 0)
            else:
                status = "updated"
                rowid, was_fetched = row[0], row[1]
                indexed = fetched or not was_fetched
                if indexed:
                    conn.execute("DELETE FROM search WHERE rowid = ?", (rowid,))
                    conn.execute(
                        "UPDATE articles SET title = ?, site = ?, published = ?, host = ?, fetched = ?, article = ?,"
                        " html = coalesce(?, html) WHERE rowid = ?",
                        (
                            article.title,
                            article.site_name,
                            iso(article.published),
                            host_of(article.url),
                            int(fetched),
                            packed,
                            packed_html,
                            rowid,
                        ),
                    )
                if state is not None and state != row[2]:
                    self._set_state(rowid, state, now)
                if starred is not None:
                    conn.execute("UPDATE articles SET starred = ? WHERE rowid = ?", (int(starred), rowid))
            if indexed:
                conn.execute(
                    "INSERT INTO search (rowid, title, authors, site, body) VALUES (?, ?, ?, ?, ?)",
                    (rowid, *text),
                )
            conn.executemany(
                "INSERT OR IGNORE INTO tags (article, tag) VALUES (?, ?)",
                [(rowid, t.strip()) for t in (*article.tags, *tags) if t.strip()],
            )
            for src, asset in (assets or {}).items():
                self._store_image(rowid, src, asset)
        return Saved(key, status)

    def _store_image(self, rowid: int, src: str, asset: Asset) -> None:
        digest = hashlib.sha256(asset.data).hexdigest()
        self.conn.execute(
            "INSERT OR IGNORE INTO blobs (sha256, media_type, width, height, data) VALUES (?, ?, ?, ?, ?)",
            (digest, asset.media_type, asset.width, asset.height, asset.data),
        )
        self.conn.execute("INSERT OR REPLACE INTO images (article, src, blob) VALUES (?, ?, ?)", (rowid, src, digest))

    def _set_state(self, rowid: int, state: str, now: datetime) -> None:
        if state == "archived":
            self.conn.execute(
                "UPDATE articles SET state = 'archived', archived_at = ?, read_at = coalesce(read_at, ?)"
                " WHERE rowid = ? AND state != 'archived'",
                (iso(now), iso(now), rowid),
            )
        else:
            self.conn.execute(
                "UPDATE articles SET state = 'unread', archived_at = NULL WHERE rowid = ? AND state != 'unread'",
                (rowid,),
            )

    # -- finding -------------------------------------------------------------------------------------
    def resolve(self, refs: Iterable[str]) -> list[str]:
        """Full ids for ids, unique id prefixes (4 hex digits or more) or saved URLs; an unknown one raises."""
        found = []
        for ref in refs:
            text = ref.strip().lower().removeprefix("urn:newsexport:")
            if text.startswith(("http://", "https://")):
                ids = [key] if (key := self.id_for_url(ref)) else []
            elif len(text) >= 4 and all(c in "0123456789abcdef" for c in text):
                rows = self.conn.execute(
                    "SELECT id FROM articles WHERE id >= ? AND id < ? ORDER BY id LIMIT 3", (text, text + "g")
                ).fetchall()
                ids = [r[0] for r in rows]
            else:
                raise LibraryError(f"{ref}: not an article id (give at least 4 hex digits of one, or its URL)")
            if not ids:
                raise LibraryError(f"{ref}: no such article in the library")
            if len(ids) > 1:
                raise LibraryError(
                    f"{ref}: ambiguous id (matches {', '.join(i[:12] for i in ids)}...): give more digits"
                )
            found.append(ids[0])
        return found

    def id_for_url(self, url: str) -> str | None:
        """The id of the article saved from ``url`` (compared canonically), or None."""
        key = library_id(Article(id="", title="-", url=url.strip()))
        return key if self.conn.execute("SELECT 1 FROM articles WHERE id = ?", (key,)).fetchone() else None

    def find(self, query: Query = Query()) -> list[StoredArticle]:
        """The articles matching ``query``, in its order."""
        where, params = where_clause(query)
        sql = f"SELECT {_COLUMNS} FROM articles AS a WHERE {where} {order_clause(query)}"
        if query.limit is not None:
            sql += " LIMIT ?"
            params.append(query.limit)
        return [_stored(row) for row in self.conn.execute(sql, params)]

    def unfetched(self) -> list[StoredArticle]:
        """Articles whose text was never fetched (imported links), oldest first."""
        rows = self.conn.execute(f"SELECT {_COLUMNS} FROM articles AS a WHERE NOT a.fetched ORDER BY a.added, a.rowid")
        return [_stored(row) for row in rows]

    def get(self, ref: str) -> StoredArticle:
        """One article by id, id prefix or URL."""
        key = self.resolve([ref])[0]
        return _stored(self.conn.execute(f"SELECT {_COLUMNS} FROM articles AS a WHERE a.id = ?", (key,)).fetchone())

    def article(self, stored: StoredArticle) -> Article:
        """The article itself, with the library's tags."""
        packed = self.conn.execute("SELECT article FROM articles WHERE id = ?", (stored.id,)).fetchone()[0]
        return unpack(packed, f"library:{stored.id[:SHORT_ID]}").with_changes(tags=stored.tags)

    def articles(self, stored: Sequence[StoredArticle]) -> list[Article]:
        """The articles themselves, in order, with the library's tags."""
        return [self.article(s) for s in stored]

    def original_html(self, stored: StoredArticle) -> bytes | None:
        """The page the article was extracted from, when it was kept."""
        row = self.conn.execute("SELECT html FROM articles WHERE id = ?", (stored.id,)).fetchone()
        return zlib.decompress(row[0]) if row and row[0] else None

    def assets(self, stored: Iterable[StoredArticle]) -> dict[str, Asset]:
        """The stored images of these articles, by ``src``: what an export embeds without the network."""
        out: dict[str, Asset] = {}
        for item in stored:
            for src, media_type, width, height, data in self.conn.execute(
                "SELECT i.src, b.media_type, b.width, b.height, b.data FROM images AS i JOIN blobs AS b"
                " ON b.sha256 = i.blob WHERE i.article = ?",
                (item.rowid,),
            ):
                out.setdefault(src, Asset(src, media_type, data, width, height))
        return out

    def short_ids(self, ids: Iterable[str]) -> dict[str, str]:
        """The shortest display of each id (at least :data:`SHORT_ID` digits) that no other article shares."""
        out = {}
        for key in ids:
            length = SHORT_ID
            for (other,) in self.conn.execute(
                "SELECT id FROM articles WHERE id >= ? AND id < ? AND id != ?",
                (key[:SHORT_ID], key[:SHORT_ID] + "g", key),
            ):
                common = next((n for n, (x, y) in enumerate(zip(key, other)) if x != y), len(key))
                length = max(length, common + 1)
            out[key] = key[:length]
        return out

    def sent(self, stored: StoredArticle) -> list[tuple[str, datetime]]:
        """Where an article was sent and when, oldest first."""
        rows = self.conn.execute(
            "SELECT destination, sent_at FROM deliveries WHERE article = ? ORDER BY sent_at, destination",
            (stored.rowid,),
        )
        return [(d, from_iso(t)) for d, t in rows]  # type: ignore[misc]

    # -- marking -------------------------------------------------------------------------------------
    def set_state(self, ids: Iterable[str], *, archived: bool) -> int:
        """Archive (or unarchive) the articles, in one transaction; returns how many changed."""
        now = self.now()
        with write(self.conn):
            before = self.conn.total_changes
            for rowid in self._rowids(ids):
                self._set_state(rowid, "archived" if archived else "unread", now)
            return self.conn.total_changes - before

    def set_starred(self, ids: Iterable[str], starred: bool) -> int:
        """Star (or unstar) the articles; returns how many changed."""
        with write(self.conn):
            before = self.conn.total_changes
            for rowid in self._rowids(ids):
                self.conn.execute(
                    "UPDATE articles SET starred = ? WHERE rowid = ? AND starred != ?",
                    (int(starred), rowid, int(starred)),
                )
            return self.conn.total_changes - before

    def tag(self, ids: Iterable[str], add: Iterable[str] = (), remove: Iterable[str] = ()) -> None:
        """Add and remove tags on the articles, in one transaction."""
        add, remove = [t.strip() for t in add if t.strip()], [t.strip() for t in remove]
        with write(self.conn):
            for rowid in self._rowids(ids):
                self.conn.executemany("DELETE FROM tags WHERE article = ? AND tag = ?", [(rowid, t) for t in remove])
                self.conn.executemany(
                    "INSERT OR IGNORE INTO tags (article, tag) VALUES (?, ?)", [(rowid, t) for t in add]
                )

    def remove(self, ids: Iterable[str]) -> int:
        """Delete the articles (their tags, deliveries and unshared images with them); returns how many."""
        with write(self.conn):
            rowids = self._rowids(ids)
            for rowid in rowids:
                self.conn.execute("DELETE FROM search WHERE rowid = ?", (rowid,))
                self.conn.execute("DELETE FROM articles WHERE rowid = ?", (rowid,))
            self.conn.execute("DELETE FROM blobs WHERE sha256 NOT IN (SELECT blob FROM images)")
            return len(rowids)

    def mark_sent(self, ids: Iterable[str], destination: str, when: datetime | None = None) -> None:
        """Record that ``destination`` received the articles (one transaction for all of them)."""
        moment = iso(when or self.now())
        with write(self.conn):
            self.conn.executemany(
                "INSERT OR REPLACE INTO deliveries (article, destination, sent_at) VALUES (?, ?, ?)",
                [(rowid, destination, moment) for rowid in self._rowids(ids)],
            )

    def _rowids(self, ids: Iterable[str]) -> list[int]:
        out = []
        for key in ids:
            row = self.conn.execute("SELECT rowid FROM articles WHERE id = ?", (key,)).fetchone()
            if row is None:
                raise LibraryError(f"{key}: no such article in the library")
            out.append(row[0])
        return out

    # -- summary -------------------------------------------------------------------------------------
    def stats(self) -> dict[str, object]:
        """Counts by state, stars, unfetched, tags and destinations, image blobs, and the file's size."""
        one = self.conn.execute
        by_state = dict(one("SELECT state, count(*) FROM articles GROUP BY state").fetchall())
        return {
            "path": str(self.path),
            "articles": one("SELECT count(*) FROM articles").fetchone()[0],
            "unread": by_state.get("unread", 0),
            "archived": by_state.get("archived", 0),
            "starred": one("SELECT count(*) FROM articles WHERE starred").fetchone()[0],
            "not_fetched": one("SELECT count(*) FROM articles WHERE NOT fetched").fetchone()[0],
            "with_html": one("SELECT count(*) FROM articles WHERE html IS NOT NULL").fetchone()[0],
            "tags": dict(one("SELECT tag, count(*) FROM tags GROUP BY tag ORDER BY count(*) DESC, tag").fetchall()),
            "sent_to": dict(
                one("SELECT destination, count(*) FROM deliveries GROUP BY destination ORDER BY destination").fetchall()
            ),
            "images": one("SELECT count(*) FROM blobs").fetchone()[0],
            "image_bytes": one("SELECT coalesce(sum(length(data)), 0) FROM blobs").fetchone()[0],
            "bytes": self.path.stat().st_size,
        }


def _stored(row: tuple) -> StoredArticle:
    return StoredArticle(
        rowid=row[0],
        id=row[1],
        url=row[2],
        title=row[3],
        site=row[4],
        published=from_iso(row[5]),
        added=from_iso(row[6]),  # type: ignore[arg-type]
        read_at=from_iso(row[7]),
        archived_at=from_iso(row[8]),
        state=row[9],
        starred=bool(row[10]),
        origin=row[11],
        fetched=bool(row[12]),
        tags=tuple(row[13].split("\x1f")) if row[13] else (),
    )
