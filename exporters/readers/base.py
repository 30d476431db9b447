"""What every reader shares: the Reader contract and decoding of untrusted bytes."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from exporters.model import Article, ArticleError

__all__ = ["Reader", "check_text", "decode_text", "refuse_empty", "refuse_binary", "ArticleError"]


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
        data = path.read_bytes()
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
