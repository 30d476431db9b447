"""What every import format gives: one :class:`ImportItem` per saved link, or a :class:`Skipped` naming the row.

Import files are hostile input: URLs are checked, text is cleaned to one line, HTML content goes
through the same sanitiser as any page, and a bad row is skipped with its line number.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from exporters.html.blocks import blocks_from_html
from exporters.model import Article, article_id
from exporters.pipeline.dates import parse_date
from exporters.pipeline.localfile import EntryTooLarge, ZipEntries
from exporters.text import one_line

__all__ = [
    "ImportItem",
    "Skipped",
    "ImportFormatError",
    "checked_url",
    "unix_time",
    "any_date",
    "clean_tags",
    "content_article",
    "read_member",
    "zip_entries",
    "MAX_MEMBER_BYTES",
]

#: A zip member bigger than this (uncompressed) is refused: an export is text, a bomb is not.
MAX_MEMBER_BYTES = 200 * 1024 * 1024
#: A zip whose members come to more than this (uncompressed, as they declare it) is refused before any is read.
MAX_ARCHIVE_BYTES = 1024 * 1024 * 1024


class ImportFormatError(ValueError):
    """The whole file cannot be imported (wrong structure, unreadable archive); the message says why."""


@dataclass(frozen=True)
class ImportItem:
    """One saved link: URL and title, read state, star, tags, when it was saved, and its text when the export had it."""

    url: str
    title: str = ""
    #: None when the export does not say (bookmarks): an update then keeps the stored state.
    archived: bool | None = None
    starred: bool | None = None
    tags: tuple[str, ...] = ()
    added: datetime | None = None
    #: The article with its text (wallabag, Omnivore, newsexport JSON); None when only the link is known.
    article: Article | None = None

    def to_article(self, source: str) -> Article:
        """The article to store: the one with text, else a title-only article to fetch later."""
        if self.article is not None:
            return self.article
        title = self.title or self.url
        return Article(id=article_id(self.url, title), title=title, url=self.url, source=source)


@dataclass(frozen=True)
class Skipped:
    """A row that was not imported: where it is (``line 7``, ``item 3``) and why."""

    where: str
    reason: str
    #: False for rows left out by design (Readwise feed items): counted, not warned about.
    malformed: bool = True


def checked_url(value: object) -> str:
    """An absolute http(s) URL with a host, or ValueError saying what is wrong with ``value``."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError("no URL")
    url = value.strip()
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- raises ValueError for a port that is not a number of 0-65535
    except ValueError:
        raise ValueError(f"not a URL: {url[:200]!r}") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or any(c.isspace() for c in url):
        raise ValueError(f"not an http(s) URL: {url[:200]!r}")
    return url


def unix_time(value: object) -> datetime | None:
    """Seconds since 1970 (as text or a number) as a UTC time; empty is None, anything else ValueError."""
    if value in (None, ""):
        return None
    try:
        return datetime.fromtimestamp(int(str(value).strip()), tz=UTC)
    except (ValueError, OverflowError, OSError):
        raise ValueError(f"not a Unix time: {str(value)[:40]!r}") from None


def any_date(value: object) -> datetime | None:
    """An ISO 8601 / RFC 822 date or Unix seconds, timezone-aware; empty is None, anything else ValueError."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    if text.isdigit():
        return unix_time(text)
    return parse_date(text)


def clean_tags(values: object) -> tuple[str, ...]:
    """Tags as one-line strings, without blanks and duplicates (first spelling kept)."""
    seen: dict[str, str] = {}
    for value in values if isinstance(values, list | tuple) else ():
        if isinstance(value, dict):  # wallabag and Omnivore give {"label": ...} / {"name": ...} objects
            value = value.get("label") or value.get("name") or value.get("slug")
        tag = one_line(str(value)) if isinstance(value, str | int) else ""
        if tag:
            seen.setdefault(tag.casefold(), tag)
    return tuple(seen.values())


def content_article(
    *,
    url: str,
    title: str,
    html: str,
    source: str,
    authors: tuple[str, ...] = (),
    published: datetime | None = None,
    language: str | None = None,
    site_name: str | None = None,
    summary: str = "",
) -> Article | None:
    """An article from exported HTML content, sanitised like any page; None when the content has no text."""
    body = blocks_from_html(html, url) if html and html.strip() else ()
    if not body:
        return None
    title = one_line(title) or url
    return Article(
        id=article_id(url, title),
        title=title,
        body=body,
        url=url,
        authors=tuple(a for a in (one_line(x) for x in authors) if a),
        published=published,
        language=one_line(language) or None,
        site_name=one_line(site_name) or None,
        summary=one_line(summary),
        source=source,
    )


class ArchiveTooLarge(Exception):
    """A zip that inflates past :data:`MAX_ARCHIVE_BYTES`: the whole import is refused, not one item skipped."""


def zip_entries(archive: zipfile.ZipFile) -> ZipEntries:
    """The reader of an export's zip members, each at most :data:`MAX_MEMBER_BYTES`, all :data:`MAX_ARCHIVE_BYTES`."""
    return ZipEntries(archive, MAX_MEMBER_BYTES, MAX_ARCHIVE_BYTES)


def read_member(entries: ZipEntries, info: zipfile.ZipInfo) -> bytes:
    """One zip member's bytes; refused when it, or what the import inflated of the zip, is over the limits.

    An archive may name one big member from many entries: what is read counts, not what it declares.
    """
    try:
        return entries.read(info)
    except EntryTooLarge as exc:
        if exc.in_all:
            raise ArchiveTooLarge(f"{exc.name}: over {exc.limit:,} bytes uncompressed read in all") from None
        if exc.size is not None:
            raise ImportFormatError(f"{exc.name}: {exc.size:,} bytes uncompressed, over the limit") from None
        raise ImportFormatError(f"{exc.name}: over {exc.limit:,} bytes uncompressed") from None
    except RuntimeError as exc:  # an encrypted member: zipfile asks for a password
        raise ImportFormatError(f"{info.filename}: {exc}") from None
    except NotImplementedError as exc:  # a compression method zipfile lacks (Deflate64, PPMd...)
        raise ImportFormatError(f"{info.filename}: {exc}") from None
