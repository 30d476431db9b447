"""The export pipeline between reading and writing: gather, dedupe, select, load images, build a collection."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from exporters.model import Article, Collection
from exporters.pipeline.assets import collect_assets
from exporters.pipeline.dates import build_time
from exporters.pipeline.selection import Selection, dedupe, select
from exporters.readers import read_inputs

__all__ = ["gather", "make_collection", "Gathered"]

Warn = Callable[[str], None]


@dataclass(frozen=True)
class Gathered:
    """Articles chosen for export, with what was skipped along the way."""

    articles: list[Article]
    #: One message per input that could not be read.
    problems: list[str]
    #: How many duplicate articles were merged.
    duplicates: int
    #: How many articles were read before dedupe and selection.
    read: int
    #: Each merged duplicate with the (kept, filled) article it was merged into, in reading order.
    merged: list[tuple[Article, Article]] = field(default_factory=list)
    #: Problems with what was read and kept (a damaged feed, an article with no text).
    warnings: list[str] = field(default_factory=list)


def gather(
    inputs: Iterable[str],
    selection: Selection = Selection(),
    *,
    strict: bool = False,
    on_input: Callable[[str], None] | None = None,
) -> Gathered:
    """Read every input, merge duplicates and apply the selection; bad inputs land in ``problems``."""
    result = read_inputs(inputs, strict=strict, on_input=on_input)
    pairs: list[tuple[Article, int]] = []
    unique, duplicates = dedupe(result.articles, pairs)
    merged = [(duplicate, unique[index]) for duplicate, index in pairs]
    return Gathered(
        select(unique, selection), result.problems, duplicates, len(result.articles), merged, result.warnings
    )


def make_collection(
    articles: list[Article],
    *,
    title: str = "",
    authors: tuple[str, ...] = (),
    language: str | None = None,
    load_images: bool = True,
    warn: Warn = lambda message: None,
    ordered: bool = False,
) -> Collection:
    """A collection ready for export: images loaded once (failures warned), build time fixed."""
    dates = [d for a in articles for d in (a.published, a.updated)]
    return Collection(
        articles=tuple(articles),
        title=title,
        authors=authors,
        language=language,
        assets=collect_assets(articles, warn) if load_images else {},
        generated=build_time(dates),
        ordered=ordered,
    )
