"""Bodies kept as HTML and converted to blocks when first read (the JSON readers give them)."""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence

from exporters.html.blocks import blocks_from_clean, blocks_from_html
from exporters.html.sanitize import sanitize_html
from exporters.model import Block, Image, Quote

__all__ = ["HtmlBody", "body_once", "bodies_once"]


class HtmlBody(Sequence):
    """An article body kept as the HTML it was read as, sanitised and converted to blocks when first read.

    Readers of bulk input (JSON, JSONL) give articles this body: reading stays cheap, and the
    conversion (nh3, then lxml and the walk into blocks, most of an export's work) happens where
    the body is used, which for a long export is in worker processes that inherit the articles.
    Nothing changes for its users: it is a sequence of the same blocks :func:`blocks_from_html`
    gives, compares equal to that tuple and pickles small until it is converted. Untrusted
    HTML is never reachable unsanitised: the raw text is private and dropped once converted.
    It waits as UTF-8 compressed with zlib (level 1, about a third of the bytes): a
    10,000-article book peaks at 212 MB instead of 341 MB, for about 0.3 s of CPU per 1,000
    bodies compressed and decompressed.
    """

    __slots__ = ("_base_url", "_blocks", "_images", "_source")

    def __init__(self, html: str, base_url: str | None = None):
        source = html.encode("utf-8", "surrogatepass")
        # The sanitiser creates no element, and "<img" or "<image" (which HTML parses as img) starts every image.
        self._images = _IMAGE_START.search(source) is not None
        self._source: bytes | None = zlib.compress(source, 1)
        self._base_url = base_url
        self._blocks: tuple[Block, ...] | None = None

    @property
    def blocks(self) -> tuple[Block, ...]:
        """The body's blocks, converted on first use and kept."""
        if self._blocks is None:
            self._blocks = self.once()
            self._source = None
        return self._blocks

    def once(self) -> tuple[Block, ...]:
        """The blocks for a last use: converted but not kept when not converted yet.

        An exporter that renders each body once (a feed, an e-book's chapters) would otherwise
        keep every converted body until it ends: more memory, and slower to build.
        """
        if self._blocks is not None:
            return self._blocks
        return blocks_from_html(self._html(), self._base_url)

    @property
    def may_hold_images(self) -> bool:
        """False when the body certainly has no image block, answered without converting it."""
        if self._blocks is not None:
            return any(isinstance(block, (Image, Quote)) for block in self._blocks)
        return self._images

    def _html(self) -> str:
        assert self._source is not None, "the source is dropped only once the blocks are kept"
        return zlib.decompress(self._source).decode("utf-8", "surrogatepass")

    def __len__(self) -> int:
        return len(self.blocks)

    def __getitem__(self, index):
        return self.blocks[index]

    def __iter__(self):
        return iter(self.blocks)

    def __bool__(self) -> bool:
        return bool(self.blocks)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, HtmlBody):
            return self.blocks == other.blocks
        return self.blocks == other if isinstance(other, tuple) else NotImplemented

    def __hash__(self) -> int:
        return hash(self.blocks)

    def __repr__(self) -> str:
        return f"HtmlBody({self.blocks!r})"

    def __reduce__(self):
        if self._blocks is None:
            return HtmlBody, (self._html(), self._base_url)
        return tuple, (self._blocks,)


_IMAGE_START = re.compile(b"<im", re.IGNORECASE)


def body_once(body: Sequence[Block]) -> Sequence[Block]:
    """A body's blocks for its last use: see :meth:`HtmlBody.once`; any other body is returned as it is."""
    return body.once() if isinstance(body, HtmlBody) else body


def bodies_once(bodies: Sequence[Sequence[Block]]) -> list[Sequence[Block]]:
    """:func:`body_once` of each body, converted stage by stage: every body is sanitised, then every one parsed and walked.

    A stage's library (nh3, then lxml and the walk) stays hot in the CPU's caches from one body
    to the next: a feed's entries build 8-15 % faster in runs of 50 than one body at a time.
    """
    out: list[Sequence[Block]] = []
    waiting: list[tuple[int, HtmlBody]] = []
    for body in bodies:
        if isinstance(body, HtmlBody):
            if body._blocks is None:
                waiting.append((len(out), body))
            else:
                body = body._blocks
        out.append(body)
    cleaned = [sanitize_html(body._html()) for _, body in waiting]
    for (n, body), html in zip(waiting, cleaned):
        out[n] = blocks_from_clean(html, body._base_url)
    return out
