"""Omnivore's export: a zip of ``metadata_*.json`` lists (``slug, title, url, author, labels, state,
savedAt, publishedAt, ...``) beside ``content/SLUG.html`` pages."""

from __future__ import annotations

import json
import re
import zipfile
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
    read_member,
    zip_entries,
)
from exporters.pipeline.localfile import ZipEntries
from exporters.text import one_line

__all__ = ["recognise", "read"]

_METADATA = re.compile(r"(^|/)metadata_[^/]*\.json$")


def recognise(names: list[str]) -> bool:
    """A zip holding ``metadata_*.json`` files."""
    return any(_METADATA.search(name) for name in names)


def read(path: Path, source: str) -> Iterator[ImportItem | Skipped]:
    """One item per entry of every metadata file; its text from ``content/SLUG.html`` when present."""
    with zipfile.ZipFile(path) as archive:
        entries = zip_entries(archive)
        members = {info.filename: info for info in archive.infolist()}
        for name in sorted(n for n in members if _METADATA.search(n)):
            try:
                doc = json.loads(read_member(entries, members[name]))
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                yield Skipped(name, f"malformed JSON ({exc})")
                continue
            if not isinstance(doc, list):
                yield Skipped(name, "not a JSON list of entries")
                continue
            folder = name.rsplit("/", 1)[0] + "/" if "/" in name else ""
            for number, entry in enumerate(doc, 1):
                where = f"{name}: item {number}"
                if not isinstance(entry, dict):
                    yield Skipped(where, "not a JSON object")
                    continue
                try:
                    yield _item(entry, entries, members, folder, source)
                except (ValueError, TypeError) as exc:
                    yield Skipped(where, str(exc))
                except ImportFormatError as exc:
                    yield Skipped(where, str(exc))


def _item(entry: dict[str, Any], entries: ZipEntries, members: dict, folder: str, source: str) -> ImportItem:
    url = checked_url(entry.get("url"))
    title = one_line(str(entry.get("title") or ""))
    slug = str(entry.get("slug") or "")
    page = members.get(f"{folder}content/{slug}.html") if slug and "/" not in slug else None
    html = read_member(entries, page).decode("utf-8", "replace") if page else ""
    author = entry.get("author")
    article = content_article(
        url=url,
        title=title,
        html=html,
        source=source,
        authors=(str(author),) if isinstance(author, str) and author else (),
        published=any_date(entry.get("publishedAt")),
        summary=str(entry.get("description") or ""),
    )
    return ImportItem(
        url,
        title,
        archived="archiv" in str(entry.get("state") or "").lower(),
        tags=clean_tags(entry.get("labels") or []),
        added=any_date(entry.get("savedAt")),
        article=article,
    )
