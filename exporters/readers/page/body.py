"""The page's main text: trafilatura and readability-lxml each propose one, and how they agree decides.

Neither extractor is right on every page. readability-lxml scores whole blocks, so it keeps a
story's paragraphs together and leaves the chrome around them; trafilatura walks the page
element by element and sometimes drops a short story's paragraphs or keeps a stray link box.
Comparing the two texts (their shared 4-word shingles and their link density) tells which
failure happened, without knowing anything about the site. When readability's text is
already nearly all the text the page has, trafilatura could not change the choice and is not
asked.
"""

from __future__ import annotations

import copy
import re
from functools import cached_property

import lxml.html
import trafilatura
from lxml import etree
from readability import Document as ReadabilityDocument
from readability.cleaners import html_cleaner
from readability.readability import REGEXES
from trafilatura.htmlprocessing import convert_to_html

__all__ = ["main_content", "trafilatura_html", "readability_html", "choose_body"]

_WORD = re.compile(r"\w+")
_RUNS_OF_SPACE = re.compile(r"\s{2,}|[\t\r\f\v]")
_SHINGLE = 4
#: Readability's text is taken as a failure below this many characters when trafilatura found twice as much.
_TOO_LITTLE = 500
#: When readability's text is (nearly) all inside trafilatura's...
_CONTAINED = 0.95
#: ...and misses more than this share of trafilatura's, readability cut the story short,
_CUT_SHORT = 0.9
#: ...unless what trafilatura has on top is mostly link text (a list of other stories).
_LINK_LIST = 0.5
#: trafilatura's text can only win over readability's of 500 characters or more by keeping 95 %
#: of its shingles and adding a tenth of new ones, which must come from text readability left
#: out (a left-out run of words makes as many new shingles as it has words, plus three). When
#: the page's text beyond readability's is under this share of it, trafilatura is not run.
_SETTLED = 0.02
# String lengths computed by lxml: both texts measured alike, white space runs counting as one.
_TEXT_LENGTH = etree.XPath("string-length(normalize-space(.))")

# readability's own cleaner, its JavaScript pass aside: that pass walks every element of the
# page for ``on*`` handlers and every link attribute of any kind. The only ones the body keeps
# are links and image sources (the sanitiser drops handlers), and _disarm_links does those.
_CLEANER = copy.copy(html_cleaner)
_CLEANER.javascript = False
_DISPLAY_NONE = REGEXES["displayNoneRe"]
_KEPT_LINKS = etree.XPath("//a/@href | //img/@src", smart_strings=True)


