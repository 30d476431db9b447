"""JSON Feed 1.1 exporter: plain JSON, paged with ``next_url`` when ``--page-size`` is given."""

from __future__ import annotations

import json
from typing import Any

from exporters.feeds.entries import FeedEntry, rfc3339
from exporters.feeds.exporter import Channel, FeedExporter, FeedFormat, PageLinks, splice
from exporters.feeds.merge import Record
from exporters.text import clean_text

__all__ = ["JsonFeedExporter", "JsonFeedFormat", "VERSION"]

VERSION = "https://jsonfeed.org/version/1.1"


class JsonFeedFormat(FeedFormat):
    """JSON Feed 1.1: every item has an id and content (html for full text, else text)."""

    name = "jsonfeed"
    xml = False

    def entry(self, entry: FeedEntry) -> bytes:
        """A JSON Feed item, indented as it sits in the items list."""
        item: dict[str, Any] = {"id": entry.id}
        if entry.link:
            item["url"] = entry.link
        item["title"] = entry.title
        if entry.content_html is not None:
            item["content_html"] = entry.content_html
            if entry.summary:
                item["summary"] = entry.summary
        else:
            # The spec requires content_html or content_text on every item.
            item["content_text"] = entry.summary
        if entry.image:
            item["image"] = entry.image.url
        if entry.published:
            item["date_published"] = rfc3339(entry.published)
        if entry.updated:
            item["date_modified"] = rfc3339(entry.updated)
        if entry.authors:
            item["authors"] = [{"name": a} for a in entry.authors]
        if entry.tags:
            item["tags"] = list(entry.tags)
        if entry.language:
            item["language"] = entry.language
        if entry.attachment:
            attachment: dict[str, Any] = {"url": entry.attachment.url, "mime_type": entry.attachment.media_type}
            if entry.attachment.length is not None:
                attachment["size_in_bytes"] = entry.attachment.length
            item["attachments"] = [attachment]
        data = _item_bytes(item)
        if b"\\u00" in data and "content_html" in item:
            # json.dumps escaped a control character: clean the content (the only uncleaned text) only then.
            item["content_html"] = clean_text(item["content_html"])
            data = _item_bytes(item)
        return data

    def document(self, channel: Channel, entries: list[bytes], links: PageLinks, stylesheet: str | None) -> list[bytes]:
        """The feed object; ``next_url`` leads to the next older page."""
        doc: dict[str, Any] = {"version": VERSION, "title": channel.title}
        if channel.site_url:
            doc["home_page_url"] = channel.site_url
        if links.self_url:
            doc["feed_url"] = links.self_url
        doc["description"] = channel.description
        if links.prev_archive:
            doc["next_url"] = links.prev_archive
        if channel.authors:
            doc["authors"] = [{"name": a} for a in channel.authors]
        if channel.language:
            doc["language"] = channel.language
        head = json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")
        # The items were serialised one by one; they close the object as its last member.
        return splice(head[:-2] + b',\n  "items": [\n', entries, b"\n  ]\n}\n", between=b",\n")

    def read(self, data: bytes, source: str) -> tuple[list[Record], str | None]:
        """Items of a previous JSON Feed, re-serialised unchanged, and its next_url."""
        try:
            doc = json.loads(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ValueError(f"not valid JSON ({exc})") from None
        if not isinstance(doc, dict) or not str(doc.get("version", "")).startswith("https://jsonfeed.org/version/"):
            raise ValueError("not a JSON Feed (merge into a feed of the same format)")
        items = doc.get("items")
        if not isinstance(items, list) or not all(isinstance(i, dict) and isinstance(i.get("id"), str) for i in items):
            raise ValueError("its items are not a list of objects with an id")
        records = [
            Record(
                item["id"], item.get("url"), item.get("date_published") or item.get("date_modified"), _item_bytes(item)
            )
            for item in items
        ]
        next_url = doc.get("next_url")
        return records, next_url if isinstance(next_url, str) else None


def _item_bytes(item: dict[str, Any]) -> bytes:
    """An item as it sits in the items list; JSON escapes newlines in strings, so every newline is layout."""
    text = json.dumps(item, ensure_ascii=False, indent=2)
    return ("    " + text.replace("\n", "\n    ")).encode("utf-8")


class JsonFeedExporter(FeedExporter):
    """JSON Feed 1.1 of the articles."""

    name = "jsonfeed"
    extensions = (".json", ".feed.json")
    media_type = "application/feed+json"
    description = "JSON Feed 1.1"
    format = JsonFeedFormat()
