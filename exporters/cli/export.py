"""The commands that read articles: ``export``, ``inspect`` and ``formats``."""

from __future__ import annotations

import dataclasses
import inspect
import sys
import typing
from pathlib import Path
from typing import Annotated, Any, Literal

import typer

from exporters.cli.app import _progress, _say, app, fail, warn
from exporters.exporter import Exporter, ExportError
from exporters.model import ArticleError, body_text
from exporters.pipeline.atomic import write_atomic
from exporters.pipeline.dates import parse_date
from exporters.pipeline.gather import gather, make_collection
from exporters.pipeline.jsonform import articles_to_json
from exporters.pipeline.selection import Selection
from exporters.registry import RegistryError, UnknownFormat, default_registry

registry = default_registry()

# -- options shared by commands that read articles -----------------------------------------------
Inputs = Annotated[list[str], typer.Argument(help="Files, directories (read recursively), URLs, or - for stdin.")]
Strict = Annotated[bool, typer.Option("--strict", help="Stop at the first input that cannot be read.")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress or summary on stderr.")]


def _date_option(value: str | None, flag: str):
    if value is None:
        return None
    try:
        return parse_date(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date (use YYYY-MM-DD or ISO 8601)", param_hint=flag) from None


def _gather(inputs, selection, strict, quiet):
    with _progress(quiet, "Reading", bar=False) as update:
        try:
            gathered = gather(inputs, selection, strict=strict, on_input=lambda name: update(name=name))
        except ArticleError as exc:
            raise fail(str(exc)) from None
    for problem in gathered.problems:
        warn(f"skipped {problem}")
    return gathered


# -- export ----------------------------------------------------------------------------------------
def _exporter_option_params() -> list[inspect.Parameter]:
    """One CLI option per exporter option field; a name shared by several exporters becomes one flag."""
    params: dict[str, inspect.Parameter] = {}
    owners: dict[str, list[str]] = {}
    for cls in registry.exporters():
        hints = typing.get_type_hints(cls.options_class)
        for field in dataclasses.fields(cls.options_class):
            owners.setdefault(field.name, []).append(cls.name)
            if field.name in params:
                continue
            annotation = hints[field.name]
            choices = field.metadata.get("choices") or ()
            if choices:
                annotation = Literal[tuple(choices)]  # type: ignore[valid-type]
            default = field.default if field.default is not dataclasses.MISSING else None
            help_text = field.metadata.get("help", "")
            flag = "--" + field.name.replace("_", "-")
            flags = (f"{flag}/--no-{flag[2:]}",) if annotation is bool else (flag,)
            params[field.name] = inspect.Parameter(
                field.name,
                inspect.Parameter.KEYWORD_ONLY,
                default=None,
                annotation=Annotated[
                    annotation | None,
                    typer.Option(
                        *flags, help=f"{help_text} [default: {default}]", metavar=field.metadata.get("metavar")
                    ),
                ],
            )
    for name, formats in owners.items():
        param = params[name]
        meta = typing.get_args(param.annotation)[1]
        meta.help = f"{meta.help} ({', '.join(formats)})"
    return list(params.values())


def export(
    inputs: Inputs,
    output: Annotated[
        list[str],
        typer.Option(
            "--output", "-o", help="Output file (format from its extension); repeat for several; - for stdout."
        ),
    ],
    to: Annotated[str | None, typer.Option("--to", "-t", help="Output format (see 'newsexport formats').")] = None,
    title: Annotated[str, typer.Option("--title", help="Collection title.")] = "",
    author: Annotated[list[str] | None, typer.Option("--author", help="Collection author; repeat for several.")] = None,
    lang: Annotated[
        str | None, typer.Option("--lang", help="Language code, e.g. en (default: from the articles).")
    ] = None,
    since: Annotated[str | None, typer.Option("--since", help="Only articles published on or after this date.")] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="Only articles published on or before this date.")
    ] = None,
    tag: Annotated[
        list[str] | None, typer.Option("--tag", help="Only articles with this tag; repeat for any of several.")
    ] = None,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="At most this many articles.")] = None,
    sort: Annotated[
        Literal["input", "date", "title"] | None,
        typer.Option("--sort", help="Order of the articles (default: input order; feeds newest first)."),
    ] = None,
    reverse: Annotated[bool, typer.Option("--reverse", help="Reverse the order.")] = False,
    strict: Strict = False,
    quiet: Quiet = False,
    **exporter_options: Any,
) -> None:
    """Export articles to one or more formats: EPUB, PDF, RSS, Atom, JSON Feed."""
    targets = _resolve_targets(output, to)
    selection = Selection(
        since=_date_option(since, "--since"),
        until=_date_option(until, "--until"),
        tags=tuple(tag or ()),
        sort=sort,
        reverse=reverse,
        limit=limit,
    )
    given = {k: v for k, v in exporter_options.items() if v is not None}
    try:
        exporters = [(path, cls.with_options(given)) for path, cls in targets]
    except ExportError as exc:
        raise fail(str(exc)) from None
    gathered = _gather(inputs, selection, strict, quiet)
    if not gathered.articles:
        raise fail(
            "no articles to export" + (" (all inputs were skipped)" if gathered.problems else " after filtering")
        )
    collection = make_collection(
        gathered.articles,
        title=title,
        authors=tuple(author or ()),
        language=lang,
        load_images=any(e.uses_images for _, e in exporters),
        warn=warn,
        ordered=sort is not None or reverse,
    )
    for path, exporter in exporters:
        files = _run_exporter(exporter, collection, path, quiet)
        if path == "-":
            if len(files) > 1:
                raise fail(f"{exporter.name}: --page-size and --xsl write files beside the feed: use -o FILE")
            sys.stdout.buffer.writelines(files["-"])
            sys.stdout.buffer.flush()
            continue
        for name, pieces in files.items():
            target = Path(path).parent / name
            write_atomic(target, pieces)
            if not quiet:
                size = sum(len(piece) for piece in pieces)
                _say(f"Wrote {target} ({exporter.name}, {len(collection.articles)} articles, {size:,} bytes)")
    if gathered.problems:
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