class _Readability(ReadabilityDocument):
    """readability-lxml with a linear link density, working on one copy of the page.

    The original re-runs three regular expressions over the whole text of every candidate
    block and of each of its links; on the whitespace-squeezed copy it is given, plain lengths
    give the same figures at a fraction of the time. Given a tree, the original also cleans a
    deep copy of it on each attempt: here each attempt cleans its own squeezed copy in place.
    """

    def _parse(self, input: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
        """The page ready for scoring: a squeezed copy without hidden elements, scripts and styles."""
        page = _squeezed_copy(input)
        for element in page.xpath("//*[@hidden]"):
            element.drop_tree()
        for element in page.xpath("//*[@style]"):
            if _DISPLAY_NONE.search(element.get("style")):
                element.drop_tree()
        _CLEANER(page)
        _disarm_links(page)
        page.resolve_base_href(handle_failures=self.handle_failures)
        self.encoding = "utf-8"
        return page

    def get_link_density(self, elem: lxml.html.HtmlElement) -> float:
        """Share of the element's text that sits inside links."""
        links = sum(len(a.text_content().strip()) for a in elem.iter("a"))
        return links / max(len(elem.text_content().strip()), 1)


def main_content(root: lxml.html.HtmlElement, url: str | None) -> lxml.html.HtmlElement | None:
    """The page's main content in a ``<div>``, from the extractor that the agreement test favours.

    When both find next to nothing, trafilatura's full cascade (its own fallbacks included)
    gets a try: on such pages the story is often in markup both first passes skip.
    """
    # readability works on a copy, so it goes first: trafilatura only reads the tree it is given.
    from_readability = _Text(readability_html(root))
    if from_readability.length >= _TOO_LITTLE and _settled(root, from_readability):
        return from_readability.fragment
    chosen = _choose(_Text(trafilatura_html(root, url)), from_readability)
    if chosen.length < _TOO_LITTLE:
        cascade = _Text(trafilatura_html(root, url, fast=False))
        if cascade.length > 2 * chosen.length:
            return cascade.fragment
    return chosen.fragment


def _settled(root: lxml.html.HtmlElement, readability: _Text) -> bool:
    """Whether the page's body holds under :data:`_SETTLED` more text than readability's extraction."""
    body = root.find("body")
    if body is None or readability.fragment is None:
        return False
    # Script and style text counts in the body's string value; readers never see it.
    unseen = sum(int(_TEXT_LENGTH(element)) for element in body.iter("script", "style"))
    return _TEXT_LENGTH(body) - unseen < (1 + _SETTLED) * _TEXT_LENGTH(readability.fragment)


def trafilatura_html(root: lxml.html.HtmlElement, url: str | None, fast: bool = True) -> str:
    """trafilatura's main content of the page as HTML ("" when it finds none or trips up).

    ``fast`` leaves out trafilatura's own fallback extractors (a readability port and jusText),
    which would redo what the readability-lxml candidate does.
    """
    try:
        document = trafilatura.bare_extraction(
            # "html" only spares the plain-text rendering of the "python" format; the body tree is the same.
            root,
            url=url,
            fast=fast,
            output_format="html",
            include_comments=False,
            include_tables=True,
            include_images=True,
            include_links=True,
            include_formatting=True,
        )
    except (ValueError, TypeError, AttributeError, IndexError, KeyError, RecursionError, etree.LxmlError):
        return ""
    body = getattr(document, "body", None)  # a Document, or None when nothing was found
    return "" if body is None else etree.tostring(convert_to_html(body), encoding="unicode")


def readability_html(root: lxml.html.HtmlElement) -> str:
    """readability-lxml's main content of the page as HTML ("" when it cannot score the page)."""
    try:
        return _Readability(root).summary(html_partial=True)
    except Exception:  # readability-lxml raises plain Exception subclasses on pages it cannot score
        return ""


def _squeezed_copy(root: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """A copy of the page with runs of white space squeezed, as browsers show them."""
    page = copy.deepcopy(root)
    for element in page.iter():
        # Browsers show runs of white space as one; squeezing them keeps readability's scoring linear.
        tag = element.tag
        if tag in ("pre", "textarea"):
            continue
        text = element.text
        # The cleaner drops scripts and styles (their tails stay): their text is never read.
        if text and tag not in ("script", "style") and _RUNS_OF_SPACE.search(text):
            element.text = _RUNS_OF_SPACE.sub(_one_space, text)
        tail = element.tail
        if tail and _RUNS_OF_SPACE.search(tail):
            element.tail = _RUNS_OF_SPACE.sub(_one_space, tail)
    return page


def _disarm_links(page: lxml.html.HtmlElement) -> None:
    """What the cleaner's JavaScript pass does to links and image sources: trimmed, emptied if they could run script."""
    for value in _KEPT_LINKS(page):
        link = str(value)
        disarmed = _CLEANER._remove_javascript_link(link.strip())
        if disarmed != link:
            value.getparent().set(value.attrname, disarmed)


def _one_space(match: re.Match) -> str:
    return "\n" if "\n" in match.group() else " "


def choose_body(from_trafilatura: str, from_readability: str) -> str:
    """The better of the two extractions, judged by how their texts overlap.

    readability-lxml's is the default. trafilatura's wins when readability found next to
    nothing, or when readability's text lies inside trafilatura's and leaves out more than a
    tenth of it (readability kept one block of a story split in several) and that remainder
    is not mostly link text (a list of other stories).
    """
    return _choose(_Text(from_trafilatura), _Text(from_readability)).html


def _choose(ours: _Text, theirs: _Text) -> _Text:
    """:func:`choose_body` on trafilatura's (``ours``) and readability's (``theirs``) measured texts."""
    if not theirs.length:
        return ours
    if not ours.length:
        return theirs
    if theirs.length < _TOO_LITTLE and ours.length > 2 * theirs.length:
        return ours
    if (
        theirs.share_in(ours) >= _CONTAINED
        and ours.share_in(theirs) < _CUT_SHORT
        and ours.extra_link_density(theirs) < _LINK_LIST
    ):
        return ours
    return theirs


class _Text:
    """An extraction's HTML, its text as shingles, its length and the length of its link text."""

    def __init__(self, html: str):
        self.html = html
        self.fragment = fragment = _fragment(html)
        # Text pieces joined with spaces: words on either side of a block boundary stay apart.
        text = " ".join(fragment.itertext()) if fragment is not None else ""
        self.length = len(" ".join(text.split()))
        self.text = text
        self.links = (
            sum(len(" ".join(a.text_content().split())) for a in fragment.iter("a")) if fragment is not None else 0
        )

    @cached_property
    def shingles(self) -> set[tuple[str, ...]]:
        """Distinct runs of four words, lowercased: only measured when the choice needs them.

        A repeated run of words is one piece of evidence, not several. A text shorter than a
        shingle is one shingle (the empty text too).
        """
        words = [w.lower() for w in _WORD.findall(self.text)]
        return set(zip(*(words[n:] for n in range(_SHINGLE)))) if len(words) >= _SHINGLE else {tuple(words)}

    def extra_link_density(self, other: _Text) -> float:
        """Share of link text in what this text has on top of the other (a list of links scores near 1)."""
        return max(0, self.links - other.links) / max(self.length - other.length, 1)

    def share_in(self, other: _Text) -> float:
        """Share of this text's shingles that the other text has too."""
        return len(self.shingles & other.shingles) / len(self.shingles) if self.shingles else 0.0


def _fragment(html: str) -> lxml.html.HtmlElement | None:
    if not html.strip():
        return None
    try:
        return lxml.html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return None
