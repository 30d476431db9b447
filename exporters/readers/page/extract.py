"""Saved HTML pages → one article: charset detection, page metadata and the main content.

The page is decoded once (BOM, then UTF-8, then the declared charset) and parsed once with
lxml. Metadata comes from what publishers declare for machines (JSON-LD, Dublin Core, Open
Graph, Twitter and Parse.ly tags, ``<title>``), with trafilatura's own guesses as the last
resort. The body is extracted by trafilatura; readability-lxml takes over when trafilatura
keeps too little. Either way the extracted HTML goes through
:func:`exporters.htmlblocks.blocks_from_html`, so nothing active survives into the model.
"""

from __future__ import annotations

import codecs
import copy
import json
import logging
import re
from collections.abc import Iterable, Iterator
from datetime import datetime
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
from exporters.model import Article, Block, Heading, Image, Paragraph, article_id, body_text, plain_text
from exporters.pipeline.dates import parse_date
from exporters.readers.base import ArticleError, Reader, decode_text
from exporters.text import one_line

__all__ = ["HtmlReader", "read_html_page", "decode_page", "PageMetadata"]

# Both extractors log every page they give up on; the reader reports problems itself.
for _name in ("trafilatura", "readability", "htmldate", "courlan"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)

_META_CHARSET = re.compile(rb"""<meta\s[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
# WHATWG maps these labels to supersets; decoding with the narrow codec would fail on real pages.
_CHARSET_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "shift_jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "euc-kr": "cp949",
    "tis-620": "cp874",
}
_ARTICLE_TYPE = re.compile(r"(Article|Posting|Report|APIReference)$")
# Spaced separators publishers put between a headline and the site's name in <title>.
_TITLE_SEPARATOR = re.compile(r"\s[|\-–—\\/>»·]\s")
_MONTH_OR_DAY = re.compile(
    r"\s+(January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)$",
    re.IGNORECASE,
)
_BYLINE_PREFIX = re.compile(r"^(written\s+by|posted\s+by|by|par|von|por|di|door)\s+", re.IGNORECASE)
_KEYWORD_SEPARATOR = re.compile(r"[,;，；、]")
_CDATA = re.compile(r"^\s*(//\s*)?<!\[CDATA\[|(//\s*)?\]\]>\s*$")
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
        authors=meta.authors() or _trafilatura_authors(traf),
        published=meta.published() or _parse_date(traf.date if traf else None),
        updated=meta.updated(),
        summary=meta.description() or one_line(traf.description if traf else "") or "",
        language=meta.language(),
        site_name=meta.site_name() or (one_line(traf.sitename) if traf and traf.sitename else None),
        tags=meta.tags() or _unique(one_line(t) for t in ((traf.tags or []) + (traf.categories or []) if traf else [])),
        image=meta.image(),
        source=source,
    )


# -- decoding -------------------------------------------------------------------------------


def decode_page(data: bytes, source: str, charset: str | None = None) -> str:
    """Decode a page: byte-order mark, else valid UTF-8, else the server's or the page's declared charset."""
    for bom, encoding in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise ArticleError(f"{source}: not valid UTF-16 (byte {exc.start})") from None
    if data.startswith(codecs.BOM_UTF8):
        return decode_text(data, source)
    try:
        # Legacy encodings almost never produce valid multi-byte UTF-8, so valid UTF-8 is UTF-8
        # even when a re-saved page still declares its original charset.
        return decode_text(data, source)
    except ArticleError:
        declared = _codec(charset) or _declared_charset(data)
        if not declared or declared == "utf-8":
            raise
    try:
        return decode_text(data, source, declared)
    except ArticleError:
        if declared != "cp1252":
            raise
        # Browsers decode the few bytes windows-1252 leaves undefined as C1 controls.
        return decode_text(data, source, "latin-1")


def _declared_charset(data: bytes) -> str | None:
    # Only <meta> tags count: pages load scripts with charset attributes of their own.
    for match in _META_CHARSET.finditer(data[:16384]):
        codec = _codec(match.group(1).decode("ascii", "replace"))
        if codec:
            return codec
    return None


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    label = _CHARSET_ALIASES.get(label, label)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return "utf-8" if name in ("utf-8", "utf_8") else name


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


# -- metadata -------------------------------------------------------------------------------


class PageMetadata:
    """What a page declares about itself: meta tags, JSON-LD, <title>, <html lang>, canonical link."""

    def __init__(self, root: lxml.html.HtmlElement, url: str | None):
        #: What relative URLs in the page resolve against: its address, else its canonical URL.
        self.url = url
        self.meta: dict[str, list[str]] = {}
        metas = [el for el in root.iter("meta") if (el.get("content") or "").strip()]
        # RDFa ``property`` values are the publisher's metadata proper; ``name`` ones come second.
        for attr in ("property", "name", "itemprop", "http-equiv"):
            for el in metas:
                for key in (el.get(attr) or "").lower().split():
                    key = re.sub(r"^dcterms?[.:]", "dcterm:", key.replace("dc.", "dc:"))
                    self.meta.setdefault(key, []).append(el.get("content").strip())
        self.article = _json_ld_article(root)
        self.document_title = one_line(root.findtext(".//title") or "")
        self.lang = root.get("lang") or root.get("xml:lang")
        canonical = root.find(".//link[@rel='canonical']")
        self.canonical = canonical.get("href") if canonical is not None else None
        self.h1 = [one_line(h.text_content()) for h in root.iter("h1")]
        self.time_published = next(
            (
                t.get("datetime")
                for t in root.iter("time")
                if t.get("datetime") and "datePublished" in (t.get("itemprop") or "")
            ),
            None,
        )
        self.url = url or self.canonical_url()

    def first(self, *keys: str) -> str | None:
        """The first non-empty value among meta tags ``keys``, in that order of preference."""
        for key in keys:
            for value in self.meta.get(key, ()):
                value = one_line(value)
                if value:
                    return value
        return None

    def ld(self, key: str) -> Any:
        """A field of the page's JSON-LD article object, or None."""
        return self.article.get(key) if self.article else None

    def title(self) -> str:
        """The headline: JSON-LD, then Dublin Core/Open Graph/Twitter/Parse.ly, then <title> without the site's name."""
        declared = self._ld_headline() or self.first(
            "dc:title",
            "dcterm:title",
            "og:title",
            "weibo:article:title",
            "weibo:webpage:title",
            "title",
            "twitter:title",
            "parsely-title",
        )
        if declared:
            return declared
        if self.document_title:
            return _strip_site_name(self.document_title)
        return next((h for h in self.h1 if h), "")

    def _ld_headline(self) -> str:
        """JSON-LD ``headline`` or ``name``; when they differ, the one the <title> repeats.

        Some sites put the site's name or a description in one of the two fields.
        """
        headline, name = _ld_text(self.ld("headline")), _ld_text(self.ld("name"))
        if headline and name and headline != name:
            return (
                headline
                if _shares_words(headline, self.document_title) and not _shares_words(name, self.document_title)
                else name
            )
        return headline or name

    def authors(self) -> tuple[str, ...]:
        """Author names from JSON-LD or author meta tags; profile URLs are not names."""
        names = list(_ld_names(self.ld("author")))
        if not names:
            value = self.first(
                "dc:creator", "dcterm:creator", "author", "parsely-author", "sailthru.author", "article:author"
            )
            if value:
                names = [value]
        return _clean_authors(names)

    def published(self) -> datetime | None:
        """Publication date: JSON-LD, article meta tags, or a <time itemprop=datePublished>."""
        return _first_date(
            _ld_text(self.ld("datePublished")),
            self.first(
                "article:published_time",
                "og:published_time",
                "datepublished",
                "parsely-pub-date",
                "pubdate",
                "publishdate",
                "publish-date",
                "dc:date",
                "dcterm:created",
                "dcterm:date",
                "sailthru.date",
                "date",
            ),
            self.time_published,
        )

    def updated(self) -> datetime | None:
        """Last modification date when the page declares one."""
        return _first_date(
            _ld_text(self.ld("dateModified")),
            self.first("article:modified_time", "og:updated_time", "datemodified", "dcterm:modified"),
        )

    def description(self) -> str:
        """The page's own summary."""
        return (
            self.first("og:description", "description", "dc:description", "twitter:description")
            or _ld_text(self.ld("description"))
            or ""
        )

    def site_name(self) -> str | None:
        """Name of the publishing site."""
        publisher = self.ld("publisher")
        return self.first("og:site_name", "application-name") or (
            _ld_text(publisher.get("name")) if isinstance(publisher, dict) else None
        )

    def language(self) -> str | None:
        """BCP 47 language tag from <html lang>, then meta tags or JSON-LD."""
        value = (
            self.lang
            or self.first("content-language", "language", "dc:language", "og:locale")
            or _ld_text(self.ld("inLanguage"))
        )
        value = (value or "").strip().split(",")[0].replace("_", "-")
        return value if re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*", value) else None

    def image(self) -> Image | None:
        """Lead image (Open Graph, Twitter card or JSON-LD) as an absolute http(s) URL."""
        ld_image = self.ld("image")
        if isinstance(ld_image, list):
            ld_image = ld_image[0] if ld_image else None
        if isinstance(ld_image, dict):
            ld_image = ld_image.get("url") or ld_image.get("contentUrl")
        for candidate in (
            self.first("og:image:secure_url", "og:image", "og:image:url", "twitter:image", "twitter:image:src"),
            _ld_text(ld_image),
        ):
            src = safe_url(candidate, self.url, image=True)
            if src and not src.startswith("data:"):
                return Image(src=src, alt=self.first("og:image:alt", "twitter:image:alt") or "")
        return None

    def canonical_url(self) -> str | None:
        """The article's own address: canonical link, og:url or JSON-LD url, made absolute."""
        for candidate in (self.canonical, self.first("og:url"), _ld_text(self.ld("url"))):
            url = safe_url(candidate, self.url)
            if url and url.startswith(("http://", "https://")):
                return url
        return None

    def tags(self) -> tuple[str, ...]:
        """Tags and keywords, in page order, each once."""
        values: list[str] = list(self.meta.get("article:tag", []))
        for key in ("news_keywords", "keywords", "parsely-tags"):
            for value in self.meta.get(key, []):
                values.extend(_KEYWORD_SEPARATOR.split(value))
        keywords = self.ld("keywords")
        if isinstance(keywords, str):
            values.extend(_KEYWORD_SEPARATOR.split(keywords))
        elif isinstance(keywords, list):
            values.extend(k for k in keywords if isinstance(k, str))
        return _unique(one_line(v) for v in values)


def _json_ld_article(root: lxml.html.HtmlElement) -> dict | None:
    """The first JSON-LD object typed as an article (Article, NewsArticle, BlogPosting...)."""
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json" or not script.text:
            continue
        # Pages re-serialised as XHTML wrap the JSON in CDATA markers.
        text = _CDATA.sub("", script.text).strip().rstrip(";")
        try:
            parsed = json.loads(text, strict=False)
        except ValueError:
            continue
        for obj in _ld_objects(parsed):
            types = obj.get("@type")
            types = types if isinstance(types, list) else [types]
            if any(isinstance(t, str) and _ARTICLE_TYPE.search(t) for t in types):
                return obj
    return None


def _ld_objects(node: Any) -> Iterator[dict]:
    if isinstance(node, list):
        for item in node:
            yield from _ld_objects(item)
    elif isinstance(node, dict):
        yield node
        if "@graph" in node:
            yield from _ld_objects(node["@graph"])


def _ld_text(value: Any) -> str:
    """A JSON-LD text field as plain text (some publishers put markup or entities in it)."""
    if isinstance(value, list):
        value = value[0] if value else None
    if not isinstance(value, str) or not value.strip():
        return ""
    if "<" in value or "&" in value:
        try:
            value = lxml.html.fromstring(value).text_content()
        except (etree.ParserError, ValueError):
            pass
    return one_line(value)


def _ld_names(value: Any) -> Iterator[str]:
    if isinstance(value, list):
        for item in value:
            yield from _ld_names(item)
    elif isinstance(value, dict):
        name = value.get("name")
        if isinstance(name, str):
            yield name
    elif isinstance(value, str):
        yield value


def _strip_site_name(title: str) -> str:
    """``Headline | Site`` → ``Headline`` when what stays is long enough to be a headline on its own."""
    parts = list(_TITLE_SEPARATOR.finditer(title))
    if not parts:
        return title
    head = title[: parts[-1].start()].strip()
    if len(head.split()) >= 5:
        return head
    # ``Site | Headline``: the site's name comes first and is short.
    if len(head.split()) < 3:
        tail = title[parts[0].end() :].strip()
        if len(tail.split()) >= 5:
            return tail
    return title


def _shares_words(text: str, other: str) -> bool:
    """Whether at least three quarters of the words of ``text`` occur in ``other``."""
    words = re.findall(r"\w+", text.casefold())
    others = set(re.findall(r"\w+", other.casefold()))
    return bool(words) and sum(w in others for w in words) >= 0.75 * len(words)


def _clean_authors(names: Iterable[str]) -> tuple[str, ...]:
    cleaned = []
    for name in names:
        name = one_line(re.sub(r"\(\s*https?://[^)]*\)", "", name))
        name = _BYLINE_PREFIX.sub("", name)
        if not name or re.match(r"https?://", name) or "@" in name and " " not in name:
            continue
        cleaned.append(name)
    return _unique(cleaned)


def _trafilatura_authors(traf: Any) -> tuple[str, ...]:
    """trafilatura's byline guess, split into names; it sometimes swallows the month of the date after it."""
    if traf is None or not traf.author:
        return ()
    names = []
    for name in traf.author.split(";"):
        name = _MONTH_OR_DAY.sub("", one_line(name))
        if name and not _MONTH_OR_DAY.fullmatch(" " + name):
            names.append(name)
    return _clean_authors(names)


def _first_date(*values: str | None) -> datetime | None:
    for value in values:
        parsed = _parse_date(value)
        if parsed:
            return parsed
    return None


def _parse_date(value: str | None) -> datetime | None:
    """A page's date (see :func:`exporters.dates.parse_date`), or None when it is not a plausible one."""
    try:
        parsed = parse_date(value.strip() if value else None)
    except ValueError:
        return None
    return parsed if parsed is not None and 1900 <= parsed.year <= 2200 else None


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    seen: set[str] = set()
    out = []
    for value in values:
        key = value.casefold()
        if value and key not in seen:
            seen.add(key)
            out.append(value)
    return tuple(out)
