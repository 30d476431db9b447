"""Netscape bookmark files (every browser exports them): each folder on a link's path becomes a tag,
with the link's own ``TAGS``; ``ADD_DATE`` is when it was saved."""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

from exporters.library.imports.items import ImportItem, Skipped, checked_url, clean_tags, unix_time
from exporters.pipeline.localfile import MAX_IMPORT_BYTES, read_regular_file
from exporters.text import one_line

__all__ = ["recognise", "read"]


def recognise(head: bytes, path: Path) -> bool:
    """The Netscape bookmark file doctype."""
    return b"netscape-bookmark-file" in head[:2048].lower()


def read(path: Path, source: str) -> Iterator[ImportItem | Skipped]:
    """One item per ``<A HREF>``, in file order."""
    parser = _Bookmarks()
    parser.feed(read_regular_file(path, MAX_IMPORT_BYTES).decode("utf-8", "replace"))
    parser.close()
    yield from parser.found


class _Bookmarks(HTMLParser):
    """Tracks the folder path: an ``<H3>`` names the folder whose ``<DL>`` follows it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.folders: list[str] = []
        self.pending_folder: str | None = None
        self.text: list[str] | None = None
        self.link: tuple[int, dict[str, str | None]] | None = None
        self.found: list[ImportItem | Skipped] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "dl":
            self.folders.append(self.pending_folder or "")
            self.pending_folder = None
        elif tag in ("h3", "a"):
            self.text = []
            self.link = (self.getpos()[0], dict(attrs)) if tag == "a" else None

    def handle_endtag(self, tag: str) -> None:
        if tag == "dl" and self.folders:
            self.folders.pop()
        elif tag == "h3" and self.text is not None:
            self.pending_folder = one_line("".join(self.text))
            self.text = None
        elif tag == "a" and self.link is not None:
            self._add_link(*self.link, one_line("".join(self.text or [])))
            self.link = self.text = None

    def handle_data(self, data: str) -> None:
        if self.text is not None:
            self.text.append(data)

    def _add_link(self, line: int, attrs: dict[str, str | None], title: str) -> None:
        href = attrs.get("href") or ""
        if href.lower().startswith(("place:", "javascript:", "about:", "chrome:", "file:", "data:")):
            self.found.append(Skipped(f"line {line}", f"not a web page ({href.split(':')[0]}: link)"))
            return
        try:
            url = checked_url(href)
            added = unix_time(attrs.get("add_date"))
        except ValueError as exc:
            self.found.append(Skipped(f"line {line}", str(exc)))
            return
        tags = [f for f in self.folders if f] + (attrs.get("tags") or "").split(",")
        self.found.append(ImportItem(url, title, tags=clean_tags(tags), added=added))
