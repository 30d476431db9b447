"""CSV exports (Pocket, Instapaper, Readwise): the header that names a format, and rows with their line numbers."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from exporters.library.imports.items import ImportFormatError, Skipped

__all__ = ["header_of", "csv_rows"]

#: A field longer than this is a broken or hostile row (the csv module's own default is 128 KiB).
_FIELD_LIMIT = 1024 * 1024


def header_of(head: bytes) -> tuple[str, ...]:
    """The lower-cased column names on the first line of ``head`` (empty when it is not CSV-like)."""
    first = head.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].strip(b"\r").decode("utf-8", "replace")
    if "," not in first:
        return ()
    try:
        return tuple(name.strip().lower() for name in next(csv.reader([first])))
    except (csv.Error, StopIteration):
        return ()


def csv_rows(data: bytes, source: str) -> Iterator[tuple[int, dict[str, str]] | Skipped]:
    """Each row as (first line number, {lower-cased column: value}); a malformed row is a :class:`Skipped`."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFormatError(f"not valid UTF-8 (byte {exc.start})") from None
    csv.field_size_limit(_FIELD_LIMIT)
    reader = csv.reader(io.StringIO(text.replace("\x00", "")))
    try:
        header = [name.strip().lower() for name in next(reader)]
    except (StopIteration, csv.Error):
        raise ImportFormatError("no CSV header") from None
    line = reader.line_num
    while True:
        start = line + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            line = reader.line_num
            yield Skipped(f"line {start}", f"malformed CSV ({exc})")
            continue
        line = reader.line_num
        if not row or not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            yield Skipped(f"line {start}", f"{len(row)} fields, the header has {len(header)}")
            continue
        yield start, dict(zip(header, row)) | {name: "" for name in header[len(row) :]}
