"""Untrusted HTML → model blocks: sanitised (see :mod:`exporters.html.sanitize`), then elements mapped to blocks.

Every reader that meets HTML (saved pages, feed content, JSON ``content_html``, Markdown
rendered to HTML) goes through :func:`blocks_from_html`, so no script, handler, style,
iframe, form or ``javascript:`` URL can reach an output.
"""

from __future__ import annotations

from itertools import groupby
from operator import itemgetter

from lxml import etree

from exporters.html.sanitize import safe_url, sanitize_html
from exporters.model import Block, Heading, Image, Inline, ListBlock, Paragraph, Preformatted, Quote, Span, Table
from exporters.text import clean_text, one_line

__all__ = ["blocks_from_html", "blocks_from_clean"]

_HEADING_LEVEL = {"h1": 2, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_CONTAINERS = frozenset(
    "article aside body center dd details div dl dt footer header html main picture section summary tbody tfoot thead".split()
)
_INLINE_MARKS = {
    "em": "emphasis",
    "i": "emphasis",
    "cite": "emphasis",
    "var": "emphasis",
    "q": None,
    "strong": "strong",
    "b": "strong",
    "code": "code",
    "kbd": "code",
    "samp": "code",
    "tt": "code",
}
# Every container but the document and table sections, and the elements that are blocks themselves.
_BLOCK_TAGS = (_CONTAINERS - {"body", "html", "tbody", "tfoot", "thead"}) | frozenset(
    "blockquote figcaption figure h1 h2 h3 h4 h5 h6 hr li ol p pre table ul".split()
)


def blocks_from_html(html: str, base_url: str | None = None) -> tuple[Block, ...]:
    """Sanitise ``html`` and convert it to model blocks; relative URLs resolve against ``base_url``."""
    return blocks_from_clean(sanitize_html(html), base_url)


def blocks_from_clean(cleaned: str, base_url: str | None) -> tuple[Block, ...]:
    """Blocks of HTML that :func:`sanitize_html` has cleaned."""
    if not cleaned.strip():
        return ()
    document = etree.fromstring(f"<html><body><div>{cleaned}</div></body></html>", _PARSER)
    root = document.find("body/div") if document is not None else None
    if root is None:
        return ()
    out: list[Block] = []
    _Converter(base_url, root).blocks(root, out)
    return tuple(out)


def _image_src(el: etree._Element) -> str | None:
    for attr in ("data-src", "data-original", "data-lazy-src", "src"):
        value = el.get(attr)
        if value and not value.startswith("data:image/gif") and not value.startswith("about:"):
            return value
    srcset = el.get("srcset") or el.get("data-srcset")
    if srcset:
        return srcset.split(",")[-1].strip().split(" ")[0] or None
    return el.get("src")


# Inline runs are collected as (text, marks, href) tuples and become Spans once merged: the walk
# is the hot path of every reader, so it avoids building objects it would throw away.
_EM, _STRONG, _CODE = 1, 2, 4
_MARKS = {
    "em": _EM,
    "i": _EM,
    "cite": _EM,
    "var": _EM,
    "strong": _STRONG,
    "b": _STRONG,
    "code": _CODE,
    "kbd": _CODE,
    "samp": _CODE,
    "tt": _CODE,
}
#: Stands for <br> while whitespace is collapsed (control characters never survive clean_text).
_BREAK = "\ufdd0"
# A plain parser: lxml.html's element classes cost a Python lookup per node, and the tree is already clean.
_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, default_doctype=False)
_BLOCK_OR_IMAGE = tuple(_BLOCK_TAGS | {"img"})
_LAYOUT_TABLE_HINTS = ("table", "p", "div", "img", "ul", "ol", "blockquote", "pre", "h1", "h2", "h3")
Run = tuple[str, int, "str | None"]
_MARKS_AND_HREF = itemgetter(1, 2)


