"""The model's own JSON form: what ``inspect --json`` prints and the JSON reader reads back losslessly."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from exporters.html.sanitize import safe_url
from exporters.model import (
    Article,
    ArticleError,
    Block,
    Heading,
    Image,
    Inline,
    ListBlock,
    Paragraph,
    Preformatted,
    Quote,
    Span,
    Table,
    article_id,
)
from exporters.pipeline.dates import to_utc
from exporters.text import clean_text

__all__ = ["FORMAT_TAG", "articles_to_json", "article_to_dict", "article_from_dict", "is_model_article"]

#: Marks a document as the model's own form, with its version.
FORMAT_TAG = "newsexport/1"


def articles_to_json(articles: Iterable[Article]) -> str:
    """The articles as one JSON document (sorted keys, two-space indent, trailing newline)."""
    doc = {"format": FORMAT_TAG, "articles": [article_to_dict(a) for a in articles]}
    return json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def article_to_dict(article: Article) -> dict[str, Any]:
    """One article as plain JSON values."""
    return {
        "id": article.id,
        "title": article.title,
        "url": article.url,
        "authors": list(article.authors),
        "published": _date(article.published),
        "updated": _date(article.updated),
        "summary": article.summary,
        "language": article.language,
        "site_name": article.site_name,
        "tags": list(article.tags),
        "image": _image(article.image) if article.image else None,
        "source": article.source,
        "body": [_block(b) for b in article.body],
    }


def is_model_article(obj: Any) -> bool:
    """Whether a JSON object is an article in the model's own form (its body is a list of typed blocks)."""
    return isinstance(obj, dict) and isinstance(obj.get("body"), list) and "title" in obj


def article_from_dict(obj: dict[str, Any], source: str) -> Article:
    """Rebuild an article from :func:`article_to_dict` output; a malformed object raises ArticleError.

    The form is read like any untrusted input: every field must have its type, text is
    cleaned, links and the article's URL keep only http(s)/mailto (images: http(s), image
    ``data:`` URIs and local paths, which the reader then confines), dates are checked.
    """
    title = obj.get("title")
    where = f"{source}: article {title[:80]!r}" if isinstance(title, str) else f"{source}: article"
    try:
        article = Article(
            id=_text(obj.get("id") or "", "id").strip(),
            title=_text(obj.get("title"), "title"),
            url=safe_url(_optional(obj.get("url"), "url")),
            authors=tuple(_text(a, "authors") for a in _list(obj.get("authors"), "authors")),
            published=_parse_date(obj.get("published"), "published"),
            updated=_parse_date(obj.get("updated"), "updated"),
            summary=_text(obj.get("summary") or "", "summary"),
            language=_optional(obj.get("language"), "language"),
            site_name=_text(obj.get("site_name") or "", "site_name") or None,
            tags=tuple(_text(t, "tags") for t in _list(obj.get("tags"), "tags")),
            image=_image_from(_dict(obj["image"], "image")) if obj.get("image") else None,
            source=_text(obj.get("source") or source, "source"),
            body=tuple(_block_from(_dict(b, "body"), 0) for b in _list(obj.get("body"), "body")),
        )
    except _Malformed as exc:
        raise ArticleError(f"{where}: {exc}") from None
    except ArticleError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ArticleError(f"{where}: not in the newsexport JSON form ({exc!r})") from None
    return article if article.id else article.with_changes(id=article_id(article.url, article.title, article.body))


class _Malformed(Exception):
    """A field of the JSON form has the wrong type or value; the message names the field."""


#: Quotes nested deeper than this are refused: no article needs them, and each level costs a recursion.
_MAX_QUOTE_DEPTH = 32


def _str(value: Any, name: str = "text") -> str:
    if not isinstance(value, str):
        raise _Malformed(f"{name}: expected a string, found {type(value).__name__}")
    return value


def _text(value: Any, name: str) -> str:
    return clean_text(_str(value, name))


def _optional(value: Any, name: str) -> str | None:
    return None if value in (None, "") else _text(value, name)


