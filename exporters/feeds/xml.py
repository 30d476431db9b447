"""XML serialisation shared by the RSS and Atom exporters: entries on their own, documents around them."""

from __future__ import annotations

import re

from lxml import etree

from exporters.text import clean_text

__all__ = ["XML_PARSER", "child", "indent_entry", "EntrySerializer", "xml_document"]

#: Parses previous feeds for merging. Internal entities are expanded (old RSS 0.91 feeds declare
#: some) so no entity reference is copied into a document without their declaration; external
#: ones are never loaded and fail the parse; libxml2's default size limits guard against entity
#: expansion bombs.
XML_PARSER = etree.XMLParser(resolve_entities="internal", no_network=True)
_DECLARATION = re.compile(rb'\s+xmlns(?::([\w.-]+))?="([^"]*)"')


def child(parent: etree._Element, tag: str, text: str | None = None, **attrib: str) -> etree._Element:
    """Append an element with optional text and attributes to ``parent``."""
    element = etree.SubElement(parent, tag, attrib)
    if text is not None:
        set_text(element, text)
    return element


def set_text(element: etree._Element, text: str) -> None:
    """Set an element's text; control characters (not XML) are removed only when lxml refuses them."""
    try:
        element.text = text
    except ValueError:
        # Cleaning only on failure keeps the common path fast.
        element.text = clean_text(text)


def indent_entry(element: etree._Element, inner: str, outer: str) -> etree._Element:
    """Put each child of ``element`` on its own line at ``inner`` indentation, closing at ``outer``."""
    children = list(element)
    if children:
        element.text = inner
        for item in children:
            item.tail = inner
        children[-1].tail = outer
    return element


class EntrySerializer:
    """Serialises entries on their own, without the namespace declarations the document root makes.

    lxml writes every in-scope declaration on a serialised sub-element; removing the ones the
    root repeats gives the same bytes for an entry built here and for one read back from a
    previous feed, which is what keeps merged entries byte for byte. Entries of one kind share
    their start tag, so each distinct start tag is cleaned once.
    """

    _CACHE_LIMIT = 64

    def __init__(self, nsmap: dict[str | None, str]):
        self._declared = {(k.encode() if k else None): v.encode() for k, v in nsmap.items()}
        self._cleaned: dict[bytes, bytes] = {}

    def __call__(self, element: etree._Element) -> bytes:
        """The element's bytes, as they sit inside a document whose root declares the namespaces."""
        data = etree.tostring(element, encoding="UTF-8", with_tail=False)
        end = data.index(b">")
        head = data[:end]
        cleaned = self._cleaned.get(head)
        if cleaned is None:
            cleaned = _DECLARATION.sub(self._drop, head)
            if len(self._cleaned) < self._CACHE_LIMIT:
                self._cleaned[head] = cleaned
        return cleaned + data[end:]

    def _drop(self, match: re.Match) -> bytes:
        return b"" if self._declared.get(match.group(1)) == match.group(2) else match.group(0)


def xml_document(root: etree._Element, close: bytes, stylesheet: str | None) -> tuple[bytes, bytes]:
    """The document's metadata serialised and cut before its ``close`` tag: (head, tail) to put entries between.

    With a ``stylesheet``, its processing instruction goes on its own line after the XML declaration.
    """
    head = etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"
    if stylesheet:
        # lxml would glue a preceding sibling PI to the root's start tag; feedgen writes none.
        instruction = etree.tostring(etree.PI("xml-stylesheet", f'type="text/xsl" href="{stylesheet}"'))
        declaration_end = head.index(b"\n") + 1
        head = head[:declaration_end] + instruction + b"\n" + head[declaration_end:]
    cut = head.rindex(close)
    return head[:cut], head[cut:]
