"""newsexport's own JSON and JSONL (``inspect --json``, or any JSON the readers take): articles with their text."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from exporters.library.imports.items import ImportItem, Skipped
from exporters.model import ArticleError
from exporters.pipeline.localfile import MAX_IMPORT_BYTES, open_regular_file

__all__ = ["recognise", "read"]


def recognise(head: bytes, path: Path) -> bool:
    """JSON or JSON Lines: an object or list first."""
    return head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"[")


def read(path: Path, source: str) -> Iterator[ImportItem | Skipped]:
    """Every article the JSON readers find; articles without a URL are kept under their own id."""
    from exporters.readers.json import JsonLinesReader, JsonReader

    with open_regular_file(path, MAX_IMPORT_BYTES) as file:
        head = file.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    lines = path.suffix.lower() in (".jsonl", ".ndjson") or (head[:1] == b"{" and b"\n{" in head)
    reader = JsonLinesReader() if lines else JsonReader()
    try:
        articles = reader.read_path(path, source)
    except ArticleError as exc:
        yield Skipped("file", str(exc).removeprefix(f"{source}: "))
        return
    for article in articles:
        body = article.body if isinstance(article.body, tuple) else tuple(article.body)
        yield ImportItem(article.url or "", article.title, tags=article.tags, article=article.with_changes(body=body))
