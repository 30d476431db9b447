"""Running a recipe: fetch its sources, build each output from what it has not received yet, deliver, record.

The library holds the state between runs: every article a run fetched is saved there, and each
output records which articles it received (destination ``recipe:NAME:PATH``), but only once the
file is written and, with ``[deliver]``, the mail server accepted it. So the next run of the
recipe brings only what is new, and a failed delivery is tried again with the same articles.
"""

from __future__ import annotations

import dataclasses
import fcntl
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Literal
from urllib.parse import quote

from exporters.exporter import ExportError
from exporters.library import Library, Query
from exporters.library.deliveries import last_run, next_run, sent_ids
from exporters.library.records import library_id
from exporters.model import Article, ArticleError
from exporters.pipeline.assets import collect_assets
from exporters.pipeline.atomic import check_outputs, write_all_atomic
from exporters.pipeline.fetcher import Fetcher
from exporters.pipeline.gather import make_collection
from exporters.pipeline.selection import dedupe
from exporters.readers import read_inputs
from exporters.recipes.deliver import DeliveryError, send_book
from exporters.recipes.recipe import Recipe, Source
from exporters.recipes.sources import (
    feed_articles,
    needs_full_text,
    opml_feeds,
    read_feeds,
    read_pages,
    url_list,
    with_full_text,
)
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
    recipe: Recipe, library: Library, registry: Registry, options: RunOptions, *, now: datetime, warn: Say
) -> RunReport:
    """Run ``recipe`` once against ``library``; the caller holds :func:`recipe_lock` and sets the access policy."""
    report = RunReport(run=last_run(library, recipe.name) + 1)
    if not options.dry_run:
        # An output over the library, the recipe or a file it reads would replace what the run reads.
        read = [str(library.path), str(recipe.path), *(path for source in recipe.sources for path in source.paths)]
        check_outputs([str(output.target(now, report.run)) for output in recipe.outputs], read)
    cache = None if options.dry_run else library.path.with_name(f"{library.path.name}.http-cache")
    fetcher = Fetcher(jobs=options.jobs, cache=cache)
    found = _gather(recipe, library, fetcher, report, now=now)
    report.fetched = fetcher.requested
    if options.dry_run:
        by_id = {library_id(article): article for article, _, _ in found}
    else:
        by_id = {_save(library, article, tags, key): article for article, tags, key in found}
    # Books first: a feed output may link this run's EPUB as its newest entry's enclosure.
    for index, output in sorted(enumerate(recipe.outputs), key=lambda pair: not _is_book(pair[1].path)):
        target = output.target(now, report.run)
        destination = destination_of(recipe, index)
        sent = set() if options.include_all else sent_ids(library, destination)
        wanted = [key for key in by_id if key not in sent]
        if options.dry_run:
            report.planned.append((target, [by_id[key] for key in wanted]))
            continue
        if not wanted:
            continue
        if report.run > last_run(library, recipe.name):  # the first output this run writes numbers it
            next_run(library, recipe.name, now)
        stored = [library.get(key) for key in wanted]
        values = dict(output.options)
        if output.enclosure_base_url:
            values.update(_enclosure(output.enclosure_base_url, report))
        try:
            _write_output(recipe, values, dict(options.overrides), target, library, stored, registry, now, report, warn)
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
    return report


def _is_book(path: str) -> bool:
    return path.lower().endswith((".epub", ".pdf"))


def _enclosure(base_url: str, report: RunReport) -> dict[str, object]:
    """A feed's enclosure options for the EPUB this run wrote (none when it wrote none): its URL under
    ``base_url`` and its size."""
    books = [target for target, _ in report.written if target.suffix.lower() == ".epub"]
    if not books:
        return {}
    base = base_url if base_url.endswith("/") else base_url + "/"
    return {"enclosure_url": base + quote(books[0].name), "enclosure_length": books[0].stat().st_size}


