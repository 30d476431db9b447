"""The commands that read articles: ``export``, ``inspect`` and ``formats``."""

from __future__ import annotations

import dataclasses
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from exporters.cli.app import _progress, _say, app, fail, warn
from exporters.cli.help import PanelledCommand
from exporters.cli.library_export import export_parameters, take_library_options
from exporters.cli.options import (
    DEFAULT_SELECTION,
    AssetsDir,
    Inputs,
    Limit,
    PrivateNetwork,
    Quiet,
    Reverse,
    Since,
    Sort,
    Strict,
    Tags,
    Until,
    exporter_options,
    panels,
    selection,
    with_parameters,
)
from exporters.exporter import Exporter, ExportError, Rendered
from exporters.library import library_path
from exporters.model import Article, ArticleError, Collection, body_text
from exporters.pipeline.access import AccessPolicy, access_policy
from exporters.pipeline.atomic import OutputError, check_outputs, write_all_atomic, write_stdout
from exporters.pipeline.gather import Gathered, gather, make_collection
from exporters.pipeline.jsonform import articles_to_json
from exporters.pipeline.selection import Selection
from exporters.registry import RegistryError, UnknownFormat, default_registry

registry = default_registry()


def _gather(inputs: list[str], chosen: Selection, strict: bool, quiet: bool) -> Gathered:
    with _progress(quiet, "Reading", bar=False) as update:
        try:
            gathered = gather(inputs, chosen, strict=strict, on_input=lambda name: update(name=name))
        except ArticleError as exc:
            raise fail(str(exc)) from None
    for problem in gathered.problems:
        warn(f"skipped {problem}")
    for warning in gathered.warnings:
        warn(warning)
    return gathered


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def _counts(gathered: Gathered) -> str:
    """``7 read, 1 duplicate merged, 2 left out by the selection``: where the articles read went."""
    left_out = gathered.read - gathered.duplicates - len(gathered.articles)
    return (
        f"{gathered.read:,} read, {_count(gathered.duplicates, 'duplicate')} merged, "
        f"{left_out:,} left out by the selection"
    )


# -- export ----------------------------------------------------------------------------------------
def export(
    inputs: Inputs,
    output: Annotated[
        list[str],
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Output file; repeat for several; - for stdout.",
        ),
    ],
    to: Annotated[
        str | None,
        typer.Option("--to", "-t", metavar="FORMAT", help="Output format (default: from the file's extension)."),
    ] = None,
    title: Annotated[str, typer.Option("--title", metavar="TEXT", help="Collection title.")] = "",
    author: Annotated[
        list[str] | None, typer.Option("--author", metavar="NAME", help="Collection author; repeat for several.")
    ] = None,
    lang: Annotated[
        str | None, typer.Option("--lang", metavar="CODE", help="Language code, e.g. en (default: from the articles).")
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would be written, and write nothing.")] = False,
    strict: Strict = False,
    quiet: Quiet = False,
    allow_private_network: PrivateNetwork = False,
    assets_dir: AssetsDir = None,
    since: Since = DEFAULT_SELECTION.since,
    until: Until = DEFAULT_SELECTION.until,
    tag: Tags = None,
    limit: Limit = DEFAULT_SELECTION.limit,
    sort: Sort = DEFAULT_SELECTION.sort,
    reverse: Reverse = DEFAULT_SELECTION.reverse,
    **exporter_values: Any,
) -> None:
    """Export articles to EPUB, PDF, RSS, Atom or JSON Feed files (several at once from one read)."""
    library = take_library_options(exporter_values, inputs)
    targets = _resolve_targets(output, to)
    if not dry_run:
        try:
            # The library is an input too: an output over it would replace the saved articles.
            read = [str(library_path(library.path))] if library else inputs or []
            check_outputs([path for path, _ in targets], read)
        except OutputError as exc:
            raise fail(str(exc)) from None
    policy = AccessPolicy(allow_private_network=allow_private_network, assets_dir=assets_dir)
    given = {name: value for name, value in exporter_values.items() if value is not None}
    _warn_unused(given, [cls for _, cls in targets])
    exporters = [(path, _build_exporter(cls, given)) for path, cls in targets]
    if not dry_run:
        _refuse_binary_on_terminal(exporters)
    chosen = selection(since, until, tag, limit, sort, reverse)
    with access_policy(policy):
        gathered = library.gather(chosen) if library else _gather(inputs, chosen, strict, quiet)
    if not gathered.articles:
        raise fail(
            "no articles to export" + (" (all inputs were skipped)" if gathered.problems else " after filtering")
        )
    if dry_run:
        _print_plan(exporters, gathered)
    else:
        if not quiet:
            _say(f"Exporting {_count(len(gathered.articles), 'article')} ({_counts(gathered)})")
        with access_policy(policy):
            collection = make_collection(
                gathered.articles,
                title=title,
                authors=tuple(author or ()),
                language=lang,
                load_images=not library and any(e.uses_images for _, e in exporters),
                warn=warn,
                ordered=sort is not None or reverse,
            )
        if library:
            collection = library.with_assets(collection, any(e.uses_images for _, e in exporters))
        for path, exporter in exporters:
            _write_output(exporter, collection, path, quiet)
        if library:
            library.finish(gathered.articles, quiet)
    if gathered.problems or gathered.warnings:
        raise typer.Exit(1)


