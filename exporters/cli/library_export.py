"""``export --from-library``: the options it adds to ``export``, the articles it takes, and what it records after.

The export command calls three things here: :func:`export_parameters` when its signature is
built, :func:`take_library_options` first thing (None unless ``--from-library``), and, on the
object that returns, ``gather`` instead of reading inputs, ``with_assets`` after building the
collection and ``finish`` once every output is written (``--mark-sent``, ``--archive-after``).
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field, replace
from typing import Annotated, Any

import typer

from exporters.cli.app import _say, fail, warn
from exporters.cli.library_selection import make_query
from exporters.library import Library, LibraryError, Query, StoredArticle, open_library
from exporters.model import Collection
from exporters.pipeline.assets import AssetError, article_images, load_asset
from exporters.pipeline.gather import Gathered
from exporters.pipeline.selection import Selection, select

__all__ = ["export_parameters", "take_library_options", "LibraryExport"]

#: The panel of ``export --help`` these options are listed in.
PANEL = "Library"


def _option(*flags: str, help: str, metavar: str | None = None) -> Any:
    return typer.Option(*flags, help=help, metavar=metavar, rich_help_panel=PANEL)


_OPTIONS: dict[str, Any] = {
    "from_library": (bool, _option("--from-library", help="Export from the library instead of INPUTs.")),
    "library": (str | None, _option("--library", metavar="FILE", help="The library file (default: the user's).")),
    "unread": (bool, _option("--unread", help="Unread articles (the default).")),
    "archived": (bool, _option("--archived", help="Archived articles.")),
    "all_states": (bool, _option("--all", help="Unread and archived articles.")),
    "starred": (bool, _option("--starred", help="Starred articles.")),
    "site": (str | None, _option("--site", metavar="SITE", help="Articles from this site or host.")),
    "search": (str | None, _option("--search", metavar="WORDS", help="Articles with all these words.")),
    "not_sent_to": (str | None, _option("--not-sent-to", metavar="NAME", help="Only articles never sent to NAME.")),
    "mark_sent": (str | None, _option("--mark-sent", metavar="NAME", help="Record them as sent to NAME once written.")),
    "archive_after": (bool, _option("--archive-after", help="Archive them once every output is written.")),
}


def export_parameters(fixed: list[inspect.Parameter]) -> list[inspect.Parameter]:
    """``export``'s parameters with the inputs made optional (none with --from-library) and the library options."""
    params = [
        p.replace(kind=inspect.Parameter.KEYWORD_ONLY, default=None if p.name == "inputs" else p.default) for p in fixed
    ]
    taken = {p.name for p in params}
    for name, (kind, option) in _OPTIONS.items():
        if name not in taken:
            default = False if kind is bool else None
            params.append(
                inspect.Parameter(
                    name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=Annotated[kind, option]
                )
            )
    return params


def take_library_options(options: dict[str, Any], inputs: list[str] | None) -> LibraryExport | None:
    """Remove the library options from ``options``; a :class:`LibraryExport` with ``--from-library``, else None."""
    given = {name: options.pop(name, None) for name in _OPTIONS}
    if not given["from_library"]:
        used = [f"--{n.replace('_', '-')}" for n, v in given.items() if v and n != "from_library"]
        if used:
            raise typer.BadParameter("needs --from-library", param_hint=used[0])
        if not inputs:
            raise typer.BadParameter(
                "give files, directories or URLs to export, or --from-library", param_hint="INPUTS"
            )
        return None
    if inputs:
        raise typer.BadParameter("--from-library takes no inputs", param_hint="INPUTS")
    query = make_query(
        unread=bool(given["unread"]),
        archived=bool(given["archived"]),
        all_states=bool(given["all_states"]),
        starred=bool(given["starred"]),
        site=given["site"],
        search=given["search"],
        not_sent_to=given["not_sent_to"],
        newest_first=False,
    )
    return LibraryExport(given["library"], query, given["mark_sent"], bool(given["archive_after"]))


@dataclass
class LibraryExport:
    """One ``export --from-library`` run: the query, what to record after, and the library while it runs."""

    path: str | None
    query: Query
    mark_sent: str | None = None
    archive_after: bool = False
    library: Library | None = None
    #: Library id of each exported article, by the article object's identity.
    ids: dict[int, str] | None = None
    _stored: list[StoredArticle] = field(default_factory=list)

    def gather(self, selection: Selection) -> Gathered:
        """The articles the query and the export's own selection (dates, tags, sort, limit) choose.

        Nothing to export is not an error: says "no new articles" and ends the command with exit 0.
        """
        try:
            self.library = open_library(self.path)
            query = replace(self.query, tags=selection.tags, since=selection.since, until=selection.until)
            stored = self.library.find(query)
            articles = self.library.articles(stored)
        except LibraryError as exc:
            raise fail(str(exc)) from None
        self.ids = {id(a): s.id for a, s in zip(articles, stored)}
        self._stored = stored
        chosen = select(articles, selection)
        if not chosen:
            where = f" for {self.query.not_sent_to}" if self.query.not_sent_to else ""
            _say(f"{self.library.path}: no new articles to export{where}")
            self.library.close()
            raise typer.Exit(0)
        return Gathered(chosen, [], 0, len(stored))

    def with_assets(self, collection: Collection, load_images: bool) -> Collection:
        """The collection with the images stored in the library; any other image is loaded as export loads it."""
        if not load_images:
            return collection
        assert self.library is not None and self.ids is not None
        chosen = {self.ids[id(a)] for a in collection.articles}
        assets = self.library.assets(s for s in self._stored if s.id in chosen)
        failed: set[str] = set()
        for article in collection.articles:
            for image in article_images(article):
                if not image.src or image.src in assets or image.src in failed:
                    continue
                try:
                    assets[image.src] = load_asset(image.src)
                except AssetError as exc:
                    failed.add(image.src)
                    warn(f"{article.source or article.title}: image dropped: {exc}")
        return replace(collection, assets=assets)

    def finish(self, exported: list[Any], quiet: bool) -> None:
        """Once every output is written: record the destination and archive, as asked, in one transaction each."""
        assert self.library is not None and self.ids is not None
        keys = [self.ids[id(a)] for a in exported]
        try:
            if self.mark_sent:
                self.library.mark_sent(keys, self.mark_sent)
            if self.archive_after:
                self.library.set_state(keys, archived=True)
        except LibraryError as exc:
            raise fail(str(exc)) from None
        finally:
            self.library.close()
        if not quiet and (self.mark_sent or self.archive_after):
            done = [f"marked sent to {self.mark_sent}"] if self.mark_sent else []
            done += ["archived"] if self.archive_after else []
            _say(f"{len(keys)} articles {' and '.join(done)} in {self.library.path}")