class _Converter:
    """Walks a sanitised tree once, appending blocks; inline runs are merged by their marks."""

    __slots__ = ("base_url", "holds_blocks")

    def __init__(self, base_url: str | None, root: etree._Element):
        self.base_url = base_url
        # Every element with a block or image below it, found in one pass instead of one search per element.
        self.holds_blocks: set[etree._Element] = set()
        for el in root.iterdescendants(*_BLOCK_OR_IMAGE):
            parent = el.getparent()
            while parent is not None and parent not in self.holds_blocks:
                self.holds_blocks.add(parent)
                parent = parent.getparent()

    # -- blocks -------------------------------------------------------------------------------
    def blocks(self, container: etree._Element, out: list[Block]) -> None:
        """Blocks of a container: block children map to blocks, loose inline content to paragraphs."""
        pending: list[Run] = []
        # Blank text before any inline content is dropped by _finish anyway: the indentation
        # between blocks never starts a run.
        text = container.text
        if text and not text.isspace():
            pending.append((text, 0, None))
        for child in container:
            tag = child.tag
            if tag.__class__ is str:
                if tag in _BLOCK_TAGS or tag == "img" or (tag in _CONTAINERS and child in self.holds_blocks):
                    if pending:
                        _paragraph(pending, out)
                        pending = []
                    self._block(child, tag, out)
                else:
                    self._inline(child, 0, None, pending)
            text = child.tail
            if text and (pending or not text.isspace()):
                pending.append((text, 0, None))
        if pending:
            _paragraph(pending, out)

    def _block(self, el: etree._Element, tag: str, out: list[Block]) -> None:
        if tag == "p":
            if not len(el):
                text = el.text
                if text:
                    _paragraph([(text, 0, None)], out)
            elif el in self.holds_blocks:
                # Images (or stray blocks) inside a paragraph become blocks of their own, in order.
                self.blocks(el, out)
            else:
                _paragraph(self._inline_runs(el), out)
        elif tag in _HEADING_LEVEL:
            text = _finish(self._inline_runs(el))
            if text:
                out.append(Heading(_HEADING_LEVEL[tag], text))
        elif tag == "blockquote":
            inner: list[Block] = []
            self.blocks(el, inner)
            if inner:
                out.append(Quote(tuple(inner)))
        elif tag in ("ul", "ol"):
            items: list[Inline] = []
            self._list_items(el, items)
            if items:
                out.append(ListBlock(tag == "ol", tuple(items)))
        elif tag == "pre":
            text = clean_text("".join(el.itertext())).strip("\n")
            if text.strip():
                out.append(Preformatted(text, el.get("lang") or _code_language(el)))
        elif tag == "img":
            image = self._image(el)
            if image:
                out.append(image)
        elif tag == "figure":
            self._figure(el, out)
        elif tag == "table":
            self._table(el, out)
        elif tag != "hr":
            self.blocks(el, out)

    def _list_items(self, el: etree._Element, items: list[Inline]) -> None:
        """Items of a list, nested lists flattened after their item. Text and inline elements
        outside any ``<li>`` (invalid, but pages have it) form items of their own, never lost."""
        loose: list[Run] = []
        if el.text and not el.text.isspace():
            loose.append((el.text, 0, None))
        for li in el:
            tag = li.tag
            if tag.__class__ is not str:
                pass
            elif tag in _BLOCK_TAGS:  # li, a nested list, or a stray block: loose text before it is an item
                _item(loose, items)
                loose = []
                if tag == "li":
                    self._list_item(li, items)
                elif tag in ("ul", "ol"):
                    self._list_items(li, items)
                else:
                    runs: list[Run] = []
                    self._inline(li, 0, None, runs)
                    _item(runs, items)
            else:
                self._inline(li, 0, None, loose)
            if li.tail and (loose or not li.tail.isspace()):
                loose.append((li.tail, 0, None))
        _item(loose, items)

    def _list_item(self, li: etree._Element, items: list[Inline]) -> None:
        """One ``<li>``: its inline text as an item, then the items of lists nested in it."""
        runs: list[Run] = []
        nested = []
        if li.text:
            runs.append((li.text, 0, None))
        for child in li:
            if child.tag in ("ul", "ol"):
                nested.append(child)
            elif child.tag.__class__ is str:
                if runs and child.tag in _BLOCK_TAGS:
                    runs.append((" ", 0, None))
                self._inline(child, 0, None, runs)
            if child.tail:
                runs.append((child.tail, 0, None))
        _item(runs, items)
        for sub in nested:
            self._list_items(sub, items)

    def _image(self, el: etree._Element, caption: str = "", credit: str = "") -> Image | None:
        src = safe_url(_image_src(el), self.base_url, image=True)
        if not src:
            return None
        return Image(src=src, alt=one_line(el.get("alt") or ""), caption=caption, credit=credit)

    def _figure(self, el: etree._Element, out: list[Block]) -> None:
        caption = credit = ""
        figcaption = el.find(".//figcaption")
        if figcaption is not None:
            credits = list(figcaption.iter("small", "cite"))
            credit = next((c for c in (one_line("".join(e.itertext())) for e in credits) if c), "")
            caption = one_line(_text_outside(figcaption, credits))
            figcaption.getparent().remove(figcaption)
        images = list(el.iter("img"))
        if not images:
            # A figure of text (a pull quote, a code listing): its content, then the caption.
            self.blocks(el, out)
            if caption:
                out.append(Paragraph((Span(caption, emphasis=True),)))
            return
        for n, img in enumerate(images):
            last = n == len(images) - 1
            image = self._image(img, caption if last else "", credit if last else "")
            if image:
                out.append(image)

    def _table(self, el: etree._Element, out: list[Block]) -> None:
        if any(True for _ in el.iterdescendants(*_LAYOUT_TABLE_HINTS)):
            # A layout table (cells holding whole sections): keep its content, not its grid.
            for cell in el.iter("td", "th"):
                self.blocks(cell, out)
            return
        header: list[tuple[Inline, ...]] = []
        rows: list[tuple[Inline, ...]] = []
        for tr in el.iter("tr"):
            cells = [c for c in tr if c.tag in ("td", "th")]
            if not cells:
                continue
            row = tuple(_finish(self._inline_runs(c)) for c in cells)
            parent = tr.getparent()
            if (parent.tag == "thead" or all(c.tag == "th" for c in cells)) and not rows:
                header.append(row)
            else:
                rows.append(row)
        if header or rows:
            out.append(Table(tuple(header), tuple(rows)))
        caption = el.find("caption")
        if caption is not None:
            text = one_line("".join(caption.itertext()))
            if text:
                out.append(Paragraph((Span(text, emphasis=True),)))

    # -- inline -------------------------------------------------------------------------------
    def _inline_runs(self, el: etree._Element) -> list[Run]:
        runs: list[Run] = []
        if el.text:
            runs.append((el.text, 0, None))
        for child in el:
            if child.tag.__class__ is str:
                self._inline(child, 0, None, runs)
            if child.tail:
                runs.append((child.tail, 0, None))
        return runs

    def _inline(self, el: etree._Element, marks: int, href: str | None, runs: list[Run]) -> None:
        tag = el.tag
        if tag == "br":
            runs.append((_BREAK, marks, href))
            return
        if tag == "img":
            return
        flag = _MARKS.get(tag)
        if flag:
            marks |= flag
        elif tag == "a":
            target = el.get("href")
            if target and not target.startswith("#"):
                link = target if target.startswith(("https://", "http://")) else safe_url(target, self.base_url)
                if link:
                    href = link
        quoted = tag == "q"
        if quoted:
            runs.append(("“", marks, href))
        if el.text:
            runs.append((el.text, marks, href))
        for child in el:
            if child.tag.__class__ is str:
                self._inline(child, marks, href, runs)
            if child.tail:
                runs.append((child.tail, marks, href))
        if quoted:
            runs.append(("”", marks, href))


