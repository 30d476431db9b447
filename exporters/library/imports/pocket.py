"""Pocket's exports: ``ril_export.html`` (Unread and Read Archive lists) and the CSV export
(``title,url,time_added[,cursor],tags,status``, tags ``|``-separated), alone or as a zip of ``part_*.csv``."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

from exporters.library.imports.csvrows import csv_rows, header_of
from exporters.library.imports.items import (
    ImportFormatError,
    ImportItem,
    Skipped,
    checked_url,
    clean_tags,
    read_member,
    unix_time,
    zip_entries,
)
from exporters.pipeline.localfile import MAX_IMPORT_BYTES, read_regular_file
from exporters.text import one_line

__all__ = ["recognise_html", "read_html", "recognise_csv", "read_csv", "recognise_zip", "read_zip"]

_CSV_COLUMNS = {"title", "url", "time_added", "tags", "status"}
_PART = re.compile(r"(^|/)part_\d+\.csv$")


def recognise_html(head: bytes, path: Path) -> bool:
    """A Pocket HTML export: its title, or links carrying ``time_added``."""
    lower = head.lower()
    return b"<title>pocket export</title>" in lower or (b"<a " in lower and b"time_added=" in lower)


def read_html(path: Path, source: str) -> Iterator[ImportItem | Skipped]:
    """Links under the ``Unread`` heading are unread, under ``Read Archive`` archived."""
    import lxml.html

    try:
        root = lxml.html.document_fromstring(read_regular_file(path, MAX_IMPORT_BYTES))
    except (ValueError, lxml.etree.ParserError) as exc:
        raise ImportFormatError(f"not an HTML page ({exc})") from None
    archived = False
    for element in root.iter("h1", "a"):
        if element.tag == "h1":
            archived = "archive" in element.text_content().lower()
            continue
        where = f"line {element.sourceline}"
        try:
            url = checked_url(element.get("href"))
            added = unix_time(element.get("time_added"))
        except ValueError as exc:
            yield Skipped(where, str(exc))
            continue
        tags = clean_tags((element.get("tags") or "").split(","))
        yield ImportItem(url, one_line(element.text_content()), archived=archived, tags=tags, added=added)


def recognise_csv(head: bytes, path: Path) -> bool:
    """A CSV whose header has Pocket's columns (``cursor`` optional)."""
    return _CSV_COLUMNS <= set(header_of(head))


def read_csv(path: Path, source: str) -> Iterator[ImportItem | Skipped]:
    """Rows of one Pocket CSV file."""
    yield from _rows(read_regular_file(path, MAX_IMPORT_BYTES), source, "")


def recognise_zip(names: list[str]) -> bool:
    """A zip holding Pocket's ``part_000000.csv`` files."""
    return any(_PART.search(name) for name in names)


def read_zip(path: Path, source: str) -> Iterator[ImportItem | Skipped]:
    """Rows of every ``part_*.csv`` in the zip, in name order; lines are named with their part."""
    with zipfile.ZipFile(path) as archive:
        entries = zip_entries(archive)
        for info in sorted(archive.infolist(), key=lambda i: i.filename):
            if _PART.search(info.filename):
                yield from _rows(read_member(entries, info), source, f"{info.filename}: ")


def _rows(data: bytes, source: str, prefix: str) -> Iterator[ImportItem | Skipped]:
    for row in csv_rows(data, source):
        if isinstance(row, Skipped):
            yield Skipped(prefix + row.where, row.reason)
            continue
        line, cells = row
        try:
            url = checked_url(cells.get("url"))
            added = unix_time(cells.get("time_added"))
        except ValueError as exc:
            yield Skipped(f"{prefix}line {line}", str(exc))
            continue
        status = cells.get("status", "").strip().lower()
        yield ImportItem(
            url,
            one_line(cells.get("title")),
            archived=status in ("archive", "archived", "read"),
            tags=clean_tags(cells.get("tags", "").split("|")),
            added=added,
        )
