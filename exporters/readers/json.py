"""JSON and JSONL input: the model's own form, JSON Feed items, and whole JSON Feed documents."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from exporters.html.lazy import HtmlBody
from exporters.html.sanitize import safe_url
from exporters.model import Article, ArticleError, Block, Image, Paragraph, Span, article_id, body_text
from exporters.pipeline.dates import parse_date
from exporters.pipeline.jsonform import FORMAT_TAG, article_from_dict, is_model_article
from exporters.pipeline.localfile import (
    MAX_INPUT_BYTES,
    MAX_STREAMED_INPUT_BYTES,
    check_regular_file,
    open_regular_file,
)
from exporters.readers.base import Reader, check_text, decode_text, refuse_binary, refuse_empty
from exporters.text import clean_text, cut_words

__all__ = ["JsonReader", "JsonLinesReader", "article_from_feed_item"]

_TITLE_FROM_TEXT = 80


class JsonReader(Reader):
    """A JSON document: ``{"format": "newsexport/1", ...}``, a JSON Feed, a list of items or one item."""

    name = "json"
    file_extensions = (".json",)

    def sniff(self, head: bytes) -> bool:
        return head.lstrip()[:1] in (b"{", b"[")

    def read(self, data: bytes, source: str) -> list[Article]:
        text = decode_text(data, source)
        try:
            doc = _loads(text, source)
        except json.JSONDecodeError as exc:
            raise ArticleError(f"{source}: malformed JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
        if isinstance(doc, dict) and doc.get("format") == FORMAT_TAG:
            items, feed = doc.get("articles"), {}
        elif isinstance(doc, dict) and str(doc.get("version", "")).startswith("https://jsonfeed.org/version/"):
            items, feed = doc.get("items"), doc
        elif isinstance(doc, list):
            items, feed = doc, {}
        elif isinstance(doc, dict):
            items, feed = [doc], {}
        else:
            raise ArticleError(f"{source}: expected a JSON object or list, found {type(doc).__name__}")
        if not isinstance(items, list):
            raise ArticleError(f"{source}: the articles/items member is not a list")
        return [_article(item, f"{source}: item {n}", source, feed) for n, item in enumerate(items, 1)]


class JsonLinesReader(Reader):
    """JSON Lines: one article or JSON Feed item per line; blank lines are ignored.

    A large file is read in batches of whole lines, never held whole. Reading is only JSON
    decoding: HTML bodies are kept as :class:`~exporters.htmlblocks.HtmlBody`, sanitised and
    converted where they are used.
    """

    name = "jsonl"
    file_extensions = (".jsonl", ".ndjson")

    def read(self, data: bytes, source: str) -> list[Article]:
        check_text(data, source)
        start = 3 if data.startswith(_BOM) else 0
        return _articles(_decode_lines(data, start, 1, source), source)

    def read_path(self, path: Path, source: str) -> list[Article]:
        size = check_regular_file(path, MAX_STREAMED_INPUT_BYTES)
        if size < STREAM_MIN_BYTES:
            return super().read_path(path, source)
        with open_regular_file(path, MAX_STREAMED_INPUT_BYTES) as file:
            head = file.read(8192)
            refuse_binary(head, source)
            # Blank lines are allowed: a file is empty only when all of it is blank, not just its start.
            if head.isspace() and all(chunk.isspace() for chunk in iter(lambda: file.read(_BATCH_BYTES), b"")):
                refuse_empty(b"", source)
        start = 3 if head.startswith(_BOM) else 0
        return _articles(_streamed_lines(path, start, source), source)


#: Files from this size up are read in batches rather than whole.
STREAM_MIN_BYTES = 4 * 1024 * 1024
#: Bytes of whole lines per batch.
_BATCH_BYTES = 256 * 1024
_BOM = b"\xef\xbb\xbf"


def _articles(items: Iterator[tuple[int, Any]], source: str) -> list[Article]:
    articles = [_article(item, f"{source}: line {number}", source, {}) for number, item in items]
    if not articles:
        raise ArticleError(f"{source}: no JSON lines")
    return articles


def _streamed_lines(path: Path, start: int, source: str) -> Iterator[tuple[int, Any]]:
    """(line number, decoded item) for each non-blank line of the file, read ``_BATCH_BYTES`` of whole lines at a time."""
    with open_regular_file(path, MAX_STREAMED_INPUT_BYTES) as stream:
        stream.seek(start)
        number = 1
        while chunk := stream.read(_BATCH_BYTES):
            rest = stream.readline(MAX_INPUT_BYTES)  # the batch ends after a newline, never inside a line
            if len(rest) == MAX_INPUT_BYTES and not rest.endswith(b"\n"):
                line = number + chunk.count(b"\n")
                raise ArticleError(f"{source}: line {line}: over the {MAX_INPUT_BYTES:,}-byte limit of a line")
            data = chunk + rest
            yield from _decode_lines(data, 0, number, source)
            number += data.count(b"\n")


def _decode_lines(data: bytes, start: int, number: int, source: str) -> Iterator[tuple[int, Any]]:
    """Decoded non-blank lines of ``data`` from ``start``, line ``number`` first."""
    end = len(data)
    while start < end:
        stop = data.find(b"\n", start)
        if stop == -1:
            stop = end
        line = data[start:stop]
        start = stop + 1
        if line and not line.isspace():
            try:
                item = _loads(line, f"{source}: line {number}")
            except json.JSONDecodeError as exc:
                raise ArticleError(f"{source}: line {number}: malformed JSON ({exc.msg}, column {exc.colno})") from None
            except UnicodeDecodeError as exc:
                raise ArticleError(f"{source}: line {number}: not valid UTF-8 (byte {exc.start})") from None
            yield number, item
        number += 1


def _loads(text: str | bytes, where: str) -> Any:
    """``json.loads``, saying plainly what it refuses besides malformed JSON and bad UTF-8 (left to the caller)."""
    try:
        return json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise
    except ValueError:  # the only other one: an integer over Python's limit of digits for int()
        raise ArticleError(f"{where}: number too long (over {sys.get_int_max_str_digits():,} digits)") from None
    except RecursionError:
        raise ArticleError(f"{where}: nested too deeply") from None


def _article(item: Any, where: str, source: str, feed: dict[str, Any]) -> Article:
    if not isinstance(item, dict):
        raise ArticleError(f"{where}: expected a JSON object, found {type(item).__name__}")
    if is_model_article(item):
        article = article_from_dict(item, source)
        return article if article.id else article.with_changes(id=article_id(article.url, article.title, article.body))
    return article_from_feed_item(item, where, source, feed)


def _names(value: Any) -> tuple[str, ...]:
    if isinstance(value, dict):
        value = [value]
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list):
        return ()
    names = []
    for person in value:
        name = person.get("name") if isinstance(person, dict) else person
        if isinstance(name, str) and name.strip():
            names.append(clean_text(name).strip())
    return tuple(names)


def _string(mapping: dict[str, Any], *names: str) -> str:
    """The first of ``names`` that holds a non-empty string, cleaned; a value of another type counts as absent."""
    for name in names:
        value = mapping.get(name)
        if isinstance(value, str) and value.strip():
            return clean_text(value).strip()
    return ""


def article_from_feed_item(item: dict[str, Any], where: str, source: str, feed: dict[str, Any]) -> Article:
    """An article from a JSON Feed item (``content_html``/``content_text``, ``date_published``, ``authors``).

    Strangers write these: a member of the wrong type (a number for ``url``) is treated as absent.
    """
    url = safe_url(item.get("url")) or safe_url(item.get("external_url"))
    html, text = item.get("content_html"), item.get("content_text")
    body: Sequence[Block]
    if isinstance(html, str) and html.strip():
        body = HtmlBody(html, url)
    elif isinstance(text, str) and text.strip():
        body = tuple(Paragraph((Span(" ".join(p.split())),)) for p in clean_text(text).split("\n\n") if p.strip())
    else:
        text = ""
        body = ()
    summary = _string(item, "summary")
    title = _string(item, "title")
    if not title:
        # JSON Feed allows untitled (microblog) items: name them by their opening words.
        first = " ".join((summary or text or body_text(body)).split())
        title = cut_words(first, _TITLE_FROM_TEXT)
    if not title:
        raise ArticleError(f"{where}: item has no title and no content")
    try:
        published = parse_date(item.get("date_published"))
        updated = parse_date(item.get("date_modified"))
    except ValueError as exc:
        raise ArticleError(f"{where}: {exc}") from None
    image_src = safe_url(item.get("image"), url, image=True) or safe_url(item.get("banner_image"), url, image=True)
    tags = item.get("tags")
    tags = tags if isinstance(tags, list) else []
    item_id = clean_text(str(item.get("id"))).strip() if isinstance(item.get("id"), (str, int)) else ""
    return Article(
        id=item_id or article_id(url, title, body),
        title=title,
        body=body,
        url=url,
        authors=_names(item.get("authors") or item.get("author") or feed.get("authors") or feed.get("author")),
        published=published,
        updated=updated,
        summary=summary,
        language=_string(item, "language") or _string(feed, "language") or None,
        site_name=_string(feed, "title") or None,
        tags=tuple(clean_text(t).strip() for t in tags if isinstance(t, str) and t.strip()),
        image=Image(image_src) if image_src else None,
        source=source,
    )