def _save(library: Library, article: Article, tags: tuple[str, ...], key: str | None) -> str:
    """The article's library id: saved now when it came from the network, already there when from the library."""
    return key if key is not None else library.save(article, tags=tags, origin="recipe").id


def _gather(
    recipe: Recipe, library: Library, fetcher: Fetcher, report: RunReport, *, now: datetime
) -> list[tuple[Article, tuple[str, ...], str | None]]:
    """Every source's articles with their tags and library id (for those already in the library), duplicates merged."""
    found: list[tuple[Article, tuple[str, ...], str | None]] = []
    feeds = []
    for source in recipe.sources:
        try:
            if source.kind == "feed":
                feeds.append((source.value, source))
            elif source.kind == "opml":
                feeds.extend((url, source) for url in opml_feeds(Path(source.value)))
            elif source.kind == "files":
                result = read_inputs(source.paths)
                report.problems.extend(result.problems)
                found.extend((article, source.tags, None) for article in result.articles)
            elif source.kind == "urls":
                pages = read_pages(fetcher, url_list(Path(source.value)), typed=True, problems=report.problems)
                found.extend((article, source.tags, None) for article in pages if article is not None)
            else:
                stored = library.find(_library_query(source))
                found.extend((a, (), s.id) for a, s in zip(library.articles(stored), stored))
        except ArticleError as exc:
            report.problems.append(str(exc))
    for source, articles in read_feeds(fetcher, feeds, problems=report.problems):
        kept = feed_articles(articles, source, now)
        # An entry saved by an earlier run is taken from the library: its page is not fetched again.
        known = [library.id_for_url(article.url) if article.url else None for article in kept]
        short = [n for n, article in enumerate(kept) if known[n] is None and needs_full_text(article, source)]
        for n, article in zip(short, with_full_text(fetcher, [kept[n] for n in short], problems=report.problems)):
            kept[n] = article
        found.extend((article, source.tags, key) for article, key in zip(kept, known))
    unique, _ = dedupe([article for article, _, _ in found])
    kept_ids = {id(article) for article in unique}
    return [entry for entry in found if id(entry[0]) in kept_ids]


def _library_query(source: Source) -> Query:
    query = dict(source.query)
    state: Literal["unread", "archived", "any"] = (
        "archived" if query.get("archived") else "unread" if query.get("unread") else "any"
    )
    return Query(
        state=state,
        starred=query.get("starred"),
        tags=(query["tag"],) if "tag" in query else (),
        site=query.get("site"),
        limit=source.max_articles,
    )


def _write_output(recipe, values, overrides, target, library, stored, registry, now, report, warn) -> None:
    """Build one output from the stored articles and write it (and its companion files) atomically."""
    cls = registry.for_path(str(target))
    given = {**dict(values), **{k: v for k, v in overrides.items() if v is not None and k in _names(cls)}}
    if given.pop("merge", False) and target.exists():
        given["merge"] = target
    exporter = cls.with_options(given)
    articles = library.articles(stored)
    collection = make_collection(
        articles,
        title=recipe.title_for(now, report.run),
        authors=recipe.authors,
        language=recipe.language,
        load_images=False,
    )
    if cls.uses_images:
        assets = library.assets(stored)
        missing = [a for a in articles if any(src not in assets for src in _image_srcs(a))]
        assets = {**collect_assets(missing, warn), **assets}
        collection = dataclasses.replace(collection, assets=assets)
    target.parent.mkdir(parents=True, exist_ok=True)
    rendered = exporter.render(collection, target.name, lambda done, total: None)
    write_all_atomic(
        [
            (target.parent / name, pieces)
            for name, pieces in [*rendered.companions.items(), (target.name, rendered.pieces)]
        ]
    )
    report.written.append((target, len(articles)))


def _names(cls) -> set[str]:
    return {field.name for field in dataclasses.fields(cls.options_class)}


def _image_srcs(article: Article) -> list[str]:
    from exporters.pipeline.assets import article_images

    return [image.src for image in article_images(article) if image.src]
