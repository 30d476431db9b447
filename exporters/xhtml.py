"""Model blocks → XHTML, shared by every exporter that emits HTML (EPUB chapters, feed content)."""

from __future__ import annotations

from html import escape
from typing import Callable, Iterable

from .model import Block, Heading, Image, Inline, ListBlock, Paragraph, Preformatted, Quote, Span, Table

__all__ = ["render_blocks", "render_inline"]

#: Maps an image block to the URL to use in output, or None to leave the image out.
ImageResolver = Callable[[Image], "str | None"]


def _keep_src(image: Image) -> str | None:
    return image.src if image.src.startswith(("http://", "https://")) else None


def render_inline(text: Inline) -> str:
    """Inline spans as XHTML: escaped text with em/strong/code/a and <br/> for line breaks."""
    out: list[str] = []
    for span in text:
        html = escape(span.text, quote=False).replace("\n", "<br/>")
        if span.code:
            html = f"<code>{html}</code>"
        if span.emphasis:
            html = f"<em>{html}</em>"
        if span.strong:
            html = f"<strong>{html}</strong>"
        if span.href:
            html = f'<a href="{escape(span.href)}">{html}</a>'
        out.append(html)
    return "".join(out)


def render_blocks(blocks: Iterable[Block], image_src: ImageResolver = _keep_src, *, heading_offset: int = 0) -> str:
    """Blocks as an XHTML fragment; ``heading_offset`` shifts heading levels (capped at h6)."""
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            out.append(f"<p>{render_inline(block.text)}</p>")
        elif isinstance(block, Heading):
            level = min(6, block.level + heading_offset)
            out.append(f"<h{level}>{render_inline(block.text)}</h{level}>")
        elif isinstance(block, Quote):
            out.append(f"<blockquote>{render_blocks(block.blocks, image_src, heading_offset=heading_offset)}</blockquote>")
        elif isinstance(block, ListBlock):
            tag = "ol" if block.ordered else "ul"
            items = "".join(f"<li>{render_inline(item)}</li>" for item in block.items)
            out.append(f"<{tag}>{items}</{tag}>")
        elif isinstance(block, Preformatted):
            out.append(f"<pre>{escape(block.text, quote=False)}</pre>")
        elif isinstance(block, Image):
            out.append(_figure(block, image_src(block)))
        elif isinstance(block, Table):
            out.append(_table(block))
    return "".join(out)


def _figure(image: Image, src: str | None) -> str:
    caption = escape(image.caption, quote=False)
    if image.credit:
        caption += (" " if caption else "") + f'<small class="credit">{escape(image.credit, quote=False)}</small>'
    if not image.src and caption:
        # A photo whose file was not saved (plain-text copies): its caption and credit still belong to the story.
        return f'<figure class="caption-only"><figcaption>{caption}</figcaption></figure>'
    if src is None:
        return ""
    img = f'<img src="{escape(src)}" alt="{escape(image.alt)}"/>'
    return f"<figure>{img}<figcaption>{caption}</figcaption></figure>" if caption else f"<figure>{img}</figure>"


def _table(table: Table) -> str:
    def row(cells: tuple[Inline, ...], tag: str) -> str:
        return "<tr>" + "".join(f"<{tag}>{render_inline(c)}</{tag}>" for c in cells) + "</tr>"

    head = "".join(row(r, "th") for r in table.header)
    body = "".join(row(r, "td") for r in table.rows)
    return "<table>" + (f"<thead>{head}</thead>" if head else "") + (f"<tbody>{body}</tbody>" if body else "") + "</table>"
