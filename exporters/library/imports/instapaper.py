"""Instapaper's CSV export: ``URL,Title,Selection,Folder[,Timestamp,Tags]``.

Folder ``Unread`` is unread, ``Archive`` archived, ``Starred`` starred (and unread); any other
folder is a user folder and becomes a tag. Tags are a JSON array.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from exporters.library.imports.csvrows import csv_rows, header_of
from exporters.library.imports.items import ImportItem, Skipped, checked_url, clean_tags, unix_time
from exporters.pipeline.localfile import MAX_IMPORT_BYTES, read_regular_file
from exporters.text import one_line

__all__ = ["recognise", "read"]


def recognise(head: bytes, path: Path) -> bool:
    """A CSV starting ``URL,Title,Selection,Folder``."""
    return header_of(head)[:4] == ("url", "title", "selection", "folder")


def read(path: Path, source: str) -> Iterator[ImportItem | Skipped]:
    """One item per row."""
    for row in csv_rows(read_regular_file(path, MAX_IMPORT_BYTES), source):
        if isinstance(row, Skipped):
            yield row
            continue
        line, cells = row
        try:
            url = checked_url(cells.get("url"))
            added = unix_time(cells.get("timestamp"))
            tags = list(_tags(cells.get("tags", "")))
        except ValueError as exc:
            yield Skipped(f"line {line}", str(exc))
            continue
        folder = one_line(cells.get("folder"))
        if folder and folder.lower() not in ("unread", "archive", "starred"):
            tags.append(folder)
        yield ImportItem(
            url,
            one_line(cells.get("title")),
            archived=folder.lower() == "archive",
            starred=folder.lower() == "starred",
            tags=clean_tags(tags),
            added=added,
        )


def _tags(text: str) -> list[str]:
    if not text.strip():
        return []
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        raise ValueError(f"Tags is not a JSON array: {text[:60]!r}") from None
    if not isinstance(value, list):
        raise ValueError(f"Tags is not a JSON array: {text[:60]!r}")
    return value
