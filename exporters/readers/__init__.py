"""Readers: one module per input kind; this module picks the reader for each input.

Inputs are paths (files, or directories walked recursively as a saved-articles library),
``-`` for standard input, or http(s) URLs.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import import_module
from pathlib import Path

from exporters.model import Article, ArticleError, body_text
from exporters.pipeline.assets import confine_local_images
from exporters.pipeline.localfile import (
    MAX_INPUT_BYTES,
    MAX_STREAMED_INPUT_BYTES,
    FileRefused,
    open_regular_file,
    read_limited,
    read_regular_file,
)
from exporters.readers.base import DamagedInput, Reader, refuse_empty
from exporters.readers.url import is_url, read_url

__all__ = ["readers", "ReadResult", "read_inputs", "read_input", "reader_for", "expand_inputs", "ArticleError"]


#: Every reader as (module, class, file extensions), in the order content sniffing tries them
#: (the most specific signatures first). The extensions are repeated here so that choosing a
#: reader by extension imports only that reader's parsers (trafilatura alone takes a third of a
#: second to import); a test checks them against the classes.
READER_TABLE: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("feed", "FeedReader", (".rss", ".atom", ".rdf")),
    ("page.extract", "HtmlReader", (".html", ".htm", ".xhtml")),
    ("json", "JsonReader", (".json",)),
    ("json", "JsonLinesReader", (".jsonl", ".ndjson")),
    ("markdown", "MarkdownReader", (".md", ".markdown", ".mdown", ".mkd")),
    ("copied_text.reader", "TextReader", (".txt", ".text")),
)


@cache
def _reader(module: str, cls: str) -> Reader:
    return getattr(import_module(f"{__name__}.{module}"), cls)()


def readers() -> tuple[Reader, ...]:
    """Every input reader, in the order content sniffing tries them."""
    return tuple(_reader(module, cls) for module, cls, _ in READER_TABLE)


@dataclass
class ReadResult:
    """Articles read, in input order; one message per input that could not be read, and per thing read amiss."""

    articles: list[Article] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    #: Problems with what was read and kept: a feed that is not well-formed XML, an article with no text.
    warnings: list[str] = field(default_factory=list)


def reader_for(name: str, head: bytes) -> Reader:
    """The reader for an input: by file extension, else by sniffing its first bytes."""
    lower = name.lower()
    for module, cls, extensions in READER_TABLE:
        if lower.endswith(extensions):
            return _reader(module, cls)
    for module, cls, _ in READER_TABLE:
        # One at a time: a feed found by its root element never imports the page extractors.
        if _reader(module, cls).sniff(head):
            return _reader(module, cls)
    raise ArticleError(f"{name}: unknown input kind (expected one of {', '.join(_known_extensions())})")


def _known_extensions() -> list[str]:
    return sorted({ext for _, _, extensions in READER_TABLE for ext in extensions})


def expand_inputs(inputs: Iterable[str]) -> Iterator[str]:
    """Input names with directories replaced by the readable files below them, sorted, hidden ones skipped.

    ``.xml`` files below a directory are taken when they are feeds (by their root element): the
    extension is shared with sitemaps and every other kind of XML.
    """
    extensions = tuple(_known_extensions())
    for name in inputs:
        path = Path(name)
        if name != "-" and not is_url(name) and path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
                and (p.name.lower().endswith(extensions) or p.name.lower().endswith(".xml") and _is_feed(p))
            )
            if not found:
                raise ArticleError(f"{name}: directory has no readable articles")
            yield from (str(p) for p in found)
        else:
            yield name


def _is_feed(path: Path) -> bool:
    try:
        with path.open("rb") as file:
            head = file.read(2048)
    except OSError:
        return True  # listed, so that reading it reports the problem
    return _reader("feed", "FeedReader").sniff(head)


def read_input(name: str) -> list[Article]:
    """Every article in one input; raises :class:`ArticleError` naming the input when it cannot.

    An input read only in part raises :class:`~exporters.readers.base.DamagedInput`, which holds
    the articles read."""
    try:
        articles = read_url(name, typed=True) if is_url(name) else _read_local(name)
    except ArticleError:
        raise
    except Exception as exc:  # noqa: BLE001
        # Parsers of untrusted input fail in many ways; the user needs the input's name, not a traceback.
        raise ArticleError(f"{name}: cannot read ({type(exc).__name__}: {str(exc)[:200]})") from None
    if not articles:
        raise ArticleError(f"{name}: no articles found")
    return articles


def _read_local(name: str) -> list[Article]:
    if name == "-":
        try:
            data = read_limited(sys.stdin.buffer, MAX_INPUT_BYTES)
        except FileRefused as exc:
            raise ArticleError(f"{name}: {exc.strerror}") from None
        refuse_empty(data, name)
        return confine_local_images(reader_for(name, data[:2048]).read(data, name), name, local=False)
    path = Path(name)
    try:
        # The largest limit of any reader: each reader's read_path applies its own.
        with open_regular_file(path, MAX_STREAMED_INPUT_BYTES) as file:
            head = file.read(2048)
        if not head or head.isspace():
            # Refused before its kind is guessed, which a blank file does not have; only a file
            # whose start is blank is read whole for this.
            refuse_empty(read_regular_file(path, MAX_INPUT_BYTES), name)
        reader = reader_for(name, head)
        return confine_local_images(reader.read_path(path, name), name, local=reader.name != "feed")
    except FileNotFoundError:
        raise ArticleError(f"{name}: no such file or directory") from None
    except FileRefused as exc:
        raise ArticleError(f"{name}: {exc.strerror}") from None
    except OSError as exc:
        raise ArticleError(f"{name}: cannot read ({exc.strerror or exc})") from None


def read_inputs(
    inputs: Iterable[str], *, strict: bool = False, on_input: Callable[[str], None] | None = None
) -> ReadResult:
    """Read every input in order; a bad one is recorded in ``problems`` (or raises when ``strict``).

    A damaged input's articles are kept and the damage recorded in ``warnings``, as is each
    article without text; with ``strict`` these raise too."""
    result = ReadResult()
    names: Iterable[str] = inputs
    for top in names:
        try:
            expanded = list(expand_inputs([top]))
        except ArticleError as exc:
            if strict:
                raise
            result.problems.append(str(exc))
            continue
        for name in expanded:
            if on_input:
                on_input(name)
            try:
                articles = read_input(name)
            except DamagedInput as exc:
                if strict:
                    raise
                articles = exc.articles
                result.warnings.append(str(exc))
            except ArticleError as exc:
                if strict:
                    raise
                result.problems.append(str(exc))
                continue
            for article in articles:
                if _has_no_text(article):
                    message = f"{name}: article '{article.title}' has no text"
                    if strict:
                        raise ArticleError(message)
                    result.warnings.append(message)
            result.articles.extend(articles)
    return result


def _has_no_text(article: Article) -> bool:
    """Whether an article has no words to show: an empty body and no summary.

    A body still kept as HTML is not converted to learn it (bulk readers keep a blank one as
    no blocks at all, so a body held as HTML has markup in it at least)."""
    if article.summary.strip() or not isinstance(article.body, tuple):
        return False
    return not body_text(article.body).strip()
