"""Saved HTML pages → one article: charset detection, page metadata and the main content.

The page is decoded once (BOM, then UTF-8, then the declared charset) and parsed once with
lxml. Metadata comes from what publishers declare for machines (JSON-LD, Dublin Core, Open
Graph, Twitter and Parse.ly tags, ``<title>``), with trafilatura's own guesses as the last
resort. The body is trafilatura's or readability-lxml's extraction, chosen by how the two
agree (:mod:`exporters.readers.page.body`). Either way the extracted HTML goes through
:func:`exporters.html.blocks.blocks_from_html`, so nothing active survives into the model.
"""

from __future__ import annotations

import copy
import logging
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit
from urllib.request import url2pathname

import lxml.html
from lxml import etree

from exporters.html.blocks import blocks_from_html
from exporters.html.sanitize import safe_url
from exporters.model import Article, Block, Heading, Paragraph, article_id, body_text, plain_text
from exporters.readers.base import ArticleError, Reader
from exporters.readers.page.body import main_content
from exporters.readers.page.byline import shown_authors
from exporters.readers.page.decode import decode_page
from exporters.readers.page.guessed import GUESSABLE, guessed_metadata
from exporters.readers.page.metadata import PageMetadata, parse_page_date, trafilatura_authors, unique
from exporters.text import one_line

__all__ = ["HtmlReader", "read_html_page", "decode_page", "PageMetadata"]

# Both extractors log every page they give up on; the reader reports problems itself.
for _name in ("trafilatura", "readability", "htmldate", "courlan"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)

_HIDDEN = etree.XPath("//*[@hidden or @aria-hidden='true' or contains(@style, 'none') or contains(@style, 'hidden')]")
_RELATIVE_LINKS = etree.XPath("//a[@href and not(starts-with(@href, 'http://') or starts-with(@href, 'https://'))]")
#: A byline paragraph is at most this long ("By Jane Doe and John Roe, Science Correspondent, 4 March 2024").
_BYLINE_WORDS = 16
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


