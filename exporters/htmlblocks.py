"""Untrusted HTML → model blocks: sanitise with an allow-list (nh3), then map elements to blocks.

Every reader that meets HTML (saved pages, feed content, JSON ``content_html``, Markdown
rendered to HTML) goes through :func:`blocks_from_html`, so no script, handler, style,
iframe, form or ``javascript:`` URL can reach an output.
"""

from __future__ import annotations

import re
from typing import Iterator
from urllib.parse import urljoin, urlsplit
from urllib.request import url2pathname

import lxml.html
import nh3
from lxml import etree

from .model import Block, Heading, Image, Inline, ListBlock, Paragraph, Preformatted, Quote, Span, Table, clean_text

__all__ = ["blocks_from_html", "sanitize_html", "safe_url"]

_KEPT_TAGS = {
    "a", "abbr", "article", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "div", "dl", "dt",
    "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "header", "footer", "hr", "i", "img",
    "ins", "kbd", "li", "main", "mark", "ol", "p", "pre", "q", "s", "samp", "section", "small", "span",
    "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "tt", "u", "ul",
    "var", "picture", "source", "aside", "details", "summary", "center", "font",
}
# Removed with everything inside them: active content and page furniture that is never prose.
_DROPPED_WITH_CONTENT = {
    "script", "style", "iframe", "noscript", "template", "object", "embed", "applet", "form", "button",
    "select", "textarea", "input", "svg", "math", "canvas", "video", "audio", "nav", "head", "title", "frameset",
    "frame", "noembed", "noframes", "dialog", "menu",
}
_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "data-src", "data-original", "data-lazy-src", "srcset", "data-srcset", "width", "height"},
    "source": {"srcset", "type"},
    "pre": {"lang"},
    "code": {"lang"},
    "td": {"colspan"},
    "th": {"colspan"},
    "*": {"lang", "dir"},
}
_CLEANER = nh3.Cleaner(
    tags=_KEPT_TAGS,
    clean_content_tags=_DROPPED_WITH_CONTENT,
    attributes=_ATTRIBUTES,
    url_schemes={"http", "https", "mailto", "data"},
    strip_comments=True,
    link_rel=None,
)

_SAFE_LINK_SCHEMES = {"http", "https", "mailto"}
_IMAGE_DATA = re.compile(r"^data:image/(png|jpeg|jpg|gif|webp|svg\+xml);base64,", re.I)
_SPACE = re.compile(r"[ \t\n\r\f\v\u00a0\u202f\u200b]+")
_HEADING_LEVEL = {"h1": 2, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_CONTAINERS = {
    "div", "section", "article", "main", "header", "footer", "aside", "details", "summary", "center", "body",
    "html", "dl", "dd", "dt", "tbody", "thead", "tfoot", "picture", "font", "span",
}
_INLINE_MARKS = {
    "em": "emphasis", "i": "emphasis", "cite": "emphasis", "var": "emphasis", "q": None,
    "strong": "strong", "b": "strong",
    "code": "code", "kbd": "code", "samp": "code", "tt": "code",
}
_BLOCK_TAGS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "pre", "figure", "table", "hr", "li",
    "div", "section", "article", "main", "header", "footer", "aside", "details", "summary", "center", "dl",
    "dd", "dt", "figcaption", "picture",
}


def sanitize_html(html: str) -> str:
    """Allow-list sanitise an HTML fragment: no script, handler, style, iframe, form or unsafe URL survives."""
    return _CLEANER.clean(clean_text(html))


def safe_url(url: str | None, base_url: str | None = None, *, image: bool = False) -> str | None:
    """An absolute, safe URL for a link or image, or None when it is unusable or dangerous."""
    if not url:
        return None
    url = url.strip()
    if image and url.lower().startswith("data:"):
        return url if _IMAGE_DATA.match(url) else None
    if base_url:
        try:
            url = urljoin(base_url, url)
        except ValueError:
            return None
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    if image and scheme == "file" and base_url and base_url.startswith("file:"):
        # A saved page's own images sit beside it on disk; a remote page may never name local files.
        return url2pathname(urlsplit(url).path)
    allowed = {"http", "https"} if image else _SAFE_LINK_SCHEMES
    return url if scheme in allowed else None


def blocks_from_html(html: str, base_url: str | None = None) -> tuple[Block, ...]:
    """Sanitise ``html`` and convert it to model blocks; relative URLs resolve against ``base_url``."""
    cleaned = sanitize_html(html)
    if not cleaned.strip():
        return ()
    try:
        root = lxml.html.fragment_fromstring(cleaned, create_parent="div")
    except etree.ParserError:
        return ()
    return tuple(_Converter(base_url).blocks(root))


