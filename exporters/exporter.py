"""The contract every output format implements, built-in or plugin."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from exporters.model import Collection

__all__ = ["Exporter", "ExportError", "NoOptions", "option", "Progress", "Rendered"]

#: Called by an exporter as work advances: ``progress(done, total)``.
Progress = Callable[[int, int], None]


class ExportError(Exception):
    """The collection cannot be written in this format; the message says why and what to do."""


def option(default: Any, help: str, *, choices: tuple[str, ...] = (), metavar: str | None = None) -> Any:
    """Declare an exporter option: a dataclass field whose metadata becomes a CLI flag and its help."""
    return field(default=default, metadata={"help": help, "choices": choices, "metavar": metavar})


@dataclass(frozen=True)
class NoOptions:
    """Options of an exporter that has none."""


@dataclass(frozen=True)
class Rendered:
    """What an exporter makes: the main file as pieces of bytes written one after the other (a
    large feed is never held twice), and companion files by name (archive pages, a stylesheet),
    written beside it first, so a published file never names one not yet there."""

    pieces: Sequence[bytes]
    companions: Mapping[str, Sequence[bytes]] = field(default_factory=dict)

    @property
    def data(self) -> bytes:
        """The main file's bytes."""
        return b"".join(self.pieces)

    def files(self, output_name: str) -> dict[str, bytes]:
        """Every file by name relative to the output's folder, in writing order (the main one last)."""
        return {**{name: b"".join(p) for name, p in self.companions.items()}, output_name: self.data}


class Exporter:
    """Base class: turns a :class:`Collection` into the bytes of one file.

    Subclasses set the class attributes below and implement :meth:`render`, which returns a
    :class:`Rendered`; they never read the network and never write files (the CLI owns files
    and writes them atomically).
    """

    #: Format name used with ``-t`` and in the registry.
    name: ClassVar[str] = ""
    #: File extensions (with dot) that select this format from an output path.
    extensions: ClassVar[tuple[str, ...]] = ()
    #: Media type of the output.
    media_type: ClassVar[str] = "application/octet-stream"
    #: One-line description shown by ``newsexport formats``.
    description: ClassVar[str] = ""
    #: Frozen dataclass of the options this format accepts (fields made with :func:`option`).
    options_class: ClassVar[type] = NoOptions
    #: Whether the format embeds images: the CLI then loads every image into ``collection.assets``.
    uses_images: ClassVar[bool] = False
    #: Packages the format imports only when it renders (so start-up stays fast); the registry
    #: reports the format as unavailable, naming the package, when one is missing.
    requires: ClassVar[tuple[str, ...]] = ()

    def __init__(self, options: Any = None):
        self.options = options if options is not None else self.options_class()

    @classmethod
    def with_options(cls, values: dict[str, Any]) -> Exporter:
        """An exporter whose options take ``values`` where they name one of its fields."""
        names = {f.name for f in dataclasses.fields(cls.options_class)}
        return cls(cls.options_class(**{k: v for k, v in values.items() if k in names}))

    def render(self, collection: Collection, output_name: str, progress: Progress) -> Rendered:
        """The one method a format implements: the output named ``output_name`` (``-`` for stdout)
        as pieces of bytes, with any companion files it needs beside it. Subclasses implement this."""
        raise NotImplementedError

    def export(self, collection: Collection, progress: Progress | None = None) -> bytes:
        """The main file's bytes, for the Python API; an empty collection is refused with a clear error."""
        if not collection.articles:
            raise ExportError(f"{self.name}: no articles to export")
        return self.render(collection, "-", progress or _no_progress).data


def _no_progress(done: int, total: int) -> None:
    return None
