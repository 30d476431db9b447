"""What every reader shares: the Reader contract and decoding of untrusted bytes."""

from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import ClassVar

from exporters.model import Article, ArticleError
from exporters.pipeline.localfile import MAX_INPUT_BYTES, read_regular_file

__all__ = [
    "Reader",
    "DamagedInput",
    "check_text",
    "decode_text",
    "decode_any_text",
    "refuse_empty",
    "refuse_binary",
    "ArticleError",
]

# UTF-32's little-endian mark starts with UTF-16's: the longer ones are tried first.
_BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# The bytes where windows-1252 has printable characters (curly quotes, dashes, €) and Latin-1 C1 controls.
_CP1252_ONLY = re.compile(rb"[\x80-\x9f]")


class DamagedInput(ArticleError):
    """An input read only in part or with repairs: ``articles`` are what could be read, the message says why."""

    def __init__(self, message: str, articles: list[Article]):
        super().__init__(message)
        self.articles = articles


class Reader:
    """Turns the bytes of one input into articles.

    ``source`` is the input's name as the user gave it (a path, a URL or ``-``); every
    :class:`ArticleError` a reader raises starts with it.
    """

    #: Short name of the input kind, used in messages and ``--from``.
    name: ClassVar[str] = ""
    #: File extensions (lower case, with dot) this reader takes.
    file_extensions: ClassVar[tuple[str, ...]] = ()

    def sniff(self, head: bytes) -> bool:
        """Whether the first bytes of an input without a known extension look like this kind."""
        return False

    def read(self, data: bytes, source: str) -> list[Article]:
        """Articles in ``data``; raises :class:`ArticleError` naming ``source`` when it cannot."""
        raise NotImplementedError

    def read_path(self, path: Path, source: str) -> list[Article]:
        """Articles in the file at ``path``: its bytes go to :meth:`read`.

        A reader that can take a large file a piece at a time (JSON Lines) overrides this, so the
        whole file is never held in memory.
        """
        data = read_regular_file(path, MAX_INPUT_BYTES)
        refuse_empty(data, source)
        return self.read(data, source)


def refuse_empty(data: bytes, source: str) -> None:
    """Refuse input that is empty or only whitespace, with a message naming ``source``."""
    if not data or data.isspace():
        raise ArticleError(f"{source}: file is empty")


def refuse_binary(head: bytes, source: str) -> None:
    """Refuse binary input (a NUL byte in its first 8 KB, ``head``), with a message naming ``source``."""
    if b"\x00" in head[:8192]:
        raise ArticleError(f"{source}: looks like a binary file, not text")


def check_text(data: bytes, source: str) -> None:
    """Refuse empty input and binary input (a NUL byte near the start) with a message naming ``source``."""
    refuse_empty(data, source)
    refuse_binary(data, source)


def decode_text(data: bytes, source: str, encoding: str | None = None) -> str:
    """Decode text input: UTF-8 (BOM allowed) unless told otherwise; binary or undecodable input is refused."""
    check_text(data, source)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode(encoding or "utf-8")
    except (UnicodeDecodeError, LookupError) as exc:
        if encoding is None:
            raise ArticleError(
                f"{source}: not valid UTF-8 (byte {exc.start if isinstance(exc, UnicodeDecodeError) else '?'})"
            ) from None
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc2:
            raise ArticleError(f"{source}: cannot decode as {encoding} or UTF-8 (byte {exc2.start})") from None


def decode_any_text(data: bytes, source: str) -> tuple[str, str | None]:
    """Text in UTF-8, UTF-16 or UTF-32 with a byte-order mark, or a legacy encoding (``cp1252``, ``cp1251`` ...).

    Returns the text and the encoding it was read in, None for UTF-8. A legacy encoding is
    found by charset-normalizer; empty, binary and undecodable input is refused naming ``source``.
    """
    refuse_empty(data, source)
    for mark, encoding in _BYTE_ORDER_MARKS:
        if data.startswith(mark):
            try:
                text = data[len(mark) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise ArticleError(f"{source}: not valid {encoding.upper()} (byte {len(mark) + exc.start})") from None
            return text, None if encoding == "utf-8" else encoding
    refuse_binary(data, source)
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        position = exc.start
    legacy = _legacy_encoding(data)
    if legacy is None:
        raise ArticleError(f"{source}: not valid UTF-8 (byte {position}) and not text in any other encoding")
    return data.decode(legacy), legacy


def _legacy_encoding(data: bytes) -> str | None:
    """The 8-bit encoding ``data`` reads best in, by charset-normalizer; None when none gives text.

    On a short text charset-normalizer's language guess often picks another Latin code page
    that reads the same bytes differently (French ``è`` as Czech ``č``). Unlabelled Western
    text is most likely windows-1252, the encoding browsers assume, so it wins whenever it
    reads the text as cleanly as the best guess; without bytes 0x80-0x9F that is also Latin-1.
    """
    from charset_normalizer import from_bytes  # imported on first use: most text is UTF-8

    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        return None
    if any(m.chaos <= best.chaos and "cp1252" in m.could_be_from_charset for m in matches):
        return "cp1252" if _CP1252_ONLY.search(data) else "latin-1"
    return best.encoding
