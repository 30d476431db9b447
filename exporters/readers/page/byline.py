"""The byline a page shows its readers, for pages whose metadata names no author.

Publishers mark bylines up for styling and for screen readers: an element whose class says
``byline`` or ``author``, ``itemprop="author"``, ``rel="author"``, or a short line that reads
"By Name". The names are, in that order of preference, the parts marked ``itemprop="name"`` inside such
an element, its links to a profile page, any of its links (the rest is a job title or a
date), else its text without the "By".
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import lxml.html

__all__ = ["shown_authors"]

_BY = re.compile(r"^\s*(written\s+by|posted\s+by|by|par|von|por|di|door|av|af)\s+", re.IGNORECASE)
_MARKED = re.compile(r"byline|^author|author$|authorname|^writer$", re.IGNORECASE)
# Ancestors whose authors are not the article's: comments, related stories, quotes.
_ELSEWHERE = re.compile(r"comment|related|recommend|promo|sidebar|footer|blockquote|quote", re.IGNORECASE)
_NAME_WORD = re.compile(r"^([A-ZÀ-ÞĀ-ſ][\w'’.-]*|de|da|van|von|der|den|del|la|le|bin|al|el|y|di)$")
_NAME_SEPARATOR = re.compile(r"\s*(?:,|;|&|\band\b|\bund\b|\bet\b)\s*")
# Where a link to a person's page goes.
_PROFILE = re.compile(
    r"/(authors?|profiles?|people|staff|writers?|contributors?|journalists?|auteurs?|autor(es)?)/", re.I
)
#: A byline element with more text than this is a whole author box, not a byline.
_MAX_CHARS = 120


def shown_authors(root: lxml.html.HtmlElement) -> tuple[str, ...]:
    """Author names from the first byline element in the page, or ()."""
    for element in _byline_elements(root):
        if any(_ELSEWHERE.search(_marks(a)) or a.tag == "blockquote" for a in element.iterancestors()):
            continue
        text = " ".join(element.text_content().split())
        if not text or len(text) > _MAX_CHARS:
            continue
        for pieces in (
            element.xpath(".//*[@itemprop='name']"),
            [a for a in element.iter("a") if "author" in (a.get("rel") or "") or _PROFILE.search(a.get("href") or "")],
            list(element.iter("a")),
        ):
            names = [name for name in (" ".join(p.text_content().split()) for p in pieces) if _is_name(name)]
            if names:
                return tuple(dict.fromkeys(names))
        names = [name for name in _NAME_SEPARATOR.split(_BY.sub("", text)) if _is_name(name)]
        if names:
            return tuple(dict.fromkeys(names))
    return ()


def _byline_elements(root: lxml.html.HtmlElement) -> Iterator[lxml.html.HtmlElement]:
    """Elements marked as a byline or author, then short elements reading "By Name", in page order."""
    body = root.find("body")
    if body is None:
        return
    for element in body.iter():
        if not isinstance(element.tag, str):
            continue
        if (
            element.get("itemprop") == "author"
            or "author" in (element.get("rel") or "").split()
            or any(_MARKED.search(token) for token in (element.get("class") or "").split())
        ):
            yield element
    for element in body.iter("p", "span", "div", "address"):
        text = element.text_content()
        if len(text) <= _MAX_CHARS and _BY.match(text):
            yield element


def _marks(element: lxml.html.HtmlElement) -> str:
    return f"{element.get('class') or ''} {element.get('id') or ''}"


def _is_name(text: str) -> bool:
    """Two to five words, capitalised (particles aside), no digits: a person's name."""
    words = text.split()
    return (
        2 <= len(words) <= 5
        and not any(c.isdigit() for c in text)
        and "@" not in text
        and all(_NAME_WORD.match(word) for word in words)
        and words[0][0].isupper()
    )
