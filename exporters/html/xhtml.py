"""Model blocks → XHTML, shared by every exporter that emits HTML (EPUB chapters, feed content)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from html import escape
from urllib.parse import quote, urlsplit, urlunsplit

from exporters.model import Block, Heading, Image, Inline, ListBlock, Paragraph, Preformatted, Quote, Table

__all__ = ["render_blocks", "render_inline", "valid_url", "linkable"]

#: Maps an image block to the URL to use in output, or None to leave the image out.
ImageResolver = Callable[[Image], "str | None"]
#: Maps a link's href to the URL written in output.
LinkResolver = Callable[[str], str]


def _keep_src(image: Image) -> str | None:
    return image.src if image.src.startswith(("http://", "https://")) else None


def _keep_href(href: str) -> str:
    return href


# Characters a URL may hold as they are; anything else (spaces, quotes, non-ASCII) is percent-encoded.
_URL_SAFE = ":/?#[]@!$&'()*+,;=%~-._"
_URL_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789" + _URL_SAFE.replace("%", "")
_LONE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_NEEDS_ENCODING = re.compile(r"[^A-Za-z0-9:/?#\[\]@!$&'()*+,;=%~._-]|%(?![0-9A-Fa-f]{2})")


def valid_url(url: str) -> str:
    """``url`` as a valid URL string (what EPUBCheck demands of an ``href``); a valid URL comes back unchanged.

    The host becomes IDNA (punycode); spaces, non-ASCII characters, quotes and a ``%`` that
    starts no escape are percent-encoded. Pass it as ``link_href`` to :func:`render_blocks`.
    """
    if url.isascii() and "%" not in url and not url.strip(_URL_CHARS):
        return url  # only characters a URL may hold as they are (the common case; no regex needed)
    if not _NEEDS_ENCODING.search(url):
        return url
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        parts, host = None, None
    if parts is not None and host and not host.isascii():
        try:
            ascii_host = host.encode("idna").decode("ascii")
        except UnicodeError:
            ascii_host = host
        # hostname is lower-cased: find it in the netloc regardless of case, keeping user and port.
        start = parts.netloc.lower().rfind(host)
        if start != -1:
            netloc = parts.netloc[:start] + ascii_host + parts.netloc[start + len(host) :]
            url = urlunsplit(parts._replace(netloc=netloc))
    return quote(_LONE_PERCENT.sub("%25", url), safe=_URL_SAFE)


_LINK_SCHEMES = ("http://", "https://", "mailto:")


def linkable(href: str) -> bool:
    """Whether a model link may become a live link in output: http(s) and mailto only.

    Readers already drop every other scheme (:func:`~exporters.html.sanitize.safe_url`); this is
    the second line of defence for articles built another way. A link that fails keeps its text.
    """
    return href[:8].lower().startswith(_LINK_SCHEMES)


def render_inline(text: Inline, link_href: LinkResolver = _keep_href) -> str:
    """Inline spans as XHTML: escaped text with em/strong/code/a and <br/> for line breaks."""
    if len(text) == 1:
        span = text[0]
        if not (span.code or span.emphasis or span.strong or span.href):
            # Most paragraphs are one plain span: escape it in place, no list, no join.
            return _text_xhtml(span.text)
    out: list[str] = []
    for span in text:
        html = _text_xhtml(span.text)
        if span.code:
            html = f"<code>{html}</code>"
        if span.emphasis:
            html = f"<em>{html}</em>"
        if span.strong:
            html = f"<strong>{html}</strong>"
        if span.href and linkable(span.href):
            html = f'<a href="{escape(link_href(span.href))}">{html}</a>'
        out.append(html)
    return "".join(out)


def _text_xhtml(text: str) -> str:
    """Text as XHTML character data: escaped, line breaks as ``<br/>``.

    ``html.escape(text, quote=False)`` spelled out: this runs once per span of every body, and the call costs more than the replaces.
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br/>")


def render_blocks(
    blocks: Iterable[Block],
    image_src: ImageResolver = _keep_src,
    *,
    heading_offset: int = 0,
    link_href: LinkResolver = _keep_href,
) -> str:
    """Blocks as an XHTML fragment; ``heading_offset`` shifts heading levels (capped at h6).

    ``link_href`` rewrites every link's URL (e.g. :func:`valid_url`); by default hrefs are kept.
    """
    out: list[str] = []
    for block in blocks:
        if block.__class__ is Paragraph:
            out.append(f"<p>{render_inline(block.text, link_href)}</p>")
        elif isinstance(block, Heading):
            level = min(6, block.level + heading_offset)
            out.append(f"<h{level}>{render_inline(block.text, link_href)}</h{level}>")
        elif isinstance(block, Quote):
            out.append(
                f"<blockquote>{render_blocks(block.blocks, image_src, heading_offset=heading_offset, link_href=link_href)}</blockquote>"
            )
        elif isinstance(block, ListBlock):
            tag = "ol" if block.ordered else "ul"
            items = "".join(f"<li>{render_inline(item, link_href)}</li>" for item in block.items)
            out.append(f"<{tag}>{items}</{tag}>")
        elif isinstance(block, Preformatted):
            out.append(f"<pre>{escape(block.text, quote=False)}</pre>")
        elif isinstance(block, Image):
            out.append(_figure(block, image_src(block)))
        elif isinstance(block, Table):
            out.append(_table(block, link_href))
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


def _table(table: Table, link_href: LinkResolver) -> str:
    def row(cells: tuple[Inline, ...], tag: str) -> str:
        return "<tr>" + "".join(f"<{tag}>{render_inline(c, link_href)}</{tag}>" for c in cells) + "</tr>"

    head = "".join(row(r, "th") for r in table.header)
    body = "".join(row(r, "td") for r in table.rows)
    return (
        "<table>" + (f"<thead>{head}</thead>" if head else "") + (f"<tbody>{body}</tbody>" if body else "") + "</table>"
    )
