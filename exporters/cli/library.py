"""The library commands: ``add``, ``import``, ``list``, ``show``, ``tag``, ``archive``/``unarchive``,
``star``/``unstar``, ``remove`` and ``library stats|fetch|reextract``; each a thin layer over exporters.library."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Literal

import typer

from exporters.cli.app import _progress, _say, app, fail, warn
from exporters.cli.library_selection import make_query
from exporters.cli.options import PrivateNetwork, Quiet, Since, Tags, Until
from exporters.library import Library, LibraryError, Query, StoredArticle, open_library
from exporters.library.add import AddReport, add_inputs, fetch_articles, reextract
from exporters.library.imports import import_file
from exporters.library.records import iso
from exporters.model import ArticleError, body_text
from exporters.pipeline.access import AccessPolicy, access_policy
from exporters.pipeline.jsonform import article_to_dict

library_app = typer.Typer(
    name="library",
    help="Look after the library: statistics, fetching imported links, extracting again.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(library_app, name="library")

# -- options shared by the library commands -----------------------------------------------------------
LibraryPath = Annotated[
    str | None,
    typer.Option(
        "--library", metavar="FILE", help="The library file (default: $NEWSEXPORT_LIBRARY, else the user data folder)."
    ),
]
Ids = Annotated[list[str], typer.Argument(help="Article ids (a unique prefix of 4+ digits is enough) or URLs.")]
Jobs = Annotated[
    int, typer.Option("--jobs", "-j", min=1, max=32, metavar="N", help="Pages fetched at once (at most 2 per host).")
]
Images = Annotated[bool, typer.Option("--images/--no-images", help="Save the articles' images in the library.")]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON on stdout.")]
Unread = Annotated[bool, typer.Option("--unread", help="Only unread articles (the default).")]
Archived = Annotated[bool, typer.Option("--archived", help="Only archived articles.")]
All = Annotated[bool, typer.Option("--all", help="Unread and archived articles.")]
Starred = Annotated[bool, typer.Option("--starred", help="Only starred articles (read or not, unless told).")]
Site = Annotated[str | None, typer.Option("--site", help="Only articles from this site name or host.")]
Search = Annotated[
    str | None, typer.Option("--search", help="Only articles with all these words (word* for a prefix).")
]


@contextmanager
def opened(path: str | None) -> Iterator[Library]:
    """The library, open for one command; a library error becomes ``Error: ...`` and exit 1."""
    try:
        library = open_library(path)
    except LibraryError as exc:
        raise fail(str(exc)) from None
    try:
        yield library
    except LibraryError as exc:
        raise fail(str(exc)) from None
    finally:
        library.close()


def _report_add(report: AddReport, library: Library, quiet: bool, summary: str | None = None) -> None:
    for message in report.warnings:
        warn(message)
    for message in report.failed:
        warn(f"skipped {message}")
    if not quiet:
        done = summary or f"Added {len(report.added)} articles, updated {len(report.updated)}"
        _say(f"{done}, failed {len(report.failed)} ({library.path})")


# -- add and import -----------------------------------------------------------------------------------
@app.command("add")
def add_command(
    inputs: Annotated[list[str], typer.Argument(help="URLs, files or directories to save.")],
    tag: Annotated[list[str] | None, typer.Option("--tag", help="Tag the saved articles; repeat for several.")] = None,
    starred: Annotated[bool, typer.Option("--starred", help="Star the saved articles.")] = False,
    jobs: Jobs = 4,
    images: Images = True,
    library: LibraryPath = None,
    quiet: Quiet = False,
    allow_private_network: PrivateNetwork = False,
) -> None:
    """Save articles in the library (the same canonical URL saved again updates its article)."""
    with (
        access_policy(AccessPolicy(allow_private_network=allow_private_network)),
        opened(library) as lib,
        _progress(quiet, "Saving", bar=True, total=len(inputs)) as update,
    ):
        report = add_inputs(
            lib,
            inputs,
            tags=tag or (),
            starred=True if starred else None,
            jobs=jobs,
            images=images,
            progress=lambda done, total: update(completed=done, total=total),
        )
    _report_add(report, lib, quiet)
    if report.failed:
        raise typer.Exit(1)


@app.command("import")
def import_command(
    file: Annotated[
        str,
        typer.Argument(
            help="An export from Pocket, Instapaper, wallabag, Omnivore, Readwise, "
            "a browser (bookmarks) or newsexport (JSON/JSONL)."
        ),
    ],
    fetch: Annotated[bool, typer.Option("--fetch", help="Fetch the text of links the export has no text for.")] = False,
    jobs: Jobs = 4,
    images: Images = True,
    library: LibraryPath = None,
    quiet: Quiet = False,
    allow_private_network: PrivateNetwork = False,
) -> None:
    """Import a read-it-later export (the format is recognised by content), with read state, stars, tags and dates."""
    with (
        access_policy(AccessPolicy(allow_private_network=allow_private_network)),
        opened(library) as lib,
        _progress(quiet, "Fetching", bar=True) as update,
    ):
        try:
            report = import_file(
                lib,
                file,
                fetch=fetch,
                jobs=jobs,
                images=images,
                progress=lambda done, total: update(completed=done, total=total),
            )
        except ArticleError as exc:
            raise fail(str(exc)) from None
    for message in report.skipped:
        warn(f"skipped {message}")
    for message in report.failed:
        warn(f"not fetched: {message}")
    if not quiet:
        left_out = f" (and {report.left_out} feed items left out)" if report.left_out else ""
        _say(
            f"Imported {file} ({report.format}): added {len(report.added)}, updated {len(report.updated)},"
            f" skipped {len(report.skipped)}{left_out}, fetched {len(report.fetched)}, failed {len(report.failed)}"
        )
    if report.skipped or report.failed:
        raise typer.Exit(1)


# -- list and show ------------------------------------------------------------------------------------
def _as_dict(stored: StoredArticle, short: str) -> dict[str, object]:
    return {
        "id": stored.id,
        "short_id": short,
        "url": stored.url,
        "title": stored.title,
        "site": stored.site,
        "published": iso(stored.published),
        "added": iso(stored.added),
        "read": iso(stored.read_at),
        "archived": iso(stored.archived_at),
        "state": stored.state,
        "starred": stored.starred,
        "tags": list(stored.tags),
        "origin": stored.origin,
        "fetched": stored.fetched,
    }


def _json_out(value: object) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n")


@app.command("list")
def list_command(
    unread: Unread = False,
    archived: Archived = False,
    all_states: All = False,
    starred: Starred = False,
    tag: Tags = None,
    site: Site = None,
    since: Since = None,
    until: Until = None,
    search: Search = None,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="At most this many articles.")] = None,
    sort: Annotated[
        Literal["added", "published", "title"], typer.Option("--sort", help="Order (newest or A first).")
    ] = "added",
    reverse: Annotated[bool, typer.Option("--reverse", help="Reverse the order.")] = False,
    as_json: AsJson = False,
    library: LibraryPath = None,
) -> None:
    """List saved articles: id, state, star, title, site and tags (unread ones unless told otherwise)."""
    query = make_query(
        unread=unread,
        archived=archived,
        all_states=all_states,
        starred=starred,
        tags=tag,
        site=site,
        since=since,
        until=until,
        search=search,
        sort=sort,
        newest_first=(sort != "title") != reverse,
        limit=limit,
    )
    with opened(library) as lib:
        found = lib.find(query)
        short = lib.short_ids(s.id for s in found)
    if as_json:
        _json_out([_as_dict(s, short[s.id]) for s in found])
        return
    for s in found:
        tags = "  " + " ".join(f"#{t}" for t in s.tags) if s.tags else ""
        site_name = f"  ({s.site or s.url or s.origin})"
        flags = ("*" if s.starred else " ") + ("A" if s.state == "archived" else " ") + (" " if s.fetched else "?")
        typer.echo(f"{short[s.id]}  {s.added:%Y-%m-%d} {flags} {s.title}{site_name}{tags}")


@app.command("show")
def show_command(ids: Ids, as_json: AsJson = False, library: LibraryPath = None) -> None:
    """Show articles: what the library knows of them, then their text."""
    with opened(library) as lib:
        shown = []
        for ref in ids:
            stored = lib.get(ref)
            article = lib.article(stored)
            sent = lib.sent(stored)
            shown.append((stored, article, sent))
        short = lib.short_ids(s.id for s, _, _ in shown)
    if as_json:
        _json_out(
            [
                _as_dict(s, short[s.id])
                | {"sent": [{"to": d, "at": iso(t)} for d, t in sent], "article": article_to_dict(a)}
                for s, a, sent in shown
            ]
        )
        return
    for n, (s, article, sent) in enumerate(shown):
        lines = [
            f"{article.title}",
            f"   id: {s.id} ({short[s.id]})",
            f"   url: {s.url or '-'}",
            f"   authors: {', '.join(article.authors) or '-'}",
            f"   published: {iso(s.published) or '-'}   site: {s.site or '-'}",
            f"   state: {s.state}{', starred' if s.starred else ''}{'' if s.fetched else ', text not fetched yet'}",
            f"   added: {iso(s.added)}   read: {iso(s.read_at) or '-'}   archived: {iso(s.archived_at) or '-'}",
            f"   tags: {', '.join(s.tags) or '-'}",
            f"   sent: {', '.join(f'{d} ({iso(t)})' for d, t in sent) or '-'}",
            f"   from: {s.origin or '-'}",
            "",
            body_text(article.body),
        ]
        typer.echo(("\n" if n else "") + "\n".join(lines))


# -- marking ------------------------------------------------------------------------------------------
@app.command("tag")
def tag_command(
    ids: Ids,
    add: Annotated[list[str] | None, typer.Option("--add", help="Tag to add; repeat for several.")] = None,
    remove: Annotated[list[str] | None, typer.Option("--remove", help="Tag to remove; repeat for several.")] = None,
    library: LibraryPath = None,
) -> None:
    """Add and remove tags."""
    if not add and not remove:
        raise typer.BadParameter("give --add TAG or --remove TAG", param_hint="--add")
    with opened(library) as lib:
        lib.tag(lib.resolve(ids), add or (), remove or ())


def _mark(ids: list[str], library: str | None, verb: str, change) -> None:
    with opened(library) as lib:
        changed = change(lib, lib.resolve(ids))
    _say(f"{verb} {changed} of {len(ids)} articles")


@app.command("archive")
def archive_command(ids: Ids, library: LibraryPath = None) -> None:
    """Mark articles read and archive them."""
    _mark(ids, library, "Archived", lambda lib, keys: lib.set_state(keys, archived=True))


@app.command("unarchive")
def unarchive_command(ids: Ids, library: LibraryPath = None) -> None:
    """Move archived articles back to unread."""
    _mark(ids, library, "Unarchived", lambda lib, keys: lib.set_state(keys, archived=False))


@app.command("star")
def star_command(ids: Ids, library: LibraryPath = None) -> None:
    """Star articles."""
    _mark(ids, library, "Starred", lambda lib, keys: lib.set_starred(keys, True))


@app.command("unstar")
def unstar_command(ids: Ids, library: LibraryPath = None) -> None:
    """Remove the star from articles."""
    _mark(ids, library, "Unstarred", lambda lib, keys: lib.set_starred(keys, False))


@app.command("remove")
def remove_command(
    ids: Ids,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask.")] = False,
    library: LibraryPath = None,
) -> None:
    """Delete articles from the library (asks first, unless --yes)."""
    with opened(library) as lib:
        keys = lib.resolve(ids)
        if not yes:
            titles = "\n".join(f"  {lib.get(k).title}" for k in keys)
            if not typer.confirm(f"Remove {len(keys)} articles?\n{titles}\n", default=False):
                raise fail("nothing removed")
        removed = lib.remove(keys)
    _say(f"Removed {removed} articles")


# -- library stats | fetch | reextract ----------------------------------------------------------------
@library_app.command("stats")
def stats_command(as_json: AsJson = False, library: LibraryPath = None) -> None:
    """Counts: articles by state, starred, not fetched, tags, destinations, images and file size."""
    with opened(library) as lib:
        stats = lib.stats()
    if as_json:
        _json_out(stats)
        return
    tags = stats.pop("tags")
    sent = stats.pop("sent_to")
    for key, value in stats.items():
        typer.echo(f"{key.replace('_', ' ')}: {value:,}" if isinstance(value, int) else f"{key}: {value}")
    typer.echo("tags: " + (", ".join(f"{t} ({n})" for t, n in tags.items()) or "-"))  # type: ignore[attr-defined]
    typer.echo("sent to: " + (", ".join(f"{d} ({n})" for d, n in sent.items()) or "-"))  # type: ignore[attr-defined]


@library_app.command("fetch")
def fetch_command(
    ids: Annotated[
        list[str] | None, typer.Argument(help="Articles to fetch again (default: every one never fetched).")
    ] = None,
    jobs: Jobs = 4,
    images: Images = True,
    library: LibraryPath = None,
    quiet: Quiet = False,
    allow_private_network: PrivateNetwork = False,
) -> None:
    """Fetch and extract the text of imported links (or of the given articles again)."""
    with access_policy(AccessPolicy(allow_private_network=allow_private_network)), opened(library) as lib:
        stored = [lib.get(ref) for ref in ids] if ids else lib.unfetched()
        with _progress(quiet, "Fetching", bar=True, total=len(stored)) as update:
            report = fetch_articles(
                lib, stored, jobs=jobs, images=images, progress=lambda done, total: update(completed=done, total=total)
            )
        _report_add(report, lib, quiet, f"Fetched {len(report.updated)} articles")
    if report.failed:
        raise typer.Exit(1)


@library_app.command("reextract")
def reextract_command(
    ids: Annotated[
        list[str] | None, typer.Argument(help="Articles to extract again (default: all with a kept page).")
    ] = None,
    library: LibraryPath = None,
    quiet: Quiet = False,
) -> None:
    """Extract articles again from the pages kept when they were saved (after newsexport's extraction improved)."""
    with opened(library) as lib:
        stored = [lib.get(ref) for ref in ids] if ids else lib.find(Query(state="any"))
        with _progress(quiet, "Extracting", bar=True, total=len(stored)) as update:
            report = reextract(lib, stored, progress=lambda done, total: update(completed=done, total=total))
        _report_add(report, lib, quiet, f"Extracted {len(report.updated)} articles again")
    if report.failed:
        raise typer.Exit(1)