def _image_src(el: etree._Element) -> str | None:
    for attr in ("data-src", "data-original", "data-lazy-src", "src"):
        value = el.get(attr)
        if value and not value.startswith("data:image/gif") and not value.startswith("about:"):
            return value
    srcset = el.get("srcset") or el.get("data-srcset")
    if srcset:
        return srcset.split(",")[-1].strip().split(" ")[0] or None
    return el.get("src")


class _Converter:
    """Walks a sanitised tree once, emitting blocks; inline runs are merged by their marks."""

    def __init__(self, base_url: str | None):
        self.base_url = base_url

    # -- blocks -------------------------------------------------------------------------------
    def blocks(self, container: etree._Element) -> Iterator[Block]:
        """Blocks of a container: block children map to blocks, loose inline content to paragraphs."""
        pending: list[Span] = []
        if container.text:
            pending.append(Span(container.text))
        for child in container:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag in _BLOCK_TAGS or tag == "img" or (tag in _CONTAINERS and self._has_block(child)):
                yield from self._paragraph(pending)
                pending = []
                yield from self._block(child, tag)
            elif tag:
                pending.extend(self._inline(child, Span("")))
            if child.tail:
                pending.append(Span(child.tail))
        yield from self._paragraph(pending)

    def _has_block(self, el: etree._Element) -> bool:
        return any(isinstance(d.tag, str) and (d.tag in _BLOCK_TAGS or d.tag == "img") for d in el.iterdescendants())

    def _block(self, el: etree._Element, tag: str) -> Iterator[Block]:
        if tag == "p":
            yield from self._paragraph_with_images(el)
        elif tag in _HEADING_LEVEL:
            text = _finish(list(self._inline_children(el, Span(""))))
            if text:
                yield Heading(_HEADING_LEVEL[tag], text)
        elif tag == "blockquote":
            inner = tuple(self.blocks(el))
            if inner:
                yield Quote(inner)
        elif tag in ("ul", "ol"):
            items = tuple(self._list_items(el))
            if items:
                yield ListBlock(tag == "ol", items)
        elif tag == "pre":
            text = clean_text(el.text_content()).strip("\n")
            if text.strip():
                yield Preformatted(text, el.get("lang") or _code_language(el))
        elif tag == "img":
            image = self._image(el)
            if image:
                yield image
        elif tag == "figure":
            yield from self._figure(el)
        elif tag == "table":
            yield from self._table(el)
        elif tag == "hr":
            return
        else:
            yield from self.blocks(el)

    def _paragraph(self, spans: list[Span]) -> Iterator[Block]:
        text = _finish(spans)
        if text:
            yield Paragraph(text)

    def _paragraph_with_images(self, el: etree._Element) -> Iterator[Block]:
        """A paragraph; images inside it become image blocks after the text so no picture is lost."""
        images = [img for img in el.iter("img")]
        if not images and not self._has_block(el):
            yield from self._paragraph(list(self._inline_children(el, Span(""))))
            return
        yield from self.blocks(el)

    def _list_items(self, el: etree._Element) -> Iterator[Inline]:
        for li in el:
            if not isinstance(li.tag, str):
                continue
            if li.tag != "li":
                text = _finish(list(self._inline(li, Span(""))))
                if text:
                    yield text
                continue
            spans: list[Span] = []
            nested: list[etree._Element] = []
            if li.text:
                spans.append(Span(li.text))
            for child in li:
                if child.tag in ("ul", "ol"):
                    nested.append(child)
                else:
                    if spans and child.tag in _BLOCK_TAGS:
                        spans.append(Span(" "))
                    spans.extend(self._inline(child, Span("")))
                if child.tail:
                    spans.append(Span(child.tail))
            text = _finish(spans)
            if text:
                yield text
            for sub in nested:
                yield from self._list_items(sub)

    def _image(self, el: etree._Element, caption: str = "", credit: str = "") -> Image | None:
        src = safe_url(_image_src(el), self.base_url, image=True)
        if not src:
            return None
        return Image(src=src, alt=_squash(el.get("alt") or ""), caption=caption, credit=credit)

    def _figure(self, el: etree._Element) -> Iterator[Block]:
        caption = credit = ""
        figcaption = el.find(".//figcaption")
        if figcaption is not None:
            for credit_el in figcaption.iter("small", "cite"):
                credit = credit or _squash(credit_el.text_content())
                credit_el.drop_tree()
            caption = _squash(figcaption.text_content())
            figcaption.drop_tree()
        images = [img for img in el.iter("img")]
        if not images:
            yield from self.blocks(el)
            if caption:
                yield Paragraph((Span(caption, emphasis=True),))
            return
        for n, img in enumerate(images):
            last = n == len(images) - 1
            image = self._image(img, caption if last else "", credit if last else "")
            if image:
                yield image

    def _table(self, el: etree._Element) -> Iterator[Block]:
        if any(d.tag in ("table", "p", "div", "img", "ul", "ol", "blockquote", "pre", "h1", "h2", "h3")
               for d in el.iterdescendants() if isinstance(d.tag, str)):
            # A layout table (cells holding whole sections): keep its content, not its grid.
            for cell in el.iter("td", "th"):
                yield from self.blocks(cell)
            return
        header: list[tuple[Inline, ...]] = []
        rows: list[tuple[Inline, ...]] = []
        for tr in el.iter("tr"):
            cells = [c for c in tr if c.tag in ("td", "th")]
            if not cells:
                continue
            row = tuple(_finish(list(self._inline_children(c, Span("")))) for c in cells)
            in_head = tr.getparent() is not None and tr.getparent().tag == "thead"
            if (in_head or all(c.tag == "th" for c in cells)) and not rows:
                header.append(row)
            else:
                rows.append(row)
        if header or rows:
            yield Table(tuple(header), tuple(rows))
        caption = el.find("caption")
        if caption is not None and _squash(caption.text_content()):
            yield Paragraph((Span(_squash(caption.text_content()), emphasis=True),))

    # -- inline -------------------------------------------------------------------------------
    def _inline_children(self, el: etree._Element, marks: Span) -> Iterator[Span]:
        if el.text:
            yield _marked(el.text, marks)
        for child in el:
            if isinstance(child.tag, str):
                yield from self._inline(child, marks)
            if child.tail:
                yield _marked(child.tail, marks)

    def _inline(self, el: etree._Element, marks: Span) -> Iterator[Span]:
        tag = el.tag
        if tag == "br":
            yield _marked("\n", marks)
            return
        if tag == "img":
            return
        if tag in _INLINE_MARKS:
            mark = _INLINE_MARKS[tag]
            if mark == "emphasis":
                marks = Span("", True, marks.strong, marks.code, marks.href)
            elif mark == "strong":
                marks = Span("", marks.emphasis, True, marks.code, marks.href)
            elif mark == "code":
                marks = Span("", marks.emphasis, marks.strong, True, marks.href)
            elif tag == "q":
                yield _marked("“", marks)
                yield from self._inline_children(el, marks)
                yield _marked("”", marks)
                return
        elif tag == "a":
            href = safe_url(el.get("href"), self.base_url)
            if href and not href.startswith("#"):
                marks = Span("", marks.emphasis, marks.strong, marks.code, href)
        elif tag == "sup" or tag == "sub":
            pass
        yield from self._inline_children(el, marks)