def _list(value: Any, name: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise _Malformed(f"{name}: expected a list, found {type(value).__name__}")
    return value


def _dict(value: Any, name: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Malformed(f"{name}: expected an object, found {type(value).__name__}")
    return value


def _date(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _parse_date(value: Any, name: str) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        parsed = datetime.fromisoformat(_str(value, name))
        if parsed.tzinfo is None:
            raise _Malformed(f"{name}: date {value!r} has no timezone")
        to_utc(parsed, value)
    except ValueError as exc:
        raise _Malformed(f"{name}: {exc}") from None
    return parsed


def _spans(text: Inline) -> list[dict[str, Any]]:
    out = []
    for span in text:
        item: dict[str, Any] = {"text": span.text}
        for mark in ("emphasis", "strong", "code"):
            if getattr(span, mark):
                item[mark] = True
        if span.href:
            item["href"] = span.href
        out.append(item)
    return out


def _spans_from(items: Any) -> Inline:
    spans = []
    for item in _list(items, "text"):
        item = _dict(item, "text")
        href = item.get("href")
        spans.append(
            Span(
                _text(item.get("text"), "text"),
                item.get("emphasis") is True,
                item.get("strong") is True,
                item.get("code") is True,
                safe_url(_str(href, "href")) if href is not None else None,
            )
        )
    return tuple(spans)


def _image(image: Image) -> dict[str, Any]:
    return {"src": image.src, "alt": image.alt, "caption": image.caption, "credit": image.credit}


def _image_from(obj: dict[str, Any]) -> Image:
    src = _str(obj.get("src"), "src").strip()
    if src.lower().startswith(("http://", "https://", "data:")) or ":" in src.split("/", 1)[0]:
        src = safe_url(src, image=True) or ""  # a scheme: only http(s) and image data URIs
    return Image(
        src,
        _text(obj.get("alt") or "", "alt"),
        _text(obj.get("caption") or "", "caption"),
        _text(obj.get("credit") or "", "credit"),
    )


def _block(block: Block) -> dict[str, Any]:
    if isinstance(block, Paragraph):
        return {"type": "paragraph", "text": _spans(block.text)}
    if isinstance(block, Heading):
        return {"type": "heading", "level": block.level, "text": _spans(block.text)}
    if isinstance(block, Quote):
        return {"type": "quote", "blocks": [_block(b) for b in block.blocks]}
    if isinstance(block, ListBlock):
        return {"type": "list", "ordered": block.ordered, "items": [_spans(i) for i in block.items]}
    if isinstance(block, Preformatted):
        return {"type": "preformatted", "text": block.text, "language": block.language}
    if isinstance(block, Image):
        return {"type": "image", **_image(block)}
    if isinstance(block, Table):
        return {
            "type": "table",
            "header": [[_spans(c) for c in row] for row in block.header],
            "rows": [[_spans(c) for c in row] for row in block.rows],
        }
    raise TypeError(f"unknown block {type(block).__name__}")


def _block_from(obj: dict[str, Any], depth: int) -> Block:
    kind = obj.get("type")
    if kind == "paragraph":
        return Paragraph(_spans_from(obj.get("text")))
    if kind == "heading":
        level = obj.get("level")
        if not isinstance(level, int) or isinstance(level, bool) or not 1 <= level <= 6:
            raise _Malformed(f"heading level: expected a whole number from 1 to 6, found {level!r}")
        return Heading(level, _spans_from(obj.get("text")))
    if kind == "quote":
        if depth >= _MAX_QUOTE_DEPTH:
            raise _Malformed(f"quotes nested more than {_MAX_QUOTE_DEPTH} deep")
        return Quote(tuple(_block_from(_dict(b, "blocks"), depth + 1) for b in _list(obj.get("blocks"), "blocks")))
    if kind == "list":
        return ListBlock(obj.get("ordered") is True, tuple(_spans_from(i) for i in _list(obj.get("items"), "items")))
    if kind == "preformatted":
        return Preformatted(_text(obj.get("text"), "text"), _optional(obj.get("language"), "language"))
    if kind == "image":
        return _image_from(obj)
    if kind == "table":
        return Table(
            tuple(tuple(_spans_from(c) for c in _list(row, "header")) for row in _list(obj.get("header"), "header")),
            tuple(tuple(_spans_from(c) for c in _list(row, "rows")) for row in _list(obj.get("rows"), "rows")),
        )
    raise _Malformed(f"unknown block type {kind!r}")
