"""Markdown with YAML (``---``) or TOML (``+++``) front matter."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml

from exporters.html.blocks import blocks_from_html
from exporters.html.sanitize import safe_url
from exporters.model import Article, ArticleError, Heading, Image, article_id, plain_text
from exporters.pipeline.dates import parse_date
from exporters.readers.base import Reader, decode_text
from exporters.text import clean_text

__all__ = ["MarkdownReader"]

_FRONT = re.compile(r"\A(---|\+\+\+)[ \t]*\r?\n(.*?)\r?\n\1[ \t]*(?:\r?\n|\Z)", re.S)
_MARKDOWN = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def _image_with_caption(self, tokens, idx, options, env):
    """An image whose Markdown title (``![alt](src "title")``) is its caption: a figure."""
    html = self.image(tokens, idx, options, env)
    title = tokens[idx].attrGet("title")
    return f"<figure>{html}<figcaption>{escapeHtml(str(title))}</figcaption></figure>" if title else html


_MARKDOWN.add_render_rule("image", _image_with_caption)


class MarkdownReader(Reader):
    """One article per file: metadata from front matter, body from Markdown (raw HTML is sanitised)."""

    name = "markdown"
    file_extensions = (".md", ".markdown", ".mdown", ".mkd")

    def sniff(self, head: bytes) -> bool:
        return head.startswith((b"---\n", b"---\r\n", b"+++\n", b"+++\r\n"))

    def read(self, data: bytes, source: str) -> list[Article]:
        text = decode_text(data, source)
        meta, body_md = _front_matter(text, source)
        base = _base_url(source, meta)
        body = blocks_from_html(_MARKDOWN.render(body_md), base)
        title = _text(meta.get("title"))
        if not title and body and isinstance(body[0], Heading):
            # No title in front matter: the document's first heading is its title, not body.
            title, body = plain_text(body[0].text).strip(), body[1:]
        if not title:
            raise ArticleError(f"{source}: no title (add 'title:' to the front matter or start with a '# Heading')")
        try:
            published = parse_date(meta.get("date") or meta.get("published"))
            updated = parse_date(meta.get("updated") or meta.get("lastmod") or meta.get("modified"))
        except ValueError as exc:
            raise ArticleError(f"{source}: front matter: {exc}") from None
        url = safe_url(_text(meta.get("url") or meta.get("link") or meta.get("canonical_url")))
        image_src = safe_url(_text(meta.get("image") or meta.get("cover")), base, image=True)
        return [
            Article(
                id=_text(meta.get("id")) or article_id(url, title, body),
                title=title,
                body=body,
                url=url,
                authors=_list(meta.get("authors") or meta.get("author")),
                published=published,
                updated=updated,
                summary=_text(meta.get("summary") or meta.get("description")),
                language=_text(meta.get("lang") or meta.get("language")) or None,
                site_name=_text(meta.get("site") or meta.get("site_name")) or None,
                tags=_list(meta.get("tags") or meta.get("categories") or meta.get("keywords")),
                image=Image(image_src, alt=title) if image_src else None,
                source=source,
            )
        ]


def _front_matter(text: str, source: str) -> tuple[dict[str, Any], str]:
    match = _FRONT.match(text)
    if not match:
        if text.startswith(("---", "+++")) and text.split("\n", 1)[0].strip() in ("---", "+++"):
            raise ArticleError(f"{source}: front matter is not closed (no second {text[:3]!r} line)")
        return {}, text
    fence, raw = match.group(1), match.group(2)
    try:
        meta = tomllib.loads(raw) if fence == "+++" else yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        raise ArticleError(f"{source}: front matter is not valid YAML{where}: {getattr(exc, 'problem', exc)}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ArticleError(f"{source}: front matter is not valid TOML: {exc}") from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise ArticleError(f"{source}: front matter must be a mapping of keys to values")
    return {str(k).lower(): v for k, v in meta.items()}, text[match.end() :]


def _base_url(source: str, meta: dict[str, Any]) -> str | None:
    path = Path(source)
    if source != "-" and path.is_file():
        return path.resolve().as_uri()
    return _text(meta.get("url")) or None


def _text(value: Any) -> str:
    return clean_text(str(value)).strip() if value not in (None, "") else ""


def _list(value: Any) -> tuple[str, ...]:
    if value in (None, ""):
        return ()
    if isinstance(value, str):
        parts = value.split(",") if "," in value else [value]
    elif isinstance(value, (list, tuple)):
        parts = [p.get("name", "") if isinstance(p, dict) else p for p in value]
    else:
        parts = [value]
    return tuple(t for t in (_text(p) for p in parts) if t)