def _run_exporter(exporter: Exporter, collection, path: str, quiet: bool) -> dict[str, list[bytes]]:
    with _progress(quiet, exporter.name, bar=True, total=len(collection.articles)) as update:
        try:
            return exporter.export_pieces(
                collection, Path(path).name, lambda done, total: update(completed=done, total=total)
            )
        except ExportError as exc:
            raise fail(f"{path}: {exc}") from None
        except Exception as exc:  # noqa: BLE001 - a user should see one line, never a traceback
            raise fail(
                f"{path}: {exporter.name} export failed ({type(exc).__name__}: {exc}); this is a bug in newsexport"
            ) from None


def _install_export_command() -> None:
    """Register ``export`` with the options every exporter declares added to its signature."""
    signature = inspect.signature(export, eval_str=True)
    fixed = [p for p in signature.parameters.values() if p.kind is not inspect.Parameter.VAR_KEYWORD]
    taken = {p.name for p in fixed}
    extra = [p for p in _exporter_option_params() if p.name not in taken]

    def export_command(**kwargs: Any) -> None:
        export(**kwargs)

    export_command.__signature__ = signature.replace(parameters=fixed + extra)  # type: ignore[attr-defined]
    export_command.__annotations__ = {p.name: p.annotation for p in fixed + extra}
    export_command.__doc__ = export.__doc__
    app.command("export")(export_command)


_install_export_command()


# -- inspect -----------------------------------------------------------------------------------------
@app.command("inspect")
def inspect_command(
    inputs: Inputs,
    as_json: Annotated[bool, typer.Option("--json", help="Print the articles in the model's JSON form.")] = False,
    strict: Strict = False,
    quiet: Quiet = False,
) -> None:
    """Show what newsexport reads from the inputs: a summary per article, or the model as JSON."""
    gathered = _gather(inputs, Selection(), strict, quiet)
    if as_json:
        sys.stdout.write(articles_to_json(gathered.articles))
    else:
        for n, article in enumerate(gathered.articles, 1):
            words = len(body_text(article.body).split())
            lines = [
                f"{n}. {article.title}",
                f"   id: {article.id}",
                f"   url: {article.url or '-'}",
                f"   authors: {', '.join(article.authors) or '-'}",
                f"   published: {article.published.isoformat() if article.published else '-'}",
                f"   site: {article.site_name or '-'}   language: {article.language or '-'}",
                f"   tags: {', '.join(article.tags) or '-'}",
                f"   body: {len(article.body)} blocks, {words} words",
                f"   source: {article.source}",
            ]
            typer.echo("\n".join(lines))
    if gathered.problems:
        raise typer.Exit(1)


# -- formats -----------------------------------------------------------------------------------------
@app.command("formats")
def formats_command() -> None:
    """List the output formats with their file extensions and options."""
    for cls in registry.exporters():
        typer.echo(f"{cls.name:<10} {' '.join(cls.extensions):<24} {cls.description}")
        for field in dataclasses.fields(cls.options_class):
            flag = "--" + field.name.replace("_", "-")
            choices = field.metadata.get("choices") or ()
            hint = f" [{'|'.join(choices)}]" if choices else ""
            typer.echo(f"    {flag}{hint}: {field.metadata.get('help', '')}")
    for name in registry.names():
        try:
            registry.get(name)
        except RegistryError as exc:
            typer.echo(f"{name:<10} unavailable: {exc}")