def _resolve_targets(outputs: list[str], to: str | None) -> list[tuple[str, type[Exporter]]]:
    if to is not None and len(outputs) > 1:
        raise typer.BadParameter(
            "-t applies to a single output; with several, each takes its format from its extension", param_hint="-t"
        )
    targets = []
    for path in outputs:
        try:
            if to is not None:
                cls = registry.get(to)
            elif path == "-":
                raise typer.BadParameter("writing to stdout (-o -) needs -t FORMAT", param_hint="-o")
            else:
                cls = registry.for_path(path)
        except UnknownFormat as exc:
            raise typer.BadParameter(str(exc), param_hint="-t" if to else "-o") from None
        except RegistryError as exc:
            raise fail(str(exc)) from None
        targets.append((path, cls))
    if len({p for p, _ in targets}) != len(targets):
        raise typer.BadParameter("the same output file is named twice", param_hint="-o")
    return targets


def _warn_unused(given: dict[str, Any], classes: list[type[Exporter]]) -> None:
    """Warn about each exporter option that none of the requested formats has: it would be ignored."""
    used = {field.name for cls in classes for field in dataclasses.fields(cls.options_class)}
    for option in exporter_options(registry.exporters()):
        if option.name in given and option.name not in used:
            warn(f"{option.flag} is not used by {', '.join(dict.fromkeys(cls.name for cls in classes))}")


def checked_exporter(cls: type[Exporter], given: dict[str, Any]) -> Exporter:
    """The exporter with the options given, its values checked: ExportError or ValueError when one is refused.

    Options classes that check their values in a method rather than when built are checked now,
    before anything is read, so a bad value is reported as usage like every other.
    """
    exporter = cls.with_options(given)
    check = getattr(exporter.options, "check", None)
    if callable(check):
        check()
    return exporter


def _build_exporter(cls: type[Exporter], given: dict[str, Any]) -> Exporter:
    """The exporter with the options given; a value its options refuse is bad usage (exit 2)."""
    try:
        return checked_exporter(cls, given)
    except (ExportError, ValueError) as exc:
        raise fail(str(exc), code=2) from None


def _writes_text(exporter: Exporter) -> bool:
    media = exporter.media_type
    return media.startswith("text/") or media.endswith(("+xml", "+json", "/xml", "/json"))


def _refuse_binary_on_terminal(exporters: list[tuple[str, Exporter]]) -> None:
    for path, exporter in exporters:
        if path == "-" and not _writes_text(exporter) and sys.stdout.isatty():
            raise fail(
                f"-o -: {exporter.name} output is binary and stdout is a terminal; "
                "redirect it to a file or a pipe, or use -o FILE",
                code=2,
            )


def _print_plan(exporters: list[tuple[str, Exporter]], gathered: Gathered) -> None:
    """What export would write, on stdout: each output, then the articles, then where the others went."""
    count = _count(len(gathered.articles), "article")
    for path, exporter in exporters:
        typer.echo(f"Would write {'stdout' if path == '-' else path} ({exporter.name}, {count})")
    for n, article in enumerate(gathered.articles, 1):
        typer.echo(f"{n:>4}. {article.title} ({_date(article.published)}; {article.source})")
    typer.echo(f"Would export {count} ({_counts(gathered)})")


def _date(value: datetime | None) -> str:
    return value.date().isoformat() if value else "undated"


def _write_output(exporter: Exporter, collection: Collection, path: str, quiet: bool) -> None:
    rendered = _render(exporter, collection, path, quiet)
    if path == "-":
        if rendered.companions:
            raise fail(f"{exporter.name}: --page-size and --xsl write files beside the feed: use -o FILE")
        _write_or_fail(write_stdout, rendered.pieces)
        return
    main_name = Path(path).name
    files = [
        (Path(path).parent / name, pieces)
        for name, pieces in [*rendered.companions.items(), (main_name, rendered.pieces)]
    ]
    _write_or_fail(write_all_atomic, files)
    for target, pieces in files if not quiet else ():
        size = f"{sum(len(piece) for piece in pieces):,} bytes"
        # The articles are counted once, on the output itself, not on its companions (archives, XSL).
        what = f"{exporter.name}, {_count(len(collection.articles), 'article')}, " if target.name == main_name else ""
        _say(f"Wrote {target} ({what}{size})")


