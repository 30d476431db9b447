"""Readwise Reader's CSV export: ``Title,URL,ID,Document tags,Saved date,Reading progress,Location,Seen``.

Location ``archive`` is archived, ``shortlist`` starred; rows of the ``feed`` location are feed
items the user never saved, and are skipped. Document tags look like a Python list.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from exporters.library.imports.csvrows import csv_rows, header_of
from exporters.library.imports.items import ImportItem, Skipped, any_date, checked_url, clean_tags
from exporters.pipeline.localfile import MAX_IMPORT_BYTES, read_regular_file
from exporters.text import one_line

__all__ = ["recognise", "read"]

_COLUMNS = {"title", "url", "document tags", "saved date", "location"}


def recognise(head: bytes, path: Path) -> bool:
    """A CSV whose header has Reader's columns."""
    return _COLUMNS <= set(header_of(head))


def read(path: Path, source: str) -> Iterator[ImportItem | Skipped]:
    """One item per saved row."""
    for row in csv_rows(read_regular_file(path, MAX_IMPORT_BYTES), source):
        if isinstance(row, Skipped):
            yield row
            continue
        line, cells = row
        location = cells.get("location", "").strip().lower()
        if location == "feed":
            yield Skipped(f"line {line}", "a feed item, not a saved document", malformed=False)
            continue
        try:
            url = checked_url(cells.get("url"))
            added = any_date(cells.get("saved date"))
            tags = _tags(cells.get("document tags", ""))
        except ValueError as exc:
            yield Skipped(f"line {line}", str(exc))
            continue
        yield ImportItem(
            url,
            one_line(cells.get("title")),
            archived=location == "archive",
            starred=location == "shortlist",
            tags=clean_tags(tags),
            added=added,
        )


def _tags(text: str) -> list[str]:
    text = text.strip()
    if not text:
        return []
    if text.startswith("["):
        try:
            value = ast.literal_eval(text)  # literals only: never evaluates code
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            raise ValueError(f"Document tags is not a list: {text[:60]!r}") from None
        if not isinstance(value, list):
            raise ValueError(f"Document tags is not a list: {text[:60]!r}")
        return value
    return text.split(",")
