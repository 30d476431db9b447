"""Article text → reportlab's Paragraph mini-markup: escaped, marked, linked, with font fallback runs.

reportlab's ``Paragraph`` reads a mini-markup, so every piece of article text is escaped here
and nowhere else. Characters the chosen font lacks go in ``<font>`` runs of a fallback font
(see :mod:`exporters.pdf.fonts`); those no installed font has become a visible placeholder.
Links are kept only when they lead somewhere: a web or mail address, or an article of the book.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from urllib.parse import urldefrag

from exporters.html.lazy import body_once
from exporters.model import Article, Inline, body_text
from exporters.pdf.fonts import FontFamily, FontSet, unrenderable
from exporters.pipeline.dates import format_date

__all__ = ["PLACEHOLDER", "LinkTargets", "article_text", "format_date", "header_text", "markup"]

_WEB = ("http://", "https://", "mailto:")

#: Printed for a character no installed font can draw (the "tofu" box readers know).
PLACEHOLDER = "\u25a1"


def header_text(article: Article) -> str:
    """What the PDF prints for an article besides its body (title, byline, site, address, lead image caption)."""
    extra = [article.title, article.site_name or "", *article.authors, article.url or ""]
    if article.image:
        extra += [article.image.caption, article.image.credit]
    return "\n".join(extra)


def article_text(article: Article) -> str:
    """Every character the PDF prints for an article: for the glyph coverage check."""
    return header_text(article) + "\n" + body_text(body_once(article.body))


class LinkTargets:
    """Where a link in the book leads: a web or mail address as it is, an article of the book to its page.

    ``#id`` (an article's id) and the URL of an article in the collection become links inside
    the PDF; anything else that is not http(s) or mailto (a ``#fragment`` with no target here,
    ``javascript:``, a relative path) is printed as plain text.
    """

    def __init__(self, articles: Iterable[Article] = ()):
        self._keys: dict[str, str] = {}
        for index, article in enumerate(articles):
            key = f"a{index}"
            self._keys.setdefault("#" + article.id, key)
            if article.url:
                self._keys.setdefault(_page_address(article.url), key)

    def resolve(self, href: str | None) -> tuple[str, bool] | None:
        """``(target, inside)`` for reportlab's ``<a href>``, or None when the link leads nowhere."""
        if not href:
            return None
        href = href.strip()
        key = self._keys.get(href) or (self._keys.get(_page_address(href)) if href.startswith(_WEB[:2]) else None)
        if key is not None:
            return "#" + key, True
        if href.lower().startswith(_WEB):
            return href, False
        return None


def _page_address(url: str) -> str:
    """A URL without its fragment or a trailing slash, so a link to an article matches however written."""
    return urldefrag(url)[0].rstrip("/")


def _runs(text: str, primary: FontFamily, fonts: FontSet) -> str:
    """Escaped text; characters ``primary`` lacks go in ``<font>`` runs of the first family that has them."""
    if set(text) <= primary.chars:
        return escape(text, quote=False)
    out: list[str] = []
    run: list[str] = []
    current: FontFamily = primary
    for char in text:
        family = primary
        if char not in primary.chars:
            if unrenderable(char):
                continue
            found = next((f for f in fonts.chain(primary) if char in f.chars), None)
            if found is None:
                char = PLACEHOLDER if PLACEHOLDER in primary.chars else "?"
            else:
                family = found
        if family is not current:
            out.append(_wrap_run("".join(run), current, primary))
            run, current = [], family
        run.append(char)
    out.append(_wrap_run("".join(run), current, primary))
    return "".join(out)


def _wrap_run(text: str, family: FontFamily, primary: FontFamily) -> str:
    if not text:
        return ""
    text = escape(text, quote=False)
    return text if family is primary else f'<font face="{family.name}">{text}</font>'


def link(target: str, html: str) -> str:
    """``html`` as a link to ``target`` (already resolved by :class:`LinkTargets`)."""
    return f'<a href="{escape(target)}" color="#1a4580">{html}</a>'


def markup(
    text: Inline | str, fonts: FontSet, notes: dict[str, int] | None = None, links: LinkTargets | None = None
) -> str:
    """Inline spans (or plain text) as Paragraph markup: escaped, marked, linked, with font fallback runs.

    When ``notes`` is given, each web link gets a superscript number (the same URL keeps its number).
    """
    if isinstance(text, str):
        return _runs(text, fonts.body, fonts)
    out: list[str] = []
    for span in text:
        if span.code:
            html = f'<font face="{fonts.mono.name}">{_runs(span.text, fonts.mono, fonts)}</font>'
        else:
            html = _runs(span.text, fonts.body, fonts)
        html = html.replace("\n", "<br/>")
        if span.emphasis:
            html = f"<i>{html}</i>"
        if span.strong:
            html = f"<b>{html}</b>"
        target = (links or _NO_ARTICLES).resolve(span.href)
        if target is not None:
            html = link(target[0], html)
            if notes is not None and not target[1]:
                number = notes.setdefault(target[0], len(notes) + 1)
                html += f"<super>{number}</super>"
        out.append(html)
    return "".join(out)


_NO_ARTICLES = LinkTargets()
