"""The model's own JSON form: what ``inspect --json`` prints and the JSON reader reads back losslessly."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

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
)

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
    """Rebuild an article from :func:`article_to_dict` output; a malformed object raises ArticleError."""
    try:
        return Article(
            id=_str(obj.get("id") or ""),
            title=_str(obj["title"]),
            url=obj.get("url") or None,
            authors=tuple(_str(a) for a in obj.get("authors") or ()),
            published=_parse_date(obj.get("published"), source),
            updated=_parse_date(obj.get("updated"), source),
            summary=obj.get("summary") or "",
            language=obj.get("language") or None,
            site_name=obj.get("site_name") or None,
            tags=tuple(_str(t) for t in obj.get("tags") or ()),
            image=_image_from(obj["image"]) if obj.get("image") else None,
            source=obj.get("source") or source,
            body=tuple(_block_from(b) for b in obj["body"]),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        if isinstance(exc, ArticleError):
            raise
        raise ArticleError(
            f"{source}: article {obj.get('title')!r} is not in the newsexport JSON form ({exc!r})"
        ) from None


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected a string, got {type(value).__name__}")
    return value


def _date(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _parse_date(value: Any, source: str) -> datetime | None:
    if value in (None, ""):
        return None
    parsed = datetime.fromisoformat(_str(value))
    if parsed.tzinfo is None:
        raise ArticleError(f"{source}: date {value!r} has no timezone")
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


def _spans_from(items: list[dict[str, Any]]) -> Inline:
    return tuple(
        Span(_str(i["text"]), bool(i.get("emphasis")), bool(i.get("strong")), bool(i.get("code")), i.get("href"))
        for i in items
    )


def _image(image: Image) -> dict[str, Any]:
    return {"src": image.src, "alt": image.alt, "caption": image.caption, "credit": image.credit}


def _image_from(obj: dict[str, Any]) -> Image:
    return Image(_str(obj["src"]), obj.get("alt") or "", obj.get("caption") or "", obj.get("credit") or "")


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


def _block_from(obj: dict[str, Any]) -> Block:
    kind = obj["type"]
    if kind == "paragraph":
        return Paragraph(_spans_from(obj["text"]))
    if kind == "heading":
        return Heading(int(obj["level"]), _spans_from(obj["text"]))
    if kind == "quote":
        return Quote(tuple(_block_from(b) for b in obj["blocks"]))
    if kind == "list":
        return ListBlock(bool(obj["ordered"]), tuple(_spans_from(i) for i in obj["items"]))
    if kind == "preformatted":
        return Preformatted(_str(obj["text"]), obj.get("language"))
    if kind == "image":
        return _image_from(obj)
    if kind == "table":
        return Table(
            tuple(tuple(_spans_from(c) for c in row) for row in obj["header"]),
            tuple(tuple(_spans_from(c) for c in row) for row in obj["rows"]),
        )
    raise ValueError(f"unknown block type {kind!r}")
