"""Allow-list sanitising of untrusted HTML (nh3) and the URL rules every reader applies."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import nh3

from exporters.text import clean_text, strip_control

__all__ = ["sanitize_html", "safe_url", "flatten_deep_nesting", "MAX_DEPTH"]

# span and font carry nothing the model keeps: nh3 unwraps them (their content stays), which leaves a
# quarter fewer elements to parse and walk in typical pages.
_KEPT_TAGS = {
    "a",
    "abbr",
    "article",
    "b",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "dd",
    "del",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "footer",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "main",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "samp",
    "section",
    "small",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "tt",
    "u",
    "ul",
    "var",
    "picture",
    "source",
    "aside",
    "details",
    "summary",
    "center",
}
# Removed with everything inside them: active content and page furniture that is never prose.
_DROPPED_WITH_CONTENT = {
    "script",
    "style",
    "iframe",
    "noscript",
    "template",
    "object",
    "embed",
    "applet",
    "form",
    "button",
    "select",
    "textarea",
    "input",
    "svg",
    "math",
    "canvas",
    "video",
    "audio",
    "nav",
    "head",
    "title",
    "frameset",
    "frame",
    "noembed",
    "noframes",
    "dialog",
    "menu",
}
_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {
        "src",
        "alt",
        "title",
        "data-src",
        "data-original",
        "data-lazy-src",
        "srcset",
        "data-srcset",
        "width",
        "height",
    },
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


#: Elements nested deeper than this are unwrapped (their text stays): the sanitiser's time grows with
#: the square of the depth, and no article needs more than a few dozen levels.
MAX_DEPTH = 200
#: Shorter HTML cannot nest deep enough to be slow (5,000 levels take 0.1 s), so it is not scanned.
_SCAN_FROM = 32 * 1024
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)[^>]*>")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
# Elements whose start tag closes an open one of the same name (<li>a<li>b), which are not nesting.
_SELF_CLOSING_SIBLINGS = {"p", "li", "dt", "dd", "tr", "td", "th", "option"}


def sanitize_html(html: str) -> str:
    """Allow-list sanitise an HTML fragment: no script, handler, style, iframe, form or unsafe URL survives."""
    if len(html) > _SCAN_FROM:
        html = flatten_deep_nesting(html)
    try:
        cleaned = _CLEANER.clean(html)
    except UnicodeEncodeError:  # a lone surrogate (JSON can escape one) is no character: drop them first
        cleaned = _CLEANER.clean(strip_control(html))
    return clean_text(cleaned)


def flatten_deep_nesting(html: str, limit: int = MAX_DEPTH) -> str:
    """``html`` with the tags of elements nested more than ``limit`` deep removed, their content kept."""
    stack: list[tuple[str, bool]] = []  # (tag name, removed)
    cuts: list[tuple[int, int]] = []
    for match in _TAG.finditer(html):
        closing, name = match.group(1), match.group(2).lower()
        if name in _VOID or match.group(0).endswith("/>"):
            continue
        if not closing:
            if name in _SELF_CLOSING_SIBLINGS and stack and stack[-1][0] == name:
                stack.pop()
            removed = len(stack) >= limit
            stack.append((name, removed))
            if removed:
                cuts.append(match.span())
            continue
        for depth in range(len(stack) - 1, -1, -1):
            if stack[depth][0] == name:
                if stack[depth][1]:
                    cuts.append(match.span())
                del stack[depth:]
                break
    if not cuts:
        return html
    pieces, start = [], 0
    for begin, end in cuts:
        pieces.append(html[start:begin])
        start = end
    pieces.append(html[start:])
    return "".join(pieces)


def safe_url(url: object, base_url: str | None = None, *, image: bool = False) -> str | None:
    """An absolute, safe URL for a link or image, or None when it is unusable, dangerous or not text."""
    if not url or not isinstance(url, str):
        return None
    url = url.strip()
    if image and url.lower().startswith("data:"):
        return url if _IMAGE_DATA.match(url) else None
    if not base_url and url.startswith(("https://", "http://")) and url.isascii() and "[" not in url and "]" not in url:
        # An absolute http(s) URL that urlsplit cannot refuse (the common case: no parsing), bar its port.
        return url if _port_is_valid(url) else None
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
        from urllib.request import url2pathname  # a slow import, and only saved pages need it

        return url2pathname(urlsplit(url).path)
    allowed = {"http", "https"} if image else _SAFE_LINK_SCHEMES
    return url if scheme in allowed and _port_is_valid(url) else None


def _port_is_valid(url: str) -> bool:
    """Whether a URL names no port, or a number that is one ("https://host:abc/" is no URL to link or fetch)."""
    authority = url.partition("//")[2].split("/", 1)[0].rpartition("@")[2]
    if ":" not in authority.rpartition("]")[2]:
        return True
    try:
        urlsplit(url).port  # noqa: B018 -- raises ValueError for a port that is not a number of 0-65535
    except ValueError:
        return False
    return True
