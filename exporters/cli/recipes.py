"""``newsexport run RECIPE``: the weekly digest in one command (see :mod:`exporters.recipes`)."""

from __future__ import annotations

import dataclasses
import os
import typing
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from exporters.cli.app import _say, app, fail, warn
from exporters.cli.export import checked_exporter, registry
from exporters.cli.help import PanelledCommand
from exporters.cli.library import Jobs, LibraryPath, opened
from exporters.cli.options import PrivateNetwork, Quiet, exporter_options, with_parameters
from exporters.exporter import ExportError
from exporters.pipeline.access import AccessPolicy, access_policy
from exporters.pipeline.atomic import OutputError
from exporters.pipeline.dates import build_time
from exporters.recipes.recipe import RecipeError, load_recipe
from exporters.recipes.run import RecipeBusy, RunOptions, recipe_lock, run_recipe
from exporters.registry import RegistryError


def _output_fields(path: str) -> dict[str, Any]:
    """The options a recipe's output may set, with their types: its format's, by their CLI name with ``_``."""
    try:
        cls = registry.for_path(path)
    except RegistryError as exc:
        raise ValueError(str(exc)) from None
    hints = typing.get_type_hints(cls.options_class)
    return {field.name: hints.get(field.name) for field in dataclasses.fields(cls.options_class)}


def _check_output_values(recipe: Path, line: int, path: str, values: dict[str, Any]) -> None:
    """Build the output's exporter as the run will, so a value its options refuse is bad usage now."""
    values.pop("merge", None)  # a switch in recipes; the run gives the file
    try:
        checked_exporter(registry.for_path(path), values)
    except (ExportError, ValueError, TypeError) as exc:
        raise fail(f"{recipe}:{line}: output: {exc}", code=2) from None


def run(
    recipe: Annotated[Path, typer.Argument(metavar="RECIPE", help="The recipe, a TOML file.")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Fetch and show what would go where; write nothing.")
    ] = False,
    include_all: Annotated[
        bool, typer.Option("--all", help="Include articles earlier runs already delivered.")
    ] = False,
    jobs: Jobs = 4,
    library: LibraryPath = None,
    allow_private_network: PrivateNetwork = False,
    quiet: Quiet = False,
    **exporter_values: Any,
) -> None:
    """Run a recipe: fetch its sources, build its outputs from what is new, deliver them, remember what went where."""
    try:
        loaded = load_recipe(recipe, output_fields=_output_fields)
    except RecipeError as exc:
        raise fail(str(exc), code=2) from None
    for output in loaded.outputs:  # values of the right type may still be out of range (columns = 99)
        _check_output_values(loaded.path, output.line, output.path, dict(output.options))
    # The run's time names its files ({date:...}); SOURCE_DATE_EPOCH fixes it, as it fixes every build time.
    now = build_time([]) if os.environ.get("SOURCE_DATE_EPOCH") else datetime.now(UTC)
    options = RunOptions(
        dry_run=dry_run,
        include_all=include_all,
        jobs=jobs,
        overrides=tuple((k, v) for k, v in exporter_values.items() if v is not None),
    )
    with opened(library or (str(loaded.library) if loaded.library else None)) as lib:
        try:
            with (
                recipe_lock(lib.path, loaded),
                access_policy(AccessPolicy(allow_private_network=allow_private_network)),
            ):
                report = run_recipe(loaded, lib, registry, options, now=now, warn=warn)
        except RecipeBusy as exc:
            _say(f"{exc}; nothing done")
            return
        except OutputError as exc:
            raise fail(str(exc)) from None
        except Exception as exc:  # noqa: BLE001 - a user should see one line, never a traceback
            raise fail(f"{recipe}: run failed ({type(exc).__name__}: {exc}); this is a bug in newsexport") from None
    for problem in report.problems:
        warn(problem)
    if dry_run:
        for url in report.fetched:
            typer.echo(f"Fetched {url}")
        for target, articles in report.planned:
            typer.echo(f"Would write {target} ({len(articles)} new articles)")
            for n, article in enumerate(articles, 1):
                typer.echo(f"{n:>4}. {article.title}")
    elif not quiet:
        for target, count in report.written:
            _say(f"Wrote {target} ({count} new articles)")
        for target in report.delivered:
            _say(f"Delivered {target} to {loaded.delivery.email if loaded.delivery else '-'}")
        if not report.written and not report.problems:
            _say(f"{recipe}: no new articles")
    if report.problems:
        raise typer.Exit(1)


app.command("run", cls=PanelledCommand)(
    with_parameters(run, [option.parameter for option in exporter_options(registry.exporters())])
)
