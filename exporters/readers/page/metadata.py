"""What a page declares about itself: JSON-LD, Dublin Core, Open Graph, Twitter and Parse.ly tags, <title>.

These are what publishers write for machines; they beat any guess from the page's layout.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

import lxml.html
from lxml import etree

from exporters.html.sanitize import safe_url
from exporters.model import Image
from exporters.pipeline.dates import parse_date
from exporters.text import one_line

__all__ = ["PageMetadata", "trafilatura_authors", "parse_page_date", "unique"]

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
        return unique(one_line(v) for v in values)


def _json_ld_article(root: lxml.html.HtmlElement) -> dict | None:
    """The first JSON-LD object typed as an article (Article, NewsArticle, BlogPosting...)."""
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json" or not script.text:
            continue
        # Pages re-serialised as XHTML wrap the JSON in CDATA markers.
        text = _CDATA.sub("", script.text).strip().rstrip(";")
        try:
            parsed = json.loads(text, strict=False)
        except (ValueError, RecursionError):  # malformed, an over-long number, or nested too deeply: ignored
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
    return unique(cleaned)


def trafilatura_authors(traf: Any) -> tuple[str, ...]:
    """trafilatura's byline guess, split into names of two words or more; it sometimes swallows the month of the date after it."""
    if traf is None or not traf.author:
        return ()
    names = []
    for name in traf.author.split(";"):
        name = _MONTH_OR_DAY.sub("", one_line(name))
        # A single word found by layout is a label ("Updated", "Username"), not a name.
        if len(name.split()) >= 2 and not _MONTH_OR_DAY.fullmatch(" " + name):
            names.append(name)
    return _clean_authors(names)


def _first_date(*values: str | None) -> datetime | None:
    for value in values:
        parsed = parse_page_date(value)
        if parsed:
            return parsed
    return None


def parse_page_date(value: str | None) -> datetime | None:
    """A page's date (see :func:`exporters.dates.parse_date`), or None when it is not a plausible one."""
    try:
        parsed = parse_date(value.strip() if value else None)
    except ValueError:
        return None
    return parsed if parsed is not None and 1900 <= parsed.year <= 2200 else None


def unique(values: Iterable[str]) -> tuple[str, ...]:
    seen: set[str] = set()
    out = []
    for value in values:
        key = value.casefold()
        if value and key not in seen:
            seen.add(key)
            out.append(value)
    return tuple(out)
