"""wallabag's JSON export: a list of entries (``title, url, content, is_archived, is_starred, tags,
published_by, created_at, published_at, language, domain_name, preview_picture, ...``) with their text."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from exporters.library.imports.items import (
    ImportFormatError,
    ImportItem,
    Skipped,
    any_date,
    checked_url,
    clean_tags,
    content_article,
)
from exporters.pipeline.localfile import MAX_IMPORT_BYTES, read_regular_file
from exporters.text import one_line

__all__ = ["recognise", "read", "is_wallabag"]


def recognise(head: bytes, path: Path) -> bool:
    """A JSON list whose entries carry wallabag's ``is_archived``."""
    return head.lstrip()[:1] == b"[" and b'"is_archived"' in head


def is_wallabag(doc: Any) -> bool:
    """Whether parsed JSON is a wallabag export."""
    return isinstance(doc, list) and bool(doc) and isinstance(doc[0], dict) and "is_archived" in doc[0]


def read(path: Path, source: str) -> Iterator[ImportItem | Skipped]:
    """One item per entry, with its content sanitised into the article's body."""
    try:
        doc = json.loads(read_regular_file(path, MAX_IMPORT_BYTES))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ImportFormatError(f"malformed JSON ({exc})") from None
    except ValueError:  # the only other one: an integer over Python's limit of digits for int()
        raise ImportFormatError("number too long") from None
    except RecursionError:
        raise ImportFormatError("nested too deeply") from None
    if not isinstance(doc, list):
        raise ImportFormatError("a wallabag export is a JSON list of entries")
    for number, entry in enumerate(doc, 1):
        where = f"item {number}"
        if not isinstance(entry, dict):
            yield Skipped(where, "not a JSON object")
            continue
        try:
            yield _item(entry, source)
        except (ValueError, TypeError) as exc:
            yield Skipped(where, str(exc))


def _item(entry: dict[str, Any], source: str) -> ImportItem:
    url = checked_url(entry.get("url"))
    title = one_line(str(entry.get("title") or ""))
    authors = entry.get("published_by") or ()
    article = content_article(
        url=url,
        title=title,
        html=str(entry.get("content") or ""),
        source=source,
        authors=tuple(str(a) for a in authors) if isinstance(authors, list) else (),
        published=any_date(entry.get("published_at")),
        language=str(entry.get("language") or "") or None,
        site_name=str(entry.get("domain_name") or "") or None,
    )
    return ImportItem(
        url,
        title,
        archived=bool(entry.get("is_archived")),
        starred=bool(entry.get("is_starred")),
        tags=clean_tags(entry.get("tags") or []),
        added=any_date(entry.get("created_at")),
        article=article,
    )
