"""Saved HTML pages → one article: charset detection, page metadata and the main content.

The page is decoded once (BOM, then UTF-8, then the declared charset) and parsed once with
lxml. Metadata comes from what publishers declare for machines (JSON-LD, Dublin Core, Open
Graph, Twitter and Parse.ly tags, ``<title>``), with trafilatura's own guesses as the last
resort. The body is extracted by trafilatura; readability-lxml takes over when trafilatura
keeps too little. Either way the extracted HTML goes through
:func:`exporters.htmlblocks.blocks_from_html`, so nothing active survives into the model.
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
import trafilatura
from lxml import etree
from readability import Document as ReadabilityDocument
from trafilatura.htmlprocessing import convert_to_html

from exporters.html.blocks import blocks_from_html
from exporters.html.sanitize import safe_url
from exporters.model import Article, Block, Heading, Paragraph, article_id, body_text, plain_text
from exporters.readers.base import ArticleError, Reader
from exporters.readers.page.decode import decode_page
from exporters.readers.page.metadata import PageMetadata, parse_page_date, trafilatura_authors, unique
from exporters.text import one_line

__all__ = ["HtmlReader", "read_html_page", "decode_page", "PageMetadata"]

# Both extractors log every page they give up on; the reader reports problems itself.
for _name in ("trafilatura", "readability", "htmldate", "courlan"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)

_HIDDEN = etree.XPath("//*[@hidden or @aria-hidden='true' or contains(@style, 'none') or contains(@style, 'hidden')]")
_RELATIVE_LINKS = etree.XPath("//a[@href and not(starts-with(@href, 'http://') or starts-with(@href, 'https://'))]")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
# Below this much text trafilatura may have cut a short page's repeated or loosely marked-up
# paragraphs; readability-lxml is cheap on such pages, so its answer is worth comparing.
_SHORT_TEXT = 1500
_FALLBACK_GAIN = 1.25


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
    body, traf = _extract_body(root, page_url, meta.url, location)

    title = meta.title() or (traf.title if traf and traf.title else "") or _first_heading(body)
    title = one_line(title) or _title_from_source(source)
    body = _without_leading_title(body, title)
    if not body_text(body).strip():
        raise ArticleError(f"{source}: no article text found in the page")
    canonical = meta.canonical_url() or (url if url and url.startswith(("http://", "https://")) else None)
    return Article(
        id=article_id(canonical, title, body),
        title=title,
        body=body,
        url=canonical,
        authors=meta.authors() or trafilatura_authors(traf),
        published=meta.published() or parse_page_date(traf.date if traf else None),
        updated=meta.updated(),
        summary=meta.description() or one_line(traf.description if traf else "") or "",
        language=meta.language(),
        site_name=meta.site_name() or (one_line(traf.sitename) if traf and traf.sitename else None),
        tags=meta.tags() or unique(one_line(t) for t in ((traf.tags or []) + (traf.categories or []) if traf else [])),
        image=meta.image(),
        source=source,
    )


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
) -> tuple[tuple[Block, ...], Any]:
    """Main content as blocks: trafilatura's, or readability-lxml's when trafilatura keeps too little.

    ``url`` is where the page was fetched from, ``link_base`` what its links are relative to
    (that address or its canonical URL) and ``saved_at`` the file URI of a page read from disk.
    """
    captions = _mark_figures(root)
    try:
        traf = trafilatura.bare_extraction(
            # "html" only spares the plain-text rendering of the "python" format; the body tree is the same.
            root,
            url=url,
            output_format="html",
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=True,
            include_links=True,
            include_formatting=True,
            # Only dates the page states: the extensive search guesses from copyright lines and
            # falls back to the current year, which would make the output depend on the day.
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except (ValueError, TypeError, AttributeError, IndexError, KeyError, RecursionError, etree.LxmlError):
        # A page that trips trafilatura up is still worth readability-lxml's attempt.
        traf = None
    body: tuple[Block, ...] = ()
    if traf is not None and traf.body is not None:
        body = _blocks(etree.tostring(convert_to_html(traf.body), encoding="unicode"), link_base, saved_at, captions)
    kept = len(body_text(body))
    if kept < _SHORT_TEXT:
        fallback = _blocks(_readability_body(root, link_base), link_base, saved_at, captions)
        if len(body_text(fallback)) >= max(1, kept) * _FALLBACK_GAIN:
            body = fallback
    return body, traf


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


def _blocks(html: str, link_base: str | None, saved_at: str | None, captions: dict) -> tuple[Block, ...]:
    """Sanitised blocks, with figure captions restored and relative links and images made absolute.

    A saved page's images load from the files beside it when they are there, else from the site.
    """
    if not html.strip():
        return ()
    try:
        fragment = lxml.html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
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


def _readability_body(root: lxml.html.HtmlElement, url: str | None) -> str:
    try:
        return ReadabilityDocument(copy.deepcopy(root), url=url).summary(html_partial=True)
    except Exception:  # readability-lxml raises plain Exception subclasses on pages it cannot score
        return ""


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


def _first_heading(body: Iterable[Block]) -> str:
    return next((plain_text(b.text) for b in body if isinstance(b, Heading)), "")


def _title_from_source(source: str) -> str:
    stem = Path(source.rstrip("/").split("?")[0]).stem if source not in ("", "-") else ""
    return stem.replace("_", " ").replace("-", " ").strip() or "Untitled page"
