"""Markdown with YAML (``---``) or TOML (``+++``) front matter."""

from __future__ import annotations

import re
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml

from exporters.html.blocks import blocks_from_html
from exporters.html.sanitize import safe_url
from exporters.model import Article, ArticleError, Heading, Image, article_id, plain_text
from exporters.pipeline.dates import parse_date
from exporters.readers.base import Reader, decode_any_text
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
        text, encoding = decode_any_text(data, source)
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
                encoding=encoding,
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
        meta = tomllib.loads(raw) if fence == "+++" else yaml.load(raw, Loader=_FrontMatterLoader)  # noqa: S506
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
    meta = {str(k).lower(): v for k, v in meta.items()}
    _check_types(meta, source)
    return meta, text[match.end() :]


class _FrontMatterLoader(yaml.SafeLoader):
    """YAML's safe loader without aliases: ``*name`` repeats a node, and nested repeats (a "billion laughs")
    make a few hundred bytes take gigabytes. Front matter never needs them."""

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.MarkedYAMLError(problem="aliases (*name) are not allowed", problem_mark=event.start_mark)
        return super().compose_node(parent, index)

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        """A YAML date, or its text when it is no possible date (year 0, ``+25:00``): parse_date then says why."""
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError):
            return self.construct_scalar(node)


_FrontMatterLoader.add_constructor("tag:yaml.org,2002:timestamp", _FrontMatterLoader.construct_yaml_timestamp)


_TEXT_FIELDS: tuple[str, ...] = ("title", "url", "link", "canonical_url", "image", "cover", "summary")
_TEXT_FIELDS += ("description", "lang", "language", "site", "site_name")
_LIST_FIELDS = ("tags", "categories", "keywords", "authors", "author")
_DATE_FIELDS = ("date", "published", "updated", "lastmod", "modified")


def _check_types(meta: dict[str, Any], source: str) -> None:
    """Refuse front matter whose known fields have the wrong type (``title: [a, b]``), naming the field."""

    def refuse(key: str, expected: str) -> ArticleError:
        return ArticleError(f"{source}: front matter: {key} must be {expected}, not {_yaml_type(meta[key])}")

    for key in _TEXT_FIELDS:
        if meta.get(key) is not None and not isinstance(meta[key], str):
            raise refuse(key, "text")
    for key in _LIST_FIELDS:
        value = meta.get(key)
        if value is None or isinstance(value, str):
            continue
        items = value if isinstance(value, list) else [value]
        for item in items:
            name = item.get("name") if isinstance(item, dict) and key.startswith("author") else item
            if not isinstance(name, str):
                raise refuse(key, "text or a list of text")
    for key in _DATE_FIELDS:
        if meta.get(key) is not None and not isinstance(meta[key], (str, date)):
            raise refuse(key, "a date")


def _yaml_type(value: Any) -> str:
    return {dict: "a mapping", list: "a list", bool: "true/false", int: "a number", float: "a number"}.get(
        type(value), type(value).__name__
    )


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
