"""The options the RSS, Atom and JSON Feed exporters share, checked once when they are made."""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import ClassVar
from urllib.parse import urlsplit

from exporters.exporter import ExportError, option
from exporters.html.sanitize import safe_url

__all__ = ["FeedOptions", "CONTENT_CHOICES", "attachment_type"]

#: What an entry may carry (``--content``).
CONTENT_CHOICES = ("full", "summary", "none")
#: Media types of the files a feed attaches, by extension (the books newsexport writes).
_ATTACHMENT_TYPES = {".epub": "application/epub+zip", ".pdf": "application/pdf"}


def attachment_type(url: str) -> str:
    """The media type of the file at ``url``, guessed from its extension (``application/octet-stream`` if unknown)."""
    suffix = PurePosixPath(urlsplit(url).path).suffix.lower()
    return _ATTACHMENT_TYPES.get(suffix) or mimetypes.guess_type("x" + suffix)[0] or "application/octet-stream"


@dataclass(frozen=True)
class FeedOptions:
    """Options shared by the rss, atom and jsonfeed exporters (one type, so the CLI merges their flags)."""

    #: Heading under which the three feeds' shared options are listed once (``newsexport formats``, help panels).
    group: ClassVar[str] = "feeds"

    feed_title: str | None = option(None, "Feed title (default: --title, else the articles' one site).")
    feed_url: str | None = option(None, "Where the feed will be published (self link, Atom id).", metavar="URL")
    site_url: str | None = option(None, "The website the feed belongs to (RSS channel link).", metavar="URL")
    description: str | None = option(None, "Feed description (default: the feed title).")
    content: str = option(
        "full",
        "What each entry carries.",
        choices=CONTENT_CHOICES,
    )
    merge: Path | None = option(
        None,
        "Previous feed to add to; its entries are kept byte for byte.",
        metavar="FEED",
    )
    max_items: int | None = option(None, "Keep only the newest N entries.", metavar="N")
    page_size: int | None = option(None, "Entries per document; older ones go to archive files beside it.", metavar="N")
    enclosure_url: str | None = option(None, "A file (e.g. this run's EPUB) for the newest entry.", metavar="URL")
    enclosure_length: int | None = option(None, "Its size in bytes (RSS needs it).", metavar="N")
    xsl: bool = option(False, "RSS/Atom: an XSL file beside the feed, so browsers show a page.")

    def __post_init__(self) -> None:
        for flag, count in (("--max-items", self.max_items), ("--page-size", self.page_size)):
            if count is not None and count < 1:
                raise ExportError(f"{flag} must be at least 1, not {count}")
        if self.content not in CONTENT_CHOICES:
            raise ExportError(f"--content must be full, summary or none, not {self.content!r}")
        if self.enclosure_length is not None and self.enclosure_url is None:
            raise ExportError("--enclosure-length needs --enclosure-url (the file it is the size of)")
        if self.enclosure_length is not None and self.enclosure_length < 0:
            raise ExportError(f"--enclosure-length must be 0 or more bytes, not {self.enclosure_length}")
        for flag, given in (
            ("--site-url", self.site_url),
            ("--feed-url", self.feed_url),
            ("--enclosure-url", self.enclosure_url),
        ):
            value = (given or "").strip()
            if value and not (value.startswith(("http://", "https://")) and safe_url(value)):
                raise ExportError(f"{flag} must be an absolute http(s) URL, not {given!r}")
