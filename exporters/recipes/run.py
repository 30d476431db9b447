"""Running a recipe: fetch its sources, build each output from what it has not received yet, deliver, record.

The library holds the state between runs: every article a run fetched is saved there, and each
output records which articles it received (destination ``recipe:NAME:PATH``), but only once the
file is written and, with ``[deliver]``, the mail server accepted it. So the next run of the
recipe brings only what is new, and a failed delivery is tried again with the same articles.
"""

from __future__ import annotations

import fcntl
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from exporters.exporter import ExportError
from exporters.library import Library, Query
from exporters.model import Article, ArticleError
from exporters.pipeline.atomic import write_atomic
from exporters.pipeline.gather import make_collection
from exporters.pipeline.selection import dedupe
from exporters.recipes.deliver import DeliveryError, send_book
from exporters.recipes.fetching import Fetcher
from exporters.recipes.recipe import Recipe
from exporters.recipes.sources import feed_articles, needs_full_text, opml_feeds, url_list
from exporters.registry import Registry

__all__ = ["RunOptions", "RunReport", "run_recipe", "RecipeBusy", "destination_of"]

Say = Callable[[str], None]


class RecipeBusy(Exception):
    """Another run of the same recipe holds its lock."""


@dataclass(frozen=True)
class RunOptions:
    """How to run: what ``newsexport run`` was given."""

    dry_run: bool = False
    include_all: bool = False
    jobs: int = 4
    allow_private_network: bool = False
    #: Option values given on the command line; they win over the recipe's.
    overrides: tuple[tuple[str, object], ...] = ()


@dataclass
class RunReport:
    """What a run did, for the summary lines and the exit code."""

    run: int = 0
    problems: list[str] = field(default_factory=list)
    written: list[tuple[Path, int]] = field(default_factory=list)
    delivered: list[Path] = field(default_factory=list)
    fetched: list[str] = field(default_factory=list)
    planned: list[tuple[Path, list[Article]]] = field(default_factory=list)


def destination_of(recipe: Recipe, index: int) -> str:
    """The library's name for output ``index`` of ``recipe``: stable across runs (the path template, not the path)."""
    return f"recipe:{recipe.name}:{recipe.outputs[index].path}"


@contextmanager
def recipe_lock(library: Path, recipe: Recipe) -> Iterator[None]:
    """Hold the recipe's lock (a file beside the library); :class:`RecipeBusy` when another run holds it."""
    lock_path = library.with_name(f"{library.name}.{recipe.name}.lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a+") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RecipeBusy(f"another run of {recipe.path} is still going (lock {lock_path})") from None
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def run_recipe(
    recipe: Recipe, library: Library, registry: Registry, options: RunOptions, *, now: datetime, say: Say, warn: Say
) -> RunReport:
    """Run ``recipe`` once against ``library``; the caller holds :func:`recipe_lock`."""
    report = RunReport(run=library.recipe_runs(recipe.name) + 1)
    fetcher = Fetcher(jobs=options.jobs, cache=library.path.with_name(f"{library.path.name}.http-cache"))
    ids = _gather(recipe, library, fetcher, report, now=now, warn=warn)
    report.fetched = fetcher.fetched
    overrides = dict(options.overrides)
    for index, output in enumerate(recipe.outputs):
        target = output.target(now, report.run)
        destination = destination_of(recipe, index)
        wanted = ids if options.include_all else _not_sent(library, ids, destination)
        stored = [library.get(i) for i in wanted]
        articles = library.articles(stored)
        if options.dry_run:
            report.planned.append((target, articles))
            continue
        if not articles:
            continue
        try:
            _write_output(recipe, output.options, overrides, target, articles, library, stored, registry, now, report)
        except (ExportError, OSError, ValueError) as exc:
            report.problems.append(f"{target}: {exc}")
            continue
        if recipe.delivery is not None and target.suffix.lower() in (".epub", ".pdf"):
            try:
                send_book(target, recipe.delivery, subject=recipe.title_for(now, report.run))
            except DeliveryError as exc:
                report.problems.append(f"{target}: not delivered: {exc}")
                continue
            report.delivered.append(target)
        library.mark_sent(wanted, destination, now)
    if not options.dry_run and report.written:
        library.record_recipe_run(recipe.name, now)
    return report


def _not_sent(library: Library, ids: list[str], destination: str) -> list[str]:
    fresh = {s.id for s in library.find(Query(state="any", not_sent_to=destination))}
    return [i for i in ids if i in fresh]


def _gather(
    recipe: Recipe, library: Library, fetcher: Fetcher, report: RunReport, *, now: datetime, warn: Say
) -> list[str]:
    """Every source's articles, saved in the library; their ids in order, duplicates merged."""
    found: list[tuple[Article, tuple[str, ...]]] = []
    feeds = []
    for source in recipe.sources:
        try:
            if source.kind == "feed":
                feeds.append((source.value, source))
            elif source.kind == "opml":
                feeds.extend((url, source) for url in opml_feeds(Path(source.value)))
            elif source.kind == "urls":
                pages = fetcher.pages(url_list(Path(source.value)), typed=True, problems=report.problems)
                found.extend((article, source.tags) for article in pages if article is not None)
            else:
                query = dict(source.query)
                state = "archived" if query.get("archived") else "unread" if query.get("unread") else "any"
                stored = library.find(
                    Query(
                        state=state,
                        starred=query.get("starred"),
                        tags=(query["tag"],) if "tag" in query else (),
                        site=query.get("site"),
                        limit=source.max_articles,
                    )
                )
                found.extend((article, ()) for article in library.articles(stored))
        except ArticleError as exc:
            report.problems.append(str(exc))
    for source, articles in fetcher.feeds(feeds, problems=report.problems):
        kept = feed_articles(articles, source, now)
        short = [n for n, article in enumerate(kept) if needs_full_text(article, source)]
        for n, article in zip(short, fetcher.full_text([kept[n] for n in short], problems=report.problems)):
            kept[n] = article
        found.extend((article, source.tags) for article in kept)
    unique, _ = dedupe([article for article, _ in found])
    tags = {article.id: t for article, t in found}
    ids = []
    for article in unique:
        saved = library.save(article, tags=tags.get(article.id, ()))
        ids.append(saved.id)
    return list(dict.fromkeys(ids))


def _write_output(recipe, values, overrides, target, articles, library, stored, registry, now, report) -> None:
    cls = registry.for_path(str(target))
    given = {**dict(values), **{k: v for k, v in overrides.items() if v is not None}}
    if given.pop("merge", False) and target.exists():
        given["merge"] = target
    exporter = cls.with_options(given)
    collection = make_collection(
        articles,
        title=recipe.title_for(now, report.run),
        authors=recipe.authors,
        language=recipe.language,
        load_images=False,
    )
    if cls.uses_images:
        collection = collection.with_assets(library.assets(stored))
    target.parent.mkdir(parents=True, exist_ok=True)
    for name, pieces in exporter.export_pieces(collection, target.name).items():
        write_atomic(target.parent / name, pieces)
    report.written.append((target, len(articles)))