def _write_or_fail(write: Any, *args: Any) -> None:
    try:
        write(*args)
    except OutputError as exc:
        raise fail(str(exc)) from None


def _render(exporter: Exporter, collection: Collection, path: str, quiet: bool) -> Rendered:
    with _progress(quiet, exporter.name, bar=True, total=len(collection.articles)) as update:
        try:
            return exporter.render(collection, Path(path).name, lambda done, total: update(completed=done, total=total))
        except ExportError as exc:
            raise fail(f"{path}: {exc}") from None
        except Exception as exc:  # noqa: BLE001 - a user should see one line, never a traceback
            raise fail(
                f"{path}: {exporter.name} export failed ({type(exc).__name__}: {exc}); this is a bug in newsexport"
            ) from None


app.command("export", cls=PanelledCommand)(
    with_parameters(
        export, [option.parameter for option in exporter_options(registry.exporters())], adjust=export_parameters
    )
)


# -- inspect -----------------------------------------------------------------------------------------
@app.command("inspect", cls=PanelledCommand)
def inspect_command(
    inputs: Inputs,
    as_json: Annotated[bool, typer.Option("--json", help="Print the articles in the model's JSON form.")] = False,
    strict: Strict = False,
    quiet: Quiet = False,
    assets_dir: AssetsDir = None,
    since: Since = DEFAULT_SELECTION.since,
    until: Until = DEFAULT_SELECTION.until,
    tag: Tags = None,
    limit: Limit = DEFAULT_SELECTION.limit,
    sort: Sort = DEFAULT_SELECTION.sort,
    reverse: Reverse = DEFAULT_SELECTION.reverse,
) -> None:
    """Show the articles read and selected, before exporting them.

    A summary per article, the duplicates merged and the counts; or, with --json, the model as JSON.
    """
    with access_policy(AccessPolicy(assets_dir=assets_dir)):
        gathered = _gather(inputs, selection(since, until, tag, limit, sort, reverse), strict, quiet)
    if as_json:
        _write_or_fail(write_stdout, [articles_to_json(gathered.articles)])
        if not quiet:
            _say(f"{_count(len(gathered.articles), 'article')} ({_counts(gathered)})")
    else:
        lines = [_describe(n, article) for n, article in enumerate(gathered.articles, 1)]
        lines += [_describe_duplicate(duplicate, kept) for duplicate, kept in gathered.merged]
        lines.append(f"{_count(len(gathered.articles), 'article')} ({_counts(gathered)})")
        _write_or_fail(write_stdout, ["\n".join(lines) + "\n"])
    if gathered.problems or gathered.warnings:
        raise typer.Exit(1)


def _describe_duplicate(duplicate: Article, kept: Article) -> str:
    into = "the one" if kept.title == duplicate.title else repr(kept.title)
    return f"duplicate: {duplicate.title!r} from {duplicate.source}, merged into {into} from {kept.source}"


def _describe(n: int, article: Article) -> str:
    words = len(body_text(article.body).split())
    return "\n".join(
        [
            f"{n}. {article.title}",
            f"   id: {article.id}",
            f"   url: {article.url or '-'}",
            f"   authors: {', '.join(article.authors) or '-'}",
            f"   published: {article.published.isoformat() if article.published else '-'}",
            f"   site: {article.site_name or '-'}   language: {article.language or '-'}",
            f"   tags: {', '.join(article.tags) or '-'}",
            f"   body: {len(article.body)} blocks, {words} words",
            f"   source: {article.source}" + (f" (read as {article.encoding})" if article.encoding else ""),
        ]
    )


# -- formats -----------------------------------------------------------------------------------------
@app.command("formats")
def formats_command() -> None:
    """List the output formats, their file extensions and their options."""
    exporters = registry.exporters()
    for cls in exporters:
        typer.echo(f"{cls.name:<10} {' '.join(cls.extensions):<24} {cls.description}")
    for name in registry.names():
        try:
            registry.get(name)
        except RegistryError as exc:
            typer.echo(f"{name:<10} unavailable: {exc}")
    for panel in panels(exporters):
        if not panel.options:
            continue
        typer.echo(f"\n{panel.title} options ({', '.join(panel.formats)}):")
        for option in panel.options:
            term = f"{option.flag} {option.metavar}".rstrip()
            default = f"  [default: {option.default}]" if option.default is not None else ""
            typer.echo(f"  {term:<32} {option.help}{default}")
