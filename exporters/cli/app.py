"""The Typer app: the console, warnings and errors every command shares, and how the process ends."""

from __future__ import annotations

import gc
import logging
import os
import sys
from contextlib import contextmanager
from typing import Annotated, Any

import typer

from exporters import __version__

app = typer.Typer(
    name="newsexport",
    help="Turn saved news articles into an EPUB collection, a printable PDF and RSS/Atom/JSON feeds.",
    no_args_is_help=True,
    add_completion=True,
    # Help uses up to 100 columns of a wide terminal (click's default stops at 80).
    context_settings={"max_content_width": 100},
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
#: The rich console drawing progress bars, while one is shown; rich is imported only for a terminal.
_live_console: Any = None


def _say(line: str) -> None:
    """One line on stderr, above the progress bar when one is shown (never markup: lines quote user text)."""
    if _live_console is not None:
        _live_console.print(line, markup=False, highlight=False, soft_wrap=True)
    else:
        typer.echo(line, err=True)


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print ``Error: message`` on stderr and return the exit."""
    _say(f"Error: {message}")
    return typer.Exit(code)


def warn(message: str) -> None:
    """Print a warning on stderr."""
    _say(f"Warning: {message}")


@contextmanager
def _progress(quiet: bool, label: str, *, bar: bool, total: int | None = None):
    """Yields ``update(**fields)`` for a transient progress line on a terminal; a no-op otherwise."""
    global _live_console
    if quiet or not sys.stderr.isatty():
        yield lambda **fields: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True, highlight=False, soft_wrap=True)
    columns = (
        (TextColumn(f"{label:>8}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        if bar
        else (TextColumn(label), TextColumn("{task.fields[name]}"))
    )
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task(label, total=total, name="")
        _live_console = console
        try:
            yield lambda **fields: progress.update(task, **fields)
        finally:
            _live_console = None


class _WarningHandler(logging.Handler):
    """Shows what the package logs at WARNING or above (e.g. an image an exporter could not use) as a warning."""

    def emit(self, record: logging.LogRecord) -> None:
        warn(record.getMessage())


_package_log = logging.getLogger("exporters")
_package_log.addHandler(_WarningHandler(logging.WARNING))
_package_log.propagate = False


def _version(value: bool) -> None:
    if value:
        typer.echo(f"newsexport {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Turn saved news articles into an EPUB collection, a printable PDF and RSS/Atom/JSON feeds."""
    # Reading builds millions of small objects that never form cycles: collecting garbage a hundred
    # times less often saves about a tenth of a large run's CPU time (bench/bench_epub.py).
    gc.set_threshold(70_000, 10, 10)


def run() -> None:
    """The ``newsexport`` command: run the app, then leave without tearing the interpreter down.

    By the time the app returns, every output is written and renamed into place, and every
    worker process has been joined, so the process ends as soon as stdout and stderr are
    flushed. Tearing down the modules of the libraries an export imports costs about 0.15 s
    of CPU, 13 % of exporting the samples (0.08 s, 3 %, of the 1,000-article EPUB: it grows
    with the imports, not the articles); mypy ends its runs the same way.
    """
    try:
        app()
        code: object = 0
    except SystemExit as exc:
        code = exc.code
    if isinstance(code, str):
        sys.stderr.write(code + "\n")
        code = 1
    status = code if isinstance(code, int) else 0 if code is None else 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # a closed pipe (``| head``): nothing more can be said
        status = status or 1
    os._exit(status)
