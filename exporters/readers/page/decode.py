"""Decoding a saved or fetched page: byte-order mark, then valid UTF-8, then the declared charset."""

from __future__ import annotations

import codecs
import re

from exporters.readers.base import ArticleError, decode_text

__all__ = ["decode_page"]

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