def _marked(text: str, marks: Span) -> Span:
    return Span(text, marks.emphasis, marks.strong, marks.code, marks.href)


def _squash(text: str) -> str:
    return _SPACE.sub(" ", clean_text(text)).strip()


def _finish(spans: list[Span]) -> Inline:
    """Collapse whitespace as a browser would, trim the edges and merge neighbours with equal marks."""
    out: list[Span] = []
    for span in spans:
        if not span.text:
            continue
        if span.text == "\n":
            text = "\n"
        else:
            text = _SPACE.sub(" ", clean_text(span.text)) if not span.code else clean_text(span.text).replace("\n", " ")
        if out and out[-1].text.endswith((" ", "\n")) and text.startswith(" "):
            text = text.lstrip(" ")
            if not text:
                continue
        if out and (out[-1].emphasis, out[-1].strong, out[-1].code, out[-1].href) == (
            span.emphasis, span.strong, span.code, span.href
        ):
            prev = out.pop()
            out.append(Span(prev.text + text, span.emphasis, span.strong, span.code, span.href))
        else:
            out.append(Span(text, span.emphasis, span.strong, span.code, span.href))
    # Trim leading/trailing blanks and line breaks.
    while out and not out[0].text.strip():
        out.pop(0)
    while out and not out[-1].text.strip():
        out.pop()
    if not out:
        return ()
    first, last = out[0], out[-1]
    out[0] = Span(first.text.lstrip(), first.emphasis, first.strong, first.code, first.href)
    last = out[-1]
    out[-1] = Span(last.text.rstrip(), last.emphasis, last.strong, last.code, last.href)
    return tuple(out)


def _code_language(el: etree._Element) -> str | None:
    code = el.find("code")
    return code.get("lang") if code is not None else None
