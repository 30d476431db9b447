"""The options the RSS, Atom and JSON Feed exporters share, checked once when they are made."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from exporters.exporter import ExportError, option
from exporters.html.sanitize import safe_url

__all__ = ["FeedOptions", "CONTENT_CHOICES"]

#: What an entry may carry (``--content``).
CONTENT_CHOICES = ("full", "summary", "none")


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
        "What each entry carries: full text, summary or neither.",
        choices=CONTENT_CHOICES,
    )
    merge: Path | None = option(
        None,
        "Previous feed to add to; its entries are kept byte for byte.",
        metavar="FEED",
    )
    max_items: int | None = option(None, "Keep only the newest N entries.", metavar="N")
    page_size: int | None = option(None, "Entries per document; older ones go to archive files beside it.", metavar="N")
    xsl: bool = option(
        False, "RSS and Atom: add an XSL stylesheet (written beside the feed) so browsers show a readable page."
    )

    def __post_init__(self) -> None:
        for flag, count in (("--max-items", self.max_items), ("--page-size", self.page_size)):
            if count is not None and count < 1:
                raise ExportError(f"{flag} must be at least 1, not {count}")
        if self.content not in CONTENT_CHOICES:
            raise ExportError(f"--content must be full, summary or none, not {self.content!r}")
        for flag, given in (("--site-url", self.site_url), ("--feed-url", self.feed_url)):
            value = (given or "").strip()
            if value and not (value.startswith(("http://", "https://")) and safe_url(value)):
                raise ExportError(f"{flag} must be an absolute http(s) URL, not {given!r}")