def _item(runs: list[Run], items: list[Inline]) -> None:
    text = _finish(runs)
    if text:
        items.append(text)


def _paragraph(runs: list[Run], out: list[Block]) -> None:
    text = _finish(runs)
    if text:
        out.append(Paragraph(text))


def _text_outside(el: etree._Element, skipped: list[etree._Element]) -> str:
    """The text of ``el`` without the text inside the ``skipped`` descendants (their tails stay)."""
    parts = [el.text or ""]
    for child in el:
        if child not in skipped:
            parts.append(_text_outside(child, skipped))
        parts.append(child.tail or "")
    return "".join(parts)


def _collapse(text: str) -> str:
    """Whitespace runs become one space, as a browser shows them (control characters went in sanitize_html)."""
    words = text.split()
    if not words:
        return " " if text else ""
    joined = " ".join(words)
    if text[0].isspace():
        joined = " " + joined
    if text[-1].isspace():
        joined += " "
    return joined


def _finish(runs: list[Run]) -> Inline:
    """Merge runs with equal marks, collapse whitespace as a browser would and trim the edges."""
    if len(runs) == 1:
        # Most paragraphs are one text node: the common case gets no loop at all.
        return _one_kind(*runs[0])
    if not runs:
        return ()
    _, marks, href = runs[0]
    for run in runs:
        if run[1] != marks or run[2] != href:
            break
    else:
        return _one_kind("".join([run[0] for run in runs]), marks, href)
    spans: list[Span] = []
    after_space = True  # at the start, leading blanks are dropped
    for (marks, href), group in groupby(runs, _MARKS_AND_HREF):
        text = "".join([run[0] for run in group])
        if _BREAK in text:
            text = "\n".join(_collapse(part).strip(" ") for part in text.split(_BREAK))
        else:
            text = _collapse(text)
        if after_space and text[:1] == " ":
            text = text[1:]
        if not text:
            continue
        after_space = text[-1] in " \n"
        spans.append(Span(text, bool(marks & _EM), bool(marks & _STRONG), bool(marks & _CODE), href))
    while spans and not spans[-1].text.strip():
        spans.pop()
    while spans and not spans[0].text.strip():
        spans.pop(0)
    if not spans:
        return ()
    first, last = spans[0], spans[-1]
    if first.text != first.text.lstrip():
        spans[0] = first = Span(first.text.lstrip(), first.emphasis, first.strong, first.code, first.href)
    if last.text != last.text.rstrip():
        spans[-1] = Span(last.text.rstrip(), last.emphasis, last.strong, last.code, last.href)
    return tuple(spans)


def _one_kind(text: str, marks: int, href: str | None) -> Inline:
    """Text of one kind throughout (marks and link) as one span: no boundaries to care about."""
    text = _break_lines(text) if _BREAK in text else " ".join(text.split())
    return (Span(text, bool(marks & _EM), bool(marks & _STRONG), bool(marks & _CODE), href),) if text else ()


def _break_lines(text: str) -> str:
    """Text of one kind holding <br>s: each line's whitespace collapsed, lines joined by newlines."""
    return "\n".join(" ".join(part.split()) for part in text.split(_BREAK)).strip()


def _code_language(el: etree._Element) -> str | None:
    code = el.find("code")
    return code.get("lang") if code is not None else None
