"""trafilatura's guesses at a page's metadata from its layout, for the fields the page does not declare.

``trafilatura.metadata.extract_metadata`` runs all its steps on every page. Two of them cost
more than the rest together: the byline search (it prunes a deep copy of the page) and the
category and tag search (it walks the page's links). Here its steps run in its own order with
its own functions, each only when its field is asked for, so a page that declares its authors
or tags does not pay for guessing them. Nor does a page without a single element that
trafilatura's byline search could pick (:data:`_BYLINE_MARKS`).
"""

from __future__ import annotations

import re
from collections.abc import Collection

import lxml.html
from htmldate import find_date
from lxml import etree
from trafilatura.metadata import (
    META_URL,
    examine_meta,
    extract_author,
    extract_catstags,
    extract_meta_json,
    extract_sitename,
    extract_title,
    extract_url,
)
from trafilatura.settings import Document

__all__ = ["GUESSABLE", "guessed_metadata"]

#: The fields that can be asked for: what the reader falls back on.
GUESSABLE = frozenset({"title", "author", "date", "description", "sitename", "tags"})
# Every element trafilatura's byline search (trafilatura.xpaths.AUTHOR_XPATHS) can pick is an
# <author> or <rel> element or has one of these marks in one of these attributes, loosened from
# its patterns to substrings ("uthor" for author, Author and authorName; "byl" for byl and
# byline): a page without any gives the search nothing to find, so it is not run.
_MARKED = etree.XPath(
    "//@class | //@id | //@rel | //@itemprop | //@data-testid | //@data-component", smart_strings=False
)
_BYLINE_MARK = re.compile(
    "uthor|byl|Byl|BBL|username|screenname|writer|channel-name|zuozhe|bianji|xiaobian|submitted-by|posted-by"
    "|journalist-name"
)


def guessed_metadata(root: lxml.html.HtmlElement, url: str | None, wanted: Collection[str]) -> Document | None:
    """trafilatura's metadata of the page, the ``wanted`` fields guessed as ``extract_metadata`` would.

    Fields not wanted hold what the page's meta tags and JSON-LD say, or None. None when
    trafilatura trips over the page.
    """
    try:
        return _guess(root, url, frozenset(wanted))
    except (ValueError, TypeError, AttributeError, IndexError, KeyError, RecursionError, etree.LxmlError):
        return None


def _may_show_byline(tree: lxml.html.HtmlElement) -> bool:
    """Whether trafilatura's byline search could find anything in the page (see :data:`_BYLINE_MARK`)."""
    return bool(
        _BYLINE_MARK.search(" ".join(_MARKED(tree)))
        or tree.find(".//author") is not None
        or tree.find(".//rel") is not None
    )


def _guess(tree: lxml.html.HtmlElement, url: str | None, wanted: frozenset[str]) -> Document:
    metadata = examine_meta(tree)
    if metadata.author and " " not in metadata.author:
        metadata.author = None
    try:
        metadata = extract_meta_json(tree, metadata)
    except Exception:  # trafilatura's own guard: its JSON-LD reader has bugs of its own
        pass
    if "title" in wanted and not metadata.title:
        metadata.title = extract_title(tree)
    if "author" in wanted and not metadata.author and _may_show_byline(tree):
        metadata.author = extract_author(tree)
    if not metadata.url and wanted & {"date", "sitename"}:
        metadata.url = extract_url(tree, url)
    if "date" in wanted:
        # Only dates the page states: the extensive search guesses from copyright lines and
        # falls back to the current year, which would make the output depend on the day.
        metadata.date = find_date(tree, extensive_search=False, original_date=True, url=metadata.url)
    if "sitename" in wanted:
        if not metadata.sitename:
            metadata.sitename = extract_sitename(tree)
        if metadata.sitename:
            metadata.sitename = metadata.sitename.lstrip("@")
            if metadata.sitename and "." not in metadata.sitename and not metadata.sitename[0].isupper():
                metadata.sitename = metadata.sitename.title()
        elif metadata.url:
            match = META_URL.match(metadata.url)
            if match:
                metadata.sitename = match[1]
    if "tags" in wanted:
        if not metadata.categories:
            metadata.categories = extract_catstags("category", tree)
        if not metadata.tags:
            metadata.tags = extract_catstags("tag", tree)
    metadata.clean_and_trim()
    return metadata