class HtmlReader(Reader):
    """Reads a saved web page (``.html``, ``.htm``, ``.xhtml``) as one article."""

    name = "html"
    file_extensions = (".html", ".htm", ".xhtml")

    def sniff(self, head: bytes) -> bool:
        """Whether the input starts like an HTML document."""
        start = head[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if start.startswith(b"<?xml"):
            start = start[start.find(b"?>") + 2 :].lstrip()
        while start.startswith(b"<!--"):
            end = start.find(b"-->")
            if end < 0:
                return False
            start = start[end + 3 :].lstrip()
        return start.startswith((b"<!doctype html", b"<html"))

    def read(self, data: bytes, source: str) -> list[Article]:
        """The article in a saved page; relative images resolve to files beside the page."""
        location = None
        if source not in ("", "-") and "://" not in source:
            location = Path(source).resolve().as_uri()
        return [_read_page(data, source, url=None, location=location, charset=None)]


def read_html_page(data: bytes, source: str, url: str | None = None, charset: str | None = None) -> Article:
    """The article in the HTML ``data`` of a page at ``url`` (links and images resolve against it).

    ``charset`` is the one a server announced; a byte-order mark or valid UTF-8 wins over it.
    Raises :class:`ArticleError` naming ``source`` when the page cannot be read or holds no text.
    """
    return _read_page(data, source, url=url, location=None, charset=charset)


def _read_page(data: bytes, source: str, *, url: str | None, location: str | None, charset: str | None) -> Article:
    """One article from a page fetched from ``url`` or saved at the file URI ``location``."""
    text = decode_page(data, source, charset)
    try:
        root = lxml.html.document_fromstring(
            text.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8", remove_comments=True)
        )
    except (etree.ParserError, ValueError) as exc:
        raise ArticleError(f"{source}: not an HTML page ({exc})") from None
    base_href = _base_href(root)
    page_url = _join(url, base_href) if base_href else url
    meta = PageMetadata(root, page_url)
    _prepare_tree(root, meta.url)
    body = _extract_body(root, page_url, meta.url, location)
    declared_authors = meta.authors() or shown_authors(root)
    traf = _guesses(root, page_url, meta, declared_authors)

    title = meta.title() or (traf.title if traf and traf.title else "") or _first_heading(body)
    title = one_line(title) or _title_from_source(source)
    body = _without_leading_title(body, title)
    authors = declared_authors or trafilatura_authors(traf)
    body = _without_byline(body, authors)
    if not body_text(body).strip():
        raise ArticleError(f"{source}: no article text found in the page")
    canonical = meta.canonical_url() or (url if url and url.startswith(("http://", "https://")) else None)
    return Article(
        id=article_id(canonical, title, body),
        title=title,
        body=body,
        url=canonical,
        authors=authors,
        published=meta.published() or parse_page_date(traf.date if traf else None),
        updated=meta.updated(),
        summary=meta.description() or one_line(traf.description if traf else "") or "",
        language=meta.language(),
        site_name=meta.site_name() or (one_line(traf.sitename) if traf and traf.sitename else None),
        tags=meta.tags() or unique(one_line(t) for t in ((traf.tags or []) + (traf.categories or []) if traf else [])),
        image=meta.image(),
        source=source,
    )


def _guesses(root: lxml.html.HtmlElement, url: str | None, meta: PageMetadata, authors: tuple[str, ...]) -> Any:
    """trafilatura's guesses from the layout when the page does not state the essentials, or None.

    Only the fields the page leaves out are guessed: the others would not be used.
    """
    if meta.title() and authors and meta.published():
        return None
    declared = {
        "title": meta.title(),
        "author": authors,
        "date": meta.published(),
        "description": meta.description(),
        "sitename": meta.site_name(),
        "tags": meta.tags(),
    }
    return guessed_metadata(root, url, [field for field in GUESSABLE if not declared[field]])


# -- page cleaning and extraction -----------------------------------------------------------


def _prepare_tree(root: lxml.html.HtmlElement, link_base: str | None) -> None:
    """Remove what a reader never sees (hidden elements, text screen readers skip) and make links absolute.

    Links are resolved here because trafilatura resolves relative ones against the site's root.
    """
    for el in _HIDDEN(root):
        if (
            el.tag not in ("html", "body", "head")
            and (
                el.get("hidden") is not None
                or el.get("aria-hidden") == "true"
                or _HIDDEN_STYLE.search(el.get("style") or "")
            )
            and el.getparent() is not None
        ):
            el.drop_tree()
    if link_base:
        for a in _RELATIVE_LINKS(root):
            href = safe_url(a.get("href"), link_base)
            if href:
                a.set("href", href)


def _extract_body(
    root: lxml.html.HtmlElement, url: str | None, link_base: str | None, saved_at: str | None
) -> tuple[Block, ...]:
    """Main content as blocks: trafilatura's or readability-lxml's, whichever their agreement favours.

    ``url`` is where the page was fetched from, ``link_base`` what its links are relative to
    (that address or its canonical URL) and ``saved_at`` the file URI of a page read from disk.
    """
    captions = _mark_figures(root)
    return _blocks(main_content(root, url), link_base, saved_at, captions)


def _mark_figures(root: lxml.html.HtmlElement) -> dict[str, lxml.html.HtmlElement]:
    """Tag each captioned figure's image so its caption can be put back after extraction.

    trafilatura keeps images (with their ``title``) but drops ``<figcaption>``.
    """
    captions = {}
    for n, figure in enumerate(root.iter("figure")):
        figcaption = figure.find(".//figcaption")
        images = list(figure.iter("img"))
        if figcaption is None or not images or not figcaption.text_content().strip():
            continue
        key = f"newsexport-figure-{n}"
        images[-1].set("title", key)
        caption = copy.deepcopy(figcaption)
        caption.tail = None
        captions[key] = caption
    return captions


def _blocks(
    fragment: lxml.html.HtmlElement | None, link_base: str | None, saved_at: str | None, captions: dict
) -> tuple[Block, ...]:
    """Sanitised blocks of the extracted ``<div>``, with figure captions restored and links and images made absolute.

    A saved page's images load from the files beside it when they are there, else from the site.
    """
    if fragment is None:
        return ()
    for img in list(fragment.iter("img")):
        _resolve_image(img, link_base, saved_at)
        caption = captions.get(img.get("title") or "")
        if caption is None:
            continue
        del img.attrib["title"]
        if any(ancestor.tag == "figure" for ancestor in img.iterancestors()):
            continue
        figure = lxml.html.Element("figure")
        img.addprevious(figure)
        figure.tail, img.tail = img.tail, None
        figure.append(img)
        figure.append(copy.deepcopy(caption))
    for a in fragment.iter("a"):
        href = safe_url(a.get("href"), link_base)
        if href:
            a.set("href", href)
        else:
            a.attrib.pop("href", None)
    return blocks_from_html(etree.tostring(fragment, encoding="unicode"), saved_at or link_base)


def _resolve_image(img: lxml.html.HtmlElement, link_base: str | None, saved_at: str | None) -> None:
    """Point a relative image at the site unless the file was saved beside the page.

    A relative source that stays relative resolves against ``saved_at`` in the converter (the
    sanitiser lets no ``file:`` URL through, so local files must stay relative until then).
    """
    src = (img.get("src") or "").strip()
    if not src or urlsplit(src).scheme or not link_base:
        return
    if saved_at:
        local = _join(saved_at, src)
        if local and Path(url2pathname(urlsplit(local).path)).is_file():
            return
    img.set("src", _join(link_base, src) or src)


def _base_href(root: lxml.html.HtmlElement) -> str | None:
    base = root.find(".//base[@href]")
    return base.get("href").strip() if base is not None and base.get("href", "").strip() else None


def _join(base: str | None, ref: str) -> str | None:
    try:
        return urljoin(base, ref) if base else ref
    except ValueError:
        return base


def _without_leading_title(body: tuple[Block, ...], title: str) -> tuple[Block, ...]:
    """Drop a first heading that repeats the title (the page's own <h1>, maybe without the site's name)."""
    if body and isinstance(body[0], Heading):
        heading = one_line(plain_text(body[0].text))
        if heading and (heading == title or title.startswith(heading) and not title[len(heading)].isalnum()):
            return body[1:]
    if body and isinstance(body[0], Paragraph) and one_line(plain_text(body[0].text)) == title:
        return body[1:]
    return body


def _without_byline(body: tuple[Block, ...], authors: tuple[str, ...]) -> tuple[Block, ...]:
    """Drop a short paragraph near the top that only names the authors (the byline is metadata).

    readability-lxml keeps the byline block that trafilatura leaves out.
    """
    if not authors:
        return body
    for n, block in enumerate(body[:3]):
        if not isinstance(block, Paragraph):
            continue
        text = one_line(plain_text(block.text))
        if len(text.split()) <= _BYLINE_WORDS and any(name.casefold() in text.casefold() for name in authors):
            return body[:n] + body[n + 1 :]
    return body


def _first_heading(body: Iterable[Block]) -> str:
    return next((plain_text(b.text) for b in body if isinstance(b, Heading)), "")


def _title_from_source(source: str) -> str:
    stem = Path(source.rstrip("/").split("?")[0]).stem if source not in ("", "-") else ""
    return stem.replace("_", " ").replace("-", " ").strip() or "Untitled page"
