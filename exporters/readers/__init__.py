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

from exporters.model import Article, ArticleError
from exporters.pipeline.assets import confine_local_images
from exporters.readers.base import Reader, refuse_empty
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
    """Articles read, in input order, and one message per input that could not be read."""

    articles: list[Article] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def reader_for(name: str, head: bytes) -> Reader:
    """The reader for an input: by file extension, else by sniffing its first bytes."""
    lower = name.lower()
    for module, cls, extensions in READER_TABLE:
        if lower.endswith(extensions):
            return _reader(module, cls)
    for reader in readers():
        if reader.sniff(head):
            return reader
    raise ArticleError(f"{name}: unknown input kind (expected one of {', '.join(_known_extensions())})")


def _known_extensions() -> list[str]:
    return sorted({ext for _, _, extensions in READER_TABLE for ext in extensions})


def expand_inputs(inputs: Iterable[str]) -> Iterator[str]:
    """Input names with directories replaced by the readable files below them, sorted, hidden ones skipped."""
    extensions = tuple(_known_extensions())
    for name in inputs:
        path = Path(name)
        if name != "-" and not is_url(name) and path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.name.lower().endswith(extensions)
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not found:
                raise ArticleError(f"{name}: directory has no readable articles")
            yield from (str(p) for p in found)
        else:
            yield name


def read_input(name: str) -> list[Article]:
    """Every article in one input; raises :class:`ArticleError` naming the input when it cannot."""
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
        data = sys.stdin.buffer.read()
        refuse_empty(data, name)
        return confine_local_images(reader_for("", data[:2048]).read(data, name), name, local=False)
    path = Path(name)
    try:
        with path.open("rb") as file:
            head = file.read(2048)
        if not head or head.isspace():
            # Refused before its kind is guessed, which a blank file does not have; only a file
            # whose start is blank is read whole for this.
            refuse_empty(path.read_bytes(), name)
        reader = reader_for(name, head)
        return confine_local_images(reader.read_path(path, name), name, local=reader.name != "feed")
    except FileNotFoundError:
        raise ArticleError(f"{name}: no such file or directory") from None
    except OSError as exc:
        raise ArticleError(f"{name}: cannot read ({exc.strerror or exc})") from None


def read_inputs(
    inputs: Iterable[str], *, strict: bool = False, on_input: Callable[[str], None] | None = None
) -> ReadResult:
    """Read every input in order; a bad one is recorded in ``problems`` (or raises when ``strict``)."""
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
                result.articles.extend(read_input(name))
            except ArticleError as exc:
                if strict:
                    raise
                result.problems.append(str(exc))
    return result
